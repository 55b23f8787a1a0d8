// Original file: ../../proto/meta.proto


export interface ClusterStatusRequest {
}

export interface ClusterStatusRequest__Output {
}

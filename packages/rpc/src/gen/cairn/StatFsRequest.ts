// Original file: ../../proto/meta.proto


export interface StatFsRequest {
}

export interface StatFsRequest__Output {
}

// Original file: ../../proto/meta.proto


export interface FsckRequest {
  'repair'?: (boolean);
}

export interface FsckRequest__Output {
  'repair': (boolean);
}

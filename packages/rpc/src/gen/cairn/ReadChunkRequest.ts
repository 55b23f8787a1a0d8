// Original file: ../../proto/meta.proto

import type { Long } from '@grpc/proto-loader';

export interface ReadChunkRequest {
  'ino'?: (number | string | Long);
  'chunkIndex'?: (number);
}

export interface ReadChunkRequest__Output {
  'ino': (number);
  'chunkIndex': (number);
}

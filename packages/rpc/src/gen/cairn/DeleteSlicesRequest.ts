// Original file: ../../proto/chunk.proto

import type { Long } from '@grpc/proto-loader';

export interface DeleteSlicesRequest {
  'sliceIds'?: (number | string | Long)[];
}

export interface DeleteSlicesRequest__Output {
  'sliceIds': (number)[];
}

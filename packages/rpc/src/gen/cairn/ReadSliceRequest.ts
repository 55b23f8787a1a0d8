// Original file: ../../proto/chunk.proto

import type { Long } from '@grpc/proto-loader';

export interface ReadSliceRequest {
  'sliceId'?: (number | string | Long);
  'offset'?: (number);
  'length'?: (number);
}

export interface ReadSliceRequest__Output {
  'sliceId': (number);
  'offset': (number);
  'length': (number);
}

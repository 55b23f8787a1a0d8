// Original file: ../../proto/chunk.proto

import type { Long } from '@grpc/proto-loader';

export interface SliceInfoRequest {
  'sliceId'?: (number | string | Long);
}

export interface SliceInfoRequest__Output {
  'sliceId': (number);
}

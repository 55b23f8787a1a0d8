// Original file: ../../proto/meta.proto

import type { Long } from '@grpc/proto-loader';

export interface SliceReport {
  'sliceId'?: (number | string | Long);
  'size'?: (number);
}

export interface SliceReport__Output {
  'sliceId': (number);
  'size': (number);
}

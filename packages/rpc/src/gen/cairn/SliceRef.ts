// Original file: ../../proto/meta.proto

import type { Long } from '@grpc/proto-loader';

export interface SliceRef {
  'sliceId'?: (number | string | Long);
  'offset'?: (number);
  'length'?: (number);
  'sliceOffset'?: (number);
  'sliceSize'?: (number);
}

export interface SliceRef__Output {
  'sliceId': (number);
  'offset': (number);
  'length': (number);
  'sliceOffset': (number);
  'sliceSize': (number);
}

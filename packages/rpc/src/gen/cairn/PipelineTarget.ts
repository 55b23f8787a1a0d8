// Original file: ../../proto/chunk.proto

import type { Long } from '@grpc/proto-loader';

export interface PipelineTarget {
  'id'?: (number | string | Long);
  'address'?: (string);
}

export interface PipelineTarget__Output {
  'id': (number);
  'address': (string);
}

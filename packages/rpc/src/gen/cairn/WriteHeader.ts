// Original file: ../../proto/chunk.proto

import type { PipelineTarget as _cairn_PipelineTarget, PipelineTarget__Output as _cairn_PipelineTarget__Output } from '../cairn/PipelineTarget.js';
import type { Long } from '@grpc/proto-loader';

export interface WriteHeader {
  'sliceId'?: (number | string | Long);
  'downstream'?: (_cairn_PipelineTarget)[];
  'sync'?: (boolean);
  'expectedSize'?: (number);
}

export interface WriteHeader__Output {
  'sliceId': (number);
  'downstream': (_cairn_PipelineTarget__Output)[];
  'sync': (boolean);
  'expectedSize': (number);
}

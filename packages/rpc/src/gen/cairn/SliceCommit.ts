// Original file: ../../proto/meta.proto

import type { SliceRef as _cairn_SliceRef, SliceRef__Output as _cairn_SliceRef__Output } from '../cairn/SliceRef.js';
import type { Long } from '@grpc/proto-loader';

export interface SliceCommit {
  'chunkIndex'?: (number);
  'slice'?: (_cairn_SliceRef | null);
  'storedOn'?: (number | string | Long)[];
}

export interface SliceCommit__Output {
  'chunkIndex': (number);
  'slice': (_cairn_SliceRef__Output | null);
  'storedOn': (number)[];
}

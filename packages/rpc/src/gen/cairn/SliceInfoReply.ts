// Original file: ../../proto/chunk.proto

import type { Status as _cairn_Status, Status__Output as _cairn_Status__Output } from '../cairn/Status.js';

export interface SliceInfoReply {
  'status'?: (_cairn_Status | null);
  'size'?: (number);
  'blocks'?: (number);
  'valid'?: (boolean);
}

export interface SliceInfoReply__Output {
  'status': (_cairn_Status__Output | null);
  'size': (number);
  'blocks': (number);
  'valid': (boolean);
}

// Original file: ../../proto/chunk.proto

import type { Status as _cairn_Status, Status__Output as _cairn_Status__Output } from '../cairn/Status.js';

export interface DeleteSlicesReply {
  'status'?: (_cairn_Status | null);
  'deleted'?: (number);
}

export interface DeleteSlicesReply__Output {
  'status': (_cairn_Status__Output | null);
  'deleted': (number);
}

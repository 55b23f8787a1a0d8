// Original file: ../../proto/meta.proto

import type { Status as _cairn_Status, Status__Output as _cairn_Status__Output } from '../cairn/Status.js';

export interface ReleaseReply {
  'status'?: (_cairn_Status | null);
}

export interface ReleaseReply__Output {
  'status': (_cairn_Status__Output | null);
}

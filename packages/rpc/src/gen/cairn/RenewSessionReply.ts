// Original file: ../../proto/meta.proto

import type { Status as _cairn_Status, Status__Output as _cairn_Status__Output } from '../cairn/Status.js';

export interface RenewSessionReply {
  'status'?: (_cairn_Status | null);
  'leaseMs'?: (number);
}

export interface RenewSessionReply__Output {
  'status': (_cairn_Status__Output | null);
  'leaseMs': (number);
}

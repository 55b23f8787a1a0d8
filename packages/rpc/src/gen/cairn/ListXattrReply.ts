// Original file: ../../proto/meta.proto

import type { Status as _cairn_Status, Status__Output as _cairn_Status__Output } from '../cairn/Status.js';

export interface ListXattrReply {
  'status'?: (_cairn_Status | null);
  'names'?: (string)[];
}

export interface ListXattrReply__Output {
  'status': (_cairn_Status__Output | null);
  'names': (string)[];
}

// Original file: ../../proto/meta.proto

import type { Status as _cairn_Status, Status__Output as _cairn_Status__Output } from '../cairn/Status.js';

export interface GetXattrReply {
  'status'?: (_cairn_Status | null);
  'value'?: (Buffer | Uint8Array | string);
}

export interface GetXattrReply__Output {
  'status': (_cairn_Status__Output | null);
  'value': (Buffer);
}

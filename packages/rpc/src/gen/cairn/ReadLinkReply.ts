// Original file: ../../proto/meta.proto

import type { Status as _cairn_Status, Status__Output as _cairn_Status__Output } from '../cairn/Status.js';

export interface ReadLinkReply {
  'status'?: (_cairn_Status | null);
  'target'?: (string);
}

export interface ReadLinkReply__Output {
  'status': (_cairn_Status__Output | null);
  'target': (string);
}

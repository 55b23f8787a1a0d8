// Original file: ../../proto/meta.proto

import type { Status as _cairn_Status, Status__Output as _cairn_Status__Output } from '../cairn/Status.js';
import type { Attr as _cairn_Attr, Attr__Output as _cairn_Attr__Output } from '../cairn/Attr.js';

export interface AttrReply {
  'status'?: (_cairn_Status | null);
  'attr'?: (_cairn_Attr | null);
}

export interface AttrReply__Output {
  'status': (_cairn_Status__Output | null);
  'attr': (_cairn_Attr__Output | null);
}

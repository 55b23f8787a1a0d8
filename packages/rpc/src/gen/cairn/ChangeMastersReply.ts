// Original file: ../../proto/meta.proto

import type { Status as _cairn_Status, Status__Output as _cairn_Status__Output } from '../cairn/Status.js';
import type { MasterInfo as _cairn_MasterInfo, MasterInfo__Output as _cairn_MasterInfo__Output } from '../cairn/MasterInfo.js';

export interface ChangeMastersReply {
  'status'?: (_cairn_Status | null);
  'masters'?: (_cairn_MasterInfo)[];
}

export interface ChangeMastersReply__Output {
  'status': (_cairn_Status__Output | null);
  'masters': (_cairn_MasterInfo__Output)[];
}

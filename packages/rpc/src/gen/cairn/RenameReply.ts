// Original file: ../../proto/meta.proto

import type { Status as _cairn_Status, Status__Output as _cairn_Status__Output } from '../cairn/Status.js';
import type { Long } from '@grpc/proto-loader';

export interface RenameReply {
  'status'?: (_cairn_Status | null);
  'replacedIno'?: (number | string | Long);
}

export interface RenameReply__Output {
  'status': (_cairn_Status__Output | null);
  'replacedIno': (number);
}

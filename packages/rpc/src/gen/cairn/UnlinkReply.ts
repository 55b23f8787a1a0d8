// Original file: ../../proto/meta.proto

import type { Status as _cairn_Status, Status__Output as _cairn_Status__Output } from '../cairn/Status.js';
import type { Long } from '@grpc/proto-loader';

export interface UnlinkReply {
  'status'?: (_cairn_Status | null);
  'ino'?: (number | string | Long);
}

export interface UnlinkReply__Output {
  'status': (_cairn_Status__Output | null);
  'ino': (number);
}

// Original file: ../../proto/meta.proto

import type { Status as _cairn_Status, Status__Output as _cairn_Status__Output } from '../cairn/Status.js';
import type { Long } from '@grpc/proto-loader';

export interface LockReply {
  'status'?: (_cairn_Status | null);
  'type'?: (number);
  'start'?: (number | string | Long);
  'end'?: (number | string | Long);
  'pid'?: (number);
}

export interface LockReply__Output {
  'status': (_cairn_Status__Output | null);
  'type': (number);
  'start': (number);
  'end': (number);
  'pid': (number);
}

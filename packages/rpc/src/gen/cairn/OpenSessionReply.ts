// Original file: ../../proto/meta.proto

import type { Status as _cairn_Status, Status__Output as _cairn_Status__Output } from '../cairn/Status.js';
import type { Long } from '@grpc/proto-loader';

export interface OpenSessionReply {
  'status'?: (_cairn_Status | null);
  'sessionId'?: (number | string | Long);
  'leaseMs'?: (number);
  'blockSize'?: (number);
}

export interface OpenSessionReply__Output {
  'status': (_cairn_Status__Output | null);
  'sessionId': (number);
  'leaseMs': (number);
  'blockSize': (number);
}

// Original file: ../../proto/meta.proto

import type { Status as _cairn_Status, Status__Output as _cairn_Status__Output } from '../cairn/Status.js';
import type { Long } from '@grpc/proto-loader';

export interface StatFsReply {
  'status'?: (_cairn_Status | null);
  'totalBytes'?: (number | string | Long);
  'usedBytes'?: (number | string | Long);
  'availBytes'?: (number | string | Long);
  'files'?: (number | string | Long);
}

export interface StatFsReply__Output {
  'status': (_cairn_Status__Output | null);
  'totalBytes': (number);
  'usedBytes': (number);
  'availBytes': (number);
  'files': (number);
}

// Original file: ../../proto/meta.proto

import type { Status as _cairn_Status, Status__Output as _cairn_Status__Output } from '../cairn/Status.js';
import type { Server as _cairn_Server, Server__Output as _cairn_Server__Output } from '../cairn/Server.js';
import type { Long } from '@grpc/proto-loader';

export interface AllocSlicesReply {
  'status'?: (_cairn_Status | null);
  'firstSliceId'?: (number | string | Long);
  'count'?: (number);
  'servers'?: (_cairn_Server)[];
}

export interface AllocSlicesReply__Output {
  'status': (_cairn_Status__Output | null);
  'firstSliceId': (number);
  'count': (number);
  'servers': (_cairn_Server__Output)[];
}

// Original file: ../../proto/meta.proto

import type { Server as _cairn_Server, Server__Output as _cairn_Server__Output } from '../cairn/Server.js';
import type { Long } from '@grpc/proto-loader';

export interface ReplicateCommand {
  'sliceId'?: (number | string | Long);
  'target'?: (_cairn_Server | null);
}

export interface ReplicateCommand__Output {
  'sliceId': (number);
  'target': (_cairn_Server__Output | null);
}

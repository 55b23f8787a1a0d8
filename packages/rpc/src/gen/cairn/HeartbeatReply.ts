// Original file: ../../proto/meta.proto

import type { Status as _cairn_Status, Status__Output as _cairn_Status__Output } from '../cairn/Status.js';
import type { ReplicateCommand as _cairn_ReplicateCommand, ReplicateCommand__Output as _cairn_ReplicateCommand__Output } from '../cairn/ReplicateCommand.js';
import type { Long } from '@grpc/proto-loader';

export interface HeartbeatReply {
  'status'?: (_cairn_Status | null);
  'deleteSlices'?: (number | string | Long)[];
  'wantFullReport'?: (boolean);
  'intervalMs'?: (number);
  'replicate'?: (_cairn_ReplicateCommand)[];
}

export interface HeartbeatReply__Output {
  'status': (_cairn_Status__Output | null);
  'deleteSlices': (number)[];
  'wantFullReport': (boolean);
  'intervalMs': (number);
  'replicate': (_cairn_ReplicateCommand__Output)[];
}

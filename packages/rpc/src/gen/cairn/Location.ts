// Original file: ../../proto/meta.proto

import type { Server as _cairn_Server, Server__Output as _cairn_Server__Output } from '../cairn/Server.js';
import type { Long } from '@grpc/proto-loader';

export interface Location {
  'sliceId'?: (number | string | Long);
  'servers'?: (_cairn_Server)[];
}

export interface Location__Output {
  'sliceId': (number);
  'servers': (_cairn_Server__Output)[];
}

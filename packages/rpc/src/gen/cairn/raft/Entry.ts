// Original file: ../../proto/raft.proto

import type { EntryType as _cairn_raft_EntryType, EntryType__Output as _cairn_raft_EntryType__Output } from '../../cairn/raft/EntryType.js';
import type { Long } from '@grpc/proto-loader';

export interface Entry {
  'term'?: (number | string | Long);
  'index'?: (number | string | Long);
  'type'?: (_cairn_raft_EntryType);
  'data'?: (Buffer | Uint8Array | string);
}

export interface Entry__Output {
  'term': (number);
  'index': (number);
  'type': (_cairn_raft_EntryType__Output);
  'data': (Buffer);
}

// Original file: ../../proto/raft.proto

import type { MessageType as _cairn_raft_MessageType, MessageType__Output as _cairn_raft_MessageType__Output } from '../../cairn/raft/MessageType.js';
import type { Entry as _cairn_raft_Entry, Entry__Output as _cairn_raft_Entry__Output } from '../../cairn/raft/Entry.js';
import type { Long } from '@grpc/proto-loader';

export interface Message {
  'type'?: (_cairn_raft_MessageType);
  'from'?: (number | string | Long);
  'to'?: (number | string | Long);
  'term'?: (number | string | Long);
  'logTerm'?: (number | string | Long);
  'index'?: (number | string | Long);
  'entries'?: (_cairn_raft_Entry)[];
  'commit'?: (number | string | Long);
  'reject'?: (boolean);
  'rejectHint'?: (number | string | Long);
  'context'?: (string);
  'seq'?: (number | string | Long);
}

export interface Message__Output {
  'type': (_cairn_raft_MessageType__Output);
  'from': (number);
  'to': (number);
  'term': (number);
  'logTerm': (number);
  'index': (number);
  'entries': (_cairn_raft_Entry__Output)[];
  'commit': (number);
  'reject': (boolean);
  'rejectHint': (number);
  'context': (string);
  'seq': (number);
}

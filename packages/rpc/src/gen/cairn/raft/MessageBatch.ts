// Original file: ../../proto/raft.proto

import type { Message as _cairn_raft_Message, Message__Output as _cairn_raft_Message__Output } from '../../cairn/raft/Message.js';
import type { Long } from '@grpc/proto-loader';

export interface MessageBatch {
  'from'?: (number | string | Long);
  'fromAddress'?: (string);
  'to'?: (number | string | Long);
  'messages'?: (_cairn_raft_Message)[];
}

export interface MessageBatch__Output {
  'from': (number);
  'fromAddress': (string);
  'to': (number);
  'messages': (_cairn_raft_Message__Output)[];
}

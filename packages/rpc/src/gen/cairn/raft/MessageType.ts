// Original file: ../../proto/raft.proto

export const MessageType = {
  MSG_UNKNOWN: 0,
  MSG_APP: 1,
  MSG_APP_RESP: 2,
  MSG_VOTE: 3,
  MSG_VOTE_RESP: 4,
  MSG_PRE_VOTE: 5,
  MSG_PRE_VOTE_RESP: 6,
  MSG_HEARTBEAT: 7,
  MSG_HEARTBEAT_RESP: 8,
  MSG_SNAP: 9,
  MSG_TIMEOUT_NOW: 10,
  MSG_READ_INDEX: 11,
  MSG_READ_INDEX_RESP: 12,
} as const;

export type MessageType =
  | 'MSG_UNKNOWN'
  | 0
  | 'MSG_APP'
  | 1
  | 'MSG_APP_RESP'
  | 2
  | 'MSG_VOTE'
  | 3
  | 'MSG_VOTE_RESP'
  | 4
  | 'MSG_PRE_VOTE'
  | 5
  | 'MSG_PRE_VOTE_RESP'
  | 6
  | 'MSG_HEARTBEAT'
  | 7
  | 'MSG_HEARTBEAT_RESP'
  | 8
  | 'MSG_SNAP'
  | 9
  | 'MSG_TIMEOUT_NOW'
  | 10
  | 'MSG_READ_INDEX'
  | 11
  | 'MSG_READ_INDEX_RESP'
  | 12

export type MessageType__Output = typeof MessageType[keyof typeof MessageType]

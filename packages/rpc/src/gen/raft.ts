import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Entry as _cairn_raft_Entry, Entry__Output as _cairn_raft_Entry__Output } from './cairn/raft/Entry.js';
import type { Message as _cairn_raft_Message, Message__Output as _cairn_raft_Message__Output } from './cairn/raft/Message.js';
import type { MessageBatch as _cairn_raft_MessageBatch, MessageBatch__Output as _cairn_raft_MessageBatch__Output } from './cairn/raft/MessageBatch.js';
import type { RaftClient as _cairn_raft_RaftClient, RaftDefinition as _cairn_raft_RaftDefinition } from './cairn/raft/Raft.js';
import type { SendReply as _cairn_raft_SendReply, SendReply__Output as _cairn_raft_SendReply__Output } from './cairn/raft/SendReply.js';
import type { SnapshotChunk as _cairn_raft_SnapshotChunk, SnapshotChunk__Output as _cairn_raft_SnapshotChunk__Output } from './cairn/raft/SnapshotChunk.js';
import type { SnapshotHeader as _cairn_raft_SnapshotHeader, SnapshotHeader__Output as _cairn_raft_SnapshotHeader__Output } from './cairn/raft/SnapshotHeader.js';
import type { SnapshotReply as _cairn_raft_SnapshotReply, SnapshotReply__Output as _cairn_raft_SnapshotReply__Output } from './cairn/raft/SnapshotReply.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  cairn: {
    raft: {
      Entry: MessageTypeDefinition<_cairn_raft_Entry, _cairn_raft_Entry__Output>
      EntryType: EnumTypeDefinition
      Message: MessageTypeDefinition<_cairn_raft_Message, _cairn_raft_Message__Output>
      MessageBatch: MessageTypeDefinition<_cairn_raft_MessageBatch, _cairn_raft_MessageBatch__Output>
      MessageType: EnumTypeDefinition
      Raft: SubtypeConstructor<typeof grpc.Client, _cairn_raft_RaftClient> & { service: _cairn_raft_RaftDefinition }
      SendReply: MessageTypeDefinition<_cairn_raft_SendReply, _cairn_raft_SendReply__Output>
      SnapshotChunk: MessageTypeDefinition<_cairn_raft_SnapshotChunk, _cairn_raft_SnapshotChunk__Output>
      SnapshotHeader: MessageTypeDefinition<_cairn_raft_SnapshotHeader, _cairn_raft_SnapshotHeader__Output>
      SnapshotReply: MessageTypeDefinition<_cairn_raft_SnapshotReply, _cairn_raft_SnapshotReply__Output>
    }
  }
}


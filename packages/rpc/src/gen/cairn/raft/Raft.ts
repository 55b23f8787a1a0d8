// Original file: ../../proto/raft.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { MessageBatch as _cairn_raft_MessageBatch, MessageBatch__Output as _cairn_raft_MessageBatch__Output } from '../../cairn/raft/MessageBatch.js';
import type { SendReply as _cairn_raft_SendReply, SendReply__Output as _cairn_raft_SendReply__Output } from '../../cairn/raft/SendReply.js';
import type { SnapshotChunk as _cairn_raft_SnapshotChunk, SnapshotChunk__Output as _cairn_raft_SnapshotChunk__Output } from '../../cairn/raft/SnapshotChunk.js';
import type { SnapshotReply as _cairn_raft_SnapshotReply, SnapshotReply__Output as _cairn_raft_SnapshotReply__Output } from '../../cairn/raft/SnapshotReply.js';

export interface RaftClient extends grpc.Client {
  Send(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_raft_SendReply__Output>): grpc.ClientWritableStream<_cairn_raft_MessageBatch>;
  Send(metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_raft_SendReply__Output>): grpc.ClientWritableStream<_cairn_raft_MessageBatch>;
  Send(options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_raft_SendReply__Output>): grpc.ClientWritableStream<_cairn_raft_MessageBatch>;
  Send(callback: grpc.requestCallback<_cairn_raft_SendReply__Output>): grpc.ClientWritableStream<_cairn_raft_MessageBatch>;
  send(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_raft_SendReply__Output>): grpc.ClientWritableStream<_cairn_raft_MessageBatch>;
  send(metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_raft_SendReply__Output>): grpc.ClientWritableStream<_cairn_raft_MessageBatch>;
  send(options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_raft_SendReply__Output>): grpc.ClientWritableStream<_cairn_raft_MessageBatch>;
  send(callback: grpc.requestCallback<_cairn_raft_SendReply__Output>): grpc.ClientWritableStream<_cairn_raft_MessageBatch>;
  
  SendSnapshot(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_raft_SnapshotReply__Output>): grpc.ClientWritableStream<_cairn_raft_SnapshotChunk>;
  SendSnapshot(metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_raft_SnapshotReply__Output>): grpc.ClientWritableStream<_cairn_raft_SnapshotChunk>;
  SendSnapshot(options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_raft_SnapshotReply__Output>): grpc.ClientWritableStream<_cairn_raft_SnapshotChunk>;
  SendSnapshot(callback: grpc.requestCallback<_cairn_raft_SnapshotReply__Output>): grpc.ClientWritableStream<_cairn_raft_SnapshotChunk>;
  sendSnapshot(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_raft_SnapshotReply__Output>): grpc.ClientWritableStream<_cairn_raft_SnapshotChunk>;
  sendSnapshot(metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_raft_SnapshotReply__Output>): grpc.ClientWritableStream<_cairn_raft_SnapshotChunk>;
  sendSnapshot(options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_raft_SnapshotReply__Output>): grpc.ClientWritableStream<_cairn_raft_SnapshotChunk>;
  sendSnapshot(callback: grpc.requestCallback<_cairn_raft_SnapshotReply__Output>): grpc.ClientWritableStream<_cairn_raft_SnapshotChunk>;
  
}

export interface RaftHandlers extends grpc.UntypedServiceImplementation {
  Send: grpc.handleClientStreamingCall<_cairn_raft_MessageBatch__Output, _cairn_raft_SendReply>;
  
  SendSnapshot: grpc.handleClientStreamingCall<_cairn_raft_SnapshotChunk__Output, _cairn_raft_SnapshotReply>;
  
}

export interface RaftDefinition extends grpc.ServiceDefinition {
  Send: MethodDefinition<_cairn_raft_MessageBatch, _cairn_raft_SendReply, _cairn_raft_MessageBatch__Output, _cairn_raft_SendReply__Output>
  SendSnapshot: MethodDefinition<_cairn_raft_SnapshotChunk, _cairn_raft_SnapshotReply, _cairn_raft_SnapshotChunk__Output, _cairn_raft_SnapshotReply__Output>
}

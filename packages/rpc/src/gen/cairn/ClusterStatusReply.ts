// Original file: ../../proto/meta.proto

import type { Status as _cairn_Status, Status__Output as _cairn_Status__Output } from '../cairn/Status.js';
import type { MasterInfo as _cairn_MasterInfo, MasterInfo__Output as _cairn_MasterInfo__Output } from '../cairn/MasterInfo.js';
import type { ChunkserverInfo as _cairn_ChunkserverInfo, ChunkserverInfo__Output as _cairn_ChunkserverInfo__Output } from '../cairn/ChunkserverInfo.js';
import type { Long } from '@grpc/proto-loader';

export interface ClusterStatusReply {
  'status'?: (_cairn_Status | null);
  'masters'?: (_cairn_MasterInfo)[];
  'chunkservers'?: (_cairn_ChunkserverInfo)[];
  'slicesTotal'?: (number | string | Long);
  'slicesUnderGoal'?: (number | string | Long);
  'slicesMissing'?: (number | string | Long);
  'files'?: (number | string | Long);
  'directories'?: (number | string | Long);
  'logicalBytes'?: (number | string | Long);
}

export interface ClusterStatusReply__Output {
  'status': (_cairn_Status__Output | null);
  'masters': (_cairn_MasterInfo__Output)[];
  'chunkservers': (_cairn_ChunkserverInfo__Output)[];
  'slicesTotal': (number);
  'slicesUnderGoal': (number);
  'slicesMissing': (number);
  'files': (number);
  'directories': (number);
  'logicalBytes': (number);
}

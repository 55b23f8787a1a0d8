// Original file: ../../proto/raft.proto

import type { SnapshotHeader as _cairn_raft_SnapshotHeader, SnapshotHeader__Output as _cairn_raft_SnapshotHeader__Output } from '../../cairn/raft/SnapshotHeader.js';

export interface SnapshotChunk {
  'header'?: (_cairn_raft_SnapshotHeader | null);
  'data'?: (Buffer | Uint8Array | string);
}

export interface SnapshotChunk__Output {
  'header': (_cairn_raft_SnapshotHeader__Output | null);
  'data': (Buffer);
}

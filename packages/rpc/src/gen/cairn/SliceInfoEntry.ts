// Original file: ../../proto/meta.proto

import type { SliceRef as _cairn_SliceRef, SliceRef__Output as _cairn_SliceRef__Output } from '../cairn/SliceRef.js';
import type { ReplicaInfo as _cairn_ReplicaInfo, ReplicaInfo__Output as _cairn_ReplicaInfo__Output } from '../cairn/ReplicaInfo.js';

export interface SliceInfoEntry {
  'chunkIndex'?: (number);
  'slice'?: (_cairn_SliceRef | null);
  'replicas'?: (_cairn_ReplicaInfo)[];
}

export interface SliceInfoEntry__Output {
  'chunkIndex': (number);
  'slice': (_cairn_SliceRef__Output | null);
  'replicas': (_cairn_ReplicaInfo__Output)[];
}

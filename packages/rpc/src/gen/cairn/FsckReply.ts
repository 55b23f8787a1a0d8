// Original file: ../../proto/meta.proto

import type { Status as _cairn_Status, Status__Output as _cairn_Status__Output } from '../cairn/Status.js';
import type { FsckFile as _cairn_FsckFile, FsckFile__Output as _cairn_FsckFile__Output } from '../cairn/FsckFile.js';
import type { Long } from '@grpc/proto-loader';

export interface FsckReply {
  'status'?: (_cairn_Status | null);
  'files'?: (_cairn_FsckFile)[];
  'slicesTotal'?: (number | string | Long);
  'slicesMissing'?: (number | string | Long);
  'slicesUnderGoal'?: (number | string | Long);
  'unreferenced'?: (number | string | Long)[];
  'repaired'?: (number);
}

export interface FsckReply__Output {
  'status': (_cairn_Status__Output | null);
  'files': (_cairn_FsckFile__Output)[];
  'slicesTotal': (number);
  'slicesMissing': (number);
  'slicesUnderGoal': (number);
  'unreferenced': (number)[];
  'repaired': (number);
}

// Original file: ../../proto/meta.proto

import type { RequestHeader as _cairn_RequestHeader, RequestHeader__Output as _cairn_RequestHeader__Output } from '../cairn/RequestHeader.js';
import type { SliceCommit as _cairn_SliceCommit, SliceCommit__Output as _cairn_SliceCommit__Output } from '../cairn/SliceCommit.js';
import type { Long } from '@grpc/proto-loader';

export interface CommitSlicesRequest {
  'header'?: (_cairn_RequestHeader | null);
  'ino'?: (number | string | Long);
  'slices'?: (_cairn_SliceCommit)[];
  'size'?: (number | string | Long);
  'mtimeMs'?: (number | string);
}

export interface CommitSlicesRequest__Output {
  'header': (_cairn_RequestHeader__Output | null);
  'ino': (number);
  'slices': (_cairn_SliceCommit__Output)[];
  'size': (number);
  'mtimeMs': (number);
}

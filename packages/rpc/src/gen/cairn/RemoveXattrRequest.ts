// Original file: ../../proto/meta.proto

import type { RequestHeader as _cairn_RequestHeader, RequestHeader__Output as _cairn_RequestHeader__Output } from '../cairn/RequestHeader.js';
import type { Long } from '@grpc/proto-loader';

export interface RemoveXattrRequest {
  'header'?: (_cairn_RequestHeader | null);
  'ino'?: (number | string | Long);
  'name'?: (string);
}

export interface RemoveXattrRequest__Output {
  'header': (_cairn_RequestHeader__Output | null);
  'ino': (number);
  'name': (string);
}

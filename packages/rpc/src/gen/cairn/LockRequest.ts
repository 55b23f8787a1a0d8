// Original file: ../../proto/meta.proto

import type { RequestHeader as _cairn_RequestHeader, RequestHeader__Output as _cairn_RequestHeader__Output } from '../cairn/RequestHeader.js';
import type { Long } from '@grpc/proto-loader';

export interface LockRequest {
  'header'?: (_cairn_RequestHeader | null);
  'ino'?: (number | string | Long);
  'owner'?: (string);
  'kind'?: (number);
  'type'?: (number);
  'start'?: (number | string | Long);
  'end'?: (number | string | Long);
  'pid'?: (number);
}

export interface LockRequest__Output {
  'header': (_cairn_RequestHeader__Output | null);
  'ino': (number);
  'owner': (string);
  'kind': (number);
  'type': (number);
  'start': (number);
  'end': (number);
  'pid': (number);
}

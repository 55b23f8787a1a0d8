// Original file: ../../proto/meta.proto

import type { RequestHeader as _cairn_RequestHeader, RequestHeader__Output as _cairn_RequestHeader__Output } from '../cairn/RequestHeader.js';

export interface AllocSlicesRequest {
  'header'?: (_cairn_RequestHeader | null);
  'count'?: (number);
  'goal'?: (number);
}

export interface AllocSlicesRequest__Output {
  'header': (_cairn_RequestHeader__Output | null);
  'count': (number);
  'goal': (number);
}

// Original file: ../../proto/meta.proto

import type { RequestHeader as _cairn_RequestHeader, RequestHeader__Output as _cairn_RequestHeader__Output } from '../cairn/RequestHeader.js';
import type { Long } from '@grpc/proto-loader';

export interface UnlinkRequest {
  'header'?: (_cairn_RequestHeader | null);
  'parent'?: (number | string | Long);
  'name'?: (string);
  'directory'?: (boolean);
  'sustain'?: (boolean);
}

export interface UnlinkRequest__Output {
  'header': (_cairn_RequestHeader__Output | null);
  'parent': (number);
  'name': (string);
  'directory': (boolean);
  'sustain': (boolean);
}

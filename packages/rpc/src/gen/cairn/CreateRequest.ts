// Original file: ../../proto/meta.proto

import type { RequestHeader as _cairn_RequestHeader, RequestHeader__Output as _cairn_RequestHeader__Output } from '../cairn/RequestHeader.js';
import type { Long } from '@grpc/proto-loader';

export interface CreateRequest {
  'header'?: (_cairn_RequestHeader | null);
  'parent'?: (number | string | Long);
  'name'?: (string);
  'mode'?: (number);
  'uid'?: (number);
  'gid'?: (number);
  'rdev'?: (number);
  'symlinkTarget'?: (string);
  'exclusive'?: (boolean);
}

export interface CreateRequest__Output {
  'header': (_cairn_RequestHeader__Output | null);
  'parent': (number);
  'name': (string);
  'mode': (number);
  'uid': (number);
  'gid': (number);
  'rdev': (number);
  'symlinkTarget': (string);
  'exclusive': (boolean);
}

// Original file: ../../proto/meta.proto

import type { RequestHeader as _cairn_RequestHeader, RequestHeader__Output as _cairn_RequestHeader__Output } from '../cairn/RequestHeader.js';
import type { Long } from '@grpc/proto-loader';

export interface SetAttrRequest {
  'header'?: (_cairn_RequestHeader | null);
  'ino'?: (number | string | Long);
  'mask'?: (number);
  'mode'?: (number);
  'uid'?: (number);
  'gid'?: (number);
  'size'?: (number | string | Long);
  'atimeMs'?: (number | string);
  'mtimeMs'?: (number | string);
  'goal'?: (number);
  'atimeNs'?: (number);
  'mtimeNs'?: (number);
}

export interface SetAttrRequest__Output {
  'header': (_cairn_RequestHeader__Output | null);
  'ino': (number);
  'mask': (number);
  'mode': (number);
  'uid': (number);
  'gid': (number);
  'size': (number);
  'atimeMs': (number);
  'mtimeMs': (number);
  'goal': (number);
  'atimeNs': (number);
  'mtimeNs': (number);
}

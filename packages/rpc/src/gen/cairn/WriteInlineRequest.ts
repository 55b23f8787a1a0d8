// Original file: ../../proto/meta.proto

import type { RequestHeader as _cairn_RequestHeader, RequestHeader__Output as _cairn_RequestHeader__Output } from '../cairn/RequestHeader.js';
import type { Long } from '@grpc/proto-loader';

export interface WriteInlineRequest {
  'header'?: (_cairn_RequestHeader | null);
  'ino'?: (number | string | Long);
  'offset'?: (number | string | Long);
  'data'?: (Buffer | Uint8Array | string);
  'mtimeMs'?: (number | string);
}

export interface WriteInlineRequest__Output {
  'header': (_cairn_RequestHeader__Output | null);
  'ino': (number);
  'offset': (number);
  'data': (Buffer);
  'mtimeMs': (number);
}

// Original file: ../../proto/meta.proto

import type { RequestHeader as _cairn_RequestHeader, RequestHeader__Output as _cairn_RequestHeader__Output } from '../cairn/RequestHeader.js';
import type { Long } from '@grpc/proto-loader';

export interface RenameRequest {
  'header'?: (_cairn_RequestHeader | null);
  'sourceParent'?: (number | string | Long);
  'sourceName'?: (string);
  'targetParent'?: (number | string | Long);
  'targetName'?: (string);
  'flags'?: (number);
  'sustain'?: (boolean);
}

export interface RenameRequest__Output {
  'header': (_cairn_RequestHeader__Output | null);
  'sourceParent': (number);
  'sourceName': (string);
  'targetParent': (number);
  'targetName': (string);
  'flags': (number);
  'sustain': (boolean);
}

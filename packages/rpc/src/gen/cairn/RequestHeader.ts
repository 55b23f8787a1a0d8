// Original file: ../../proto/meta.proto

import type { Long } from '@grpc/proto-loader';

export interface RequestHeader {
  'sessionId'?: (number | string | Long);
  'requestId'?: (number | string | Long);
}

export interface RequestHeader__Output {
  'sessionId': (number);
  'requestId': (number);
}

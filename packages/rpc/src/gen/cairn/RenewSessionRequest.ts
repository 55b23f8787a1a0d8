// Original file: ../../proto/meta.proto

import type { Long } from '@grpc/proto-loader';

export interface RenewSessionRequest {
  'sessionId'?: (number | string | Long);
}

export interface RenewSessionRequest__Output {
  'sessionId': (number);
}

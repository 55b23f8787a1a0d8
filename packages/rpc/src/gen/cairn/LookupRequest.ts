// Original file: ../../proto/meta.proto

import type { Long } from '@grpc/proto-loader';

export interface LookupRequest {
  'parent'?: (number | string | Long);
  'name'?: (string);
}

export interface LookupRequest__Output {
  'parent': (number);
  'name': (string);
}

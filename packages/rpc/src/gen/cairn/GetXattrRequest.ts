// Original file: ../../proto/meta.proto

import type { Long } from '@grpc/proto-loader';

export interface GetXattrRequest {
  'ino'?: (number | string | Long);
  'name'?: (string);
}

export interface GetXattrRequest__Output {
  'ino': (number);
  'name': (string);
}

// Original file: ../../proto/meta.proto

import type { Long } from '@grpc/proto-loader';

export interface Server {
  'id'?: (number | string | Long);
  'address'?: (string);
}

export interface Server__Output {
  'id': (number);
  'address': (string);
}

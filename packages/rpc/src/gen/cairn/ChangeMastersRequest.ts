// Original file: ../../proto/meta.proto

import type { Long } from '@grpc/proto-loader';

export interface ChangeMastersRequest {
  'add'?: (boolean);
  'id'?: (number | string | Long);
  'address'?: (string);
}

export interface ChangeMastersRequest__Output {
  'add': (boolean);
  'id': (number);
  'address': (string);
}

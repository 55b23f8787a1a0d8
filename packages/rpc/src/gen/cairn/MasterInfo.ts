// Original file: ../../proto/meta.proto

import type { Long } from '@grpc/proto-loader';

export interface MasterInfo {
  'id'?: (number | string | Long);
  'address'?: (string);
  'pid'?: (number);
  'role'?: (string);
  'term'?: (number | string | Long);
}

export interface MasterInfo__Output {
  'id': (number);
  'address': (string);
  'pid': (number);
  'role': (string);
  'term': (number);
}

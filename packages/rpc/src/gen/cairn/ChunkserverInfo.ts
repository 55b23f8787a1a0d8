// Original file: ../../proto/meta.proto

import type { Long } from '@grpc/proto-loader';

export interface ChunkserverInfo {
  'id'?: (number | string | Long);
  'address'?: (string);
  'pid'?: (number);
  'alive'?: (boolean);
  'usedBytes'?: (number | string | Long);
  'capacityBytes'?: (number | string | Long);
  'slices'?: (number | string | Long);
}

export interface ChunkserverInfo__Output {
  'id': (number);
  'address': (string);
  'pid': (number);
  'alive': (boolean);
  'usedBytes': (number);
  'capacityBytes': (number);
  'slices': (number);
}

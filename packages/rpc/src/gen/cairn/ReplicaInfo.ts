// Original file: ../../proto/meta.proto

import type { Long } from '@grpc/proto-loader';

export interface ReplicaInfo {
  'serverId'?: (number | string | Long);
  'address'?: (string);
  'alive'?: (boolean);
}

export interface ReplicaInfo__Output {
  'serverId': (number);
  'address': (string);
  'alive': (boolean);
}

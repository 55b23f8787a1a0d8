// Original file: ../../proto/meta.proto

import type { Long } from '@grpc/proto-loader';

export interface InoRequest {
  'ino'?: (number | string | Long);
}

export interface InoRequest__Output {
  'ino': (number);
}

// Original file: ../../proto/meta.proto

import type { Long } from '@grpc/proto-loader';

export interface ReadDirRequest {
  'ino'?: (number | string | Long);
  'after'?: (string);
  'limit'?: (number);
  'plus'?: (boolean);
}

export interface ReadDirRequest__Output {
  'ino': (number);
  'after': (string);
  'limit': (number);
  'plus': (boolean);
}

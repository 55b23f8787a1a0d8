// Original file: ../../proto/meta.proto

import type { Long } from '@grpc/proto-loader';

export interface Attr {
  'ino'?: (number | string | Long);
  'mode'?: (number);
  'uid'?: (number);
  'gid'?: (number);
  'size'?: (number | string | Long);
  'nlink'?: (number);
  'atimeMs'?: (number | string);
  'mtimeMs'?: (number | string);
  'ctimeMs'?: (number | string);
  'rdev'?: (number);
  'goal'?: (number);
  'parent'?: (number | string | Long);
  'inline'?: (boolean);
  'atimeNs'?: (number);
  'mtimeNs'?: (number);
}

export interface Attr__Output {
  'ino': (number);
  'mode': (number);
  'uid': (number);
  'gid': (number);
  'size': (number);
  'nlink': (number);
  'atimeMs': (number);
  'mtimeMs': (number);
  'ctimeMs': (number);
  'rdev': (number);
  'goal': (number);
  'parent': (number);
  'inline': (boolean);
  'atimeNs': (number);
  'mtimeNs': (number);
}

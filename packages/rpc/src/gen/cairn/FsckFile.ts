// Original file: ../../proto/meta.proto

import type { Long } from '@grpc/proto-loader';

export interface FsckFile {
  'ino'?: (number | string | Long);
  'path'?: (string);
  'slices'?: (number);
  'missing'?: (number);
  'underGoal'?: (number);
  'goal'?: (number);
}

export interface FsckFile__Output {
  'ino': (number);
  'path': (string);
  'slices': (number);
  'missing': (number);
  'underGoal': (number);
  'goal': (number);
}

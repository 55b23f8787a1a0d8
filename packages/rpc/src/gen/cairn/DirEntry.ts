// Original file: ../../proto/meta.proto

import type { Attr as _cairn_Attr, Attr__Output as _cairn_Attr__Output } from '../cairn/Attr.js';
import type { Long } from '@grpc/proto-loader';

export interface DirEntry {
  'name'?: (string);
  'ino'?: (number | string | Long);
  'mode'?: (number);
  'attr'?: (_cairn_Attr | null);
}

export interface DirEntry__Output {
  'name': (string);
  'ino': (number);
  'mode': (number);
  'attr': (_cairn_Attr__Output | null);
}

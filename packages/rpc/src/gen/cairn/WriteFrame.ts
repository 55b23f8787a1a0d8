// Original file: ../../proto/chunk.proto

import type { WriteHeader as _cairn_WriteHeader, WriteHeader__Output as _cairn_WriteHeader__Output } from '../cairn/WriteHeader.js';

export interface WriteFrame {
  'header'?: (_cairn_WriteHeader | null);
  'data'?: (Buffer | Uint8Array | string);
}

export interface WriteFrame__Output {
  'header': (_cairn_WriteHeader__Output | null);
  'data': (Buffer);
}

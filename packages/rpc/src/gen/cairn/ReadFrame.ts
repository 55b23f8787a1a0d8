// Original file: ../../proto/chunk.proto

import type { Status as _cairn_Status, Status__Output as _cairn_Status__Output } from '../cairn/Status.js';

export interface ReadFrame {
  'status'?: (_cairn_Status | null);
  'data'?: (Buffer | Uint8Array | string);
}

export interface ReadFrame__Output {
  'status': (_cairn_Status__Output | null);
  'data': (Buffer);
}

// Original file: ../../proto/chunk.proto

import type { Status as _cairn_Status, Status__Output as _cairn_Status__Output } from '../cairn/Status.js';
import type { Long } from '@grpc/proto-loader';

export interface WriteSliceReply {
  'status'?: (_cairn_Status | null);
  'storedOn'?: (number | string | Long)[];
  'size'?: (number);
  'crc32c'?: (number);
}

export interface WriteSliceReply__Output {
  'status': (_cairn_Status__Output | null);
  'storedOn': (number)[];
  'size': (number);
  'crc32c': (number);
}

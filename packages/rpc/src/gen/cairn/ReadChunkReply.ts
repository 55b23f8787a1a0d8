// Original file: ../../proto/meta.proto

import type { Status as _cairn_Status, Status__Output as _cairn_Status__Output } from '../cairn/Status.js';
import type { SliceRef as _cairn_SliceRef, SliceRef__Output as _cairn_SliceRef__Output } from '../cairn/SliceRef.js';
import type { Location as _cairn_Location, Location__Output as _cairn_Location__Output } from '../cairn/Location.js';
import type { Long } from '@grpc/proto-loader';

export interface ReadChunkReply {
  'status'?: (_cairn_Status | null);
  'slices'?: (_cairn_SliceRef)[];
  'locations'?: (_cairn_Location)[];
  'size'?: (number | string | Long);
  'inlineData'?: (Buffer | Uint8Array | string);
}

export interface ReadChunkReply__Output {
  'status': (_cairn_Status__Output | null);
  'slices': (_cairn_SliceRef__Output)[];
  'locations': (_cairn_Location__Output)[];
  'size': (number);
  'inlineData': (Buffer);
}

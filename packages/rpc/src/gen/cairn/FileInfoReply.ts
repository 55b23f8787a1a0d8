// Original file: ../../proto/meta.proto

import type { Status as _cairn_Status, Status__Output as _cairn_Status__Output } from '../cairn/Status.js';
import type { Attr as _cairn_Attr, Attr__Output as _cairn_Attr__Output } from '../cairn/Attr.js';
import type { SliceInfoEntry as _cairn_SliceInfoEntry, SliceInfoEntry__Output as _cairn_SliceInfoEntry__Output } from '../cairn/SliceInfoEntry.js';

export interface FileInfoReply {
  'status'?: (_cairn_Status | null);
  'attr'?: (_cairn_Attr | null);
  'slices'?: (_cairn_SliceInfoEntry)[];
  'inlineBytes'?: (number);
}

export interface FileInfoReply__Output {
  'status': (_cairn_Status__Output | null);
  'attr': (_cairn_Attr__Output | null);
  'slices': (_cairn_SliceInfoEntry__Output)[];
  'inlineBytes': (number);
}

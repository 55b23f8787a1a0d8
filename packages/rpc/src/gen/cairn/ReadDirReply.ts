// Original file: ../../proto/meta.proto

import type { Status as _cairn_Status, Status__Output as _cairn_Status__Output } from '../cairn/Status.js';
import type { DirEntry as _cairn_DirEntry, DirEntry__Output as _cairn_DirEntry__Output } from '../cairn/DirEntry.js';

export interface ReadDirReply {
  'status'?: (_cairn_Status | null);
  'entries'?: (_cairn_DirEntry)[];
  'more'?: (boolean);
}

export interface ReadDirReply__Output {
  'status': (_cairn_Status__Output | null);
  'entries': (_cairn_DirEntry__Output)[];
  'more': (boolean);
}

// Original file: ../../proto/meta.proto

import type { SliceReport as _cairn_SliceReport, SliceReport__Output as _cairn_SliceReport__Output } from '../cairn/SliceReport.js';
import type { Long } from '@grpc/proto-loader';

export interface HeartbeatRequest {
  'serverId'?: (number | string | Long);
  'address'?: (string);
  'capacityBytes'?: (number | string | Long);
  'usedBytes'?: (number | string | Long);
  'freeBytes'?: (number | string | Long);
  'fullReport'?: (boolean);
  'slices'?: (_cairn_SliceReport)[];
  'removed'?: (number | string | Long)[];
  'pid'?: (number);
  'corrupt'?: (number | string | Long)[];
}

export interface HeartbeatRequest__Output {
  'serverId': (number);
  'address': (string);
  'capacityBytes': (number);
  'usedBytes': (number);
  'freeBytes': (number);
  'fullReport': (boolean);
  'slices': (_cairn_SliceReport__Output)[];
  'removed': (number)[];
  'pid': (number);
  'corrupt': (number)[];
}

// Original file: ../../proto/raft.proto

import type { Long } from '@grpc/proto-loader';

export interface SnapshotHeader {
  'from'?: (number | string | Long);
  'fromAddress'?: (string);
  'to'?: (number | string | Long);
  'term'?: (number | string | Long);
  'index'?: (number | string | Long);
  'snapTerm'?: (number | string | Long);
  'voters'?: (number | string | Long)[];
  'learners'?: (number | string | Long)[];
  'sizeBytes'?: (number | string | Long);
}

export interface SnapshotHeader__Output {
  'from': (number);
  'fromAddress': (string);
  'to': (number);
  'term': (number);
  'index': (number);
  'snapTerm': (number);
  'voters': (number)[];
  'learners': (number)[];
  'sizeBytes': (number);
}

// The public surface of @cairn/raft: a Raft consensus core with no I/O (RawNode + Ready loop),
// its storage interface with an in-memory implementation, and a seeded random source.
// The LevelDB-backed storage lives in a separate entry point, '@cairn/raft/level', so that pure
// users (the simulator, other cores) never load a native module.

export {
  type NodeId,
  NoNode,
  nodeId,
  type Entry,
  type EntryType,
  type HardState,
  type ConfState,
  type Snapshot,
  type SnapshotMeta,
  type Message,
  type MessageType,
  type Role,
  type SoftState,
  type ReadState,
  message,
  emptyHardState,
  hardStateEqual,
  entrySizeBytes,
} from './types.js';
export {
  type ConfChange,
  type ConfChangeType,
  encodeConfChange,
  decodeConfChange,
  applyConfChange,
  validateConfChange,
  confStateEqual,
  formatConfChange,
  formatConfState,
} from './conf.js';
export { type Logger, silentLogger } from './logger.js';
export { type RandomSource, Xoshiro128 } from './random.js';
export {
  type Storage,
  type InitialState,
  MemoryStorage,
  Compacted,
  SnapshotUnavailable,
  limitSize,
} from './storage.js';
export { type Config, type Rejection, type Result, type Accepted, type Refused, validateConfig } from './raft.js';
export { RawNode, type Ready, type Status, type ProgressStatus, bootstrap, bootstrapEntries } from './raw-node.js';
export { formatMessage, formatEntry, formatEntries } from './format.js';

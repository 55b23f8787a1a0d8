// The plain-data vocabulary of the Raft core: node ids, log entries, hard state, snapshots,
// membership (conf) changes and the one Message shape that crosses the network.
//
// Invariants:
// - Everything here is plain data (numbers, strings, booleans, arrays, Uint8Array), so a transport
//   can encode it as JSON or protobuf without knowing the core. No classes, no Maps, no bigint.
// - Every index and term is a non-negative safe integer; index 0 / term 0 mean "none" (the log is
//   1-based, as in the Raft paper).
// - NodeId 0 is `NoNode`; a real node id is a positive safe integer.

import { assert } from '@cairn/errors';

/** A Raft member's id. Branded so it cannot be mixed up with an index or a term. */
export type NodeId = number & { readonly __brand: 'NodeId' };

/** "No node": no vote cast, no leader known. */
export const NoNode = 0 as NodeId;

/** Checks and brands a node id read from configuration or off the wire. */
export function nodeId(n: number): NodeId {
  assert(Number.isSafeInteger(n), `node id ${n} is not a safe integer`);
  assert(n > 0, `node id ${n} must be positive`);
  return n as NodeId;
}

export type EntryType = 'normal' | 'conf-change';

/** One log entry. `data` is opaque to the core except for conf-change entries (see conf.ts). */
export interface Entry {
  term: number;
  index: number;
  type: EntryType;
  data: Uint8Array;
}

/** What must be on stable storage before any message that depends on it is sent (§3.8). */
export interface HardState {
  term: number;
  vote: NodeId;
  commit: number;
}

export const emptyHardState: HardState = Object.freeze({ term: 0, vote: NoNode, commit: 0 });

export function hardStateEqual(a: HardState, b: HardState): boolean {
  return a.term === b.term && a.vote === b.vote && a.commit === b.commit;
}

/** A membership: the voters decide elections and commits; learners only receive the log. */
export interface ConfState {
  voters: NodeId[];
  learners: NodeId[];
}

export interface SnapshotMeta {
  index: number;
  term: number;
  /** The membership as of `index` (the configuration of the latest conf entry at or before it). */
  confState: ConfState;
}

/** A point-in-time image of the application's state machine; `data` is opaque to the core. */
export interface Snapshot {
  meta: SnapshotMeta;
  data: Uint8Array;
}

export const emptySnapshotMeta: SnapshotMeta = Object.freeze({
  index: 0,
  term: 0,
  confState: Object.freeze({ voters: [], learners: [] }) as ConfState,
});

export type MessageType =
  | 'MsgApp' // leader → follower: entries after (logTerm, index), and the leader's commit
  | 'MsgAppResp' // follower → leader: accepted up to index, or rejected with a back-track hint
  | 'MsgVote' // candidate → voter: vote for me in term, my last log is (logTerm, index)
  | 'MsgVoteResp'
  | 'MsgPreVote' // pre-candidate → voter: would you vote for me in term (thesis §9.6)?
  | 'MsgPreVoteResp'
  | 'MsgHeartbeat' // leader → follower: I am alive; commit is safe for you; seq acks ReadIndex
  | 'MsgHeartbeatResp'
  | 'MsgSnap' // leader → follower: install this snapshot (the transport may chunk it)
  | 'MsgTimeoutNow' // leader → transferee: campaign now, skipping pre-vote (thesis §3.10)
  | 'MsgReadIndex' // follower → leader: confirm leadership and tell me the read index for context
  | 'MsgReadIndexResp'; // leader → follower: index (0 and reject=true when refused)

/**
 * The one message shape. Fields that a type does not use hold their zero value, like protobuf,
 * so that encoding is uniform. Meaning of `index`/`logTerm` per type:
 * - MsgApp: the entry just before `entries` (the log-matching check).
 * - MsgAppResp: accepted → the last index now known to match; rejected → the rejected MsgApp's
 *   index, with (rejectHint, logTerm) the follower's suggestion of where to resume (§5.3 "fast
 *   back-tracking": the largest index ≤ rejectHint whose term ≤ the probe's term).
 * - MsgVote/MsgPreVote: the candidate's last log entry.
 * - MsgReadIndexResp: the read index.
 */
export interface Message {
  type: MessageType;
  from: NodeId;
  to: NodeId;
  term: number;
  logTerm: number;
  index: number;
  entries: Entry[];
  commit: number;
  reject: boolean;
  rejectHint: number;
  snapshot: Snapshot | null;
  /** ReadIndex request context (opaque to the core); 'transfer' on a MsgVote caused by TimeoutNow. */
  context: string;
  /** ReadIndex round carried by heartbeats and echoed by their responses. */
  seq: number;
}

/** Builds a message with every unused field at its zero value. */
export function message(fields: Pick<Message, 'type' | 'from' | 'to' | 'term'> & Partial<Message>): Message {
  return {
    logTerm: 0,
    index: 0,
    entries: [],
    commit: 0,
    reject: false,
    rejectHint: 0,
    snapshot: null,
    context: '',
    seq: 0,
    ...fields,
  };
}

export type Role = 'follower' | 'pre-candidate' | 'candidate' | 'leader';

/** Volatile state the application may want to observe (who leads, what am I). */
export interface SoftState {
  lead: NodeId;
  role: Role;
}

/** A confirmed linearizable read: once applied ≥ index, reading local state for `context` is safe. */
export interface ReadState {
  index: number;
  context: string;
}

/** Size of an entry for batching limits: payload plus a fixed header estimate. */
export function entrySizeBytes(e: Entry): number {
  return e.data.byteLength + 16;
}

// Wire forms of the core's messages (proto/raft.proto) and the checks that every decoded message
// passes before it reaches `RawNode.step()`. The core asserts on what it is given (bugs crash), so
// anything a peer, a stale process or a stray client can put on the wire is validated here and
// refused *as data*: decode functions return either the message or the reason it was dropped.
//
// Invariants of an accepted message: its type is a known code; `from` is the frame's sender and
// not this node; `to` is this node; every number is a non-negative safe integer; entries only on
// MsgApp, contiguous from index + 1 with terms non-decreasing and ≤ the message term; conf-change
// payloads have the core's 10-byte shape; contexts are bounded.

import { type ConfState, type Entry, type Message, type MessageType, type NodeId, type Snapshot, message } from '@cairn/raft';

/** proto MessageType codes. The numbers are the wire contract (see proto/raft.proto). */
const typeCodes: Record<MessageType, number> = {
  MsgApp: 1,
  MsgAppResp: 2,
  MsgVote: 3,
  MsgVoteResp: 4,
  MsgPreVote: 5,
  MsgPreVoteResp: 6,
  MsgHeartbeat: 7,
  MsgHeartbeatResp: 8,
  MsgSnap: 9,
  MsgTimeoutNow: 10,
  MsgReadIndex: 11,
  MsgReadIndexResp: 12,
};
const typesByCode = new Map<number, MessageType>(Object.entries(typeCodes).map(([t, c]) => [c, t as MessageType]));

/** Longest ReadIndex context accepted off the wire (ours are `<id>:<counter>`). */
const contextLengthMax = 256;

export interface WireEntry {
  term: number;
  index: number;
  type: number;
  data: Uint8Array;
}

export interface WireMessage {
  type: number;
  from: number;
  to: number;
  term: number;
  logTerm: number;
  index: number;
  entries: WireEntry[];
  commit: number;
  reject: boolean;
  rejectHint: number;
  context: string;
  seq: number;
}

export interface WireBatch {
  from: number;
  fromAddress: string;
  to: number;
  messages: WireMessage[];
}

export interface WireSnapshotHeader {
  from: number;
  fromAddress: string;
  to: number;
  term: number;
  index: number;
  snapTerm: number;
  voters: number[];
  learners: number[];
  sizeBytes: number;
}

export interface WireSnapshotChunk {
  header: WireSnapshotHeader | null;
  data: Uint8Array;
}

export function encodeMessage(m: Message): WireMessage {
  return {
    type: typeCodes[m.type],
    from: m.from,
    to: m.to,
    term: m.term,
    logTerm: m.logTerm,
    index: m.index,
    entries: m.entries.map((e) => ({ term: e.term, index: e.index, type: e.type === 'normal' ? 0 : 1, data: e.data })),
    commit: m.commit,
    reject: m.reject,
    rejectHint: m.rejectHint,
    context: m.context,
    seq: m.seq,
  };
}

/** Rough encoded size of a message, for splitting frames below the gRPC message size limit. */
export function messageSizeBytes(m: Message): number {
  let size = 64 + m.context.length;
  for (const e of m.entries) size += e.data.byteLength + 24;
  return size;
}

function isCount(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}

function isId(n: unknown): n is NodeId {
  return isCount(n) && n > 0;
}

/** Why a conf-change payload does not have the core's shape (conf.ts), or undefined. */
function confChangeProblem(data: Uint8Array): string | undefined {
  if (data.byteLength !== 10) return `conf change payload of ${data.byteLength} bytes`;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (view.getUint8(0) !== 1) return 'unknown conf change encoding version';
  const code = view.getUint8(1);
  if (code < 1 || code > 3) return `unknown conf change type ${code}`;
  const node = view.getUint32(2) * 2 ** 32 + view.getUint32(6);
  if (!isId(node)) return `bad conf change node ${node}`;
  return undefined;
}

/**
 * Checks and converts one message of a batch from `sender` to `self`. Returns the core message, or
 * a string saying why it was dropped.
 */
export function decodeMessage(w: WireMessage, sender: NodeId, self: NodeId): Message | string {
  const type = typesByCode.get(w.type);
  if (type === undefined) return `unknown message type ${w.type}`;
  if (type === 'MsgSnap') return 'MsgSnap outside a snapshot stream';
  if (w.from !== sender) return `message from ${w.from} in a batch from ${sender}`;
  if (w.to !== self) return `message for ${w.to} delivered to ${self}`;
  for (const k of ['term', 'logTerm', 'index', 'commit', 'rejectHint', 'seq'] as const) {
    if (!isCount(w[k])) return `${k} ${String(w[k])} is not a safe integer`;
  }
  if (typeof w.reject !== 'boolean') return 'reject is not a boolean';
  if (typeof w.context !== 'string' || w.context.length > contextLengthMax) return 'bad context';
  if (!Array.isArray(w.entries)) return 'entries is not a list';
  if (w.entries.length > 0 && type !== 'MsgApp') return `${type} carries entries`;
  const entries: Entry[] = [];
  for (let k = 0; k < w.entries.length; k++) {
    const e = w.entries[k]!;
    if (!isCount(e.term) || !isCount(e.index)) return `entry ${k} has a bad term or index`;
    if (e.index !== w.index + 1 + k) return `entry ${k} has index ${e.index}, expected ${w.index + 1 + k}`;
    if (e.term > w.term) return `entry ${e.index} term ${e.term} above message term ${w.term}`;
    if (k > 0 && e.term < entries[k - 1]!.term) return `entry ${e.index} term decreases`;
    if (k === 0 && e.term < w.logTerm) return `entry ${e.index} term below the previous entry's`;
    if (e.type !== 0 && e.type !== 1) return `entry ${e.index} has unknown type ${e.type}`;
    if (!(e.data instanceof Uint8Array)) return `entry ${e.index} data is not bytes`;
    if (e.type === 1) {
      const why = confChangeProblem(e.data);
      if (why !== undefined) return `entry ${e.index}: ${why}`;
    }
    entries.push({ term: e.term, index: e.index, type: e.type === 0 ? 'normal' : 'conf-change', data: e.data });
  }
  return message({
    type,
    from: sender,
    to: self,
    term: w.term,
    logTerm: w.logTerm,
    index: w.index,
    entries,
    commit: w.commit,
    reject: w.reject,
    rejectHint: w.rejectHint,
    context: w.context,
    seq: w.seq,
  });
}

export function encodeSnapshotHeader(m: Message, fromAddress: string): WireSnapshotHeader {
  const snap = m.snapshot!;
  return {
    from: m.from,
    fromAddress,
    to: m.to,
    term: m.term,
    index: snap.meta.index,
    snapTerm: snap.meta.term,
    voters: [...snap.meta.confState.voters],
    learners: [...snap.meta.confState.learners],
    sizeBytes: snap.data.byteLength,
  };
}

/** Checks a snapshot stream's header; returns the reason to refuse it, or undefined. */
export function snapshotHeaderProblem(h: WireSnapshotHeader, self: NodeId, sizeMaxBytes: number): string | undefined {
  if (!isId(h.from) || h.from === self) return `bad sender ${h.from}`;
  if (h.to !== self) return `snapshot for ${h.to} delivered to ${self}`;
  for (const k of ['term', 'index', 'snapTerm', 'sizeBytes'] as const) {
    if (!isCount(h[k])) return `${k} ${String(h[k])} is not a safe integer`;
  }
  if (h.index === 0 || h.snapTerm === 0 || h.snapTerm > h.term) return 'bad snapshot index or term';
  if (h.sizeBytes > sizeMaxBytes) return `snapshot of ${h.sizeBytes} bytes exceeds ${sizeMaxBytes}`;
  if (!Array.isArray(h.voters) || !Array.isArray(h.learners)) return 'bad membership';
  if (h.voters.length === 0) return 'snapshot without voters';
  const all = [...h.voters, ...h.learners];
  if (!all.every(isId) || new Set(all).size !== all.length) return 'bad membership ids';
  return undefined;
}

/** The MsgSnap a complete, validated snapshot stream stands for. */
export function snapshotMessage(h: WireSnapshotHeader, data: Uint8Array): Message {
  const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b) as NodeId[];
  const confState: ConfState = { voters: sorted(h.voters), learners: sorted(h.learners) };
  const snapshot: Snapshot = { meta: { index: h.index, term: h.snapTerm, confState }, data };
  return message({ type: 'MsgSnap', from: h.from as NodeId, to: h.to as NodeId, term: h.term, snapshot });
}

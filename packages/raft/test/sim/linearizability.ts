// A linearizability checker for a key-value store of registers (Wing & Gong 1993, with Lowe's
// 2017 memoization of (linearized set, state) pairs, as in Porcupine). Histories are split per key
// first (P-compositionality: a KV history is linearizable iff each key's sub-history is), which
// keeps each search small.
//
// Model: put(key, value) always succeeds and sets the register; get(key) returns the register's
// value (null when never written). An operation whose outcome is unknown (the client timed out)
// has return time Infinity: it may take effect at any point after its call, or never. Unanswered
// gets constrain nothing and should be left out by the caller.
//
// Bounds: the search is exponential in the worst case; `maxSteps` caps it and an exhausted
// search is reported as 'unknown' rather than passing silently.

import { assert } from '@cairn/errors';

export interface Operation {
  kind: 'put' | 'get';
  key: string;
  /** put: the value written; get: the value observed. */
  value: string | null;
  call: number;
  /** Infinity when the outcome is unknown. */
  ret: number;
  client: number;
}

export type Verdict = { ok: true } | { ok: false; key: string; reason: 'not-linearizable' | 'unknown'; ops: Operation[] };

interface Node {
  op: number; // index into the key's operations
  isCall: boolean;
  match: Node | null; // call ↔ return
  prev: Node | null;
  next: Node | null;
}

export function checkHistory(history: readonly Operation[], maxSteps = 2_000_000): Verdict {
  const byKey = new Map<string, Operation[]>();
  for (const op of history) {
    assert(op.ret >= op.call, `operation returns (${op.ret}) before its call (${op.call})`);
    const list = byKey.get(op.key) ?? [];
    list.push(op);
    byKey.set(op.key, list);
  }
  for (const [key, ops] of [...byKey].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const verdict = checkKey(ops, maxSteps);
    if (verdict !== 'ok') return { ok: false, key, reason: verdict, ops };
  }
  return { ok: true };
}

function step(state: string | null, op: Operation): { ok: boolean; state: string | null } {
  if (op.kind === 'put') return { ok: true, state: op.value };
  return { ok: op.value === state, state };
}

function checkKey(ops: readonly Operation[], maxSteps: number): 'ok' | 'not-linearizable' | 'unknown' {
  // Build the event list: calls and returns sorted by time; at equal times calls come first, so
  // touching operations count as concurrent (the lenient reading; never a false alarm).
  const events: { time: number; isCall: boolean; op: number }[] = [];
  ops.forEach((op, k) => {
    events.push({ time: op.call, isCall: true, op: k });
    events.push({ time: op.ret, isCall: false, op: k });
  });
  events.sort((a, b) => a.time - b.time || (a.isCall === b.isCall ? a.op - b.op : a.isCall ? -1 : 1));
  const head: Node = { op: -1, isCall: false, match: null, prev: null, next: null };
  let tail = head;
  const calls = new Map<number, Node>();
  for (const e of events) {
    const node: Node = { op: e.op, isCall: e.isCall, match: null, prev: tail, next: null };
    tail.next = node;
    tail = node;
    if (e.isCall) calls.set(e.op, node);
    else {
      const call = calls.get(e.op)!;
      call.match = node;
      node.match = call;
    }
  }
  const lift = (call: Node) => {
    call.prev!.next = call.next;
    if (call.next) call.next.prev = call.prev;
    const ret = call.match!;
    ret.prev!.next = ret.next;
    if (ret.next) ret.next.prev = ret.prev;
  };
  const unlift = (call: Node) => {
    const ret = call.match!;
    ret.prev!.next = ret;
    if (ret.next) ret.next.prev = ret;
    call.prev!.next = call;
    if (call.next) call.next.prev = call;
  };
  const words = Math.ceil(ops.length / 32);
  const linearized = new Uint32Array(words);
  const cache = new Set<string>();
  const stack: { call: Node; state: string | null }[] = [];
  let state: string | null = null;
  let entry = head.next;
  for (let steps = 0; head.next !== null; steps++) {
    if (steps > maxSteps) return 'unknown';
    if (entry === null) return 'not-linearizable';
    if (entry.isCall) {
      const result = step(state, ops[entry.op]!);
      let advanced = false;
      if (result.ok) {
        linearized[entry.op >> 5]! |= 1 << (entry.op & 31);
        const key = `${linearized.join(',')}|${result.state}`;
        if (!cache.has(key)) {
          cache.add(key);
          stack.push({ call: entry, state });
          state = result.state;
          lift(entry);
          entry = head.next;
          advanced = true;
        } else {
          linearized[entry.op >> 5]! &= ~(1 << (entry.op & 31));
        }
      }
      if (!advanced) entry = entry.next;
    } else {
      // A return whose call is not linearized yet: back-track.
      const top = stack.pop();
      if (top === undefined) return 'not-linearizable';
      state = top.state;
      linearized[top.call.op >> 5]! &= ~(1 << (top.call.op & 31));
      unlift(top.call);
      entry = top.call.next;
    }
  }
  return 'ok';
}

// Coalescing of a leader's MsgApps within one Ready. The core emits one MsgApp per follower per
// proposal (and an empty one per commit advance), so a Ready built from 256 concurrent proposals
// holds ~256 one-entry MsgApps per follower; each costs encoding, decoding, a step and an ack.
// Merging consecutive ones into one MsgApp per follower gives the follower the same log, the
// leader one ack instead of many, and changes nothing Raft relies on:
// - two MsgApps merge only when the second continues exactly where the first ends (its
//   (index, logTerm) is the first's last entry, or the first's own (index, logTerm) when it has
//   none), in the same term, to the same follower, with nothing else to that follower between
//   them — so the merged message is one the leader could have sent itself;
// - the commit is the larger of the two (a leader's commit never decreases, and a follower
//   clamps it to what it has matched);
// - the leader's flow control is unaffected: an ack for the merged last index frees every
//   in-flight slot at or below it (progress.ts), exactly as the separate acks would.
// Bound: a merged message carries at most `sizeMaxBytes` of entries (estimated as codec.ts does),
// so the core's maxSizePerMsgBytes stays meaningful.

import type { Message, NodeId } from '@cairn/raft';
import { messageSizeBytes } from './codec.js';

/** Returns `messages` with mergeable MsgApps to the same follower merged (order kept otherwise). */
export function coalesceAppends(messages: readonly Message[], sizeMaxBytes = 1 << 20): Message[] {
  const out: Message[] = [];
  /** Per target, the position in `out` of the last message to it. */
  const last = new Map<NodeId, number>();
  for (const m of messages) {
    const at = last.get(m.to);
    const prev = at === undefined ? undefined : out[at]!;
    if (prev !== undefined && m.type === 'MsgApp' && continues(prev, m) && messageSizeBytes(prev) + messageSizeBytes(m) <= sizeMaxBytes) {
      out[at!] = { ...prev, entries: prev.entries.length === 0 ? m.entries : prev.entries.concat(m.entries), commit: Math.max(prev.commit, m.commit) };
      continue;
    }
    last.set(m.to, out.length);
    out.push(m);
  }
  return out;
}

function continues(prev: Message, next: Message): boolean {
  if (prev.type !== 'MsgApp' || prev.from !== next.from || prev.term !== next.term) return false;
  const tail = prev.entries.length === 0 ? undefined : prev.entries[prev.entries.length - 1]!;
  const lastIndex = tail === undefined ? prev.index : tail.index;
  const lastTerm = tail === undefined ? prev.logTerm : tail.term;
  return next.index === lastIndex && next.logTerm === lastTerm;
}

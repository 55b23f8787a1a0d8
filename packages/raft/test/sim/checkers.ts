// Safety checkers for the simulated cluster. Each check compares replicas against each other or
// against facts recorded when they happened, and throws a Violation (never an AssertionFailed,
// which means "the code under test crashed").
//
// Properties (Raft paper Figure 3):
// - Election safety: at most one leader per term.
// - Log matching: if two logs hold an entry with the same index and term, the logs are identical
//   in all entries up through that index.
// - Leader completeness: a leader's log holds every entry committed before its term.
// - State machine safety: no two nodes apply different entries at the same index; each node
//   applies indexes in order without gaps (a snapshot may skip forward).

import type { Entry, NodeId } from '../../src/index.js';

export type ViolationKind = 'correctness' | 'liveness';

export class Violation extends Error {
  constructor(
    readonly kind: ViolationKind,
    message: string,
  ) {
    super(message);
    this.name = 'Violation';
  }
}

export function fingerprint(e: Entry): string {
  let s = `${e.term}|${e.type}|`;
  for (const b of e.data) s += String.fromCharCode(b);
  return s;
}

/** What a checker needs to read of a node's log (persisted or in memory). */
export interface LogView {
  id: NodeId;
  firstIndex: number;
  lastIndex: number;
  term(i: number): number | undefined;
  entry(i: number): Entry | undefined;
}

export class SafetyChecker {
  private readonly leaders = new Map<number, NodeId>();
  /** index → fingerprint of the entry applied there (by anyone): committed entries. */
  readonly applied = new Map<number, string>();
  appliedMax = 0;

  onLeader(term: number, id: NodeId, log: LogView, now: number): void {
    const other = this.leaders.get(term);
    if (other !== undefined && other !== id) {
      throw new Violation('correctness', `election safety: ${other} and ${id} are both leader of term ${term} (t=${now})`);
    }
    this.leaders.set(term, id);
    // Leader completeness, for every entry known committed (applied somewhere) and not compacted.
    for (const [index, fp] of this.applied) {
      if (index < log.firstIndex) continue;
      const e = log.entry(index);
      if (e === undefined || fingerprint(e) !== fp) {
        throw new Violation(
          'correctness',
          `leader completeness: leader ${id} of term ${term} lacks committed entry ${index} (t=${now})`,
        );
      }
    }
  }

  onApply(id: NodeId, e: Entry, now: number): void {
    const fp = fingerprint(e);
    const seen = this.applied.get(e.index);
    if (seen === undefined) {
      this.applied.set(e.index, fp);
      this.appliedMax = Math.max(this.appliedMax, e.index);
    } else if (seen !== fp) {
      throw new Violation(
        'correctness',
        `state machine safety: node ${id} applied ${JSON.stringify(fp)} at ${e.index}, another node ${JSON.stringify(seen)} (t=${now})`,
      );
    }
  }

  /** Log matching across every pair of logs. O(nodes² · log length). */
  checkLogMatching(logs: readonly LogView[], now: number): void {
    for (let a = 0; a < logs.length; a++) {
      for (let b = a + 1; b < logs.length; b++) matchPair(logs[a]!, logs[b]!, now);
    }
  }
}

function sameEntry(a: Entry | undefined, b: Entry | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  // Fast path: the simulator's network shares entry objects between replicas.
  return a === b || fingerprint(a) === fingerprint(b);
}

function matchPair(x: LogView, y: LogView, now: number): void {
  const lo = Math.max(x.firstIndex, y.firstIndex);
  const hi = Math.min(x.lastIndex, y.lastIndex);
  let top = -1;
  for (let i = hi; i >= lo; i--) {
    if (x.term(i) === y.term(i)) {
      top = i;
      break;
    }
  }
  for (let i = top; i >= lo; i--) {
    if (!sameEntry(x.entry(i), y.entry(i))) {
      throw new Violation(
        'correctness',
        `log matching: nodes ${x.id} and ${y.id} agree at index ${top} (term ${x.term(top)}) but differ at ${i} (t=${now})`,
      );
    }
  }
}

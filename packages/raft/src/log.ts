// The Raft log as the core sees it: stable entries in Storage followed by an "unstable" tail
// (entries and possibly a snapshot) that the host has not persisted yet. Also tracks the commit
// and applied indexes.
//
// Invariants:
// - applied ≤ committed ≤ lastIndex(); committed never decreases; entries ≤ committed are never
//   truncated (the log-matching and leader-completeness properties guarantee a leader never asks).
// - The unstable tail starts at `offset`: unstable[k].index === offset + k. If an unstable snapshot
//   is pending, offset === snapshot.index + 1 and nothing from Storage is read until it is persisted.
// - Entries with index ≥ offset are read from the unstable tail, below it from Storage.

import { assert } from '@cairn/errors';
import type { Logger } from './logger.js';
import { Compacted, type Storage, limitSize } from './storage.js';
import type { Entry, Snapshot } from './types.js';

export class RaftLog {
  committed: number;
  applied: number;
  private unstableSnapshot: Snapshot | null = null;
  private unstable: Entry[] = [];
  private offset: number;

  constructor(
    readonly storage: Storage,
    private readonly logger: Logger,
  ) {
    const first = storage.firstIndex();
    const last = storage.lastIndex();
    assert(first <= last + 1, `storage first index ${first} beyond last ${last} + 1`);
    this.offset = last + 1;
    // The snapshot point is applied by construction (the application restored it).
    this.committed = first - 1;
    this.applied = first - 1;
  }

  toString(): string {
    return `committed=${this.committed} applied=${this.applied} unstable.offset=${this.offset} len(unstable)=${this.unstable.length}`;
  }

  firstIndex(): number {
    if (this.unstableSnapshot !== null) return this.unstableSnapshot.meta.index + 1;
    return this.storage.firstIndex();
  }

  lastIndex(): number {
    if (this.unstable.length > 0) return this.offset + this.unstable.length - 1;
    if (this.unstableSnapshot !== null) return this.unstableSnapshot.meta.index;
    return this.storage.lastIndex();
  }

  /** Term of entry i, or undefined when i is compacted away or beyond the last index. */
  term(i: number): number | undefined {
    if (i < this.firstIndex() - 1 || i > this.lastIndex()) return undefined;
    if (this.unstableSnapshot !== null && i === this.unstableSnapshot.meta.index) {
      return this.unstableSnapshot.meta.term;
    }
    if (i >= this.offset) return this.unstable[i - this.offset]!.term;
    if (i === 0) return 0;
    return this.storage.term(i);
  }

  /** Term of entry i, or 0 when it is not available (never matches a real term). */
  termOrZero(i: number): number {
    return this.term(i) ?? 0;
  }

  lastTerm(): number {
    const t = this.term(this.lastIndex());
    assert(t !== undefined, 'the last entry always has a term');
    return t;
  }

  matchTerm(i: number, term: number): boolean {
    const t = this.term(i);
    return t !== undefined && t === term;
  }

  /** §5.4.1: a candidate's log is at least as up-to-date as ours. */
  isUpToDate(lastIndex: number, lastTerm: number): boolean {
    const myTerm = this.lastTerm();
    return lastTerm > myTerm || (lastTerm === myTerm && lastIndex >= this.lastIndex());
  }

  /**
   * Fast back-tracking (§5.3, etcd "findConflictByTerm"): the largest index ≤ `index` whose term
   * is ≤ `term`, with that term. Entries above it cannot match a log whose entry at `index` has
   * `term`, so the leader may skip them all in one round trip. The loop is bounded by the log.
   */
  findConflictByTerm(index: number, term: number): { index: number; term: number } {
    const floor = this.firstIndex() - 1;
    for (let i = Math.min(index, this.lastIndex()); i >= floor; i--) {
      const t = this.term(i);
      if (t === undefined) return { index: i, term: 0 };
      if (t <= term) return { index: i, term: t };
    }
    return { index: floor, term: 0 };
  }

  /**
   * Handles the entries of a MsgApp whose previous entry is (index, logTerm). Returns undefined
   * when the log does not contain that entry (the leader must back up); else the index of the
   * last entry known to match the leader, and the first index that was overwritten (0 if none).
   */
  maybeAppend(
    index: number,
    logTerm: number,
    commit: number,
    ents: readonly Entry[],
  ): { lastNewIndex: number; conflictIndex: number } | undefined {
    if (!this.matchTerm(index, logTerm)) return undefined;
    const lastNewIndex = index + ents.length;
    const conflictIndex = this.findConflict(ents);
    if (conflictIndex !== 0) {
      assert(conflictIndex > this.committed, `entry ${conflictIndex} conflicts with committed ${this.committed}`);
      this.append(ents.slice(conflictIndex - index - 1));
    }
    // Only entries known to match the leader's log may be committed (§5.3): min with lastNewIndex.
    this.commitTo(Math.min(commit, lastNewIndex));
    return { lastNewIndex, conflictIndex };
  }

  /** First entry of `ents` that is not already in the log with the same term, or 0. */
  private findConflict(ents: readonly Entry[]): number {
    for (const e of ents) {
      if (!this.matchTerm(e.index, e.term)) {
        if (e.index <= this.lastIndex()) {
          this.logger.info(
            `found conflict at index ${e.index} [existing term: ${this.termOrZero(e.index)}, conflicting term: ${e.term}]`,
          );
        }
        return e.index;
      }
    }
    return 0;
  }

  /** Appends entries to the unstable tail, truncating any suffix they overwrite. */
  append(ents: readonly Entry[]): number {
    if (ents.length === 0) return this.lastIndex();
    const after = ents[0]!.index - 1;
    assert(after >= this.committed, `append after ${after} would overwrite committed ${this.committed}`);
    assert(after <= this.lastIndex(), `append after ${after} leaves a gap after ${this.lastIndex()}`);
    for (let k = 1; k < ents.length; k++) {
      assert(ents[k]!.index === ents[k - 1]!.index + 1, 'appended entries are not contiguous');
      assert(ents[k]!.term >= ents[k - 1]!.term, 'appended entries have decreasing terms');
    }
    assert(ents[0]!.term >= this.termOrZero(after), 'appended entry term below its predecessor');
    if (after + 1 === this.offset + this.unstable.length) {
      for (const e of ents) this.unstable.push(e);
    } else if (after + 1 <= this.offset) {
      // Replacing the whole unstable tail (and possibly stable entries, which the host overwrites).
      this.logger.info(`replace the unstable entries from index ${after + 1}`);
      this.offset = after + 1;
      this.unstable = [...ents];
    } else {
      this.logger.info(`truncate the unstable entries before index ${after + 1}`);
      this.unstable = this.unstable.slice(0, after + 1 - this.offset).concat(ents);
    }
    return this.lastIndex();
  }

  /** Entries in [lo, lastIndex()], at most maxSizeBytes (but at least one), or Compacted. */
  entriesFrom(lo: number, maxSizeBytes: number): Entry[] | typeof Compacted {
    if (lo > this.lastIndex()) return [];
    return this.slice(lo, this.lastIndex() + 1, maxSizeBytes);
  }

  /** Entries in [lo, hi), size-limited, read from Storage below the unstable offset. */
  slice(lo: number, hi: number, maxSizeBytes: number): Entry[] | typeof Compacted {
    assert(lo <= hi, `slice(${lo}, ${hi}) inverted`);
    if (lo < this.firstIndex()) return Compacted;
    assert(hi <= this.lastIndex() + 1, `slice(${lo}, ${hi}) beyond last ${this.lastIndex()}`);
    if (lo === hi) return [];
    let out: Entry[] = [];
    if (lo < this.offset) {
      const stored = this.storage.entries(lo, Math.min(hi, this.offset), maxSizeBytes);
      if (stored === Compacted) return Compacted;
      // A short read means the size limit was hit: do not add unstable entries after a gap.
      if (stored.length < Math.min(hi, this.offset) - lo) return stored;
      out = stored;
    }
    if (hi > this.offset) {
      const from = Math.max(lo, this.offset) - this.offset;
      const tail = this.unstable.slice(from, hi - this.offset);
      out = out.length === 0 ? tail : out.concat(tail);
    }
    return limitSize(out, maxSizeBytes);
  }

  unstableEntries(): readonly Entry[] {
    return this.unstable;
  }

  pendingSnapshot(): Snapshot | null {
    return this.unstableSnapshot;
  }

  /** The snapshot to send a lagging follower: the pending one if any, else Storage's. */
  snapshot(): ReturnType<Storage['snapshot']> {
    return this.unstableSnapshot ?? this.storage.snapshot();
  }

  /** Committed entries not yet applied, size-limited (but at least one when any exist). */
  nextCommittedEntries(maxSizeBytes: number): Entry[] {
    const lo = Math.max(this.applied + 1, this.firstIndex());
    if (lo > this.committed) return [];
    const ents = this.slice(lo, this.committed + 1, maxSizeBytes);
    assert(ents !== Compacted, `committed entries from ${lo} were compacted before being applied`);
    return ents;
  }

  hasNextCommittedEntries(): boolean {
    return Math.max(this.applied + 1, this.firstIndex()) <= this.committed;
  }

  commitTo(i: number): void {
    if (i <= this.committed) return;
    assert(i <= this.lastIndex(), `commit ${i} is out of range [last index ${this.lastIndex()}]`);
    this.committed = i;
  }

  /** Commits up to `maxIndex` if that entry is from `term` (§5.4.2: count only current-term entries). */
  maybeCommit(maxIndex: number, term: number): boolean {
    if (maxIndex > this.committed && this.termOrZero(maxIndex) === term) {
      this.commitTo(maxIndex);
      return true;
    }
    return false;
  }

  appliedTo(i: number): void {
    if (i === 0) return;
    assert(i <= this.committed, `applied ${i} beyond committed ${this.committed}`);
    assert(i >= this.applied, `applied went back from ${this.applied} to ${i}`);
    this.applied = i;
  }

  /** The host persisted entries up to (i, t). A later truncation may have replaced them: then no-op. */
  stableTo(i: number, t: number): void {
    if (i < this.offset) return;
    const k = i - this.offset;
    if (k >= this.unstable.length || this.unstable[k]!.term !== t) return;
    // The Ready contract: entries are in Storage before advance() (paired with Ready's checks).
    assert(this.storage.term(i) === t, `entry ${i} (term ${t}) was not persisted to Storage before advance()`);
    this.unstable = this.unstable.slice(k + 1);
    this.offset = i + 1;
  }

  stableSnapTo(i: number): void {
    if (this.unstableSnapshot === null || this.unstableSnapshot.meta.index !== i) return;
    assert(this.storage.firstIndex() > i, `snapshot ${i} was not persisted to Storage before advance()`);
    this.unstableSnapshot = null;
  }

  /** Replaces the log with a snapshot received from the leader; it is committed by definition. */
  restore(snap: Snapshot): void {
    this.logger.info(`log [${this.toString()}] starts to restore snapshot [index: ${snap.meta.index}, term: ${snap.meta.term}]`);
    assert(snap.meta.index > this.committed, 'restoring a snapshot that is not ahead of the commit index');
    this.committed = snap.meta.index;
    this.unstableSnapshot = snap;
    this.unstable = [];
    this.offset = snap.meta.index + 1;
  }
}

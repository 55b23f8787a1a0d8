// The read interface through which the core sees stable storage (etcd storage.go shape), and
// MemoryStorage, an in-memory implementation for tests and the cache that disk-backed adapters
// (level-storage.ts) keep in front of their database.
//
// The core only *reads* storage. The host writes it while handling a Ready: snapshot, entries and
// hard state are persisted before the Ready's messages are sent (thesis §3.8), then advance().
//
// Invariants of MemoryStorage:
// - `ents[0]` is a dummy entry holding the index and term of the last compacted entry (the
//   snapshot point); real entries follow contiguously: ents[k].index === ents[0].index + k.
// - Terms never decrease along the log.
// - Appending entries that overlap the log truncates the conflicting suffix first (the suffix was
//   never committed, or the leader would not overwrite it).

import { assert } from '@cairn/errors';
import {
  type ConfState,
  type Entry,
  type HardState,
  type Snapshot,
  emptyHardState,
  emptySnapshotMeta,
  entrySizeBytes,
} from './types.js';

export interface InitialState {
  hardState: HardState;
  /** The membership recorded in the latest snapshot (conf entries after it are replayed by the core). */
  confState: ConfState;
}

/** Returned instead of data that was compacted away (the caller should send a snapshot). */
export const Compacted = 'compacted' as const;
/** Returned by snapshot() while the application is still producing one (try again later). */
export const SnapshotUnavailable = 'snapshot-unavailable' as const;

export interface Storage {
  initialState(): InitialState;
  /**
   * Entries in [lo, hi), at most `maxSizeBytes` in total but always at least one when the range
   * is non-empty. `Compacted` when lo is at or below the snapshot point.
   */
  entries(lo: number, hi: number, maxSizeBytes: number): Entry[] | typeof Compacted;
  /** Term of entry i for i in [firstIndex()-1, lastIndex()], else undefined. */
  term(i: number): number | undefined;
  /** Index of the first entry that may be read (snapshot index + 1). */
  firstIndex(): number;
  lastIndex(): number;
  snapshot(): Snapshot | typeof SnapshotUnavailable;
}

/** Takes entries from the front of `ents` while their total size stays within `maxSizeBytes`. */
export function limitSize(ents: Entry[], maxSizeBytes: number): Entry[] {
  if (ents.length === 0) return ents;
  let size = entrySizeBytes(ents[0]!);
  let count = 1;
  for (; count < ents.length; count++) {
    size += entrySizeBytes(ents[count]!);
    if (size > maxSizeBytes) break;
  }
  return count === ents.length ? ents : ents.slice(0, count);
}

export class MemoryStorage implements Storage {
  private hardState: HardState = emptyHardState;
  private snap: Snapshot = { meta: emptySnapshotMeta, data: new Uint8Array(0) };
  private ents: Entry[] = [dummy(0, 0)];

  initialState(): InitialState {
    return { hardState: { ...this.hardState }, confState: this.snap.meta.confState };
  }

  setHardState(hs: HardState): void {
    assert(hs.term >= this.hardState.term, `hard state term went back from ${this.hardState.term} to ${hs.term}`);
    this.hardState = { ...hs };
  }

  entries(lo: number, hi: number, maxSizeBytes: number): Entry[] | typeof Compacted {
    const offset = this.ents[0]!.index;
    if (lo <= offset) return Compacted;
    assert(hi <= this.lastIndex() + 1, `entries(${lo}, ${hi}) beyond last index ${this.lastIndex()}`);
    assert(lo <= hi, `entries(${lo}, ${hi}) inverted`);
    return limitSize(this.ents.slice(lo - offset, hi - offset), maxSizeBytes);
  }

  term(i: number): number | undefined {
    const offset = this.ents[0]!.index;
    if (i < offset || i > this.lastIndex()) return undefined;
    return this.ents[i - offset]!.term;
  }

  firstIndex(): number {
    return this.ents[0]!.index + 1;
  }

  lastIndex(): number {
    return this.ents[0]!.index + this.ents.length - 1;
  }

  snapshot(): Snapshot {
    return this.snap;
  }

  /** Replaces the whole log with a snapshot received from a leader. Older snapshots are refused. */
  applySnapshot(snap: Snapshot): void {
    assert(snap.meta.index >= this.snap.meta.index, `snapshot ${snap.meta.index} older than ${this.snap.meta.index}`);
    this.snap = snap;
    this.ents = [dummy(snap.meta.index, snap.meta.term)];
  }

  /**
   * Records a snapshot the application took of its state at applied index `i` (which must be in
   * the log). Does not compact; call compact() to drop the entries it covers.
   */
  createSnapshot(i: number, confState: ConfState, data: Uint8Array): Snapshot {
    assert(i > this.snap.meta.index, `snapshot at ${i} is not newer than ${this.snap.meta.index}`);
    assert(i <= this.lastIndex(), `snapshot at ${i} beyond last index ${this.lastIndex()}`);
    const term = this.term(i);
    assert(term !== undefined, `no term for snapshot index ${i}`);
    this.snap = { meta: { index: i, term, confState }, data };
    return this.snap;
  }

  /** Discards entries up to and including `compactIndex`; they must be covered by a snapshot. */
  compact(compactIndex: number): void {
    const offset = this.ents[0]!.index;
    if (compactIndex <= offset) return;
    assert(compactIndex <= this.lastIndex(), `compact ${compactIndex} beyond last index ${this.lastIndex()}`);
    assert(compactIndex <= this.snap.meta.index, `compact ${compactIndex} beyond snapshot ${this.snap.meta.index}`);
    const kept = this.ents.slice(compactIndex - offset);
    kept[0] = dummy(compactIndex, kept[0]!.term);
    this.ents = kept;
  }

  /**
   * Rebuilds the log kept below and above the snapshot after a restart: `point` is the last
   * compacted entry (at or below the snapshot index) and `tail` the entries after it. Used by
   * disk-backed storages that keep a tail of entries behind their snapshot.
   */
  restoreTail(point: { index: number; term: number }, tail: readonly Entry[]): void {
    assert(point.index <= this.snap.meta.index, `compaction point ${point.index} beyond snapshot ${this.snap.meta.index}`);
    assert(tail.length === 0 || tail[0]!.index === point.index + 1, 'tail does not start after the compaction point');
    this.ents = [dummy(point.index, point.term), ...tail];
    assert(this.lastIndex() >= this.snap.meta.index, 'tail ends before the snapshot');
  }

  /** Appends entries, truncating any suffix they overlap. Entries must be contiguous. */
  append(entries: readonly Entry[]): void {
    if (entries.length === 0) return;
    for (let k = 1; k < entries.length; k++) {
      assert(entries[k]!.index === entries[k - 1]!.index + 1, 'appended entries are not contiguous');
    }
    const offset = this.ents[0]!.index;
    const first = entries[0]!.index;
    // Entries at or below the snapshot point are already covered by it; skip them.
    const skip = Math.max(0, offset + 1 - first);
    if (skip >= entries.length) return;
    const start = first + skip;
    assert(start <= this.lastIndex() + 1, `append at ${start} leaves a gap after ${this.lastIndex()}`);
    this.ents.length = start - offset;
    for (let k = skip; k < entries.length; k++) this.ents.push(entries[k]!);
  }
}

function dummy(index: number, term: number): Entry {
  return { index, term, type: 'normal', data: new Uint8Array(0) };
}

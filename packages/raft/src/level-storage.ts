// Durable Raft storage on LevelDB (classic-level), exported as '@cairn/raft/level'. It keeps a
// MemoryStorage in front of the database (the core reads synchronously; etcd does the same with
// its WAL) and writes each Ready's snapshot, entries and hard state as ONE synced batch, so a
// crash (kill -9, power loss) leaves either all of a Ready or none of it on disk.
//
// Key schema (all keys are ASCII, values are bytes):
//   h                  hard state: JSON {term, vote, commit}
//   s                  snapshot metadata: JSON {index, term, confState}
//   d                  snapshot data (opaque application bytes)
//   c                  compaction point: JSON {index, term} of the last discarded entry
//   e<16 hex digits>   the entry at that index: [type u8][term f64 BE][data…]
// Entry keys sort by index because the index is fixed-width hex.
//
// Invariants:
// - On disk, entries are contiguous from (c.index + 1) to the last key, terms non-decreasing.
// - A batch that truncates the log deletes every stale key after the new last entry.
// - The memory cache is updated only after the batch is durable, so what the core reads is
//   always what a restart would read.

import { assert } from '@cairn/errors';
import { ClassicLevel } from 'classic-level';
import { Compacted, type InitialState, MemoryStorage, type Storage } from './storage.js';
import {
  type ConfState,
  type Entry,
  type EntryType,
  type HardState,
  type Snapshot,
  type SnapshotMeta,
  emptyHardState,
} from './types.js';

type Db = ClassicLevel<string, Uint8Array>;
type BatchOp = { type: 'put'; key: string; value: Uint8Array } | { type: 'del'; key: string };

const utf8 = new TextEncoder();
const utf8d = new TextDecoder();

function entryKey(index: number): string {
  assert(Number.isSafeInteger(index) && index > 0, `bad entry index ${index}`);
  return `e${index.toString(16).padStart(16, '0')}`;
}

function encodeEntry(e: Entry): Uint8Array {
  const out = new Uint8Array(9 + e.data.byteLength);
  const view = new DataView(out.buffer);
  view.setUint8(0, e.type === 'normal' ? 0 : 1);
  view.setFloat64(1, e.term);
  out.set(e.data, 9);
  return out;
}

function decodeEntry(index: number, bytes: Uint8Array): Entry {
  assert(bytes.byteLength >= 9, `entry ${index} is truncated (${bytes.byteLength} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const code = view.getUint8(0);
  assert(code === 0 || code === 1, `entry ${index} has unknown type ${code}`);
  const term = view.getFloat64(1);
  assert(Number.isSafeInteger(term) && term >= 0, `entry ${index} has bad term ${term}`);
  const type: EntryType = code === 0 ? 'normal' : 'conf-change';
  return { index, term, type, data: bytes.slice(9) };
}

function json(value: unknown): Uint8Array {
  return utf8.encode(JSON.stringify(value));
}

function parse<T>(bytes: Uint8Array | undefined): T | undefined {
  return bytes === undefined ? undefined : (JSON.parse(utf8d.decode(bytes)) as T);
}

/** What a Ready asks to persist (a subset of Ready, so hosts can also persist bootstrap state). */
export interface PersistRequest {
  hardState: HardState | null;
  entries: readonly Entry[];
  snapshot: Snapshot | null;
}

export class LevelStorage implements Storage {
  private constructor(
    private readonly db: Db,
    private readonly cache: MemoryStorage,
  ) {}

  /** Opens (or creates) the database at `path` and loads it into the memory cache. */
  static async open(path: string): Promise<LevelStorage> {
    const db: Db = new ClassicLevel<string, Uint8Array>(path, { keyEncoding: 'utf8', valueEncoding: 'view' });
    await db.open();
    const cache = new MemoryStorage();
    const snapMeta = parse<SnapshotMeta>(await db.get('s'));
    if (snapMeta !== undefined) {
      const data = (await db.get('d')) ?? new Uint8Array(0);
      cache.applySnapshot({ meta: snapMeta, data });
    }
    const compactedTo = parse<{ index: number; term: number }>(await db.get('c'));
    const entries: Entry[] = [];
    // Bounded by the number of stored entries; each is checked for contiguity.
    for await (const [key, value] of db.iterator({ gt: 'e', lt: 'f' })) {
      const index = Number.parseInt(key.slice(1), 16);
      const e = decodeEntry(index, value);
      if (entries.length > 0) {
        assert(index === entries[entries.length - 1]!.index + 1, `stored log has a gap before ${index}`);
        assert(e.term >= entries[entries.length - 1]!.term, `stored log term decreases at ${index}`);
      }
      entries.push(e);
    }
    if (entries.length > 0) {
      const first = entries[0]!.index;
      const floor = Math.max(snapMeta?.index ?? 0, compactedTo?.index ?? 0);
      assert(first <= floor + 1, `stored log starts at ${first} but the snapshot/compaction point is ${floor}`);
      // Entries at or below the snapshot are covered by it; the cache's append skips them. When
      // the compaction point is below the snapshot, keep the tail between them readable.
      if (compactedTo !== undefined && snapMeta !== undefined && compactedTo.index < snapMeta.index) {
        const tail = entries.filter((e) => e.index > compactedTo.index);
        cache.restoreTail(compactedTo, tail);
      } else {
        cache.append(entries);
      }
    }
    const hs = parse<HardState>(await db.get('h'));
    if (hs !== undefined) cache.setHardState(hs);
    return new LevelStorage(db, cache);
  }

  async close(): Promise<void> {
    await this.db.close();
  }

  initialState(): InitialState {
    return this.cache.initialState();
  }
  entries(lo: number, hi: number, maxSizeBytes: number): Entry[] | typeof Compacted {
    return this.cache.entries(lo, hi, maxSizeBytes);
  }
  term(i: number): number | undefined {
    return this.cache.term(i);
  }
  firstIndex(): number {
    return this.cache.firstIndex();
  }
  lastIndex(): number {
    return this.cache.lastIndex();
  }
  snapshot(): Snapshot {
    return this.cache.snapshot();
  }

  /**
   * Persists a Ready's snapshot, entries and hard state in one batch written with `sync: true`,
   * then updates the cache. Call before sending the Ready's messages (thesis §3.8).
   */
  async save(rd: PersistRequest): Promise<void> {
    const ops: BatchOp[] = [];
    let last = this.cache.lastIndex();
    const first = this.cache.firstIndex();
    if (rd.snapshot !== null) {
      // A snapshot from the leader replaces the whole log.
      for (let i = first; i <= last; i++) ops.push({ type: 'del', key: entryKey(i) });
      ops.push({ type: 'put', key: 's', value: json(rd.snapshot.meta) });
      ops.push({ type: 'put', key: 'd', value: rd.snapshot.data });
      ops.push({ type: 'put', key: 'c', value: json({ index: rd.snapshot.meta.index, term: rd.snapshot.meta.term }) });
      last = rd.snapshot.meta.index;
    }
    if (rd.entries.length > 0) {
      const newLast = rd.entries[rd.entries.length - 1]!.index;
      const floor = rd.snapshot?.meta.index ?? first - 1;
      for (const e of rd.entries) if (e.index > floor) ops.push({ type: 'put', key: entryKey(e.index), value: encodeEntry(e) });
      // Truncation: stale entries after the new last one must go in the same batch.
      for (let i = newLast + 1; i <= last; i++) ops.push({ type: 'del', key: entryKey(i) });
    }
    if (rd.hardState !== null) ops.push({ type: 'put', key: 'h', value: json(rd.hardState) });
    if (ops.length === 0) return;
    await this.db.batch(ops, { sync: true });
    if (rd.snapshot !== null) this.cache.applySnapshot(rd.snapshot);
    this.cache.append(rd.entries);
    if (rd.hardState !== null) this.cache.setHardState(rd.hardState);
  }

  /**
   * Records a snapshot the application took at applied index `index` and discards entries up to
   * `compactIndex` (≤ index; keeping a tail lets slow followers catch up without a snapshot).
   */
  async createSnapshot(index: number, confState: ConfState, data: Uint8Array, compactIndex = index): Promise<void> {
    assert(compactIndex <= index, `compact index ${compactIndex} beyond snapshot ${index}`);
    const term = this.cache.term(index);
    assert(term !== undefined, `no entry at snapshot index ${index}`);
    const compactTerm = this.cache.term(compactIndex);
    assert(compactTerm !== undefined, `no entry at compact index ${compactIndex}`);
    const meta: SnapshotMeta = { index, term, confState };
    const ops: BatchOp[] = [
      { type: 'put', key: 's', value: json(meta) },
      { type: 'put', key: 'd', value: data },
      { type: 'put', key: 'c', value: json({ index: compactIndex, term: compactTerm }) },
    ];
    for (let i = this.cache.firstIndex(); i <= compactIndex; i++) ops.push({ type: 'del', key: entryKey(i) });
    await this.db.batch(ops, { sync: true });
    this.cache.createSnapshot(index, confState, data);
    this.cache.compact(compactIndex);
  }

  /** The hard state as persisted. */
  hardState(): HardState {
    return this.cache.initialState().hardState ?? emptyHardState;
  }
}

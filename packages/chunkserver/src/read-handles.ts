// A bounded cache of open read handles for recently read slice files, so that a stream of reads
// of one slice (a client reading a file window by window, or several readers at once) does not
// open and close the file for every call.
//
// Invariants:
// - At most `handlesMax` handles are cached; an evicted handle is closed once its last reader
//   releases it, never under a reader.
// - `forget(key)` (on delete, and on install) drops the cached handle, so a later read opens the
//   file now at that path: a handle never outlives the slice it was opened for in the cache.
// - Failed opens are not cached.
import type { FileHandle } from 'node:fs/promises';
import { assert } from '@cairn/errors';

interface Entry {
  handle: Promise<FileHandle>;
  readers: number;
  evicted: boolean;
}

export interface Lease {
  fh: FileHandle;
  release(): void;
}

export class ReadHandles<K> {
  /** Insertion order is recency order: a hit re-inserts. */
  private readonly entries = new Map<K, Entry>();

  constructor(
    private readonly handlesMax: number,
    private readonly openFile: (key: K) => Promise<FileHandle>,
  ) {
    assert(Number.isSafeInteger(handlesMax) && handlesMax > 0, 'at least one cached handle');
  }

  get size(): number {
    return this.entries.size;
  }

  async acquire(key: K): Promise<Lease> {
    let e = this.entries.get(key);
    if (e) {
      this.entries.delete(key);
      this.entries.set(key, e);
    } else {
      e = { handle: this.openFile(key), readers: 0, evicted: false };
      this.entries.set(key, e);
      while (this.entries.size > this.handlesMax) {
        const [oldest] = this.entries.keys();
        this.evict(oldest as K);
      }
    }
    const entry = e;
    entry.readers++;
    let fh: FileHandle;
    try {
      fh = await entry.handle;
    } catch (err) {
      entry.readers--;
      if (this.entries.get(key) === entry) this.entries.delete(key);
      throw err;
    }
    let released = false;
    return {
      fh,
      release: () => {
        assert(!released, 'a lease is released once');
        released = true;
        entry.readers--;
        if (entry.evicted && entry.readers === 0) void fh.close().catch(() => {});
      },
    };
  }

  forget(key: K): void {
    if (this.entries.has(key)) this.evict(key);
  }

  private evict(key: K): void {
    const e = this.entries.get(key);
    assert(e, 'evicting a cached entry');
    this.entries.delete(key);
    e.evicted = true;
    if (e.readers === 0) void e.handle.then((fh) => fh.close()).catch(() => {});
  }

  /** Closes every handle not in use; handles in use close when released. */
  clear(): void {
    for (const key of [...this.entries.keys()]) this.evict(key);
  }
}

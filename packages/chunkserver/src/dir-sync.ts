// Group commit of directory fsyncs. A slice becomes durable under its final name only once its
// directory is fsynced after the rename (DESIGN.md write path); concurrent writes share those
// fsyncs instead of each opening, syncing and closing the directory itself.
//
// Invariants:
// - `sync(dir)` resolves only after an fsync of `dir` that *started* after `sync` was called, so
//   a rename that completed before the call is covered. Requests that arrive while a round runs
//   wait for the next round (never for the one in progress), as in a log's group commit.
// - One round at a time; a round fsyncs each distinct directory once, in parallel.
// - Directory handles are cached, one per directory, bounded by the store's fan-out (256 + root).
import { open, type FileHandle } from 'node:fs/promises';
import { Errno, FsError, assert } from '@cairn/errors';

interface Waiter {
  resolve(): void;
  reject(err: unknown): void;
}

export class DirSync {
  private readonly handles = new Map<string, Promise<FileHandle>>();
  private pending = new Map<string, Waiter[]>();
  private running: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly handlesMax: number) {
    assert(Number.isSafeInteger(handlesMax) && handlesMax > 0, 'at least one cached directory handle');
  }

  /** Resolves once `dir` has been fsynced by a round that began after this call. */
  sync(dir: string): Promise<void> {
    if (this.closed) return Promise.reject(new FsError(Errno.EIO, 'slice store is closed'));
    return new Promise((resolve, reject) => {
      let list = this.pending.get(dir);
      if (!list) this.pending.set(dir, (list = []));
      list.push({ resolve, reject });
      this.running ??= this.run();
    });
  }

  private async run(): Promise<void> {
    try {
      while (this.pending.size > 0) {
        const round = this.pending;
        this.pending = new Map();
        await Promise.all(
          [...round].map(async ([dir, waiters]) => {
            try {
              await (await this.handle(dir)).sync();
              for (const w of waiters) w.resolve();
            } catch (err) {
              this.drop(dir);
              for (const w of waiters) w.reject(err);
            }
          }),
        );
      }
    } finally {
      this.running = undefined;
    }
  }

  private handle(dir: string): Promise<FileHandle> {
    let h = this.handles.get(dir);
    if (!h) {
      if (this.handles.size >= this.handlesMax) {
        // Over the bound (a store with more directories than expected): close the oldest.
        const [oldest] = this.handles.keys();
        this.drop(oldest as string);
      }
      h = open(dir, 'r');
      h.catch(() => this.handles.delete(dir));
      this.handles.set(dir, h);
    }
    return h;
  }

  private drop(dir: string): void {
    const h = this.handles.get(dir);
    this.handles.delete(dir);
    // A round in flight may still use it; the close waits for nothing else.
    void h?.then((fh) => fh.close()).catch(() => {});
  }

  /** Lets the rounds in flight finish, then closes every cached handle; later syncs fail. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.running) await this.running;
    const all = [...this.handles.values()];
    this.handles.clear();
    await Promise.all(all.map((h) => h.then((fh) => fh.close()).catch(() => {})));
  }
}

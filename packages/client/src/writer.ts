// The file writer: one per open inode. Writes land in the open slice's pooled blocks (see
// write-plan.ts for where each byte goes); a sealed slice uploads at once, to `goal` chunkservers
// through their pipeline, while writing continues. Data before metadata: a slice is committed only
// once stored, and slices are committed in the order they were written (consecutive stored ones in
// one CommitSlices), so a later commit always covers an earlier one as the writes did.
//
// Bounds: the blocks a file holds (open + sealed, uncommitted slices) are at most
// `fileInflightBytesMax` plus one write; past it `write()` waits for commits (backpressure: the
// FUSE callback completes late and holds the writing process back). The client-wide bound is the
// block pool. An upload or commit failure is sticky: every later write/flush/release throws it.
import { performance } from 'node:perf_hooks';
import { Errno, FsError, assert, toErrno } from '@cairn/errors';
import type { Ino, SliceId } from '@cairn/meta';
import type { Attr } from './attr.js';
import { copyFromBlocks, copyToBlocks } from './blocks.js';
import type { BlockPool } from './block-pool.js';
import type { ChunkServers, ServerRef } from './chunk-servers.js';
import type { Logger } from './logger.js';
import type { DirtyExtent } from './overlay.js';
import type { SliceAllocator } from './slice-allocator.js';
import { planWrite, blocksNeeded } from './write-plan.js';

export interface SliceCommit {
  chunkIndex: number;
  slice: { sliceId: SliceId; offset: number; length: number; sliceOffset: number; sliceSize: number };
  storedOn: number[];
}

export interface WriterLimits {
  chunkBytes: number;
  sliceBytesMax: number;
  fileInflightBytesMax: number;
  /** Attempts per slice upload, each on freshly placed servers with a fresh slice id. */
  uploadAttempts: number;
  /**
   * Past `uploadAttempts`, attempts go on while this much time has not passed since the first:
   * chunkservers fence themselves (EROFS) while no master leads, e.g. for a second or two of
   * failover, and a write must ride that out rather than fail.
   */
  uploadRetryBudgetMs: number;
  uploadBackoffMs: number;
  /** Files without slices whose data fits in this many bytes are written inline (metadata). */
  inlineBytesMax: number;
}

export interface WriterContext {
  pool: BlockPool;
  allocator: SliceAllocator;
  servers: ChunkServers;
  limits: WriterLimits;
  logger: Logger;
  /** CommitSlices through the master; resolves with the file's new attributes. */
  commit(ino: Ino, slices: SliceCommit[], sizeBytes: number, mtimeMs: number): Promise<Attr>;
  /** Told after each commit so that attribute and chunk-map caches follow. */
  committed(ino: Ino, attr: Attr, chunkIndexes: number[]): void;
  /** WriteInline through the master (EFBIG once the file has slices). */
  writeInline(ino: Ino, offset: number, data: Buffer, mtimeMs: number): Promise<Attr>;
  /** Whether the file, as last seen, has no slices (so its data may go inline). */
  isInline(ino: Ino): boolean;
}

type SliceState = 'open' | 'inlining' | 'uploading' | 'stored' | 'committing' | 'done';

class DirtySlice implements DirtyExtent {
  state: SliceState = 'open';
  length = 0;
  readonly blocks: Buffer[] = [];
  sliceId = 0 as SliceId;
  storedOn: number[] = [];
  mtimeMs = 0;

  constructor(
    readonly chunkIndex: number,
    readonly chunkOffset: number,
    private readonly chunkBytes: number,
    private readonly blockBytes: number,
  ) {}

  get fileOffset(): number {
    return this.chunkIndex * this.chunkBytes + this.chunkOffset;
  }

  copyOut(from: number, target: Buffer, targetOffset: number, n: number): void {
    copyFromBlocks(this.blocks, this.blockBytes, from, target, targetOffset, n);
  }
}

export class FileWriter {
  private open: DirtySlice | null = null;
  /** Sealed slices not yet committed, in write order. */
  private readonly queue: DirtySlice[] = [];
  private error: FsError | null = null;
  private committing = false;
  private lock: Promise<unknown> = Promise.resolve();
  private waiters: (() => void)[] = [];
  private heldBlocks = 0;
  private lastWriteMs = 0;

  constructor(
    private readonly ctx: WriterContext,
    readonly ino: Ino,
    private goal: number,
  ) {}

  setGoal(goal: number): void {
    if (goal > 0) this.goal = goal;
  }

  /** True when bytes are buffered or in flight. */
  get dirty(): boolean {
    return this.open !== null || this.queue.length > 0;
  }

  /** The furthest end of buffered (uncommitted) data, or 0. */
  get dirtyEnd(): number {
    let end = 0;
    for (const s of this.extents()) end = Math.max(end, s.fileOffset + s.length);
    return end;
  }

  /** Blocks held by sealed slices (uploading or committing): they come back on their own. */
  get sealedBlocks(): number {
    let n = 0;
    for (const q of this.queue) n += q.blocks.length;
    return n;
  }

  get lastWriteAtMs(): number {
    return this.lastWriteMs;
  }

  /** Oldest first: the sealed slices, then the open one. */
  *extents(): Iterable<DirtyExtent> {
    for (const s of this.queue) yield s;
    if (this.open) yield this.open;
  }

  write(position: number, data: Buffer): Promise<void> {
    const run = this.lock.then(() => this.writeLocked(position, data));
    this.lock = run.catch(() => {});
    return run;
  }

  private async writeLocked(position: number, data: Buffer): Promise<void> {
    const { pool } = this.ctx;
    const blockBytes = pool.blockBytes;
    // Pieces of at most one block: each needs at most two new blocks, and is copied synchronously
    // once its blocks are held, so nothing else sees a half-applied plan.
    for (let done = 0; done < data.length; ) {
      this.throwIfFailed();
      while (this.heldBlocks * blockBytes >= this.ctx.limits.fileInflightBytesMax) {
        this.sealOpen();
        await this.progress();
        this.throwIfFailed();
      }
      const n = Math.min(blockBytes - ((position + done) % blockBytes), data.length - done);
      let steps = planWrite(this.shape(), position + done, n, this.ctx.limits);
      let blocks = pool.tryAcquire(blocksNeeded(this.shape(), this.open?.blocks.length ?? 0, steps, blockBytes));
      while (!blocks) {
        // The pool is exhausted: the client either waits for sealed slices to return blocks or
        // has every writer (this one too) seal its open slice so that uploads start; then plan
        // again, since our open slice may be gone.
        pool.onPressure();
        await pool.released();
        this.throwIfFailed();
        steps = planWrite(this.shape(), position + done, n, this.ctx.limits);
        blocks = pool.tryAcquire(blocksNeeded(this.shape(), this.open?.blocks.length ?? 0, steps, blockBytes));
      }
      // One clock reading for the slice's mtime and for what stat shows meanwhile, so that the
      // commit can never move mtime back from what the writer already reported.
      const at = Date.now();
      this.apply(steps, blocks, data, done, at);
      this.lastWriteMs = at;
      done += n;
    }
  }

  private shape(): { chunkIndex: number; chunkOffset: number; length: number } | null {
    return this.open ? { chunkIndex: this.open.chunkIndex, chunkOffset: this.open.chunkOffset, length: this.open.length } : null;
  }

  private apply(steps: ReturnType<typeof planWrite>, blocks: Buffer[], data: Buffer, sourceBase: number, now: number): void {
    const blockBytes = this.ctx.pool.blockBytes;
    for (const step of steps) {
      switch (step.kind) {
        case 'seal':
          this.sealOpen();
          break;
        case 'start':
          assert(this.open === null, 'writer: start with a slice open');
          this.open = new DirtySlice(step.chunkIndex, step.chunkOffset, this.ctx.limits.chunkBytes, blockBytes);
          break;
        case 'copy': {
          const open = this.open;
          assert(open !== null, 'writer: copy without an open slice');
          const end = step.sliceOffset + step.length;
          while (open.blocks.length * blockBytes < end) {
            const b = blocks.pop();
            assert(b !== undefined, 'writer: plan needed more blocks than counted');
            open.blocks.push(b);
            this.heldBlocks++;
          }
          copyToBlocks(open.blocks, blockBytes, step.sliceOffset, data, sourceBase + step.sourceOffset, step.length);
          open.length = Math.max(open.length, end);
          open.mtimeMs = now;
          break;
        }
      }
    }
    assert(blocks.length === 0, 'writer: plan needed fewer blocks than counted');
  }

  /** Seals the open slice, if any, and starts its upload. */
  sealOpen(): void {
    const s = this.open;
    if (!s) return;
    this.open = null;
    if (s.length === 0) {
      this.releaseBlocks(s);
      return;
    }
    s.state = 'uploading';
    this.queue.push(s);
    void this.upload(s);
  }

  /** Resolves once every byte written so far is stored and committed; throws the sticky error. */
  async flush(): Promise<void> {
    const inlined = this.lock.then(() => this.writeInline());
    this.lock = inlined.catch(() => {});
    if (await inlined) return;
    this.sealOpen();
    while (this.queue.length > 0 && !this.error) await this.progress();
    this.throwIfFailed();
  }

  /**
   * A small file's only dirty bytes go into its metadata in one call, instead of a slice upload
   * to every replica plus a commit (DESIGN.md, small files). True when done; false when the data
   * must go to a slice (too big, other writes in flight, or the file has slices).
   */
  private async writeInline(): Promise<boolean> {
    const s = this.open;
    if (!s || this.error || this.queue.length > 0) return false;
    if (s.chunkIndex !== 0 || s.chunkOffset + s.length > this.ctx.limits.inlineBytesMax || !this.ctx.isInline(this.ino)) return false;
    // Queued while in flight, so that reads by this process still see the bytes.
    this.open = null;
    s.state = 'inlining';
    this.queue.push(s);
    const data = Buffer.allocUnsafe(s.length);
    s.copyOut(0, data, 0, s.length);
    let attr: Attr;
    try {
      attr = await this.ctx.writeInline(this.ino, s.chunkOffset, data, s.mtimeMs);
    } catch (err) {
      assert(this.queue[0] === s, 'writer: inline write not first in the queue');
      this.queue.shift();
      if (err instanceof FsError && err.errno === Errno.EFBIG) {
        // Another client gave the file slices meanwhile: ours go to a slice too.
        s.state = 'open';
        this.open = s;
        return false;
      }
      s.state = 'done';
      this.releaseBlocks(s);
      this.fail(err);
      throw this.error;
    }
    assert(this.queue[0] === s, 'writer: inline write not first in the queue');
    this.queue.shift();
    s.state = 'done';
    this.releaseBlocks(s);
    this.ctx.committed(this.ino, attr, [0]);
    this.notify();
    return true;
  }

  private throwIfFailed(): void {
    if (this.error) throw this.error;
  }

  private progress(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private notify(): void {
    const ws = this.waiters.splice(0);
    for (const w of ws) w();
  }

  private releaseBlocks(s: DirtySlice): void {
    this.heldBlocks -= s.blocks.length;
    assert(this.heldBlocks >= 0, 'writer: held blocks went negative');
    this.ctx.pool.release(s.blocks);
  }

  private async upload(s: DirtySlice): Promise<void> {
    const { allocator, servers, limits, logger } = this.ctx;
    const avoid = new Set<number>();
    let lastErr: unknown;
    const startedMs = Date.now();
    for (let attempt = 0; !this.error && (attempt < limits.uploadAttempts || Date.now() - startedMs < limits.uploadRetryBudgetMs); attempt++) {
      let targets: ServerRef[] = [];
      let placed = false;
      try {
        const startedMs = performance.now();
        const { sliceId, servers: live } = await allocator.next(this.goal);
        placed = true;
        targets = allocator.place(live, this.goal, avoid);
        s.storedOn = await servers.writeSlice(targets, sliceId, s.blocks, this.ctx.pool.blockBytes, s.length);
        logger.debug(
          { ino: this.ino, sliceId, bytes: s.length, storedOn: s.storedOn },
          `slice ${sliceId} of inode ${this.ino} (${s.length} bytes) stored on ${s.storedOn.join(',')} in ${(performance.now() - startedMs).toFixed(1)}ms`,
        );
        s.sliceId = sliceId;
        if (this.error) break;
        s.state = 'stored';
        void this.pumpCommits();
        return;
      } catch (err) {
        lastErr = err;
        // The master finding no room anywhere is final; one full chunkserver is not (its
        // space report may be a heartbeat old): the next attempt avoids it.
        if (!placed && err instanceof FsError && err.errno === Errno.ENOSPC) break;
        const first = targets[0];
        if (first) avoid.add(first.id);
        logger.warn({ err, ino: this.ino, attempt }, `upload of a slice of inode ${this.ino} failed (attempt ${attempt + 1})`);
        const capMs = Math.min(1_000, limits.uploadBackoffMs * 2 ** attempt);
        await new Promise((r) => setTimeout(r, Math.floor(capMs / 2 + Math.random() * capMs / 2)));
      }
    }
    this.fail(lastErr ?? this.error, s);
  }

  private fail(err: unknown, s?: DirtySlice): void {
    if (!this.error) {
      const errno = toErrno(err);
      this.error = err instanceof FsError ? err : new FsError(errno, `write of inode ${this.ino} failed`, { cause: err });
      this.ctx.logger.error({ err, ino: this.ino }, `writes to inode ${this.ino} failed: ${this.error.message}`);
    }
    if (s && s.state !== 'done') {
      s.state = 'done';
      this.releaseBlocks(s);
    }
    // Nothing after a failed slice may be committed (order); drop what is not uploading.
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const q = this.queue[i] as DirtySlice;
      if (q.state === 'done') this.queue.splice(i, 1);
      else if (q.state === 'stored') {
        q.state = 'done';
        this.releaseBlocks(q);
        this.queue.splice(i, 1);
      }
    }
    if (this.open) {
      this.releaseBlocks(this.open);
      this.open = null;
    }
    // Uploads still running call fail() again when they end and are dropped then.
    this.notify();
  }

  private async pumpCommits(): Promise<void> {
    if (this.committing) return;
    this.committing = true;
    try {
      while (!this.error) {
        const batch: DirtySlice[] = [];
        for (const s of this.queue) {
          if (s.state !== 'stored') break;
          batch.push(s);
        }
        if (batch.length === 0) break;
        for (const s of batch) s.state = 'committing';
        const commits: SliceCommit[] = batch.map((s) => ({
          chunkIndex: s.chunkIndex,
          slice: { sliceId: s.sliceId, offset: s.chunkOffset, length: s.length, sliceOffset: 0, sliceSize: s.length },
          storedOn: s.storedOn,
        }));
        const sizeBytes = Math.max(...batch.map((s) => s.fileOffset + s.length));
        const mtimeMs = Math.max(...batch.map((s) => s.mtimeMs));
        let attr: Attr;
        const startedMs = performance.now();
        try {
          attr = await this.ctx.commit(this.ino, commits, sizeBytes, mtimeMs);
          this.ctx.logger.debug({ ino: this.ino, slices: batch.length }, `committed ${batch.length} slices of inode ${this.ino} in ${(performance.now() - startedMs).toFixed(1)}ms`);
        } catch (err) {
          for (const s of batch) s.state = 'stored';
          this.fail(err);
          break;
        }
        for (const s of batch) {
          s.state = 'done';
          assert(this.queue[0] === s, 'writer: commits out of order');
          this.queue.shift();
          this.releaseBlocks(s);
        }
        this.ctx.committed(this.ino, attr, [...new Set(batch.map((s) => s.chunkIndex))]);
        this.notify();
      }
    } finally {
      this.committing = false;
    }
    if (this.error) this.notify();
  }
}

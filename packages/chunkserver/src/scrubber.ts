// The scrubber: re-reads every replica in the background and verifies it whole (trailer, CRC
// table, every block's CRC32C, the whole slice's CRC32C: `SliceStore.verify`), so that bit rot
// is found before a client needs the bytes and before the other replicas rot too (GFS §5.2).
// A replica that fails is marked corrupt by the store: from then on it is not served, not
// reported as held, and reported in the heartbeat's `corrupt` list once, so the master
// re-replicates it from a healthy copy and deletes this one.
//
// Invariants:
// - Reads are paced by a token bucket at `bytesPerSecMax`, so scrubbing never takes more than
//   that share of the disk from clients.
// - A pass walks a snapshot of the inventory taken at its start, in id order; slices deleted
//   meanwhile are skipped, slices written meanwhile wait for the next pass. One pass at a time.
// - Passes start `passIntervalMs` apart (start to start); a pass longer than that is followed
//   at once by the next.
// - `pause()` holds the walk between slices (the slice being read finishes first); `stop()`
//   ends the wait or read in flight and resolves once the loop has ended.
import { Errno, FsError, assert } from '@cairn/errors';
import type { Logger } from 'pino';
import type { SliceId } from './ids.js';
import type { SliceStore } from './slice-store.js';
import { TokenBucket, sleep } from './token-bucket.js';

export interface ScrubberOptions {
  store: SliceStore;
  /** Read rate limit. */
  bytesPerSecMax: number;
  /** Time from the start of one full pass to the start of the next. */
  passIntervalMs: number;
  /** Wait before the first pass after start. */
  firstPassDelayMs: number;
  logger: Logger;
}

export interface ScrubPassSummary {
  slices: number;
  bytes: number;
  corrupt: SliceId[];
  ms: number;
}

export class Scrubber {
  private readonly bucket: TokenBucket;
  private readonly aborter = new AbortController();
  private loop: Promise<void> | undefined;
  private current: Promise<ScrubPassSummary> | undefined;
  private paused = false;
  private resumed: (() => void) | undefined;
  private passes = 0;

  constructor(private readonly options: ScrubberOptions) {
    assert(options.bytesPerSecMax > 0, 'scrub rate is positive');
    assert(options.passIntervalMs > 0, 'scrub interval is positive');
    // A burst of a quarter second of reading: smooth, yet whole 1 MiB windows at 4 MiB/s and up.
    this.bucket = new TokenBucket(options.bytesPerSecMax, Math.max(64 * 1024, options.bytesPerSecMax / 4));
  }

  /** Full passes completed. */
  get passCount(): number {
    return this.passes;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  start(): void {
    if (this.loop || this.aborter.signal.aborted) return;
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    const signal = this.aborter.signal;
    try {
      await sleep(this.options.firstPassDelayMs, signal);
      for (;;) {
        const startedAt = performance.now();
        await this.pass();
        await sleep(this.options.passIntervalMs - (performance.now() - startedAt), signal);
      }
    } catch (err) {
      if (signal.aborted) return;
      // The store closed under us (shutdown), or a bug: either way the scrubber ends here.
      this.options.logger.error({ err }, 'scrubber stopped');
    }
  }

  /** Holds the walk before the next slice until `resume()`. */
  pause(): void {
    if (this.paused) return;
    this.paused = true;
    this.options.logger.info({}, 'scrubber paused');
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.options.logger.info({}, 'scrubber resumed');
    const r = this.resumed;
    this.resumed = undefined;
    r?.();
  }

  private whilePaused(): Promise<void> {
    if (!this.paused) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const signal = this.aborter.signal;
      const onAbort = (): void => reject(new FsError(Errno.EINTR, 'stopped'));
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      const prior = this.resumed;
      this.resumed = () => {
        prior?.();
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
    });
  }

  /** Runs one full pass now (or joins the one running). Throws EINTR if stopped meanwhile. */
  pass(): Promise<ScrubPassSummary> {
    this.current ??= this.walk().finally(() => {
      this.current = undefined;
    });
    return this.current;
  }

  private async walk(): Promise<ScrubPassSummary> {
    const { store, logger } = this.options;
    const signal = this.aborter.signal;
    const startedAt = performance.now();
    const ids = store
      .inventory()
      .map((s) => s.sliceId)
      .sort((a, b) => a - b);
    const summary: ScrubPassSummary = { slices: 0, bytes: 0, corrupt: [], ms: 0 };
    for (const id of ids) {
      await this.whilePaused();
      if (signal.aborted) throw new FsError(Errno.EINTR, 'stopped');
      let result;
      try {
        result = await store.verify(id, (bytes) => this.bucket.take(bytes, signal));
      } catch (err) {
        if (signal.aborted) throw err;
        if (!store.isOpen) throw err;
        // An open that failed for another reason than ENOENT (EMFILE, EACCES): try next pass.
        logger.warn({ err, sliceId: id }, `scrub of slice ${id} failed; skipped this pass`);
        continue;
      }
      if (result.kind === 'gone') continue;
      summary.slices++;
      if (result.kind === 'ok') summary.bytes += result.sizeBytes;
      else summary.corrupt.push(id);
    }
    summary.ms = Math.round(performance.now() - startedAt);
    this.passes++;
    logger.info(
      { slices: summary.slices, bytes: summary.bytes, corrupt: summary.corrupt, ms: summary.ms },
      `scrub pass done: ${summary.slices} slices, ${summary.corrupt.length} corrupt`,
    );
    return summary;
  }

  /** Ends the pass or wait in flight; resolves once the scrubber has stopped. */
  async stop(): Promise<void> {
    this.aborter.abort();
    await this.loop;
    await this.current?.catch(() => {});
  }
}

// A token bucket for bytes per second, shared by everyone who draws from it (the scrubber's
// reads, or all replication copies of a server). `take(n)` may overdraw: the bucket goes into
// debt and the taker waits until the debt is paid back, so a request larger than the burst is
// still served, at the rate, and concurrent takers queue behind one another's debt.
//
// Invariants: at most `burstBytes` tokens are saved up; the long-run rate never exceeds
// `bytesPerSecMax` plus one burst; a wait ends early (with EINTR) when its signal aborts.
import { Errno, FsError, assert } from '@cairn/errors';

export class TokenBucket {
  private tokens: number;
  private refilledAt: number;

  constructor(
    private readonly bytesPerSecMax: number,
    private readonly burstBytes: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    assert(Number.isFinite(bytesPerSecMax) && bytesPerSecMax > 0, 'a positive rate');
    assert(Number.isFinite(burstBytes) && burstBytes > 0, 'a positive burst');
    this.tokens = burstBytes;
    this.refilledAt = now();
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.burstBytes, this.tokens + ((t - this.refilledAt) * this.bytesPerSecMax) / 1000);
    this.refilledAt = t;
  }

  /** Draws `bytes`; resolves once the bucket is out of debt. */
  async take(bytes: number, signal?: AbortSignal): Promise<void> {
    assert(bytes >= 0, 'take a non-negative amount');
    if (signal?.aborted) throw new FsError(Errno.EINTR, 'stopped');
    this.refill();
    this.tokens -= bytes;
    if (this.tokens >= 0) return;
    const waitMs = (-this.tokens * 1000) / this.bytesPerSecMax;
    await sleep(waitMs, signal);
  }
}

/** Waits `ms`, or until `signal` aborts (then throws EINTR). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new FsError(Errno.EINTR, 'stopped'));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new FsError(Errno.EINTR, 'stopped'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, Math.ceil(ms)));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

// Self-fencing: a chunkserver that has not reached the master for `fenceAfterMs` stops taking
// new writes until a heartbeat gets through again. The master declares a server dead after
// `deadAfterMs` without a heartbeat and re-replicates its slices elsewhere; fencing at half that
// time means a server the master may already count as dead no longer accepts writes that the
// master will not know it holds (GFS §4.1 leases, in miniature). Reads go on: stored bytes stay
// good.
//
// Invariants:
// - Contact is stamped with the time the accepted beat was *sent*, which is no later than the
//   time the master received it, so this server fences itself no later than `fenceAfterMs`
//   after the master last heard from it.
// - Time is monotonic (`performance.now()`), never the wall clock.
// - The state is computed from the clock on every check; the timer only logs the change.
import { Errno, ErrorCode, FsError, assert } from '@cairn/errors';
import type { Logger } from 'pino';

export class Fence {
  private contactAt: number;
  private timer: NodeJS.Timeout | undefined;
  private logged = false;
  private closed = false;

  constructor(
    private readonly fenceAfterMs: number,
    private readonly logger: Logger,
    private readonly now: () => number = () => performance.now(),
  ) {
    assert(fenceAfterMs > 0, 'fence delay is positive');
    // Start counts as contact: a server gets `fenceAfterMs` to register before it fences itself.
    this.contactAt = now();
    this.arm();
  }

  /** Records a heartbeat the master accepted, stamped with the time it was sent. */
  contact(sentAt: number): void {
    if (sentAt <= this.contactAt) return;
    this.contactAt = sentAt;
    if (this.logged) {
      this.logged = false;
      this.logger.info({}, 'unfenced: the master answered; accepting writes again');
    }
    this.arm();
  }

  /** Milliseconds since the last contact, if that is longer than allowed; else undefined. */
  fencedForMs(): number | undefined {
    const sinceMs = this.now() - this.contactAt;
    return sinceMs > this.fenceAfterMs ? sinceMs : undefined;
  }

  /** Throws EROFS while fenced. */
  check(): void {
    const sinceMs = this.fencedForMs();
    if (sinceMs === undefined) return;
    throw new FsError(Errno.EROFS, `fenced: no contact with the master for ${Math.round(sinceMs)} ms`, {
      code: ErrorCode.Unavailable,
      hint: 'this chunkserver refuses writes until a heartbeat reaches the master',
    });
  }

  private arm(): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const sinceMs = this.fencedForMs();
      if (sinceMs === undefined) return this.arm();
      this.logged = true;
      this.logger.warn({ sinceMs: Math.round(sinceMs) }, 'fenced: no contact with the master; refusing new writes');
    }, this.fenceAfterMs + 1);
    this.timer.unref();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
  }
}

// The pool of write-buffer blocks shared by every open file of a client. Filling fresh memory is
// slow in this VM (FACTS.md: 0.25-1.9 GB/s against 13-31 GB/s for touched memory), so blocks are
// allocated once and reused. The pool is also the client-wide bound on buffered write bytes: a
// writer that cannot get blocks waits (backpressure), after asking every writer to seal its open
// slice so that uploads start and blocks come back.
import { assert } from '@cairn/errors';

export class BlockPool {
  private readonly free: Buffer[] = [];
  private inUse = 0;
  private readonly waiters: (() => void)[] = [];
  /** Called when a caller has to wait: writers seal their open slices so that blocks return. */
  onPressure: () => void = () => {};

  constructor(
    readonly blockBytes: number,
    readonly blocksMax: number,
  ) {
    assert(blockBytes > 0 && blocksMax >= 4, 'BlockPool: at least four blocks');
  }

  get inUseBlocks(): number {
    return this.inUse;
  }

  /** Takes `count` blocks at once if they are available. */
  tryAcquire(count: number): Buffer[] | undefined {
    if (this.inUse + count > this.blocksMax) return undefined;
    this.inUse += count;
    const out: Buffer[] = [];
    for (let i = 0; i < count; i++) out.push(this.free.pop() ?? Buffer.allocUnsafeSlow(this.blockBytes));
    return out;
  }

  /** Resolves at the next release of blocks. */
  released(): Promise<void> {
    return new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /** Waits until `count` blocks are available and takes them. `count` is small (a write's worth). */
  async acquire(count: number): Promise<Buffer[]> {
    assert(count <= this.blocksMax, 'BlockPool: request larger than the pool');
    for (;;) {
      const got = this.tryAcquire(count);
      if (got) return got;
      this.onPressure();
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  release(blocks: Buffer[]): void {
    if (blocks.length === 0) return;
    this.inUse -= blocks.length;
    assert(this.inUse >= 0, 'BlockPool: released more than acquired');
    for (const b of blocks) this.free.push(b);
    blocks.length = 0;
    const ws = this.waiters.splice(0);
    for (const w of ws) w();
  }
}

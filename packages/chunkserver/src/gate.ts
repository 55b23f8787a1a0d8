// A counting gate: at most `permits` holders at a time; the rest wait in FIFO order. Used to
// bound concurrent slice writes per server: a waiting writer does not read its stream, so
// HTTP/2 flow control holds its client back instead of this process buffering its bytes.
import { assert } from '@cairn/errors';

export class Gate {
  private held = 0;
  private readonly waiters: (() => void)[] = [];

  constructor(private readonly permits: number) {
    assert(Number.isSafeInteger(permits) && permits > 0, 'a gate has at least one permit');
  }

  get waiting(): number {
    return this.waiters.length;
  }

  async acquire(): Promise<void> {
    if (this.held < this.permits) {
      this.held++;
      return;
    }
    await new Promise<void>((resolve) => this.waiters.push(resolve));
    // The releaser handed its permit straight to us: `held` is unchanged.
  }

  release(): void {
    assert(this.held > 0, 'release without acquire');
    const next = this.waiters.shift();
    if (next) next();
    else this.held--;
  }
}

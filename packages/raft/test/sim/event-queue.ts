// The simulator's single event queue: a binary min-heap ordered by (time, insertion sequence), so
// that events at the same time run in the order they were scheduled and a seed replays exactly.
//
// Invariants: time never goes backwards (pop returns non-decreasing times); the queue is bounded
// by `capacity` — a run that schedules more events than that is itself a bug (a livelock or a
// message storm), reported as a crash.

import { assert } from '@cairn/errors';

interface Slot<T> {
  time: number;
  seq: number;
  event: T;
}

export class EventQueue<T> {
  private readonly heap: Slot<T>[] = [];
  private seq = 0;
  now = 0;

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.heap.length;
  }

  schedule(delay: number, event: T): void {
    assert(Number.isFinite(delay) && delay >= 0, `bad delay ${delay}`);
    assert(this.heap.length < this.capacity, `event queue over capacity ${this.capacity}`);
    const slot = { time: this.now + delay, seq: this.seq++, event };
    const h = this.heap;
    h.push(slot);
    let k = h.length - 1;
    while (k > 0) {
      const parent = (k - 1) >> 1;
      if (!less(h[k]!, h[parent]!)) break;
      [h[k], h[parent]] = [h[parent]!, h[k]!];
      k = parent;
    }
  }

  pop(): T | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let k = 0;
      for (;;) {
        const l = 2 * k + 1;
        const r = l + 1;
        let m = k;
        if (l < h.length && less(h[l]!, h[m]!)) m = l;
        if (r < h.length && less(h[r]!, h[m]!)) m = r;
        if (m === k) break;
        [h[k], h[m]] = [h[m]!, h[k]!];
        k = m;
      }
    }
    assert(top.time >= this.now, 'simulated time went backwards');
    this.now = top.time;
    return top.event;
  }

  peekTime(): number | undefined {
    return this.heap[0]?.time;
  }
}

function less<T>(a: Slot<T>, b: Slot<T>): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

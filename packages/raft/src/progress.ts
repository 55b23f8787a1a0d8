// The leader's view of each follower's log (etcd tracker/progress.go shape) and the bounded window
// of appends in flight to it.
//
// States (flow control):
// - probe: the leader does not know where the follower's log matches; it sends one MsgApp and
//   waits for the answer (or the next heartbeat response) before sending another.
// - replicate: the logs match up to `match`; the leader streams MsgApps optimistically, advancing
//   `next` as it sends, with at most `maxInflightMsgs` unacknowledged.
// - snapshot: the follower needs a snapshot; nothing else is sent until it is applied or fails.
//
// Invariants: match < next; match never decreases within a term; in replicate every inflight
// index is in (match, next); the inflight window never grows past its capacity.

import { assert } from '@cairn/errors';

export type ProgressState = 'probe' | 'replicate' | 'snapshot';

/** A ring buffer of the last index of each MsgApp in flight, oldest first. */
export class Inflights {
  private readonly buffer: number[];
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    assert(Number.isSafeInteger(capacity) && capacity > 0, `inflight capacity ${capacity} must be positive`);
    this.buffer = new Array<number>(capacity).fill(0);
  }

  full(): boolean {
    return this.count === this.capacity;
  }

  size(): number {
    return this.count;
  }

  add(lastIndex: number): void {
    assert(!this.full(), 'cannot add to a full inflight window');
    if (this.count > 0) {
      const newest = this.buffer[(this.start + this.count - 1) % this.capacity]!;
      assert(lastIndex > newest, `inflight index ${lastIndex} not above ${newest}`);
    }
    this.buffer[(this.start + this.count) % this.capacity] = lastIndex;
    this.count++;
  }

  /** Frees every inflight message whose last index is ≤ `index` (they are acknowledged). */
  freeLE(index: number): void {
    while (this.count > 0 && this.buffer[this.start]! <= index) {
      this.start = (this.start + 1) % this.capacity;
      this.count--;
    }
  }

  freeFirstOne(): void {
    if (this.count === 0) return;
    this.start = (this.start + 1) % this.capacity;
    this.count--;
  }

  reset(): void {
    this.start = 0;
    this.count = 0;
  }
}

export class Progress {
  match = 0;
  next: number;
  state: ProgressState = 'probe';
  /** In snapshot state: the index of the snapshot being sent. */
  pendingSnapshot = 0;
  /** Ticks spent in snapshot state, to give up on a snapshot whose failure was never reported. */
  snapshotTicks = 0;
  /** In probe state: a MsgApp is outstanding, so wait before sending another. */
  probeSent = false;
  /** Heard from since the last check-quorum round (§6.2 / thesis §9.4 leader step-down). */
  recentActive = false;
  readonly inflights: Inflights;

  constructor(next: number, maxInflightMsgs: number, public isLearner: boolean) {
    this.next = next;
    this.inflights = new Inflights(maxInflightMsgs);
  }

  toString(): string {
    const snap = this.state === 'snapshot' ? ` pendingSnap=${this.pendingSnapshot}` : '';
    const paused = this.isPaused() ? ' paused' : '';
    const learner = this.isLearner ? ' learner' : '';
    return `${this.state} match=${this.match} next=${this.next}${learner}${paused}${snap} inflight=${this.inflights.size()}`;
  }

  private resetState(state: ProgressState): void {
    this.probeSent = false;
    this.pendingSnapshot = 0;
    this.snapshotTicks = 0;
    this.state = state;
    this.inflights.reset();
  }

  becomeProbe(): void {
    // After a snapshot the follower holds at least the snapshot index: resume right after it.
    if (this.state === 'snapshot') {
      const pending = this.pendingSnapshot;
      this.resetState('probe');
      this.next = Math.max(this.match + 1, pending + 1);
    } else {
      this.resetState('probe');
      this.next = this.match + 1;
    }
  }

  becomeReplicate(): void {
    this.resetState('replicate');
    this.next = this.match + 1;
  }

  becomeSnapshot(snapshotIndex: number): void {
    this.resetState('snapshot');
    this.pendingSnapshot = snapshotIndex;
  }

  /** An acknowledgement up to n arrived. Returns false when it was stale (n ≤ match). */
  maybeUpdate(n: number): boolean {
    let updated = false;
    if (this.match < n) {
      this.match = n;
      updated = true;
      this.probeSent = false;
    }
    this.next = Math.max(this.next, n + 1);
    return updated;
  }

  /** Records that a MsgApp carrying entries up to `lastIndex` was sent. */
  sentEntries(lastIndex: number, count: number): void {
    switch (this.state) {
      case 'replicate':
        if (count > 0) {
          this.next = lastIndex + 1;
          this.inflights.add(lastIndex);
        }
        break;
      case 'probe':
        this.probeSent = true;
        break;
      case 'snapshot':
        assert(false, 'sending entries to a follower in snapshot state');
    }
  }

  /**
   * A rejection of the MsgApp whose previous index was `rejected`; `hint` is where the follower
   * suggests to continue. Returns false when the rejection is stale (already superseded).
   */
  maybeDecrTo(rejected: number, hint: number): boolean {
    if (this.state === 'replicate') {
      // Stale: an entry we already know matches cannot be rejected by a current message.
      if (rejected <= this.match) return false;
      this.next = this.match + 1;
      return true;
    }
    // In probe, only the rejection of the probe we sent (at next - 1) is current.
    if (this.next - 1 !== rejected) return false;
    this.next = Math.max(Math.min(rejected, hint + 1), this.match + 1);
    this.probeSent = false;
    return true;
  }

  isPaused(): boolean {
    switch (this.state) {
      case 'probe':
        return this.probeSent;
      case 'replicate':
        return this.inflights.full();
      case 'snapshot':
        return true;
    }
  }
}

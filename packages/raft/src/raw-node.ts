// RawNode: the application's handle on the Raft core (etcd rawnode.go shape). It batches the
// core's outputs into a Ready, and takes it back with advance().
//
// The Ready contract (thesis §3.8, etcd "persist before send"). For each Ready, in order:
//   1. persist `snapshot` (if any), then append `entries` (truncating any overlapped suffix),
//      then `hardState` (if any) — durably (fsync) when `mustSync` is true;
//   2. send `messages` (only now: they may promise what step 1 made durable);
//   3. apply `snapshot` then `committedEntries` to the state machine, in order; answer `readStates`
//      once the state machine has applied their index;
//   4. call advance().
// Between ready() and advance() the application may keep calling step/tick/propose; their output
// goes into the next Ready. At most one Ready is outstanding.
//
// Invariants asserted on every Ready: entries are contiguous with non-decreasing terms; committed
// entries continue exactly where the application's applied index (or the snapshot) left off; the
// hard state's term never decreases and its commit never goes back.

import { assert } from '@cairn/errors';
import type { ConfChange } from './conf.js';
import { encodeConfChange } from './conf.js';
import { type Config, Raft, type Result } from './raft.js';
import type { MemoryStorage } from './storage.js';
import {
  type ConfState,
  type Entry,
  type HardState,
  type Message,
  NoNode,
  type NodeId,
  type ReadState,
  type Snapshot,
  type SoftState,
  hardStateEqual,
} from './types.js';

export interface Ready {
  /** Present when leader or role changed since the last Ready. Not persisted. */
  softState: SoftState | null;
  /** Present when term, vote or commit changed: persist it. */
  hardState: HardState | null;
  /** Entries to append to stable storage before sending messages. */
  entries: Entry[];
  /** A snapshot from the leader to persist and restore the state machine from. */
  snapshot: Snapshot | null;
  /** Entries known committed, to apply in order. */
  committedEntries: Entry[];
  /** Send after step 1 has completed. */
  messages: Message[];
  readStates: ReadState[];
  /** True when hard state term/vote, entries or a snapshot must be synced before sending. */
  mustSync: boolean;
}

export interface ProgressStatus {
  match: number;
  next: number;
  state: string;
  learner: boolean;
}

export interface Status {
  id: NodeId;
  term: number;
  vote: NodeId;
  commit: number;
  applied: number;
  lead: NodeId;
  role: SoftState['role'];
  lastIndex: number;
  conf: ConfState;
  leadTransferee: NodeId;
  /** Only on the leader. */
  progress: Map<NodeId, ProgressStatus>;
}

export class RawNode {
  readonly raft: Raft;
  private prevSoftState: SoftState;
  private prevHardState: HardState;
  private outstanding: Ready | null = null;
  private readonly maxCommittedSizePerReadyBytes: number;

  constructor(config: Config) {
    this.raft = new Raft(config);
    this.prevSoftState = this.raft.softState();
    this.prevHardState = this.raft.hardState();
    this.maxCommittedSizePerReadyBytes = config.maxCommittedSizePerReadyBytes ?? 16 << 20;
  }

  /** Advances logical time by one tick (election timeout, heartbeats, check-quorum). */
  tick(): void {
    this.raft.tick();
  }

  /** Delivers a message from the network. Messages addressed to another node are a bug. */
  step(m: Message): void {
    assert(m.to === this.raft.id, `message for ${m.to} delivered to ${this.raft.id}`);
    assert(m.from !== NoNode, `message ${m.type} without a sender`);
    assert(Number.isSafeInteger(m.term) && m.term >= 0, `message term ${m.term} is not a safe integer`);
    this.raft.step(m);
  }

  /** Starts an election now (pre-vote first when enabled); a test and operator hook. */
  campaign(): void {
    this.raft.hup('election');
  }

  propose(data: Uint8Array): Result {
    return this.raft.propose(data);
  }

  proposeConfChange(cc: ConfChange): Result {
    return this.raft.proposeConfChange(cc);
  }

  transferLeader(target: NodeId): Result {
    return this.raft.transferLeader(target);
  }

  /** Requests a linearizable read point; answered by a ReadState with the same context. */
  readIndex(context: string): Result {
    return this.raft.readIndex(context);
  }

  reportSnapshot(to: NodeId, ok: boolean): void {
    this.raft.reportSnapshot(to, ok);
  }

  reportUnreachable(to: NodeId): void {
    this.raft.reportUnreachable(to);
  }

  /** The membership as of the applied index: record it with a snapshot taken there. */
  appliedConfState(): ConfState {
    return this.raft.appliedConf;
  }

  hasReady(): boolean {
    if (this.outstanding !== null) return false;
    const r = this.raft;
    const soft = r.softState();
    if (soft.lead !== this.prevSoftState.lead || soft.role !== this.prevSoftState.role) return true;
    if (!hardStateEqual(r.hardState(), this.prevHardState)) return true;
    if (r.log.pendingSnapshot() !== null) return true;
    if (r.log.unstableEntries().length > 0) return true;
    if (r.log.hasNextCommittedEntries()) return true;
    return r.msgs.length > 0 || r.readStates.length > 0;
  }

  ready(): Ready {
    assert(this.outstanding === null, 'ready() called again before advance()');
    const r = this.raft;
    const soft = r.softState();
    const hard = r.hardState();
    const softChanged = soft.lead !== this.prevSoftState.lead || soft.role !== this.prevSoftState.role;
    const hardChanged = !hardStateEqual(hard, this.prevHardState);
    const entries = [...r.log.unstableEntries()];
    const snapshot = r.log.pendingSnapshot();
    const rd: Ready = {
      softState: softChanged ? soft : null,
      hardState: hardChanged ? hard : null,
      entries,
      snapshot,
      committedEntries: r.log.nextCommittedEntries(this.maxCommittedSizePerReadyBytes),
      messages: r.msgs,
      readStates: r.readStates,
      mustSync:
        entries.length > 0 ||
        snapshot !== null ||
        hard.term !== this.prevHardState.term ||
        hard.vote !== this.prevHardState.vote,
    };
    r.msgs = [];
    r.readStates = [];
    this.checkReady(rd);
    this.outstanding = rd;
    return rd;
  }

  private checkReady(rd: Ready): void {
    for (let k = 1; k < rd.entries.length; k++) {
      assert(rd.entries[k]!.index === rd.entries[k - 1]!.index + 1, 'Ready entries are not contiguous');
      assert(rd.entries[k]!.term >= rd.entries[k - 1]!.term, 'Ready entries have decreasing terms');
    }
    if (rd.hardState !== null) {
      assert(rd.hardState.term >= this.prevHardState.term, 'Ready hard state term went back');
      assert(rd.hardState.commit >= this.prevHardState.commit, 'Ready hard state commit went back');
    }
    if (rd.committedEntries.length > 0) {
      const first = rd.committedEntries[0]!.index;
      const base = rd.snapshot !== null ? rd.snapshot.meta.index : this.raft.log.applied;
      assert(first === base + 1, `committed entries start at ${first}, expected ${base + 1}`);
      const last = rd.committedEntries[rd.committedEntries.length - 1]!.index;
      assert(last <= this.raft.log.committed, 'Ready hands out uncommitted entries');
    }
    for (const m of rd.messages) assert(m.from === this.raft.id, 'Ready message from another node');
  }

  /** The application handled the outstanding Ready (persisted, sent, applied). */
  advance(): void {
    const rd = this.outstanding;
    assert(rd !== null, 'advance() without an outstanding Ready');
    const log = this.raft.log;
    if (rd.softState !== null) this.prevSoftState = rd.softState;
    if (rd.hardState !== null) this.prevHardState = rd.hardState;
    if (rd.snapshot !== null) {
      log.stableSnapTo(rd.snapshot.meta.index);
      if (rd.snapshot.meta.index > log.applied) log.appliedTo(rd.snapshot.meta.index);
    }
    if (rd.entries.length > 0) {
      const last = rd.entries[rd.entries.length - 1]!;
      log.stableTo(last.index, last.term);
    }
    if (rd.committedEntries.length > 0) {
      log.appliedTo(rd.committedEntries[rd.committedEntries.length - 1]!.index);
    }
    this.raft.trimConfs();
    this.outstanding = null;
  }

  status(): Status {
    const r = this.raft;
    const progress = new Map<NodeId, ProgressStatus>();
    if (r.role === 'leader') {
      for (const [id, pr] of r.prs) progress.set(id, { match: pr.match, next: pr.next, state: pr.state, learner: pr.isLearner });
    }
    return {
      id: r.id,
      term: r.term,
      vote: r.vote,
      commit: r.log.committed,
      applied: r.log.applied,
      lead: r.lead,
      role: r.role,
      lastIndex: r.log.lastIndex(),
      conf: r.conf,
      leadTransferee: r.leadTransferee,
      progress,
    };
  }
}

/**
 * Initializes empty storage for a brand-new cluster: one committed conf entry per voter at term 1,
 * so that every member (and every node added later, which replays the log from index 1) derives
 * the same membership. Every founding member must be bootstrapped with the same voters, in order.
 */
export function bootstrap(storage: MemoryStorage, voters: readonly NodeId[]): void {
  assert(voters.length > 0, 'bootstrap needs at least one voter');
  assert(storage.lastIndex() === 0 && storage.firstIndex() === 1, 'bootstrap needs empty storage');
  const entries: Entry[] = voters.map((id, k) => ({
    term: 1,
    index: k + 1,
    type: 'conf-change',
    data: encodeConfChange({ type: 'add-voter', node: id }),
  }));
  storage.append(entries);
  storage.setHardState({ term: 1, vote: NoNode, commit: entries.length });
}

/** The entries a bootstrap writes, for storages other than MemoryStorage. */
export function bootstrapEntries(voters: readonly NodeId[]): { entries: Entry[]; hardState: HardState } {
  const entries: Entry[] = voters.map((id, k) => ({
    term: 1,
    index: k + 1,
    type: 'conf-change',
    data: encodeConfChange({ type: 'add-voter', node: id }),
  }));
  return { entries, hardState: { term: 1, vote: NoNode, commit: entries.length } };
}

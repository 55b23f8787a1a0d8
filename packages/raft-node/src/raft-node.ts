// RaftNode: the I/O shell around the pure Raft core (@cairn/raft). It owns the clock (a tick
// every `tickMs`: 50 ms by default, so that with electionTicks 15 a dead leader is replaced in
// ~1 s while the 0.75 s minimum timeout still rides out GC pauses and the few-hundred-ms stalls
// of a loaded 2-core box), the durable log (LevelStorage, one synced batch per Ready), the transport
// (transport.ts) and the hand-off to the application's state machine, and turns the core's
// index/term answers into promises.
//
// The Ready loop (thesis §3.8, etcd "persist before send"), one Ready at a time:
//   0. a leader sends its MsgApps at once, so that its own write and its followers' overlap
//      (thesis §10.2.1; see handleReady for why this is safe with this core);
//   1. persist snapshot + entries + hard state in ONE synced LevelDB batch — every proposal that
//      arrived while the previous Ready was being handled is in it (group commit, FACTS.md). A
//      Ready whose only change is the commit index (mustSync false) is not written: its hard state
//      rides along with the next write, or is flushed by a tick after `hardStateFlushMs`. Losing it in a crash only
//      lowers the persisted commit, which the leader re-establishes; a durable state machine
//      applied past it proves those entries committed, and start() raises the commit to match;
//   2. send the other messages (only now: they may promise what step 1 made durable);
//   3. restore a received snapshot, then apply committed entries through `stateMachine.apply`
//      in one batch, then answer proposals and confirmed reads whose index is applied;
//   4. advance(), then compact the log when `snapshotEveryEntries` entries were applied since the
//      last snapshot.
//
// Contract of `propose`: it resolves once the entry is committed AND applied (apply resolved for
// it). It rejects with `NotLeader` when this node is not the leader, when it loses leadership
// before the entry is known committed (the outcome is then unknown: callers retry idempotently,
// DESIGN.md), when the entry is overwritten by another leader's (seen at apply as a different term
// at that index), and with ETIMEDOUT after `proposeTimeoutMs`. Nothing pending can hang.
//
// Limits: pending proposals ≤ `pendingProposalsMax` (further callers wait for room: backpressure is
// await), reads ≤ the core's maxPendingReads, transport queues bounded (transport.ts).
//
// Membership: the core's conf-change payload has no room for an address, so `addMember` first
// replicates an address record (envelope.ts), then adds the node as a learner, waits until its log
// has caught up with the commit index, then promotes it (thesis §4.2.1).

import { randomInt } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { Errno, ErrorCode, FatalError, FatalReason, FsError, assert, unreachable } from '@cairn/errors';
import {
  type ConfChange,
  type Entry,
  type HardState,
  type Logger as CoreLogger,
  type Message,
  type NodeId,
  type Ready,
  type ReadState,
  type Refused,

  type Snapshot,
  type SoftState,
  NoNode,
  RawNode,
  Xoshiro128,
  bootstrapEntries,
  decodeConfChange,
  formatConfChange,
  nodeId,
} from '@cairn/raft';
import { LevelStorage } from '@cairn/raft/level';
import { NotLeaderError } from '@cairn/rpc';
import { AddressBook } from './address-book.js';
import { addressPayload, commandPayload, decodePayload, decodeSnapshotData, encodeSnapshotData } from './envelope.js';
import { coalesceAppends } from './coalesce.js';
import { LatencyProbes, type PhaseSummary } from './latency.js';
import { Transport, type TransportFaults } from './transport.js';

export interface AppliedEntry {
  index: number;
  term: number;
  data: Uint8Array;
}

export interface StateMachine {
  /**
   * Committed entries in order (only normal entries with data; conf changes and the node's own
   * records are handled inside). Must be durable-or-replayable when it resolves.
   */
  apply(entries: AppliedEntry[]): Promise<void>;
  /** The index the state machine has durably applied (read at start, to skip re-applying). */
  appliedIndex(): number;
  /** Serialises the state at the applied index (for snapshots sent to lagging/new followers). */
  snapshot(): Promise<Uint8Array>;
  /** Replaces the state with a snapshot's data (taken at `index`). */
  restore(data: Uint8Array, index: number): Promise<void>;
}

export interface RaftNodeOptions {
  /** This node. */
  id: number;
  /** Founding voters including self (bootstraps empty storage); for a joining node, the current members. */
  peers: { id: number; address: string }[];
  /** Start with empty storage as a new member to be added by `addMember` (no bootstrap). */
  join?: boolean;
  dataDir: string;
  /** The process's gRPC server: the Raft service is added to it. */
  server: grpc.Server;
  /** host:port where `server` listens. */
  selfAddress: string;
  logger: Logger;
  tickMs?: number;
  electionTicks?: number;
  heartbeatTicks?: number;
  stateMachine: StateMachine;
  /** Take a snapshot and compact the log after this many applied entries (default 10 000). */
  snapshotEveryEntries?: number;
  /** Entries kept behind a snapshot for slow followers (default min(1000, snapshotEveryEntries)). */
  snapshotTailEntries?: number;
  /** Bound on proposals awaiting commit; past it, `propose` waits for room (default 16 384). */
  pendingProposalsMax?: number;
  proposeTimeoutMs?: number;
  readTimeoutMs?: number;
  /** How long `addMember` waits for a learner to catch up before promoting it. */
  catchUpTimeoutMs?: number;
  /** Test-only network partitions (transport.ts). */
  faults?: TransportFaults;
}

export type RaftRole = 'leader' | 'follower' | 'candidate' | 'pre-candidate' | 'learner';

export interface RaftNodeStatus {
  id: number;
  role: RaftRole;
  term: number;
  commit: number;
  applied: number;
  leader: number;
  peers: { id: number; address: string | undefined; learner: boolean; match?: number }[];
}

export interface LeaderChange {
  /** True once this node leads AND has applied every entry before its own term's first entry. */
  isLeader: boolean;
  leaderId: number;
  leaderAddress: string | undefined;
  term: number;
}

/** Thrown when a call needs the leader; carries where the leader is, when known. */
export class NotLeader extends NotLeaderError {
  readonly leaderAddress: string | undefined;
  readonly leaderId: number;
  constructor(leaderId: number, leaderAddress: string | undefined, detail?: string) {
    super(leaderAddress ?? '');
    this.leaderId = leaderId;
    this.leaderAddress = leaderAddress;
    if (detail !== undefined) this.message = `${this.message} (${detail})`;
  }
}

interface Pending {
  term: number;
  deadlineMs: number;
  /** performance.now() at propose, for the latency probes. */
  startedMs: number;
  resolve(v: { index: number; term: number }): void;
  reject(err: unknown): void;
}

interface PendingRead {
  /** -1 until the leader confirmed the read index (a ReadState arrived). */
  index: number;
  deadlineMs: number;
  resolve(): void;
  reject(err: unknown): void;
}

interface Waiter {
  pred(): boolean;
  deadlineMs: number;
  resolve(): void;
  reject(err: unknown): void;
  what: string;
}

interface Resolved {
  id: NodeId;
  tickMs: number;
  electionTicks: number;
  heartbeatTicks: number;
  snapshotEveryEntries: number;
  snapshotTailEntries: number;
  pendingProposalsMax: number;
  proposeTimeoutMs: number;
  readTimeoutMs: number;
  catchUpTimeoutMs: number;
}

/** How long a commit-only hard state may stay unwritten on an idle node (see the Ready loop). */
const hardStateFlushMs = 1_000;

/** Checks the options once, at start (etcd Config.validate()). */
function validate(o: RaftNodeOptions): Resolved {
  const positive = (n: number, what: string) => {
    if (!Number.isSafeInteger(n) || n <= 0) throw new FatalError(FatalReason.Config, `raft-node: ${what} must be a positive integer, got ${n}`);
    return n;
  };
  const id = nodeId(positive(o.id, 'id'));
  const tickMs = positive(o.tickMs ?? 50, 'tickMs');
  const electionTicks = positive(o.electionTicks ?? 15, 'electionTicks');
  const heartbeatTicks = positive(o.heartbeatTicks ?? 1, 'heartbeatTicks');
  if (heartbeatTicks >= electionTicks) throw new FatalError(FatalReason.Config, 'raft-node: heartbeatTicks must be below electionTicks');
  const ids = new Set<number>();
  for (const p of o.peers) {
    positive(p.id, 'peer id');
    if (ids.has(p.id)) throw new FatalError(FatalReason.Config, `raft-node: peer ${p.id} listed twice`);
    ids.add(p.id);
    if (!/^[^\s]+:\d+$/.test(p.address)) throw new FatalError(FatalReason.Config, `raft-node: bad address ${p.address} for ${p.id}`);
  }
  if (!o.join && !ids.has(id)) throw new FatalError(FatalReason.Config, `raft-node: founding peers must include self (${id}); pass join: true to join`);
  const snapshotEveryEntries = positive(o.snapshotEveryEntries ?? 10_000, 'snapshotEveryEntries');
  const electionMs = tickMs * electionTicks;
  return {
    id,
    tickMs,
    electionTicks,
    heartbeatTicks,
    snapshotEveryEntries,
    snapshotTailEntries: o.snapshotTailEntries ?? Math.min(1000, snapshotEveryEntries),
    pendingProposalsMax: positive(o.pendingProposalsMax ?? 16_384, 'pendingProposalsMax'),
    proposeTimeoutMs: positive(o.proposeTimeoutMs ?? Math.max(10_000, 5 * electionMs), 'proposeTimeoutMs'),
    readTimeoutMs: positive(o.readTimeoutMs ?? 2 * electionMs, 'readTimeoutMs'),
    catchUpTimeoutMs: positive(o.catchUpTimeoutMs ?? 60_000, 'catchUpTimeoutMs'),
  };
}

export class RaftNode {
  private readonly raw: RawNode;
  private readonly transport: Transport;
  private readonly log: Logger;
  private readonly ticker: NodeJS.Timeout;
  private readonly proposals = new Map<number, Pending>();
  private readonly reads = new Map<string, PendingRead>();
  private readonly waiters = new Set<Waiter>();
  private readonly roomWaiters: (() => void)[] = [];
  private readonly leaderListeners: ((e: LeaderChange) => void)[] = [];
  private applied: number;
  private snapshotIndex: number;
  private readSeq = 0;
  private role: SoftState['role'] = 'follower';
  private lead: NodeId = NoNode;
  /** The leader reports itself ready once applied reaches this index (its term's first entry). */
  private leaderReadyIndex = -1;
  private announced: { isLeader: boolean; leaderId: number } = { isLeader: false, leaderId: 0 };
  private driving = false;
  /** A commit-only hard state not yet written (see step 1 above). */
  private deferredHardState: HardState | null = null;
  /** Date.now() when `deferredHardState` last went from null to set. */
  private deferredAtMs = 0;
  private commitFlushDue = false;
  private idle: Promise<void> = Promise.resolve();
  private stopped = false;
  private failed: unknown = undefined;
  // Latency probes (latency.ts): performance.now() of the first event of each kind since the Ready
  // that consumed it, or -1.
  private readonly probes = new LatencyProbes();
  private proposedAtMs = -1;
  private appReceivedAtMs = -1;
  private commitSeenAtMs = -1;
  private scheduledAtMs = -1;
  /** Per follower, [last index, sent at] of MsgApps with entries awaiting an ack (bounded). */
  private readonly appsInFlight = new Map<NodeId, [number, number][]>();

  private constructor(
    private readonly o: RaftNodeOptions,
    private readonly c: Resolved,
    private readonly storage: LevelStorage,
    private readonly book: AddressBook,
    applied: number,
  ) {
    this.log = o.logger.child({ node: c.id, component: 'raft' });
    const coreLog: CoreLogger = {
      debug: (m) => this.log.debug(m),
      info: (m) => this.log.info(m),
      warn: (m) => this.log.warn(m),
    };
    this.applied = applied;
    this.snapshotIndex = storage.snapshot().meta.index;
    this.raw = new RawNode({
      id: c.id,
      storage,
      electionTicks: c.electionTicks,
      heartbeatTicks: c.heartbeatTicks,
      random: new Xoshiro128(randomInt(2 ** 47)),
      logger: coreLog,
      applied,
    });
    this.transport = new Transport({
      id: c.id,
      selfAddress: o.selfAddress,
      server: o.server,
      logger: o.logger.child({ node: c.id }),
      faults: o.faults,
      probes: this.probes,
      onMessage: (m) => this.onMessage(m),
      onUnreachable: (peer) => {
        if (!this.stopped) this.raw.reportUnreachable(peer);
      },
      onSnapshotStatus: (peer, ok) => {
        if (this.stopped) return;
        this.raw.reportSnapshot(peer, ok);
        this.schedule();
      },
      onPeerAddress: (peer, address) => {
        if (this.book.learn(peer, address)) this.transport.setPeer(peer, address);
      },
    });
    for (const [id, address] of book.entries()) this.transport.setPeer(id as NodeId, address);
    this.ticker = setInterval(() => this.onTick(), c.tickMs);
    this.log.info({ applied, commit: storage.hardState().commit, term: storage.hardState().term }, 'raft node started');
  }

  static async start(o: RaftNodeOptions): Promise<RaftNode> {
    const c = validate(o);
    await mkdir(o.dataDir, { recursive: true });
    let storage: LevelStorage;
    try {
      storage = await LevelStorage.open(join(o.dataDir, 'raft-log'));
    } catch (err) {
      const code = (err as { code?: string; cause?: { code?: string } }).cause?.code ?? (err as { code?: string }).code;
      if (code === 'LEVEL_LOCKED') throw new FatalError(FatalReason.DataDirLocked, `raft log in ${o.dataDir} is locked by another process`);
      throw err;
    }
    const book = await AddressBook.load(o.dataDir);
    book.set(c.id, o.selfAddress);
    for (const p of o.peers) if (book.get(p.id) === undefined) book.set(p.id, p.address);
    const empty = storage.lastIndex() === 0 && storage.snapshot().meta.index === 0;
    if (empty && !o.join) {
      // Every founding member writes the same conf entries, in the same order (raw-node.ts).
      const { entries, hardState } = bootstrapEntries(o.peers.map((p) => nodeId(p.id)));
      await storage.save({ entries, hardState, snapshot: null });
    }
    const snap = storage.snapshot();
    let applied = o.stateMachine.appliedIndex();
    const commit = storage.hardState().commit;
    if (applied > Math.max(commit, storage.lastIndex(), snap.meta.index)) {
      await storage.close();
      throw new FatalError(FatalReason.StorageCorrupt, `state machine applied ${applied} beyond the log's last index ${storage.lastIndex()}`);
    }
    if (applied > commit && applied > snap.meta.index) {
      // The commit index is written lazily; what the state machine applied was committed.
      await storage.save({ entries: [], snapshot: null, hardState: { ...storage.hardState(), commit: applied } });
    }
    if (snap.meta.index > 0) {
      const { addresses, app } = decodeSnapshotData(snap.data);
      for (const [id, address] of addresses) book.set(id, address);
      if (snap.meta.index > applied) {
        await o.stateMachine.restore(app, snap.meta.index);
        applied = snap.meta.index;
      }
    }
    await book.persist();
    return new RaftNode(o, c, storage, book, applied);
  }

  get id(): number {
    return this.c.id;
  }
  get isLeader(): boolean {
    return this.role === 'leader';
  }
  get leaderId(): number {
    return this.lead;
  }
  get leaderAddress(): string | undefined {
    return this.lead === NoNode ? undefined : this.book.get(this.lead);
  }
  get term(): number {
    return this.raw.raft.term;
  }
  get appliedIndex(): number {
    return this.applied;
  }

  /** Transport counters (frames and messages in and out, drops, invalid input). */
  get transportStats(): Transport['stats'] {
    return this.transport.stats;
  }

  onLeaderChange(cb: (e: LeaderChange) => void): void {
    this.leaderListeners.push(cb);
  }

  /**
   * How long after a quorum acknowledged this leader's heartbeats no other leader can be elected:
   * a follower grants no vote while less than an election timeout (counted in whole ticks) has
   * passed since it last heard from the leader (thesis §4.2.3; the core's vote lease). One tick is
   * taken off for tick granularity; callers add their own clock-drift margin.
   */
  get leaderLeaseMs(): number {
    return (this.c.electionTicks - 1) * this.c.tickMs;
  }

  /** The commit index this node knows of. */
  get commitIndex(): number {
    return this.raw.raft.log.committed;
  }

  status(): RaftNodeStatus {
    const s = this.raw.status();
    const members = [...s.conf.voters.map((id) => ({ id, learner: false })), ...s.conf.learners.map((id) => ({ id, learner: true }))];
    const role: RaftRole = s.conf.learners.includes(this.c.id) ? 'learner' : s.role;
    return {
      id: this.c.id,
      role,
      term: s.term,
      commit: s.commit,
      applied: this.applied,
      leader: s.lead,
      peers: members.map(({ id, learner }) => {
        const pr = s.progress.get(id);
        const peer: RaftNodeStatus['peers'][number] = { id, address: this.book.get(id), learner };
        if (pr !== undefined) peer.match = pr.match;
        return peer;
      }),
    };
  }

  /** Replicates `data`; resolves once it is committed and applied (see the contract above). */
  async propose(data: Uint8Array): Promise<{ index: number; term: number }> {
    return this.proposePayload(commandPayload(data));
  }

  private async proposePayload(payload: Uint8Array): Promise<{ index: number; term: number }> {
    this.checkRunning();
    // Bounded by the number of callers waiting; each pass either proceeds or waits for room.
    while (this.proposals.size >= this.c.pendingProposalsMax) {
      await new Promise<void>((resolve) => this.roomWaiters.push(resolve));
      this.checkRunning();
    }
    const r = this.raw.propose(payload);
    if (!r.ok) throw this.refusal(r);
    return this.track(r.index, r.term);
  }

  private track(index: number, term: number): Promise<{ index: number; term: number }> {
    return new Promise((resolve, reject) => {
      assert(!this.proposals.has(index), `two pending proposals at index ${index}`);
      const startedMs = performance.now();
      if (this.proposedAtMs < 0) this.proposedAtMs = startedMs;
      this.proposals.set(index, { term, deadlineMs: Date.now() + this.c.proposeTimeoutMs, startedMs, resolve, reject });
      this.schedule();
    });
  }

  /** A linearizable read barrier: resolves once applied ≥ a quorum-confirmed read index. */
  async readIndex(): Promise<void> {
    this.checkRunning();
    if (this.role !== 'leader') throw this.notLeader();
    const ctx = `${this.c.id}:${++this.readSeq}`;
    const r = this.raw.readIndex(ctx);
    if (!r.ok) throw this.refusal(r);
    return new Promise<void>((resolve, reject) => {
      this.reads.set(ctx, { index: -1, deadlineMs: Date.now() + this.c.readTimeoutMs, resolve, reject });
      this.schedule();
    });
  }

  /** Hands leadership to voter `to`; resolves once `to` leads. */
  async transferLeadership(to: number): Promise<void> {
    this.checkRunning();
    if (this.role !== 'leader') throw this.notLeader();
    const target = nodeId(to);
    if (target === this.c.id) return;
    const r = this.raw.transferLeader(target);
    if (!r.ok) throw this.refusal(r);
    this.schedule();
    await this.waitUntil(() => this.lead === target, 2 * this.c.tickMs * this.c.electionTicks + 1_000, `transfer to ${to}`);
  }

  /** Adds a member: its address, then as a learner, then (once caught up) as a voter. */
  async addMember(id: number, address: string): Promise<void> {
    this.checkRunning();
    const node = nodeId(id);
    if (this.role !== 'leader') throw this.notLeader();
    if (this.raw.raft.conf.voters.includes(node)) return;
    if (this.book.entries().get(node) !== address) await this.proposePayload(addressPayload(node, address));
    if (!this.raw.raft.conf.learners.includes(node)) await this.proposeConf({ type: 'add-learner', node });
    // Catch up to the commit index as of now before counting it in quorums (thesis §4.2.1).
    const target = this.raw.raft.log.committed;
    this.log.info({ member: id, target }, 'waiting for learner to catch up');
    await this.waitUntil(
      () => {
        if (this.role !== 'leader') throw this.notLeader();
        return (this.raw.raft.prs.get(node)?.match ?? 0) >= target;
      },
      this.c.catchUpTimeoutMs,
      `learner ${id} catching up to ${target}`,
    );
    await this.proposeConf({ type: 'add-voter', node });
  }

  async removeMember(id: number): Promise<void> {
    this.checkRunning();
    const node = nodeId(id);
    if (this.role !== 'leader') throw this.notLeader();
    const conf = this.raw.raft.conf;
    if (!conf.voters.includes(node) && !conf.learners.includes(node)) return;
    await this.proposeConf({ type: 'remove', node });
  }

  /** Proposes a conf change, retrying while another is still uncommitted; resolves once applied. */
  private async proposeConf(cc: ConfChange): Promise<void> {
    const deadlineMs = Date.now() + this.c.proposeTimeoutMs;
    // Bounded by the deadline; one attempt per tick.
    for (;;) {
      this.checkRunning();
      const r = this.raw.proposeConfChange(cc);
      if (r.ok) {
        await this.track(r.index, r.term);
        return;
      }
      if (r.rejection !== 'conf-change-pending' || Date.now() > deadlineMs) throw this.refusal(r);
      await new Promise((resolve) => setTimeout(resolve, this.c.tickMs));
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.ticker);
    await this.idle;
    await this.flushHardState();
    await this.transport.stop();
    const err = new NotLeader(NoNode, undefined, 'raft node stopped');
    this.rejectAll(err);
    await this.storage.close();
    this.log.info('raft node stopped');
  }

  // ---------------------------------------------------------------- the loop

  private onMessage(m: Message): void {
    if (this.stopped) return;
    const nowMs = performance.now();
    if (m.type === 'MsgApp' && m.entries.length > 0 && this.appReceivedAtMs < 0) this.appReceivedAtMs = nowMs;
    const committed = this.raw.raft.log.committed;
    this.raw.step(m);
    if (m.type === 'MsgAppResp' && !m.reject) this.probeAck(m.from, m.index, nowMs);
    if (this.raw.raft.log.committed > committed && this.commitSeenAtMs < 0) this.commitSeenAtMs = nowMs;
    this.schedule();
  }

  /** Latency of each Ready-loop phase (p50/p99/max over recent samples), for the benchmark. */
  latency(reset = false): Record<string, PhaseSummary> {
    const out = this.probes.summary();
    if (reset) this.probes.reset();
    return out;
  }

  private probeAck(from: NodeId, index: number, nowMs: number): void {
    const inFlight = this.appsInFlight.get(from);
    if (inFlight === undefined) return;
    // Bounded by the in-flight list (≤ 256 per peer).
    while (inFlight.length > 0 && inFlight[0]![0] <= index) this.probes.record('leader: MsgApp sent → ack received', nowMs - inFlight.shift()![1]);
  }

  private probeSent(messages: readonly Message[], nowMs: number): void {
    for (const m of messages) {
      if (m.type !== 'MsgApp' || m.entries.length === 0) continue;
      let inFlight = this.appsInFlight.get(m.to);
      if (inFlight === undefined) this.appsInFlight.set(m.to, (inFlight = []));
      if (inFlight.length >= 256) inFlight.shift();
      inFlight.push([m.entries[m.entries.length - 1]!.index, nowMs]);
    }
  }

  private async flushHardState(): Promise<void> {
    const hardState = this.deferredHardState;
    this.deferredHardState = null;
    if (hardState !== null) await this.storage.save({ entries: [], snapshot: null, hardState });
  }

  private onTick(): void {
    if (this.stopped) return;
    // An idle node writes a deferred commit after `hardStateFlushMs`; a busy one carries it in its
    // next entries batch. Flushing at every tick would add an fsync per tick per node, competing
    // with the writes that commit latency waits for (all nodes share a disk on a dev box).
    if (this.deferredHardState !== null && Date.now() - this.deferredAtMs >= hardStateFlushMs) this.commitFlushDue = true;
    this.raw.tick();
    this.sweep(Date.now());
    this.schedule();
  }

  private schedule(): void {
    if (this.driving || this.stopped) return;
    this.driving = true;
    this.scheduledAtMs = performance.now();
    // setImmediate rather than a microtask: proposals made in this turn join the same Ready.
    this.idle = new Promise<void>((resolve) => setImmediate(() => void this.drive().finally(resolve)));
  }

  private async drive(): Promise<void> {
    try {
      // Bounded by the work the core has; each pass hands one Ready back.
      while (!this.stopped && this.raw.hasReady()) {
        const rd = this.raw.ready();
        await this.handleReady(rd);
        this.raw.advance();
        this.afterAdvance();
        await this.maybeSnapshot();
      }
      if (this.commitFlushDue && this.deferredHardState !== null && !this.stopped) await this.flushHardState();
      this.commitFlushDue = false;
    } catch (err) {
      this.fail(err);
    } finally {
      this.driving = false;
    }
    // A step between the last hasReady() and here cannot happen (same synchronous run), but a
    // Ready skipped because of `stopped` is fine: stop() discards it.
  }

  private async handleReady(rd: Ready): Promise<void> {
    const readyMs = performance.now();
    if (this.scheduledAtMs >= 0) {
      this.probes.record('schedule → ready', readyMs - this.scheduledAtMs);
      this.scheduledAtMs = -1;
    }
    const leading = this.role === 'leader';
    if (rd.entries.length > 0 && this.proposedAtMs >= 0 && leading) {
      this.probes.record('leader: propose → ready', readyMs - this.proposedAtMs);
      this.proposedAtMs = -1;
    }
    const appReceivedAtMs = rd.entries.length > 0 ? this.appReceivedAtMs : -1;
    if (appReceivedAtMs >= 0) {
      this.probes.record('follower: MsgApp received → ready', readyMs - appReceivedAtMs);
      this.appReceivedAtMs = -1;
    }
    if (rd.committedEntries.length > 0 && this.commitSeenAtMs >= 0) {
      this.probes.record('leader: commit advanced → ready', readyMs - this.commitSeenAtMs);
      this.commitSeenAtMs = -1;
    }
    if (rd.softState !== null) this.onSoftState(rd.softState);
    const persist = rd.mustSync || rd.snapshot !== null || rd.entries.length > 0;
    // One MsgApp per follower per Ready rather than one per proposal (coalesce.ts).
    let messages = this.role === 'leader' && rd.messages.length > 1 ? coalesceAppends(rd.messages) : rd.messages;
    if (persist && messages.length > 0 && this.role === 'leader') {
      // 0. A leader's MsgApps go out before its own write, so the followers' writes overlap it
      //    (thesis §10.2.1). They promise nothing about this node's disk: they carry the leader's
      //    entries and a commit index. The core counts the leader's own entries towards the quorum
      //    as soon as they are appended, but a commit that relies on them can only surface in a
      //    later Ready — handed out after this write is durable (one Ready at a time) — so nothing
      //    applied, answered or sent ever depends on an entry the leader has not written. Only
      //    MsgApps of the term already durable here qualify; everything else (votes, responses,
      //    heartbeats, snapshots) waits for the write as before.
      const durableTerm = this.storage.hardState().term;
      const early: Message[] = [];
      const late: Message[] = [];
      for (const m of messages) (m.type === 'MsgApp' && m.term === durableTerm && m.term === this.raw.raft.term ? early : late).push(m);
      if (early.length > 0) {
        const sentMs = performance.now();
        this.transport.send(early);
        this.probeSent(early, sentMs);
        messages = late;
      }
    }
    // 1. Persist (one synced batch), 2. only then send the rest (thesis §3.8).
    if (!persist) {
      if (rd.hardState !== null) {
        if (this.deferredHardState === null) this.deferredAtMs = Date.now();
        this.deferredHardState = rd.hardState;
      }
    } else {
      const persistMs = performance.now();
      await this.storage.save({ snapshot: rd.snapshot, entries: rd.entries, hardState: rd.hardState ?? this.deferredHardState });
      this.deferredHardState = null;
      this.probes.record('persist (synced batch)', performance.now() - persistMs);
    }
    if (messages.length > 0) {
      const sentMs = performance.now();
      this.transport.send(messages);
      if (leading) this.probeSent(messages, sentMs);
      if (appReceivedAtMs >= 0) this.probes.record('follower: MsgApp received → ack queued', sentMs - appReceivedAtMs);
    }
    // 3. Apply.
    if (rd.snapshot !== null) await this.restoreSnapshot(rd.snapshot);
    if (rd.committedEntries.length > 0) {
      const applyMs = performance.now();
      await this.applyEntries(rd.committedEntries);
      this.probes.record('apply (state machine + resolve)', performance.now() - applyMs);
    }
    for (const rs of rd.readStates) this.onReadState(rs);
  }

  private onSoftState(s: SoftState): void {
    const wasLeader = this.role === 'leader';
    this.role = s.role;
    this.lead = s.lead;
    this.log.info({ role: s.role, leader: s.lead, term: this.raw.raft.term }, 'raft role changed');
    if (wasLeader && s.role !== 'leader') {
      // Entries above the commit index may or may not survive: their callers must retry.
      const committed = this.raw.raft.log.committed;
      const err = this.notLeader('leadership lost before commit');
      for (const [index, p] of this.proposals) {
        if (index > committed) {
          this.proposals.delete(index);
          p.reject(err);
        }
      }
      for (const [ctx, r] of this.reads) {
        if (r.index < 0) {
          this.reads.delete(ctx);
          r.reject(err);
        }
      }
      this.releaseRoom();
    }
    if (s.role === 'leader' && !wasLeader) this.leaderReadyIndex = this.raw.raft.log.lastIndex();
    this.announce();
  }

  /** Tells listeners about leadership; a new leader is announced once it has caught up. */
  private announce(): void {
    const isLeader = this.role === 'leader' && this.applied >= this.leaderReadyIndex;
    const leaderId = this.role === 'leader' && !isLeader ? NoNode : this.lead;
    if (isLeader === this.announced.isLeader && leaderId === this.announced.leaderId) return;
    this.announced = { isLeader, leaderId };
    const e: LeaderChange = { isLeader, leaderId, leaderAddress: leaderId === NoNode ? undefined : this.book.get(leaderId), term: this.raw.raft.term };
    for (const cb of this.leaderListeners) cb(e);
  }

  private async restoreSnapshot(snap: Snapshot): Promise<void> {
    const { addresses, app } = decodeSnapshotData(snap.data);
    for (const [id, address] of addresses) {
      if (this.book.set(id, address)) this.transport.setPeer(id as NodeId, address);
    }
    await this.book.persist();
    await this.o.stateMachine.restore(app, snap.meta.index);
    this.log.info({ index: snap.meta.index, term: snap.meta.term }, 'restored state machine from snapshot');
    this.applied = snap.meta.index;
    this.snapshotIndex = snap.meta.index;
    // Proposals at or below the snapshot cannot be matched to an entry: outcome unknown.
    for (const [index, p] of this.proposals) {
      if (index <= snap.meta.index) {
        this.proposals.delete(index);
        p.reject(this.notLeader('entry covered by a snapshot from the leader'));
      }
    }
  }

  private async applyEntries(entries: Entry[]): Promise<void> {
    const batch: AppliedEntry[] = [];
    for (const e of entries) {
      if (e.type === 'conf-change') {
        this.onConfChangeApplied(decodeConfChange(e.data), e.index);
        continue;
      }
      const p = decodePayload(e.index, e.data);
      switch (p.tag) {
        case 'empty':
          break;
        case 'command':
          batch.push({ index: e.index, term: e.term, data: p.data });
          break;
        case 'address':
          if (this.book.set(p.id, p.address)) this.transport.setPeer(p.id as NodeId, p.address);
          break;
        default:
          unreachable(p);
      }
    }
    // Addresses first: a state machine that is durable past this batch never replays it.
    await this.book.persist();
    if (batch.length > 0) await this.o.stateMachine.apply(batch);
    this.applied = entries[entries.length - 1]!.index;
    if (this.proposals.size > 0) {
      for (const e of entries) {
        const p = this.proposals.get(e.index);
        if (p === undefined) continue;
        this.proposals.delete(e.index);
        if (p.term === e.term) {
          this.probes.record('leader: propose → resolve', performance.now() - p.startedMs);
          p.resolve({ index: e.index, term: e.term });
        }
        else p.reject(this.notLeader(`entry ${e.index} was overwritten by term ${e.term}`));
      }
      this.releaseRoom();
    }
  }

  private onConfChangeApplied(cc: ConfChange, index: number): void {
    this.log.info({ index }, `applied conf change ${formatConfChange(cc)}`);
    if (cc.node === this.c.id) return;
    if (cc.type === 'remove') this.transport.removePeer(cc.node);
    else {
      const address = this.book.get(cc.node);
      if (address !== undefined && !this.transport.hasPeer(cc.node)) this.transport.setPeer(cc.node, address);
    }
  }

  private onReadState(rs: ReadState): void {
    const r = this.reads.get(rs.context);
    if (r === undefined) return;
    r.index = rs.index;
  }

  private afterAdvance(): void {
    if (this.reads.size > 0) {
      for (const [ctx, r] of this.reads) {
        if (r.index >= 0 && r.index <= this.applied) {
          this.reads.delete(ctx);
          r.resolve();
        }
      }
    }
    this.announce();
    this.checkWaiters();
  }

  private async maybeSnapshot(): Promise<void> {
    if (this.applied - this.snapshotIndex < this.c.snapshotEveryEntries || this.stopped) return;
    assert(this.raw.status().applied === this.applied, 'snapshot index differs from the core applied index');
    const index = this.applied;
    const app = await this.o.stateMachine.snapshot();
    const compactIndex = Math.max(this.storage.firstIndex() - 1, index - this.c.snapshotTailEntries);
    await this.storage.createSnapshot(index, this.raw.appliedConfState(), encodeSnapshotData(this.book.entries(), app), compactIndex);
    this.snapshotIndex = index;
    this.log.info({ index, compactIndex, sizeBytes: app.byteLength }, 'took snapshot and compacted the log');
  }

  // ---------------------------------------------------------------- deadlines and waiting

  private sweep(nowMs: number): void {
    // Insertion order is index order and every deadline is now + a constant, so the first
    // unexpired proposal ends the scan.
    for (const [index, p] of this.proposals) {
      if (p.deadlineMs > nowMs) break;
      this.proposals.delete(index);
      p.reject(new FsError(Errno.ETIMEDOUT, `proposal at ${index} not applied in ${this.c.proposeTimeoutMs} ms; outcome unknown`, { code: ErrorCode.Timeout }));
    }
    for (const [ctx, r] of this.reads) {
      if (r.deadlineMs > nowMs) break;
      this.reads.delete(ctx);
      r.reject(new FsError(Errno.ETIMEDOUT, `read index not confirmed in ${this.c.readTimeoutMs} ms`, { code: ErrorCode.Timeout }));
    }
    this.releaseRoom();
    this.checkWaiters();
  }

  private waitUntil(pred: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (pred()) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.add({ pred, deadlineMs: Date.now() + timeoutMs, resolve, reject, what }));
  }

  private checkWaiters(): void {
    const now = Date.now();
    for (const w of this.waiters) {
      let done = false;
      try {
        done = w.pred();
      } catch (err) {
        this.waiters.delete(w);
        w.reject(err);
        continue;
      }
      if (done) {
        this.waiters.delete(w);
        w.resolve();
      } else if (now > w.deadlineMs) {
        this.waiters.delete(w);
        w.reject(new FsError(Errno.ETIMEDOUT, `timed out: ${w.what}`, { code: ErrorCode.Timeout }));
      }
    }
  }

  private releaseRoom(): void {
    while (this.roomWaiters.length > 0 && this.proposals.size < this.c.pendingProposalsMax) this.roomWaiters.shift()!();
  }

  private rejectAll(err: unknown): void {
    for (const p of this.proposals.values()) p.reject(err);
    this.proposals.clear();
    for (const r of this.reads.values()) r.reject(err);
    this.reads.clear();
    for (const w of this.waiters) w.reject(err);
    this.waiters.clear();
    for (const wake of this.roomWaiters.splice(0)) wake();
  }

  // ---------------------------------------------------------------- errors

  private checkRunning(): void {
    if (this.failed !== undefined) throw new FsError(Errno.EIO, 'raft node failed', { cause: this.failed });
    if (this.stopped) throw new NotLeader(NoNode, undefined, 'raft node stopped');
  }

  private notLeader(detail?: string): NotLeader {
    const lead = this.lead === this.c.id ? NoNode : this.lead;
    return new NotLeader(lead, lead === NoNode ? undefined : this.book.get(lead), detail);
  }

  private refusal(r: Refused): FsError {
    switch (r.rejection) {
      case 'not-leader':
      case 'no-leader':
      case 'leader-transfer':
        return this.notLeader(r.detail);
      case 'too-many-uncommitted':
      case 'too-many-reads':
      case 'conf-change-pending':
        return new FsError(Errno.EAGAIN, r.detail, { hint: 'back off and retry' });
      case 'invalid-conf-change':
      case 'invalid-transfer':
        return new FsError(Errno.EINVAL, r.detail, { code: ErrorCode.BadInput });
      default:
        return unreachable(r.rejection);
    }
  }

  /**
   * A failure in the loop (the log cannot be written, the state machine failed to apply, corrupt
   * data): the node cannot go on without breaking its promises, so the process stops (crash).
   */
  private fail(err: unknown): void {
    this.failed = err;
    this.log.fatal({ err }, 'raft node failed; stopping the process');
    this.rejectAll(new FsError(Errno.EIO, 'raft node failed', { cause: err }));
    process.nextTick(() => {
      throw err;
    });
  }
}



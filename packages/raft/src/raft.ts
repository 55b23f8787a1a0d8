// The Raft state machine (Ongaro & Ousterhout 2014; Ongaro's thesis 2014), in the shape of
// etcd-raft's raft.go: no I/O, no clock, no randomness of its own. Inputs are step(message),
// tick() and the proposal methods; outputs accumulate in `msgs`, `readStates` and the log's
// unstable tail, which RawNode packages into a Ready.
//
// Roles are swapped step functions (follower, pre-candidate/candidate, leader); transitions go
// through become*(), which assert their preconditions, so an illegal transition crashes.
//
// Features: leader election with randomized timeouts, pre-vote (thesis §9.6), check-quorum
// (thesis §6.2, leader steps down without a recent quorum; followers ignore disruptive votes while
// they hear from a leader), batched replication with probe/replicate/snapshot flow control,
// fast back-tracking on rejection, snapshots, single-server membership changes (thesis §4.1,
// configurations take effect when appended, as the thesis prescribes), leadership transfer
// (thesis §3.10) and ReadIndex reads (thesis §6.4).
//
// Invariants (asserted where they can be checked locally):
// - term never decreases; a node votes at most once per term (vote persisted in HardState).
// - At most one leader per term: a leader receiving MsgApp/MsgHeartbeat/MsgSnap for its own term,
//   or a follower hearing two leaders in one term, crashes.
// - A leader commits by counting replicas only for entries of its own term (§5.4.2).
// - A leader has at most one uncommitted conf change and proposes one only after committing an
//   entry of its own term (the fix to single-server changes in Ongaro's raft-dev post of 2015).

import { assert } from '@cairn/errors';
import {
  type ConfChange,
  applyConfChange,
  confStateEqual,
  decodeConfChange,
  encodeConfChange,
  formatConfChange,
  formatConfState,
  validateConfChange,
} from './conf.js';
import { RaftLog } from './log.js';
import { type Logger, silentLogger } from './logger.js';
import { Progress } from './progress.js';
import type { RandomSource } from './random.js';
import { Compacted, SnapshotUnavailable, type Storage } from './storage.js';
import {
  type ConfState,
  type Entry,
  type EntryType,
  type HardState,
  type Message,
  type MessageType,
  NoNode,
  type NodeId,
  type ReadState,
  type Role,
  type Snapshot,
  type SoftState,
  entrySizeBytes,
  message,
} from './types.js';

export interface Config {
  id: NodeId;
  storage: Storage;
  /** Followers campaign after a random timeout in [electionTicks, 2·electionTicks). */
  electionTicks: number;
  /** A leader sends heartbeats every heartbeatTicks; must be well below electionTicks. */
  heartbeatTicks: number;
  /** Source of election-timeout jitter. Seed it from the node id and a clock in production. */
  random: RandomSource;
  logger?: Logger;
  /**
   * Last index the application has already applied (persistent state machines). Default: the
   * index of Storage's snapshot, from which the application restores its state machine.
   */
  applied?: number;
  /** Upper bound on the entries bytes of one MsgApp (at least one entry is always sent). */
  maxSizePerMsgBytes?: number;
  /** Unacknowledged MsgApps per follower in replicate state. */
  maxInflightMsgs?: number;
  /** Bytes of proposed-but-uncommitted entries a leader accepts before refusing proposals. */
  maxUncommittedEntriesBytes?: number;
  /** Upper bound on the bytes of committed entries in one Ready. */
  maxCommittedSizePerReadyBytes?: number;
  /** ReadIndex requests a leader holds while confirming leadership. */
  maxPendingReads?: number;
  /** Ticks a leader waits for a snapshot to be acknowledged before sending it again. */
  snapshotTimeoutTicks?: number;
  checkQuorum?: boolean;
  preVote?: boolean;
}

type ResolvedConfig = Required<Config>;

/** Checks a config once, at construction (etcd Config.validate()). */
export function validateConfig(c: Config): ResolvedConfig {
  assert(c.id !== NoNode, 'config: id must not be 0');
  assert(Number.isSafeInteger(c.heartbeatTicks) && c.heartbeatTicks > 0, 'config: heartbeatTicks must be positive');
  assert(c.electionTicks > c.heartbeatTicks, 'config: electionTicks must exceed heartbeatTicks');
  const resolved: ResolvedConfig = {
    ...c,
    logger: silentLogger,
    applied: 0,
    maxSizePerMsgBytes: 1 << 20,
    maxInflightMsgs: 256,
    maxUncommittedEntriesBytes: 64 << 20,
    maxCommittedSizePerReadyBytes: 16 << 20,
    maxPendingReads: 4096,
    snapshotTimeoutTicks: c.electionTicks * 10,
    checkQuorum: true,
    preVote: true,
  };
  // Only defined fields override the defaults (`{logger: undefined}` means "default").
  for (const [k, v] of Object.entries(c)) if (v !== undefined) (resolved as unknown as Record<string, unknown>)[k] = v;
  assert(resolved.maxInflightMsgs > 0, 'config: maxInflightMsgs must be positive');
  assert(resolved.maxSizePerMsgBytes > 0, 'config: maxSizePerMsgBytes must be positive');
  assert(resolved.maxUncommittedEntriesBytes > 0, 'config: maxUncommittedEntriesBytes must be positive');
  assert(resolved.maxPendingReads > 0, 'config: maxPendingReads must be positive');
  assert(resolved.snapshotTimeoutTicks > 0, 'config: snapshotTimeoutTicks must be positive');
  return resolved;
}

/** Why a proposal, conf change, transfer or read was refused. Nothing changed when refused. */
export type Rejection =
  | 'not-leader' // propose to the leader (`lead` says who, when known)
  | 'no-leader' // a follower cannot forward a read: no leader known
  | 'leader-transfer' // a leadership transfer is in progress
  | 'conf-change-pending' // a conf change is uncommitted, or the leader has not committed in its term
  | 'invalid-conf-change'
  | 'invalid-transfer'
  | 'too-many-uncommitted' // maxUncommittedEntriesBytes reached: back off
  | 'too-many-reads'; // maxPendingReads reached: back off

export type Accepted = { ok: true; index: number; term: number };
export type Refused = { ok: false; rejection: Rejection; lead: NodeId; detail: string };
export type Result = Accepted | Refused;

interface PendingRead {
  seq: number;
  index: number;
  context: string;
  from: NodeId;
}

type CampaignKind = 'pre-election' | 'election' | 'transfer';
type VoteResult = 'won' | 'lost' | 'pending';

export class Raft {
  readonly id: NodeId;
  term = 0;
  vote: NodeId = NoNode;
  lead: NodeId = NoNode;
  role: Role = 'follower';
  readonly log: RaftLog;
  /** Progress of every member (self included), voters and learners; kept in sync with `conf`. */
  readonly prs = new Map<NodeId, Progress>();
  /** The membership in force: that of the latest conf entry in the log (thesis §4.1). */
  conf: ConfState = { voters: [], learners: [] };
  /**
   * Membership history from the applied index on: confs[0] is the membership as of the applied
   * index; later elements are the conf entries above it, in log order. Bounded by the log.
   */
  private confs: { index: number; conf: ConfState }[] = [];
  /** The membership as of the applied index (what a snapshot taken there must record). */
  appliedConf: ConfState = { voters: [], learners: [] };
  /** Outgoing messages, drained by RawNode.ready(). Sent only after the Ready is persisted. */
  msgs: Message[] = [];
  /** Confirmed reads for the application, drained by RawNode.ready(). */
  readStates: ReadState[] = [];

  private readonly votes = new Map<NodeId, boolean>();
  private electionElapsed = 0;
  private heartbeatElapsed = 0;
  private randomizedElectionTimeout = 0;
  leadTransferee: NodeId = NoNode;
  /** Own uncommitted appends (index, bytes), oldest first, to enforce maxUncommittedEntriesBytes. */
  private uncommitted: { index: number; sizeBytes: number }[] = [];
  private uncommittedSizeBytes = 0;
  private readSeq = 0;
  private pendingReads: PendingRead[] = [];
  /** Reads that arrived before this leader committed an entry of its term (thesis §6.4 step 1). */
  private readsAwaitingCommit: { context: string; from: NodeId }[] = [];
  private readonly readAcks = new Map<NodeId, number>();
  private readonly cfg: ResolvedConfig;
  private readonly logger: Logger;

  constructor(config: Config) {
    this.cfg = validateConfig(config);
    this.id = config.id;
    this.logger = this.cfg.logger;
    this.log = new RaftLog(config.storage, this.logger);
    const { hardState, confState } = config.storage.initialState();
    this.replayConfs(confState);
    if (hardState.term !== 0 || hardState.vote !== NoNode || hardState.commit !== 0) this.loadState(hardState);
    // By default the application restored its state machine from Storage's latest snapshot,
    // which may be newer than the compaction point (a tail of entries is often kept).
    let applied = this.cfg.applied;
    if (applied === 0) {
      const snap = config.storage.snapshot();
      if (snap !== SnapshotUnavailable) applied = snap.meta.index;
    }
    if (applied > this.log.applied) this.log.appliedTo(applied);
    this.trimConfs();
    this.becomeFollower(this.term, NoNode);
    this.logger.info(
      `newRaft ${this.id} [${formatConfState(this.conf)}] [term: ${this.term}, commit: ${this.log.committed}, ` +
        `applied: ${this.log.applied}, lastindex: ${this.log.lastIndex()}, lastterm: ${this.log.lastTerm()}]`,
    );
  }

  /** Rebuilds the membership from the snapshot's and every conf entry in the stored log. */
  private replayConfs(base: ConfState): void {
    // The base membership is the snapshot's; entries kept below the snapshot index (a tail left
    // by compaction) are already reflected in it and must not be applied twice.
    const snap = this.log.storage.snapshot();
    const baseIndex = Math.max(this.log.firstIndex() - 1, snap === SnapshotUnavailable ? 0 : snap.meta.index);
    this.confs = [{ index: baseIndex, conf: base }];
    const last = this.log.lastIndex();
    // Bounded: each page holds at least one entry, so at most lastIndex - baseIndex pages.
    for (let lo = baseIndex + 1; lo <= last; ) {
      const page = this.log.slice(lo, last + 1, this.cfg.maxSizePerMsgBytes);
      assert(page !== Compacted && page.length > 0, `cannot read stored entries from ${lo}`);
      this.recordConfs(page);
      lo = page[page.length - 1]!.index + 1;
    }
    this.setConf(this.confs[this.confs.length - 1]!.conf);
  }

  private loadState(hs: HardState): void {
    assert(
      hs.commit >= this.log.committed && hs.commit <= this.log.lastIndex(),
      `hard state commit ${hs.commit} is out of range [${this.log.committed}, ${this.log.lastIndex()}]`,
    );
    this.log.committed = hs.commit;
    this.term = hs.term;
    this.vote = hs.vote;
  }

  hardState(): HardState {
    return { term: this.term, vote: this.vote, commit: this.log.committed };
  }

  softState(): SoftState {
    return { lead: this.lead, role: this.role };
  }

  private quorum(): number {
    return Math.floor(this.conf.voters.length / 2) + 1;
  }

  private promotable(): boolean {
    return this.conf.voters.includes(this.id);
  }

  private committedInTerm(): boolean {
    return this.log.termOrZero(this.log.committed) === this.term;
  }

  // ---------------------------------------------------------------- membership

  /** Records the conf entries among `ents` (which are appended at the end of the log). */
  private recordConfs(ents: readonly Entry[]): void {
    for (const e of ents) {
      if (e.type !== 'conf-change') continue;
      const prev = this.confs[this.confs.length - 1]!;
      assert(e.index > prev.index, `conf entry ${e.index} not after ${prev.index}`);
      const cc = decodeConfChange(e.data);
      this.confs.push({ index: e.index, conf: applyConfChange(prev.conf, cc) });
    }
  }

  /** Entries from `fromIndex` on were (re)written: forget conf entries there, record the new ones. */
  private onAppended(fromIndex: number, ents: readonly Entry[]): void {
    assert(this.confs[0]!.index < fromIndex, `rewriting the log at ${fromIndex}, below the applied membership`);
    while (this.confs[this.confs.length - 1]!.index >= fromIndex) this.confs.pop();
    this.recordConfs(ents.filter((e) => e.index >= fromIndex));
    const latest = this.confs[this.confs.length - 1]!.conf;
    if (!confStateEqual(latest, this.conf)) this.setConf(latest);
  }

  private latestConfIndex(): number {
    return this.confs[this.confs.length - 1]!.index;
  }

  /** Membership as of `index` (the latest conf entry at or before it); index ≥ applied. */
  confStateAt(index: number): ConfState {
    assert(index >= this.confs[0]!.index, `membership at ${index} is older than the applied ${this.confs[0]!.index}`);
    let found = this.confs[0]!.conf;
    for (const c of this.confs) {
      if (c.index > index) break;
      found = c.conf;
    }
    return found;
  }

  /**
   * Drops membership history at or below the applied index, keeping the one in force there, and
   * records that one as the applied membership. While a restored snapshot is not yet applied
   * (confs[0] is above the applied index), the applied membership stays what it was.
   */
  trimConfs(): void {
    while (this.confs.length > 1 && this.confs[1]!.index <= this.log.applied) this.confs.shift();
    if (this.confs[0]!.index <= this.log.applied) this.appliedConf = this.confs[0]!.conf;
  }

  private setConf(conf: ConfState): void {
    const before = this.conf;
    this.conf = conf;
    if (before.voters.length + before.learners.length > 0 || conf.voters.length + conf.learners.length > 0) {
      this.logger.info(`${this.id} switched to configuration ${formatConfState(conf)}`);
    }
    const members = new Set<NodeId>([...conf.voters, ...conf.learners]);
    for (const id of [...this.prs.keys()]) if (!members.has(id)) this.prs.delete(id);
    for (const id of members) {
      const isLearner = conf.learners.includes(id);
      const pr = this.prs.get(id);
      if (pr !== undefined) {
        pr.isLearner = isLearner;
        continue;
      }
      const fresh = new Progress(this.log.lastIndex() + 1, this.cfg.maxInflightMsgs, isLearner);
      // A new member gets a grace period before check-quorum counts it as silent.
      fresh.recentActive = true;
      if (id === this.id) fresh.match = this.log.lastIndex();
      this.prs.set(id, fresh);
    }
    if (this.leadTransferee !== NoNode && !conf.voters.includes(this.leadTransferee)) this.abortLeaderTransfer();
    if (this.role === 'leader') {
      // A removal may lower the quorum; additions must start receiving the log.
      this.maybeCommit();
      for (const id of members) if (id !== this.id && !before.voters.includes(id) && !before.learners.includes(id)) this.sendAppend(id);
    }
  }

  // ---------------------------------------------------------------- transitions

  private reset(term: number): void {
    if (this.term !== term) {
      assert(term > this.term, `term went back from ${this.term} to ${term}`);
      this.term = term;
      this.vote = NoNode;
    }
    this.lead = NoNode;
    this.electionElapsed = 0;
    this.heartbeatElapsed = 0;
    this.randomizedElectionTimeout = this.cfg.electionTicks + this.cfg.random.int(this.cfg.electionTicks);
    this.abortLeaderTransfer();
    this.votes.clear();
    for (const [id, pr] of this.prs) {
      const fresh = new Progress(this.log.lastIndex() + 1, this.cfg.maxInflightMsgs, pr.isLearner);
      if (id === this.id) fresh.match = this.log.lastIndex();
      this.prs.set(id, fresh);
    }
    this.uncommitted = [];
    this.uncommittedSizeBytes = 0;
    this.pendingReads = [];
    this.readsAwaitingCommit = [];
    this.readAcks.clear();
  }

  becomeFollower(term: number, lead: NodeId): void {
    this.reset(term);
    this.lead = lead;
    this.role = 'follower';
    this.logger.info(`${this.id} became follower at term ${this.term}`);
  }

  private becomePreCandidate(): void {
    assert(this.role !== 'leader', 'invalid transition [leader -> pre-candidate]');
    // Pre-vote does not touch the term or vote: a failed pre-election changes nothing durable.
    this.votes.clear();
    this.lead = NoNode;
    this.role = 'pre-candidate';
    this.electionElapsed = 0;
    this.randomizedElectionTimeout = this.cfg.electionTicks + this.cfg.random.int(this.cfg.electionTicks);
    this.logger.info(`${this.id} became pre-candidate at term ${this.term}`);
  }

  private becomeCandidate(): void {
    assert(this.role !== 'leader', 'invalid transition [leader -> candidate]');
    this.reset(this.term + 1);
    this.vote = this.id;
    this.role = 'candidate';
    this.logger.info(`${this.id} became candidate at term ${this.term}`);
  }

  private becomeLeader(): void {
    assert(this.role === 'candidate', `invalid transition [${this.role} -> leader]`);
    this.reset(this.term);
    this.lead = this.id;
    this.role = 'leader';
    const self = this.prs.get(this.id);
    assert(self !== undefined, 'a leader is a member');
    self.becomeReplicate();
    self.recentActive = true;
    this.logger.info(`${this.id} became leader at term ${this.term}`);
    // An empty entry of the new term lets the leader learn (and commit) everything before it:
    // earlier-term entries are committed only indirectly (§5.4.2, thesis §3.6.2).
    const accepted = this.appendEntries([{ type: 'normal', data: new Uint8Array(0) }]);
    assert(accepted, 'the empty entry of a new leader is always accepted');
  }

  // ---------------------------------------------------------------- elections

  /** Starts an election if this node may: `kind` says whether pre-vote and leases apply. */
  hup(kind: 'election' | 'transfer'): void {
    if (this.role === 'leader') {
      this.logger.debug(`${this.id} ignoring MsgHup because already leader`);
      return;
    }
    if (!this.promotable()) {
      this.logger.warn(`${this.id} is unpromotable and can not campaign`);
      return;
    }
    this.logger.info(`${this.id} is starting a new election at term ${this.term}`);
    this.campaign(kind === 'election' && this.cfg.preVote ? 'pre-election' : kind);
  }

  private campaign(kind: CampaignKind): void {
    let term: number;
    let type: MessageType;
    if (kind === 'pre-election') {
      this.becomePreCandidate();
      type = 'MsgPreVote';
      // The pre-vote asks about the term we would campaign in, without moving to it.
      term = this.term + 1;
    } else {
      this.becomeCandidate();
      type = 'MsgVote';
      term = this.term;
    }
    if (this.poll(this.id, true) === 'won') {
      // A single-voter cluster wins at once.
      if (kind === 'pre-election') this.campaign('election');
      else this.becomeLeader();
      return;
    }
    const lastIndex = this.log.lastIndex();
    const lastTerm = this.log.lastTerm();
    for (const id of this.conf.voters) {
      if (id === this.id) continue;
      this.logger.info(
        `${this.id} [logterm: ${lastTerm}, index: ${lastIndex}] sent ${type} request to ${id} at term ${term}`,
      );
      this.send(
        message({
          type,
          from: this.id,
          to: id,
          term,
          index: lastIndex,
          logTerm: lastTerm,
          context: kind === 'transfer' ? 'transfer' : '',
        }),
      );
    }
  }

  private poll(id: NodeId, granted: boolean): VoteResult {
    if (!this.votes.has(id)) this.votes.set(id, granted);
    let yes = 0;
    let no = 0;
    for (const v of this.conf.voters) {
      const got = this.votes.get(v);
      if (got === true) yes++;
      else if (got === false) no++;
    }
    if (yes >= this.quorum()) return 'won';
    if (no > this.conf.voters.length - this.quorum()) return 'lost';
    return 'pending';
  }

  // ---------------------------------------------------------------- input: tick

  tick(): void {
    if (this.role === 'leader') this.tickHeartbeat();
    else this.tickElection();
  }

  private tickElection(): void {
    this.electionElapsed++;
    if (this.promotable() && this.electionElapsed >= this.randomizedElectionTimeout) {
      this.electionElapsed = 0;
      this.hup('election');
    }
  }

  private tickHeartbeat(): void {
    this.heartbeatElapsed++;
    this.electionElapsed++;
    if (this.electionElapsed >= this.cfg.electionTicks) {
      this.electionElapsed = 0;
      if (this.cfg.checkQuorum && !this.quorumActive()) {
        this.logger.warn(`${this.id} stepped down to follower since quorum is not active`);
        this.becomeFollower(this.term, NoNode);
        return;
      }
      // A transfer that did not finish within an election timeout is abandoned (thesis §3.10).
      if (this.leadTransferee !== NoNode) {
        this.logger.info(`${this.id} [term ${this.term}] abort transfer to ${this.leadTransferee}: timed out`);
        this.abortLeaderTransfer();
      }
    }
    for (const [id, pr] of this.prs) {
      if (pr.state !== 'snapshot') continue;
      pr.snapshotTicks++;
      if (pr.snapshotTicks >= this.cfg.snapshotTimeoutTicks) {
        this.logger.info(`${this.id} snapshot to ${id} not acknowledged in time; probing again`);
        pr.becomeProbe();
      }
    }
    if (this.heartbeatElapsed >= this.cfg.heartbeatTicks) {
      this.heartbeatElapsed = 0;
      this.bcastHeartbeat();
    }
  }

  /** Check-quorum: was a quorum of voters heard from since the last check? Resets the marks. */
  private quorumActive(): boolean {
    let active = 0;
    for (const id of this.conf.voters) {
      const pr = this.prs.get(id);
      if (id === this.id || pr?.recentActive === true) active++;
    }
    for (const [id, pr] of this.prs) if (id !== this.id) pr.recentActive = false;
    return active >= this.quorum();
  }

  // ---------------------------------------------------------------- input: messages

  step(m: Message): void {
    if (m.term > this.term) {
      if (m.type === 'MsgVote' || m.type === 'MsgPreVote') {
        const force = m.context === 'transfer';
        // Thesis §4.2.3: within the minimum election timeout of hearing from a leader, disregard
        // vote requests, so a removed or partitioned server cannot depose a healthy leader by
        // bumping terms. (etcd applies this only with check-quorum; the thesis prescribes it
        // unconditionally, and it costs only liveness-neutral delay.)
        const inLease = this.lead !== NoNode && this.electionElapsed < this.cfg.electionTicks;
        if (!force && inLease) {
          this.logger.info(
            `${this.id} [logterm: ${this.log.lastTerm()}, index: ${this.log.lastIndex()}, vote: ${this.vote}] ignored ` +
              `${m.type} from ${m.from} [logterm: ${m.logTerm}, index: ${m.index}] at term ${this.term}: lease is not expired ` +
              `(remaining ticks: ${this.cfg.electionTicks - this.electionElapsed})`,
          );
          return;
        }
      }
      if (m.type === 'MsgPreVote') {
        // Never change our term because of a pre-vote request.
      } else if (m.type === 'MsgPreVoteResp' && !m.reject) {
        // A granted pre-vote carries the term we would campaign in; it is not a newer term.
      } else {
        this.logger.info(`${this.id} [term: ${this.term}] received a ${m.type} message with higher term from ${m.from} [term: ${m.term}]`);
        const fromLeader = m.type === 'MsgApp' || m.type === 'MsgHeartbeat' || m.type === 'MsgSnap';
        this.becomeFollower(m.term, fromLeader ? m.from : NoNode);
      }
    } else if (m.term < this.term) {
      if (m.type === 'MsgApp' || m.type === 'MsgHeartbeat') {
        // Tell a stale leader our term so it steps down (§5.1: a reply carries currentTerm).
        // Without this, since we ignore its messages and the lease check makes others ignore
        // our vote requests, we could never rejoin (etcd answers only with pre-vote or
        // check-quorum because it has no unconditional lease check).
        this.send(message({ type: 'MsgAppResp', from: this.id, to: m.from, term: this.term }));
      } else if (m.type === 'MsgPreVote') {
        this.logger.info(
          `${this.id} [logterm: ${this.log.lastTerm()}, index: ${this.log.lastIndex()}, vote: ${this.vote}] rejected ` +
            `MsgPreVote from ${m.from} [logterm: ${m.logTerm}, index: ${m.index}] at term ${this.term}`,
        );
        this.send(message({ type: 'MsgPreVoteResp', from: this.id, to: m.from, term: this.term, reject: true }));
      } else {
        this.logger.debug(`${this.id} [term: ${this.term}] ignored a ${m.type} message with lower term from ${m.from} [term: ${m.term}]`);
      }
      return;
    }

    if (m.type === 'MsgVote' || m.type === 'MsgPreVote') {
      this.handleVoteRequest(m);
      return;
    }
    switch (this.role) {
      case 'leader':
        this.stepLeader(m);
        return;
      case 'candidate':
      case 'pre-candidate':
        this.stepCandidate(m);
        return;
      case 'follower':
        this.stepFollower(m);
        return;
    }
  }

  private handleVoteRequest(m: Message): void {
    const canVote =
      this.vote === m.from ||
      (this.vote === NoNode && this.lead === NoNode) ||
      (m.type === 'MsgPreVote' && m.term > this.term);
    const respType = m.type === 'MsgVote' ? 'MsgVoteResp' : 'MsgPreVoteResp';
    const what = `${m.type} from ${m.from} [logterm: ${m.logTerm}, index: ${m.index}] at term ${this.term}`;
    const mine = `${this.id} [logterm: ${this.log.lastTerm()}, index: ${this.log.lastIndex()}, vote: ${this.vote}]`;
    if (canVote && this.log.isUpToDate(m.index, m.logTerm)) {
      this.logger.info(`${mine} cast ${what}`);
      // The response carries the request's term: for a pre-vote that is the future term.
      this.send(message({ type: respType, from: this.id, to: m.from, term: m.term }));
      if (m.type === 'MsgVote') {
        this.electionElapsed = 0;
        this.vote = m.from;
      }
    } else {
      this.logger.info(`${mine} rejected ${what}`);
      this.send(message({ type: respType, from: this.id, to: m.from, term: this.term, reject: true }));
    }
  }

  private stepLeader(m: Message): void {
    switch (m.type) {
      case 'MsgApp':
      case 'MsgHeartbeat':
      case 'MsgSnap':
        assert(false, `${this.id} is leader of term ${this.term} and got ${m.type} from ${m.from} in the same term`);
        return;
      case 'MsgAppResp':
        this.handleAppendResponse(m);
        return;
      case 'MsgHeartbeatResp':
        this.handleHeartbeatResponse(m);
        return;
      case 'MsgReadIndex':
        this.handleReadIndexRequest(m.from, m.context);
        return;
      case 'MsgVoteResp':
      case 'MsgPreVoteResp':
      case 'MsgTimeoutNow':
      case 'MsgReadIndexResp':
      case 'MsgVote':
      case 'MsgPreVote':
        this.logger.debug(`${this.id} [term ${this.term} leader] ignored ${m.type} from ${m.from}`);
        return;
    }
  }

  private stepCandidate(m: Message): void {
    const myResp = this.role === 'pre-candidate' ? 'MsgPreVoteResp' : 'MsgVoteResp';
    switch (m.type) {
      case 'MsgApp':
        this.becomeFollower(m.term, m.from);
        this.handleAppend(m);
        return;
      case 'MsgHeartbeat':
        this.becomeFollower(m.term, m.from);
        this.handleHeartbeat(m);
        return;
      case 'MsgSnap':
        this.becomeFollower(m.term, m.from);
        this.handleSnapshot(m);
        return;
      case 'MsgVoteResp':
      case 'MsgPreVoteResp': {
        if (m.type !== myResp) return;
        const result = this.poll(m.from, !m.reject);
        const granted = [...this.votes.values()].filter((v) => v).length;
        this.logger.info(
          `${this.id} has received ${granted} ${m.type} votes and ${this.votes.size - granted} vote rejections`,
        );
        if (result === 'won') {
          if (this.role === 'pre-candidate') this.campaign('election');
          else {
            this.becomeLeader();
            this.bcastAppend();
          }
        } else if (result === 'lost') {
          this.becomeFollower(this.term, NoNode);
        }
        return;
      }
      default:
        this.logger.debug(`${this.id} [term ${this.term} ${this.role}] ignored ${m.type} from ${m.from}`);
    }
  }

  private stepFollower(m: Message): void {
    switch (m.type) {
      case 'MsgApp':
      case 'MsgHeartbeat':
      case 'MsgSnap':
        assert(
          this.lead === NoNode || this.lead === m.from,
          `${this.id} heard from two leaders (${this.lead} and ${m.from}) in term ${this.term}`,
        );
        this.electionElapsed = 0;
        this.lead = m.from;
        if (m.type === 'MsgApp') this.handleAppend(m);
        else if (m.type === 'MsgHeartbeat') this.handleHeartbeat(m);
        else this.handleSnapshot(m);
        return;
      case 'MsgTimeoutNow':
        this.logger.info(`${this.id} [term ${this.term}] received MsgTimeoutNow from ${m.from} and starts an election to get leadership`);
        // Campaign at once, skipping pre-vote and overriding leases: the leader asked us to.
        this.hup('transfer');
        return;
      case 'MsgReadIndexResp':
        if (!m.reject) this.readStates.push({ index: m.index, context: m.context });
        return;
      default:
        this.logger.debug(`${this.id} [term ${this.term} follower] ignored ${m.type} from ${m.from}`);
    }
  }

  // ---------------------------------------------------------------- follower side of replication

  private handleAppend(m: Message): void {
    if (m.index < this.log.committed) {
      // Everything up to our commit index matches the leader already; tell it where we are.
      this.send(message({ type: 'MsgAppResp', from: this.id, to: m.from, term: this.term, index: this.log.committed }));
      return;
    }
    const appended = this.log.maybeAppend(m.index, m.logTerm, m.commit, m.entries);
    if (appended !== undefined) {
      if (appended.conflictIndex !== 0) this.onAppended(appended.conflictIndex, m.entries);
      this.send(message({ type: 'MsgAppResp', from: this.id, to: m.from, term: this.term, index: appended.lastNewIndex }));
      return;
    }
    // Suggest where to resume: the largest index ≤ m.index whose term ≤ m.logTerm. The leader's
    // log cannot match ours above it (terms in our log above it exceed m.logTerm).
    const hint = this.log.findConflictByTerm(Math.min(m.index, this.log.lastIndex()), m.logTerm);
    this.logger.debug(
      `${this.id} [logterm: ${this.log.termOrZero(m.index)}, index: ${m.index}] rejected MsgApp [logterm: ${m.logTerm}, ` +
        `index: ${m.index}] from ${m.from}`,
    );
    this.send(
      message({
        type: 'MsgAppResp',
        from: this.id,
        to: m.from,
        term: this.term,
        index: m.index,
        reject: true,
        rejectHint: hint.index,
        logTerm: hint.term,
      }),
    );
  }

  private handleHeartbeat(m: Message): void {
    // The leader sends min(its commit, our match), which is known to be in our log.
    this.log.commitTo(m.commit);
    this.send(message({ type: 'MsgHeartbeatResp', from: this.id, to: m.from, term: this.term, seq: m.seq }));
  }

  private handleSnapshot(m: Message): void {
    const snap = m.snapshot;
    assert(snap !== null, 'MsgSnap without a snapshot');
    const { index, term } = snap.meta;
    if (this.restore(snap)) {
      this.logger.info(`${this.id} [commit: ${this.log.committed}] restored snapshot [index: ${index}, term: ${term}]`);
      this.send(message({ type: 'MsgAppResp', from: this.id, to: m.from, term: this.term, index: this.log.lastIndex() }));
    } else {
      this.logger.info(`${this.id} [commit: ${this.log.committed}] ignored snapshot [index: ${index}, term: ${term}]`);
      this.send(message({ type: 'MsgAppResp', from: this.id, to: m.from, term: this.term, index: this.log.committed }));
    }
  }

  private restore(snap: Snapshot): boolean {
    const { index, term } = snap.meta;
    if (index <= this.log.committed) return false;
    assert(this.role === 'follower', `restoring a snapshot as ${this.role}`);
    if (this.log.matchTerm(index, term)) {
      // We hold that entry already: it is committed, so just move the commit index forward.
      this.logger.info(`${this.id} [commit: ${this.log.committed}] fast-forwarded commit to snapshot [index: ${index}, term: ${term}]`);
      this.log.commitTo(index);
      return false;
    }
    this.log.restore(snap);
    this.confs = [{ index, conf: snap.meta.confState }];
    this.setConf(snap.meta.confState);
    return true;
  }

  // ---------------------------------------------------------------- leader side of replication

  /** Appends entries of the current term to the leader's log. False when refused for size. */
  private appendEntries(ents: { type: EntryType; data: Uint8Array }[]): boolean {
    let sizeBytes = 0;
    for (const e of ents) sizeBytes += e.data.byteLength + 16;
    // One oversized batch is let through when nothing is uncommitted, or it could never pass.
    if (this.uncommittedSizeBytes > 0 && this.uncommittedSizeBytes + sizeBytes > this.cfg.maxUncommittedEntriesBytes) {
      return false;
    }
    let index = this.log.lastIndex();
    const full: Entry[] = ents.map((e) => ({ term: this.term, index: ++index, type: e.type, data: e.data }));
    this.log.append(full);
    for (const e of full) {
      const size = entrySizeBytes(e);
      this.uncommitted.push({ index: e.index, sizeBytes: size });
      this.uncommittedSizeBytes += size;
    }
    this.prs.get(this.id)?.maybeUpdate(this.log.lastIndex());
    this.onAppended(full[0]!.index, full);
    this.maybeCommit();
    return true;
  }

  /** Advances the commit index to what a quorum of voters holds, if it is of the current term. */
  private maybeCommit(): boolean {
    if (this.role !== 'leader' || this.conf.voters.length === 0) return false;
    const matches = this.conf.voters.map((id) => this.prs.get(id)?.match ?? 0).sort((a, b) => b - a);
    const quorumIndex = matches[this.quorum() - 1]!;
    if (!this.log.maybeCommit(quorumIndex, this.term)) return false;
    this.onCommitted();
    return true;
  }

  private onCommitted(): void {
    while (this.uncommitted.length > 0 && this.uncommitted[0]!.index <= this.log.committed) {
      this.uncommittedSizeBytes -= this.uncommitted.shift()!.sizeBytes;
    }
    if (this.readsAwaitingCommit.length > 0 && this.committedInTerm()) {
      const waiting = this.readsAwaitingCommit;
      this.readsAwaitingCommit = [];
      for (const r of waiting) this.startRead(r.context, r.from);
    }
  }

  private sendAppend(to: NodeId, sendIfEmpty = true): boolean {
    const pr = this.prs.get(to);
    assert(pr !== undefined, `no progress for ${to}`);
    if (pr.isPaused()) return false;
    const prevIndex = pr.next - 1;
    const prevTerm = this.log.term(prevIndex);
    const ents = prevTerm === undefined ? Compacted : this.log.entriesFrom(pr.next, this.cfg.maxSizePerMsgBytes);
    if (ents === Compacted) return this.sendSnapshot(to, pr);
    if (ents.length === 0 && !sendIfEmpty) return false;
    this.send(
      message({
        type: 'MsgApp',
        from: this.id,
        to,
        term: this.term,
        index: prevIndex,
        logTerm: prevTerm!,
        entries: ents,
        commit: this.log.committed,
      }),
    );
    pr.sentEntries(ents.length > 0 ? ents[ents.length - 1]!.index : prevIndex, ents.length);
    return true;
  }

  private sendSnapshot(to: NodeId, pr: Progress): boolean {
    if (!pr.recentActive) {
      this.logger.debug(`${this.id} ignore sending snapshot to ${to} since it is not recently active`);
      return false;
    }
    const snap = this.log.snapshot();
    if (snap === SnapshotUnavailable) {
      this.logger.debug(`${this.id} failed to send snapshot to ${to} because snapshot is temporarily unavailable`);
      return false;
    }
    assert(snap.meta.index > 0, 'entries were compacted but there is no snapshot');
    pr.becomeSnapshot(snap.meta.index);
    this.logger.info(
      `${this.id} [firstindex: ${this.log.firstIndex()}, commit: ${this.log.committed}] sent snapshot[index: ${snap.meta.index}, ` +
        `term: ${snap.meta.term}] to ${to} [${pr.toString()}]`,
    );
    this.send(message({ type: 'MsgSnap', from: this.id, to, term: this.term, snapshot: snap }));
    return true;
  }

  private bcastAppend(): void {
    for (const id of this.prs.keys()) if (id !== this.id) this.sendAppend(id);
  }

  private bcastHeartbeat(): void {
    for (const [id, pr] of this.prs) {
      if (id === this.id) continue;
      // Only a commit index the follower is known to hold is safe to send without entries.
      const commit = Math.min(pr.match, this.log.committed);
      this.send(message({ type: 'MsgHeartbeat', from: this.id, to: id, term: this.term, commit, seq: this.readSeq }));
    }
  }

  private handleAppendResponse(m: Message): void {
    const pr = this.prs.get(m.from);
    if (pr === undefined) {
      this.logger.debug(`${this.id} no progress available for ${m.from}`);
      return;
    }
    pr.recentActive = true;
    if (m.reject) {
      this.logger.debug(
        `${this.id} received MsgAppResp(rejected, hint: (index ${m.rejectHint}, term ${m.logTerm})) from ${m.from} for index ${m.index}`,
      );
      let next = m.rejectHint;
      // Jump over every entry of ours whose term is above the follower's term at the hint.
      if (m.logTerm > 0) next = this.log.findConflictByTerm(m.rejectHint, m.logTerm).index;
      if (pr.maybeDecrTo(m.index, next)) {
        this.logger.debug(`${this.id} decreased progress of ${m.from} to [${pr.toString()}]`);
        if (pr.state === 'replicate') pr.becomeProbe();
        this.sendAppend(m.from);
      }
      return;
    }
    const wasPaused = pr.isPaused();
    if (!pr.maybeUpdate(m.index)) return;
    switch (pr.state) {
      case 'probe':
        pr.becomeReplicate();
        break;
      case 'snapshot':
        if (pr.match >= pr.pendingSnapshot) {
          this.logger.debug(`${this.id} recovered from needing snapshot, resumed sending replication messages to ${m.from}`);
          pr.becomeProbe();
          pr.becomeReplicate();
        }
        break;
      case 'replicate':
        pr.inflights.freeLE(m.index);
        break;
    }
    if (this.maybeCommit()) {
      this.bcastAppend();
    } else if (wasPaused) {
      this.sendAppend(m.from);
    }
    // Stream further entries while the inflight window has room (bounded by its capacity).
    for (let k = 0; k < this.cfg.maxInflightMsgs && this.prs.has(m.from) && this.sendAppend(m.from, false); k++);
    if (this.role === 'leader' && m.from === this.leadTransferee && pr.match === this.log.lastIndex()) {
      this.logger.info(`${this.id} sent MsgTimeoutNow to ${m.from} after received MsgAppResp`);
      this.sendTimeoutNow(m.from);
    }
    // A leader that removed itself steps down once that removal is committed (thesis §4.2.2).
    if (this.role === 'leader' && !this.promotable() && this.log.committed >= this.latestConfIndex()) {
      this.logger.info(`${this.id} stepping down: removed from the configuration, which is now committed`);
      this.becomeFollower(this.term, NoNode);
    }
  }

  private handleHeartbeatResponse(m: Message): void {
    const pr = this.prs.get(m.from);
    if (pr === undefined) return;
    pr.recentActive = true;
    pr.probeSent = false;
    // Free one slot when the window is full, so lost acks cannot stall replication forever.
    if (pr.state === 'replicate' && pr.inflights.full()) pr.inflights.freeFirstOne();
    if (pr.match < this.log.lastIndex()) this.sendAppend(m.from);
    if (m.seq > 0 && this.conf.voters.includes(m.from)) {
      this.readAcks.set(m.from, Math.max(this.readAcks.get(m.from) ?? 0, m.seq));
      this.releaseReads();
    }
  }

  // ---------------------------------------------------------------- ReadIndex (thesis §6.4)

  private handleReadIndexRequest(from: NodeId, context: string): Result {
    if (this.readsAwaitingCommit.length + this.pendingReads.length >= this.cfg.maxPendingReads) {
      if (from !== this.id) {
        this.send(message({ type: 'MsgReadIndexResp', from: this.id, to: from, term: this.term, context, reject: true }));
      }
      return this.refuse('too-many-reads', `${this.cfg.maxPendingReads} reads pending`);
    }
    if (!this.committedInTerm()) {
      // Step 1: until an entry of this term commits, our commit index may lag the true one.
      this.readsAwaitingCommit.push({ context, from });
    } else {
      this.startRead(context, from);
    }
    return { ok: true, index: 0, term: this.term };
  }

  private startRead(context: string, from: NodeId): void {
    const index = this.log.committed;
    if (this.conf.voters.length === 1 && this.promotable()) {
      this.deliverRead({ seq: 0, index, context, from });
      return;
    }
    // Step 2–3: remember the commit index, then confirm we are still leader with a heartbeat
    // round acknowledged by a quorum. `seq` ties acknowledgements to this round or a later one.
    this.readSeq++;
    this.pendingReads.push({ seq: this.readSeq, index, context, from });
    this.bcastHeartbeat();
  }

  private releaseReads(): void {
    // Reads are released in order: a later read's round implies the earlier ones are confirmed.
    while (this.pendingReads.length > 0) {
      const r = this.pendingReads[0]!;
      let acks = 0;
      for (const id of this.conf.voters) if (id === this.id || (this.readAcks.get(id) ?? 0) >= r.seq) acks++;
      if (acks < this.quorum()) return;
      this.pendingReads.shift();
      this.deliverRead(r);
    }
  }

  private deliverRead(r: PendingRead): void {
    if (r.from === this.id) this.readStates.push({ index: r.index, context: r.context });
    else this.send(message({ type: 'MsgReadIndexResp', from: this.id, to: r.from, term: this.term, index: r.index, context: r.context }));
  }

  // ---------------------------------------------------------------- proposals (local input)

  private refuse(rejection: Rejection, detail: string): Refused {
    return { ok: false, rejection, lead: this.lead, detail };
  }

  propose(data: Uint8Array): Result {
    if (this.role !== 'leader') return this.refuse('not-leader', `${this.id} is ${this.role}`);
    if (this.leadTransferee !== NoNode) {
      return this.refuse('leader-transfer', `transferring leadership to ${this.leadTransferee}`);
    }
    if (!this.appendEntries([{ type: 'normal', data }])) {
      return this.refuse('too-many-uncommitted', `${this.uncommittedSizeBytes} bytes uncommitted`);
    }
    this.bcastAppend();
    return { ok: true, index: this.log.lastIndex(), term: this.term };
  }

  proposeConfChange(cc: ConfChange): Result {
    if (this.role !== 'leader') return this.refuse('not-leader', `${this.id} is ${this.role}`);
    if (this.leadTransferee !== NoNode) {
      return this.refuse('leader-transfer', `transferring leadership to ${this.leadTransferee}`);
    }
    if (this.latestConfIndex() > this.log.committed) {
      return this.refuse('conf-change-pending', `conf change at ${this.latestConfIndex()} is not committed yet`);
    }
    if (!this.committedInTerm()) {
      return this.refuse('conf-change-pending', `leader has not committed an entry of term ${this.term} yet`);
    }
    const why = validateConfChange(this.conf, cc);
    if (why !== undefined) return this.refuse('invalid-conf-change', why);
    if (!this.appendEntries([{ type: 'conf-change', data: encodeConfChange(cc) }])) {
      return this.refuse('too-many-uncommitted', `${this.uncommittedSizeBytes} bytes uncommitted`);
    }
    this.logger.info(`${this.id} proposed conf change ${formatConfChange(cc)} at index ${this.log.lastIndex()}`);
    this.bcastAppend();
    return { ok: true, index: this.log.lastIndex(), term: this.term };
  }

  transferLeader(target: NodeId): Result {
    if (this.role !== 'leader') return this.refuse('not-leader', `${this.id} is ${this.role}`);
    if (target === this.id) {
      if (this.leadTransferee !== NoNode) this.abortLeaderTransfer();
      return { ok: true, index: 0, term: this.term };
    }
    if (!this.conf.voters.includes(target)) return this.refuse('invalid-transfer', `${target} is not a voter`);
    if (this.leadTransferee === target) return { ok: true, index: 0, term: this.term };
    if (this.leadTransferee !== NoNode) this.abortLeaderTransfer();
    this.logger.info(`${this.id} [term ${this.term}] starts to transfer leadership to ${target}`);
    this.leadTransferee = target;
    // The transfer must finish within one election timeout, counted from now.
    this.electionElapsed = 0;
    const pr = this.prs.get(target)!;
    if (pr.match === this.log.lastIndex()) {
      this.logger.info(`${this.id} sends MsgTimeoutNow to ${target} immediately as ${target} already has up-to-date log`);
      this.sendTimeoutNow(target);
    } else {
      this.sendAppend(target);
    }
    return { ok: true, index: 0, term: this.term };
  }

  private sendTimeoutNow(to: NodeId): void {
    this.send(message({ type: 'MsgTimeoutNow', from: this.id, to, term: this.term }));
  }

  private abortLeaderTransfer(): void {
    this.leadTransferee = NoNode;
  }

  /** Asks for a linearizable read point; the answer arrives as a ReadState with `context`. */
  readIndex(context: string): Result {
    if (this.role === 'leader') return this.handleReadIndexRequest(this.id, context);
    if (this.lead === NoNode) return this.refuse('no-leader', `${this.id} knows no leader in term ${this.term}`);
    this.send(message({ type: 'MsgReadIndex', from: this.id, to: this.lead, term: this.term, context }));
    return { ok: true, index: 0, term: this.term };
  }

  /** The transport failed to deliver (or the follower failed to apply) a snapshot. */
  reportSnapshot(to: NodeId, ok: boolean): void {
    const pr = this.prs.get(to);
    if (this.role !== 'leader' || pr === undefined || pr.state !== 'snapshot') return;
    this.logger.info(`${this.id} snapshot to ${to} ${ok ? 'succeeded' : 'failed'}, resumed probing [${pr.toString()}]`);
    pr.becomeProbe();
    // Wait for the follower's response (or the next heartbeat) before probing again.
    pr.probeSent = true;
  }

  /** The transport could not reach `to`: stop streaming optimistically until it answers. */
  reportUnreachable(to: NodeId): void {
    const pr = this.prs.get(to);
    if (this.role !== 'leader' || pr === undefined) return;
    if (pr.state === 'replicate') pr.becomeProbe();
  }

  private send(m: Message): void {
    assert(m.to !== this.id, `${this.id} sending ${m.type} to itself`);
    this.msgs.push(m);
  }
}


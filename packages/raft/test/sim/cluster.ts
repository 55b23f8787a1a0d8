// A deterministic simulation of a Raft cluster serving a key-value workload (TigerBeetle VOPR
// style): one event queue, one seed, the production RawNode driven by a host loop that follows the
// Ready contract, and faults chosen from the seed.
//
// Fault model:
// - Network: each message is lost with probability `lossProbability`, duplicated with
//   `duplicateProbability`, and delayed uniformly in [1, delayMaxMs] (so reordered). Partitions
//   block directed links: symmetric splits, one isolated node, or one-way (asymmetric) blocks.
//   A message in flight when a partition starts is dropped at arrival.
// - Disk: a Ready is persisted as one atomic synced batch after a random latency. A crash before
//   the batch completes loses it, along with everything only in memory (the RawNode, unsent
//   messages, pending client requests). Restart rebuilds the node from its persisted storage.
// - Clock: every node ticks every TICK_MS with ±1 ms of jitter.
// - Operator: membership changes (add learner → promote, remove voter) and leadership transfers,
//   proposed to the current leader in the middle of the run.
// Clients talk to nodes over the same lossy network (without duplication). Puts go through the
// log; gets use ReadIndex, on the leader or forwarded by a follower.
//
// Phases: chaos (faults on) until healAt; then the network heals, crashed nodes restart, faults
// stop, and the cluster must make progress within LIVENESS_MS and converge before the end.

import { assert } from '@cairn/errors';
import {
  type ConfChange,
  type Entry,
  MemoryStorage,
  type Message,
  NoNode,
  type NodeId,
  RawNode,
  type Ready,
  Xoshiro128,
  bootstrap,
  formatMessage,
  nodeId,
} from '../../src/index.js';
import { type LogView, SafetyChecker, Violation } from './checkers.js';
import { EventQueue } from './event-queue.js';
import { type Operation, checkHistory } from './linearizability.js';

export const TICK_MS = 10;
const ELECTION_TICKS = 10;
const HEARTBEAT_TICKS = 2;
const CLIENT_TIMEOUT_MS = 400;
const LIVENESS_MS = 3000;
const QUIESCE_MS = 1000;
const KEYS = ['a', 'b', 'c'];

export interface SwarmOptions {
  seed: number;
  nodeCount: number;
  lossProbability: number;
  duplicateProbability: number;
  delayMaxMs: number;
  partitions: boolean;
  crashes: boolean;
  confChanges: boolean;
  transfers: boolean;
  snapshotEveryEntries: number;
  maxInflightMsgs: number;
  maxSizePerMsgBytes: number;
  preVote: boolean;
  checkQuorum: boolean;
  clients: number;
  chaosMs: number;
}

/** Picks the swarm (which faults, how strong) from the seed, so every seed tests a different mix. */
export function swarmFor(seed: number): SwarmOptions {
  const r = new Xoshiro128(seed);
  const pick = <T>(xs: readonly T[]): T => xs[r.int(xs.length)]!;
  return {
    seed,
    nodeCount: pick([3, 5]),
    lossProbability: pick([0, 0.01, 0.05, 0.15]),
    duplicateProbability: pick([0, 0.02, 0.1]),
    delayMaxMs: pick([3, 15, 40]),
    partitions: r.chance(0.7),
    crashes: r.chance(0.6),
    confChanges: r.chance(0.5),
    transfers: r.chance(0.5),
    snapshotEveryEntries: pick([8, 30, 1_000_000]),
    maxInflightMsgs: pick([1, 4, 64]),
    maxSizePerMsgBytes: pick([1, 200, 1 << 20]),
    preVote: r.chance(0.8),
    checkQuorum: r.chance(0.8),
    clients: pick([2, 4]),
    chaosMs: 3000,
  };
}

export function describeSwarm(o: SwarmOptions): string {
  return (
    `SEED=${o.seed} nodes=${o.nodeCount} loss=${o.lossProbability} dup=${o.duplicateProbability} delayMax=${o.delayMaxMs}ms ` +
    `partitions=${o.partitions} crashes=${o.crashes} confChanges=${o.confChanges} transfers=${o.transfers} ` +
    `snapshotEvery=${o.snapshotEveryEntries} maxInflight=${o.maxInflightMsgs} maxSizePerMsg=${o.maxSizePerMsgBytes} ` +
    `preVote=${o.preVote} checkQuorum=${o.checkQuorum} clients=${o.clients}`
  );
}

type Event =
  | { kind: 'tick'; node: NodeId; epoch: number }
  | { kind: 'deliver'; msg: Message }
  | { kind: 'persisted'; node: NodeId; epoch: number }
  | { kind: 'client-request'; node: NodeId; op: ClientOp }
  | { kind: 'client-reply'; op: ClientOp; ok: boolean; value: string | null; lead: NodeId }
  | { kind: 'client-timeout'; op: ClientOp }
  | { kind: 'client-start'; client: number }
  | { kind: 'fault' }
  | { kind: 'heal-partition'; generation: number }
  | { kind: 'restart'; node: NodeId }
  | { kind: 'operator' }
  | { kind: 'heal' }
  | { kind: 'check' };

interface ClientOp {
  id: string;
  client: number;
  kind: 'put' | 'get';
  key: string;
  value: string | null;
  call: number;
  done: boolean;
}

interface Command {
  o: string;
  k: string;
  v: string;
}

class SimNode {
  raw: RawNode | null = null;
  epoch = 0;
  outstanding: Ready | null = null;
  kv = new Map<string, string>();
  appliedOps = new Set<string>();
  appliedIndex = 0;
  proposals = new Map<string, ClientOp>();
  reads = new Map<string, ClientOp>();
  readsWaiting: { index: number; op: ClientOp }[] = [];
  readonly storage = new MemoryStorage();
  constructor(readonly id: NodeId) {}
}

export interface RunResult {
  ok: boolean;
  kind?: 'crash' | 'liveness' | 'correctness';
  message?: string;
  stats: { events: number; messages: number; opsOk: number; opsUnknown: number; maxTerm: number; commit: number; elections: number };
}

export class Cluster {
  private readonly rng: Xoshiro128;
  private readonly queue = new EventQueue<Event>(1_000_000);
  private readonly nodes = new Map<NodeId, SimNode>();
  private nextNodeId: number;
  private readonly blocked = new Set<string>();
  private partitionGeneration = 0;
  private healed = false;
  private readonly healAt: number;
  private readonly endAt: number;
  private readonly checker = new SafetyChecker();
  private readonly history: Operation[] = [];
  private readonly opsById = new Map<string, { op: ClientOp; record: Operation }>();
  private readonly leaderHint: NodeId[] = [];
  private opSeq = 0;
  private firstOkAfterHeal = Infinity;
  private readonly stats = { events: 0, messages: 0, opsOk: 0, opsUnknown: 0, maxTerm: 0, commit: 0, elections: 0 };
  private readonly utf8 = new TextEncoder();
  private readonly utf8d = new TextDecoder();

  constructor(
    readonly o: SwarmOptions,
    private readonly trace: ((line: string) => void) | null = null,
  ) {
    this.rng = new Xoshiro128(o.seed * 7 + 1);
    this.healAt = o.chaosMs;
    this.endAt = o.chaosMs + LIVENESS_MS + QUIESCE_MS;
    const voters = Array.from({ length: o.nodeCount }, (_, k) => nodeId(k + 1));
    this.nextNodeId = o.nodeCount + 1;
    for (const id of voters) {
      const n = new SimNode(id);
      bootstrap(n.storage, voters);
      this.nodes.set(id, n);
      this.start(n);
    }
    for (let c = 0; c < o.clients; c++) {
      this.leaderHint.push(NoNode);
      this.queue.schedule(this.rng.int(50), { kind: 'client-start', client: c });
    }
    if (o.partitions || o.crashes) this.queue.schedule(100 + this.rng.int(400), { kind: 'fault' });
    if (o.confChanges || o.transfers) this.queue.schedule(300 + this.rng.int(500), { kind: 'operator' });
    this.queue.schedule(this.healAt, { kind: 'heal' });
    this.queue.schedule(500, { kind: 'check' });
  }

  private log(line: string): void {
    this.trace?.(`[t=${this.queue.now}] ${line}`);
  }

  // -------------------------------------------------------------- node lifecycle

  private start(n: SimNode): void {
    n.epoch++;
    n.outstanding = null;
    n.proposals.clear();
    n.reads.clear();
    n.readsWaiting = [];
    // The state machine restarts from the persisted snapshot; the log replays the rest.
    const snap = n.storage.snapshot();
    n.kv = new Map();
    n.appliedOps = new Set();
    n.appliedIndex = snap.meta.index;
    if (snap.meta.index > 0) this.restoreStateMachine(n, snap.data);
    const id = n.id;
    n.raw = new RawNode({
      id,
      storage: n.storage,
      electionTicks: ELECTION_TICKS,
      heartbeatTicks: HEARTBEAT_TICKS,
      random: new Xoshiro128(this.o.seed * 1009 + id * 31 + n.epoch),
      logger: this.trace === null ? undefined : {
        debug: () => {},
        info: (m) => this.log(`  ${id}: ${m}`),
        warn: (m) => this.log(`  ${id}: WARN ${m}`),
      },
      maxInflightMsgs: this.o.maxInflightMsgs,
      maxSizePerMsgBytes: this.o.maxSizePerMsgBytes,
      preVote: this.o.preVote,
      checkQuorum: this.o.checkQuorum,
    });
    this.queue.schedule(this.rng.int(TICK_MS) + 1, { kind: 'tick', node: id, epoch: n.epoch });
  }

  private crash(n: SimNode): void {
    this.log(`CRASH ${n.id}`);
    n.raw = null;
    n.epoch++;
    n.outstanding = null;
  }

  private restoreStateMachine(n: SimNode, data: Uint8Array): void {
    const s = JSON.parse(this.utf8d.decode(data)) as { kv: [string, string][]; ops: string[] };
    n.kv = new Map(s.kv);
    n.appliedOps = new Set(s.ops);
  }

  // -------------------------------------------------------------- the Ready loop

  private pump(n: SimNode): void {
    const raw = n.raw;
    if (raw === null || n.outstanding !== null || !raw.hasReady()) return;
    const rd = raw.ready();
    n.outstanding = rd;
    if (rd.softState?.role === 'leader') this.onLeader(n);
    // Persisting a synced batch takes time; a crash before it completes loses the Ready.
    const latency = rd.mustSync ? 1 + this.rng.int(4) : 0;
    this.queue.schedule(latency, { kind: 'persisted', node: n.id, epoch: n.epoch });
  }

  private onLeader(n: SimNode): void {
    const raft = n.raw!.raft;
    this.stats.elections++;
    this.stats.maxTerm = Math.max(this.stats.maxTerm, raft.term);
    this.log(`LEADER ${n.id} term ${raft.term}`);
    this.checker.onLeader(raft.term, n.id, this.memoryLogView(n), this.queue.now);
  }

  private persisted(n: SimNode): void {
    const rd = n.outstanding!;
    const raw = n.raw!;
    // 1. Persist (atomic, synced).
    if (rd.snapshot !== null) n.storage.applySnapshot(rd.snapshot);
    n.storage.append(rd.entries);
    if (rd.hardState !== null) n.storage.setHardState(rd.hardState);
    // 2. Send.
    for (const m of rd.messages) this.send(m);
    // 3. Apply.
    if (rd.snapshot !== null) {
      assert(rd.snapshot.meta.index > n.appliedIndex, 'snapshot does not advance the state machine');
      this.restoreStateMachine(n, rd.snapshot.data);
      n.appliedIndex = rd.snapshot.meta.index;
    }
    for (const e of rd.committedEntries) this.apply(n, e);
    for (const rs of rd.readStates) {
      const op = n.reads.get(rs.context);
      if (op === undefined) continue;
      n.reads.delete(rs.context);
      n.readsWaiting.push({ index: rs.index, op });
    }
    this.answerReads(n);
    // 4. Advance.
    raw.advance();
    n.outstanding = null;
    this.stats.commit = Math.max(this.stats.commit, raw.raft.log.committed);
    this.maybeSnapshot(n);
    this.pump(n);
  }

  private apply(n: SimNode, e: Entry): void {
    if (e.index !== n.appliedIndex + 1) {
      throw new Violation('correctness', `node ${n.id} applied ${e.index} after ${n.appliedIndex} (gap)`);
    }
    this.checker.onApply(n.id, e, this.queue.now);
    n.appliedIndex = e.index;
    if (e.type !== 'normal' || e.data.byteLength === 0) return;
    const cmd = JSON.parse(this.utf8d.decode(e.data)) as Command;
    if (!n.appliedOps.has(cmd.o)) {
      n.appliedOps.add(cmd.o);
      n.kv.set(cmd.k, cmd.v);
    }
    const op = n.proposals.get(cmd.o);
    if (op !== undefined) {
      n.proposals.delete(cmd.o);
      this.reply(n, op, true, null);
    }
  }

  private answerReads(n: SimNode): void {
    const still: { index: number; op: ClientOp }[] = [];
    for (const w of n.readsWaiting) {
      if (n.appliedIndex >= w.index) this.reply(n, w.op, true, n.kv.get(w.op.key) ?? null);
      else still.push(w);
    }
    n.readsWaiting = still;
  }

  private maybeSnapshot(n: SimNode): void {
    const raw = n.raw!;
    if (n.appliedIndex - n.storage.firstIndex() + 1 <= this.o.snapshotEveryEntries) return;
    if (n.appliedIndex <= n.storage.snapshot().meta.index) return;
    const data = this.utf8.encode(JSON.stringify({ kv: [...n.kv], ops: [...n.appliedOps] }));
    n.storage.createSnapshot(n.appliedIndex, raw.appliedConfState(), data);
    // Keep a short tail so slightly lagging followers still catch up from the log.
    n.storage.compact(Math.max(n.storage.firstIndex() - 1, n.appliedIndex - 3));
  }

  // -------------------------------------------------------------- network

  private send(m: Message): void {
    if (!this.healed && this.rng.chance(this.o.lossProbability)) return;
    const copies = !this.healed && this.rng.chance(this.o.duplicateProbability) ? 2 : 1;
    for (let k = 0; k < copies; k++) {
      // A shallow copy per delivery: the receiver must not share arrays with the sender.
      const copy: Message = { ...m, entries: m.entries.slice() };
      this.queue.schedule(1 + this.rng.int(this.o.delayMaxMs), { kind: 'deliver', msg: copy });
    }
  }

  private deliver(m: Message): void {
    if (this.blocked.has(`${m.from}>${m.to}`)) return;
    const n = this.nodes.get(m.to);
    if (n === undefined || n.raw === null) return;
    this.stats.messages++;
    if (this.trace !== null) this.log(formatMessage(m));
    n.raw.step(m);
    this.pump(n);
  }

  // -------------------------------------------------------------- clients

  private clientStart(client: number): void {
    if (this.queue.now >= this.endAt - QUIESCE_MS) return;
    const kind = this.rng.chance(0.6) ? 'put' : 'get';
    const key = KEYS[this.rng.int(KEYS.length)]!;
    const id = `c${client}.${++this.opSeq}`;
    const op: ClientOp = { id, client, kind, key, value: kind === 'put' ? id : null, call: this.queue.now, done: false };
    const live = [...this.nodes.keys()];
    let target = this.leaderHint[client]!;
    if (target === NoNode || !this.nodes.has(target)) target = live[this.rng.int(live.length)]!;
    const record: Operation = { kind, key, value: op.value, call: op.call, ret: Infinity, client };
    this.opsById.set(id, { op, record });
    if (kind === 'put') this.history.push(record);
    if (!this.lost()) this.queue.schedule(1 + this.rng.int(this.o.delayMaxMs), { kind: 'client-request', node: target, op });
    this.queue.schedule(CLIENT_TIMEOUT_MS, { kind: 'client-timeout', op });
  }

  private lost(): boolean {
    return !this.healed && this.rng.chance(this.o.lossProbability);
  }

  private clientRequest(nodeIdArg: NodeId, op: ClientOp): void {
    const n = this.nodes.get(nodeIdArg)!;
    const raw = n.raw;
    if (raw === null) return; // Down: the client times out.
    if (op.kind === 'put') {
      const cmd: Command = { o: op.id, k: op.key, v: op.value! };
      const r = raw.propose(this.utf8.encode(JSON.stringify(cmd)));
      if (r.ok) n.proposals.set(op.id, op);
      else this.reply(n, op, false, null, r.lead);
    } else {
      const r = raw.readIndex(op.id);
      if (r.ok) n.reads.set(op.id, op);
      else this.reply(n, op, false, null, r.lead);
    }
    this.pump(n);
  }

  private reply(n: SimNode, op: ClientOp, ok: boolean, value: string | null, lead: NodeId = NoNode): void {
    if (this.lost()) return;
    this.queue.schedule(1 + this.rng.int(this.o.delayMaxMs), { kind: 'client-reply', op, ok, value, lead: ok ? n.id : lead });
  }

  private clientReply(op: ClientOp, ok: boolean, value: string | null, lead: NodeId): void {
    if (op.done) return; // Timed out already: its outcome stays unknown.
    op.done = true;
    const entry = this.opsById.get(op.id)!;
    this.opsById.delete(op.id);
    this.leaderHint[op.client] = lead;
    if (ok) {
      entry.record.ret = this.queue.now;
      if (op.kind === 'get') {
        entry.record.value = value;
        this.history.push(entry.record);
      }
      this.stats.opsOk++;
      if (op.kind === 'put' && op.call >= this.healAt) this.firstOkAfterHeal = Math.min(this.firstOkAfterHeal, this.queue.now);
    } else if (op.kind === 'put') {
      // Refused before proposing: it never happened, so it leaves the history.
      const k = this.history.indexOf(entry.record);
      if (k >= 0) this.history.splice(k, 1);
    }
    this.queue.schedule(ok ? this.rng.int(20) : 5 + this.rng.int(20), { kind: 'client-start', client: op.client });
  }

  private clientTimeout(op: ClientOp): void {
    if (op.done) return;
    op.done = true;
    this.opsById.delete(op.id);
    this.stats.opsUnknown++;
    this.leaderHint[op.client] = NoNode;
    this.queue.schedule(this.rng.int(20), { kind: 'client-start', client: op.client });
  }

  // -------------------------------------------------------------- faults and operator

  private fault(): void {
    if (this.healed) return;
    const kinds: string[] = [];
    if (this.o.partitions) kinds.push('split', 'isolate', 'one-way', 'heal');
    if (this.o.crashes) kinds.push('crash');
    const kind = kinds[this.rng.int(kinds.length)]!;
    const ids = [...this.nodes.keys()];
    switch (kind) {
      case 'split': {
        const side = new Set(ids.filter(() => this.rng.chance(0.5)));
        this.setPartition(ids.flatMap((a) => ids.filter((b) => side.has(a) !== side.has(b)).map((b) => `${a}>${b}`)), `split {${[...side]}}`);
        break;
      }
      case 'isolate': {
        const x = ids[this.rng.int(ids.length)]!;
        this.setPartition(ids.filter((b) => b !== x).flatMap((b) => [`${x}>${b}`, `${b}>${x}`]), `isolate ${x}`);
        break;
      }
      case 'one-way': {
        const links = ids.flatMap((a) => ids.filter((b) => a !== b && this.rng.chance(0.3)).map((b) => `${a}>${b}`));
        this.setPartition(links, `one-way ${links.join(' ')}`);
        break;
      }
      case 'heal':
        this.setPartition([], 'heal partition');
        break;
      case 'crash': {
        const up = [...this.nodes.values()].filter((n) => n.raw !== null);
        if (up.length > 0) {
          const n = up[this.rng.int(up.length)]!;
          this.crash(n);
          this.queue.schedule(50 + this.rng.int(1000), { kind: 'restart', node: n.id });
        }
        break;
      }
    }
    this.queue.schedule(100 + this.rng.int(600), { kind: 'fault' });
  }

  private setPartition(links: string[], what: string): void {
    this.log(`PARTITION ${what}`);
    this.blocked.clear();
    for (const l of links) this.blocked.add(l);
    const generation = ++this.partitionGeneration;
    if (links.length > 0) this.queue.schedule(100 + this.rng.int(900), { kind: 'heal-partition', generation });
  }

  private leader(): SimNode | undefined {
    let best: SimNode | undefined;
    for (const n of this.nodes.values()) {
      const r = n.raw?.raft;
      if (r?.role === 'leader' && (best === undefined || r.term > best.raw!.raft.term)) best = n;
    }
    return best;
  }

  private operator(): void {
    if (this.healed) return;
    this.queue.schedule(200 + this.rng.int(600), { kind: 'operator' });
    const l = this.leader();
    if (l === undefined) return;
    const raw = l.raw!;
    const conf = raw.raft.conf;
    const doTransfer = this.o.transfers && (!this.o.confChanges || this.rng.chance(0.5));
    if (doTransfer) {
      const others = conf.voters.filter((v) => v !== l.id);
      if (others.length === 0) return;
      const target = others[this.rng.int(others.length)]!;
      const r = raw.transferLeader(target);
      this.log(`OPERATOR transfer ${l.id} -> ${target}: ${r.ok ? 'ok' : r.rejection}`);
      this.pump(l);
      return;
    }
    let cc: ConfChange;
    const maxVoters = this.o.nodeCount === 3 ? 4 : 5;
    if (conf.learners.length > 0) cc = { type: 'add-voter', node: conf.learners[0]! };
    else if (conf.voters.length < maxVoters && this.nextNodeId <= this.o.nodeCount + 3) {
      const fresh = new SimNode(nodeId(this.nextNodeId++));
      this.nodes.set(fresh.id, fresh);
      this.start(fresh);
      cc = { type: 'add-learner', node: fresh.id };
    } else if (conf.voters.length > 3) {
      cc = { type: 'remove', node: conf.voters[this.rng.int(conf.voters.length)]! };
    } else return;
    const r = raw.proposeConfChange(cc);
    this.log(`OPERATOR ${cc.type} ${cc.node} via ${l.id}: ${r.ok ? `ok at ${r.index}` : r.rejection}`);
    this.pump(l);
  }

  private heal(): void {
    this.log('HEAL');
    this.healed = true;
    this.blocked.clear();
    for (const n of this.nodes.values()) if (n.raw === null) this.start(n);
  }

  // -------------------------------------------------------------- views for the checkers

  private memoryLogView(n: SimNode): LogView {
    const log = n.raw!.raft.log;
    return {
      id: n.id,
      firstIndex: log.firstIndex(),
      lastIndex: log.lastIndex(),
      term: (i) => log.term(i),
      entry: (i) => {
        const e = log.slice(i, i + 1, Number.MAX_SAFE_INTEGER);
        return e === 'compacted' ? undefined : e[0];
      },
    };
  }

  private storageLogView(n: SimNode): LogView {
    const s = n.storage;
    const first = s.firstIndex();
    const all = s.entries(first, s.lastIndex() + 1, Number.MAX_SAFE_INTEGER);
    assert(all !== 'compacted', 'storage entries from its first index are readable');
    return {
      id: n.id,
      firstIndex: first,
      lastIndex: s.lastIndex(),
      term: (i) => all[i - first]?.term,
      entry: (i) => all[i - first],
    };
  }

  // -------------------------------------------------------------- main loop

  run(): RunResult {
    try {
      this.loop();
      this.finalChecks();
      return { ok: true, stats: this.stats };
    } catch (err) {
      if (err instanceof Violation) return { ok: false, kind: err.kind, message: err.message, stats: this.stats };
      return { ok: false, kind: 'crash', message: (err as Error).stack ?? String(err), stats: this.stats };
    }
  }

  private loop(): void {
    // Bounded by the simulated end time and the queue's capacity.
    for (;;) {
      const t = this.queue.peekTime();
      if (t === undefined || t > this.endAt) return;
      const e = this.queue.pop()!;
      this.stats.events++;
      this.handle(e);
      if (this.queue.now > this.healAt + LIVENESS_MS && this.firstOkAfterHeal === Infinity) {
        throw new Violation('liveness', `no client write completed within ${LIVENESS_MS}ms after the network healed`);
      }
    }
  }

  private handle(e: Event): void {
    switch (e.kind) {
      case 'tick': {
        const n = this.nodes.get(e.node)!;
        if (n.epoch !== e.epoch || n.raw === null) return;
        n.raw.tick();
        this.pump(n);
        this.queue.schedule(TICK_MS - 1 + this.rng.int(3), { kind: 'tick', node: n.id, epoch: n.epoch });
        return;
      }
      case 'deliver':
        return this.deliver(e.msg);
      case 'persisted': {
        const n = this.nodes.get(e.node)!;
        if (n.epoch !== e.epoch || n.raw === null) return;
        return this.persisted(n);
      }
      case 'client-request':
        return this.clientRequest(e.node, e.op);
      case 'client-reply':
        return this.clientReply(e.op, e.ok, e.value, e.lead);
      case 'client-timeout':
        return this.clientTimeout(e.op);
      case 'client-start':
        return this.clientStart(e.client);
      case 'fault':
        return this.fault();
      case 'heal-partition':
        if (e.generation === this.partitionGeneration && !this.healed) this.setPartition([], 'partition expired');
        return;
      case 'restart': {
        const n = this.nodes.get(e.node)!;
        if (n.raw === null) {
          this.log(`RESTART ${n.id}`);
          this.start(n);
        }
        return;
      }
      case 'operator':
        return this.operator();
      case 'heal':
        return this.heal();
      case 'check':
        this.checker.checkLogMatching([...this.nodes.values()].map((n) => this.storageLogView(n)), this.queue.now);
        this.queue.schedule(1000, { kind: 'check' });
        return;
    }
  }

  private finalChecks(): void {
    const now = this.queue.now;
    this.checker.checkLogMatching([...this.nodes.values()].map((n) => this.storageLogView(n)), now);
    const l = this.leader();
    if (l === undefined) throw new Violation('liveness', `no leader at the end of the run (t=${now})`);
    // Convergence: every member has applied everything the leader committed.
    const commit = l.raw!.raft.log.committed;
    const conf = l.raw!.raft.conf;
    for (const id of [...conf.voters, ...conf.learners]) {
      const n = this.nodes.get(id)!;
      if (n.appliedIndex < commit) {
        throw new Violation('liveness', `member ${id} applied ${n.appliedIndex} < leader ${l.id}'s commit ${commit} at the end`);
      }
    }
    const verdict = checkHistory(this.history);
    if (!verdict.ok) {
      const ops = verdict.ops
        .slice()
        .sort((a, b) => a.call - b.call)
        .map((o) => `  c${o.client} ${o.kind}(${o.key}) ${o.value} [${o.call}, ${o.ret}]`)
        .join('\n');
      throw new Violation(verdict.reason === 'unknown' ? 'correctness' : 'correctness', `history of key ${verdict.key} is ${verdict.reason}:\n${ops}`);
    }
  }
}

export function runSeed(seed: number, trace: ((line: string) => void) | null = null): RunResult & { swarm: SwarmOptions } {
  const swarm = swarmFor(seed);
  let cluster: Cluster;
  try {
    cluster = new Cluster(swarm, trace);
  } catch (err) {
    const stats = { events: 0, messages: 0, opsOk: 0, opsUnknown: 0, maxTerm: 0, commit: 0, elections: 0 };
    return { ok: false, kind: 'crash', message: (err as Error).stack ?? String(err), stats, swarm };
  }
  return { ...cluster.run(), swarm };
}

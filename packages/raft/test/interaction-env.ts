// The interpreter behind the transcript tests (testdata/*.txt), modelled on etcd's
// rafttest/interaction_env: a few RawNodes with MemoryStorage, a mailbox of in-flight messages
// that only moves when a command says so, and text output of every Ready, message and log line.
//
// Determinism: the random source always returns 0, so every randomized election timeout equals
// electionTicks and `tick-election` always fires an election on a follower. With `random=max`
// the timeout is 2·electionTicks − 1 instead, so `tick-election` only expires a follower's lease
// (thesis §4.2.3) without starting an election.
//
// Commands (arguments in parentheses are lists):
//   add-nodes N [voters=(ids)] [learners=(ids)] [join] [prevote=bool] [checkquorum=bool]
//       [max-inflight=n] [max-size=bytes] [random=max] [log=(terms)] [term=T]        — new nodes with the next ids; by default the new
//                                                   nodes are bootstrapped as the voters; `join`
//                                                   starts them with empty storage instead
//   campaign ID | tick-election ID | tick-heartbeat ID | tick ID N
//   propose ID DATA | propose-conf-change ID (add-voter|add-learner|remove) NODE
//   transfer-leader ID TARGET | read-index ID CONTEXT | report-snapshot ID TARGET ok|fail
//   process-ready ID... | deliver-msgs [drop=(ids)] ID... | stabilize [ID...]
//   isolate ID | heal | crash ID | restart ID | compact ID
//   raft-log ID | raft-state | status ID | log-level debug|info|warn|none

import { assert } from '@cairn/errors';
import {
  type ConfChangeType,
  type Entry,
  type Logger,
  MemoryStorage,
  type Message,
  type NodeId,
  RawNode,
  type Ready,
  type Result,
  bootstrap,
  formatConfState,
  formatEntry,
  formatMessage,
  nodeId,
} from '../src/index.js';
import type { Arg, TestCase } from './datadriven.js';

const ELECTION_TICKS = 10;
const HEARTBEAT_TICKS = 1;
const levels = ['debug', 'info', 'warn', 'none'] as const;
type Level = (typeof levels)[number];

interface EnvNode {
  id: NodeId;
  raw: RawNode;
  storage: MemoryStorage;
  /** The state machine: payloads of applied normal entries, in order. */
  applied: string[];
  options: NodeOptions;
}

interface NodeOptions {
  preVote: boolean;
  checkQuorum: boolean;
  maxInflightMsgs: number;
  maxSizePerMsgBytes: number;
  /** Election timeouts are electionTicks (min) or 2·electionTicks − 1 (max). */
  jitter: 'min' | 'max';
}

export class InteractionEnv {
  private readonly nodes = new Map<NodeId, EnvNode>();
  private mailbox: Message[] = [];
  private readonly isolated = new Set<NodeId>();
  private out: string[] = [];
  private level: Level = 'info';
  private readonly logger = (id: NodeId): Logger => ({
    debug: (msg) => this.log('debug', id, msg),
    info: (msg) => this.log('info', id, msg),
    warn: (msg) => this.log('warn', id, msg),
  });

  private log(level: Level, _id: NodeId, msg: string): void {
    if (levels.indexOf(level) >= levels.indexOf(this.level)) this.out.push(`${level.toUpperCase()} ${msg}`);
  }

  handle(t: TestCase): string {
    this.out = [];
    try {
      this.dispatch(t);
    } catch (err) {
      // Assertion failures are part of the output so a transcript can show an illegal request.
      this.out.push(`error: ${(err as Error).message}`);
    }
    return this.out.join('\n');
  }

  private dispatch(t: TestCase): void {
    const pos = t.args.filter((a) => a.values.length === 0).map((a) => a.key);
    const kw = new Map(t.args.filter((a) => a.values.length > 0).map((a) => [a.key, a.values]));
    const id = (k: number) => this.idArg(pos[k], t);
    switch (t.cmd) {
      case 'add-nodes':
        return this.addNodes(Number(pos[0]), pos.includes('join'), kw);
      case 'campaign':
        return this.node(id(0)).raw.campaign();
      case 'tick-election':
        return this.tick(id(0), ELECTION_TICKS);
      case 'tick-heartbeat':
        return this.tick(id(0), HEARTBEAT_TICKS);
      case 'tick':
        return this.tick(id(0), Number(pos[1]));
      case 'propose':
        return this.result(this.node(id(0)).raw.propose(new TextEncoder().encode(pos[1] ?? '')));
      case 'propose-conf-change':
        return this.result(
          this.node(id(0)).raw.proposeConfChange({ type: pos[1] as ConfChangeType, node: id(2) }),
        );
      case 'transfer-leader':
        return this.result(this.node(id(0)).raw.transferLeader(id(1)));
      case 'read-index':
        return this.result(this.node(id(0)).raw.readIndex(pos[1] ?? ''));
      case 'report-snapshot':
        return this.node(id(0)).raw.reportSnapshot(id(1), pos[2] === 'ok');
      case 'process-ready':
        for (let k = 0; k < pos.length; k++) this.processReady(this.node(id(k)));
        return;
      case 'deliver-msgs':
        return this.deliver(pos.map((_, k) => id(k)), (kw.get('drop') ?? []).map((s) => nodeId(Number(s))));
      case 'stabilize':
        return this.stabilize(pos.length === 0 ? [...this.nodes.keys()] : pos.map((_, k) => id(k)));
      case 'isolate':
        this.isolated.add(id(0));
        return;
      case 'heal':
        this.isolated.clear();
        return;
      case 'crash':
        return this.crash(id(0));
      case 'restart':
        return this.restart(id(0));
      case 'compact':
        return this.compact(this.node(id(0)));
      case 'raft-log':
        return this.raftLog(this.node(id(0)));
      case 'raft-state':
        return this.raftState();
      case 'status':
        return this.status(this.node(id(0)));
      case 'log-level':
        assert((levels as readonly string[]).includes(pos[0] ?? ''), `unknown log level ${pos[0]}`);
        this.level = pos[0] as Level;
        return;
      default:
        assert(false, `line ${t.line}: unknown command ${t.cmd}`);
    }
  }

  private idArg(s: string | undefined, t: TestCase): NodeId {
    assert(s !== undefined, `line ${t.line}: missing node id`);
    return nodeId(Number(s));
  }

  private node(id: NodeId): EnvNode {
    const n = this.nodes.get(id);
    assert(n !== undefined, `no node ${id}`);
    return n;
  }

  private result(r: Result): void {
    if (!r.ok) this.out.push(`refused: ${r.rejection} (${r.detail})`);
  }

  private addNodes(count: number, join: boolean, kw: Map<string, string[]>): void {
    assert(Number.isSafeInteger(count) && count > 0, 'add-nodes needs a positive count');
    const first = this.nodes.size + 1;
    const ids: NodeId[] = Array.from({ length: count }, (_, k) => nodeId(first + k));
    const voters = (kw.get('voters') ?? ids.map(String)).map((s) => nodeId(Number(s)));
    const bool = (k: string, d: boolean) => (kw.has(k) ? kw.get(k)![0] === 'true' : d);
    const options: NodeOptions = {
      preVote: bool('prevote', true),
      checkQuorum: bool('checkquorum', true),
      maxInflightMsgs: Number(kw.get('max-inflight')?.[0] ?? 256),
      maxSizePerMsgBytes: Number(kw.get('max-size')?.[0] ?? 1 << 20),
      jitter: kw.get('random')?.[0] === 'max' ? 'max' : 'min',
    };
    // log=(t1,t2,…) appends entries with those terms after the bootstrap entries, and term=T
    // sets the persisted term: a way to build the logs of the paper's figures.
    const extraTerms = (kw.get('log') ?? []).map(Number);
    const term = Number(kw.get('term')?.[0] ?? 0);
    for (const id of ids) {
      const storage = new MemoryStorage();
      if (!join) bootstrap(storage, voters);
      if (extraTerms.length > 0) {
        const base = storage.lastIndex();
        storage.append(extraTerms.map((t, k) => ({ term: t, index: base + k + 1, type: 'normal' as const, data: new Uint8Array(0) })));
      }
      if (term > 0) storage.setHardState({ ...storage.initialState().hardState, term });
      this.nodes.set(id, { id, storage, applied: [], options, raw: this.newRawNode(id, storage, options, 0) });
    }
  }

  private newRawNode(id: NodeId, storage: MemoryStorage, options: NodeOptions, applied: number): RawNode {
    return new RawNode({
      id,
      storage,
      electionTicks: ELECTION_TICKS,
      heartbeatTicks: HEARTBEAT_TICKS,
      random: { int: (bound) => (options.jitter === 'max' ? bound - 1 : 0) },
      logger: this.logger(id),
      applied,
      preVote: options.preVote,
      checkQuorum: options.checkQuorum,
      maxInflightMsgs: options.maxInflightMsgs,
      maxSizePerMsgBytes: options.maxSizePerMsgBytes,
    });
  }

  private tick(id: NodeId, count: number): void {
    const n = this.node(id);
    for (let k = 0; k < count; k++) n.raw.tick();
  }

  private processReady(n: EnvNode): void {
    if (!n.raw.hasReady()) return;
    const rd = n.raw.ready();
    this.out.push(`> ${n.id} handling Ready`);
    for (const line of describeReady(rd)) this.out.push(`  ${line}`);
    // Persist first (thesis §3.8), then send, then apply.
    if (rd.snapshot !== null) n.storage.applySnapshot(rd.snapshot);
    n.storage.append(rd.entries);
    if (rd.hardState !== null) n.storage.setHardState(rd.hardState);
    for (const m of rd.messages) this.mailbox.push(m);
    if (rd.snapshot !== null) n.applied = JSON.parse(new TextDecoder().decode(rd.snapshot.data)) as string[];
    for (const e of rd.committedEntries) if (e.type === 'normal' && e.data.byteLength > 0) n.applied.push(new TextDecoder().decode(e.data));
    n.raw.advance();
  }

  private deliver(ids: NodeId[], drop: NodeId[]): void {
    for (const m of this.mailbox.filter((m) => drop.includes(m.to))) this.out.push(`dropped: ${formatMessage(m)}`);
    this.mailbox = this.mailbox.filter((m) => !drop.includes(m.to));
    for (const id of ids) {
      const n = this.node(id);
      const mine = this.mailbox.filter((m) => m.to === id);
      this.mailbox = this.mailbox.filter((m) => m.to !== id);
      for (const m of mine) {
        if (this.isolated.has(m.to) || this.isolated.has(m.from)) {
          this.out.push(`dropped: ${formatMessage(m)}`);
          continue;
        }
        this.out.push(formatMessage(m));
        n.raw.step(m);
      }
    }
  }

  private stabilize(ids: NodeId[]): void {
    // Bounded: a healthy cluster quiesces in a handful of rounds; 100 means a livelock.
    for (let round = 0; round < 100; round++) {
      let busy = false;
      for (const id of ids) {
        const n = this.node(id);
        if (n.raw.hasReady()) {
          busy = true;
          this.processReady(n);
        }
      }
      for (const id of ids) {
        if (this.mailbox.some((m) => m.to === id)) {
          busy = true;
          this.out.push(`> ${id} receiving messages`);
          const before = this.out.length;
          this.deliver([id], []);
          for (let k = before; k < this.out.length; k++) this.out[k] = `  ${this.out[k]}`;
        }
      }
      if (!busy) return;
    }
    assert(false, 'stabilize did not converge in 100 rounds');
  }

  private crash(id: NodeId): void {
    // Unsent messages and unpersisted state vanish; storage (the disk) survives.
    this.mailbox = this.mailbox.filter((m) => m.from !== id && m.to !== id);
    this.node(id).raw = undefined as unknown as RawNode;
  }

  private restart(id: NodeId): void {
    const n = this.node(id);
    const snap = n.storage.snapshot();
    n.applied = snap.meta.index > 0 ? (JSON.parse(new TextDecoder().decode(snap.data)) as string[]) : [];
    n.raw = this.newRawNode(id, n.storage, n.options, 0);
  }

  private compact(n: EnvNode): void {
    const applied = n.raw.status().applied;
    const data = new TextEncoder().encode(JSON.stringify(n.applied));
    n.storage.createSnapshot(applied, n.raw.appliedConfState(), data);
    n.storage.compact(applied);
    this.out.push(`snapshot and compact ${n.id} at applied index ${applied}`);
  }

  private raftLog(n: EnvNode): void {
    const first = n.storage.firstIndex();
    const last = n.storage.lastIndex();
    if (first > last) {
      this.out.push(`log is empty: first index=${first}, last index=${last}`);
      return;
    }
    const ents = n.storage.entries(first, last + 1, Number.MAX_SAFE_INTEGER);
    assert(ents !== 'compacted', 'storage entries compacted');
    for (const e of ents) this.out.push(formatEntry(e));
  }

  private raftState(): void {
    for (const n of this.nodes.values()) {
      if (n.raw === undefined) {
        this.out.push(`${n.id}: crashed`);
        continue;
      }
      const s = n.raw.status();
      const kind = s.conf.voters.includes(n.id) ? 'Voter' : s.conf.learners.includes(n.id) ? 'Learner' : 'NonMember';
      this.out.push(`${n.id}: ${stateName(s.role)} (${kind}) Term:${s.term} Lead:${s.lead} Commit:${s.commit} Applied:${n.applied.join(',') || '-'}`);
    }
  }

  private status(n: EnvNode): void {
    const s = n.raw.status();
    this.out.push(`${stateName(s.role)} term=${s.term} commit=${s.commit} ${formatConfState(s.conf)}`);
    for (const [id, p] of s.progress) {
      this.out.push(`${id}: ${p.state} match=${p.match} next=${p.next}${p.learner ? ' learner' : ''}`);
    }
  }
}

function stateName(role: string): string {
  return { follower: 'StateFollower', 'pre-candidate': 'StatePreCandidate', candidate: 'StateCandidate', leader: 'StateLeader' }[
    role
  ]!;
}

export function describeReady(rd: Ready): string[] {
  const lines = [`Ready MustSync=${rd.mustSync}:`];
  if (rd.softState !== null) lines.push(`State:${stateName(rd.softState.role)} Lead:${rd.softState.lead}`);
  if (rd.hardState !== null) lines.push(`HardState Term:${rd.hardState.term} Vote:${rd.hardState.vote} Commit:${rd.hardState.commit}`);
  const list = (title: string, ents: Entry[]) => {
    if (ents.length === 0) return;
    lines.push(`${title}:`);
    for (const e of ents) lines.push(formatEntry(e));
  };
  list('Entries', rd.entries);
  if (rd.snapshot !== null) {
    const { index, term, confState } = rd.snapshot.meta;
    lines.push(`Snapshot Index:${index} Term:${term} ${formatConfState(confState)}`);
  }
  list('CommittedEntries', rd.committedEntries);
  if (rd.messages.length > 0) {
    lines.push('Messages:');
    for (const m of rd.messages) lines.push(formatMessage(m));
  }
  if (rd.readStates.length > 0) {
    lines.push('ReadStates:');
    for (const r of rd.readStates) lines.push(`index=${r.index} context=${r.context}`);
  }
  return lines;
}

export type { Arg };

// Test harness: in-process Raft groups over real gRPC on 127.0.0.1 ephemeral ports, each node with
// its own server, data dir and partition switch, plus a replayable in-memory state machine that
// records every applied entry. `Cluster.close()` stops everything and removes the temp dirs; test
// files call it in `finally` so a failing assertion never leaks servers or timers.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as grpc from '@grpc/grpc-js';
import { pino } from 'pino';
import { bindServer, createServer, shutdownServer } from '@cairn/rpc';
import { RaftNode, type RaftNodeOptions, type StateMachine, type AppliedEntry, TransportFaults } from '../src/index.js';

export const logger = pino({ level: process.env.LOG_LEVEL ?? 'silent' });
const utf8 = new TextEncoder();
const utf8d = new TextDecoder();

export function bytes(s: string): Uint8Array {
  return utf8.encode(s);
}

/** Keeps every applied command in memory; restarts replay the log (or restore a snapshot). */
export class ListMachine implements StateMachine {
  items: { index: number; term: number; data: string }[] = [];
  applied = 0;
  restores = 0;
  async apply(entries: AppliedEntry[]): Promise<void> {
    for (const e of entries) {
      if (e.index <= this.applied) throw new Error(`entry ${e.index} applied twice (applied ${this.applied})`);
      this.items.push({ index: e.index, term: e.term, data: utf8d.decode(e.data) });
      this.applied = e.index;
    }
  }
  appliedIndex(): number {
    return this.applied;
  }
  async snapshot(): Promise<Uint8Array> {
    return utf8.encode(JSON.stringify(this.items));
  }
  async restore(data: Uint8Array, index: number): Promise<void> {
    this.items = data.byteLength === 0 ? [] : JSON.parse(utf8d.decode(data));
    this.applied = index;
    this.restores++;
  }
  datas(): string[] {
    return this.items.map((i) => i.data);
  }
}

export interface Member {
  id: number;
  address: string;
  port: number;
  dataDir: string;
  faults: TransportFaults;
  server?: grpc.Server;
  node?: RaftNode;
  sm: ListMachine;
}

export type Extra = Partial<Omit<RaftNodeOptions, 'id' | 'peers' | 'dataDir' | 'server' | 'selfAddress' | 'logger' | 'stateMachine'>>;

export class Cluster {
  readonly members = new Map<number, Member>();
  private readonly root = mkdtempSync(join(tmpdir(), 'raft-node-'));
  founderIds: number[] = [];

  constructor(private readonly extra: Extra = {}) {}

  /** Binds a server for each id (ports first: every node needs every address to bootstrap). */
  async prepare(ids: number[]): Promise<Member[]> {
    const out: Member[] = [];
    for (const id of ids) {
      const server = createServer();
      const port = await bindServer(server, '127.0.0.1', 0);
      const m: Member = { id, port, address: `127.0.0.1:${port}`, dataDir: join(this.root, `n${id}`), faults: new TransportFaults(), server, sm: new ListMachine() };
      this.members.set(id, m);
      out.push(m);
    }
    return out;
  }

  static async start(ids: number[], extra: Extra = {}): Promise<Cluster> {
    const c = new Cluster(extra);
    await c.prepare(ids);
    c.founderIds = ids;
    for (const id of ids) await c.startNode(id);
    return c;
  }

  founders(): { id: number; address: string }[] {
    return [...this.members.values()].filter((m) => this.founderIds.includes(m.id)).map((m) => ({ id: m.id, address: m.address }));
  }

  async startNode(id: number, more: Extra & { join?: boolean; peers?: { id: number; address: string }[] } = {}): Promise<RaftNode> {
    const m = this.members.get(id)!;
    if (m.server === undefined) {
      m.server = createServer();
      await bindServer(m.server, '127.0.0.1', m.port);
    }
    m.node = await RaftNode.start({
      id,
      peers: more.peers ?? this.founders(),
      dataDir: m.dataDir,
      server: m.server,
      selfAddress: m.address,
      logger,
      stateMachine: m.sm,
      faults: m.faults,
      ...this.extra,
      ...more,
    });
    return m.node;
  }

  /** Stops a node and its server; its data dir stays for a restart. Its state machine is lost. */
  async stopNode(id: number): Promise<void> {
    const m = this.members.get(id)!;
    await m.node?.stop();
    m.node = undefined;
    if (m.server !== undefined) await shutdownServer(m.server, 100);
    m.server = undefined;
    m.sm = new ListMachine();
  }

  node(id: number): RaftNode {
    const n = this.members.get(id)?.node;
    if (n === undefined) throw new Error(`node ${id} is not running`);
    return n;
  }

  running(): RaftNode[] {
    return [...this.members.values()].flatMap((m) => (m.node === undefined ? [] : [m.node]));
  }

  async leader(timeoutMs = 10_000, among?: number[]): Promise<RaftNode> {
    let found: RaftNode | undefined;
    await waitFor(() => {
      found = this.running().find((n) => n.isLeader && (among === undefined || among.includes(n.id)));
      return found !== undefined;
    }, timeoutMs, 'a leader');
    return found!;
  }

  /** Waits until every running node (or `ids`) has applied at least `index`. */
  async converge(index: number, ids?: number[], timeoutMs = 15_000): Promise<void> {
    await waitFor(() => (ids ?? this.running().map((n) => n.id)).every((id) => (this.members.get(id)?.node?.appliedIndex ?? -1) >= index), timeoutMs, `applied ≥ ${index}`);
  }

  async close(): Promise<void> {
    for (const id of this.members.keys()) await this.stopNode(id).catch(() => {});
    rmSync(this.root, { recursive: true, force: true });
  }
}

export async function waitFor(pred: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  // Bounded by the deadline.
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Proposes on whichever node leads, retrying through elections; returns the applied index. */
export async function proposeOnLeader(c: Cluster, data: string, timeoutMs = 10_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const leader = c.running().find((n) => n.isLeader);
    if (leader !== undefined) {
      try {
        return (await leader.propose(bytes(data))).index;
      } catch (err) {
        if (Date.now() > deadline) throw err;
      }
    }
    if (Date.now() > deadline) throw new Error(`no leader accepted ${data}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// A RaftNode in its own process, driven over IPC by the crash test and the benchmark. It binds a
// gRPC server on 127.0.0.1 (port from argv or ephemeral), reports {op:'bound', port}, waits for
// {op:'start', peers}, then serves requests: propose, status, items, load (closed-loop proposers
// for a fixed time, with latency percentiles), latency (the node's Ready-loop probes, optionally
// reset), first-commit (propose until a commit succeeds here,
// for failover timing), stop. The state machine keeps applied commands in memory (replayed from the
// log or a snapshot after a restart) when `record` is set, else only counts them.
//
// argv[2]: JSON {id, dataDir, port?, record?, snapshotEveryEntries?}

import { pino } from 'pino';
import { bindServer, createServer } from '@cairn/rpc';
import { type AppliedEntry, RaftNode, type StateMachine } from '../src/index.js';

interface Args {
  id: number;
  dataDir: string;
  port?: number;
  record?: boolean;
  snapshotEveryEntries?: number;
}
const args = JSON.parse(process.argv[2]!) as Args;
const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination(2));
const utf8d = new TextDecoder();

class Machine implements StateMachine {
  items: [number, string][] = [];
  applied = 0;
  async apply(entries: AppliedEntry[]): Promise<void> {
    for (const e of entries) {
      if (args.record) this.items.push([e.index, utf8d.decode(e.data)]);
      this.applied = e.index;
    }
  }
  appliedIndex(): number {
    return this.applied;
  }
  async snapshot(): Promise<Uint8Array> {
    return new TextEncoder().encode(JSON.stringify(this.items));
  }
  async restore(data: Uint8Array, index: number): Promise<void> {
    this.items = data.byteLength === 0 ? [] : JSON.parse(utf8d.decode(data));
    this.applied = index;
  }
}

const sm = new Machine();
const server = createServer();
const port = await bindServer(server, '127.0.0.1', args.port ?? 0);
const selfAddress = `127.0.0.1:${port}`;
let node: RaftNode | undefined;
const send = (m: object) => process.send!(m);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function load(concurrency: number, durationMs: number, payloadBytes: number) {
  const n = node!;
  const payload = new Uint8Array(payloadBytes).fill(120);
  const latencies: number[] = [];
  let errors = 0;
  const endMs = Date.now() + durationMs;
  const startedMs = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      // Bounded by the run's duration.
      while (Date.now() < endMs) {
        const t0 = performance.now();
        try {
          await n.propose(payload);
          latencies.push(performance.now() - t0);
        } catch {
          errors++;
        }
      }
    }),
  );
  const elapsedMs = performance.now() - startedMs;
  latencies.sort((a, b) => a - b);
  return {
    count: latencies.length,
    errors,
    perSecond: Math.round((latencies.length / elapsedMs) * 1000),
    p50Ms: Number(percentile(latencies, 50).toFixed(2)),
    p99Ms: Number(percentile(latencies, 99).toFixed(2)),
    stats: n.transportStats,
  };
}

async function firstCommit(timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  // Bounded by the deadline; polls every 2 ms.
  while (Date.now() < deadline) {
    if (node!.isLeader) {
      try {
        await node!.propose(new Uint8Array(128));
        return { ok: true, atMs: Date.now(), id: args.id };
      } catch {
        // Not yet, or leadership moved: keep trying.
      }
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  return { ok: false };
}

process.on('message', async (m: { op: string; seq: number; [k: string]: unknown }) => {
  try {
    switch (m.op) {
      case 'start':
        node = await RaftNode.start({
          id: args.id,
          peers: m.peers as { id: number; address: string }[],
          dataDir: args.dataDir,
          server,
          selfAddress,
          logger,
          stateMachine: sm,
          ...(args.snapshotEveryEntries === undefined ? {} : { snapshotEveryEntries: args.snapshotEveryEntries }),
        });
        send({ seq: m.seq, ok: true });
        break;
      case 'propose': {
        const r = await node!.propose(new TextEncoder().encode(m.data as string));
        send({ seq: m.seq, ok: true, index: r.index });
        break;
      }
      case 'status':
        send({ seq: m.seq, ok: true, status: node?.status(), isLeader: node?.isLeader ?? false, applied: node?.appliedIndex ?? 0 });
        break;
      case 'latency':
        send({ seq: m.seq, ok: true, phases: node?.latency(m.reset === true) ?? {} });
        break;
      case 'items':
        send({ seq: m.seq, ok: true, items: sm.items });
        break;
      case 'load':
        send({ seq: m.seq, ok: true, ...(await load(m.concurrency as number, m.durationMs as number, m.payloadBytes as number)) });
        break;
      case 'first-commit':
        send({ seq: m.seq, ...(await firstCommit(m.timeoutMs as number)) });
        break;
      case 'stop':
        await node?.stop();
        server.forceShutdown();
        send({ seq: m.seq, ok: true });
        process.exit(0);
        break;
      default:
        send({ seq: m.seq, ok: false, err: `unknown op ${m.op}` });
    }
  } catch (err) {
    send({ seq: m.seq, ok: false, err: (err as Error).message });
  }
});
process.on('disconnect', () => process.exit(0));
send({ op: 'bound', port });

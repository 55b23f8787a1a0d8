// Benchmark of a 3-node Raft group, each node in its own child process (node-child.ts), talking
// gRPC on 127.0.0.1 with synced LevelDB logs and default timeouts (RaftNode's tickMs/electionTicks).
// Measures committed-and-applied proposals per second and p50/p99 commit latency with 1, 16 and
// 256 concurrent closed-loop proposers on the leader (128-byte payloads, 5 s per run), then the
// time from SIGKILL of the leader to the first commit under a new leader (3 rounds; the killed
// node is restarted and caught up between rounds). Prints a table, the Ready-loop latency
// breakdown of the leader (L) and one follower (F) per run (RaftNode.latency()), then one JSON line.
//
// Usage: node dist/test/bench.js [--seconds 5] [--rounds 3] [--concurrency 1,16,256]

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Child } from './child.js';

const argv = process.argv.slice(2);
const flag = (name: string, dflt: number) => {
  const k = argv.indexOf(`--${name}`);
  return k >= 0 ? Number(argv[k + 1]) : dflt;
};
const seconds = flag('seconds', 5);
const rounds = flag('rounds', 3);
const k = argv.indexOf('--concurrency');
const concurrencies = k >= 0 ? argv[k + 1]!.split(',').map(Number) : [1, 16, 256];
const root = mkdtempSync(join(tmpdir(), 'raft-node-bench-'));
const children = new Map<number, Child>();
const ports = new Map<number, number>();

async function spawn(id: number): Promise<Child> {
  const port = ports.get(id);
  const c = await Child.spawn({ id, dataDir: join(root, `n${id}`), ...(port === undefined ? {} : { port }) });
  ports.set(id, c.port);
  children.set(id, c);
  return c;
}

type Phases = Record<string, { count: number; p50Ms: number; p99Ms: number; maxMs: number }>;

/** Prints the Ready-loop probes of the leader and of the first follower (RaftNode.latency()). */
function printBreakdown(b: { concurrency: number; leader: Phases; followers: Phases[] }): void {
  console.log(`\nlatency breakdown, ${b.concurrency} proposer(s)            count    p50 ms    p99 ms    max ms`);
  const print = (who: string, phases: Phases) => {
    for (const [phase, v] of Object.entries(phases).sort(([a], [z]) => a.localeCompare(z))) {
      console.log(`  ${`${who} ${phase}`.padEnd(48)} ${String(v.count).padStart(7)} ${v.p50Ms.toFixed(3).padStart(9)} ${v.p99Ms.toFixed(3).padStart(9)} ${v.maxMs.toFixed(3).padStart(9)}`);
    }
  };
  print('L', b.leader);
  if (b.followers[0] !== undefined) print('F', b.followers[0]);
}

const peers = () => [...ports].map(([id, port]) => ({ id, address: `127.0.0.1:${port}` }));

async function leader(timeoutMs = 15_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  // Bounded by the deadline.
  while (Date.now() < deadline) {
    for (const [id, c] of children) if ((await c.request('status')).isLeader === true) return id;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('no leader');
}

async function caughtUp(id: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const lead = children.get(await leader())!;
  const target = ((await lead.request('status')).status as { commit: number }).commit;
  while (Date.now() < deadline) {
    if (((await children.get(id)!.request('status')).applied as number) >= target) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`node ${id} did not catch up`);
}

try {
  for (const id of [1, 2, 3]) await spawn(id);
  for (const c of children.values()) await c.request('start', { peers: peers() });
  const rows: Record<string, number | string>[] = [];
  const breakdowns: { concurrency: number; leader: Phases; followers: Phases[] }[] = [];
  for (const concurrency of concurrencies) {
    const id = await leader();
    for (const c of children.values()) await c.request('latency', { reset: true });
    const r = await children.get(id)!.request('load', { concurrency, durationMs: seconds * 1000, payloadBytes: 128 });
    if (!r.ok) throw new Error(String(r.err));
    const stats = r.stats as { framesOut: number; framesIn: number; messagesIn: number };
    rows.push({
      concurrency,
      perSecond: r.perSecond as number,
      p50Ms: r.p50Ms as number,
      p99Ms: r.p99Ms as number,
      errors: r.errors as number,
      msgsPerFrameIn: Number((stats.messagesIn / Math.max(1, stats.framesIn)).toFixed(2)),
    });
    const phases = async (c: Child) => (await c.request('latency', { reset: true })).phases as Phases;
    breakdowns.push({
      concurrency,
      leader: await phases(children.get(id)!),
      followers: await Promise.all([...children].filter(([k]) => k !== id).map(([, c]) => phases(c))),
    });
  }
  const failoverMs: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const old = await leader();
    const survivors = [...children].filter(([id]) => id !== old).map(([, c]) => c);
    const waits = survivors.map((c) => c.request('first-commit', { timeoutMs: 20_000 }));
    await new Promise((r) => setTimeout(r, 50));
    const killedAt = Date.now();
    await children.get(old)!.kill();
    const results = await Promise.all(waits);
    const at = Math.min(...results.filter((x) => x.ok).map((x) => x.atMs as number));
    failoverMs.push(at - killedAt);
    await spawn(old);
    await children.get(old)!.request('start', { peers: peers() });
    await caughtUp(old);
  }
  failoverMs.sort((a, b) => a - b);
  const out = {
    nodes: 3,
    payloadBytes: 128,
    secondsPerRun: seconds,
    runs: rows,
    failoverMs,
    failoverMedianMs: failoverMs[Math.floor(failoverMs.length / 2)],
    breakdowns,
  };
  console.log('\nconcurrency  commits/s   p50 ms   p99 ms  errors  msgs/frame(leader in)');
  for (const r of rows) {
    console.log(
      `${String(r.concurrency).padStart(11)}  ${String(r.perSecond).padStart(9)}  ${String(r.p50Ms).padStart(7)}  ${String(r.p99Ms).padStart(7)}  ${String(r.errors).padStart(6)}  ${String(r.msgsPerFrameIn).padStart(6)}`,
    );
  }
  for (const b of breakdowns) printBreakdown(b);
  console.log(`leader SIGKILL -> first commit under new leader: ${failoverMs.join(', ')} ms (median ${out.failoverMedianMs} ms)\n`);
  console.log(JSON.stringify(out));
} finally {
  // A clean stop first (so `node --cpu-prof dist/test/bench.js` gets the children's profiles).
  await Promise.all([...children.values()].map((c) => Promise.race([c.request('stop'), new Promise((r) => setTimeout(r, 2_000))])));
  for (const c of children.values()) await c.kill();
  rmSync(root, { recursive: true, force: true });
}

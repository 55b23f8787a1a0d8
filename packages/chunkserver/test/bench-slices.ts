// Throughput and latency check (not a test), each chunkserver in its own process (as in a local
// cluster), every write synced (`sync: true`) as clients send it:
// - small slices: 4 KiB slices written one at a time from one client, p50/p99 latency at goal 1
//   and goal 3, then `--small-concurrency` at once at goal 3;
// - bulk writes: 256 MiB as 8 MiB slices through a 3-server pipeline, MB/s;
// - reads from the first server: one slice at a time, then `--read-parallel` streams at once.
//
//   node packages/chunkserver/dist/test/bench-slices.js [--total-mib=256] [--slice-mib=8] [--inflight=4]
//     [--small-count=500] [--small-concurrency=30] [--read-parallel=8] [--only=small|write|read]
//
// FACTS.md: one shared disk, ~200 MB/s buffered, so goal-3 writes top out near ~70 MB/s here.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { channelOptions, protos, type types } from '@cairn/rpc';
import { pino } from 'pino';
import { startChunkserver } from '../src/index.js';
import { readSlice, writeSlice } from './helpers.js';

function arg(name: string, fallback: number): number {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.split('=')[1]) : fallback;
}

async function serve(dataDir: string): Promise<void> {
  const s = await startChunkserver({ dataDir, masters: [], logger: pino({ level: 'warn' }) });
  process.send?.({ id: s.id, address: s.address });
  process.on('message', (m) => {
    if (m === 'stop') {
      void s.stop().then(() => {
        const cpu = process.cpuUsage();
        process.send?.({ cpuSeconds: (cpu.user + cpu.system) / 1e6 }, () => process.exit(0));
      });
    }
  });
}

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const cpu = process.cpuUsage(since);
  return (cpu.user + cpu.system) / 1e6;
}

function percentiles(ms: number[]): string {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number): string => (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number).toFixed(2);
  return `p50 ${at(0.5)} ms, p99 ${at(0.99)} ms (n=${sorted.length})`;
}

async function main(): Promise<void> {
  const totalBytes = arg('total-mib', 256) * 1024 * 1024;
  const sliceBytes = arg('slice-mib', 8) * 1024 * 1024;
  const inflight = arg('inflight', 4);
  const dirs: string[] = [];
  const children: ChildProcess[] = [];
  try {
    const servers: { id: number; address: string }[] = [];
    for (let i = 0; i < 3; i++) {
      const dir = await mkdtemp(join(tmpdir(), 'cairn-bench-'));
      dirs.push(dir);
      const execArgv = process.env['BENCH_CPU_PROF'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_CPU_PROF']}`] : [];
      const child = fork(fileURLToPath(import.meta.url), ['--serve', dir], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv });
      children.push(child);
      servers.push(await new Promise((resolve, reject) => {
        child.once('message', (m) => resolve(m as { id: number; address: string }));
        child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
      }));
    }
    const Ctor = protos().chunk.cairn.ChunkData;
    const client: types.ChunkDataClient = new Ctor(servers[0]!.address, grpc.credentials.createInsecure(), channelOptions);
    // One buffer reused for every slice (FACTS.md: fresh memory is slow to fill in this VM);
    // the first 8 bytes carry the slice id so slices differ.
    const data = Buffer.alloc(sliceBytes);
    for (let i = 0; i < data.length; i += 4096) data.writeUInt32LE((i * 2654435761) >>> 0, i);
    const only = process.argv.find((x) => x.startsWith('--only='))?.split('=')[1];
    let nextSmallId = 1_000_000;
    if (!only || only === 'small') {
      const smallCount = arg('small-count', 500);
      const small = Buffer.alloc(4096, 7);
      for (const goal of [1, 3]) {
        const latencies: number[] = [];
        for (let i = 0; i < smallCount; i++) {
          const t0 = process.hrtime.bigint();
          const reply = await writeSlice(client, small, { sliceId: nextSmallId++, downstream: servers.slice(1, goal), sync: true });
          latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
          if (reply.status?.errno !== 0 || reply.storedOn.length !== goal) throw new Error(`small slice: ${JSON.stringify(reply)}`);
        }
        console.log(`small: 4 KiB, goal ${goal}, one at a time: ${percentiles(latencies)}`);
      }
      const concurrency = arg('small-concurrency', 30);
      const latencies: number[] = [];
      const smallStarted = process.hrtime.bigint();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          for (let i = 0; i < Math.ceil(smallCount / concurrency); i++) {
            const t0 = process.hrtime.bigint();
            const reply = await writeSlice(client, small, { sliceId: nextSmallId++, downstream: servers.slice(1), sync: true });
            latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
            if (reply.status?.errno !== 0 || reply.storedOn.length !== 3) throw new Error(`small slice: ${JSON.stringify(reply)}`);
          }
        }),
      );
      const smallSeconds = Number(process.hrtime.bigint() - smallStarted) / 1e9;
      console.log(`small: 4 KiB, goal 3, ${concurrency} at once: ${percentiles(latencies)}, ${(latencies.length / smallSeconds).toFixed(0)} slices/s`);
    }
    const count = Math.ceil(totalBytes / sliceBytes);
    if (only === 'small') return client.close();
    let next = 0;
    const cpuBefore = process.cpuUsage();
    const started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: inflight }, async () => {
        while (next < count) {
          const sliceId = 1 + next++;
          const reply = await writeSlice(client, data, { sliceId, downstream: servers.slice(1), sync: true, frameBytes: 1024 * 1024 });
          if (reply.status?.errno !== 0 || reply.storedOn.length !== 3) throw new Error(`slice ${sliceId}: ${JSON.stringify(reply)}`);
        }
      }),
    );
    const writeSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const mb = (count * sliceBytes) / 1e6;
    console.log(`write: ${count} slices x ${sliceBytes / 1048576} MiB, goal 3, ${inflight} in flight: ${(mb / writeSeconds).toFixed(1)} MB/s (${writeSeconds.toFixed(2)} s, client ${cpuSeconds(cpuBefore).toFixed(2)} s CPU)`);
    if (only !== 'write') {
      for (const parallel of [1, arg('read-parallel', 8)]) {
        for (let round = 0; round < 2; round++) {
          let nextRead = 1;
          const readStarted = process.hrtime.bigint();
          await Promise.all(
            Array.from({ length: parallel }, async () => {
              while (nextRead <= count) {
                const id = nextRead++;
                const r = await readSlice(client, id, 0, 0);
                if (r.errno !== 0 || r.data.length !== sliceBytes) throw new Error(`read ${id}: errno ${r.errno}`);
              }
            }),
          );
          const readSeconds = Number(process.hrtime.bigint() - readStarted) / 1e9;
          console.log(`read (page cache warm, ${parallel} at a time, round ${round + 1}): ${(mb / readSeconds).toFixed(1)} MB/s`);
        }
      }
    }
    client.close();
  } finally {
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null) return resolve();
            c.once('exit', () => resolve());
            c.on('message', (m) => {
              const cpu = (m as { cpuSeconds?: number }).cpuSeconds;
              if (cpu !== undefined) console.log(`server pid ${c.pid}: ${cpu.toFixed(2)} s CPU`);
            });
            c.send('stop');
            setTimeout(() => c.kill('SIGKILL'), 10_000).unref();
          }),
      ),
    );
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  }
}

if (process.argv[2] === '--serve') await serve(process.argv[3] as string);
else await main();

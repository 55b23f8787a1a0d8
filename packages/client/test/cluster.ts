// A small in-process cluster for end-to-end tests of the client: one master and three
// chunkservers on loopback with temporary data directories. The servers' packages are loaded
// at run time (no build-time dependency on them); when they are not built, `startCluster`
// returns undefined and the caller skips.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MetaClient, type types } from '@cairn/rpc';

export interface TestCluster {
  masters: string[];
  dir: string;
  /** Stops chunkserver `i` (to test replica failover). */
  stopChunkserver(i: number): Promise<void>;
  stop(): Promise<void>;
}

interface Stoppable {
  address: string;
  stop(): Promise<void>;
}

export async function startCluster(chunkservers = 3): Promise<TestCluster | undefined> {
  let master: { startMaster(o: unknown): Promise<Stoppable> };
  let chunk: { startChunkserver(o: unknown): Promise<Stoppable> };
  let pino: { pino(o: unknown): unknown };
  try {
    const spec = (name: string) => name;
    master = (await import(spec('@cairn/master'))) as typeof master;
    chunk = (await import(spec('@cairn/chunkserver'))) as typeof chunk;
    pino = (await import(spec('pino'))) as typeof pino;
  } catch (err) {
    console.log(`skipping end-to-end tests: servers not built (${(err as Error).message})`);
    return undefined;
  }
  const logger = pino.pino({ level: process.env.CAIRN_TEST_LOG ?? 'silent' });
  const dir = await mkdtemp(join(tmpdir(), 'cairn-client-e2e-'));
  const m = await master.startMaster({ id: 1, dataDir: join(dir, 'm1'), logger, heartbeatIntervalMs: 200 });
  const servers: (Stoppable | undefined)[] = [];
  for (let i = 0; i < chunkservers; i++) {
    servers.push(await chunk.startChunkserver({ dataDir: join(dir, `c${i}`), masters: [m.address], logger, heartbeatIntervalMs: 200 }));
  }
  // Tests expect every slice on all three servers: wait until the master has seen them all.
  const meta = new MetaClient({ masters: [m.address], retryBudgetMs: 10_000 });
  try {
    for (const deadline = Date.now() + 20_000; ; ) {
      const status = await meta.call<object, types.ClusterStatusReply__Output>('clusterStatus', {});
      if (status.chunkservers.filter((c) => c.alive).length === chunkservers) break;
      if (Date.now() > deadline) throw new Error(`only ${status.chunkservers.length} of ${chunkservers} chunkservers registered`);
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    meta.close();
  }
  return {
    masters: [m.address],
    dir,
    async stopChunkserver(i) {
      await servers[i]?.stop();
      servers[i] = undefined;
    },
    async stop() {
      for (const s of servers) await s?.stop();
      await m.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

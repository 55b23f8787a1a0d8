// One metadata master process: the store, the host loop, the Meta gRPC service, and the
// background duties of the leader (session expiry, garbage deletion).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { type GarbageSlice, type Session, type SessionId, type SliceId, keys } from '@cairn/meta';
import { bindServer, createServer, protos, shutdownServer } from '@cairn/rpc';
import { Chunkservers } from './chunkservers.js';
import { MetaHost } from './host.js';
import { metaService } from './service.js';
import { MetaStore } from './store.js';

export interface MasterOptions {
  id: number;
  dataDir: string;
  host?: string;
  port?: number;
  logger: Logger;
  /** Client session lease; a client renews at a third of it. */
  leaseMs?: number;
  heartbeatIntervalMs?: number;
  /** A chunkserver silent for this long is dead. */
  chunkserverDeadAfterMs?: number;
  /** Unreferenced slices are deleted from chunkservers this long after they became garbage. */
  garbageGraceMs?: number;
  reserveBytes?: number;
}

export interface Master {
  id: number;
  address: string;
  port: number;
  stop(): Promise<void>;
}

const maintenanceIntervalMs = 1_000;
const garbageBatchMax = 1_000;

export async function startMaster(options: MasterOptions): Promise<Master> {
  const log = options.logger;
  const host = options.host ?? '127.0.0.1';
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? 1_000;
  const garbageGraceMs = options.garbageGraceMs ?? 5_000;
  await mkdir(options.dataDir, { recursive: true });
  const store = await MetaStore.open(join(options.dataDir, 'meta'));
  const metaHost = new MetaHost(store, log);
  await metaHost.start(Date.now());
  const chunkservers = new Chunkservers(options.chunkserverDeadAfterMs ?? heartbeatIntervalMs * 5);

  let address = '';
  const server = createServer();
  server.addService(
    protos().meta.cairn.Meta.service,
    metaService({
      host: metaHost,
      chunkservers,
      nodeId: options.id,
      address: () => address,
      leaseMs: options.leaseMs ?? 60_000,
      heartbeatIntervalMs,
      reserveBytes: options.reserveBytes ?? 64 * 1024 * 1024,
    }),
  );
  let port: number;
  try {
    port = await bindServer(server, host, options.port ?? 0);
  } catch (err) {
    await store.close();
    throw err;
  }
  address = `${host}:${port}`;
  log.info({ address, applied: metaHost.applied }, 'master serving');

  let maintaining = false;
  const maintain = async () => {
    if (maintaining) return;
    maintaining = true;
    try {
      await expireSessions(metaHost, log);
      await collectGarbage(metaHost, chunkservers, garbageGraceMs);
    } catch (err) {
      log.warn({ err }, 'maintenance pass failed');
    } finally {
      maintaining = false;
    }
  };
  const timer = setInterval(() => void maintain(), maintenanceIntervalMs);

  return {
    id: options.id,
    address,
    port,
    async stop() {
      clearInterval(timer);
      await shutdownServer(server, 2_000);
      await metaHost.stop();
      await store.close();
      log.info('master stopped');
    },
  };
}

async function expireSessions(host: MetaHost, log: Logger): Promise<void> {
  const now = Date.now();
  for (const [, value] of await host.store.scan(keys.sessionsStart, keys.sessionsEnd, 10_000)) {
    const s = JSON.parse(value) as Session;
    if (s.expiresMs >= now) continue;
    log.info({ session: s.id, client: s.clientName }, 'session expired');
    await host.submit({ op: 'expireSession', sessionId: s.id as SessionId, nowMs: now });
  }
}

/**
 * Hands garbage slices to the chunkservers holding them once the grace period is over, and
 * forgets a garbage entry when no chunkserver holds the slice any more.
 */
async function collectGarbage(host: MetaHost, chunkservers: Chunkservers, graceMs: number): Promise<void> {
  const now = Date.now();
  const forget: SliceId[] = [];
  const complete = chunkservers.inventoriesComplete(now);
  for (const [, value] of await host.store.scan(keys.garbageStart, keys.garbageEnd, garbageBatchMax)) {
    const g = JSON.parse(value) as GarbageSlice;
    if (now - g.sinceMs < graceMs) continue;
    const holders = chunkservers.holders(g.id);
    for (const s of holders) chunkservers.scheduleDelete(g.id, s);
    if (holders.length === 0 && complete) forget.push(g.id);
  }
  if (forget.length > 0) await host.submit({ op: 'forgetGarbage', ids: forget });
}

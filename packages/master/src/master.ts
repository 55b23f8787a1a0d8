// One metadata master process: the store, the Raft node, the Meta gRPC service, and the leader's
// background duties (session expiry, garbage deletion), which run only while this master leads.
// A master given no peers forms a one-member Raft group: there is one code path for both.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { NotLeaderError } from '@cairn/rpc';
import { type GarbageSlice, type Session, type SessionId, type SliceId, keys } from '@cairn/meta';
import { RaftNode } from '@cairn/raft-node';
import { bindServer, createServer, protos, shutdownServer } from '@cairn/rpc';
import { Chunkservers } from './chunkservers.js';
import { Healer } from './healer.js';
import { MetaHost } from './host.js';
import { metaService, type Leadership } from './service.js';
import { MetaStore } from './store.js';

export interface MasterOptions {
  id: number;
  dataDir: string;
  host?: string;
  port?: number;
  /** The Raft group's founding members (id and address, this master included). Default: alone. */
  peers?: { id: number; address: string }[];
  /** Start as a new, empty member that the group adds with `cairn admin master add`. */
  join?: boolean;
  logger: Logger;
  /** Client session lease; a client renews at a third of it. */
  leaseMs?: number;
  heartbeatIntervalMs?: number;
  /** A chunkserver silent for this long is dead. */
  chunkserverDeadAfterMs?: number;
  /** Unreferenced slices are deleted from chunkservers this long after they became garbage. */
  garbageGraceMs?: number;
  reserveBytes?: number;
  /** Unreferenced replicas go to garbage collection after this long (default 10 min). */
  orphanGraceMs?: number;
  /** Raft timing: one tick in ms and the election timeout in ticks. */
  tickMs?: number;
  electionTicks?: number;
  snapshotEveryEntries?: number;
}

export interface Master {
  id: number;
  address: string;
  port: number;
  raft: RaftNode;
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
  let chunkservers = new Chunkservers(options.chunkserverDeadAfterMs ?? heartbeatIntervalMs * 5);

  // Chunkservers report free space net of their own reserve: room for one more slice is enough.
  const reserveBytes = options.reserveBytes ?? 16 * 1024 * 1024;
  const healer = new Healer(metaHost, { reserveBytes, orphanGraceMs: options.orphanGraceMs ?? 600_000, copyTimeoutMs: 120_000, imbalanceMax: 0.1, movesPerPassMax: 8 }, log.child({ component: 'healer' }));
  const self = options.peers?.find((p) => p.id === options.id);
  const server = createServer();
  let port: number;
  try {
    port = await bindServer(server, host, options.port ?? (self ? Number(self.address.split(':').pop()) : 0));
  } catch (err) {
    await store.close();
    throw err;
  }
  // Peers know this master by its address in the member list (it may be a proxy or a NAT
  // address); alone, it is where it listens.
  const address = self?.address ?? `${host}:${port}`;
  let leading = false;
  let raft: RaftNode | undefined;
  const leadership: Leadership = {
    require() {
      if (!leading || !raft) throw new NotLeaderError(raft?.leaderAddress ?? '');
    },
    async read() {
      this.require();
      await metaHost.readBarrier();
    },
    chunkservers: () => chunkservers,
    raft: () => raft,
  };
  server.addService(
    protos().meta.cairn.Meta.service,
    metaService({
      host: metaHost,
      leadership,
      nodeId: options.id,
      address,
      leaseMs: options.leaseMs ?? 60_000,
      heartbeatIntervalMs,
      reserveBytes,
      countSlices: (cs, nowMs) => healer.count(cs, nowMs),
      fsck: (repair) => healer.fsck(chunkservers, repair, Date.now()),
    }),
  );
  try {
    raft = await RaftNode.start({
      id: options.id,
      peers: options.peers ?? [{ id: options.id, address }],
      join: options.join ?? false,
      dataDir: join(options.dataDir, 'raft'),
      server,
      selfAddress: address,
      logger: log.child({ component: 'raft' }),
      stateMachine: metaHost.stateMachine(),
      ...(options.tickMs ? { tickMs: options.tickMs } : {}),
      ...(options.electionTicks ? { electionTicks: options.electionTicks } : {}),
      ...(options.snapshotEveryEntries ? { snapshotEveryEntries: options.snapshotEveryEntries } : {}),
    });
  } catch (err) {
    server.forceShutdown();
    await store.close();
    throw err;
  }
  metaHost.attach(raft);
  const node = raft;

  let maintaining = false;
  const maintain = async () => {
    if (maintaining || !leading) return;
    maintaining = true;
    try {
      await expireSessions(metaHost, log);
      await collectGarbage(metaHost, chunkservers, garbageGraceMs);
      await healer.pass(chunkservers, Date.now());
    } catch (err) {
      log.warn({ err }, 'maintenance pass failed');
    } finally {
      maintaining = false;
    }
  };
  const timer = setInterval(() => void maintain(), maintenanceIntervalMs);

  const onLeader = async (isLeader: boolean, term: number) => {
    if (isLeader === leading) return;
    if (!isLeader) {
      leading = false;
      metaHost.dropLease();
      log.info({ term }, 'stopped leading');
      return;
    }
    // A new leader knows nothing of chunkservers: it rebuilds their state from full reports
    // before any deletion is scheduled (collectGarbage waits for complete inventories).
    chunkservers = new Chunkservers(options.chunkserverDeadAfterMs ?? heartbeatIntervalMs * 5);
    try {
      await metaHost.becameLeader(Date.now());
      leading = true;
      log.info({ term, applied: metaHost.applied }, 'leading');
    } catch (err) {
      log.warn({ err }, 'could not take up leadership');
    }
  };
  node.onLeaderChange((e) => void onLeader(e.isLeader, e.term));
  if (node.isLeader) void onLeader(true, node.term);

  log.info({ address, applied: metaHost.applied, peers: options.peers?.length ?? 1 }, 'master serving');
  return {
    id: options.id,
    address,
    port,
    raft: node,
    async stop() {
      clearInterval(timer);
      leading = false;
      await shutdownServer(server, 2_000);
      await node.stop();
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
  if (!chunkservers.inventoriesComplete(now)) return;
  const forget: SliceId[] = [];
  for (const [, value] of await host.store.scan(keys.garbageStart, keys.garbageEnd, garbageBatchMax)) {
    const g = JSON.parse(value) as GarbageSlice;
    if (now - g.sinceMs < graceMs) continue;
    const holders = chunkservers.holders(g.id);
    for (const s of holders) chunkservers.scheduleDelete(g.id, s);
    if (holders.length === 0) forget.push(g.id);
  }
  if (forget.length > 0) await host.submit({ op: 'forgetGarbage', ids: forget });
}

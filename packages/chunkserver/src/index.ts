// The chunkserver: a slice store on one data directory, the ChunkData gRPC service (writes with
// a replication pipeline, verified reads, deletes), a heartbeat to the master group, the
// replicator that carries out the master's copy commands, the background scrubber, and the
// fence that refuses writes while the master cannot be reached.
//
// Start order: lock and scan the store (a second process on the same directory stops here),
// bind the gRPC server, then start heartbeating, so that the first (full) report is complete and
// the address in it already answers; the scrubber starts last. Stop order is the reverse.
import type * as grpc from '@grpc/grpc-js';
import type { Socket } from 'node:net';
import { Errno, ErrorCode, FsError } from '@cairn/errors';
import { MetaClient, bindServer, createServer, shutdownServer } from '@cairn/rpc';
import { pino, type Logger } from 'pino';
import { DataService, chunkDataService } from './data-service.js';
import { Fence } from './fence.js';
import { Heartbeat } from './heartbeat.js';
import type { NodeId } from './ids.js';
import { Replicator } from './replicator.js';
import { Scrubber } from './scrubber.js';
import { SliceStore } from './slice-store.js';

export * from './ids.js';
export {
  SliceStore,
  SliceWriter,
  blockSizeBytes,
  sliceSizeMaxBytes,
  trailerSizeBytes,
  blockCountOf,
  fileBytesOf,
  slicePath,
  type SliceStoreOptions,
  type SpaceReport,
  type InventoryReport,
  type StoreLogger,
  type VerifyResult,
} from './slice-store.js';
export { Scrubber, type ScrubberOptions, type ScrubPassSummary } from './scrubber.js';
export { Replicator, type ReplicatorOptions } from './replicator.js';
export { Fence } from './fence.js';
export { TokenBucket } from './token-bucket.js';
export { DataService, chunkDataService, readFrameInPlace, writeFrameMaxBytes, type DataServiceOptions } from './data-service.js';
export { Heartbeat, type HeartbeatOptions, type HeartbeatMetaClient } from './heartbeat.js';

export interface ChunkserverOptions {
  dataDir: string;
  /** Address to listen on; default 127.0.0.1. */
  host?: string;
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Host other servers and clients should use, when it differs from `host` (e.g. 0.0.0.0). */
  advertiseHost?: string;
  /** Master addresses (`host:port`); empty means no heartbeat (unit tests). */
  masters: string[];
  /** Cap on the bytes stored, below the filesystem's own size. */
  capacityBytes?: number;
  /** Refuse new slices below this much free space; default min(256 MiB, 5 % of capacity). */
  reserveBytes?: number;
  /** Default 1000; the master may change it in its replies. */
  heartbeatIntervalMs?: number;
  /** Default: pino at info level to stdout. */
  logger?: Logger;
  /** Concurrent slice writes; excess writers wait. Default 32. */
  writeConcurrencyMax?: number;
  /** Bytes queued for the disk per write before its stream is paused. Default 8 MiB. */
  writeQueueBytesMax?: number;
  /** Deadline of a forwarded pipeline write. Default 120 000. */
  pipelineTimeoutMs?: number;
  /** How long `stop()` lets calls in flight finish before cancelling them. Default 5 000. */
  shutdownGraceMs?: number;
  /** Scrubber read rate limit in bytes per second; 0 turns the scrubber off. Default 20 MiB/s. */
  scrubBytesPerSecMax?: number;
  /**
   * Time from the start of one full scrub pass to the start of the next. Default 24 h. The
   * first pass starts min(this, 60 s) after start.
   */
  scrubPassIntervalMs?: number;
  /** Bandwidth limit shared by all replication copies, bytes per second. Default 100 MiB/s. */
  replicationBytesPerSecMax?: number;
  /** Replication copies run at once. Default 2. */
  replicationConcurrencyMax?: number;
  /** Deadline of one copy on top of the time its bytes take at the rate limit. Default 60 000. */
  replicationTimeoutMs?: number;
  /**
   * Refuse new writes (EROFS) after this long without an accepted heartbeat. Default 2 500:
   * half the master's default dead-after time (5 s). Must exceed `heartbeatIntervalMs`.
   */
  fenceAfterMs?: number;
}

export const scrubBytesPerSecMaxDefault = 20 * 1024 * 1024;
export const scrubPassIntervalMsDefault = 24 * 60 * 60 * 1000;
export const replicationBytesPerSecMaxDefault = 100 * 1024 * 1024;
export const replicationConcurrencyMaxDefault = 2;
export const replicationTimeoutMsDefault = 60_000;
export const fenceAfterMsDefault = 2_500;
/** Replicate commands waiting to run; more are dropped (the master asks again). */
const replicationQueueMax = 1024;

export interface Chunkserver {
  id: NodeId;
  /** `host:port` as given to the master and to pipeline peers. */
  address: string;
  port: number;
  store: SliceStore;
  /** Undefined when `scrubBytesPerSecMax` is 0. */
  scrubber: Scrubber | undefined;
  replicator: Replicator;
  /** Undefined without masters. */
  heartbeat: Heartbeat | undefined;
  /** Undefined without masters (nothing to lose contact with). */
  fence: Fence | undefined;
  stop(): Promise<void>;
}

function validate(options: ChunkserverOptions): void {
  const bad = (why: string): never => {
    throw new FsError(Errno.EINVAL, `chunkserver options: ${why}`, { code: ErrorCode.Config });
  };
  if (!Array.isArray(options.masters)) bad('masters must be a list of host:port');
  const integers = [
    'port',
    'heartbeatIntervalMs',
    'writeConcurrencyMax',
    'writeQueueBytesMax',
    'pipelineTimeoutMs',
    'shutdownGraceMs',
    'scrubBytesPerSecMax',
    'scrubPassIntervalMs',
    'replicationBytesPerSecMax',
    'replicationConcurrencyMax',
    'replicationTimeoutMs',
    'fenceAfterMs',
  ] as const;
  for (const key of integers) {
    const v = options[key];
    if (v !== undefined && (!Number.isSafeInteger(v) || v < 0)) bad(`${key} must be a non-negative integer, got ${String(v)}`);
  }
  if (options.port !== undefined && options.port > 65535) bad('port must be at most 65535');
  for (const key of ['heartbeatIntervalMs', 'writeConcurrencyMax', 'scrubPassIntervalMs', 'replicationBytesPerSecMax', 'replicationConcurrencyMax', 'replicationTimeoutMs', 'fenceAfterMs'] as const) {
    if (options[key] === 0) bad(`${key} must be positive`);
  }
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? 1_000;
  const fenceAfterMs = options.fenceAfterMs ?? fenceAfterMsDefault;
  if (options.masters.length > 0 && fenceAfterMs <= heartbeatIntervalMs) {
    bad(`fenceAfterMs (${fenceAfterMs}) must exceed heartbeatIntervalMs (${heartbeatIntervalMs}), or every gap between beats fences the server`);
  }
  SliceStore.validate({ dataDir: options.dataDir, capacityBytes: options.capacityBytes, reserveBytes: options.reserveBytes, logger: console });
}

/**
 * Turns Nagle's algorithm off on the server's accepted sockets. grpc-js sets TCP_NODELAY on the
 * sockets it dials but not on those it accepts, so a small reply can wait for the peer's delayed
 * ACK (tens of ms on Linux): that was most of a 4 KiB WriteSlice's latency.
 */
function disableNagle(server: grpc.Server): void {
  const servers = (server as unknown as { http2Servers?: Map<{ on(e: 'connection', f: (s: Socket) => void): void }, unknown> }).http2Servers;
  for (const http2Server of servers?.keys() ?? []) http2Server.on('connection', (socket: Socket) => socket.setNoDelay(true));
}

export async function startChunkserver(options: ChunkserverOptions): Promise<Chunkserver> {
  validate(options);
  const host = options.host ?? '127.0.0.1';
  const baseLogger = options.logger ?? pino({ level: 'info' });
  const store = await SliceStore.open({
    dataDir: options.dataDir,
    capacityBytes: options.capacityBytes,
    reserveBytes: options.reserveBytes,
    logger: baseLogger.child({ role: 'chunkserver', component: 'store' }),
  });
  const id = store.serverId;
  const logger = baseLogger.child({ role: 'chunkserver', node: id });
  let server: grpc.Server | undefined;
  let data: DataService | undefined;
  const fence = options.masters.length > 0 ? new Fence(options.fenceAfterMs ?? fenceAfterMsDefault, logger.child({ component: 'fence' })) : undefined;
  const replicator = new Replicator({
    store,
    selfId: id,
    bytesPerSecMax: options.replicationBytesPerSecMax ?? replicationBytesPerSecMaxDefault,
    concurrencyMax: options.replicationConcurrencyMax ?? replicationConcurrencyMaxDefault,
    queueMax: replicationQueueMax,
    timeoutMs: options.replicationTimeoutMs ?? replicationTimeoutMsDefault,
    logger: logger.child({ component: 'replicator' }),
  });
  try {
    data = new DataService({
      fence,
      store,
      selfId: id,
      logger: logger.child({ component: 'data' }),
      writeConcurrencyMax: options.writeConcurrencyMax ?? 32,
      writeQueueBytesMax: options.writeQueueBytesMax ?? 8 * 1024 * 1024,
      pipelineTimeoutMs: options.pipelineTimeoutMs ?? 120_000,
    });
    server = createServer();
    server.addService(chunkDataService(), data.handlers());
    const port = await bindServer(server, host, options.port ?? 0);
    disableNagle(server);
    const address = `${options.advertiseHost ?? host}:${port}`;
    let heartbeat: Heartbeat | undefined;
    if (options.masters.length > 0) {
      heartbeat = new Heartbeat({
        store,
        metaClient: new MetaClient({ masters: options.masters, callTimeoutMs: 5_000 }),
        serverId: id,
        address,
        intervalMs: options.heartbeatIntervalMs ?? 1_000,
        logger: logger.child({ component: 'heartbeat' }),
        intervalMaxMs: Math.floor((options.fenceAfterMs ?? fenceAfterMsDefault) / 2),
        onContact: (sentAt) => fence?.contact(sentAt),
        onReplicate: (commands) => replicator.enqueue(commands),
      });
      heartbeat.start();
    }
    const scrubBytesPerSecMax = options.scrubBytesPerSecMax ?? scrubBytesPerSecMaxDefault;
    const scrubPassIntervalMs = options.scrubPassIntervalMs ?? scrubPassIntervalMsDefault;
    const scrubber =
      scrubBytesPerSecMax > 0
        ? new Scrubber({
            store,
            bytesPerSecMax: scrubBytesPerSecMax,
            passIntervalMs: scrubPassIntervalMs,
            firstPassDelayMs: Math.min(scrubPassIntervalMs, 60_000),
            logger: logger.child({ component: 'scrubber' }),
          })
        : undefined;
    scrubber?.start();
    logger.info({ address, dataDir: options.dataDir, slices: store.sliceCount, ...store.space() }, `chunkserver ${id} serving at ${address}`);
    let stopping: Promise<void> | undefined;
    const srv = server;
    const svc = data;
    return {
      id,
      address,
      port,
      store,
      scrubber,
      replicator,
      heartbeat,
      fence,
      stop: () => {
        stopping ??= (async () => {
          await scrubber?.stop();
          await heartbeat?.stop();
          await replicator.stop();
          fence?.close();
          await shutdownServer(srv, options.shutdownGraceMs ?? 5_000);
          svc.close();
          await store.close();
          logger.info({}, `chunkserver ${id} stopped`);
        })();
        return stopping;
      },
    };
  } catch (err) {
    server?.forceShutdown();
    fence?.close();
    await replicator.stop();
    data?.close();
    await store.close();
    throw err;
  }
}

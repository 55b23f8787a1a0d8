// The chunkserver: a slice store on one data directory, the ChunkData gRPC service (writes with
// a replication pipeline, verified reads, deletes) and a heartbeat to the master group.
//
// Start order: lock and scan the store (a second process on the same directory stops here),
// bind the gRPC server, then start heartbeating, so that the first (full) report is complete and
// the address in it already answers. Stop order is the reverse.
import type * as grpc from '@grpc/grpc-js';
import type { Socket } from 'node:net';
import { Errno, ErrorCode, FsError } from '@cairn/errors';
import { MetaClient, bindServer, createServer, shutdownServer } from '@cairn/rpc';
import { pino, type Logger } from 'pino';
import { DataService, chunkDataService } from './data-service.js';
import { Heartbeat } from './heartbeat.js';
import type { NodeId } from './ids.js';
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
} from './slice-store.js';
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
}

export interface Chunkserver {
  id: NodeId;
  /** `host:port` as given to the master and to pipeline peers. */
  address: string;
  port: number;
  store: SliceStore;
  stop(): Promise<void>;
}

function validate(options: ChunkserverOptions): void {
  const bad = (why: string): never => {
    throw new FsError(Errno.EINVAL, `chunkserver options: ${why}`, { code: ErrorCode.Config });
  };
  if (!Array.isArray(options.masters)) bad('masters must be a list of host:port');
  for (const key of ['port', 'heartbeatIntervalMs', 'writeConcurrencyMax', 'writeQueueBytesMax', 'pipelineTimeoutMs', 'shutdownGraceMs'] as const) {
    const v = options[key];
    if (v !== undefined && (!Number.isSafeInteger(v) || v < 0)) bad(`${key} must be a non-negative integer`);
  }
  if (options.port !== undefined && options.port > 65535) bad('port must be at most 65535');
  if (options.heartbeatIntervalMs === 0) bad('heartbeatIntervalMs must be positive');
  if (options.writeConcurrencyMax === 0) bad('writeConcurrencyMax must be positive');
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
  try {
    data = new DataService({
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
      });
      heartbeat.start();
    }
    logger.info({ address, dataDir: options.dataDir, slices: store.sliceCount, ...store.space() }, `chunkserver ${id} serving at ${address}`);
    let stopping: Promise<void> | undefined;
    const srv = server;
    const svc = data;
    return {
      id,
      address,
      port,
      store,
      stop: () => {
        stopping ??= (async () => {
          await heartbeat?.stop();
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
    data?.close();
    await store.close();
    throw err;
  }
}

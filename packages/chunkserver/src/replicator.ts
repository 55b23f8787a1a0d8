// Carries out the master's replicate commands (HeartbeatReply.replicate): copy the local replica
// of a slice to another chunkserver with a WriteSlice of its own (no downstream, sync), so that
// a slice below its goal gets a new replica. The target then holds the slice and reports it in
// its next heartbeat delta; that report, not this server, tells the master the copy exists.
//
// Invariants:
// - Bounded: at most `concurrencyMax` copies run at once and at most `queueMax` wait; a command
//   beyond that is dropped (the master schedules it again while the slice stays under goal).
//   A command for a (slice, target) pair already queued or running is ignored.
// - The bytes sent are the verified local bytes: `SliceStore.read` checks every block's CRC32C,
//   and the target's reply must name the same size and whole-slice CRC32C as our trailer. A
//   corrupt local replica is marked corrupt by the store (reported in the next heartbeat) and
//   the copy is cancelled, so the target keeps nothing.
// - All copies share one token bucket of `bytesPerSecMax`, and honour the target's flow control
//   (`write() === false` waits for 'drain').
// - Every copy has a deadline: `timeoutMs` plus the time the bytes take at the rate limit.
// - A failed copy is logged and not retried here: the master notices the slice is still under
//   goal and asks again (perhaps of another source or target).
import * as grpc from '@grpc/grpc-js';
import { Errno, FsError, assert } from '@cairn/errors';
import { channelOptions, checkStatus, fromGrpcError, protos, type types } from '@cairn/rpc';
import type { Logger } from 'pino';
import { nodeIdFrom, sliceIdFrom, type NodeId, type SliceId } from './ids.js';
import type { SliceStore } from './slice-store.js';
import { TokenBucket } from './token-bucket.js';

export interface ReplicatorOptions {
  store: SliceStore;
  selfId: NodeId;
  /** Bandwidth limit shared by all copies. */
  bytesPerSecMax: number;
  /** Copies running at once. */
  concurrencyMax: number;
  /** Copies waiting to run. */
  queueMax: number;
  /** Deadline of one copy, on top of the time its bytes take at `bytesPerSecMax`. */
  timeoutMs: number;
  logger: Logger;
}

interface Task {
  key: string;
  sliceId: SliceId;
  targetId: NodeId;
  address: string;
}

export class Replicator {
  private readonly bucket: TokenBucket;
  private readonly queue: Task[] = [];
  private readonly keys = new Set<string>();
  private readonly running = new Set<Promise<void>>();
  private readonly clients = new Map<string, types.ChunkDataClient>();
  private readonly aborter = new AbortController();
  private idleWaiters: (() => void)[] = [];
  private copied = 0;
  private failed = 0;

  constructor(private readonly options: ReplicatorOptions) {
    assert(options.bytesPerSecMax > 0, 'replication rate is positive');
    assert(options.concurrencyMax > 0 && options.queueMax > 0, 'replication bounds are positive');
    // A burst of a quarter second: a 1 MiB window goes at once at 4 MiB/s and up.
    this.bucket = new TokenBucket(options.bytesPerSecMax, Math.max(64 * 1024, options.bytesPerSecMax / 4));
  }

  /** Copies finished (`copied`) and given up (`failed`) so far. */
  get counts(): { copied: number; failed: number; queued: number; running: number } {
    return { copied: this.copied, failed: this.failed, queued: this.queue.length, running: this.running.size };
  }

  /** Queues the commands of one heartbeat reply; invalid, duplicate or excess ones are dropped. */
  enqueue(commands: readonly types.ReplicateCommand__Output[]): void {
    const { logger, selfId } = this.options;
    let dropped = 0;
    for (const c of commands) {
      let task: Task;
      try {
        const sliceId = sliceIdFrom(c.sliceId);
        const targetId = nodeIdFrom(c.target?.id, 'replication target id');
        const address = c.target?.address ?? '';
        if (!/^\S+:\d+$/.test(address)) throw new FsError(Errno.EINVAL, `bad replication target address ${JSON.stringify(address)}`);
        if (targetId === selfId) throw new FsError(Errno.EINVAL, 'replication target is this server');
        task = { key: `${sliceId}>${targetId}`, sliceId, targetId, address };
      } catch (err) {
        logger.warn({ err, command: c }, 'invalid replicate command ignored');
        continue;
      }
      if (this.keys.has(task.key) || this.aborter.signal.aborted) continue;
      if (this.queue.length >= this.options.queueMax) {
        dropped++;
        continue;
      }
      this.keys.add(task.key);
      this.queue.push(task);
    }
    if (dropped > 0) logger.warn({ dropped, queueMax: this.options.queueMax }, `replication queue full: ${dropped} commands dropped`);
    this.pump();
  }

  private pump(): void {
    while (this.running.size < this.options.concurrencyMax && this.queue.length > 0 && !this.aborter.signal.aborted) {
      const task = this.queue.shift() as Task;
      const run: Promise<void> = this.copy(task).finally(() => {
        this.running.delete(run);
        this.keys.delete(task.key);
        this.pump();
      });
      this.running.add(run);
    }
    if (this.running.size === 0 && this.queue.length === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  /** Resolves once nothing is queued or running (for tests and orderly shutdown). */
  whenIdle(): Promise<void> {
    if (this.running.size === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private client(address: string): types.ChunkDataClient {
    let c = this.clients.get(address);
    if (!c) {
      const Ctor = protos().chunk.cairn.ChunkData;
      c = new Ctor(address, grpc.credentials.createInsecure(), channelOptions);
      this.clients.set(address, c);
    }
    return c;
  }

  /** One copy; never throws (a failure is logged and counted). */
  private async copy(task: Task): Promise<void> {
    const { store, logger } = this.options;
    const { sliceId, targetId, address } = task;
    const sizeBytes = store.sizeOf(sliceId);
    const dataCrc = store.dataCrcOf(sliceId);
    if (sizeBytes === undefined || dataCrc === undefined) {
      if (store.isCorrupt(sliceId)) logger.warn({ sliceId, targetId }, `not copying slice ${sliceId}: the local replica is corrupt (reported)`);
      else logger.warn({ sliceId, targetId }, `not copying slice ${sliceId}: not held here`);
      this.failed++;
      return;
    }
    const startedAt = performance.now();
    const deadline = Date.now() + this.options.timeoutMs + Math.ceil((sizeBytes * 1000) / this.options.bytesPerSecMax);
    const signal = this.aborter.signal;
    let call: grpc.ClientWritableStream<types.WriteFrame> | undefined;
    const onAbort = (): void => call?.cancel();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      let failure: Error | undefined;
      let wake: (() => void) | undefined;
      const reply = new Promise<types.WriteSliceReply__Output>((resolve, reject) => {
        call = this.client(address).writeSlice(new grpc.Metadata(), { deadline }, (err, r) => {
          if (err) reject(fromGrpcError(err, `copy of slice ${sliceId} to ${address}`));
          else resolve(r as types.WriteSliceReply__Output);
        });
      });
      reply.catch((err: Error) => {
        failure = err;
        wake?.();
      });
      const stream = call as unknown as grpc.ClientWritableStream<types.WriteFrame>;
      stream.on('error', () => {
        // Reported through the callback above.
      });
      stream.write({ header: { sliceId, downstream: [], sync: true, expectedSize: sizeBytes } });
      try {
        for await (const data of store.read(sliceId, 0, 0)) {
          await this.bucket.take(data.length, signal);
          if (failure) throw failure;
          if (!stream.write({ data })) {
            await new Promise<void>((resolve) => {
              wake = resolve;
              stream.once('drain', resolve);
            });
            wake = undefined;
            if (failure) throw failure;
          }
        }
      } catch (err) {
        // A corrupt local block has been marked by the store; the target must not keep a
        // partial slice, so the stream is cancelled rather than ended.
        stream.cancel();
        throw err;
      }
      stream.end();
      const r = await reply;
      checkStatus(r.status, `copy of slice ${sliceId} to ${address}`);
      if (r.size !== sizeBytes || r.crc32c >>> 0 !== dataCrc >>> 0) {
        throw new FsError(Errno.EIO, `copy of slice ${sliceId} to ${address}: target stored ${r.size} bytes with CRC ${r.crc32c}, expected ${sizeBytes} with ${dataCrc}`);
      }
      this.copied++;
      const ms = Math.round(performance.now() - startedAt);
      logger.info({ sliceId, targetId, address, bytes: sizeBytes, ms }, `copied slice ${sliceId} to server ${targetId}: ${sizeBytes} bytes in ${ms} ms`);
    } catch (err) {
      this.failed++;
      if (signal.aborted) return;
      logger.warn({ err, sliceId, targetId, address }, `copy of slice ${sliceId} to server ${targetId} failed`);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** Drops queued copies, cancels those running, and waits for them to end. */
  async stop(): Promise<void> {
    this.aborter.abort();
    for (const t of this.queue.splice(0)) this.keys.delete(t.key);
    await Promise.allSettled([...this.running]);
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
    this.pump();
  }
}

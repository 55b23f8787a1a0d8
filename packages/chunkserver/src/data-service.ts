// The ChunkData service (proto/chunk.proto): write a slice and forward it down the replication
// pipeline, read a byte range with checksums verified, delete slices, describe a slice.
//
// Invariants:
// - WriteSlice acknowledges only once this replica is durable (fsync when `sync`) and the
//   downstream has replied; `storedOn` lists this server first, then whatever the downstream
//   reports. A failing downstream shrinks `storedOn` (the client decides if that is enough); a
//   failing local write is the reply's errno, and no partial slice is left on disk.
// - Every frame is written locally and forwarded as it arrives. Nothing is buffered without
//   bound: the incoming stream is not read while the local disk queue is above
//   `writeQueueBytesMax` or while the downstream's `write()` has returned false and not drained.
// - At most `writeConcurrencyMax` writes run at once; the others wait before reading their data.
// - While the server is fenced (no contact with the master for too long, fence.ts), a new
//   WriteSlice is refused with EROFS before it reserves space or reads data; writes already
//   past that point finish. Reads, deletes and SliceInfo are not fenced.
// - Malformed input (missing header, data before header, bad ids, out-of-range reads) is EINVAL
//   and changes nothing.
import * as grpc from '@grpc/grpc-js';
import { AssertionFailed, Errno, ErrorCode, FsError, assert } from '@cairn/errors';
import { channelOptions, ok, protos, statusFromError, unary, type types } from '@cairn/rpc';
import type { Logger } from 'pino';
import { Gate } from './gate.js';
import { nodeIdFrom, sliceIdFrom, type NodeId } from './ids.js';
import { readPrefixBytes, sliceSizeMaxBytes, type SliceStore, type SliceWriter } from './slice-store.js';

/** Largest `data` field accepted in one WriteFrame. */
export const writeFrameMaxBytes = 4 * 1024 * 1024;
/** Longest pipeline a header may name after this server. */
export const pipelineLengthMax = 16;

export interface DataServiceOptions {
  store: SliceStore;
  selfId: NodeId;
  logger: Logger;
  /** Concurrent WriteSlice streams served at once; the rest wait. */
  writeConcurrencyMax: number;
  /** Bytes queued for the local disk per write before the incoming stream is paused. */
  writeQueueBytesMax: number;
  /** Deadline of a forwarded write when the incoming one has none (or a later one). */
  pipelineTimeoutMs: number;
  /** Throws (EROFS) while new writes must be refused; none when there is no master (tests). */
  fence?: { check(): void };
}

/**
 * The encoded bytes a WriteFrame arrived as. A data frame is forwarded downstream as received,
 * instead of being encoded again: one copy and one allocation less per byte per hop.
 */
const rawFrame = Symbol('rawFrame');
type RawWriteFrame = types.WriteFrame & { [rawFrame]?: Buffer };

type RawReadFrame = types.ReadFrame & { [rawFrame]?: Buffer };

/** Field 1 (status) as protobuf.js encodes `ok`: every default written out (errno, message, not_leader, leader_hint). */
const okStatusField = Buffer.from([0x0a, 0x08, 0x08, 0x00, 0x12, 0x00, 0x18, 0x00, 0x22, 0x00]);

/**
 * Encodes a successful ReadFrame (`status` = an all-default Status, then `data`) in place: the
 * protobuf prefix goes into the scratch bytes `SliceStore.read()` leaves in front of `data`, so
 * the 1 MiB payload is not copied into a fresh buffer (grpc-js copies it once more into its
 * own frame). The bytes are exactly what protobuf.js produces; a test checks that.
 */
export function readFrameInPlace(data: Buffer): RawReadFrame {
  let n = data.length;
  const varint: number[] = [];
  do {
    varint.push(n > 0x7f ? (n & 0x7f) | 0x80 : n);
    n >>>= 7;
  } while (n > 0);
  const prefixBytes = okStatusField.length + 1 + varint.length;
  assert(prefixBytes <= readPrefixBytes && data.byteOffset >= prefixBytes, 'room for the frame prefix');
  const raw = Buffer.from(data.buffer, data.byteOffset - prefixBytes, prefixBytes + data.length);
  okStatusField.copy(raw, 0);
  raw[okStatusField.length] = 0x12; // field 2 (data), length-delimited
  for (let i = 0; i < varint.length; i++) raw[okStatusField.length + 1 + i] = varint[i] as number;
  return { status: ok, data, [rawFrame]: raw };
}

/**
 * ChunkData as defined in chunk.proto, except that WriteSlice frames keep their raw bytes and a
 * ReadFrame built by `readFrameInPlace` is sent as already encoded.
 */
export function chunkDataService(): grpc.ServiceDefinition {
  const def = protos().chunk.cairn.ChunkData.service;
  const write = def.WriteSlice;
  const read = def.ReadSlice;
  return {
    ...def,
    ReadSlice: {
      ...read,
      responseSerialize: (frame: RawReadFrame) => frame[rawFrame] ?? read.responseSerialize(frame),
    },
    WriteSlice: {
      ...write,
      requestDeserialize: (bytes: Buffer) => {
        const frame = write.requestDeserialize(bytes) as types.WriteFrame__Output & { [rawFrame]?: Buffer };
        frame[rawFrame] = bytes;
        return frame;
      },
      requestSerialize: (frame: RawWriteFrame) => frame[rawFrame] ?? write.requestSerialize(frame),
    },
  } as grpc.ServiceDefinition;
}

let forwardingClient: grpc.ServiceClientConstructor | undefined;

/** A ChunkData client whose WriteSlice sends a received frame's raw bytes when it has them. */
function forwardingClientConstructor(): grpc.ServiceClientConstructor {
  forwardingClient ??= grpc.makeGenericClientConstructor(chunkDataService(), 'ChunkData');
  return forwardingClient;
}

type WriteCall = grpc.ServerReadableStream<types.WriteFrame__Output, types.WriteSliceReply>;
type ReadCall = grpc.ServerWritableStream<types.ReadSliceRequest__Output, types.ReadFrame>;
type ChunkDataClient = types.ChunkDataClient;

function badInput(message: string): FsError {
  return new FsError(Errno.EINVAL, message, { code: ErrorCode.BadInput });
}

/** A write forwarded to the next server of the pipeline. Never throws: it fails quietly. */
class Downstream {
  private readonly call: grpc.ClientWritableStream<types.WriteFrame>;
  private failure: string | undefined;
  private drainWaiter: (() => void) | undefined;
  private mustDrain = false;
  readonly reply: Promise<types.WriteSliceReply__Output | undefined>;

  constructor(
    client: ChunkDataClient,
    header: types.WriteHeader,
    deadline: grpc.Deadline,
    private readonly target: types.PipelineTarget__Output,
    private readonly logger: Logger,
  ) {
    let settle!: (r: types.WriteSliceReply__Output | undefined) => void;
    this.reply = new Promise((resolve) => (settle = resolve));
    this.call = client.writeSlice(new grpc.Metadata(), { deadline }, (err, reply) => {
      if (err) this.fail(`${err.message}`);
      else if (!reply?.status || reply.status.errno !== 0) this.fail(`errno ${reply?.status?.errno ?? '?'}: ${reply?.status?.message ?? 'no status'}`);
      settle(this.failure === undefined ? reply : undefined);
    });
    this.call.on('error', () => {
      // Reported through the callback above.
    });
    this.call.on('drain', () => this.wake());
    this.forward({ header });
  }

  get failed(): boolean {
    return this.failure !== undefined;
  }

  private fail(why: string): void {
    if (this.failure !== undefined) return;
    this.failure = why;
    this.logger.warn({ target: this.target, why }, `pipeline downstream ${this.target.address} failed`);
    this.wake();
  }

  private wake(): void {
    this.mustDrain = false;
    const w = this.drainWaiter;
    this.drainWaiter = undefined;
    w?.();
  }

  forward(frame: RawWriteFrame): void {
    if (this.failure !== undefined) return;
    if (!this.call.write(frame)) this.mustDrain = true;
  }

  /** Resolves when the downstream can take more, or has failed (then nothing more is sent). */
  drained(): Promise<void> {
    if (!this.mustDrain || this.failure !== undefined) return Promise.resolve();
    return new Promise((resolve) => {
      const prior = this.drainWaiter;
      this.drainWaiter = () => {
        prior?.();
        resolve();
      };
    });
  }

  finish(): Promise<types.WriteSliceReply__Output | undefined> {
    if (this.failure === undefined) this.call.end();
    return this.reply;
  }

  cancel(): void {
    this.fail('cancelled');
    this.call.cancel();
  }
}

export class DataService {
  private readonly store: SliceStore;
  private readonly selfId: NodeId;
  private readonly logger: Logger;
  private readonly writeGate: Gate;
  private readonly writeQueueBytesMax: number;
  private readonly pipelineTimeoutMs: number;
  private readonly fence: { check(): void } | undefined;
  private readonly clients = new Map<string, ChunkDataClient>();

  constructor(options: DataServiceOptions) {
    this.store = options.store;
    this.selfId = options.selfId;
    this.logger = options.logger;
    this.writeGate = new Gate(options.writeConcurrencyMax);
    this.writeQueueBytesMax = options.writeQueueBytesMax;
    this.pipelineTimeoutMs = options.pipelineTimeoutMs;
    this.fence = options.fence;
  }

  handlers(): types.ChunkDataHandlers {
    return {
      WriteSlice: (call: WriteCall, callback: grpc.sendUnaryData<types.WriteSliceReply>) => {
        this.writeSlice(call).then(
          (reply) => callback(null, reply),
          (err: unknown) => {
            if (err instanceof AssertionFailed) {
              process.nextTick(() => {
                throw err;
              });
              return;
            }
            callback(null, { status: statusFromError(err), storedOn: [], size: 0, crc32c: 0 });
          },
        );
      },
      ReadSlice: (call: ReadCall) => {
        this.readSlice(call).catch((err: unknown) => {
          process.nextTick(() => {
            throw err;
          });
        });
      },
      DeleteSlices: unary<types.DeleteSlicesRequest__Output, types.DeleteSlicesReply>(async (req) => {
        const ids = (req.sliceIds ?? []).map((n) => sliceIdFrom(n));
        const deleted = await this.store.delete(ids);
        if (deleted > 0) this.logger.info({ deleted, requested: ids.length }, `deleted ${deleted} slices`);
        return { status: ok, deleted };
      }),
      SliceInfo: unary<types.SliceInfoRequest__Output, types.SliceInfoReply>(async (req) => {
        const info = await this.store.info(sliceIdFrom(req.sliceId));
        return { status: ok, size: info.sizeBytes, blocks: info.blocks, valid: info.valid };
      }),
    };
  }

  private client(address: string): ChunkDataClient {
    let c = this.clients.get(address);
    if (!c) {
      const Ctor = forwardingClientConstructor();
      c = new Ctor(address, grpc.credentials.createInsecure(), channelOptions) as unknown as ChunkDataClient;
      this.clients.set(address, c);
    }
    return c;
  }

  private async writeSlice(call: WriteCall): Promise<types.WriteSliceReply> {
    const frames = call[Symbol.asyncIterator]() as AsyncIterator<types.WriteFrame__Output>;
    const first = await frames.next();
    if (first.done) throw badInput('empty write stream: no header');
    const header = first.value.header;
    if (!header) throw badInput('first frame has no header (data before header)');
    const sliceId = sliceIdFrom(header.sliceId);
    const expectedSizeBytes = header.expectedSize ?? 0;
    if (!Number.isSafeInteger(expectedSizeBytes) || expectedSizeBytes < 0 || expectedSizeBytes > sliceSizeMaxBytes) {
      throw badInput(`expected size ${String(header.expectedSize)} is outside 0..${sliceSizeMaxBytes}`);
    }
    const downstream = header.downstream ?? [];
    if (downstream.length > pipelineLengthMax) throw badInput(`pipeline of ${downstream.length} servers is too long`);
    const seen = new Set<number>([this.selfId]);
    for (const t of downstream) {
      const id = nodeIdFrom(t.id, 'pipeline target id');
      if (typeof t.address !== 'string' || !/^\S+:\d+$/.test(t.address)) throw badInput(`bad pipeline address ${String(t.address)}`);
      if (seen.has(id)) throw badInput(`pipeline names server ${id} twice (or this server)`);
      seen.add(id);
    }
    const sync = header.sync === true;
    this.fence?.check();

    await this.writeGate.acquire();
    let writer: SliceWriter | undefined;
    let down: Downstream | undefined;
    try {
      if (call.cancelled) throw new FsError(Errno.ECANCELED, 'write cancelled by the caller');
      // Again: the wait for the gate may have outlasted the contact with the master.
      this.fence?.check();
      // The downstream stream opens first, so that its setup (and the servers after it) overlaps
      // this server's own; if the local write cannot start, the catch below cancels it.
      const next = downstream[0];
      if (next) {
        const own = call.getDeadline();
        const ownMs = own instanceof Date ? own.getTime() : own;
        const deadline = Math.min(ownMs, Date.now() + this.pipelineTimeoutMs);
        down = new Downstream(
          this.client(next.address),
          { sliceId, downstream: downstream.slice(1), sync, expectedSize: expectedSizeBytes },
          deadline,
          next,
          this.logger,
        );
      }
      writer = await this.store.beginWrite(sliceId, expectedSizeBytes);
      const take = async (data: Buffer, received: RawWriteFrame | undefined): Promise<void> => {
        if (data.length > writeFrameMaxBytes) throw badInput(`data frame of ${data.length} bytes is above ${writeFrameMaxBytes}`);
        if (data.length === 0) return;
        const w = writer as SliceWriter;
        w.append(data);
        down?.forward(received ?? { data });
        // Backpressure: stop reading the caller until the disk queue and the downstream catch up.
        if (w.queuedBytes > this.writeQueueBytesMax) await w.whenQueuedBelow(this.writeQueueBytesMax);
        if (down) await down.drained();
        if (w.failed) throw w.failed;
      };
      // The first frame also carries the header, so its raw bytes are not forwarded.
      if (first.value.data) await take(first.value.data, undefined);
      for (;;) {
        const r = await frames.next();
        if (r.done) break;
        if (r.value.header) throw badInput('header repeated after the first frame');
        if (r.value.data) await take(r.value.data, r.value as RawWriteFrame);
      }
      const local = writer.commit(sync).catch((err: unknown) => {
        // The slice will not be acknowledged: do not leave the rest of the pipeline waiting.
        down?.cancel();
        throw err;
      });
      const [stored, reply] = await Promise.all([local, down ? down.finish() : Promise.resolve(undefined)]);
      const storedOn: number[] = [this.selfId];
      if (reply) {
        if (reply.size === stored.sizeBytes && reply.crc32c >>> 0 === stored.crc32c >>> 0) storedOn.push(...reply.storedOn);
        else this.logger.error({ sliceId, reply, stored }, 'downstream stored different bytes; not counting it');
      }
      this.logger.debug({ sliceId, sizeBytes: stored.sizeBytes, storedOn }, 'slice written');
      return { status: ok, storedOn, size: stored.sizeBytes, crc32c: stored.crc32c };
    } catch (err) {
      down?.cancel();
      await writer?.abort();
      if (!(err instanceof FsError)) {
        // A destroyed (cancelled) stream ends the iteration with a stream error.
        if (call.cancelled) throw new FsError(Errno.ECANCELED, 'write cancelled by the caller', { cause: err });
      }
      throw err;
    } finally {
      this.writeGate.release();
    }
  }

  private async readSlice(call: ReadCall): Promise<void> {
    try {
      const req = call.request;
      const sliceId = sliceIdFrom(req.sliceId);
      const offset = req.offset ?? 0;
      const length = req.length ?? 0;
      let sent = false;
      for await (const data of this.store.read(sliceId, offset, length)) {
        if (call.cancelled) return;
        sent = true;
        // grpc-js has copied the frame into its own buffer once the write is flushed.
        if (!call.write(readFrameInPlace(data), () => this.store.recycle(data))) await drainedOrCancelled(call);
      }
      if (call.cancelled) return;
      if (!sent) call.write({ status: ok, data: Buffer.alloc(0) });
      call.end();
    } catch (err) {
      if (err instanceof AssertionFailed) throw err;
      if (call.cancelled) return;
      call.write({ status: statusFromError(err), data: Buffer.alloc(0) });
      call.end();
    }
  }

  close(): void {
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
  }
}

function drainedOrCancelled(call: ReadCall): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      call.off('drain', done);
      call.off('cancelled', done);
      call.off('close', done);
      resolve();
    };
    call.on('drain', done);
    call.on('cancelled', done);
    call.on('close', done);
  });
}

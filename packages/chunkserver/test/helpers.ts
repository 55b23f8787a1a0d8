// Test helpers: temp data directories, chunkservers on ephemeral ports, and a small ChunkData
// client (write a slice with backpressure, read a range back) built on the real generated stubs,
// and a fake master: a real gRPC Meta server that records heartbeats and answers from a script.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { Errno } from '@cairn/errors';
import { bindServer, channelOptions, createServer, errorStatus, ok, protos, type types } from '@cairn/rpc';
import { pino } from 'pino';
import { startChunkserver, type Chunkserver, type ChunkserverOptions } from '../src/index.js';

export const silent = pino({ level: process.env['CAIRN_TEST_LOG'] ?? 'silent' });

/** Tracks everything a test creates so that `cleanup()` removes it even after a failure. */
export class Fixture {
  readonly dirs: string[] = [];
  readonly servers: Chunkserver[] = [];
  readonly clients: grpc.Client[] = [];

  async dir(): Promise<string> {
    const d = await mkdtemp(join(tmpdir(), 'cairn-cs-test-'));
    this.dirs.push(d);
    return d;
  }

  async server(options: Partial<ChunkserverOptions> = {}): Promise<Chunkserver> {
    const s = await startChunkserver({
      dataDir: options.dataDir ?? (await this.dir()),
      masters: [],
      logger: silent,
      shutdownGraceMs: 200,
      ...options,
    });
    this.servers.push(s);
    return s;
  }

  client(address: string): types.ChunkDataClient {
    const Ctor = protos().chunk.cairn.ChunkData;
    const c = new Ctor(address, grpc.credentials.createInsecure(), channelOptions);
    this.clients.push(c);
    return c;
  }

  async cleanup(): Promise<void> {
    for (const c of this.clients.splice(0)) c.close();
    await Promise.allSettled(this.servers.splice(0).map((s) => s.stop()));
    await Promise.allSettled(this.dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  }
}

export interface WriteOptions {
  sliceId: number;
  downstream?: { id: number; address: string }[];
  sync?: boolean;
  expectedSize?: number;
  frameBytes?: number;
  /** Raw frames instead of header + data chunks (for malformed-input tests). */
  rawFrames?: types.WriteFrame[];
  /** Called after each data frame is written; may pause the writer. */
  afterFrame?: (index: number) => Promise<void> | void;
}

/** Streams `data` as one slice; resolves with the reply (never rejects on a non-OK status). */
export function writeSlice(client: types.ChunkDataClient, data: Buffer, o: WriteOptions): Promise<types.WriteSliceReply__Output> {
  return new Promise((resolve, reject) => {
    const call = client.writeSlice(new grpc.Metadata(), { deadline: Date.now() + 60_000 }, (err, reply) => {
      if (err) reject(err);
      else resolve(reply as types.WriteSliceReply__Output);
    });
    call.on('error', () => {});
    void (async () => {
      const frames: types.WriteFrame[] = o.rawFrames ?? [
        { header: { sliceId: o.sliceId, downstream: o.downstream ?? [], sync: o.sync ?? true, expectedSize: o.expectedSize ?? data.length } },
      ];
      for (const f of frames) call.write(f);
      if (!o.rawFrames) {
        const step = o.frameBytes ?? 1024 * 1024;
        let index = 0;
        for (let pos = 0; pos < data.length; pos += step) {
          if (!call.write({ data: data.subarray(pos, Math.min(data.length, pos + step)) })) {
            await new Promise((r) => call.once('drain', r));
          }
          await o.afterFrame?.(index++);
        }
      }
      call.end();
    })().catch(reject);
  });
}

export interface ReadResult {
  errno: number;
  message: string;
  data: Buffer;
  frames: number;
  frameMaxBytes: number;
}

export function readSlice(client: types.ChunkDataClient, sliceId: number, offset: number, length: number): Promise<ReadResult> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let errno = 0;
    let message = '';
    let frames = 0;
    let frameMaxBytes = 0;
    const call = client.readSlice({ sliceId, offset, length }, { deadline: Date.now() + 60_000 });
    call.on('data', (f: types.ReadFrame__Output) => {
      frames++;
      frameMaxBytes = Math.max(frameMaxBytes, f.data.length);
      if (f.status && f.status.errno !== 0) {
        errno = f.status.errno;
        message = f.status.message;
      } else parts.push(f.data);
    });
    call.on('error', reject);
    call.on('end', () => resolve({ errno, message, data: Buffer.concat(parts), frames, frameMaxBytes }));
  });
}

export function unaryCall<Req, Res>(client: grpc.Client, method: string, req: Req): Promise<Res> {
  return new Promise((resolve, reject) => {
    const fn = (client as unknown as Record<string, Function>)[method] as Function;
    fn.call(client, req, { deadline: Date.now() + 30_000 }, (err: Error | null, res: Res) => (err ? reject(err) : resolve(res)));
  });
}

/** Deterministic pseudo-random bytes (xorshift), so a failure reproduces. */
export function patternBytes(length: number, seed: number): Buffer {
  const b = Buffer.allocUnsafe(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    b[i] = x & 0xff;
  }
  return b;
}

export interface FakeMaster {
  address: string;
  /** Accepted heartbeats, in arrival order. */
  requests: types.HeartbeatRequest__Output[];
  /** Replies for the next accepted beats of any server, in order. */
  next: Partial<types.HeartbeatReply>[];
  /** Replies for the next accepted beats of one server (taken before `next`). */
  nextFor: Map<number, Partial<types.HeartbeatReply>[]>;
  /** Fail this many beats, then accept again. */
  failNext: number;
  /** Fail every beat while true (a master that cannot be reached, as far as the server knows). */
  failAll: boolean;
  close(): void;
}

/** A Meta server on 127.0.0.1 that only answers Heartbeat. */
export async function fakeMaster(): Promise<FakeMaster> {
  const server = createServer();
  const m: FakeMaster = { address: '', requests: [], next: [], nextFor: new Map(), failNext: 0, failAll: false, close: () => server.forceShutdown() };
  server.addService(protos().meta.cairn.Meta.service, {
    Heartbeat: (call: grpc.ServerUnaryCall<types.HeartbeatRequest__Output, types.HeartbeatReply>, cb: grpc.sendUnaryData<types.HeartbeatReply>) => {
      if (m.failAll || m.failNext > 0) {
        if (m.failNext > 0) m.failNext--;
        // Not a transport failure and not "not leader": MetaClient gives up at once, as a
        // master that cannot take the beat would make it.
        cb(null, { status: errorStatus(Errno.EIO, 'injected failure') });
        return;
      }
      m.requests.push(call.request);
      const scripted = m.nextFor.get(call.request.serverId)?.shift() ?? m.next.shift() ?? {};
      cb(null, { status: ok, deleteSlices: [], wantFullReport: false, intervalMs: 0, replicate: [], ...scripted });
    },
  });
  const port = await bindServer(server, '127.0.0.1', 0);
  m.address = `127.0.0.1:${port}`;
  return m;
}

/** Polls `cond` until it holds; fails after `timeoutMs` (a bound for a hung test, not a timing assertion). */
export async function until(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

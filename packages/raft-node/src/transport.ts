// The Raft transport over gRPC (proto/raft.proto): one long-lived client stream per peer carrying
// batches of messages, a separate chunked stream for snapshots, and the server side that validates
// and hands messages to the node.
//
// Why batches on one stream: grpc-js spends ~0.2–0.4 ms of CPU per small call (FACTS.md); a group
// commit leader sends one MsgApp and receives one MsgAppResp per follower per Ready, plus
// heartbeats, so the messages of one `send()` (a Ready) for a peer go in ONE frame, written at
// once (waiting for the end of the event-loop turn only added a loop phase to every hop).
//
// Invariants and limits:
// - Each peer's queue holds at most `queueLengthMax` messages; when full the oldest is dropped and
//   the peer reported unreachable (Raft tolerates loss; the leader falls back to probing).
// - A frame is at most `frameSizeMaxBytes` (estimated): larger backlogs go out as several frames.
// - Writes honour backpressure: after `write() === false` nothing more is written until 'drain'.
// - A broken stream is reopened after a full-jitter backoff (bounded), and reported unreachable.
// - Every stream has a deadline: message streams are renewed when theirs expires, snapshot
//   streams get one proportional to their size.
// - At most one snapshot is in flight per peer; its outcome is reported (`onSnapshotStatus`).
// - Nothing a peer sends can crash this process: frames that fail to decode end that call with
//   an error (grpc-js), messages that fail validation (codec.ts) are dropped and logged.
//
// Fault model of `TransportFaults` (tests only): a blocked peer loses every message in both
// directions at this boundary, like a symmetric network partition; streams stay open.

import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { Logger } from 'pino';
import { assert } from '@cairn/errors';
import type { Message, NodeId } from '@cairn/raft';
import { backoffMs, channelOptions } from '@cairn/rpc';
import type { LatencyProbes } from './latency.js';
import {
  type WireBatch,
  type WireMessage,
  type WireSnapshotChunk,
  type WireSnapshotHeader,
  decodeMessage,
  encodeMessage,
  encodeSnapshotHeader,
  messageSizeBytes,
  snapshotHeaderProblem,
  snapshotMessage,
} from './codec.js';

/** The repository's proto/ directory (dist/src/transport.js is four levels below the root). */
const protoDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../proto');

interface RaftServiceClient extends grpc.Client {
  send(options: grpc.CallOptions, callback: (err: grpc.ServiceError | null) => void): grpc.ClientWritableStream<WireBatch>;
  sendSnapshot(
    options: grpc.CallOptions,
    callback: (err: grpc.ServiceError | null) => void,
  ): grpc.ClientWritableStream<WireSnapshotChunk>;
}
type RaftServiceConstructor = (new (address: string, creds: grpc.ChannelCredentials, options: grpc.ChannelOptions) => RaftServiceClient) & {
  service: grpc.ServiceDefinition;
};

let loaded: RaftServiceConstructor | undefined;

/** The Raft service's client constructor and definition, loaded once per process. */
export function raftService(): RaftServiceConstructor {
  if (loaded === undefined) {
    const def = protoLoader.loadSync(['raft.proto'], {
      keepCase: false,
      longs: Number,
      enums: Number,
      defaults: true,
      oneofs: true,
      includeDirs: [protoDir],
    });
    const pkg = grpc.loadPackageDefinition(def) as unknown as { cairn: { raft: { Raft: RaftServiceConstructor } } };
    loaded = pkg.cairn.raft.Raft;
  }
  return loaded;
}

/** Test-only partitions at the transport boundary (see the fault model above). */
export class TransportFaults {
  readonly blocked = new Set<number>();
  block(...peers: number[]): void {
    for (const p of peers) this.blocked.add(p);
  }
  heal(): void {
    this.blocked.clear();
  }
}

export interface TransportOptions {
  id: NodeId;
  selfAddress: string;
  server: grpc.Server;
  logger: Logger;
  /** A validated message for this node. */
  onMessage(m: Message): void;
  /** Messages to `peer` are being lost (stream broken, queue overflow). */
  onUnreachable(peer: NodeId): void;
  /** A snapshot stream to `peer` finished (ok) or failed. */
  onSnapshotStatus(peer: NodeId, ok: boolean): void;
  /** A frame from `peer` said it listens at `address`. */
  onPeerAddress(peer: NodeId, address: string): void;
  queueLengthMax?: number;
  frameSizeMaxBytes?: number;
  snapshotChunkBytes?: number;
  snapshotSizeMaxBytes?: number;
  /** Message streams are renewed after this long (their gRPC deadline). */
  streamLifetimeMs?: number;
  reconnectBaseMs?: number;
  reconnectCapMs?: number;
  faults?: TransportFaults;
  /** Latency probes (latency.ts). */
  probes?: LatencyProbes;
}

interface Limits {
  queueLengthMax: number;
  frameSizeMaxBytes: number;
  snapshotChunkBytes: number;
  snapshotSizeMaxBytes: number;
  streamLifetimeMs: number;
  reconnectBaseMs: number;
  reconnectCapMs: number;
}

/** Dropped-message warnings are logged at most this often per reason (a flood must not flood logs). */
const dropLogIntervalMs = 5_000;

export class Transport {
  private readonly peers = new Map<NodeId, PeerLink>();
  private readonly inbound = new Set<grpc.ServerReadableStream<unknown, unknown>>();
  private readonly limits: Limits;
  private readonly faults: TransportFaults;
  private readonly dropLoggedAt = new Map<string, number>();
  private stopped = false;
  /** Counters for status and tests. */
  readonly stats = { framesOut: 0, messagesOut: 0, framesIn: 0, messagesIn: 0, dropped: 0, invalid: 0 };

  constructor(private readonly o: TransportOptions) {
    this.limits = {
      queueLengthMax: o.queueLengthMax ?? 4096,
      frameSizeMaxBytes: o.frameSizeMaxBytes ?? 16 << 20,
      snapshotChunkBytes: o.snapshotChunkBytes ?? 1 << 20,
      snapshotSizeMaxBytes: o.snapshotSizeMaxBytes ?? 1 << 30,
      streamLifetimeMs: o.streamLifetimeMs ?? 10 * 60_000,
      reconnectBaseMs: o.reconnectBaseMs ?? 50,
      reconnectCapMs: o.reconnectCapMs ?? 1_000,
    };
    assert(this.limits.queueLengthMax > 0, 'transport: queueLengthMax must be positive');
    assert(this.limits.snapshotChunkBytes > 0, 'transport: snapshotChunkBytes must be positive');
    this.faults = o.faults ?? new TransportFaults();
    o.server.addService(raftService().service, {
      send: (call: grpc.ServerReadableStream<WireBatch, unknown>, cb: grpc.sendUnaryData<unknown>) => this.serveSend(call, cb),
      sendSnapshot: (call: grpc.ServerReadableStream<WireSnapshotChunk, unknown>, cb: grpc.sendUnaryData<unknown>) =>
        this.serveSnapshot(call, cb),
    });
  }

  /** Sets (or changes) where `peer` listens. */
  setPeer(peer: NodeId, address: string): void {
    if (peer === this.o.id || this.stopped) return;
    const link = this.peers.get(peer);
    if (link !== undefined && link.address === address) return;
    link?.close();
    this.peers.set(peer, new PeerLink(peer, address, this.o, this.limits, this.faults));
  }

  removePeer(peer: NodeId): void {
    this.peers.get(peer)?.close();
    this.peers.delete(peer);
  }

  hasPeer(peer: NodeId): boolean {
    return this.peers.has(peer);
  }

  /**
   * Queues messages and writes each peer's queue at once as one frame: a caller passes a whole
   * Ready, and waiting for the end of the turn would only add a loop phase to every hop.
   */
  send(messages: readonly Message[]): void {
    if (this.stopped) return;
    const touched = new Set<PeerLink>();
    for (const m of messages) {
      const link = this.peers.get(m.to);
      if (link === undefined) {
        // No address yet (a member whose address entry is not applied here): lost, as on a network.
        this.logDrop(`no-address-${m.to}`, `no address for node ${m.to}; dropping ${m.type}`);
        this.stats.dropped++;
        this.o.onUnreachable(m.to);
        continue;
      }
      if (m.type === 'MsgSnap') link.sendSnapshot(m);
      else {
        link.enqueue(m);
        touched.add(link);
      }
    }
    for (const link of touched) link.flush();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const link of this.peers.values()) link.close();
    this.peers.clear();
    for (const call of this.inbound) call.destroy();
    this.inbound.clear();
    try {
      this.o.server.removeService(raftService().service);
    } catch {
      // The process's server may already be shut down; nothing is registered then.
    }
  }

  private logDrop(key: string, msg: string, detail: object = {}): void {
    const now = Date.now();
    if ((this.dropLoggedAt.get(key) ?? 0) + dropLogIntervalMs > now) return;
    this.dropLoggedAt.set(key, now);
    if (this.dropLoggedAt.size > 1024) this.dropLoggedAt.clear();
    this.o.logger.warn({ ...detail, component: 'raft-transport' }, msg);
  }

  private serveSend(call: grpc.ServerReadableStream<WireBatch, unknown>, cb: grpc.sendUnaryData<unknown>): void {
    if (this.stopped) {
      cb({ code: grpc.status.UNAVAILABLE, details: 'raft node stopped' });
      return;
    }
    this.inbound.add(call as grpc.ServerReadableStream<unknown, unknown>);
    const peer = call.getPeer();
    call.on('data', (batch: WireBatch) => {
      if (this.stopped) return;
      this.stats.framesIn++;
      const sender = batch.from;
      if (typeof sender !== 'number' || !Number.isSafeInteger(sender) || sender <= 0 || sender === this.o.id) {
        this.stats.invalid++;
        this.logDrop(`bad-sender-${peer}`, 'dropping a frame with a bad sender', { peer, sender });
        return;
      }
      if (batch.to !== this.o.id) {
        this.stats.invalid++;
        this.logDrop(`bad-target-${peer}`, 'dropping a frame for another node', { peer, to: batch.to });
        return;
      }
      if (this.faults.blocked.has(sender)) return;
      if (typeof batch.fromAddress === 'string' && batch.fromAddress !== '') this.o.onPeerAddress(sender as NodeId, batch.fromAddress);
      const messages: WireMessage[] = Array.isArray(batch.messages) ? batch.messages : [];
      for (const w of messages) {
        const m = decodeMessage(w, sender as NodeId, this.o.id);
        if (typeof m === 'string') {
          this.stats.invalid++;
          this.logDrop(`invalid-${peer}`, `dropping an invalid message: ${m}`, { peer });
          continue;
        }
        this.stats.messagesIn++;
        this.o.onMessage(m);
      }
    });
    const finish = () => {
      this.inbound.delete(call as grpc.ServerReadableStream<unknown, unknown>);
    };
    call.on('end', () => {
      finish();
      cb(null, {});
    });
    call.on('error', (err) => {
      // Deserialization failures and cancelled streams land here; grpc-js ends the call.
      finish();
      this.logDrop(`stream-error-${peer}`, 'inbound raft stream failed', { peer, err: String(err) });
    });
  }

  private serveSnapshot(call: grpc.ServerReadableStream<WireSnapshotChunk, unknown>, cb: grpc.sendUnaryData<unknown>): void {
    if (this.stopped) {
      cb({ code: grpc.status.UNAVAILABLE, details: 'raft node stopped' });
      return;
    }
    this.inbound.add(call as grpc.ServerReadableStream<unknown, unknown>);
    const peer = call.getPeer();
    let header: WireSnapshotHeader | undefined;
    let data: Uint8Array | undefined;
    let receivedBytes = 0;
    let failed = false;
    const fail = (why: string) => {
      if (failed) return;
      failed = true;
      this.stats.invalid++;
      this.logDrop(`snapshot-${peer}`, `refusing a snapshot stream: ${why}`, { peer });
      this.inbound.delete(call as grpc.ServerReadableStream<unknown, unknown>);
      cb({ code: grpc.status.INVALID_ARGUMENT, details: why });
      call.destroy();
    };
    call.on('data', (chunk: WireSnapshotChunk) => {
      if (failed || this.stopped) return;
      if (header === undefined) {
        if (chunk.header === null || chunk.header === undefined) return fail('first chunk without a header');
        const why = snapshotHeaderProblem(chunk.header, this.o.id, this.limits.snapshotSizeMaxBytes);
        if (why !== undefined) return fail(why);
        header = chunk.header;
        // Bounded by snapshotSizeMaxBytes, checked above.
        data = new Uint8Array(header.sizeBytes);
      } else if (chunk.header !== null && chunk.header !== undefined) {
        return fail('header repeated');
      }
      const bytes = chunk.data;
      if (!(bytes instanceof Uint8Array)) return fail('data is not bytes');
      if (receivedBytes + bytes.byteLength > header.sizeBytes) return fail('more data than announced');
      data!.set(bytes, receivedBytes);
      receivedBytes += bytes.byteLength;
    });
    call.on('end', () => {
      if (failed) return;
      this.inbound.delete(call as grpc.ServerReadableStream<unknown, unknown>);
      if (header === undefined || receivedBytes !== header.sizeBytes) {
        fail(`incomplete snapshot (${receivedBytes} of ${header?.sizeBytes ?? '?'} bytes)`);
        return;
      }
      if (this.stopped || this.faults.blocked.has(header.from)) {
        cb({ code: grpc.status.UNAVAILABLE, details: 'not delivered' });
        return;
      }
      if (header.fromAddress !== '') this.o.onPeerAddress(header.from as NodeId, header.fromAddress);
      this.o.logger.info({ component: 'raft-transport', from: header.from, index: header.index, sizeBytes: header.sizeBytes }, 'received snapshot');
      this.o.onMessage(snapshotMessage(header, data!));
      cb(null, {});
    });
    call.on('error', (err) => {
      this.inbound.delete(call as grpc.ServerReadableStream<unknown, unknown>);
      failed = true;
      this.logDrop(`snapshot-error-${peer}`, 'inbound snapshot stream failed', { peer, err: String(err) });
    });
  }
}

/** The sending side towards one peer: a queue, one message stream, at most one snapshot stream. */
class PeerLink {
  private client: RaftServiceClient | undefined;
  private stream: grpc.ClientWritableStream<WireBatch> | undefined;
  private queue: Message[] = [];
  private waitingDrain = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private snapshotInFlight = false;
  private closed = false;

  constructor(
    readonly id: NodeId,
    readonly address: string,
    private readonly o: TransportOptions,
    private readonly limits: Limits,
    private readonly faults: TransportFaults,
  ) {}

  enqueue(m: Message): void {
    if (this.closed) return;
    if (this.faults.blocked.has(this.id)) return;
    if (this.queue.length >= this.limits.queueLengthMax) {
      this.queue.shift();
      this.o.onUnreachable(this.id);
    }
    this.queue.push(m);
  }

  private getClient(): RaftServiceClient {
    if (this.client === undefined) {
      const Ctor = raftService();
      this.client = new Ctor(this.address, grpc.credentials.createInsecure(), channelOptions);
    }
    return this.client;
  }

  private open(): void {
    assert(this.stream === undefined, 'opening a second message stream');
    const deadline = new Date(Date.now() + this.limits.streamLifetimeMs);
    const stream = this.getClient().send({ deadline }, (err) => this.onStreamEnd(stream, err));
    // Errors are reported through the callback; the listener keeps them from being thrown.
    stream.on('error', () => {});
    this.stream = stream;
    this.waitingDrain = false;
  }

  private onStreamEnd(stream: grpc.ClientWritableStream<WireBatch>, err: grpc.ServiceError | null): void {
    if (this.stream !== stream) return;
    this.stream = undefined;
    this.waitingDrain = false;
    if (this.closed) return;
    if (err !== null && err.code === grpc.status.DEADLINE_EXCEEDED) {
      // The stream's lifetime ended (or the peer stalled): renew at once.
      this.failures = 0;
    } else {
      this.failures++;
      if (this.failures === 1 || this.failures % 50 === 0) {
        this.o.logger.info({ component: 'raft-transport', peer: this.id, address: this.address, err: err?.details ?? 'ended' }, 'raft stream to peer broken');
      }
      this.o.onUnreachable(this.id);
    }
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.reconnectTimer !== undefined || this.closed) return;
    const delayMs = this.failures === 0 ? 0 : Math.max(1, backoffMs(this.failures, this.limits.reconnectBaseMs, this.limits.reconnectCapMs));
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.closed) return;
      this.open();
      this.flush();
    }, delayMs);
  }

  /** Writes what is queued: one frame, unless over frameSizeMaxBytes or held by backpressure. */
  flush(): void {
    if (this.closed || this.queue.length === 0) return;
    if (this.stream === undefined) {
      if (this.reconnectTimer === undefined) this.open();
      else {
        // Reconnecting: the messages wait (bounded) and the core learns the peer is unreachable.
        this.o.onUnreachable(this.id);
        return;
      }
    }
    if (this.waitingDrain) return;
    const stream = this.stream!;
    const messages = this.queue;
    this.queue = [];
    let start = 0;
    // Bounded by the queue length: each pass writes at least one message.
    while (start < messages.length) {
      let end = start;
      let sizeBytes = 0;
      while (end < messages.length && (end === start || sizeBytes + messageSizeBytes(messages[end]!) <= this.limits.frameSizeMaxBytes)) {
        sizeBytes += messageSizeBytes(messages[end]!);
        end++;
      }
      const frame: WireBatch = {
        from: this.o.id,
        fromAddress: this.o.selfAddress,
        to: this.id,
        messages: messages.slice(start, end).map(encodeMessage),
      };
      start = end;
      const more = stream.write(frame);
      if (!more) {
        // Backpressure: keep the rest for after 'drain' (undici style: never buffer without bound).
        this.queue = messages.slice(start).concat(this.queue);
        this.waitingDrain = true;
        stream.once('drain', () => {
          if (this.stream !== stream) return;
          this.waitingDrain = false;
          this.flush();
        });
        return;
      }
    }
  }

  /** Streams a snapshot in chunks; at most one per peer at a time (the core retries later). */
  sendSnapshot(m: Message): void {
    if (this.closed || this.faults.blocked.has(this.id)) return;
    assert(m.snapshot !== null, 'MsgSnap without a snapshot');
    if (this.snapshotInFlight) {
      this.o.logger.debug({ component: 'raft-transport', peer: this.id }, 'snapshot already in flight; dropping another');
      return;
    }
    this.snapshotInFlight = true;
    const data = m.snapshot.data;
    // 30 s plus 10 MB/s: generous for loopback and LAN, yet bounded.
    const deadline = new Date(Date.now() + 30_000 + data.byteLength / 10_000);
    const startedMs = Date.now();
    const stream = this.getClient().sendSnapshot({ deadline }, (err) => {
      this.snapshotInFlight = false;
      if (this.closed) return;
      this.o.logger.info(
        { component: 'raft-transport', peer: this.id, index: m.snapshot!.meta.index, sizeBytes: data.byteLength, ms: Date.now() - startedMs, err: err?.details },
        err === null ? 'sent snapshot' : 'snapshot send failed',
      );
      this.o.onSnapshotStatus(this.id, err === null);
    });
    stream.on('error', () => {});
    const chunkBytes = this.limits.snapshotChunkBytes;
    let offset = 0;
    const pump = () => {
      // Bounded by size / chunkBytes iterations; pauses on backpressure.
      while (offset === 0 || offset < data.byteLength) {
        const end = Math.min(data.byteLength, offset + chunkBytes);
        const chunk: WireSnapshotChunk = {
          header: offset === 0 ? encodeSnapshotHeader(m, this.o.selfAddress) : null,
          data: data.subarray(offset, end),
        };
        const first = offset === 0;
        offset = end;
        const more = stream.write(chunk);
        if (first && data.byteLength === 0) break;
        if (!more && offset < data.byteLength) {
          stream.once('drain', pump);
          return;
        }
      }
      stream.end();
    };
    pump();
  }

  close(): void {
    this.closed = true;
    if (this.reconnectTimer !== undefined) clearTimeout(this.reconnectTimer);
    this.stream?.cancel();
    this.stream = undefined;
    this.client?.close();
    this.queue = [];
  }
}

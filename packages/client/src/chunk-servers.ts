// The client's side of the chunkservers' data service: one gRPC client per address (with the raised
// HTTP/2 windows of `channelOptions`), a slice upload as one client stream (header frame, then data
// frames of one write block each, honouring stream backpressure), and a slice range read as one
// server stream. Every call has a deadline; failures come back as FsErrors with an errno.
import * as grpc from '@grpc/grpc-js';
import { Errno, FsError } from '@cairn/errors';
import type { SliceId } from '@cairn/meta';
import { channelOptions, checkStatus, deadlineIn, fromGrpcError, protos, safeId } from '@cairn/rpc';
import type { types } from '@cairn/rpc';
type ChunkDataClient = types.ChunkDataClient;
type ReadFrame__Output = types.ReadFrame__Output;
type WriteSliceReply__Output = types.WriteSliceReply__Output;
import type { Piece } from './blocks.js';

/** Upload frames (of up to one write block each) handed to a stream and not yet sent. */
const framesInFlightMax = 4;

export interface ServerRef {
  id: number;
  address: string;
}

export class ChunkServers {
  private readonly clients = new Map<string, ChunkDataClient>();
  /** Reads in flight per address, to prefer the least loaded replica. */
  private readonly loads = new Map<string, number>();

  constructor(private readonly options: { writeTimeoutMs: number; readTimeoutMs: number }) {}

  private client(address: string): ChunkDataClient {
    let c = this.clients.get(address);
    if (!c) {
      const Ctor = protos().chunk.cairn.ChunkData;
      c = new Ctor(address, grpc.credentials.createInsecure(), channelOptions);
      this.clients.set(address, c);
    }
    return c;
  }

  load(address: string): number {
    return this.loads.get(address) ?? 0;
  }

  /**
   * Streams a slice to `targets[0]`, which forwards it down `targets[1..]`. Resolves with the ids of
   * the servers that stored it durably (possibly fewer than the targets; never empty).
   */
  writeSlice(targets: readonly ServerRef[], sliceId: SliceId, blocks: readonly Buffer[], blockBytes: number, length: number): Promise<number[]> {
    const first = targets[0];
    if (!first) return Promise.reject(new FsError(Errno.ENOSPC, 'no chunkserver to write to'));
    const context = `WriteSlice ${sliceId} to ${first.address}`;
    return new Promise<number[]>((resolve, reject) => {
      let settled = false;
      const settle = (err: FsError | null, storedOn?: number[]) => {
        if (settled) return;
        settled = true;
        if (err) reject(err);
        else resolve(storedOn as number[]);
      };
      const call = this.client(first.address).writeSlice(
        new grpc.Metadata(),
        { deadline: deadlineIn(this.options.writeTimeoutMs) },
        (err: grpc.ServiceError | null, reply?: WriteSliceReply__Output) => {
          if (err) return settle(fromGrpcError(err, context));
          try {
            checkStatus(reply?.status, context);
            const storedOn = (reply?.storedOn ?? []).map((id) => safeId(id, 'stored_on'));
            if (storedOn.length === 0) return settle(new FsError(Errno.EIO, `${context}: stored on no server`));
            if (reply && reply.size !== length) return settle(new FsError(Errno.EIO, `${context}: stored ${reply.size} bytes of ${length}`));
            settle(null, storedOn);
          } catch (e) {
            settle(e instanceof FsError ? e : fromGrpcError(e, context));
          }
        },
      );
      call.on('error', (err: unknown) => settle(fromGrpcError(err, context)));
      const header = {
        sliceId,
        downstream: targets.slice(1).map((t) => ({ id: t.id, address: t.address })),
        sync: true,
        expectedSize: length,
      };
      const frames = (function* () {
        yield { header };
        for (let at = 0, i = 0; at < length; at += blockBytes, i++) {
          yield { data: (blocks[i] as Buffer).subarray(0, Math.min(blockBytes, length - at)) };
        }
      })();
      // At most `framesInFlightMax` frames queued in the stream: the serialized copies of a
      // slice's frames are what the upload holds in memory beyond its blocks.
      let inFlight = 0;
      let ended = false;
      const pump = (): void => {
        while (!settled && !ended && inFlight < framesInFlightMax) {
          const next = frames.next();
          if (next.done) {
            ended = true;
            call.end();
            return;
          }
          inFlight++;
          call.write(next.value, () => {
            inFlight--;
            pump();
          });
        }
      };
      pump();
    });
  }

  /** Reads bytes [offset, offset+length) of a slice from one server, as received frames. */
  readSlice(address: string, sliceId: SliceId, offset: number, length: number): Promise<Piece[]> {
    const context = `ReadSlice ${sliceId}@${offset}+${length} from ${address}`;
    this.loads.set(address, this.load(address) + 1);
    return new Promise<Piece[]>((resolve, reject) => {
      const pieces: Piece[] = [];
      let received = 0;
      let settled = false;
      const settle = (err: FsError | null) => {
        if (settled) return;
        settled = true;
        this.loads.set(address, Math.max(0, this.load(address) - 1));
        if (err) {
          call.cancel();
          reject(err);
        } else resolve(pieces);
      };
      const call = this.client(address).readSlice({ sliceId, offset, length }, { deadline: deadlineIn(this.options.readTimeoutMs) });
      call.on('data', (frame: ReadFrame__Output) => {
        if (settled) return;
        try {
          if (frame.status && frame.status.errno !== 0) checkStatus(frame.status, context);
        } catch (e) {
          return settle(e as FsError);
        }
        const data = frame.data;
        if (!data || data.length === 0) return;
        if (received + data.length > length) return settle(new FsError(Errno.EIO, `${context}: server sent too much`));
        pieces.push({ offset: received, data });
        received += data.length;
      });
      call.on('error', (err: unknown) => settle(fromGrpcError(err, context)));
      call.on('end', () => {
        if (received !== length) return settle(new FsError(Errno.EIO, `${context}: got ${received} bytes`));
        settle(null);
      });
    });
  }

  close(): void {
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
  }
}

// Client-side call helpers: every call has a deadline; transport errors become FsErrors.
import * as grpc from '@grpc/grpc-js';
import { fromGrpcError } from './status.js';

export type UnaryMethod<Req, Res> = (
  req: Req,
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
  callback: (err: grpc.ServiceError | null, res?: Res) => void,
) => grpc.ClientUnaryCall;

export function deadlineIn(ms: number): Date {
  return new Date(Date.now() + ms);
}

/** Calls a unary method with a deadline and resolves with the reply, or rejects with an FsError. */
export function callUnary<Req, Res>(
  client: grpc.Client,
  method: UnaryMethod<Req, Res>,
  req: Req,
  deadlineMs: number,
  context: string,
): Promise<Res> {
  return new Promise((resolve, reject) => {
    method.call(client, req, new grpc.Metadata(), { deadline: deadlineIn(deadlineMs) }, (err, res) => {
      if (err) reject(fromGrpcError(err, context));
      else resolve(res as Res);
    });
  });
}

/** Full jitter backoff (AWS architecture blog): uniform in [0, min(cap, base * 2^attempt)). */
export function backoffMs(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** Math.min(attempt, 20)));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

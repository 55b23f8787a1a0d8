// A Meta service client that follows the leader: it starts from a list of master addresses,
// follows NOT_LEADER hints, and retries unreachable or redirecting masters with bounded, jittered
// backoff until a total time budget is spent. Retrying mutations is safe because each carries a
// session and request id that the state machine de-duplicates.
import * as grpc from '@grpc/grpc-js';
import { Errno, ErrorCode, FsError } from '@cairn/errors';
import type { MetaClient as GenMetaClient } from './gen/cairn/Meta.js';
import type { Status__Output } from './gen/cairn/Status.js';
import { backoffMs, callUnary, sleep, type UnaryMethod } from './call.js';
import { channelOptions } from './options.js';
import { protos } from './proto.js';
import { NotLeaderError, checkStatus } from './status.js';

export interface MetaClientOptions {
  /** Master addresses, `host:port`. */
  masters: string[];
  /** Deadline of one attempt. */
  callTimeoutMs?: number;
  /** How long one logical call may keep retrying across masters before failing with EIO. */
  retryBudgetMs?: number;
}

type MethodName = {
  [K in keyof GenMetaClient]: GenMetaClient[K] extends UnaryMethod<infer _Req, infer _Res> ? K : never;
}[keyof GenMetaClient] & string;

export class MetaClient {
  private readonly clients = new Map<string, GenMetaClient>();
  private readonly addresses: string[];
  private leader: string;
  private readonly callTimeoutMs: number;
  private readonly retryBudgetMs: number;
  private closed = false;

  constructor(options: MetaClientOptions) {
    if (options.masters.length === 0) throw new FsError(Errno.EINVAL, 'no master addresses given', { code: ErrorCode.Config });
    this.addresses = [...options.masters];
    this.leader = this.addresses[0] as string;
    this.callTimeoutMs = options.callTimeoutMs ?? 10_000;
    this.retryBudgetMs = options.retryBudgetMs ?? 30_000;
  }

  /** The master this client currently believes is the leader. */
  get leaderAddress(): string {
    return this.leader;
  }

  private client(address: string): GenMetaClient {
    let c = this.clients.get(address);
    if (!c) {
      const Ctor = protos().meta.cairn.Meta;
      c = new Ctor(address, grpc.credentials.createInsecure(), channelOptions);
      this.clients.set(address, c);
    }
    return c;
  }

  /**
   * Calls `method` on the leader and returns the reply once its status is OK. Filesystem errors
   * (ENOENT, EEXIST, ...) are thrown at once as FsErrors; redirects and outages are retried.
   */
  async call<Req, Res extends { status: Status__Output | null }>(
    method: MethodName,
    req: Req,
    options: { timeoutMs?: number; budgetMs?: number } = {},
  ): Promise<Res> {
    const started = Date.now();
    const budgetMs = options.budgetMs ?? this.retryBudgetMs;
    let lastError: unknown;
    for (let attempt = 0; ; attempt++) {
      if (this.closed) throw new FsError(Errno.EIO, 'metadata client closed');
      const address = this.leader;
      const client = this.client(address);
      const fn = (client as unknown as Record<string, UnaryMethod<Req, Res>>)[method] as UnaryMethod<Req, Res>;
      try {
        const remaining = Math.max(1, budgetMs - (Date.now() - started));
        const reply = await callUnary(client, fn, req, Math.min(options.timeoutMs ?? this.callTimeoutMs, remaining), `${method} at ${address}`);
        checkStatus(reply.status, method);
        return reply;
      } catch (err) {
        if (!this.isRetryable(err)) throw err;
        lastError = err;
        this.rotate(address, err);
      }
      const elapsed = Date.now() - started;
      if (elapsed >= budgetMs) break;
      await sleep(Math.min(backoffMs(attempt, 25, 1_000), budgetMs - elapsed));
    }
    const why = lastError instanceof Error ? lastError.message : String(lastError);
    throw new FsError(Errno.EIO, `no master answered within ${budgetMs} ms (${why})`, {
      code: ErrorCode.Unavailable,
      hint: `masters: ${this.addresses.join(',')}`,
      cause: lastError,
    });
  }

  private isRetryable(err: unknown): boolean {
    if (err instanceof NotLeaderError) return true;
    return err instanceof FsError && (err.code === ErrorCode.Unavailable || err.code === ErrorCode.Timeout);
  }

  /** Moves to the hinted leader if there is one, else to the next address in the list. */
  private rotate(failed: string, err: unknown): void {
    if (err instanceof NotLeaderError && err.leaderHint && err.leaderHint !== failed) {
      if (!this.addresses.includes(err.leaderHint)) this.addresses.push(err.leaderHint);
      this.leader = err.leaderHint;
      return;
    }
    const i = this.addresses.indexOf(failed);
    this.leader = this.addresses[(i + 1) % this.addresses.length] as string;
  }

  close(): void {
    this.closed = true;
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
  }
}

// The heartbeat to the master (Meta.Heartbeat): every interval, report identity, space and the
// inventory (the whole of it on the first beat and whenever the master asks, else the changes
// since the last accepted beat), and carry out the deletions the reply asks for; hand its
// replicate commands to the replicator, and tell the fence when the master was last reached.
//
// Invariants:
// - A change leaves the store's change log only when a beat carrying it was accepted
//   (`report.ack()`), so a failed beat loses nothing: the next one resends it.
// - A full report is sent until one is accepted.
// - One beat at a time; `stop()` waits for the one in flight to end.
// - `freeBytes` is what new slices may still take (free space less the reserve): a server the
//   master sees with room accepts a slice of that size without ENOSPC.
// - Leader following and retries are MetaClient's job; a beat that still fails is logged once
//   per outage, not once per attempt.
import { Errno, FsError } from '@cairn/errors';
import type { types } from '@cairn/rpc';
import type { Logger } from 'pino';
import { sliceIdFrom, type NodeId, type SliceId } from './ids.js';
import type { SliceStore } from './slice-store.js';

/** The part of MetaClient the heartbeat uses (a fake one is easy to write for tests). */
export interface HeartbeatMetaClient {
  call<Req, Res extends { status: types.Status__Output | null }>(
    method: 'heartbeat',
    req: Req,
    options?: { timeoutMs?: number; budgetMs?: number },
  ): Promise<Res>;
  close(): void;
}

export interface HeartbeatOptions {
  store: SliceStore;
  metaClient: HeartbeatMetaClient;
  serverId: NodeId;
  address: string;
  intervalMs: number;
  logger: Logger;
  /**
   * Upper bound on an interval the master asks for. With self-fencing it is half the fence
   * delay, so that a master asking for slow beats cannot make this server fence itself.
   */
  intervalMaxMs?: number;
  /** Told the send time of every accepted beat (self-fencing, fence.ts). */
  onContact?: (sentAt: number) => void;
  /** Receives the replicate commands of every reply. */
  onReplicate?: (commands: types.ReplicateCommand__Output[]) => void;
}

/** Bounds on the interval a master may ask for. */
const intervalMinMs = 50;
const intervalMaxMs = 60_000;

export class Heartbeat {
  private readonly store: SliceStore;
  private readonly metaClient: HeartbeatMetaClient;
  private readonly logger: Logger;
  private intervalMs: number;
  private wantFullReport = true;
  private stopped = false;
  private failing = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private beats = 0;

  constructor(private readonly options: HeartbeatOptions) {
    this.store = options.store;
    this.metaClient = options.metaClient;
    this.logger = options.logger;
    this.intervalMs = options.intervalMs;
  }

  /** Beats accepted by the master so far. */
  get acceptedCount(): number {
    return this.beats;
  }

  start(): void {
    if (this.loop) return;
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.beat();
        if (this.failing) this.logger.info({}, 'heartbeat accepted again');
        this.failing = false;
      } catch (err) {
        if (this.stopped) break;
        if (!this.failing) this.logger.warn({ err }, 'heartbeat failed; changes kept for the next one');
        this.failing = true;
      }
      if (this.stopped) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.intervalMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  /** Sends one heartbeat and applies its reply. Throws if the master could not be reached. */
  async beat(): Promise<void> {
    await this.store.refreshStatfs().catch((err: unknown) => this.logger.warn({ err }, 'statfs failed'));
    const report = this.store.report(this.wantFullReport);
    const sentAt = performance.now();
    const space = this.store.space();
    const req: types.HeartbeatRequest = {
      serverId: this.options.serverId,
      address: this.options.address,
      capacityBytes: space.capacityBytes,
      usedBytes: space.usedBytes,
      freeBytes: space.writableBytes,
      fullReport: report.full,
      slices: report.slices.map((s) => ({ sliceId: s.sliceId, size: s.sizeBytes })),
      removed: report.removed,
      pid: process.pid,
      corrupt: report.corrupt,
    };
    const budgetMs = Math.max(2_000, 3 * this.intervalMs);
    const reply = await this.metaClient.call<types.HeartbeatRequest, types.HeartbeatReply__Output>('heartbeat', req, {
      timeoutMs: budgetMs,
      budgetMs,
    });
    report.ack();
    this.beats++;
    this.options.onContact?.(sentAt);
    if (report.full) this.logger.info({ slices: report.slices.length }, 'full report accepted');
    this.wantFullReport = reply.wantFullReport === true;
    if (reply.intervalMs > 0) {
      const maxMs = Math.max(intervalMinMs, Math.min(intervalMaxMs, this.options.intervalMaxMs ?? intervalMaxMs));
      this.intervalMs = Math.min(maxMs, Math.max(intervalMinMs, reply.intervalMs));
    }
    const ids: SliceId[] = [];
    for (const n of reply.deleteSlices ?? []) {
      try {
        ids.push(sliceIdFrom(n));
      } catch {
        this.logger.warn({ sliceId: n }, 'master asked to delete an invalid slice id; ignored');
      }
    }
    if ((reply.replicate?.length ?? 0) > 0) this.options.onReplicate?.(reply.replicate);
    if (ids.length > 0) {
      const deleted = await this.store.delete(ids);
      this.logger.info({ deleted, requested: ids.length }, `deleted ${deleted} slices at the master's request`);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    // Closing the client fails the call in flight at once instead of waiting out its budget.
    this.metaClient.close();
    await this.loop?.catch((err: unknown) => {
      if (!(err instanceof FsError) || err.errno !== Errno.EIO) throw err;
    });
  }
}

// The host loop of the metadata state machine: propose -> durable log -> apply -> reply. Commands
// queue up while the previous group is being written, so each group costs one synced LevelDB
// write for any number of commands (group commit, FACTS.md). The log is the seam where Raft goes:
// a single master appends and commits at once; under Raft, commit comes from the quorum.
//
// Invariants: entries are applied in index order, each exactly once; the applied index and the
// state it produced are written in one batch; a reply is sent only after its entry is durable.
import type { Logger } from 'pino';
import { Errno, FsError, assert } from '@cairn/errors';
import { type Command, type Counters, type KvOp, type Reply, apply, keys } from '@cairn/meta';
import { MetaStore, logEnd, logKey, logStart } from './store.js';

interface Proposal {
  cmd: Command;
  resolve: (reply: Reply) => void;
  reject: (err: unknown) => void;
}

/** Bound on commands per group: one log batch, one state batch. */
const groupSizeMax = 1024;
/** Bound on queued proposals; past it, submit waits for room. */
const queueLengthMax = 16_384;
/** Ids are reserved through the log in blocks, so allocating is not a log write per create. */
const reserveBlock = 4096;

export class MetaHost {
  private queue: Proposal[] = [];
  private running = false;
  private appliedIndex = 0;
  private stopped = false;
  private readonly roomWaiters: (() => void)[] = [];
  private idle: Promise<void> = Promise.resolve();

  private inoNext = 0;
  private inoLimit = 0;
  private sliceNext = 0;
  private sliceLimit = 0;
  private sessionNext = 0;
  private sessionLimit = 0;
  private reserving: Promise<void> | undefined;

  constructor(
    readonly store: MetaStore,
    private readonly log: Logger,
  ) {}

  get applied(): number {
    return this.appliedIndex;
  }

  /** Replays logged entries not yet applied (a crash between log and state writes), then inits. */
  async start(nowMs: number): Promise<void> {
    this.appliedIndex = Number(this.store.get(keys.applied) ?? '0');
    const entries = await this.store.scan(logKey(this.appliedIndex + 1), logEnd, Number.MAX_SAFE_INTEGER);
    if (entries.length > 0) this.log.info({ count: entries.length, from: this.appliedIndex + 1 }, 'replaying log');
    for (const [key, value] of entries) {
      const index = parseInt(key.slice(logStart.length), 16);
      assert(index === this.appliedIndex + 1, 'log has a gap');
      this.applyGroup([{ index, cmd: JSON.parse(value) as Command }]);
      await this.persistApplied([index]);
    }
    const counters = this.store.getJson<Counters>(keys.counters);
    // Ids up to the reserved marks may have been handed out before a restart: start past them.
    this.inoNext = this.inoLimit = counters?.inoReserved ?? 1;
    this.sliceNext = this.sliceLimit = counters?.sliceReserved ?? 0;
    this.sessionNext = this.sessionLimit = counters?.sessionReserved ?? 0;
    await this.submit({ op: 'init', nowMs });
  }

  /** Proposes a command and resolves with its reply once it is durable and applied. */
  async submit(cmd: Command): Promise<Reply> {
    if (this.stopped) throw new FsError(Errno.EIO, 'master is stopping');
    while (this.queue.length >= queueLengthMax) await new Promise<void>((r) => this.roomWaiters.push(r));
    return new Promise<Reply>((resolve, reject) => {
      this.queue.push({ cmd, resolve, reject });
      if (!this.running) this.idle = this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) {
        const group = this.queue.splice(0, groupSizeMax);
        for (const wake of this.roomWaiters.splice(0)) wake();
        try {
          await this.commitGroup(group);
        } catch (err) {
          for (const p of group) p.reject(err);
        }
      }
    } finally {
      this.running = false;
    }
  }

  private async commitGroup(group: Proposal[]): Promise<void> {
    const first = this.appliedIndex + 1;
    const entries = group.map((p, i) => ({ index: first + i, cmd: p.cmd }));
    const logOps: KvOp[] = entries.map((e) => ({ type: 'put', key: logKey(e.index), value: JSON.stringify(e.cmd) }));
    await this.store.write(logOps, true);
    const replies = this.applyGroup(entries);
    await this.persistApplied(entries.map((e) => e.index));
    group.forEach((p, i) => p.resolve(replies[i] as Reply));
  }

  private groupOps: KvOp[] = [];

  /** Applies entries in order; their writes are staged (visible) and collected for one batch. */
  private applyGroup(entries: { index: number; cmd: Command }[]): Reply[] {
    const replies: Reply[] = [];
    for (const e of entries) {
      assert(e.index === this.appliedIndex + 1, 'entries applied out of order');
      const { ops, reply } = apply(this.store, e.cmd);
      this.store.stage(ops);
      this.groupOps.push(...ops);
      this.appliedIndex = e.index;
      replies.push(reply);
    }
    return replies;
  }

  /** Writes the applied state with the applied index, and drops the now-applied log entries. */
  private async persistApplied(indexes: number[]): Promise<void> {
    const ops = this.groupOps;
    this.groupOps = [];
    const applied: KvOp = { type: 'put', key: keys.applied, value: String(this.appliedIndex) };
    this.store.stage([applied]);
    ops.push(applied);
    for (const index of indexes) ops.push({ type: 'del', key: logKey(index) });
    await this.store.write(ops, false);
  }

  // ---- id allocation (the leader stamps ids into commands) ----

  async allocIno(): Promise<number> {
    while (this.inoNext >= this.inoLimit) await this.reserve();
    return ++this.inoNext;
  }

  async allocSlices(count: number): Promise<number> {
    assert(count > 0 && count <= reserveBlock, 'slice allocation count out of range');
    while (this.sliceNext + count > this.sliceLimit) await this.reserve();
    const first = this.sliceNext + 1;
    this.sliceNext += count;
    return first;
  }

  async allocSession(): Promise<number> {
    while (this.sessionNext >= this.sessionLimit) await this.reserve();
    return ++this.sessionNext;
  }

  private reserve(): Promise<void> {
    this.reserving ??= (async () => {
      const next = {
        inoUpTo: Math.max(this.inoLimit, this.inoNext + reserveBlock),
        sliceUpTo: Math.max(this.sliceLimit, this.sliceNext + reserveBlock * 16),
        sessionUpTo: Math.max(this.sessionLimit, this.sessionNext + 64),
      };
      const reply = await this.submit({ op: 'reserveIds', ...next });
      assert(reply.errno === Errno.OK, 'id reservation failed');
      this.inoLimit = next.inoUpTo;
      this.sliceLimit = next.sliceUpTo;
      this.sessionLimit = next.sessionUpTo;
    })().finally(() => {
      this.reserving = undefined;
    });
    return this.reserving;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.idle;
  }
}

// The master's side of the replicated state machine: it proposes commands through Raft and
// applies committed entries to the metadata store. Applying is the pure `apply` of @cairn/meta;
// each batch of committed entries becomes one LevelDB batch that also records the applied index,
// so state and applied index can never disagree after a crash. The leader stamps time and new ids
// into commands before proposing (ids come from blocks reserved through the log).
//
// Invariants: entries are applied in index order, each exactly once; a reply is returned only
// after its entry is committed and applied; ids handed out are above every reserved mark that any
// earlier leader could have used.
import type { Logger } from 'pino';
import { Errno, FsError, assert } from '@cairn/errors';
import { type Command, type Counters, type KvOp, type Reply, apply, keys } from '@cairn/meta';
import type { AppliedEntry, RaftNode, StateMachine } from '@cairn/raft-node';
import { MetaStore } from './store.js';

/** Ids are reserved through the log in blocks, so allocating is not a log write per create. */
const reserveBlock = 4096;
/**
 * Fraction of the vote lease a leader serves reads on its own after a quorum confirmed it: the
 * rest is the margin for clock-rate drift between masters and late timers (bounded well below
 * 50 % on any sane host).
 */
const leaseDriftFactor = 0.5;
/** Replies kept for proposals whose caller has not collected them yet. */
const repliesKeptMax = 65_536;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class MetaHost {
  private raft: RaftNode | undefined;
  private readonly replies = new Map<number, Reply>();

  private inoNext = 0;
  private inoLimit = 0;
  private sliceNext = 0;
  private sliceLimit = 0;
  private sessionNext = 0;
  private sessionLimit = 0;
  private reserving: Promise<void> | undefined;
  private readRound: Promise<void> | undefined;
  private leaseUntilMs = 0;
  private readonly appliedWaiters: { index: number; resolve: () => void }[] = [];
  private nextReadRound: Promise<void> | undefined;

  constructor(
    readonly store: MetaStore,
    private readonly log: Logger,
  ) {}

  attach(raft: RaftNode): void {
    this.raft = raft;
  }

  private get node(): RaftNode {
    assert(this.raft, 'host used before Raft was attached');
    return this.raft;
  }

  get applied(): number {
    return Number(this.store.get(keys.applied) ?? '0');
  }

  /** Called when this master becomes leader (after applying everything before its term). */
  async becameLeader(nowMs: number): Promise<void> {
    const counters = this.store.getJson<Counters>(keys.counters);
    // Ids up to the reserved marks may have been handed out by an earlier leader: start past them.
    this.inoNext = this.inoLimit = counters?.inoReserved ?? 1;
    this.sliceNext = this.sliceLimit = counters?.sliceReserved ?? 0;
    this.sessionNext = this.sessionLimit = counters?.sessionReserved ?? 0;
    this.reserving = undefined;
    this.leaseUntilMs = 0;
    await this.submit({ op: 'init', nowMs });
  }

  /** Proposes a command and resolves with its reply once it is committed and applied. */
  async submit(cmd: Command): Promise<Reply> {
    const { index } = await this.node.propose(encoder.encode(JSON.stringify(cmd)));
    const reply = this.replies.get(index);
    this.replies.delete(index);
    assert(reply, `no reply recorded for applied entry ${index}`);
    return reply;
  }

  /**
   * A linearizable read barrier: within the leader lease, once applied reaches the commit index;
   * otherwise by ReadIndex, which resolves once this leader has confirmed its
   * leadership with a quorum and applied everything committed before the call. Concurrent reads
   * share rounds: a caller joins the next round to start after it arrived, never one already
   * under way (which could have been confirmed before the caller's read began).
   */
  readBarrier(): Promise<void> {
    const now = performance.now();
    if (now < this.leaseUntilMs) {
      // Leader lease: no other leader can exist yet, so everything committed is in our log up to
      // the commit index we know; reading once it is applied is linearizable. Renew early.
      if (this.leaseUntilMs - now < this.node.leaderLeaseMs * leaseDriftFactor * 0.5 && !this.readRound) {
        this.startReadRound().catch(() => undefined);
      }
      return this.waitApplied(this.node.commitIndex);
    }
    return this.sharedReadRound();
  }

  /** Forgets the lease (on losing leadership, or before handing it over). */
  dropLease(): void {
    this.leaseUntilMs = 0;
  }

  private startReadRound(): Promise<void> {
    const startedMs = performance.now();
    this.readRound = this.node
      .readIndex()
      .then(() => {
        // A quorum acknowledged heartbeats sent after `startedMs`: none of them will vote for
        // another leader within the vote lease, counted from when they heard us.
        this.leaseUntilMs = Math.max(this.leaseUntilMs, startedMs + this.node.leaderLeaseMs * leaseDriftFactor);
      })
      .finally(() => {
        this.readRound = undefined;
      });
    return this.readRound;
  }

  private waitApplied(index: number): Promise<void> {
    if (this.applied >= index) return Promise.resolve();
    return new Promise((resolve) => this.appliedWaiters.push({ index, resolve }));
  }

  private sharedReadRound(): Promise<void> {
    if (!this.readRound) return this.startReadRound();
    this.nextReadRound ??= this.readRound
      .catch(() => undefined)
      .then(() => {
        this.nextReadRound = undefined;
        return this.sharedReadRound();
      });
    return this.nextReadRound;
  }

  /** The state machine Raft drives. */
  stateMachine(): StateMachine {
    return {
      apply: (entries) => this.applyEntries(entries),
      appliedIndex: () => this.applied,
      snapshot: () => this.snapshot(),
      restore: (data, index) => this.restore(data, index),
    };
  }

  private async applyEntries(entries: AppliedEntry[]): Promise<void> {
    const ops: KvOp[] = [];
    let last = this.applied;
    for (const e of entries) {
      assert(e.index > last, 'entries applied out of order');
      const cmd = JSON.parse(decoder.decode(e.data)) as Command;
      const result = apply(this.store, cmd);
      this.store.stage(result.ops);
      ops.push(...result.ops);
      this.replies.set(e.index, result.reply);
      last = e.index;
    }
    while (this.replies.size > repliesKeptMax) this.replies.delete(this.replies.keys().next().value as number);
    const applied: KvOp = { type: 'put', key: keys.applied, value: String(last) };
    this.store.stage([applied]);
    ops.push(applied);
    // Not synced: the Raft log (synced) still holds these entries, and a process crash loses
    // no written batch. Before the log is compacted past them, `snapshot` syncs (below).
    await this.store.write(ops, false);
    for (let i = this.appliedWaiters.length - 1; i >= 0; i--) {
      const w = this.appliedWaiters[i]!;
      if (w.index <= last) {
        this.appliedWaiters.splice(i, 1);
        w.resolve();
      }
    }
  }

  /** The whole metadata store as length-prefixed key/value pairs (taken between applies). */
  private async snapshot(): Promise<Uint8Array> {
    // Raft compacts its log once it has this snapshot: make every applied batch durable first
    // (a synced LevelDB write syncs the log of all the writes before it).
    await this.store.write([{ type: 'put', key: keys.applied, value: String(this.applied) }], true);
    const parts: Buffer[] = [];
    for await (const [k, v] of this.store.iterate('', '\uffff')) {
      const kb = Buffer.from(k);
      const vb = Buffer.from(v);
      const head = Buffer.alloc(8);
      head.writeUInt32LE(kb.length, 0);
      head.writeUInt32LE(vb.length, 4);
      parts.push(head, kb, vb);
    }
    return Buffer.concat(parts);
  }

  private async restore(data: Uint8Array, index: number): Promise<void> {
    const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    await this.store.clear();
    let batch: KvOp[] = [];
    for (let off = 0; off < buf.length; ) {
      if (off + 8 > buf.length) throw new FsError(Errno.EIO, 'snapshot truncated');
      const kl = buf.readUInt32LE(off);
      const vl = buf.readUInt32LE(off + 4);
      off += 8;
      if (off + kl + vl > buf.length) throw new FsError(Errno.EIO, 'snapshot truncated');
      batch.push({ type: 'put', key: buf.toString('utf8', off, off + kl), value: buf.toString('utf8', off + kl, off + kl + vl) });
      off += kl + vl;
      if (batch.length >= 10_000) {
        await this.store.write(batch, false);
        batch = [];
      }
    }
    batch.push({ type: 'put', key: keys.applied, value: String(index) });
    await this.store.write(batch, true);
    this.log.info({ index, bytes: buf.length }, 'restored metadata from snapshot');
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
}

// Slice ids and placement for uploads. Ids come from the leader in batches (one AllocSlices per
// `batchCount` slices) and spare ones are kept; each batch also brings the live chunkservers with
// room, emptiest first, which is the client's view for placement until the next batch (or until
// it is older than `serversMaxAgeMs`, or than `shortViewMaxAgeMs` when it lists fewer servers than
// the goal: chunkservers that register after a client started must get new slices soon, or a
// freshly started cluster keeps writing under goal). Placement rotates the first server so that
// load spreads.
import type { SliceId } from '@cairn/meta';
import type { MetaClient } from '@cairn/rpc';
import { safeId } from '@cairn/rpc';
import type { types } from '@cairn/rpc';
import { Errno, FsError, ErrorCode } from '@cairn/errors';
import type { ServerRef } from './chunk-servers.js';
import type { Session } from './session.js';

export class SliceAllocator {
  private nextId = 0;
  private endId = 0;
  private servers: ServerRef[] = [];
  private serversAtMs = 0;
  private refill: Promise<void> | undefined;
  private rotation = 0;

  constructor(
    private readonly meta: MetaClient,
    private readonly session: Session,
    private readonly options: { batchCount: number; serversMaxAgeMs: number; shortViewMaxAgeMs: number },
  ) {}

  /** A fresh slice id and the current view of live chunkservers. */
  async next(goal: number): Promise<{ sliceId: SliceId; servers: ServerRef[] }> {
    for (;;) {
      const maxAgeMs = this.servers.length < goal ? this.options.shortViewMaxAgeMs : this.options.serversMaxAgeMs;
      if (this.nextId < this.endId && Date.now() - this.serversAtMs <= maxAgeMs) break;
      this.refill ??= this.fetch(goal).finally(() => (this.refill = undefined));
      await this.refill;
    }
    return { sliceId: this.nextId++ as SliceId, servers: this.servers };
  }

  private async fetch(goal: number): Promise<void> {
    const reply = await this.meta.call<types.AllocSlicesRequest, types.AllocSlicesReply__Output>('allocSlices', {
      header: this.session.header(),
      count: this.options.batchCount,
      goal,
    });
    const first = safeId(reply.firstSliceId, 'first_slice_id');
    const servers = reply.servers.map((s) => ({ id: safeId(s.id, 'server id'), address: s.address }));
    if (servers.length === 0) throw new FsError(Errno.ENOSPC, 'no live chunkserver has room', { code: ErrorCode.NoSpace });
    this.nextId = first;
    this.endId = first + reply.count;
    this.servers = servers;
    this.serversAtMs = Date.now();
  }

  /**
   * Up to `goal` distinct servers for one upload, the first rotating over the list; servers in
   * `avoid` (failed earlier for this slice) are used only if nothing else is left.
   */
  place(servers: readonly ServerRef[], goal: number, avoid: ReadonlySet<number>): ServerRef[] {
    return placeOn(servers, goal, avoid, this.rotation++);
  }
}

/** Pure placement: rotate the start by `rotation`, prefer servers not in `avoid`. */
export function placeOn(servers: readonly ServerRef[], goal: number, avoid: ReadonlySet<number>, rotation: number): ServerRef[] {
  const n = servers.length;
  if (n === 0) return [];
  const rotated: ServerRef[] = [];
  for (let i = 0; i < n; i++) rotated.push(servers[(rotation + i) % n] as ServerRef);
  const good = rotated.filter((s) => !avoid.has(s.id));
  const bad = rotated.filter((s) => avoid.has(s.id));
  return [...good, ...bad].slice(0, Math.max(1, goal));
}

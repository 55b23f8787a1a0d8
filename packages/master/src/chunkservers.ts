// Soft state about chunkservers, rebuilt from their heartbeats and never logged: who is alive,
// their capacity, and which slices each one holds. A chunkserver that has not beaten for
// `deadAfterMs` is dead: its replicas stop counting and it gets no new slices.
import type { SliceId } from '@cairn/meta';

export interface ChunkserverState {
  id: number;
  address: string;
  pid: number;
  capacityBytes: number;
  usedBytes: number;
  freeBytes: number;
  lastSeenMs: number;
  slices: Set<SliceId>;
  /** Deletions to hand out in the next heartbeat reply. */
  pendingDeletes: Set<SliceId>;
  /** Copies this server should make (it holds the source replica), for the next reply. */
  pendingCopies: { slice: SliceId; target: number }[];
  /** The master has this server's full inventory (since its last registration). */
  reported: boolean;
}

export interface HeartbeatInput {
  id: number;
  address: string;
  pid: number;
  capacityBytes: number;
  usedBytes: number;
  freeBytes: number;
  fullReport: boolean;
  slices: SliceId[];
  removed: SliceId[];
  corrupt: SliceId[];
}

/** Deletions per heartbeat reply: bounds the reply size and the deleting server's burst. */
const deletesPerBeatMax = 4096;

export class Chunkservers {
  private readonly servers = new Map<number, ChunkserverState>();
  private readonly locations = new Map<SliceId, Set<number>>();

  private readonly createdMs = Date.now();

  constructor(private readonly deadAfterMs: number) {}

  /** Records a heartbeat; returns the slices the server should delete and whether it must resend all. */
  heartbeat(
    hb: HeartbeatInput,
    nowMs: number,
  ): { deletes: SliceId[]; wantFullReport: boolean; copies: { slice: SliceId; target: ChunkserverState }[] } {
    let s = this.servers.get(hb.id);
    if (!s) {
      s = {
        id: hb.id,
        address: hb.address,
        pid: hb.pid,
        capacityBytes: 0,
        usedBytes: 0,
        freeBytes: 0,
        lastSeenMs: 0,
        slices: new Set(),
        pendingDeletes: new Set(),
        pendingCopies: [],
        reported: false,
      };
      this.servers.set(hb.id, s);
    }
    s.address = hb.address;
    s.pid = hb.pid;
    s.capacityBytes = hb.capacityBytes;
    s.usedBytes = hb.usedBytes;
    s.freeBytes = hb.freeBytes;
    s.lastSeenMs = nowMs;
    if (hb.fullReport) {
      for (const id of s.slices) this.unlocate(id, s.id);
      s.slices.clear();
      s.reported = true;
    }
    for (const id of hb.slices) this.locate(id, s);
    for (const id of hb.removed) {
      this.unlocate(id, s.id);
      s.slices.delete(id);
      s.pendingDeletes.delete(id);
    }
    for (const id of hb.corrupt) {
      // A corrupt replica does not count: re-replication replaces it from a healthy one, and
      // the bad file goes once a healthy replica exists elsewhere.
      this.unlocate(id, s.id);
      s.slices.delete(id);
      if (this.replicas(id, nowMs).length > 0) s.pendingDeletes.add(id);
      else this.corruptOnly.add(id);
    }
    const deletes = [...s.pendingDeletes].slice(0, deletesPerBeatMax);
    const copies = s.pendingCopies.splice(0).map((c) => ({ slice: c.slice, target: this.servers.get(c.target) }));
    return {
      deletes,
      wantFullReport: !s.reported,
      copies: copies.filter((c): c is { slice: SliceId; target: ChunkserverState } => c.target !== undefined),
    };
  }

  /** Slices whose only known replicas were reported corrupt (kept: they may be all there is). */
  readonly corruptOnly = new Set<SliceId>();

  scheduleCopy(slice: SliceId, source: number, target: number): void {
    this.servers.get(source)?.pendingCopies.push({ slice, target });
  }

  private locate(id: SliceId, s: ChunkserverState): void {
    s.slices.add(id);
    let set = this.locations.get(id);
    if (!set) this.locations.set(id, (set = new Set()));
    set.add(s.id);
  }

  private unlocate(id: SliceId, serverId: number): void {
    const set = this.locations.get(id);
    if (!set) return;
    set.delete(serverId);
    if (set.size === 0) this.locations.delete(id);
  }

  /** A client reported the slice durable on these servers: count them before their next beat. */
  stored(id: SliceId, serverIds: readonly number[]): void {
    for (const sid of serverIds) {
      const s = this.servers.get(sid);
      if (s) this.locate(id, s);
    }
  }

  isAlive(s: ChunkserverState, nowMs: number): boolean {
    return nowMs - s.lastSeenMs <= this.deadAfterMs;
  }

  /** Live servers holding `id`. */
  replicas(id: SliceId, nowMs: number): ChunkserverState[] {
    const out: ChunkserverState[] = [];
    for (const sid of this.locations.get(id) ?? []) {
      const s = this.servers.get(sid);
      if (s && this.isAlive(s, nowMs)) out.push(s);
    }
    return out;
  }

  /** Every server ever seen holding `id`, alive or not (for deletions). */
  holders(id: SliceId): ChunkserverState[] {
    return [...(this.locations.get(id) ?? [])].map((sid) => this.servers.get(sid)).filter((s): s is ChunkserverState => !!s);
  }

  /** Live servers with at least `reserveBytes` free, emptiest first: where new slices go. */
  writable(nowMs: number, reserveBytes: number): ChunkserverState[] {
    return [...this.servers.values()]
      .filter((s) => this.isAlive(s, nowMs) && s.freeBytes > reserveBytes)
      .sort((a, b) => b.freeBytes / Math.max(1, b.capacityBytes) - a.freeBytes / Math.max(1, a.capacityBytes));
  }

  all(): ChunkserverState[] {
    return [...this.servers.values()].sort((a, b) => a.id - b.id);
  }

  /**
   * True once every live server has sent its full inventory: only then is "no replica" known. A
   * fresh view (a new leader) waits one dead-after period first, so that every server still
   * alive has had the time to beat and be seen.
   */
  inventoriesComplete(nowMs: number): boolean {
    if (nowMs - this.createdMs < this.deadAfterMs) return false;
    return [...this.servers.values()].every((s) => !this.isAlive(s, nowMs) || s.reported);
  }

  scheduleDelete(id: SliceId, s: ChunkserverState): void {
    s.pendingDeletes.add(id);
  }
}

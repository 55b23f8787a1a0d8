// The leader's repair loop: finds slices below their goal (a dead chunkserver, a corrupt replica,
// a raised goal) or above it (a lowered goal, a finished move), and hands copy and trim orders to
// chunkservers through their heartbeats. Also moves replicas toward even usage when servers
// differ by more than a threshold (copy to the emptiest first, then trim the fullest: a slice is
// never below its goal while it moves). Runs only once every live server has reported its full
// inventory, so that "no replica" is known and not merely unreported.
import type { Logger } from 'pino';
import { type Inode, type Ino, type SliceId, type SliceRef, keys } from '@cairn/meta';
import type { Chunkservers } from './chunkservers.js';
import type { MetaHost } from './host.js';
import { type InFlight, type SliceNeed, planReplication } from './replication.js';

export interface HealerOptions {
  reserveBytes: number;
  /**
   * A replica no file references is handed to garbage collection after this long: long enough
   * for any upload to be committed (a client commits right after its replicas acknowledge).
   */
  orphanGraceMs: number;
  /** An order not confirmed by the target's report within this time is given up. */
  copyTimeoutMs: number;
  /** Servers whose used fraction differs by more than this are rebalanced. */
  imbalanceMax: number;
  movesPerPassMax: number;
}

export interface SliceSummary {
  total: number;
  underGoal: number;
  missing: number;
}

export class Healer {
  private readonly inFlight = new Map<SliceId, InFlight & { sinceMs: number }>();
  private lastSummary: SliceSummary = { total: 0, underGoal: 0, missing: 0 };
  /** Unreferenced replicas and when they were first seen so. */
  private readonly orphanSince = new Map<SliceId, number>();

  constructor(
    private readonly host: MetaHost,
    private readonly options: HealerOptions,
    private readonly log: Logger,
  ) {}

  get summary(): SliceSummary {
    return this.lastSummary;
  }

  /** One pass over every referenced slice. */
  async pass(chunkservers: Chunkservers, nowMs: number): Promise<void> {
    const { needs, sizes, summary } = await this.survey(chunkservers, nowMs);
    this.lastSummary = summary;
    if (!chunkservers.inventoriesComplete(nowMs)) return;
    await this.collectOrphans(chunkservers, sizes, nowMs);
    for (const [id, f] of this.inFlight) {
      const done = chunkservers.replicas(id, nowMs).some((s) => s.id === f.target);
      if (done || nowMs - f.sinceMs > this.options.copyTimeoutMs) this.inFlight.delete(id);
    }
    const room = chunkservers
      .writable(nowMs, this.options.reserveBytes)
      .map((s) => ({ id: s.id, freeBytes: s.freeBytes - this.options.reserveBytes }));
    const limits = { perSourceMax: 2, perTargetMax: 2, totalMax: 16 };
    const { copies, trims } = planReplication(needs, room, [...this.inFlight.values()], (id) => sizes.get(id) ?? 0, limits);
    for (const c of copies) {
      chunkservers.scheduleCopy(c.slice, c.source, c.target);
      this.inFlight.set(c.slice, { ...c, sinceMs: nowMs });
    }
    for (const t of trims) {
      const s = chunkservers.all().find((x) => x.id === t.server);
      if (s) chunkservers.scheduleDelete(t.slice, s);
    }
    if (copies.length > 0 || trims.length > 0) {
      this.log.info({ copies: copies.length, trims: trims.length, underGoal: summary.underGoal }, 'repair orders issued');
    }
    if (copies.length === 0 && this.inFlight.size === 0) this.rebalance(chunkservers, needs, nowMs);
  }

  /** Copies a few slices from the fullest live server to the emptiest; trims follow later. */
  private rebalance(chunkservers: Chunkservers, needs: SliceNeed[], nowMs: number): void {
    const live = chunkservers.writable(nowMs, this.options.reserveBytes).filter((s) => s.capacityBytes > 0);
    if (live.length < 2) return;
    const used = (s: { usedBytes: number; capacityBytes: number }) => s.usedBytes / s.capacityBytes;
    live.sort((a, b) => used(b) - used(a));
    const fullest = live[0]!;
    const emptiest = live[live.length - 1]!;
    if (used(fullest) - used(emptiest) <= this.options.imbalanceMax) return;
    let moves = 0;
    for (const n of needs) {
      if (moves >= this.options.movesPerPassMax) break;
      if (n.replicas.length !== n.goal || !n.replicas.includes(fullest.id) || n.replicas.includes(emptiest.id)) continue;
      chunkservers.scheduleCopy(n.id, fullest.id, emptiest.id);
      this.inFlight.set(n.id, { slice: n.id, source: fullest.id, target: emptiest.id, sinceMs: nowMs });
      moves++;
    }
    if (moves > 0) this.log.info({ from: fullest.id, to: emptiest.id, moves }, 'rebalancing');
  }

  /** Replicas held by live servers that no file references and that are not already garbage. */
  private unreferenced(chunkservers: Chunkservers, referenced: Map<SliceId, number>, nowMs: number): Map<SliceId, number> {
    const out = new Map<SliceId, number>();
    for (const s of chunkservers.all()) {
      if (!chunkservers.isAlive(s, nowMs) || !s.reported) continue;
      for (const id of s.slices) {
        if (referenced.has(id) || out.has(id) || this.inFlight.has(id)) continue;
        if (this.host.store.get(keys.garbage(id)) !== undefined) continue;
        out.set(id, 0);
      }
    }
    return out;
  }

  private async collectOrphans(chunkservers: Chunkservers, referenced: Map<SliceId, number>, nowMs: number): Promise<void> {
    const now = this.unreferenced(chunkservers, referenced, nowMs);
    for (const id of this.orphanSince.keys()) if (!now.has(id)) this.orphanSince.delete(id);
    const due: { id: SliceId; size: number }[] = [];
    for (const id of now.keys()) {
      const since = this.orphanSince.get(id);
      if (since === undefined) this.orphanSince.set(id, nowMs);
      else if (nowMs - since >= this.options.orphanGraceMs && due.length < 1000) due.push({ id, size: 0 });
    }
    if (due.length === 0) return;
    this.log.info({ count: due.length }, 'replicas no file references go to garbage collection');
    await this.host.submit({ op: 'markGarbage', slices: due, nowMs });
    for (const d of due) this.orphanSince.delete(d.id);
  }

  /** The fsck report; with `repair`, unreferenced replicas go to garbage collection at once. */
  async fsck(chunkservers: Chunkservers, repair: boolean, nowMs: number) {
    const { sizes, summary, perInode } = await this.survey(chunkservers, nowMs);
    const bad = [...perInode].filter(([, f]) => f.missing > 0 || f.underGoal > 0);
    const paths = await this.paths(new Set(bad.map(([ino]) => ino)));
    const unreferenced = [...this.unreferenced(chunkservers, sizes, nowMs).keys()];
    let repaired = 0;
    if (repair && unreferenced.length > 0) {
      await this.host.submit({ op: 'markGarbage', slices: unreferenced.slice(0, 10_000).map((id) => ({ id, size: 0 })), nowMs });
      repaired = Math.min(unreferenced.length, 10_000);
    }
    return {
      files: bad.map(([ino, f]) => ({ ino, path: paths.get(ino) ?? `<inode ${ino}>`, slices: f.slices, missing: f.missing, underGoal: f.underGoal, goal: f.goal })),
      slicesTotal: summary.total,
      slicesMissing: summary.missing,
      slicesUnderGoal: summary.underGoal,
      unreferenced: unreferenced.slice(0, 10_000),
      repaired,
    };
  }

  /** Paths of the given inodes: one scan of all directory entries, then walks up the parents. */
  private async paths(inos: Set<number>): Promise<Map<number, string>> {
    const out = new Map<number, string>();
    if (inos.size === 0) return out;
    const names = new Map<number, { parent: number; name: string }>();
    for await (const [key, value] of this.host.store.iterate('d/', 'd0')) {
      const ino = (JSON.parse(value) as { ino: number }).ino;
      names.set(ino, { parent: parseInt(key.slice(2, 18), 16), name: key.slice(19) });
    }
    for (const ino of inos) {
      const parts: string[] = [];
      let cur = ino;
      for (let depth = 0; depth < 4096 && cur !== 1; depth++) {
        const n = names.get(cur);
        if (!n) break;
        parts.unshift(n.name);
        cur = n.parent;
      }
      out.set(ino, '/' + parts.join('/'));
    }
    return out;
  }

  /** Referenced slices, how many are under goal and how many have no live replica. */
  async count(chunkservers: Chunkservers, nowMs: number): Promise<SliceSummary> {
    return (await this.survey(chunkservers, nowMs)).summary;
  }

  private async survey(
    chunkservers: Chunkservers,
    nowMs: number,
  ): Promise<{
    needs: SliceNeed[];
    sizes: Map<SliceId, number>;
    summary: SliceSummary;
    perInode: Map<number, { slices: number; missing: number; underGoal: number; goal: number }>;
  }> {
    const store = this.host.store;
    const needs: SliceNeed[] = [];
    const sizes = new Map<SliceId, number>();
    const goals = new Map<number, number>();
    const summary: SliceSummary = { total: 0, underGoal: 0, missing: 0 };
    const perInode = new Map<number, { slices: number; missing: number; underGoal: number; goal: number }>();
    for await (const [key, value] of store.iterate(keys.allChunksStart, keys.allChunksEnd)) {
      const ino = parseInt(key.slice(2, 18), 16);
      let goal = goals.get(ino);
      if (goal === undefined) {
        goal = store.getJson<Inode>(keys.inode(ino as Ino))?.goal ?? 0;
        goals.set(ino, goal);
      }
      for (const s of JSON.parse(value) as SliceRef[]) {
        if (sizes.has(s.id)) continue;
        sizes.set(s.id, s.sliceSize);
        const replicas = chunkservers.replicas(s.id, nowMs).map((r) => r.id);
        let f = perInode.get(ino);
        if (!f) perInode.set(ino, (f = { slices: 0, missing: 0, underGoal: 0, goal }));
        f.slices++;
        summary.total++;
        if (replicas.length === 0) {
          summary.missing++;
          f.missing++;
        } else if (replicas.length < goal) {
          summary.underGoal++;
          f.underGoal++;
        }
        needs.push({ id: s.id, goal, replicas });
      }
    }
    return { needs, sizes, summary, perInode };
  }
}

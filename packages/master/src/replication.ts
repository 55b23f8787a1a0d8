// Re-replication planning: which slices are below (or above) their goal and what to do about it.
// Pure: it takes the slices with their goals and the live replica sets, and returns copy and trim
// orders, most endangered slices first (one replica left before two), with bounds on the copies
// each server sources or receives at once. The master's loop turns the orders into heartbeat
// commands and tracks them until the target reports the new replica.
import type { SliceId } from '@cairn/meta';

export interface SliceNeed {
  id: SliceId;
  goal: number;
  /** Live servers holding a healthy replica. */
  replicas: number[];
}

export interface ServerRoom {
  id: number;
  /** Free bytes above the reserve. */
  freeBytes: number;
}

export interface CopyOrder {
  slice: SliceId;
  source: number;
  target: number;
}

export interface TrimOrder {
  slice: SliceId;
  server: number;
}

export interface PlanLimits {
  /** Copies a server may source at once. */
  perSourceMax: number;
  /** Copies a server may receive at once. */
  perTargetMax: number;
  /** Copies in flight in the whole cluster. */
  totalMax: number;
}

export interface InFlight {
  slice: SliceId;
  source: number;
  target: number;
}

export function planReplication(
  needs: readonly SliceNeed[],
  servers: readonly ServerRoom[],
  inFlight: readonly InFlight[],
  sliceBytes: (id: SliceId) => number,
  limits: PlanLimits,
): { copies: CopyOrder[]; trims: TrimOrder[] } {
  const sourcing = new Map<number, number>();
  const receiving = new Map<number, number>();
  const busySlices = new Set<SliceId>();
  for (const f of inFlight) {
    sourcing.set(f.source, (sourcing.get(f.source) ?? 0) + 1);
    receiving.set(f.target, (receiving.get(f.target) ?? 0) + 1);
    busySlices.add(f.slice);
  }
  const room = new Map(servers.map((s) => [s.id, s.freeBytes]));
  let total = inFlight.length;
  const copies: CopyOrder[] = [];
  const trims: TrimOrder[] = [];
  const under = needs
    .filter((n) => n.replicas.length > 0 && n.replicas.length < n.goal && !busySlices.has(n.id))
    .sort((a, b) => a.replicas.length - b.replicas.length || b.goal - a.goal);
  for (const n of under) {
    if (total >= limits.totalMax) break;
    let missing = n.goal - n.replicas.length;
    const holders = new Set(n.replicas);
    const size = sliceBytes(n.id);
    // Emptiest targets first; never a server that already holds the slice.
    const targets = [...room.entries()]
      .filter(([id, free]) => !holders.has(id) && free >= size && (receiving.get(id) ?? 0) < limits.perTargetMax)
      .sort((a, b) => b[1] - a[1]);
    for (const [target] of targets) {
      if (missing === 0 || total >= limits.totalMax) break;
      const source = n.replicas
        .filter((id) => (sourcing.get(id) ?? 0) < limits.perSourceMax)
        .sort((a, b) => (sourcing.get(a) ?? 0) - (sourcing.get(b) ?? 0))[0];
      if (source === undefined) break;
      copies.push({ slice: n.id, source, target });
      sourcing.set(source, (sourcing.get(source) ?? 0) + 1);
      receiving.set(target, (receiving.get(target) ?? 0) + 1);
      room.set(target, (room.get(target) ?? 0) - size);
      holders.add(target);
      total++;
      missing--;
    }
  }
  for (const n of needs) {
    if (n.replicas.length <= n.goal || busySlices.has(n.id)) continue;
    // Trim the fullest holders, keeping `goal` replicas.
    const byFree = [...n.replicas].sort((a, b) => (room.get(a) ?? 0) - (room.get(b) ?? 0));
    for (const server of byFree.slice(0, n.replicas.length - n.goal)) trims.push({ slice: n.id, server });
  }
  return { copies, trims };
}

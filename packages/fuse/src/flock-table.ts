// BSD flock(2) arbitration for one mount, behind the `FlockArbiter` port the FUSE handlers use.
// The master has no lock RPC yet, so this table only excludes processes using *this* mount; a
// master-backed arbiter (locks consistent across the cluster, dropped with a session) replaces it
// without touching the handlers.
//
// Semantics (Linux fs/locks.c flock_lock_inode): an owner (the kernel's lock_owner: one per open
// file description) holds at most one lock per inode, shared or exclusive. A conversion first drops
// the held lock, then waits for the new one, as Linux does (not atomic). LOCK_NB turns a wait into
// EWOULDBLOCK (EAGAIN). LOCK_UN of nothing succeeds.
//
// Invariants: an inode has either one exclusive holder and no shared ones, or only shared ones;
// waiters are FIFO per inode and bounded. Every blocked flock holds a libfuse worker thread (libfuse
// 2.9 runs at most 10), so the total number of waiters is capped well below that: past the cap a
// blocking request fails with ENOLCK rather than starving the mount of threads.
import { Errno, FsError } from '@cairn/errors';

export const LOCK_SH = 1;
export const LOCK_EX = 2;
export const LOCK_NB = 4;
export const LOCK_UN = 8;

export interface FlockArbiter {
  /** Applies `op` (LOCK_SH/LOCK_EX/LOCK_UN, maybe | LOCK_NB); resolves once granted. */
  flock(ino: number, owner: bigint, op: number): Promise<void>;
}

interface Waiter {
  owner: bigint;
  exclusive: boolean;
  grant: () => void;
}

interface InodeLocks {
  exclusive: bigint | undefined;
  shared: Set<bigint>;
  waiters: Waiter[];
}

export class FlockTable implements FlockArbiter {
  private readonly inodes = new Map<number, InodeLocks>();
  private waiting = 0;

  constructor(private readonly waitersMax = 6) {
    if (!(Number.isSafeInteger(waitersMax) && waitersMax >= 0)) throw new Error('waitersMax must be a count');
  }

  flock(ino: number, owner: bigint, op: number): Promise<void> {
    const kind = op & ~LOCK_NB;
    if (kind === LOCK_UN) {
      this.unlock(ino, owner);
      return Promise.resolve();
    }
    if (kind !== LOCK_SH && kind !== LOCK_EX) return Promise.reject(new FsError(Errno.EINVAL, `flock: bad operation ${op}`));
    const exclusive = kind === LOCK_EX;
    const locks = this.locksOf(ino);
    if (exclusive ? locks.exclusive === owner : locks.shared.has(owner)) return Promise.resolve();
    // A conversion drops the old lock first (Linux does the same).
    this.unlock(ino, owner);
    const held = this.locksOf(ino);
    if (held.waiters.length === 0 && this.grantable(held, owner, exclusive)) {
      this.take(held, owner, exclusive);
      return Promise.resolve();
    }
    if (op & LOCK_NB) return Promise.reject(new FsError(Errno.EAGAIN, 'flock: held by another open file'));
    if (this.waiting >= this.waitersMax) {
      return Promise.reject(new FsError(Errno.ENOLCK, `flock: more than ${this.waitersMax} blocked lock requests on this mount`));
    }
    this.waiting++;
    return new Promise<void>((resolve) => held.waiters.push({ owner, exclusive, grant: resolve }));
  }

  /** Holders and waiters of an inode, for tests and debugging. */
  snapshot(ino: number): { exclusive?: bigint; shared: bigint[]; waiting: number } {
    const l = this.inodes.get(ino);
    if (!l) return { shared: [], waiting: 0 };
    return { ...(l.exclusive !== undefined ? { exclusive: l.exclusive } : {}), shared: [...l.shared], waiting: l.waiters.length };
  }

  private locksOf(ino: number): InodeLocks {
    let l = this.inodes.get(ino);
    if (!l) {
      l = { exclusive: undefined, shared: new Set(), waiters: [] };
      this.inodes.set(ino, l);
    }
    return l;
  }

  private grantable(l: InodeLocks, owner: bigint, exclusive: boolean): boolean {
    if (l.exclusive !== undefined && l.exclusive !== owner) return false;
    if (!exclusive) return true;
    for (const s of l.shared) if (s !== owner) return false;
    return true;
  }

  private take(l: InodeLocks, owner: bigint, exclusive: boolean): void {
    if (exclusive) {
      if (l.shared.size !== 0) throw new Error('flock table: exclusive lock granted over shared holders');
      l.exclusive = owner;
    } else {
      if (l.exclusive !== undefined) throw new Error('flock table: shared lock granted over an exclusive holder');
      l.shared.add(owner);
    }
  }

  private unlock(ino: number, owner: bigint): void {
    const l = this.inodes.get(ino);
    if (!l) return;
    if (l.exclusive === owner) l.exclusive = undefined;
    l.shared.delete(owner);
    // Wake waiters in order while they fit; the first that does not fit keeps the rest waiting
    // (no overtaking, so an exclusive waiter cannot starve behind a stream of shared ones).
    while (l.waiters.length > 0) {
      const w = l.waiters[0]!;
      if (!this.grantable(l, w.owner, w.exclusive)) break;
      l.waiters.shift();
      this.waiting--;
      this.take(l, w.owner, w.exclusive);
      w.grant();
    }
    if (l.exclusive === undefined && l.shared.size === 0 && l.waiters.length === 0) this.inodes.delete(ino);
  }
}

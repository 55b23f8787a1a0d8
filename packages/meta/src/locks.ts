// Advisory file locks, arbitrated by the master for every client of the cluster: BSD flock(2)
// and POSIX fcntl(2) byte-range locks. Pure functions over one inode's lock list; the state
// machine stores the list under `l/<ino>` and drops a session's locks when the session ends.
//
// Semantics follow Linux fs/locks.c:
// - flock and POSIX locks never conflict with each other;
// - an owner is (session, the kernel's lock owner): a POSIX owner is a process's file table, a
//   flock owner an open file description; an owner never conflicts with itself;
// - a POSIX owner holds at most one lock per byte: a new lock replaces the owner's locks on its
//   range (splitting them), and adjacent or overlapping locks of the same type merge;
// - a flock conversion first drops the held lock and then takes the new one, not atomically, so
//   a refused conversion leaves no lock (as on Linux).
import type { SessionId } from './types.js';

export const LockKind = { flock: 0, posix: 1 } as const;
export type LockKind = (typeof LockKind)[keyof typeof LockKind];

/** As in fcntl(2): F_RDLCK, F_WRLCK, F_UNLCK. */
export const LockType = { read: 0, write: 1, unlock: 2 } as const;
export type LockType = (typeof LockType)[keyof typeof LockType];

/** The last byte of a lock that runs to the end of the file (and beyond). */
export const lockEndMax = Number.MAX_SAFE_INTEGER;

export interface FileLock {
  session: SessionId;
  /** The kernel's lock owner, as a decimal string (it is a 64-bit value). */
  owner: string;
  kind: LockKind;
  type: typeof LockType.read | typeof LockType.write;
  /** First and last byte, inclusive; flock locks cover 0..lockEndMax. */
  start: number;
  end: number;
  /** The process that took it, for F_GETLK (meaningful on its own host only). */
  pid: number;
}

export interface LockRequest {
  session: SessionId;
  owner: string;
  kind: LockKind;
  type: LockType;
  start: number;
  end: number;
  pid: number;
}

function sameOwner(a: { session: SessionId; owner: string; kind: LockKind }, b: { session: SessionId; owner: string; kind: LockKind }): boolean {
  return a.session === b.session && a.owner === b.owner && a.kind === b.kind;
}

function overlaps(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  return a.start <= b.end && b.start <= a.end;
}

/** The first lock held by another owner that stops `req` being granted, if any. */
export function conflictingLock(locks: readonly FileLock[], req: LockRequest): FileLock | undefined {
  if (req.type === LockType.unlock) return undefined;
  return locks.find(
    (l) => l.kind === req.kind && !sameOwner(l, req) && (l.type === LockType.write || req.type === LockType.write) && overlaps(l, req),
  );
}

/** The owner's locks with [start, end] cut out of them (a lock straddling it splits in two). */
function withoutRange(locks: readonly FileLock[], req: LockRequest): FileLock[] {
  const out: FileLock[] = [];
  for (const l of locks) {
    if (!sameOwner(l, req) || !overlaps(l, req)) {
      out.push(l);
      continue;
    }
    if (l.start < req.start) out.push({ ...l, end: req.start - 1 });
    if (l.end > req.end) out.push({ ...l, start: req.end + 1 });
  }
  return out;
}

/**
 * Applies a lock request to an inode's locks. Returns the new list, or `undefined` when another
 * owner's lock conflicts (the caller answers EAGAIN, or waits and retries). A refused flock
 * conversion still drops the owner's old lock, so the list to store is returned alongside.
 */
export function applyLockRequest(locks: readonly FileLock[], req: LockRequest): { granted: boolean; locks: FileLock[] } {
  const cut = withoutRange(locks, req);
  if (req.type === LockType.unlock) return { granted: true, locks: cut };
  if (conflictingLock(locks, req)) {
    return { granted: false, locks: req.kind === LockKind.flock ? cut : [...locks] };
  }
  const lock: FileLock = { session: req.session, owner: req.owner, kind: req.kind, type: req.type, start: req.start, end: req.end, pid: req.pid };
  // Merge with the owner's adjacent or overlapping locks of the same type.
  const kept: FileLock[] = [];
  for (const l of cut) {
    if (sameOwner(l, lock) && l.type === lock.type && l.start <= lock.end + 1 && lock.start <= l.end + 1) {
      lock.start = Math.min(lock.start, l.start);
      lock.end = Math.max(lock.end, l.end);
    } else {
      kept.push(l);
    }
  }
  kept.push(lock);
  kept.sort((a, b) => a.start - b.start || a.session - b.session || (a.owner < b.owner ? -1 : a.owner > b.owner ? 1 : 0));
  return { granted: true, locks: kept };
}

/** An inode's locks without those of `session` (it ended or expired). */
export function withoutSession(locks: readonly FileLock[], session: SessionId): FileLock[] {
  return locks.filter((l) => l.session !== session);
}

/** An inode's locks without every lock of one owner (the file was closed). */
export function withoutOwner(locks: readonly FileLock[], session: SessionId, owner: string, kind: LockKind): FileLock[] {
  return locks.filter((l) => !sameOwner(l, { session, owner, kind }));
}

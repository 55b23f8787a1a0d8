// The client's side of advisory locks: argument checks and the wire form of a lock request.
// Arbitration itself is the master's (see @cairn/meta locks.ts).
import { Errno, FsError } from '@cairn/errors';
import { LockKind, LockType, lockEndMax } from '@cairn/meta';
import type { types } from '@cairn/rpc';

export interface LockRequestArgs {
  kind: LockKind;
  type: LockType;
  /** The kernel's lock owner (64-bit). */
  owner: bigint;
  /** First and last byte, inclusive (POSIX locks; ignored for flock). */
  start: number;
  end: number;
  pid: number;
}

export interface HeldLock {
  type: typeof LockType.read | typeof LockType.write;
  start: number;
  end: number;
  pid: number;
}

export function checkLockRange(r: LockRequestArgs): void {
  const ok = Number.isSafeInteger(r.start) && Number.isSafeInteger(r.end) && r.start >= 0 && r.start <= r.end && r.end <= lockEndMax;
  if (!ok) throw new FsError(Errno.EINVAL, `lock: bad range ${r.start}..${r.end}`);
  if (r.type !== LockType.read && r.type !== LockType.write && r.type !== LockType.unlock) throw new FsError(Errno.EINVAL, `lock: bad type ${r.type}`);
  if (r.owner < 0n || r.owner >= 1n << 64n) throw new FsError(Errno.EINVAL, 'lock: owner is not a 64-bit number');
}

/** The request's fields as the Lock and TestLock RPCs carry them (flock covers the whole file). */
export function lockWire(r: LockRequestArgs): Required<Omit<types.LockRequest, 'header' | 'ino'>> & { start: number; end: number } {
  const whole = r.kind === LockKind.flock;
  return { owner: r.owner.toString(), kind: r.kind, type: r.type, start: whole ? 0 : r.start, end: whole ? lockEndMax : r.end, pid: r.pid >>> 0 };
}

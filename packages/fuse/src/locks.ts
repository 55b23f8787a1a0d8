// flock(2) and fcntl(2) locks at the mount: the kernel's requests translated into the master's
// lock calls (the master arbitrates for every client of the cluster; see @cairn/meta locks.ts),
// and the waiting that blocking requests (F_SETLKW, flock without LOCK_NB) do here.
//
// A blocked request polls the master with backoff. Each one holds a libfuse worker thread (libfuse
// 2.9 runs at most 10), so the number of blocked requests is capped below that: past the cap a
// blocking request fails with ENOLCK rather than starving the mount of threads. libfuse 2 does not
// pass FUSE_INTERRUPT on to us, so a waiter whose process has died gives up by itself (its
// /proc entry is gone) instead of taking a lock nobody would release until the session ends.
import { access } from 'node:fs/promises';
import { Errno, FsError } from '@cairn/errors';
import type { CairnClient, HeldLock, LockRequestArgs } from '@cairn/client';
import { type Ino, LockKind, LockType, lockEndMax } from '@cairn/meta';

export const LOCK_SH = 1;
export const LOCK_EX = 2;
export const LOCK_NB = 4;
export const LOCK_UN = 8;

/** fcntl(2) commands and lock types as Linux numbers them. */
export const F_GETLK = 5;
export const F_SETLK = 6;
export const F_SETLKW = 7;
export const F_RDLCK = 0;
export const F_WRLCK = 1;
export const F_UNLCK = 2;

/** A struct flock as the patched binding passes it (l_whence is SEEK_SET from libfuse 2.9). */
export interface FuseFlock {
  type: number;
  whence: number;
  start: number;
  len: number;
  pid: number;
}

export type LockClient = Pick<CairnClient, 'lock' | 'testLock'>;

export interface LockWaitOptions {
  /** Blocked requests allowed at once on this mount (each holds a libfuse thread). */
  waitersMax?: number;
  /** First and largest pause between polls of a blocked request. */
  pollFirstMs?: number;
  pollMaxMs?: number;
  /** Whether the requesting process still exists (default: its /proc entry). */
  alive?: (pid: number) => Promise<boolean>;
}

async function procAlive(pid: number): Promise<boolean> {
  if (!(pid > 0)) return true;
  try {
    await access(`/proc/${pid}`);
    return true;
  } catch {
    return false;
  }
}

/** The lock request of a flock(2) operation. */
export function flockRequest(op: number, owner: bigint, pid: number): { request: LockRequestArgs; wait: boolean } {
  const kind = op & ~LOCK_NB;
  const type = kind === LOCK_SH ? LockType.read : kind === LOCK_EX ? LockType.write : kind === LOCK_UN ? LockType.unlock : undefined;
  if (type === undefined) throw new FsError(Errno.EINVAL, `flock: bad operation ${op}`);
  return { request: { kind: LockKind.flock, type, owner, start: 0, end: lockEndMax, pid }, wait: (op & LOCK_NB) === 0 && type !== LockType.unlock };
}

/** The byte range [start, end] of a struct flock (whence SEEK_SET; len 0 runs to the end; len < 0 ends before start). */
export function flockRange(l: FuseFlock): { start: number; end: number } {
  if (l.whence !== 0) throw new FsError(Errno.EINVAL, `lock: whence ${l.whence} is not SEEK_SET`);
  let start = l.start;
  let end: number;
  if (l.len > 0) end = start + l.len - 1;
  else if (l.len === 0) end = lockEndMax;
  else {
    end = start - 1;
    start = start + l.len;
  }
  if (!Number.isSafeInteger(start) || start < 0 || end < start) throw new FsError(Errno.EINVAL, `lock: bad range start ${l.start} len ${l.len}`);
  return { start, end: Math.min(end, lockEndMax) };
}

function typeOf(fcntlType: number): LockRequestArgs['type'] {
  if (fcntlType === F_RDLCK) return LockType.read;
  if (fcntlType === F_WRLCK) return LockType.write;
  if (fcntlType === F_UNLCK) return LockType.unlock;
  throw new FsError(Errno.EINVAL, `lock: bad type ${fcntlType}`);
}

/** A struct flock describing `held` for F_GETLK, or F_UNLCK when nothing conflicts. */
export function toFuseFlock(held: HeldLock | undefined, asked: FuseFlock): FuseFlock {
  if (!held) return { ...asked, type: F_UNLCK };
  const len = held.end >= lockEndMax ? 0 : held.end - held.start + 1;
  return { type: held.type === LockType.write ? F_WRLCK : F_RDLCK, whence: 0, start: held.start, len, pid: held.pid };
}

export class MountLocks {
  private waiting = 0;
  private readonly waitersMax: number;
  private readonly pollFirstMs: number;
  private readonly pollMaxMs: number;
  private readonly alive: (pid: number) => Promise<boolean>;

  constructor(
    private readonly client: LockClient,
    options: LockWaitOptions = {},
  ) {
    this.waitersMax = options.waitersMax ?? 6;
    this.pollFirstMs = options.pollFirstMs ?? 10;
    this.pollMaxMs = options.pollMaxMs ?? 250;
    this.alive = options.alive ?? procAlive;
  }

  /** flock(2): LOCK_SH / LOCK_EX / LOCK_UN, maybe with LOCK_NB. */
  async flock(ino: Ino, op: number, owner: bigint, pid: number): Promise<void> {
    const { request, wait } = flockRequest(op, owner, pid);
    return this.acquire(ino, request, wait);
  }

  /** fcntl(2) F_GETLK / F_SETLK / F_SETLKW; F_GETLK resolves to the conflicting lock (or F_UNLCK). */
  async fcntl(ino: Ino, cmd: number, l: FuseFlock, owner: bigint): Promise<FuseFlock | undefined> {
    const range = flockRange(l);
    const request: LockRequestArgs = { kind: LockKind.posix, type: typeOf(l.type), owner, start: range.start, end: range.end, pid: l.pid };
    if (cmd === F_GETLK) {
      if (request.type === LockType.unlock) throw new FsError(Errno.EINVAL, 'F_GETLK with F_UNLCK');
      return toFuseFlock(await this.client.testLock(ino, request), l);
    }
    if (cmd !== F_SETLK && cmd !== F_SETLKW) throw new FsError(Errno.EINVAL, `lock: unknown command ${cmd}`);
    await this.acquire(ino, request, cmd === F_SETLKW && request.type !== LockType.unlock);
    return undefined;
  }

  private async acquire(ino: Ino, request: LockRequestArgs, wait: boolean): Promise<void> {
    try {
      return await this.client.lock(ino, request);
    } catch (err) {
      if (!wait || !(err instanceof FsError) || err.errno !== Errno.EAGAIN) throw err;
    }
    if (this.waiting >= this.waitersMax) throw new FsError(Errno.ENOLCK, `lock: more than ${this.waitersMax} blocked lock requests on this mount`);
    this.waiting++;
    try {
      let pauseMs = this.pollFirstMs;
      for (;;) {
        await new Promise((r) => setTimeout(r, pauseMs));
        pauseMs = Math.min(this.pollMaxMs, pauseMs * 2);
        if (!(await this.alive(request.pid))) throw new FsError(Errno.EINTR, `lock: process ${request.pid} went away while waiting`);
        try {
          await this.client.lock(ino, request);
        } catch (err) {
          if (err instanceof FsError && err.errno === Errno.EAGAIN) continue;
          throw err;
        }
        // Granted; if the waiter died meanwhile, nobody would ever release it.
        if (await this.alive(request.pid)) return;
        await this.client.lock(ino, { ...request, type: LockType.unlock }).catch(() => undefined);
        throw new FsError(Errno.EINTR, `lock: process ${request.pid} went away while waiting`);
      }
    } finally {
      this.waiting--;
    }
  }
}

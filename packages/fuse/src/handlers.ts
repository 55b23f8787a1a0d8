// The FUSE operations object handed to the binding (@cocalc/fuse-native, the libfuse 2 high-level,
// path-based API), built by a factory from a CairnClient. It only translates: path -> inode
// through the client's path cache, file handle -> the client's open file, and results into the
// binding's callback shapes. This is the one place that turns an errno into `cb(-errno)`.
//
// Binding facts this relies on (read from its index.js and fuse-native.c, as patched by
// patches/@cocalc__fuse-native@2.4.3.patch): every operation gets the caller's FuseContext after
// its callback; read/write report their byte count as the callback's first argument; file handle 0
// means "none", so handles start at 1; `create` gets no open flags; `utimens` gets each time as
// 'now', 'omit' or { sec, nsec }; stats cross as doubles (64-bit st_ino, times with nanoseconds);
// the buffers of read/write are valid until the callback.
//
// Ownership of new inodes and the chown/chmod/utimens rules follow the caller (credentials.ts);
// the other mode-bit checks are the kernel's (`default_permissions`). Without a context (a caller
// that is not the patched binding) the handlers act as root and new inodes get the client's owner.
import { constants as fsConstants } from 'node:fs';
import { basename } from 'node:path';
import { Errno, FsError, toErrno } from '@cairn/errors';
import type { Attr, AttrChanges, CairnClient } from '@cairn/client';
import { parentAndName } from '@cairn/client';
import type { Ino } from '@cairn/meta';
import {
  type FuseContext,
  type GroupReader,
  chmodMode,
  chownChanges,
  modeAfterWrite,
  newInodeOwner,
  permits,
  procGroups,
  utimensAllowed,
} from './credentials.js';
import { type FuseFlock, LOCK_UN, MountLocks } from './locks.js';

/** The part of the client the handlers use; tests pass a fake. */
export type Vfs = Pick<
  CairnClient,
  | 'resolve'
  | 'setattr'
  | 'readdir'
  | 'mkdir'
  | 'create'
  | 'mknod'
  | 'symlink'
  | 'readlink'
  | 'link'
  | 'unlink'
  | 'rmdir'
  | 'rename'
  | 'statfs'
  | 'open'
  | 'readInto'
  | 'write'
  | 'flush'
  | 'fsync'
  | 'release'
  | 'setxattr'
  | 'getxattr'
  | 'listxattr'
  | 'removexattr'
  | 'lock'
  | 'testLock'
  | 'fstat'
  | 'inodeOf'
  | 'getattr'
>;

/** The name libfuse 2 gives an open file it hides instead of unlinking (fuse.c hidden_name). */
const hiddenName = /\/\.fuse_hidden[0-9a-f]{16}$/;

export interface FuseStatTime {
  sec: number;
  nsec: number;
}

export interface FuseStat {
  mode: number;
  uid: number;
  gid: number;
  size: number;
  dev: number;
  nlink: number;
  ino: number;
  rdev: number;
  blksize: number;
  blocks: number;
  /** Seconds and nanoseconds (the patched binding also takes milliseconds as a number). */
  atime: FuseStatTime;
  mtime: FuseStatTime;
  ctime: FuseStatTime;
}

export interface FuseStatFs {
  bsize: number;
  frsize: number;
  blocks: number;
  bfree: number;
  bavail: number;
  files: number;
  ffree: number;
  favail: number;
  fsid: number;
  flag: number;
  namemax: number;
}

type Done = (err: number) => void;
type Ctx = FuseContext | undefined;

/** A utimens time from the patched binding: UTIME_NOW, UTIME_OMIT, or seconds and nanoseconds. */
export type FuseTime = 'now' | 'omit' | { sec: number; nsec: number };

export interface FuseOps {
  init(cb: Done): void;
  access(path: string, mode: number, cb: Done, ctx?: Ctx): void;
  statfs(path: string, cb: (err: number, st?: FuseStatFs) => void, ctx?: Ctx): void;
  getattr(path: string, cb: (err: number, st?: FuseStat) => void, ctx?: Ctx): void;
  fgetattr(path: string, fd: number, cb: (err: number, st?: FuseStat) => void, ctx?: Ctx): void;
  readdir(path: string, cb: (err: number, names?: string[]) => void, ctx?: Ctx): void;
  open(path: string, flags: number, cb: (err: number, fd?: number) => void, ctx?: Ctx): void;
  create(path: string, mode: number, cb: (err: number, fd?: number) => void, ctx?: Ctx): void;
  read(path: string, fd: number, buf: Buffer, len: number, pos: number, cb: (result: number) => void, ctx?: Ctx): void;
  write(path: string, fd: number, buf: Buffer, len: number, pos: number, cb: (result: number) => void, ctx?: Ctx): void;
  flush(path: string, fd: number, cb: Done, ctx?: Ctx): void;
  fsync(path: string, datasync: boolean, fd: number, cb: Done, ctx?: Ctx): void;
  fsyncdir(path: string, datasync: boolean, fd: number, cb: Done, ctx?: Ctx): void;
  release(path: string, fd: number, cb: Done, ctx?: Ctx): void;
  truncate(path: string, size: number, cb: Done, ctx?: Ctx): void;
  ftruncate(path: string, fd: number, size: number, cb: Done, ctx?: Ctx): void;
  chmod(path: string, mode: number, cb: Done, ctx?: Ctx): void;
  chown(path: string, uid: number, gid: number, cb: Done, ctx?: Ctx): void;
  utimens(path: string, atime: FuseTime, mtime: FuseTime, cb: Done, ctx?: Ctx): void;
  mknod(path: string, mode: number, dev: number, cb: Done, ctx?: Ctx): void;
  mkdir(path: string, mode: number, cb: Done, ctx?: Ctx): void;
  rmdir(path: string, cb: Done, ctx?: Ctx): void;
  unlink(path: string, cb: Done, ctx?: Ctx): void;
  rename(source: string, target: string, cb: Done, ctx?: Ctx): void;
  link(existing: string, created: string, cb: Done, ctx?: Ctx): void;
  symlink(target: string, created: string, cb: Done, ctx?: Ctx): void;
  readlink(path: string, cb: (err: number, target?: string) => void, ctx?: Ctx): void;
  setxattr(path: string, name: string, value: Buffer, position: number, flags: number, cb: Done, ctx?: Ctx): void;
  getxattr(path: string, name: string, position: number, cb: (err: number, value?: Buffer) => void, ctx?: Ctx): void;
  listxattr(path: string, cb: (err: number, names?: string[]) => void, ctx?: Ctx): void;
  removexattr(path: string, name: string, cb: Done, ctx?: Ctx): void;
  flock(path: string, fd: number, op: number, owner: bigint, cb: Done, ctx?: Ctx): void;
  lock(path: string, fd: number, cmd: number, lock: FuseFlock & { owner: bigint }, cb: (err: number, lock?: FuseFlock) => void, ctx?: Ctx): void;
}

export interface HandlerOptions {
  /** Lock waiting and translation; default: a MountLocks over the client with its defaults. */
  locks?: MountLocks;
  /** Reads a caller's supplementary groups (default: /proc/<pid>/status). */
  groups?: GroupReader;
}

/** st_blksize: the I/O size programs such as cp use for their buffers; one FUSE write's worth. */
export const ioBlockBytes = 128 * 1024;

export function toFuseStat(a: Attr): FuseStat {
  return {
    mode: a.mode,
    uid: a.uid,
    gid: a.gid,
    size: a.size,
    dev: 0,
    nlink: a.nlink,
    ino: a.ino,
    rdev: a.rdev,
    blksize: ioBlockBytes,
    // st_blocks counts 512-byte units of allocated space; Cairn allocates what was written, so the
    // size rounded up is the honest figure (holes are not tracked per file yet).
    blocks: Math.ceil(a.size / 512),
    atime: toFuseTime(a.atimeMs, a.atimeNs),
    mtime: toFuseTime(a.mtimeMs, a.mtimeNs),
    ctime: toFuseTime(a.ctimeMs, 0),
  };
}

/**
 * statvfs counts. The patched binding carries 64-bit counts, but 32-bit programs calling statfs()
 * still get EOVERFLOW above 2^32 blocks, so the fragment size grows until the counts fit anyway.
 */
export function toFuseStatFs(s: { totalBytes: number; usedBytes: number; availBytes: number; files: number }): FuseStatFs {
  const limit = 2 ** 32 - 1;
  let frsize = 4096;
  while (Math.floor(s.totalBytes / frsize) > limit || Math.floor(s.availBytes / frsize) > limit) frsize *= 2;
  const files = Math.min(limit, s.files + 1_000_000_000);
  return {
    bsize: frsize,
    frsize,
    blocks: Math.floor(s.totalBytes / frsize),
    bfree: Math.floor(s.availBytes / frsize),
    bavail: Math.floor(s.availBytes / frsize),
    files,
    ffree: files - Math.min(files, s.files),
    favail: files - Math.min(files, s.files),
    fsid: 0xca1e,
    flag: 0,
    namemax: 255,
  };
}

/** chown(2) passes -1 (as an unsigned 32-bit value) for "leave unchanged". */
const unchangedId = 0xffffffff;

/** A utimens time as the client keeps it: whole milliseconds and the nanoseconds within. */
export function fuseTimeToMs(t: { sec: number; nsec: number }): { ms: number; ns: number } {
  return { ms: t.sec * 1000 + Math.floor(t.nsec / 1e6), ns: t.nsec % 1e6 };
}

/** A stat time for the binding: seconds and nanoseconds. */
export function toFuseTime(ms: number, ns: number): { sec: number; nsec: number } {
  const sec = Math.floor(ms / 1000);
  // Times written before nanoseconds were kept may be fractional milliseconds.
  return { sec, nsec: Math.min(999_999_999, Math.round((ms - sec * 1000) * 1e6) + ns) };
}

/** The setattr changes of one utimens call: 'omit' leaves a time alone (touch -a / touch -m). */
export function utimensChanges(atime: FuseTime, mtime: FuseTime): AttrChanges {
  const changes: AttrChanges = {};
  if (atime === 'now') changes.atimeNow = true;
  else if (atime !== 'omit') ({ ms: changes.atimeMs, ns: changes.atimeNs } = fuseTimeToMs(atime));
  if (mtime === 'now') changes.mtimeNow = true;
  else if (mtime !== 'omit') ({ ms: changes.mtimeMs, ns: changes.mtimeNs } = fuseTimeToMs(mtime));
  return changes;
}

function refuse(errno: Errno, why: string): never {
  throw new FsError(errno, why);
}

export function makeHandlers(client: Vfs, options: HandlerOptions = {}): FuseOps {
  const groups = options.groups ?? procGroups;
  /** Completes `cb` with 0 and the value's mapped result, or with -errno. */
  function run<T>(p: Promise<T>, ok: (v: T) => void, fail: (errno: number) => void): void {
    p.then(ok, (err: unknown) => fail(-toErrno(err)));
  }
  const plain = (p: Promise<unknown>, cb: Done) => run(p, () => cb(0), cb);
  // libfuse 2 hides a file unlinked (or renamed over) while open by renaming it to
  // `.fuse_hidden<16 hex>`, and unlinks that name at the last close. Cairn keeps unlinked open
  // inodes itself (the client holds them until release), so that rename becomes the unlink, and
  // the hidden name lives only here: not in readdir, not blocking rmdir of its directory, not
  // seen by other clients — as on a local file system. Keyed by the name alone (libfuse makes it
  // unique in the mount), so that renaming the directory it was in does not lose it.
  const hidden = new Map<string, Ino>();
  const resolve = (path: string): Promise<Attr> => {
    const h = hiddenName.test(path) ? hidden.get(basename(path)) : undefined;
    return h !== undefined ? client.getattr(h) : client.resolve(path);
  };
  const ino = async (path: string) => (await resolve(path)).ino;
  const parentOf = async (path: string) => {
    const { parent, name } = parentAndName(path);
    return { parent: await ino(parent), name };
  };
  /** The parent's attributes and the owner and mode a new entry gets from the caller. */
  const creation = async (path: string, mode: number, ctx: Ctx) => {
    const { parent, name } = parentAndName(path);
    const dir = await client.resolve(parent);
    if (!ctx) return { parent: dir.ino, name, mode, owner: undefined };
    const o = await newInodeOwner(ctx, dir, mode, groups);
    return { parent: dir.ino, name, mode: o.mode, owner: o.owner };
  };
  const locks = options.locks ?? new MountLocks(client);
  /** flocks taken through each file handle: released with it (the kernel's flock_release). */
  const flocksByFh = new Map<number, { ino: Ino; owner: bigint }[]>();

  const ops: FuseOps = {
    init(cb) {
      cb(0);
    },
    access(path, mode, cb, ctx) {
      run(
        (async () => {
          const a = await resolve(path);
          if (ctx && !(await permits(ctx, a, mode, groups))) refuse(Errno.EACCES, `access ${path}`);
        })(),
        () => cb(0),
        cb,
      );
    },
    statfs(_path, cb) {
      run(client.statfs(), (s) => cb(0, toFuseStatFs(s)), cb);
    },
    getattr(path, cb) {
      run(resolve(path), (a) => cb(0, toFuseStat(a)), cb);
    },
    fgetattr(path, fd, cb) {
      run(fd > 0 ? client.fstat(fd) : resolve(path), (a) => cb(0, toFuseStat(a)), cb);
    },
    readdir(path, cb) {
      run(
        (async () => client.readdir(await ino(path), { plus: true }))(),
        (entries) => cb(0, ['.', '..', ...entries.map((e) => e.name)]),
        cb,
      );
    },
    open(path, flags, cb) {
      run((async () => client.open(await ino(path), flags))(), (fh) => cb(0, fh), cb);
    },
    create(path, mode, cb, ctx) {
      // The kernel looked the name up before asking to create it, so O_EXCL is right: a name that
      // appeared in between (another client) is EEXIST rather than silently shared.
      const flags = fsConstants.O_RDWR | fsConstants.O_CREAT | fsConstants.O_EXCL;
      run(
        (async () => {
          const c = await creation(path, mode, ctx);
          return (await client.create(c.parent, c.name, c.mode, flags, c.owner)).fh;
        })(),
        (fh) => cb(0, fh),
        cb,
      );
    },
    read(_path, fd, buf, len, pos, cb) {
      run(client.readInto(fd, len === buf.length ? buf : buf.subarray(0, len), pos), (n) => cb(n), cb);
    },
    write(_path, fd, buf, len, pos, cb, ctx) {
      const data = len === buf.length ? buf : buf.subarray(0, len);
      if (!ctx || ctx.uid === 0) return run(client.write(fd, pos, data), (n) => cb(n), cb);
      run(
        (async () => {
          const n = await client.write(fd, pos, data);
          const attr = await client.fstat(fd);
          const mode = await modeAfterWrite(ctx, attr, groups);
          if (mode !== undefined) await client.setattr(attr.ino, { mode });
          return n;
        })(),
        (n) => cb(n),
        cb,
      );
    },
    flush(_path, fd, cb) {
      plain(client.flush(fd), cb);
    },
    fsync(_path, _datasync, fd, cb) {
      plain(client.fsync(fd), cb);
    },
    fsyncdir(path, _datasync, _fd, cb) {
      // Directory changes are durable once their RPC returns (committed through Raft).
      plain(resolve(path), cb);
    },
    release(_path, fd, cb) {
      plain(
        (async () => {
          const held = flocksByFh.get(fd);
          if (held) {
            flocksByFh.delete(fd);
            for (const h of held) await locks.flock(h.ino, LOCK_UN, h.owner, 0).catch(() => undefined);
          }
          await client.release(fd);
        })(),
        cb,
      );
    },
    truncate(path, size, cb) {
      plain((async () => client.setattr(await ino(path), { size }))(), cb);
    },
    ftruncate(path, fd, size, cb) {
      plain((async () => client.setattr(fd > 0 ? client.inodeOf(fd) : await ino(path), { size }))(), cb);
    },
    chmod(path, mode, cb, ctx) {
      plain(
        (async () => {
          const a = await resolve(path);
          const bits = ctx ? await chmodMode(ctx, a, mode, groups) : mode & 0o7777;
          if (typeof bits !== 'number') refuse(bits.errno, `chmod ${path}: not the owner`);
          return client.setattr(a.ino, { mode: bits });
        })(),
        cb,
      );
    },
    chown(path, uid, gid, cb, ctx) {
      const u = uid !== unchangedId && uid !== -1 ? uid : undefined;
      const g = gid !== unchangedId && gid !== -1 ? gid : undefined;
      plain(
        (async () => {
          const a = await resolve(path);
          const changes = ctx ? await chownChanges(ctx, a, u, g, groups) : { ...(u !== undefined ? { uid: u } : {}), ...(g !== undefined ? { gid: g } : {}) };
          if ('errno' in changes) refuse(changes.errno, `chown ${path}: not permitted`);
          // chown(-1, -1) changes nothing but ctime, as on Linux.
          return client.setattr(a.ino, changes);
        })(),
        cb,
      );
    },
    utimens(path, atime, mtime, cb, ctx) {
      const changes = utimensChanges(atime, mtime);
      plain(
        (async () => {
          const a = await resolve(path);
          if (ctx) {
            const explicit = changes.atimeMs !== undefined || changes.mtimeMs !== undefined;
            const errno = await utimensAllowed(ctx, a, explicit, groups);
            if (errno !== undefined) refuse(errno, `utimens ${path}: not permitted`);
          }
          if (Object.keys(changes).length === 0) return a;
          return client.setattr(a.ino, changes);
        })(),
        cb,
      );
    },
    mknod(path, mode, dev, cb, ctx) {
      plain((async () => {
        const c = await creation(path, mode, ctx);
        return client.mknod(c.parent, c.name, c.mode, dev, c.owner);
      })(), cb);
    },
    mkdir(path, mode, cb, ctx) {
      // The kernel sends mkdir's mode without the type bits; the owner rules need them.
      plain((async () => {
        const c = await creation(path, 0o040000 | (mode & 0o7777), ctx);
        return client.mkdir(c.parent, c.name, c.mode & 0o7777, c.owner);
      })(), cb);
    },
    rmdir(path, cb) {
      plain((async () => {
        const { parent, name } = await parentOf(path);
        return client.rmdir(parent, name);
      })(), cb);
    },
    unlink(path, cb) {
      plain((async () => {
        if (hiddenName.test(path) && hidden.delete(basename(path))) return;
        const { parent, name } = await parentOf(path);
        return client.unlink(parent, name);
      })(), cb);
    },
    rename(source, target, cb) {
      plain((async () => {
        if (hiddenName.test(target)) {
          const moved = await ino(source);
          const s = await parentOf(source);
          await client.unlink(s.parent, s.name);
          hidden.set(basename(target), moved);
          return;
        }
        const s = await parentOf(source);
        const t = await parentOf(target);
        return client.rename(s.parent, s.name, t.parent, t.name, 0);
      })(), cb);
    },
    link(existing, created, cb) {
      plain((async () => {
        const target = await ino(existing);
        const { parent, name } = await parentOf(created);
        return client.link(target, parent, name);
      })(), cb);
    },
    symlink(target, created, cb, ctx) {
      plain((async () => {
        const c = await creation(created, 0o120777, ctx);
        return client.symlink(c.parent, c.name, target, c.owner);
      })(), cb);
    },
    readlink(path, cb) {
      run((async () => client.readlink(await ino(path)))(), (t) => cb(0, t), cb);
    },
    // Extended attributes: the kernel has checked the namespace rules and, with
    // default_permissions, the caller's access to user.* names.
    setxattr(path, name, value, _position, flags, cb) {
      // The binding's buffer is only valid until the callback: the client copies it into the RPC.
      plain((async () => client.setxattr(await ino(path), name, Buffer.from(value), flags))(), cb);
    },
    getxattr(path, name, _position, cb) {
      run((async () => client.getxattr(await ino(path), name))(), (v) => cb(0, v), cb);
    },
    listxattr(path, cb) {
      run((async () => client.listxattr(await ino(path)))(), (names) => cb(0, names), cb);
    },
    removexattr(path, name, cb) {
      plain((async () => client.removexattr(await ino(path), name))(), cb);
    },
    flock(path, fd, op, owner, cb, ctx) {
      plain(
        (async () => {
          const target = fd > 0 ? client.inodeOf(fd) : await ino(path);
          await locks.flock(target, op, owner, ctx?.pid ?? 0);
          const held = flocksByFh.get(fd) ?? [];
          if ((op & LOCK_UN) !== 0) {
            const rest = held.filter((h) => !(h.ino === target && h.owner === owner));
            if (rest.length > 0) flocksByFh.set(fd, rest);
            else flocksByFh.delete(fd);
          } else if (!held.some((h) => h.ino === target && h.owner === owner)) {
            flocksByFh.set(fd, [...held, { ino: target, owner }]);
          }
        })(),
        cb,
      );
    },
    lock(path, fd, cmd, lock, cb, ctx) {
      const asked: FuseFlock = { type: lock.type, whence: lock.whence, start: lock.start, len: lock.len, pid: lock.pid || ctx?.pid || 0 };
      run(
        (async () => locks.fcntl(fd > 0 ? client.inodeOf(fd) : await ino(path), cmd, asked, lock.owner))(),
        (answer) => (answer ? cb(0, answer) : cb(0)),
        cb,
      );
    },
  };
  return ops;
}

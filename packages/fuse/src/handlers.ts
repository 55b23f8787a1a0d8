// The FUSE operations object handed to the binding (@cocalc/fuse-native, the libfuse 2 high-level,
// path-based API), built by a factory from a CairnClient. It only translates: path -> inode
// through the client's path cache, file handle -> the client's open file, and results into the
// binding's callback shapes. This is the one place that turns an errno into `cb(-errno)`.
//
// Binding facts this relies on (read from its index.js and fuse-native.c): read/write report their
// byte count as the callback's first argument; file handle 0 means "none", so handles start at 1;
// `create` gets no open flags; `utimens` receives the atime in both slots; stats are marshalled as
// 32-bit fields (inode numbers wrap); the buffers of read/write are valid until the callback.
import { constants as fsConstants } from 'node:fs';
import { toErrno } from '@cairn/errors';
import type { Attr, CairnClient } from '@cairn/client';
import { parentAndName } from '@cairn/client';

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
>;

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
  /** Milliseconds since the epoch (the binding accepts numbers as well as Dates). */
  atime: number;
  mtime: number;
  ctime: number;
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

export interface FuseOps {
  init(cb: Done): void;
  access(path: string, mode: number, cb: Done): void;
  statfs(path: string, cb: (err: number, st?: FuseStatFs) => void): void;
  getattr(path: string, cb: (err: number, st?: FuseStat) => void): void;
  fgetattr(path: string, fd: number, cb: (err: number, st?: FuseStat) => void): void;
  readdir(path: string, cb: (err: number, names?: string[]) => void): void;
  open(path: string, flags: number, cb: (err: number, fd?: number) => void): void;
  create(path: string, mode: number, cb: (err: number, fd?: number) => void): void;
  read(path: string, fd: number, buf: Buffer, len: number, pos: number, cb: (result: number) => void): void;
  write(path: string, fd: number, buf: Buffer, len: number, pos: number, cb: (result: number) => void): void;
  flush(path: string, fd: number, cb: Done): void;
  fsync(path: string, datasync: boolean, fd: number, cb: Done): void;
  fsyncdir(path: string, datasync: boolean, fd: number, cb: Done): void;
  release(path: string, fd: number, cb: Done): void;
  truncate(path: string, size: number, cb: Done): void;
  ftruncate(path: string, fd: number, size: number, cb: Done): void;
  chmod(path: string, mode: number, cb: Done): void;
  chown(path: string, uid: number, gid: number, cb: Done): void;
  utimens(path: string, atime: number, mtime: number, cb: Done): void;
  mknod(path: string, mode: number, dev: number, cb: Done): void;
  mkdir(path: string, mode: number, cb: Done): void;
  rmdir(path: string, cb: Done): void;
  unlink(path: string, cb: Done): void;
  rename(source: string, target: string, cb: Done): void;
  link(existing: string, created: string, cb: Done): void;
  symlink(target: string, created: string, cb: Done): void;
  readlink(path: string, cb: (err: number, target?: string) => void): void;
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
    blocks: Math.ceil(a.size / 512),
    atime: a.atimeMs,
    mtime: a.mtimeMs,
    ctime: a.ctimeMs,
  };
}

/** statvfs with 32-bit counts: the fragment size grows until the byte counts fit. */
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

/** The binding gives utimens the atime in both slots; UTIME_NOW/OMIT arrive as tiny values. */
const utimeNowBelowMs = 24 * 3600 * 1000;
/** chown(2) passes -1 (as an unsigned 32-bit value) for "leave unchanged". */
const unchangedId = 0xffffffff;

export function makeHandlers(client: Vfs): FuseOps {
  /** Completes `cb` with 0 and the value's mapped result, or with -errno. */
  function run<T>(p: Promise<T>, ok: (v: T) => void, fail: (errno: number) => void): void {
    p.then(ok, (err: unknown) => fail(-toErrno(err)));
  }
  const plain = (p: Promise<unknown>, cb: Done) => run(p, () => cb(0), cb);
  const ino = async (path: string) => (await client.resolve(path)).ino;
  const parentOf = async (path: string) => {
    const { parent, name } = parentAndName(path);
    return { parent: await ino(parent), name };
  };

  return {
    init(cb) {
      cb(0);
    },
    access(path, _mode, cb) {
      // No caller credentials reach us through this binding: existence is all we can check.
      plain(client.resolve(path), cb);
    },
    statfs(_path, cb) {
      run(client.statfs(), (s) => cb(0, toFuseStatFs(s)), cb);
    },
    getattr(path, cb) {
      run(client.resolve(path), (a) => cb(0, toFuseStat(a)), cb);
    },
    fgetattr(path, _fd, cb) {
      run(client.resolve(path), (a) => cb(0, toFuseStat(a)), cb);
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
    create(path, mode, cb) {
      // The kernel looked the name up before asking to create it, so O_EXCL is right: a name that
      // appeared in between (another client) is EEXIST rather than silently shared.
      const flags = fsConstants.O_RDWR | fsConstants.O_CREAT | fsConstants.O_EXCL;
      run(
        (async () => {
          const { parent, name } = await parentOf(path);
          return (await client.create(parent, name, mode, flags)).fh;
        })(),
        (fh) => cb(0, fh),
        cb,
      );
    },
    read(_path, fd, buf, len, pos, cb) {
      run(client.readInto(fd, len === buf.length ? buf : buf.subarray(0, len), pos), (n) => cb(n), cb);
    },
    write(_path, fd, buf, len, pos, cb) {
      run(client.write(fd, pos, len === buf.length ? buf : buf.subarray(0, len)), (n) => cb(n), cb);
    },
    flush(_path, fd, cb) {
      plain(client.flush(fd), cb);
    },
    fsync(_path, _datasync, fd, cb) {
      plain(client.fsync(fd), cb);
    },
    fsyncdir(path, _datasync, _fd, cb) {
      // Directory changes are durable once their RPC returns (committed through Raft).
      plain(client.resolve(path), cb);
    },
    release(_path, fd, cb) {
      plain(client.release(fd), cb);
    },
    truncate(path, size, cb) {
      plain((async () => client.setattr(await ino(path), { size }))(), cb);
    },
    ftruncate(path, _fd, size, cb) {
      plain((async () => client.setattr(await ino(path), { size }))(), cb);
    },
    chmod(path, mode, cb) {
      plain((async () => client.setattr(await ino(path), { mode: mode & 0o7777 }))(), cb);
    },
    chown(path, uid, gid, cb) {
      const changes: { uid?: number; gid?: number } = {};
      if (uid !== unchangedId && uid !== -1) changes.uid = uid;
      if (gid !== unchangedId && gid !== -1) changes.gid = gid;
      plain((async () => client.setattr(await ino(path), changes))(), cb);
    },
    utimens(path, atime, _mtime, cb) {
      const now = atime < utimeNowBelowMs;
      const changes = now ? { atimeNow: true, mtimeNow: true } : { atimeMs: atime, mtimeMs: atime };
      plain((async () => client.setattr(await ino(path), changes))(), cb);
    },
    mknod(path, mode, dev, cb) {
      plain((async () => {
        const { parent, name } = await parentOf(path);
        return client.mknod(parent, name, mode, dev);
      })(), cb);
    },
    mkdir(path, mode, cb) {
      plain((async () => {
        const { parent, name } = await parentOf(path);
        return client.mkdir(parent, name, mode);
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
        const { parent, name } = await parentOf(path);
        return client.unlink(parent, name);
      })(), cb);
    },
    rename(source, target, cb) {
      plain((async () => {
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
    symlink(target, created, cb) {
      plain((async () => {
        const { parent, name } = await parentOf(created);
        return client.symlink(parent, name, target);
      })(), cb);
    },
    readlink(path, cb) {
      run((async () => client.readlink(await ino(path)))(), (t) => cb(0, t), cb);
    },
  };
}

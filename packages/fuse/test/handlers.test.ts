// Tests the FUSE operations object by calling it directly against a fake client (no mount): errnos
// become cb(-errno), read/write report byte counts, readdir adds `.` and `..`, paths reach the
// right inode calls, statfs fits 32-bit fields, utimens keeps 'omit' times, chown with -1 is
// handled, and the caller context (patched binding) decides owners and chown/chmod/utimens rights.
// Also the mount option string and mountinfo parsing.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Errno, FsError } from '@cairn/errors';
import { type Attr, lockWire } from '@cairn/client';
import { type FileLock, type Ino, type SessionId, LockType, applyLockRequest, conflictingLock, lockEndMax } from '@cairn/meta';
import { makeHandlers, toFuseStatFs, type Vfs } from '../src/handlers.js';
import { parseProcGroups } from '../src/credentials.js';
import { F_GETLK, F_RDLCK, F_SETLK, F_SETLKW, F_UNLCK, F_WRLCK, LOCK_EX, LOCK_NB, LOCK_SH, LOCK_UN, type LockClient, MountLocks } from '../src/locks.js';
import { appendFuseOptions, extraFuseOptions, mountPointsOf } from '../src/mount.js';

const dirAttr = { ino: 1, mode: 0o40755, uid: 0, gid: 0, size: 0, nlink: 2, atimeMs: 1, mtimeMs: 2, ctimeMs: 3, rdev: 0, goal: 3, parent: 1 } as Attr;
const fileAttr = { ...dirAttr, ino: 5 as Ino, mode: 0o100644, size: 3, nlink: 1 } as Attr;

function fake(overrides: Partial<Record<keyof Vfs, (...args: any[]) => Promise<unknown>>> = {}) {
  const calls: string[] = [];
  const base: Record<string, (...args: any[]) => Promise<unknown>> = {
    resolve: async (p: string) => {
      calls.push(`resolve ${p}`);
      if (p === '/') return dirAttr;
      if (p === '/f' || p === '/d/f') return fileAttr;
      if (p === '/d') return { ...dirAttr, ino: 9 };
      throw new FsError(Errno.ENOENT, `no ${p}`);
    },
    readdir: async (ino: number) => (calls.push(`readdir ${ino}`), [{ name: 'a', ino: 2, mode: 0o100644 }]),
    mkdir: async (p: number, n: string, m: number) => (calls.push(`mkdir ${p} ${n} ${m.toString(8)}`), dirAttr),
    create: async (p: number, n: string, _m: number, f: number) => (calls.push(`create ${p} ${n} ${f}`), { attr: fileAttr, fh: 42 }),
    open: async (ino: number, f: number) => (calls.push(`open ${ino} ${f}`), 43),
    readInto: async (fh: number, buf: Buffer, pos: number) => (calls.push(`read ${fh} ${buf.length} ${pos}`), buf.write('hey'), 3),
    write: async (fh: number, pos: number, data: Buffer) => (calls.push(`write ${fh} ${pos} ${data.length}`), data.length),
    setattr: async (ino: number, changes: object) => (calls.push(`setattr ${ino} ${JSON.stringify(changes)}`), fileAttr),
    rename: async (...a: unknown[]) => (calls.push(`rename ${a.join(' ')}`), undefined),
    link: async (...a: unknown[]) => (calls.push(`link ${a.join(' ')}`), fileAttr),
    symlink: async (...a: unknown[]) => (calls.push(`symlink ${a.filter((x) => x !== undefined).join(" ")}`), fileAttr),
    unlink: async () => {
      throw new FsError(Errno.EACCES, 'no');
    },
    rmdir: async () => {
      throw new FsError(Errno.ENOTEMPTY, 'not empty');
    },
    statfs: async () => ({ totalBytes: 2 ** 50, usedBytes: 2 ** 40, availBytes: 2 ** 49, files: 10 }),
    flush: async () => {
      throw new FsError(Errno.ENOSPC, 'full');
    },
    release: async () => undefined,
    fsync: async () => undefined,
    readlink: async () => 'target',
    mknod: async () => fileAttr,
  };
  const client = { ...base, ...overrides } as unknown as Vfs;
  return { ops: makeHandlers(client), calls };
}

function call<T extends unknown[]>(fn: (cb: (...r: T) => void) => void): Promise<T> {
  return new Promise((resolve) => fn((...r: T) => resolve(r)));
}

const errnos = suite('errno mapping');

errnos('a thrown FsError becomes cb(-errno)', async () => {
  const { ops } = fake();
  assert.equal(await call((cb) => ops.getattr('/missing', cb)), [-Errno.ENOENT]);
  assert.equal(await call((cb) => ops.unlink('/f', cb)), [-Errno.EACCES]);
  assert.equal(await call((cb) => ops.rmdir('/d', cb)), [-Errno.ENOTEMPTY]);
  assert.equal(await call((cb) => ops.flush('/f', 3, cb)), [-Errno.ENOSPC]);
});

errnos('anything else becomes EIO', async () => {
  const { ops } = fake({ statfs: async () => Promise.reject(new Error('boom')) });
  assert.equal(await call((cb) => ops.statfs('/', cb)), [-Errno.EIO]);
});

errnos('a bad name in a path is refused before the client is asked', async () => {
  const { ops, calls } = fake();
  assert.equal(await call((cb) => ops.mkdir(`/${'x'.repeat(256)}`, 0o755, cb)), [-Errno.ENAMETOOLONG]);
  assert.equal(calls, []);
});

const shapes = suite('callback shapes');

shapes('getattr passes a stat with sizes, and times as seconds and nanoseconds', async () => {
  const { ops } = fake({ resolve: async () => ({ ...fileAttr, atimeMs: 1_700_000_000_123, atimeNs: 456_789, mtimeMs: 2, mtimeNs: 0, ctimeMs: 1_500.25 }) });
  const [err, st] = await call<[number, any]>((cb) => ops.getattr('/f', cb));
  assert.is(err, 0);
  assert.is(st.size, 3);
  assert.is(st.mode, 0o100644);
  assert.equal(st.atime, { sec: 1_700_000_000, nsec: 123_456_789 });
  assert.equal(st.mtime, { sec: 0, nsec: 2_000_000 });
  assert.equal(st.ctime, { sec: 1, nsec: 500_250_000 }, 'fractional milliseconds of older records still convert');
  assert.is(st.blocks, 1);
});

shapes('readdir lists . and .. first', async () => {
  const { ops, calls } = fake();
  assert.equal(await call((cb) => ops.readdir('/d', cb)), [0, ['.', '..', 'a']]);
  assert.equal(calls, ['resolve /d', 'readdir 9']);
});

shapes('read and write report their byte counts as the first argument', async () => {
  const { ops, calls } = fake();
  const buf = Buffer.alloc(8);
  assert.equal(await call((cb) => ops.read('/f', 7, buf, 8, 100, cb)), [3]);
  assert.is(buf.subarray(0, 3).toString(), 'hey');
  assert.equal(await call((cb) => ops.write('/f', 7, Buffer.alloc(16), 16, 5, cb)), [16]);
  assert.equal(calls, ['read 7 8 100', 'write 7 5 16']);
});

shapes('create resolves the parent and passes O_EXCL; open returns the handle', async () => {
  const { ops, calls } = fake();
  assert.equal(await call((cb) => ops.create('/d/new', 0o644, cb)), [0, 42]);
  assert.equal(await call((cb) => ops.open('/f', 0, cb)), [0, 43]);
  assert.equal(calls, ['resolve /d', 'create 9 new 194', 'resolve /f', 'open 5 0']);
});

shapes('rename, link and symlink take their paths in the binding order', async () => {
  const { ops, calls } = fake();
  assert.equal(await call((cb) => ops.rename('/f', '/d/g', cb)), [0]);
  assert.equal(await call((cb) => ops.link('/f', '/d/h', cb)), [0]);
  assert.equal(await call((cb) => ops.symlink('some/target', '/d/s', cb)), [0]);
  assert.ok(calls.includes('rename 1 f 9 g 0'));
  assert.ok(calls.includes('link 5 9 h'));
  assert.ok(calls.includes('symlink 9 s some/target'));
});

shapes('utimens: both times with nanoseconds, now, and omit (touch -a / touch -m)', async () => {
  const { ops, calls } = fake();
  await call((cb) => ops.utimens('/f', { sec: 1_700_000_000, nsec: 987_654_321 }, { sec: 1_600_000_000, nsec: 0 }, cb));
  await call((cb) => ops.utimens('/f', 'now', 'now', cb));
  await call((cb) => ops.utimens('/f', 'omit', { sec: 5, nsec: 0 }, cb));
  await call((cb) => ops.utimens('/f', 'now', 'omit', cb));
  assert.equal(calls.filter((c) => c.startsWith('setattr')), [
    'setattr 5 {"atimeMs":1700000000987,"atimeNs":654321,"mtimeMs":1600000000000,"mtimeNs":0}',
    'setattr 5 {"atimeNow":true,"mtimeNow":true}',
    'setattr 5 {"mtimeMs":5000,"mtimeNs":0}',
    'setattr 5 {"atimeNow":true}',
  ]);
});

shapes('chown with -1 leaves that id alone', async () => {
  const { ops, calls } = fake();
  await call((cb) => ops.chown('/f', 0xffffffff, 20, cb));
  assert.ok(calls.includes('setattr 5 {"gid":20}'));
});

shapes('statfs counts fit 32 bits', () => {
  const s = toFuseStatFs({ totalBytes: 2 ** 50, usedBytes: 0, availBytes: 2 ** 49, files: 10 });
  assert.ok(s.blocks <= 2 ** 32 - 1 && s.bavail <= 2 ** 32 - 1);
  assert.is(s.blocks * s.frsize, 2 ** 50);
  assert.is(s.namemax, 255);
});

const callers = suite('caller context');
const alice = { uid: 1000, gid: 1000, pid: 77, umask: 0o022 };
const root = { uid: 0, gid: 0, pid: 1, umask: 0o022 };
/** Alice's supplementary groups are 1000 and 50. */
const groupsOf = async (pid: number) => (pid === 77 ? [1000, 50] : []);

callers('new inodes belong to the caller; a setgid parent passes its group, and setgid to directories', async () => {
  const calls: string[] = [];
  const sgid = { ...dirAttr, ino: 9, mode: 0o42775, gid: 50 } as Attr;
  const client = {
    resolve: async (p: string) => (p === '/s' ? sgid : dirAttr),
    create: async (_p: number, n: string, m: number, _f: number, o: object) => (calls.push(`create ${n} ${m.toString(8)} ${JSON.stringify(o)}`), { attr: fileAttr, fh: 1 }),
    mkdir: async (_p: number, n: string, m: number, o: object) => (calls.push(`mkdir ${n} ${m.toString(8)} ${JSON.stringify(o)}`), dirAttr),
    symlink: async (_p: number, n: string, _t: string, o: object) => (calls.push(`symlink ${n} ${JSON.stringify(o)}`), fileAttr),
    mknod: async (_p: number, n: string, m: number, _d: number, o: object) => (calls.push(`mknod ${n} ${m.toString(8)} ${JSON.stringify(o)}`), fileAttr),
  } as unknown as Vfs;
  const ops = makeHandlers(client, { groups: groupsOf });
  const bob = { uid: 2000, gid: 2000, pid: 88, umask: 0 };
  await call((cb) => ops.create('/a', 0o100644, cb, alice));
  await call((cb) => ops.create('/s/b', 0o100644, cb, alice));
  await call((cb) => ops.mkdir('/s/d', 0o755, cb, alice));
  await call((cb) => ops.symlink('x', '/s/l', cb, alice));
  await call((cb) => ops.mknod('/s/e', 0o102755, 0, cb, bob));
  assert.equal(calls, [
    'create a 100644 {"uid":1000,"gid":1000}',
    'create b 100644 {"uid":1000,"gid":50}',
    'mkdir d 2755 {"uid":1000,"gid":50}',
    'symlink l {"uid":1000,"gid":50}',
    'mknod e 100755 {"uid":2000,"gid":50}',
  ]);
});

callers('chown: only root gives files away; the owner may pick one of its groups', async () => {
  const calls: string[] = [];
  const owned = { ...fileAttr, uid: 1000, gid: 1000 } as Attr;
  const client = {
    resolve: async () => owned,
    setattr: async (ino: number, c: object) => (calls.push(`setattr ${ino} ${JSON.stringify(c)}`), owned),
  } as unknown as Vfs;
  const ops = makeHandlers(client, { groups: groupsOf });
  assert.equal(await call((cb) => ops.chown('/f', 0, 0xffffffff, cb, alice)), [-Errno.EPERM]);
  assert.equal(await call((cb) => ops.chown('/f', 0xffffffff, 0, cb, alice)), [-Errno.EPERM]);
  assert.equal(await call((cb) => ops.chown('/f', 0xffffffff, 50, cb, alice)), [0]);
  assert.equal(await call((cb) => ops.chown('/f', 1000, 0xffffffff, cb, alice)), [0]);
  assert.equal(await call((cb) => ops.chown('/f', 0xffffffff, 1000, cb, { ...alice, uid: 3000 })), [-Errno.EPERM]);
  assert.equal(await call((cb) => ops.chown('/f', 7, 7, cb, root)), [0]);
  assert.equal(calls, ['setattr 5 {"gid":50}', 'setattr 5 {"uid":1000}', 'setattr 5 {"uid":7,"gid":7}']);
});

callers('chmod and utimens: owner or root; setgid dropped outside the group; touch by a writer', async () => {
  const calls: string[] = [];
  const owned = { ...fileAttr, mode: 0o100666, uid: 1000, gid: 7 } as Attr;
  const client = {
    resolve: async () => owned,
    setattr: async (ino: number, c: object) => (calls.push(`setattr ${ino} ${JSON.stringify(c)}`), owned),
  } as unknown as Vfs;
  const ops = makeHandlers(client, { groups: groupsOf });
  const bob = { uid: 2000, gid: 2000, pid: 88, umask: 0 };
  assert.equal(await call((cb) => ops.chmod('/f', 0o2755, cb, bob)), [-Errno.EPERM]);
  assert.equal(await call((cb) => ops.chmod('/f', 0o2755, cb, alice)), [0]);
  assert.equal(await call((cb) => ops.utimens('/f', { sec: 1, nsec: 0 }, 'omit', cb, bob)), [-Errno.EPERM]);
  assert.equal(await call((cb) => ops.utimens('/f', 'now', 'now', cb, bob)), [0]);
  assert.equal(calls, ['setattr 5 {"mode":493}', 'setattr 5 {"atimeNow":true,"mtimeNow":true}']);
});

callers('access checks owner, group (supplementary too) and other bits', async () => {
  const a = { ...fileAttr, mode: 0o100640, uid: 1, gid: 50 } as Attr;
  const ops = makeHandlers({ resolve: async () => a } as unknown as Vfs, { groups: groupsOf });
  assert.equal(await call((cb) => ops.access('/f', 4, cb, alice)), [0]);
  assert.equal(await call((cb) => ops.access('/f', 2, cb, alice)), [-Errno.EACCES]);
  assert.equal(await call((cb) => ops.access('/f', 4, cb, { uid: 9, gid: 9, pid: 0, umask: 0 })), [-Errno.EACCES]);
  assert.equal(await call((cb) => ops.access('/f', 6, cb, root)), [0]);
  assert.equal(await call((cb) => ops.access('/f', 1, cb, root)), [-Errno.EACCES]);
});

callers('/proc/<pid>/status Groups: lines parse', () => {
  assert.equal(parseProcGroups('Name:\tx\nGroups:\t4 24 1000 \nNgid:\t0\n'), [4, 24, 1000]);
  assert.equal(parseProcGroups('Groups:\t\n'), []);
  assert.equal(parseProcGroups(''), []);
});

const locking = suite('locks at the mount');

/** The errno a promise rejects with, or 0. */
async function errnoOf(p: Promise<unknown>): Promise<number> {
  try {
    await p;
    return 0;
  } catch (err) {
    return (err as FsError).errno;
  }
}

/** The master's side in memory: the same pure arbitration the state machine applies. */
function memoryMaster(session = 1) {
  let held: FileLock[] = [];
  const calls: string[] = [];
  const client: LockClient = {
    async lock(_ino, r) {
      calls.push(`${r.kind}/${r.type}/${r.owner}`);
      const w = lockWire(r);
      const out = applyLockRequest(held, { session: session as SessionId, owner: w.owner, kind: r.kind, type: r.type, start: w.start, end: w.end, pid: r.pid });
      held = out.locks;
      if (!out.granted) throw new FsError(Errno.EAGAIN, 'held');
    },
    async testLock(_ino, r) {
      const w = lockWire(r);
      const c = conflictingLock(held, { session: session as SessionId, owner: w.owner, kind: r.kind, type: r.type, start: w.start, end: w.end, pid: r.pid });
      return c && { type: c.type, start: c.start, end: c.end, pid: c.pid };
    },
  };
  return { client, calls, held: () => held };
}

locking('flock: LOCK_NB gives EAGAIN; a blocked request is granted once the holder unlocks; ENOLCK past the bound', async () => {
  const m = memoryMaster();
  const locks = new MountLocks(m.client, { waitersMax: 1, pollFirstMs: 1, pollMaxMs: 2, alive: async () => true });
  const f = 5 as Ino;
  await locks.flock(f, LOCK_SH, 1n, 100);
  await locks.flock(f, LOCK_SH | LOCK_NB, 2n, 101);
  assert.is(await errnoOf(locks.flock(f, LOCK_EX | LOCK_NB, 3n, 102)), Errno.EAGAIN);
  let granted = false;
  const waiter = locks.flock(f, LOCK_EX, 3n, 102).then(() => (granted = true));
  await new Promise((r) => setTimeout(r, 10));
  assert.is(await errnoOf(locks.flock(f, LOCK_EX, 4n, 103)), Errno.ENOLCK, 'one waiter allowed');
  assert.not.ok(granted);
  await locks.flock(f, LOCK_UN, 1n, 100);
  await locks.flock(f, LOCK_UN, 2n, 101);
  await waiter;
  assert.equal(m.held().map((l) => [l.owner, l.type]), [['3', LockType.write]]);
  assert.is(await errnoOf(locks.flock(f, 16, 3n, 102)), Errno.EINVAL);
});

locking('a waiter whose process died gives up with EINTR and holds nothing', async () => {
  const m = memoryMaster();
  let alive = true;
  const locks = new MountLocks(m.client, { pollFirstMs: 1, pollMaxMs: 2, alive: async (pid) => pid !== 200 || alive });
  await locks.flock(5 as Ino, LOCK_EX, 1n, 100);
  const waiter = errnoOf(locks.flock(5 as Ino, LOCK_EX, 2n, 200));
  alive = false;
  assert.is(await waiter, Errno.EINTR);
  await locks.flock(5 as Ino, LOCK_UN, 1n, 100);
  assert.equal(m.held(), []);
});

locking('fcntl: ranges from struct flock, F_GETLK reports the conflicting lock, F_SETLKW waits', async () => {
  const m = memoryMaster();
  const locks = new MountLocks(m.client, { pollFirstMs: 1, pollMaxMs: 2, alive: async () => true });
  const f = 5 as Ino;
  const fl = (type: number, start: number, len: number, pid = 7) => ({ type, whence: 0, start, len, pid });
  await locks.fcntl(f, F_SETLK, fl(F_WRLCK, 10, 10), 1n);
  assert.equal(await locks.fcntl(f, F_GETLK, fl(F_RDLCK, 0, 0, 8), 2n), { type: F_WRLCK, whence: 0, start: 10, len: 10, pid: 7 });
  assert.equal(await locks.fcntl(f, F_GETLK, fl(F_RDLCK, 20, 5, 8), 2n), { type: F_UNLCK, whence: 0, start: 20, len: 5, pid: 8 });
  assert.equal((await locks.fcntl(f, F_GETLK, fl(F_WRLCK, 0, 0), 1n))!.type, F_UNLCK, 'an owner does not conflict with itself');
  assert.is(await errnoOf(locks.fcntl(f, F_SETLK, fl(F_RDLCK, 15, 1), 2n)), Errno.EAGAIN);
  // len < 0 locks the bytes before start: [5, 9], free.
  await locks.fcntl(f, F_SETLK, fl(F_WRLCK, 10, -5), 2n);
  const waiter = locks.fcntl(f, F_SETLKW, fl(F_WRLCK, 0, 0), 2n);
  await locks.fcntl(f, F_SETLK, fl(F_UNLCK, 0, 0), 1n);
  await waiter;
  assert.equal(m.held().map((l) => [l.owner, l.start, l.end]), [['2', 0, lockEndMax]]);
  assert.is(await errnoOf(locks.fcntl(f, F_SETLK, fl(F_WRLCK, -1, 1), 2n)), Errno.EINVAL);
  assert.is(await errnoOf(locks.fcntl(f, F_SETLK, { ...fl(F_WRLCK, 0, 1), whence: 1 }, 2n)), Errno.EINVAL);
  assert.is(await errnoOf(locks.fcntl(f, 99, fl(F_WRLCK, 0, 1), 2n)), Errno.EINVAL);
});

locking("the handlers release a handle's flocks when it is released", async () => {
  const m = memoryMaster();
  const vfs = { resolve: async () => fileAttr, release: async () => undefined, inodeOf: () => fileAttr.ino, ...m.client } as unknown as Vfs;
  const ops = makeHandlers(vfs, { locks: new MountLocks(m.client, { alive: async () => true }) });
  assert.equal(await call((cb) => ops.flock('/f', 3, LOCK_EX, 10n, cb)), [0]);
  assert.equal(await call((cb) => ops.flock('/f', 4, LOCK_EX | LOCK_NB, 11n, cb)), [-Errno.EAGAIN]);
  assert.equal(await call((cb) => ops.release('/f', 3, cb)), [0]);
  assert.equal(await call((cb) => ops.flock('/f', 4, LOCK_EX | LOCK_NB, 11n, cb)), [0]);
});

locking.run();

const mount = suite('mount options');

mount('the speed options are appended to what the binding builds', () => {
  const extra = extraFuseOptions({});
  assert.ok(extra.includes('big_writes') && extra.includes('max_write=131072') && extra.includes('auto_cache'));
  assert.ok(extra.includes('attr_timeout=0') && extra.includes('entry_timeout=1'), 'attributes uncached: hard links show one nlink');
  assert.ok(extraFuseOptions({ attrTimeoutS: 1 }).includes('attr_timeout=1'));
  assert.ok(extra.includes('use_ino'), 'st_ino is the Cairn inode number');
  assert.is(appendFuseOptions('', ['a', 'b']), '-oa,b');
  assert.is(appendFuseOptions('-odebug', ['a']), '-odebug,a');
});

mount('mountinfo mount points are decoded', () => {
  const info = '36 35 98:0 / /mnt/with\\040space rw - fuse cairn rw\n37 35 0:1 / /tmp rw - tmpfs tmpfs rw\n';
  const points = mountPointsOf(info);
  assert.ok(points.has('/mnt/with space'));
  assert.ok(points.has('/tmp'));
});

errnos.run();
shapes.run();
callers.run();
mount.run();

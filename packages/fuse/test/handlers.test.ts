// Tests the FUSE operations object by calling it directly against a fake client (no mount): errnos
// become cb(-errno), read/write report byte counts, readdir adds `.` and `..`, paths reach the
// right inode calls, statfs fits the binding's 32-bit fields, and the binding's quirks (utimens
// with atime twice, chown with -1) are handled. Also the mount option string and mountinfo parsing.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Errno, FsError } from '@cairn/errors';
import type { Attr } from '@cairn/client';
import type { Ino } from '@cairn/meta';
import { makeHandlers, toFuseStatFs, type Vfs } from '../src/handlers.js';
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
    symlink: async (...a: unknown[]) => (calls.push(`symlink ${a.join(' ')}`), fileAttr),
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

shapes('getattr passes a stat with sizes and times in ms', async () => {
  const { ops } = fake();
  const [err, st] = await call<[number, any]>((cb) => ops.getattr('/f', cb));
  assert.is(err, 0);
  assert.is(st.size, 3);
  assert.is(st.mode, 0o100644);
  assert.is(st.mtime, 2);
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

shapes('utimens: a real time sets both; a tiny value (UTIME_NOW) means now', async () => {
  const { ops, calls } = fake();
  await call((cb) => ops.utimens('/f', 1_700_000_000_000, 1_700_000_000_000, cb));
  await call((cb) => ops.utimens('/f', 1073, 1073, cb));
  assert.ok(calls.includes('setattr 5 {"atimeMs":1700000000000,"mtimeMs":1700000000000}'));
  assert.ok(calls.includes('setattr 5 {"atimeNow":true,"mtimeNow":true}'));
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

const mount = suite('mount options');

mount('the speed options are appended to what the binding builds', () => {
  const extra = extraFuseOptions({});
  assert.ok(extra.includes('big_writes') && extra.includes('max_write=131072') && extra.includes('auto_cache'));
  assert.ok(extra.includes('attr_timeout=1') && extra.includes('entry_timeout=1'));
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
mount.run();

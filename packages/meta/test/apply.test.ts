// Drives the metadata state machine command by command over an in-memory KV and checks replies,
// resulting state, and that every failing command changes nothing but its recorded reply.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Errno } from '@cairn/errors';
import {
  type Command,
  type DirEntry,
  type FileLock,
  type Session,
  LockKind,
  LockType,
  SetAttrMask,
  XattrFlags,
  lockEndMax,
  type Ino,
  type Inode,
  type KvView,
  type SessionId,
  type SliceId,
  type SliceRef,
  S_IFDIR,
  S_IFLNK,
  S_IFREG,
  apply,
  chunkSizeBytes,
  keys,
  rootIno,
} from '../src/index.js';

class MemKv implements KvView {
  readonly map = new Map<string, string>();
  get(key: string): string | undefined {
    return this.map.get(key);
  }
  run(cmd: Command) {
    const result = apply(this, cmd);
    for (const op of result.ops) {
      if (op.type === 'put') this.map.set(op.key, op.value);
      else this.map.delete(op.key);
    }
    return result.reply;
  }
  json<T>(key: string): T | undefined {
    const v = this.map.get(key);
    return v === undefined ? undefined : (JSON.parse(v) as T);
  }
  /** State without the reply records, to compare before and after a failing command. */
  snapshot(): string {
    return JSON.stringify([...this.map].filter(([k]) => !k.startsWith('r/')).sort());
  }
}

let nextIno = 1;
let now = 1_000;
function fresh(): MemKv {
  const kv = new MemKv();
  nextIno = 1;
  kv.run({ op: 'reserveIds', inoUpTo: 1_000, sliceUpTo: 1_000, sessionUpTo: 10 });
  kv.run({ op: 'init', nowMs: now });
  return kv;
}
function create(kv: MemKv, parent: number, name: string, mode: number, extra: Partial<Command> = {}) {
  return kv.run({
    op: 'create',
    parent: parent as Ino,
    name,
    mode,
    uid: 0,
    gid: 0,
    rdev: 0,
    target: '',
    exclusive: true,
    ino: ++nextIno as Ino,
    nowMs: ++now,
    ...extra,
  } as Command);
}
function unchanged(kv: MemKv, cmd: Command, errno: Errno) {
  const before = kv.snapshot();
  const reply = kv.run(cmd);
  assert.is(reply.errno, errno, `expected ${Errno[errno]} got ${Errno[reply.errno]}`);
  assert.is(kv.snapshot(), before, 'a failing command changed state');
}

const namespace = suite('namespace');
namespace('mkdir, create, lookup entries and link counts', () => {
  const kv = fresh();
  const d = create(kv, 1, 'a', S_IFDIR | 0o755);
  assert.is(d.errno, Errno.OK);
  const f = create(kv, d.ino!, 'f', S_IFREG | 0o644);
  assert.is(f.errno, Errno.OK);
  const root = kv.json<Inode>(keys.inode(rootIno))!;
  assert.is(root.nlink, 3);
  assert.is(root.entries, 1);
  const a = kv.json<Inode>(keys.inode(d.ino!))!;
  assert.is(a.entries, 1);
  assert.is(a.nlink, 2);
  assert.equal(kv.json<DirEntry>(keys.entry(d.ino!, 'f')), { ino: f.ino, type: S_IFREG });
});
namespace('errors change nothing', () => {
  const kv = fresh();
  const d = create(kv, 1, 'a', S_IFDIR | 0o755);
  create(kv, d.ino!, 'f', S_IFREG | 0o644);
  const base = { op: 'create', parent: rootIno, mode: S_IFDIR | 0o755, uid: 0, gid: 0, rdev: 0, target: '', exclusive: true, nowMs: 5 } as const;
  unchanged(kv, { ...base, name: 'a', ino: 900 as Ino }, Errno.EEXIST);
  unchanged(kv, { ...base, name: 'x'.repeat(256), ino: 901 as Ino }, Errno.ENAMETOOLONG);
  unchanged(kv, { ...base, name: 'a/b', ino: 902 as Ino }, Errno.EINVAL);
  unchanged(kv, { ...base, name: 'nul\0', ino: 903 as Ino }, Errno.EINVAL);
  unchanged(kv, { ...base, parent: 77 as Ino, name: 'z', ino: 904 as Ino }, Errno.ENOENT);
  unchanged(kv, { op: 'unlink', parent: rootIno, name: 'a', directory: true, sustain: false, nowMs: 6 }, Errno.ENOTEMPTY);
  unchanged(kv, { op: 'unlink', parent: rootIno, name: 'a', directory: false, sustain: false, nowMs: 6 }, Errno.EISDIR);
  unchanged(kv, { op: 'unlink', parent: d.ino!, name: 'f', directory: true, sustain: false, nowMs: 6 }, Errno.ENOTDIR);
  unchanged(kv, { op: 'unlink', parent: rootIno, name: 'missing', directory: false, sustain: false, nowMs: 6 }, Errno.ENOENT);
  unchanged(
    kv,
    { op: 'rename', sourceParent: rootIno, sourceName: 'a', targetParent: d.ino!, targetName: 'inside', flags: 0, sustain: false, nowMs: 7 },
    Errno.EINVAL,
  );
  assert.is(create(kv, 1, 'x'.repeat(255), S_IFREG | 0o644).errno, Errno.OK);
});
namespace('rename moves directories and keeps counts exact', () => {
  const kv = fresh();
  const a = create(kv, 1, 'a', S_IFDIR | 0o755).ino!;
  const b = create(kv, 1, 'b', S_IFDIR | 0o755).ino!;
  const c = create(kv, a, 'c', S_IFDIR | 0o755).ino!;
  const r = kv.run({ op: 'rename', sourceParent: a, sourceName: 'c', targetParent: b, targetName: 'c2', flags: 0, sustain: false, nowMs: 9 });
  assert.is(r.errno, Errno.OK);
  assert.is(kv.json<Inode>(keys.inode(a))!.nlink, 2);
  assert.is(kv.json<Inode>(keys.inode(b))!.nlink, 3);
  assert.is(kv.json<Inode>(keys.inode(c))!.parent, b);
  assert.is(kv.get(keys.entry(a, 'c')), undefined);
  // Replacing an empty directory removes it.
  const e = create(kv, 1, 'e', S_IFDIR | 0o755).ino!;
  assert.is(kv.run({ op: 'rename', sourceParent: b, sourceName: 'c2', targetParent: rootIno, targetName: 'e', flags: 0, sustain: false, nowMs: 10 }).errno, Errno.OK);
  assert.is(kv.get(keys.inode(e)), undefined);
  const root = kv.json<Inode>(keys.inode(rootIno))!;
  assert.is(root.entries, 3);
  assert.is(root.nlink, 5);
});
namespace('symlink stores its target and size', () => {
  const kv = fresh();
  const s = create(kv, 1, 'l', S_IFLNK | 0o777, { target: 'dir/file' } as Partial<Command>);
  assert.is(s.errno, Errno.OK);
  assert.is(s.attr!.size, 8);
  assert.is(s.attr!.target, 'dir/file');
});
namespace.run();

const data = suite('slices');
function commit(kv: MemKv, ino: Ino, chunkIndex: number, id: number, offset: number, length: number) {
  const ref: SliceRef = { id: id as SliceId, offset, length, sliceOffset: 0, sliceSize: length };
  return kv.run({ op: 'commitSlices', ino, slices: [{ chunkIndex, ref }], size: chunkIndex * chunkSizeBytes + offset + length, mtimeMs: 50, nowMs: 51 });
}
data('commits grow the size; truncate trims and frees slices', () => {
  const kv = fresh();
  const f = create(kv, 1, 'f', S_IFREG | 0o644).ino!;
  assert.is(commit(kv, f, 0, 1, 0, 1000).attr!.size, 1000);
  assert.is(commit(kv, f, 1, 2, 0, 10).attr!.size, chunkSizeBytes + 10);
  const t = kv.run({ op: 'setattr', ino: f, mask: 8, mode: 0, uid: 0, gid: 0, size: 500, atimeMs: 0, mtimeMs: 0, nowMs: 60 });
  assert.is(t.attr!.size, 500);
  assert.equal(kv.json<SliceRef[]>(keys.chunk(f, 0))!.map((s) => s.length), [500]);
  assert.is(kv.get(keys.chunk(f, 1)), undefined);
  assert.ok(kv.get(keys.garbage(2 as SliceId)));
  assert.is(kv.get(keys.garbage(1 as SliceId)), undefined);
});
data('unlink frees every slice; commits to a removed file become garbage', () => {
  const kv = fresh();
  const f = create(kv, 1, 'f', S_IFREG | 0o644).ino!;
  commit(kv, f, 0, 3, 0, 100);
  assert.is(kv.run({ op: 'unlink', parent: rootIno, name: 'f', directory: false, sustain: false, nowMs: 70 }).errno, Errno.OK);
  assert.is(kv.get(keys.inode(f)), undefined);
  assert.ok(kv.get(keys.garbage(3 as SliceId)));
  assert.is(commit(kv, f, 0, 4, 0, 100).errno, Errno.ENOENT);
  assert.ok(kv.get(keys.garbage(4 as SliceId)));
});
data('a sustained unlinked file lives until release', () => {
  const kv = fresh();
  const sessionId = 1 as SessionId;
  kv.run({ op: 'openSession', sessionId, clientName: 't', host: 'h', pid: 1, leaseMs: 1000, nowMs: 1 });
  const f = create(kv, 1, 'f', S_IFREG | 0o644).ino!;
  commit(kv, f, 0, 5, 0, 100);
  const header = { sessionId, requestId: 1 };
  assert.is(kv.run({ op: 'unlink', header, parent: rootIno, name: 'f', directory: false, sustain: true, nowMs: 2 }).errno, Errno.OK);
  assert.is(kv.json<Inode>(keys.inode(f))!.nlink, 0);
  assert.is(kv.get(keys.entry(rootIno, 'f')), undefined);
  assert.is(kv.run({ op: 'release', header: { sessionId, requestId: 2 }, ino: f, nowMs: 3 }).errno, Errno.OK);
  assert.is(kv.get(keys.inode(f)), undefined);
  assert.ok(kv.get(keys.garbage(5 as SliceId)));
});
data.run();

const exactlyOnce = suite('exactly once');
exactlyOnce('a retried mkdir is answered from the record, not re-applied', () => {
  const kv = fresh();
  const header = { sessionId: 1 as SessionId, requestId: 42 };
  const first = create(kv, 1, 'd', S_IFDIR | 0o755, { header } as Partial<Command>);
  assert.is(first.errno, Errno.OK);
  const retry = create(kv, 1, 'd', S_IFDIR | 0o755, { header } as Partial<Command>);
  assert.is(retry.errno, Errno.OK);
  assert.is(retry.ino, first.ino);
  const other = create(kv, 1, 'd', S_IFDIR | 0o755, { header: { ...header, requestId: 43 } } as Partial<Command>);
  assert.is(other.errno, Errno.EEXIST);
});
exactlyOnce.run();

const inline = suite('inline data');
inline('small writes go inline, truncate cuts them, slices freeze them, unlink drops them', () => {
  const kv = fresh();
  const f = create(kv, 1, 'f', S_IFREG | 0o644).ino!;
  const w = (offset: number, text: string) =>
    kv.run({ op: 'writeInline', ino: f, offset, data: Buffer.from(text).toString('base64'), mtimeMs: 5, nowMs: 6 });
  assert.is(w(0, 'hello').attr!.size, 5);
  assert.is(w(10, 'world').attr!.size, 15);
  assert.is(Buffer.from(kv.json<string>(keys.inline(f))!, 'base64').toString(), 'hello\0\0\0\0\0world');
  kv.run({ op: 'setattr', ino: f, mask: 8, mode: 0, uid: 0, gid: 0, size: 3, atimeMs: 0, mtimeMs: 0, nowMs: 7 });
  assert.is(Buffer.from(kv.json<string>(keys.inline(f))!, 'base64').toString(), 'hel');
  assert.is(kv.json<Inode>(keys.inode(f))!.inlineBytes, 3);
  unchanged(kv, { op: 'writeInline', ino: f, offset: 65_536, data: 'AA==', mtimeMs: 1, nowMs: 1 }, Errno.EFBIG);
  unchanged(kv, { op: 'writeInline', ino: f, offset: 0, data: 'not base64!', mtimeMs: 1, nowMs: 1 }, Errno.EINVAL);
  commit(kv, f, 0, 9, 100, 10);
  unchanged(kv, { op: 'writeInline', ino: f, offset: 0, data: 'AA==', mtimeMs: 1, nowMs: 1 }, Errno.EFBIG);
  kv.run({ op: 'unlink', parent: rootIno, name: 'f', directory: false, sustain: false, nowMs: 8 });
  assert.is(kv.get(keys.inline(f)), undefined);
});
inline.run();

const xattrs = suite('extended attributes');
const b64 = (s: string) => Buffer.from(s).toString('base64');
xattrs('set, replace, remove, with XATTR_CREATE/XATTR_REPLACE and the size limits', () => {
  const kv = fresh();
  const f = create(kv, rootIno, 'f', S_IFREG | 0o644).ino!;
  const set = (name: string, value: string, flags = 0) =>
    ({ op: 'setxattr', ino: f, name, value: b64(value), flags, nowMs: 50 }) satisfies Command;
  assert.is(kv.run(set('user.a', 'one')).errno, Errno.OK);
  assert.is(kv.json<Inode>(keys.inode(f))!.ctimeMs, 50);
  unchanged(kv, set('user.a', 'two', XattrFlags.create), Errno.EEXIST);
  unchanged(kv, set('user.b', 'two', XattrFlags.replace), Errno.ENODATA);
  unchanged(kv, set('user.b', 'two', 4), Errno.EINVAL);
  unchanged(kv, set('', 'two'), Errno.EINVAL);
  unchanged(kv, set('user.', 'two'), Errno.EINVAL);
  unchanged(kv, set('system.posix_acl_access', 'two'), Errno.EOPNOTSUPP);
  unchanged(kv, set('other.name', 'two'), Errno.EOPNOTSUPP);
  unchanged(kv, set('user.' + 'n'.repeat(251), 'x'), Errno.ERANGE);
  unchanged(kv, set('user.big', 'v'.repeat(64 * 1024 + 1)), Errno.E2BIG);
  unchanged(kv, { ...set('user.bad', ''), value: 'not base64!' }, Errno.EINVAL);
  assert.is(kv.run(set('user.a', 'two', XattrFlags.replace)).errno, Errno.OK);
  assert.is(kv.run(set('user.empty', '')).errno, Errno.OK);
  assert.equal(kv.json<Record<string, string>>(keys.xattrs(f)), { 'user.a': b64('two'), 'user.empty': '' });
  // Four 64 KiB values fit in the per-inode total; a fifth does not.
  for (let i = 0; i < 4; i++) assert.is(kv.run(set(`user.v${i}`, 'v'.repeat(64 * 1024 - 16))).errno, Errno.OK);
  unchanged(kv, set('user.v4', 'v'.repeat(64 * 1024)), Errno.ENOSPC);
  unchanged(kv, { op: 'removexattr', ino: f, name: 'user.none', nowMs: 60 }, Errno.ENODATA);
  assert.is(kv.run({ op: 'removexattr', ino: f, name: 'user.a', nowMs: 60 }).errno, Errno.OK);
  assert.not.ok('user.a' in kv.json<Record<string, string>>(keys.xattrs(f))!);
  kv.run({ op: 'unlink', parent: rootIno, name: 'f', directory: false, sustain: false, nowMs: 70 });
  assert.is(kv.get(keys.xattrs(f)), undefined);
});
xattrs.run();

const locks = suite('advisory locks');
function lockKv() {
  const kv = fresh();
  const f = create(kv, rootIno, 'f', S_IFREG | 0o644).ino!;
  for (const sessionId of [1, 2]) {
    kv.run({ op: 'openSession', sessionId: sessionId as SessionId, clientName: 't', host: 'h', pid: 1, leaseMs: 1000, nowMs: 1 });
  }
  let requestId = 0;
  const lock = (session: number, owner: string, kind: LockKind, type: LockType, start = 0, end = lockEndMax) =>
    kv.run({ op: 'lock', header: { sessionId: session as SessionId, requestId: ++requestId }, ino: f, owner, kind, type, start, end, pid: 7 }).errno;
  return { kv, f, lock };
}
locks('POSIX ranges: shared reads, exclusive writes, split on unlock, no conflict with oneself', () => {
  const { kv, f, lock } = lockKv();
  const { posix } = LockKind;
  assert.is(lock(1, '10', posix, LockType.read, 0, 99), Errno.OK);
  assert.is(lock(2, '10', posix, LockType.read, 50, 149), Errno.OK, 'read locks share');
  assert.is(lock(2, '10', posix, LockType.write, 90, 199), Errno.EAGAIN, 'overlaps the other session');
  assert.is(lock(2, '10', posix, LockType.write, 150, 199), Errno.OK);
  assert.is(lock(1, '10', posix, LockType.write, 0, 49), Errno.OK, 'an owner converts its own range');
  assert.is(lock(1, '11', posix, LockType.read, 0, 0), Errno.EAGAIN, 'another owner of the same session conflicts');
  assert.is(lock(1, '10', posix, LockType.unlock, 20, 29), Errno.OK);
  assert.is(lock(1, '11', posix, LockType.write, 20, 29), Errno.OK, 'the hole left by the unlock is free');
  const held = kv.json<FileLock[]>(keys.locks(f))!.filter((l) => l.session === 1 && l.owner === '10');
  assert.equal(
    held.map((l) => [l.type, l.start, l.end]),
    [
      [LockType.write, 0, 19],
      [LockType.write, 30, 49],
      [LockType.read, 50, 99],
    ],
  );
  assert.is(lock(1, '10', posix, LockType.read, 0, lockEndMax + 1), Errno.EINVAL);
  assert.is(lock(1, '10', posix, LockType.read, 5, 4), Errno.EINVAL);
});
locks('flock: one lock per owner, conversion drops first, independent of POSIX locks', () => {
  const { kv, f, lock } = lockKv();
  const { flock, posix } = LockKind;
  assert.is(lock(1, '1', flock, LockType.write), Errno.OK);
  assert.is(lock(2, '1', posix, LockType.write), Errno.OK, 'flock and fcntl locks do not interact');
  assert.is(lock(2, '2', flock, LockType.read), Errno.EAGAIN);
  assert.is(lock(1, '1', flock, LockType.read), Errno.OK, 'downgrade');
  assert.is(lock(2, '2', flock, LockType.read), Errno.OK);
  assert.is(lock(1, '1', flock, LockType.write), Errno.EAGAIN);
  // The refused upgrade dropped the shared lock, as on Linux.
  assert.is(kv.json<FileLock[]>(keys.locks(f))!.filter((l) => l.kind === flock).length, 1);
  assert.is(lock(2, '2', flock, LockType.unlock), Errno.OK);
  assert.is(lock(1, '1', flock, LockType.write), Errno.OK);
});
locks("a session's end releases its locks; ESTALE without a session", () => {
  const { kv, f, lock } = lockKv();
  assert.is(lock(1, '1', LockKind.posix, LockType.write, 0, 9), Errno.OK);
  assert.is(lock(1, '2', LockKind.flock, LockType.write), Errno.OK);
  assert.equal(kv.json<Session>(keys.session(1 as SessionId))!.locked, [f]);
  assert.is(lock(2, '1', LockKind.posix, LockType.read, 5, 5), Errno.EAGAIN);
  kv.run({ op: 'expireSession', sessionId: 1 as SessionId, nowMs: 5_000 });
  assert.is(kv.get(keys.locks(f)), undefined);
  assert.is(lock(2, '1', LockKind.posix, LockType.write, 5, 5), Errno.OK);
  assert.is(lock(3, '1', LockKind.posix, LockType.write, 50, 50), Errno.ESTALE);
});
locks.run();

const times = suite('times');
times('explicit times keep nanoseconds; a clock stamp drops them; bad nanoseconds change nothing', () => {
  const kv = fresh();
  const f = create(kv, rootIno, 'f', S_IFREG | 0o644).ino!;
  const base = { op: 'setattr', ino: f, mode: 0, uid: 0, gid: 0, size: 0, nowMs: 90 } as const;
  const mask = SetAttrMask.atime | SetAttrMask.mtime;
  kv.run({ ...base, mask, atimeMs: 1_000, atimeNs: 1, mtimeMs: 2_000, mtimeNs: 999_999 });
  let i = kv.json<Inode>(keys.inode(f))!;
  assert.equal([i.atimeMs, i.atimeNs, i.mtimeMs, i.mtimeNs], [1_000, 1, 2_000, 999_999]);
  unchanged(kv, { ...base, mask, atimeMs: 1, atimeNs: 1_000_000, mtimeMs: 1 }, Errno.EINVAL);
  unchanged(kv, { ...base, mask, atimeMs: 1.5, mtimeMs: 1 }, Errno.EINVAL);
  kv.run({ op: 'writeInline', ino: f, offset: 0, data: 'AA==', mtimeMs: 3_000, nowMs: 95 });
  i = kv.json<Inode>(keys.inode(f))!;
  assert.equal([i.atimeNs, i.mtimeMs, i.mtimeNs], [1, 3_000, undefined]);
});
times.run();

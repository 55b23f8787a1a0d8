// The metadata state machine: apply(view, command) -> {ops, reply}. Pure and deterministic: it
// reads state only through the synchronous `KvView`, takes time and new ids from the command, and
// returns the writes as data for the host to put in one batch with the applied index. Every
// failure a user can cause is an errno in the reply and produces no writes.
//
// Invariants kept here:
// - a directory's `entries` is its number of entries; its nlink is 2 + its subdirectories;
// - a directory's `parent` names the one directory holding its entry;
// - a regular file's chunks past ceil(size / chunk size) hold nothing;
// - a slice id is referenced by at most one chunk; unreferenced slices are listed in `g/`.
import { Errno, assert, unreachable } from '@cairn/errors';
import { type Command, type Reply, type RequestHeader, RenameFlags, SetAttrMask, XattrFlags } from './commands.js';
import { type FileLock, LockKind, LockType, applyLockRequest, lockEndMax, withoutSession } from './locks.js';
import { keys } from './keys.js';
import {
  type Counters,
  type DirEntry,
  type GarbageSlice,
  type Ino,
  type Inode,
  type Session,
  type SliceId,
  type SliceRef,
  type Stats,
  type Xattrs,
  S_IFDIR,
  S_IFLNK,
  S_IFMT,
  S_IFREG,
  chunkSizeBytes,
  defaultGoal,
  goalMax,
  inlineBytesMax,
  fileSizeMaxBytes,
  isDir,
  isReg,
  isSymlink,
  permissionBits,
  rootIno,
  xattrNameMaxBytes,
  xattrTotalMaxBytes,
  xattrValueMaxBytes,
} from './types.js';
import { isSafeCount, isSafeId, nameErrno, symlinkTargetErrno, utf8Length } from './validate.js';
import { truncateSlices } from './visible-ranges.js';
import { base64Decode, base64Encode, base64Slice } from './base64.js';

/** Synchronous reads of the current state (LevelDB `getSync` plus the host's unwritten batch). */
export interface KvView {
  get(key: string): string | undefined;
}

export type KvOp = { type: 'put'; key: string; value: string } | { type: 'del'; key: string };

export interface ApplyResult {
  ops: KvOp[];
  reply: Reply;
}

/** Replies remembered per session for retries: a ring of this many request-id slots. */
export const replySlotsPerSession = 1024;

const emptyStats: Stats = { files: 0, directories: 0, symlinks: 0, others: 0, logicalBytes: 0 };
const emptyCounters: Counters = { inoReserved: 1, sliceReserved: 0, sessionReserved: 0 };

/** Reads and writes of one command: writes are visible to later reads of the same command. */
class Txn {
  readonly ops = new Map<string, string | undefined>();
  constructor(private readonly view: KvView) {}

  get<T>(key: string): T | undefined {
    const raw = this.ops.has(key) ? this.ops.get(key) : this.view.get(key);
    return raw === undefined ? undefined : (JSON.parse(raw) as T);
  }
  put(key: string, value: unknown): void {
    this.ops.set(key, JSON.stringify(value));
  }
  del(key: string): void {
    this.ops.set(key, undefined);
  }
  toOps(): KvOp[] {
    const out: KvOp[] = [];
    for (const [key, value] of this.ops) out.push(value === undefined ? { type: 'del', key } : { type: 'put', key, value });
    return out;
  }
}

class Failed {
  constructor(readonly errno: Errno) {}
}
function fail(errno: Errno): never {
  throw new Failed(errno);
}

export function apply(view: KvView, cmd: Command): ApplyResult {
  const header = 'header' in cmd ? cmd.header : undefined;
  if (header && header.requestId > 0) {
    const slot = readReplySlot(view, header);
    if (slot && slot.requestId === header.requestId) return { ops: [], reply: slot.reply };
  }
  const txn = new Txn(view);
  let reply: Reply;
  try {
    reply = applyCommand(txn, cmd);
  } catch (err) {
    if (!(err instanceof Failed)) throw err;
    reply = { errno: err.errno };
    // A failed command writes nothing but its recorded reply.
    txn.ops.clear();
  }
  if (header && header.requestId > 0) {
    txn.put(keys.reply(header.sessionId, header.requestId % replySlotsPerSession), { requestId: header.requestId, reply });
  }
  return { ops: txn.toOps(), reply };
}

function readReplySlot(view: KvView, header: RequestHeader): { requestId: number; reply: Reply } | undefined {
  const raw = view.get(keys.reply(header.sessionId, header.requestId % replySlotsPerSession));
  return raw === undefined ? undefined : (JSON.parse(raw) as { requestId: number; reply: Reply });
}

function applyCommand(txn: Txn, cmd: Command): Reply {
  switch (cmd.op) {
    case 'init':
      return applyInit(txn, cmd.nowMs);
    case 'create':
      return applyCreate(txn, cmd);
    case 'link':
      return applyLink(txn, cmd);
    case 'unlink':
      return applyUnlink(txn, cmd);
    case 'rename':
      return applyRename(txn, cmd);
    case 'setattr':
      return applySetAttr(txn, cmd);
    case 'commitSlices':
      return applyCommitSlices(txn, cmd);
    case 'writeInline':
      return applyWriteInline(txn, cmd);
    case 'release':
      return applyRelease(txn, cmd);
    case 'setxattr':
      return applySetXattr(txn, cmd);
    case 'removexattr':
      return applyRemoveXattr(txn, cmd);
    case 'lock':
      return applyLock(txn, cmd);
    case 'openSession':
      return applyOpenSession(txn, cmd);
    case 'renewSession': {
      const s = txn.get<Session>(keys.session(cmd.sessionId)) ?? fail(Errno.ESTALE);
      txn.put(keys.session(cmd.sessionId), { ...s, expiresMs: cmd.nowMs + cmd.leaseMs });
      return { errno: Errno.OK };
    }
    case 'closeSession':
    case 'expireSession':
      return applyEndSession(txn, cmd.sessionId, cmd.nowMs, cmd.op === 'expireSession');
    case 'reserveIds': {
      const c = counters(txn);
      txn.put(keys.counters, {
        inoReserved: Math.max(c.inoReserved, cmd.inoUpTo),
        sliceReserved: Math.max(c.sliceReserved, cmd.sliceUpTo),
        sessionReserved: Math.max(c.sessionReserved, cmd.sessionUpTo),
      });
      return { errno: Errno.OK };
    }
    case 'forgetGarbage':
      for (const id of cmd.ids) txn.del(keys.garbage(id));
      return { errno: Errno.OK };
    case 'markGarbage':
      for (const s of cmd.slices) {
        if (!isSafeId(s.id) || !isSafeCount(s.size)) fail(Errno.EINVAL);
        txn.put(keys.garbage(s.id), { id: s.id, size: s.size, sinceMs: cmd.nowMs } satisfies GarbageSlice);
      }
      return { errno: Errno.OK };
    default:
      return unreachable(cmd, 'unknown command');
  }
}

// ---- helpers ----

function counters(txn: Txn): Counters {
  return txn.get<Counters>(keys.counters) ?? emptyCounters;
}

function updateStats(txn: Txn, f: (s: Stats) => void): void {
  const s = { ...(txn.get<Stats>(keys.stats) ?? emptyStats) };
  f(s);
  txn.put(keys.stats, s);
}

function statsKind(mode: number): keyof Omit<Stats, 'logicalBytes'> {
  switch (mode & S_IFMT) {
    case S_IFREG:
      return 'files';
    case S_IFDIR:
      return 'directories';
    case S_IFLNK:
      return 'symlinks';
    default:
      return 'others';
  }
}

function getInode(txn: Txn, ino: Ino): Inode {
  if (!isSafeId(ino)) fail(Errno.EINVAL);
  return txn.get<Inode>(keys.inode(ino)) ?? fail(Errno.ENOENT);
}

function getDir(txn: Txn, ino: Ino): Inode {
  const dir = getInode(txn, ino);
  if (!isDir(dir.mode)) fail(Errno.ENOTDIR);
  return dir;
}

function checkName(name: string): void {
  const errno = nameErrno(name);
  if (errno !== Errno.OK) fail(errno);
}

/** The inode with a new mtime stamped by the leader's clock (whole milliseconds). */
function withMtime(inode: Inode, mtimeMs: number): Inode {
  const { mtimeNs: _dropped, ...rest } = inode;
  return { ...rest, mtimeMs };
}

/** Nanoseconds within a millisecond, as an explicit time may carry. */
function subMillisecondNs(ns: unknown): number {
  if (ns === undefined) return 0;
  if (!isSafeCount(ns) || ns > 999_999) fail(Errno.EINVAL);
  return ns;
}

function touchDir(dir: Inode, nowMs: number, entriesDelta: number, nlinkDelta: number): Inode {
  const next = { ...withMtime(dir, nowMs), ctimeMs: nowMs, entries: dir.entries + entriesDelta, nlink: dir.nlink + nlinkDelta };
  assert(next.entries >= 0, 'directory entry count went negative');
  assert(next.nlink >= 2, 'directory nlink below 2');
  return next;
}

/** Drops one link to `inode`; removes it and frees its data when no link or holder is left. */
function dropLink(txn: Txn, inode: Inode, sustainBy: RequestHeader | undefined, nowMs: number): void {
  if (isDir(inode.mode)) {
    assert(inode.entries === 0, 'removing a non-empty directory');
    txn.del(keys.inode(inode.ino));
    updateStats(txn, (s) => void s.directories--);
    return;
  }
  const nlink = inode.nlink - 1;
  assert(nlink >= 0, 'nlink went negative');
  if (nlink > 0) {
    txn.put(keys.inode(inode.ino), { ...inode, nlink, ctimeMs: nowMs });
    return;
  }
  if (sustainBy) {
    const session = txn.get<Session>(keys.session(sustainBy.sessionId));
    if (session) {
      // The file stays readable through the caller's open handle until it releases it.
      txn.put(keys.inode(inode.ino), { ...inode, nlink: 0, ctimeMs: nowMs });
      txn.put(keys.session(session.id), { ...session, sustained: [...(session.sustained ?? []), inode.ino] });
      return;
    }
  }
  destroyInode(txn, inode, nowMs);
}

/** Deletes an inode with no links left, and lists its slices as garbage. */
function destroyInode(txn: Txn, inode: Inode, nowMs: number): void {
  txn.del(keys.inode(inode.ino));
  if (txn.get(keys.xattrs(inode.ino))) txn.del(keys.xattrs(inode.ino));
  if (txn.get(keys.locks(inode.ino))) txn.del(keys.locks(inode.ino));
  if (inode.inlineBytes !== undefined) txn.del(keys.inline(inode.ino));
  if (isReg(inode.mode)) {
    const chunks = Math.ceil(inode.size / chunkSizeBytes);
    for (let index = 0; index < chunks; index++) {
      const slices = txn.get<SliceRef[]>(keys.chunk(inode.ino, index));
      if (!slices) continue;
      txn.del(keys.chunk(inode.ino, index));
      markGarbage(txn, uniqueSlices(slices), nowMs);
    }
  }
  updateStats(txn, (s) => {
    s[statsKind(inode.mode)]--;
    if (isReg(inode.mode)) s.logicalBytes -= inode.size;
  });
}

function uniqueSlices(slices: readonly SliceRef[]): SliceRef[] {
  const seen = new Set<SliceId>();
  return slices.filter((s) => (seen.has(s.id) ? false : (seen.add(s.id), true)));
}

function markGarbage(txn: Txn, slices: readonly SliceRef[], nowMs: number): void {
  for (const s of slices) {
    const g: GarbageSlice = { id: s.id, size: s.sliceSize, sinceMs: nowMs };
    txn.put(keys.garbage(s.id), g);
  }
}

// ---- commands ----

function applyInit(txn: Txn, nowMs: number): Reply {
  const existing = txn.get<Inode>(keys.inode(rootIno));
  if (existing) return { errno: Errno.OK, attr: existing };
  const root: Inode = {
    ino: rootIno,
    mode: S_IFDIR | 0o755,
    uid: 0,
    gid: 0,
    size: 0,
    nlink: 2,
    atimeMs: nowMs,
    mtimeMs: nowMs,
    ctimeMs: nowMs,
    rdev: 0,
    goal: defaultGoal,
    parent: rootIno,
    entries: 0,
  };
  txn.put(keys.inode(rootIno), root);
  txn.put(keys.counters, counters(txn));
  updateStats(txn, (s) => void s.directories++);
  return { errno: Errno.OK, attr: root };
}

function applyCreate(txn: Txn, cmd: Extract<Command, { op: 'create' }>): Reply {
  checkName(cmd.name);
  const type = cmd.mode & S_IFMT;
  if (type === 0) fail(Errno.EINVAL);
  if (type === S_IFLNK) {
    const errno = symlinkTargetErrno(cmd.target);
    if (errno !== Errno.OK) fail(errno);
  }
  const parent = getDir(txn, cmd.parent);
  if (parent.nlink === 0) fail(Errno.ENOENT);
  const existing = txn.get<DirEntry>(keys.entry(cmd.parent, cmd.name));
  if (existing) {
    // open(O_CREAT) without O_EXCL opens an existing regular file.
    if (cmd.exclusive || type !== S_IFREG) fail(Errno.EEXIST);
    const inode = getInode(txn, existing.ino);
    if (isDir(inode.mode)) fail(Errno.EISDIR);
    return { errno: Errno.OK, attr: inode, ino: inode.ino };
  }
  assert(isSafeId(cmd.ino) && cmd.ino <= counters(txn).inoReserved, 'create: inode number outside the reserved range');
  assert(txn.get(keys.inode(cmd.ino)) === undefined, 'create: inode number already in use');
  const inode: Inode = {
    ino: cmd.ino,
    mode: type | (cmd.mode & permissionBits),
    uid: cmd.uid,
    gid: cmd.gid,
    size: type === S_IFLNK ? utf8Length(cmd.target) : 0,
    nlink: type === S_IFDIR ? 2 : 1,
    atimeMs: cmd.nowMs,
    mtimeMs: cmd.nowMs,
    ctimeMs: cmd.nowMs,
    rdev: cmd.rdev,
    goal: parent.goal,
    parent: type === S_IFDIR ? cmd.parent : (0 as Ino),
    entries: 0,
  };
  if (type === S_IFLNK) inode.target = cmd.target;
  txn.put(keys.inode(inode.ino), inode);
  txn.put(keys.entry(cmd.parent, cmd.name), { ino: inode.ino, type } satisfies DirEntry);
  txn.put(keys.inode(parent.ino), touchDir(parent, cmd.nowMs, 1, type === S_IFDIR ? 1 : 0));
  updateStats(txn, (s) => void s[statsKind(type)]++);
  return { errno: Errno.OK, attr: inode, ino: inode.ino };
}

function applyLink(txn: Txn, cmd: Extract<Command, { op: 'link' }>): Reply {
  checkName(cmd.name);
  const inode = getInode(txn, cmd.ino);
  if (isDir(inode.mode)) fail(Errno.EPERM);
  if (inode.nlink === 0) fail(Errno.ENOENT);
  const parent = getDir(txn, cmd.parent);
  if (txn.get(keys.entry(cmd.parent, cmd.name))) fail(Errno.EEXIST);
  const next = { ...inode, nlink: inode.nlink + 1, ctimeMs: cmd.nowMs };
  txn.put(keys.inode(inode.ino), next);
  txn.put(keys.entry(cmd.parent, cmd.name), { ino: inode.ino, type: inode.mode & S_IFMT } satisfies DirEntry);
  txn.put(keys.inode(parent.ino), touchDir(parent, cmd.nowMs, 1, 0));
  return { errno: Errno.OK, attr: next, ino: inode.ino };
}

function applyUnlink(txn: Txn, cmd: Extract<Command, { op: 'unlink' }>): Reply {
  if (cmd.name === '.') fail(Errno.EINVAL);
  if (cmd.name === '..') fail(cmd.directory ? Errno.ENOTEMPTY : Errno.EISDIR);
  checkName(cmd.name);
  const parent = getDir(txn, cmd.parent);
  const entry = txn.get<DirEntry>(keys.entry(cmd.parent, cmd.name)) ?? fail(Errno.ENOENT);
  const inode = getInode(txn, entry.ino);
  if (cmd.directory) {
    if (!isDir(inode.mode)) fail(Errno.ENOTDIR);
    if (inode.entries > 0) fail(Errno.ENOTEMPTY);
  } else if (isDir(inode.mode)) {
    fail(Errno.EISDIR);
  }
  txn.del(keys.entry(cmd.parent, cmd.name));
  txn.put(keys.inode(parent.ino), touchDir(parent, cmd.nowMs, -1, isDir(inode.mode) ? -1 : 0));
  dropLink(txn, inode, cmd.sustain ? cmd.header : undefined, cmd.nowMs);
  return { errno: Errno.OK, ino: inode.ino };
}

/** True when `ino` is `ancestor` or lies below it. Walks parent pointers up to the root. */
function isWithin(txn: Txn, ino: Ino, ancestor: Ino): boolean {
  let cur = ino;
  for (let depth = 0; depth < 1_000_000; depth++) {
    if (cur === ancestor) return true;
    if (cur === rootIno) return false;
    const inode = getInode(txn, cur);
    cur = inode.parent;
  }
  return unreachable(undefined as never, 'directory parent chain does not reach the root');
}

function applyRename(txn: Txn, cmd: Extract<Command, { op: 'rename' }>): Reply {
  checkName(cmd.sourceName);
  checkName(cmd.targetName);
  if (cmd.flags & ~(RenameFlags.noReplace | RenameFlags.exchange)) fail(Errno.EINVAL);
  if (cmd.flags & RenameFlags.noReplace && cmd.flags & RenameFlags.exchange) fail(Errno.EINVAL);
  getDir(txn, cmd.sourceParent);
  getDir(txn, cmd.targetParent);
  const source = txn.get<DirEntry>(keys.entry(cmd.sourceParent, cmd.sourceName)) ?? fail(Errno.ENOENT);
  const moved = getInode(txn, source.ino);
  const target = txn.get<DirEntry>(keys.entry(cmd.targetParent, cmd.targetName));
  if (cmd.sourceParent === cmd.targetParent && cmd.sourceName === cmd.targetName) return { errno: Errno.OK };
  if (isDir(moved.mode) && cmd.sourceParent !== cmd.targetParent && isWithin(txn, cmd.targetParent, moved.ino)) {
    fail(Errno.EINVAL);
  }
  if (cmd.flags & RenameFlags.exchange) return exchange(txn, cmd, source, moved, target ?? fail(Errno.ENOENT));
  if (target && cmd.flags & RenameFlags.noReplace) fail(Errno.EEXIST);
  let replaced: Inode | undefined;
  if (target) {
    // rename(2): two links to the same inode leave both names in place.
    if (target.ino === source.ino) return { errno: Errno.OK };
    replaced = getInode(txn, target.ino);
    if (isDir(moved.mode) && !isDir(replaced.mode)) fail(Errno.ENOTDIR);
    if (!isDir(moved.mode) && isDir(replaced.mode)) fail(Errno.EISDIR);
    if (isDir(replaced.mode) && replaced.entries > 0) fail(Errno.ENOTEMPTY);
  }
  const movedIsDir = isDir(moved.mode);
  txn.del(keys.entry(cmd.sourceParent, cmd.sourceName));
  txn.put(keys.entry(cmd.targetParent, cmd.targetName), { ino: moved.ino, type: moved.mode & S_IFMT } satisfies DirEntry);
  const replacedDirs = replaced && isDir(replaced.mode) ? 1 : 0;
  if (cmd.sourceParent === cmd.targetParent) {
    const dir = getInode(txn, cmd.sourceParent);
    txn.put(keys.inode(dir.ino), touchDir(dir, cmd.nowMs, replaced ? -1 : 0, -replacedDirs));
  } else {
    const from = getInode(txn, cmd.sourceParent);
    txn.put(keys.inode(from.ino), touchDir(from, cmd.nowMs, -1, movedIsDir ? -1 : 0));
    const to = getInode(txn, cmd.targetParent);
    txn.put(keys.inode(to.ino), touchDir(to, cmd.nowMs, replaced ? 0 : 1, (movedIsDir ? 1 : 0) - replacedDirs));
  }
  const movedNow = getInode(txn, moved.ino);
  txn.put(keys.inode(moved.ino), { ...movedNow, ctimeMs: cmd.nowMs, parent: movedIsDir ? cmd.targetParent : movedNow.parent });
  if (replaced) dropLink(txn, replaced, cmd.sustain ? cmd.header : undefined, cmd.nowMs);
  return { errno: Errno.OK, ino: replaced?.ino ?? (0 as Ino) };
}

function exchange(
  txn: Txn,
  cmd: Extract<Command, { op: 'rename' }>,
  source: DirEntry,
  moved: Inode,
  target: DirEntry,
): Reply {
  const other = getInode(txn, target.ino);
  if (isDir(other.mode) && cmd.sourceParent !== cmd.targetParent && isWithin(txn, cmd.sourceParent, other.ino)) {
    fail(Errno.EINVAL);
  }
  txn.put(keys.entry(cmd.sourceParent, cmd.sourceName), target);
  txn.put(keys.entry(cmd.targetParent, cmd.targetName), source);
  if (cmd.sourceParent !== cmd.targetParent) {
    const dirDelta = (isDir(other.mode) ? 1 : 0) - (isDir(moved.mode) ? 1 : 0);
    const from = getInode(txn, cmd.sourceParent);
    txn.put(keys.inode(from.ino), touchDir(from, cmd.nowMs, 0, dirDelta));
    const to = getInode(txn, cmd.targetParent);
    txn.put(keys.inode(to.ino), touchDir(to, cmd.nowMs, 0, -dirDelta));
  }
  const a = getInode(txn, moved.ino);
  txn.put(keys.inode(a.ino), { ...a, ctimeMs: cmd.nowMs, parent: isDir(a.mode) ? cmd.targetParent : a.parent });
  const b = getInode(txn, other.ino);
  txn.put(keys.inode(b.ino), { ...b, ctimeMs: cmd.nowMs, parent: isDir(b.mode) ? cmd.sourceParent : b.parent });
  return { errno: Errno.OK };
}

function applySetAttr(txn: Txn, cmd: Extract<Command, { op: 'setattr' }>): Reply {
  const inode = getInode(txn, cmd.ino);
  let next: Inode = { ...inode };
  const m = cmd.mask;
  const atimeNs = subMillisecondNs(cmd.atimeNs);
  const mtimeNs = subMillisecondNs(cmd.mtimeNs);
  for (const t of [cmd.atimeMs, cmd.mtimeMs]) if (typeof t !== 'number' || !Number.isSafeInteger(t)) fail(Errno.EINVAL);
  if (m & SetAttrMask.mode) next.mode = (inode.mode & S_IFMT) | (cmd.mode & permissionBits);
  if (m & SetAttrMask.uid) next.uid = cmd.uid;
  if (m & SetAttrMask.gid) next.gid = cmd.gid;
  if (m & (SetAttrMask.atime | SetAttrMask.atimeNow)) {
    next.atimeMs = m & SetAttrMask.atimeNow ? cmd.nowMs : cmd.atimeMs;
    if (m & SetAttrMask.atimeNow || atimeNs === 0) delete next.atimeNs;
    else next.atimeNs = atimeNs;
  }
  if (m & SetAttrMask.mtimeNow) next = withMtime(next, cmd.nowMs);
  else if (m & SetAttrMask.mtime) next = mtimeNs === 0 ? withMtime(next, cmd.mtimeMs) : { ...next, mtimeMs: cmd.mtimeMs, mtimeNs };
  if (m & SetAttrMask.goal) {
    if (!isSafeCount(cmd.goal) || (cmd.goal as number) < 1 || (cmd.goal as number) > goalMax) fail(Errno.EINVAL);
    next.goal = cmd.goal as number;
  }
  if (m & SetAttrMask.size) {
    if (isDir(inode.mode)) fail(Errno.EISDIR);
    if (!isReg(inode.mode)) fail(Errno.EINVAL);
    if (!isSafeCount(cmd.size) || cmd.size > fileSizeMaxBytes) fail(cmd.size > fileSizeMaxBytes ? Errno.EFBIG : Errno.EINVAL);
    if (cmd.size !== inode.size) {
      if (cmd.size < inode.size) truncateChunks(txn, inode, cmd.size, cmd.nowMs);
      if (inode.inlineBytes !== undefined && cmd.size < inode.inlineBytes) {
        const data = txn.get<string>(keys.inline(inode.ino)) ?? '';
        txn.put(keys.inline(inode.ino), base64Slice(data, cmd.size));
        next.inlineBytes = cmd.size;
      }
      updateStats(txn, (s) => void (s.logicalBytes += cmd.size - inode.size));
      next.size = cmd.size;
    }
    if (!(m & SetAttrMask.mtime)) next = withMtime(next, cmd.nowMs);
  }
  next.ctimeMs = cmd.nowMs;
  txn.put(keys.inode(inode.ino), next);
  return { errno: Errno.OK, attr: next };
}

function truncateChunks(txn: Txn, inode: Inode, size: number, nowMs: number): void {
  const oldChunks = Math.ceil(inode.size / chunkSizeBytes);
  const first = Math.floor(size / chunkSizeBytes);
  for (let index = first; index < oldChunks; index++) {
    const key = keys.chunk(inode.ino, index);
    const slices = txn.get<SliceRef[]>(key);
    if (!slices) continue;
    const cut = index === first ? size - index * chunkSizeBytes : 0;
    const { kept, dropped } = truncateSlices(slices, cut);
    if (kept.length > 0) txn.put(key, kept);
    else txn.del(key);
    markGarbage(txn, dropped, nowMs);
  }
}

function applyCommitSlices(txn: Txn, cmd: Extract<Command, { op: 'commitSlices' }>): Reply {
  const reserved = counters(txn).sliceReserved;
  let end = 0;
  for (const { chunkIndex, ref } of cmd.slices) {
    const valid =
      isSafeCount(chunkIndex) &&
      isSafeId(ref.id) &&
      ref.id <= reserved &&
      isSafeCount(ref.offset) &&
      isSafeCount(ref.length) &&
      ref.length > 0 &&
      isSafeCount(ref.sliceOffset) &&
      isSafeCount(ref.sliceSize) &&
      ref.offset + ref.length <= chunkSizeBytes &&
      ref.sliceOffset + ref.length <= ref.sliceSize;
    if (!valid) fail(Errno.EINVAL);
    end = Math.max(end, chunkIndex * chunkSizeBytes + ref.offset + ref.length);
  }
  if (!isSafeCount(cmd.size) || cmd.size < end) fail(Errno.EINVAL);
  if (cmd.size > fileSizeMaxBytes) fail(Errno.EFBIG);
  const inode = txn.get<Inode>(keys.inode(cmd.ino));
  if (!inode) {
    // The file went away while its data was in flight: nothing references these slices.
    markGarbage(txn, cmd.slices.map((s) => s.ref), cmd.nowMs);
    return { errno: Errno.ENOENT };
  }
  if (isDir(inode.mode)) fail(Errno.EISDIR);
  if (!isReg(inode.mode)) fail(Errno.EINVAL);
  for (const { chunkIndex, ref } of cmd.slices) {
    // A slice taken for an orphan while its commit was delayed is referenced after all.
    if (txn.get(keys.garbage(ref.id))) txn.del(keys.garbage(ref.id));
    const key = keys.chunk(inode.ino, chunkIndex);
    const slices = txn.get<SliceRef[]>(key) ?? [];
    slices.push(ref);
    txn.put(key, slices);
  }
  const size = Math.max(inode.size, cmd.size);
  // ctime is the write's time, as mtime is, so that a commit at close does not move it later
  // than what the writer already showed (tar reads that as "file changed as we read it").
  const next: Inode = { ...withMtime(inode, cmd.mtimeMs), size, ctimeMs: Math.max(inode.ctimeMs, cmd.mtimeMs), chunked: true };
  if (size !== inode.size) updateStats(txn, (s) => void (s.logicalBytes += size - inode.size));
  txn.put(keys.inode(inode.ino), next);
  return { errno: Errno.OK, attr: next };
}

function applyWriteInline(txn: Txn, cmd: Extract<Command, { op: 'writeInline' }>): Reply {
  const inode = getInode(txn, cmd.ino);
  if (isDir(inode.mode)) fail(Errno.EISDIR);
  if (!isReg(inode.mode)) fail(Errno.EINVAL);
  if (!isSafeCount(cmd.offset) || typeof cmd.data !== 'string') fail(Errno.EINVAL);
  const data = base64Decode(cmd.data) ?? fail(Errno.EINVAL);
  // Once a slice exists, slices cover the inline bytes: new writes must go to slices too.
  if (inode.chunked || cmd.offset + data.length > inlineBytesMax) fail(Errno.EFBIG);
  const old = base64Decode(txn.get<string>(keys.inline(inode.ino)) ?? '') ?? [];
  const end = Math.max(old.length, cmd.offset + data.length);
  const merged = new Array<number>(end).fill(0);
  for (let i = 0; i < old.length; i++) merged[i] = old[i] as number;
  for (let i = 0; i < data.length; i++) merged[cmd.offset + i] = data[i] as number;
  const size = Math.max(inode.size, end);
  txn.put(keys.inline(inode.ino), base64Encode(merged));
  const next: Inode = { ...withMtime(inode, cmd.mtimeMs), inlineBytes: end, size, ctimeMs: Math.max(inode.ctimeMs, cmd.mtimeMs) };
  if (size !== inode.size) updateStats(txn, (s) => void (s.logicalBytes += size - inode.size));
  txn.put(keys.inode(inode.ino), next);
  return { errno: Errno.OK, attr: next };
}

function applyRelease(txn: Txn, cmd: Extract<Command, { op: 'release' }>): Reply {
  const header = cmd.header ?? fail(Errno.EINVAL);
  const session = txn.get<Session>(keys.session(header.sessionId));
  if (!session || !(session.sustained ?? []).includes(cmd.ino)) return { errno: Errno.OK };
  txn.put(keys.session(session.id), { ...session, sustained: (session.sustained ?? []).filter((i) => i !== cmd.ino) });
  const inode = txn.get<Inode>(keys.inode(cmd.ino));
  // Only the unlinking session sustains an unlinked inode, so its release is the last one.
  if (inode && inode.nlink === 0) destroyInode(txn, inode, cmd.nowMs);
  return { errno: Errno.OK };
}

/** The errno for a bad extended attribute name, or OK (the kernel checks namespaces). */
export function xattrNameErrno(name: unknown): Errno {
  if (typeof name !== 'string' || name.length === 0 || name.includes('\0')) return Errno.EINVAL;
  if (utf8Length(name) > xattrNameMaxBytes) return Errno.ERANGE;
  // The namespaces Cairn stores. POSIX ACLs (system.posix_acl_*) are not supported: refusing them
  // makes cp, tar and setfacl fall back to the mode bits instead of storing an ACL nobody applies.
  const ns = xattrNamespaces.find((prefix) => name.startsWith(prefix));
  if (ns === undefined) return Errno.EOPNOTSUPP;
  if (name.length === ns.length) return Errno.EINVAL;
  return Errno.OK;
}
const xattrNamespaces = ['user.', 'trusted.', 'security.'];

function checkXattrName(name: string): void {
  const errno = xattrNameErrno(name);
  if (errno !== Errno.OK) fail(errno);
}

function xattrBytes(xattrs: Xattrs): number {
  let n = 0;
  for (const [name, value] of Object.entries(xattrs)) n += utf8Length(name) + base64Length(value);
  return n;
}

/** Decoded length of a base64 string (padded, as base64Encode writes it). */
function base64Length(b64: string): number {
  const pad = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  return (b64.length / 4) * 3 - pad;
}

function applySetXattr(txn: Txn, cmd: Extract<Command, { op: 'setxattr' }>): Reply {
  checkXattrName(cmd.name);
  if (!isSafeCount(cmd.flags) || cmd.flags & ~(XattrFlags.create | XattrFlags.replace)) fail(Errno.EINVAL);
  if (typeof cmd.value !== 'string' || base64Decode(cmd.value) === undefined) fail(Errno.EINVAL);
  if (base64Length(cmd.value) > xattrValueMaxBytes) fail(Errno.E2BIG);
  const inode = getInode(txn, cmd.ino);
  const xattrs: Xattrs = { ...(txn.get<Xattrs>(keys.xattrs(inode.ino)) ?? {}) };
  const exists = Object.hasOwn(xattrs, cmd.name);
  if (exists && cmd.flags & XattrFlags.create) fail(Errno.EEXIST);
  if (!exists && cmd.flags & XattrFlags.replace) fail(Errno.ENODATA);
  xattrs[cmd.name] = cmd.value;
  if (xattrBytes(xattrs) > xattrTotalMaxBytes) fail(Errno.ENOSPC);
  txn.put(keys.xattrs(inode.ino), xattrs);
  const next = { ...inode, ctimeMs: cmd.nowMs };
  txn.put(keys.inode(inode.ino), next);
  return { errno: Errno.OK, attr: next };
}

function applyRemoveXattr(txn: Txn, cmd: Extract<Command, { op: 'removexattr' }>): Reply {
  checkXattrName(cmd.name);
  const inode = getInode(txn, cmd.ino);
  const xattrs: Xattrs = { ...(txn.get<Xattrs>(keys.xattrs(inode.ino)) ?? {}) };
  if (!Object.hasOwn(xattrs, cmd.name)) fail(Errno.ENODATA);
  delete xattrs[cmd.name];
  if (Object.keys(xattrs).length > 0) txn.put(keys.xattrs(inode.ino), xattrs);
  else txn.del(keys.xattrs(inode.ino));
  const next = { ...inode, ctimeMs: cmd.nowMs };
  txn.put(keys.inode(inode.ino), next);
  return { errno: Errno.OK, attr: next };
}

function applyLock(txn: Txn, cmd: Extract<Command, { op: 'lock' }>): Reply {
  const header = cmd.header ?? fail(Errno.EINVAL);
  const kindOk = cmd.kind === LockKind.flock || cmd.kind === LockKind.posix;
  const typeOk = cmd.type === LockType.read || cmd.type === LockType.write || cmd.type === LockType.unlock;
  const rangeOk = isSafeCount(cmd.start) && isSafeCount(cmd.end) && cmd.start <= cmd.end && cmd.end <= lockEndMax;
  if (!kindOk || !typeOk || !rangeOk || typeof cmd.owner !== 'string' || !/^[0-9]{1,20}$/.test(cmd.owner) || !isSafeCount(cmd.pid)) {
    fail(Errno.EINVAL);
  }
  const session = txn.get<Session>(keys.session(header.sessionId)) ?? fail(Errno.ESTALE);
  const inode = getInode(txn, cmd.ino);
  const held = txn.get<FileLock[]>(keys.locks(inode.ino)) ?? [];
  const whole = cmd.kind === LockKind.flock;
  const { granted, locks } = applyLockRequest(held, {
    session: header.sessionId,
    owner: cmd.owner,
    kind: cmd.kind,
    type: cmd.type,
    start: whole ? 0 : cmd.start,
    end: whole ? lockEndMax : cmd.end,
    pid: cmd.pid,
  });
  if (locks.length > 0) txn.put(keys.locks(inode.ino), locks);
  else if (held.length > 0) txn.del(keys.locks(inode.ino));
  // The session lists the inodes it holds locks on, so that its end releases them.
  const holds = locks.some((l) => l.session === header.sessionId);
  const listed = (session.locked ?? []).includes(inode.ino);
  if (holds !== listed) {
    const locked = holds ? [...(session.locked ?? []), inode.ino] : (session.locked ?? []).filter((i) => i !== inode.ino);
    txn.put(keys.session(session.id), { ...session, locked });
  }
  return { errno: granted ? Errno.OK : Errno.EAGAIN };
}

function applyOpenSession(txn: Txn, cmd: Extract<Command, { op: 'openSession' }>): Reply {
  assert(isSafeId(cmd.sessionId) && cmd.sessionId <= counters(txn).sessionReserved, 'session id outside the reserved range');
  const session: Session = {
    id: cmd.sessionId,
    clientName: cmd.clientName,
    host: cmd.host,
    pid: cmd.pid,
    openedMs: cmd.nowMs,
    expiresMs: cmd.nowMs + cmd.leaseMs,
    sustained: [],
  };
  txn.put(keys.session(cmd.sessionId), session);
  return { errno: Errno.OK };
}

function applyEndSession(txn: Txn, sessionId: Session['id'], nowMs: number, onlyIfExpired: boolean): Reply {
  const session = txn.get<Session>(keys.session(sessionId));
  if (!session) return { errno: Errno.OK };
  // An expiry decided on a stale view must not end a session renewed meanwhile.
  if (onlyIfExpired && session.expiresMs > nowMs) return { errno: Errno.EAGAIN };
  for (const ino of session.locked ?? []) {
    const left = withoutSession(txn.get<FileLock[]>(keys.locks(ino)) ?? [], sessionId);
    if (left.length > 0) txn.put(keys.locks(ino), left);
    else txn.del(keys.locks(ino));
  }
  for (const ino of session.sustained ?? []) {
    const inode = txn.get<Inode>(keys.inode(ino));
    if (inode && inode.nlink === 0) destroyInode(txn, inode, nowMs);
  }
  txn.del(keys.session(sessionId));
  for (let slot = 0; slot < replySlotsPerSession; slot++) txn.del(keys.reply(sessionId, slot));
  return { errno: Errno.OK };
}

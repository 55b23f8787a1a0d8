// The Meta gRPC service. Reads are served from the applied state; mutations are validated, stamped
// by the leader (time, new ids) and proposed through the host loop. Every reply carries an errno.
import type * as grpc from '@grpc/grpc-js';
import { Errno, ErrorCode, FsError } from '@cairn/errors';
import {
  type Command,
  type DirEntry,
  type Ino,
  type Inode,
  type Reply,
  type SessionId,
  type SliceId,
  type SliceRef,
  type Stats,
  chunkSizeBytes,
  entryName,
  inlineBytesMax,
  isDir,
  isSymlink,
  keys,
  nameErrno,
  type FileLock,
  type LockKind,
  LockType,
  type Xattrs,
  conflictingLock,
  xattrNameErrno,
  xattrValueMaxBytes,
} from '@cairn/meta';
import { NotLeaderError, ok, safeId, statusFromError, unary, type types } from '@cairn/rpc';
import type { RaftNode } from '@cairn/raft-node';
import type { MetaHost } from './host.js';
import type { Chunkservers } from './chunkservers.js';

/** What the service needs to know about this master's place in the Raft group. */
export interface Leadership {
  /** Throws NOT_LEADER (with the leader's address) unless this master leads. */
  require(): void;
  /** A linearizable read barrier on the leader (ReadIndex); throws NOT_LEADER elsewhere. */
  read(): Promise<void>;
  /** The chunkserver view of the current leadership term. */
  chunkservers(): Chunkservers;
  raft(): RaftNode | undefined;
}
import { fromHeader, toAttr, toSliceRef } from './convert.js';

export interface ServiceContext {
  host: MetaHost;
  leadership: Leadership;
  nodeId: number;
  address: string;
  leaseMs: number;
  heartbeatIntervalMs: number;
  /** Free bytes a chunkserver must keep to get new slices. */
  reserveBytes: number;
  countSlices(chunkservers: Chunkservers, nowMs: number): Promise<{ total: number; underGoal: number; missing: number }>;
  fsck(repair: boolean): Promise<Omit<types.FsckReply, 'status'>>;
}

const readDirLimitMax = 10_000;
const allocCountMax = 1024;

function failIf(errno: Errno, message: string): void {
  if (errno !== Errno.OK) throw new FsError(errno, message, { code: ErrorCode.Fs });
}

function replyOrThrow(reply: Reply, what: string): Reply {
  if (reply.errno !== Errno.OK) throw new FsError(reply.errno, what);
  return reply;
}

function attrReply(reply: Reply): types.AttrReply {
  return { status: ok, attr: reply.attr ? toAttr(reply.attr) : null };
}

export function metaService(ctx: ServiceContext): grpc.UntypedServiceImplementation {
  const { host, leadership } = ctx;
  const store = host.store;
  const read = () => leadership.read();

  const inode = (ino: number, what: string): Inode => {
    const i = store.getJson<Inode>(keys.inode(safeId(ino, 'inode') as Ino));
    if (!i) throw new FsError(Errno.ENOENT, `${what}: no inode ${ino}`);
    return i;
  };
  const dir = (ino: number, what: string): Inode => {
    const d = inode(ino, what);
    if (!isDir(d.mode)) throw new FsError(Errno.ENOTDIR, `${what}: inode ${ino} is not a directory`);
    return d;
  };
  const name = (n: string, what: string): string => {
    failIf(nameErrno(n), `${what}: bad name ${JSON.stringify(n.slice(0, 64))}`);
    return n;
  };
  const submit = async (cmd: Command, what: string): Promise<Reply> => replyOrThrow(await host.submit(cmd), what);
  // Mutations (and their pre-checks, which read state) run only on the leader: elsewhere the
  // caller is sent there before anything is looked at.
  const mutation = <Req, Res extends { status?: types.Status | null }>(handler: (req: Req) => Promise<Res>) =>
    unary<Req, Res>(async (req) => {
      leadership.require();
      return handler(req);
    });
  const now = () => Date.now();

  return {
    OpenSession: mutation<types.OpenSessionRequest__Output, types.OpenSessionReply>(async (req) => {
      const sessionId = (await host.allocSession()) as SessionId;
      await submit(
        { op: 'openSession', sessionId, clientName: req.clientName.slice(0, 256), host: req.host.slice(0, 256), pid: req.pid, leaseMs: ctx.leaseMs, nowMs: now() },
        'open session',
      );
      return { status: ok, sessionId, leaseMs: ctx.leaseMs, blockSize: 64 * 1024 };
    }),
    RenewSession: mutation<types.RenewSessionRequest__Output, types.RenewSessionReply>(async (req) => {
      const sessionId = safeId(req.sessionId, 'session') as SessionId;
      await submit({ op: 'renewSession', sessionId, leaseMs: ctx.leaseMs, nowMs: now() }, 'renew session');
      return { status: ok, leaseMs: ctx.leaseMs };
    }),
    CloseSession: mutation<types.RenewSessionRequest__Output, types.RenewSessionReply>(async (req) => {
      const sessionId = safeId(req.sessionId, 'session') as SessionId;
      await submit({ op: 'closeSession', sessionId, nowMs: now() }, 'close session');
      return { status: ok, leaseMs: 0 };
    }),

    Lookup: unary<types.LookupRequest__Output, types.AttrReply>(async (req) => {
      await read();
      const parent = dir(req.parent, 'lookup');
      if (req.name === '.') return { status: ok, attr: toAttr(parent) };
      if (req.name === '..') return { status: ok, attr: toAttr(inode(parent.parent, 'lookup ..')) };
      name(req.name, 'lookup');
      const entry = store.getJson<DirEntry>(keys.entry(parent.ino, req.name));
      if (!entry) throw new FsError(Errno.ENOENT, `lookup: no entry ${JSON.stringify(req.name)} in ${req.parent}`);
      return { status: ok, attr: toAttr(inode(entry.ino, 'lookup')) };
    }),
    GetAttr: unary<types.InoRequest__Output, types.AttrReply>(async (req) => {
      await read();
      return { status: ok, attr: toAttr(inode(req.ino, 'getattr')) };
    }),
    Open: unary<types.OpenRequest__Output, types.AttrReply>(async (req) => {
      await read();
      return { status: ok, attr: toAttr(inode(req.ino, 'open')) };
    }),
    ReadLink: unary<types.InoRequest__Output, types.ReadLinkReply>(async (req) => {
      await read();
      const i = inode(req.ino, 'readlink');
      if (!isSymlink(i.mode)) throw new FsError(Errno.EINVAL, `readlink: inode ${req.ino} is not a symlink`);
      return { status: ok, target: i.target ?? '' };
    }),
    ReadDir: unary<types.ReadDirRequest__Output, types.ReadDirReply>(async (req) => {
      await read();
      const d = dir(req.ino, 'readdir');
      const limit = Math.min(req.limit || 1000, readDirLimitMax);
      // Names never contain NUL, so name + "\0" is the first key after `after`.
      const start = req.after ? keys.entry(d.ino, req.after) + '\0' : keys.entriesStart(d.ino);
      const rows = await store.scan(start, keys.entriesEnd(d.ino), limit + 1);
      const entries: types.DirEntry[] = [];
      for (const [key, value] of rows.slice(0, limit)) {
        const e = JSON.parse(value) as DirEntry;
        let attr: types.Attr | null = null;
        if (req.plus) {
          const i = store.getJson<Inode>(keys.inode(e.ino));
          if (!i) continue; // Removed since the scan began.
          attr = toAttr(i);
        }
        entries.push({ name: entryName(key), ino: e.ino, mode: e.type, attr });
      }
      return { status: ok, entries, more: rows.length > limit };
    }),
    StatFs: unary<types.StatFsRequest__Output, types.StatFsReply>(async () => {
      await read();
      const t = now();
      let total = 0;
      let used = 0;
      let avail = 0;
      const chunkservers = leadership.chunkservers();
      for (const s of chunkservers.all()) {
        if (!chunkservers.isAlive(s, t)) continue;
        total += s.capacityBytes;
        used += s.usedBytes;
        avail += Math.max(0, s.freeBytes - ctx.reserveBytes);
      }
      const stats = store.getJson<Stats>(keys.stats);
      const files = stats ? stats.files + stats.directories + stats.symlinks + stats.others : 0;
      return { status: ok, totalBytes: total, usedBytes: used, availBytes: avail, files };
    }),

    Create: mutation<types.CreateRequest__Output, types.AttrReply>(async (req) => {
      dir(req.parent, 'create');
      name(req.name, 'create');
      const ino = (await host.allocIno()) as Ino;
      const reply = await submit(
        {
          op: 'create',
          header: fromHeader(req.header),
          parent: req.parent as Ino,
          name: req.name,
          mode: req.mode,
          uid: req.uid,
          gid: req.gid,
          rdev: req.rdev,
          target: req.symlinkTarget,
          exclusive: req.exclusive,
          ino,
          nowMs: now(),
        },
        `create ${JSON.stringify(req.name)}`,
      );
      return attrReply(reply);
    }),
    Link: mutation<types.LinkRequest__Output, types.AttrReply>(async (req) => {
      const reply = await submit(
        { op: 'link', header: fromHeader(req.header), ino: safeId(req.ino, 'inode') as Ino, parent: safeId(req.parent, 'parent') as Ino, name: name(req.name, 'link'), nowMs: now() },
        `link ${JSON.stringify(req.name)}`,
      );
      return attrReply(reply);
    }),
    Unlink: mutation<types.UnlinkRequest__Output, types.UnlinkReply>(async (req) => {
      const reply = await submit(
        {
          op: 'unlink',
          header: fromHeader(req.header),
          parent: safeId(req.parent, 'parent') as Ino,
          name: req.name,
          directory: req.directory,
          sustain: req.sustain,
          nowMs: now(),
        },
        `${req.directory ? 'rmdir' : 'unlink'} ${JSON.stringify(req.name)}`,
      );
      return { status: ok, ino: reply.ino ?? 0 };
    }),
    Rename: mutation<types.RenameRequest__Output, types.RenameReply>(async (req) => {
      const reply = await submit(
        {
          op: 'rename',
          header: fromHeader(req.header),
          sourceParent: safeId(req.sourceParent, 'source parent') as Ino,
          sourceName: name(req.sourceName, 'rename'),
          targetParent: safeId(req.targetParent, 'target parent') as Ino,
          targetName: name(req.targetName, 'rename'),
          flags: req.flags,
          sustain: req.sustain,
          nowMs: now(),
        },
        `rename ${JSON.stringify(req.sourceName)} -> ${JSON.stringify(req.targetName)}`,
      );
      return { status: ok, replacedIno: reply.ino ?? 0 };
    }),
    SetAttr: mutation<types.SetAttrRequest__Output, types.AttrReply>(async (req) => {
      const reply = await submit(
        {
          op: 'setattr',
          header: fromHeader(req.header),
          ino: safeId(req.ino, 'inode') as Ino,
          mask: req.mask,
          mode: req.mode,
          uid: req.uid,
          gid: req.gid,
          size: req.size,
          atimeMs: req.atimeMs,
          mtimeMs: req.mtimeMs,
          atimeNs: req.atimeNs,
          mtimeNs: req.mtimeNs,
          goal: req.goal,
          nowMs: now(),
        },
        'setattr',
      );
      return attrReply(reply);
    }),
    Release: mutation<types.ReleaseRequest__Output, types.ReleaseReply>(async (req) => {
      await submit({ op: 'release', header: fromHeader(req.header), ino: safeId(req.ino, 'inode') as Ino, nowMs: now() }, 'release');
      return { status: ok };
    }),

    ReadChunk: unary<types.ReadChunkRequest__Output, types.ReadChunkReply>(async (req) => {
      await read();
      const i = inode(req.ino, 'read chunk');
      if (isDir(i.mode)) throw new FsError(Errno.EISDIR, `read chunk: inode ${req.ino} is a directory`);
      const slices = store.getJson<SliceRef[]>(keys.chunk(i.ino, req.chunkIndex)) ?? [];
      const t = now();
      const seen = new Set<SliceId>();
      const locations: types.Location[] = [];
      for (const s of slices) {
        if (seen.has(s.id)) continue;
        seen.add(s.id);
        const servers = leadership.chunkservers().replicas(s.id, t).map((c) => ({ id: c.id, address: c.address }));
        locations.push({ sliceId: s.id, servers });
      }
      const inlineData = req.chunkIndex === 0 && i.inlineBytes ? Buffer.from(store.getJson<string>(keys.inline(i.ino)) ?? '', 'base64') : Buffer.alloc(0);
      return { status: ok, slices: slices.map(toSliceRef), locations, size: i.size, inlineData };
    }),
    AllocSlices: unary<types.AllocSlicesRequest__Output, types.AllocSlicesReply>(async (req) => {
      const count = req.count;
      if (!Number.isSafeInteger(count) || count < 1 || count > allocCountMax) {
        throw new FsError(Errno.EINVAL, `alloc slices: count ${count} outside 1..${allocCountMax}`);
      }
      leadership.require();
      const servers = leadership.chunkservers().writable(now(), ctx.reserveBytes).map((s) => ({ id: s.id, address: s.address }));
      if (servers.length === 0) throw new FsError(Errno.ENOSPC, 'no live chunkserver has room for new data', { code: ErrorCode.NoSpace });
      const first = await host.allocSlices(count);
      return { status: ok, firstSliceId: first, count, servers };
    }),
    CommitSlices: mutation<types.CommitSlicesRequest__Output, types.AttrReply>(async (req) => {
      const slices = req.slices.map((c) => {
        if (!c.slice) throw new FsError(Errno.EINVAL, 'commit slices: slice missing');
        const ref: SliceRef = {
          id: safeId(c.slice.sliceId, 'slice') as SliceId,
          offset: c.slice.offset,
          length: c.slice.length,
          sliceOffset: c.slice.sliceOffset,
          sliceSize: c.slice.sliceSize,
        };
        return { chunkIndex: c.chunkIndex, ref, storedOn: c.storedOn };
      });
      if (slices.length === 0) throw new FsError(Errno.EINVAL, 'commit slices: nothing to commit');
      const reply = await submit(
        {
          op: 'commitSlices',
          header: fromHeader(req.header),
          ino: safeId(req.ino, 'inode') as Ino,
          slices: slices.map(({ chunkIndex, ref }) => ({ chunkIndex, ref })),
          size: req.size,
          mtimeMs: req.mtimeMs || now(),
          nowMs: now(),
        },
        'commit slices',
      );
      for (const s of slices) leadership.chunkservers().stored(s.ref.id, s.storedOn.map((id) => safeId(id, 'server')));
      return attrReply(reply);
    }),

    WriteInline: mutation<types.WriteInlineRequest__Output, types.AttrReply>(async (req) => {
      if (req.data.length > inlineBytesMax || req.offset + req.data.length > inlineBytesMax) {
        throw new FsError(Errno.EFBIG, `write inline: ${req.offset}+${req.data.length} bytes exceed the inline limit`);
      }
      const reply = await submit(
        {
          op: 'writeInline',
          header: fromHeader(req.header),
          ino: safeId(req.ino, 'inode') as Ino,
          offset: req.offset,
          data: Buffer.from(req.data).toString('base64'),
          mtimeMs: req.mtimeMs || now(),
          nowMs: now(),
        },
        'write inline',
      );
      return attrReply(reply);
    }),

    SetXattr: mutation<types.SetXattrRequest__Output, types.AttrReply>(async (req) => {
      failIf(xattrNameErrno(req.name), `setxattr: bad name ${JSON.stringify(req.name)}`);
      if (req.value.length > xattrValueMaxBytes) throw new FsError(Errno.E2BIG, `setxattr: value of ${req.value.length} bytes is over the limit`);
      const reply = await submit(
        {
          op: 'setxattr',
          header: fromHeader(req.header),
          ino: safeId(req.ino, 'inode') as Ino,
          name: req.name,
          value: Buffer.from(req.value).toString('base64'),
          flags: req.flags,
          nowMs: now(),
        },
        `setxattr ${req.name}`,
      );
      return attrReply(reply);
    }),
    GetXattr: unary<types.GetXattrRequest__Output, types.GetXattrReply>(async (req) => {
      await read();
      failIf(xattrNameErrno(req.name), `getxattr: bad name ${JSON.stringify(req.name)}`);
      const i = inode(req.ino, 'getxattr');
      const value = store.getJson<Xattrs>(keys.xattrs(i.ino))?.[req.name];
      if (value === undefined) throw new FsError(Errno.ENODATA, `getxattr: inode ${i.ino} has no attribute ${req.name}`);
      return { status: ok, value: Buffer.from(value, 'base64') };
    }),
    ListXattr: unary<types.InoRequest__Output, types.ListXattrReply>(async (req) => {
      await read();
      const i = inode(req.ino, 'listxattr');
      return { status: ok, names: Object.keys(store.getJson<Xattrs>(keys.xattrs(i.ino)) ?? {}) };
    }),
    RemoveXattr: mutation<types.RemoveXattrRequest__Output, types.AttrReply>(async (req) => {
      failIf(xattrNameErrno(req.name), `removexattr: bad name ${JSON.stringify(req.name)}`);
      const reply = await submit(
        { op: 'removexattr', header: fromHeader(req.header), ino: safeId(req.ino, 'inode') as Ino, name: req.name, nowMs: now() },
        `removexattr ${req.name}`,
      );
      return attrReply(reply);
    }),

    Lock: mutation<types.LockRequest__Output, types.LockReply>(async (req) => {
      const header = fromHeader(req.header);
      if (!header) throw new FsError(Errno.EINVAL, 'lock: a session is required');
      await submit(
        {
          op: 'lock',
          header,
          ino: safeId(req.ino, 'inode') as Ino,
          owner: req.owner,
          kind: req.kind as LockKind,
          type: req.type as LockType,
          start: req.start,
          end: req.end,
          pid: req.pid,
        },
        'lock',
      );
      return { status: ok, type: req.type, start: req.start, end: req.end, pid: req.pid };
    }),
    TestLock: unary<types.LockRequest__Output, types.LockReply>(async (req) => {
      await read();
      const header = fromHeader(req.header);
      if (!header) throw new FsError(Errno.EINVAL, 'test lock: a session is required');
      const i = inode(req.ino, 'test lock');
      const conflict = conflictingLock(store.getJson<FileLock[]>(keys.locks(i.ino)) ?? [], {
        session: header.sessionId,
        owner: req.owner,
        kind: req.kind as LockKind,
        type: req.type as LockType,
        start: req.start,
        end: req.end,
        pid: req.pid,
      });
      if (!conflict) return { status: ok, type: LockType.unlock, start: req.start, end: req.end, pid: 0 };
      return { status: ok, type: conflict.type, start: conflict.start, end: conflict.end, pid: conflict.pid };
    }),

    Heartbeat: unary<types.HeartbeatRequest__Output, types.HeartbeatReply>(async (req) => {
      leadership.require();
      const ids = (xs: number[]) => xs.map((x) => safeId(x, 'slice') as SliceId);
      const { deletes, wantFullReport, copies } = leadership.chunkservers().heartbeat(
        {
          id: safeId(req.serverId, 'server'),
          address: req.address,
          pid: req.pid,
          capacityBytes: req.capacityBytes,
          usedBytes: req.usedBytes,
          freeBytes: req.freeBytes,
          fullReport: req.fullReport,
          slices: ids(req.slices.map((s) => s.sliceId)),
          removed: ids(req.removed),
          corrupt: ids(req.corrupt),
        },
        now(),
      );
      return {
        status: ok,
        deleteSlices: deletes,
        wantFullReport,
        intervalMs: ctx.heartbeatIntervalMs,
        replicate: copies.map((c) => ({ sliceId: c.slice, target: { id: c.target.id, address: c.target.address } })),
      };
    }),

    ChangeMasters: mutation<types.ChangeMastersRequest__Output, types.ChangeMastersReply>(async (req) => {
      const raft = leadership.raft();
      if (!raft) throw new FsError(Errno.EAGAIN, 'raft not started');
      const id = safeId(req.id, 'master id');
      const members = raft.status().peers;
      if (req.add) {
        if (!/^[^:\s]+:\d{1,5}$/.test(req.address)) throw new FsError(Errno.EINVAL, `bad master address ${JSON.stringify(req.address)}`);
        if (members.some((p) => p.id === id)) throw new FsError(Errno.EEXIST, `master ${id} is already a member`);
        await raft.addMember(id, req.address);
      } else {
        if (!members.some((p) => p.id === id)) throw new FsError(Errno.ENOENT, `master ${id} is not a member`);
        if (members.length <= 1) throw new FsError(Errno.EINVAL, 'cannot remove the last master');
        await raft.removeMember(id);
      }
      const peers = raft.status().peers;
      return { status: ok, masters: peers.map((p) => ({ id: p.id, address: p.address ?? '', pid: 0, role: p.learner ? 'learner' : 'member', term: raft.term })) };
    }),

    Fsck: unary<types.FsckRequest__Output, types.FsckReply>(async (req) => {
      await read();
      const report = await ctx.fsck(req.repair);
      return { status: ok, ...report };
    }),
    FileInfo: unary<types.InoRequest__Output, types.FileInfoReply>(async (req) => {
      await read();
      const i = inode(req.ino, 'file info');
      const t = now();
      const cs = leadership.chunkservers();
      const slices: types.SliceInfoEntry[] = [];
      for (let index = 0; index < Math.ceil(i.size / chunkSizeBytes); index++) {
        for (const s of store.getJson<SliceRef[]>(keys.chunk(i.ino, index)) ?? []) {
          const replicas = cs.holders(s.id).map((h) => ({ serverId: h.id, address: h.address, alive: cs.isAlive(h, t) }));
          slices.push({ chunkIndex: index, slice: toSliceRef(s), replicas });
        }
      }
      return { status: ok, attr: toAttr(i), slices, inlineBytes: i.inlineBytes ?? 0 };
    }),

    ClusterStatus: unary<types.ClusterStatusRequest__Output, types.ClusterStatusReply>(async () => {
      const t = now();
      const raft = leadership.raft();
      const status = raft?.status();
      const leading = (() => {
        try {
          leadership.require();
          return true;
        } catch {
          return false;
        }
      })();
      const masters: types.MasterInfo[] = (status?.peers ?? []).map((p) => ({
        id: p.id,
        address: p.address ?? '',
        pid: p.id === ctx.nodeId ? process.pid : 0,
        role: p.id === ctx.nodeId ? (leading ? 'leader' : 'follower') : p.id === status?.leader ? 'leader' : 'follower',
        term: status?.term ?? 0,
      }));
      // A follower still says who it is (for `cairn status`), and points to the leader.
      if (!leading) return { status: statusFromError(new NotLeaderError(raft?.leaderAddress ?? '')), masters };
      const chunkservers = leadership.chunkservers();
      const slices = await ctx.countSlices(chunkservers, t);
      const stats = store.getJson<Stats>(keys.stats);
      return {
        status: ok,
        masters,
        chunkservers: chunkservers.all().map((s) => ({
          id: s.id,
          address: s.address,
          pid: s.pid,
          alive: chunkservers.isAlive(s, t),
          usedBytes: s.usedBytes,
          capacityBytes: s.capacityBytes,
          slices: s.slices.size,
        })),
        slicesTotal: slices.total,
        slicesUnderGoal: slices.underGoal,
        slicesMissing: slices.missing,
        files: stats?.files ?? 0,
        directories: stats?.directories ?? 0,
        logicalBytes: stats?.logicalBytes ?? 0,
      };
    }),
  };
}

// CairnClient: the VFS over inodes that both the FUSE adapter and programs use. Every operation is
// async and fails with an FsError carrying the errno (bad names and offsets are refused here,
// before any RPC). Metadata goes to the Raft leader through MetaClient (leader following, bounded
// retries; mutations carry the session's request header so that retries apply once). Data goes
// through the file writer (writer.ts) and reader (reader.ts) of each open inode.
//
// Caches: dentries (parent, name) -> (ino, type) and attributes by inode, each with a short TTL
// (other clients' changes show within it) and updated or dropped by this client's own mutations.
// Close-to-open: `open` fetches fresh attributes and drops the inode's chunk maps and read blocks.
// Each operation leaves one access-log line at debug level: `mkdir (1,"a"): EEXIST 0.4ms`.
import { hostname } from 'node:os';
import { constants as fsConstants } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Errno, ErrorCode, FsError, errnoName, fsErrorFrom } from '@cairn/errors';
import {
  type Ino,
  type SliceId,
  S_IFDIR,
  S_IFLNK,
  S_IFMT,
  S_IFREG,
  LockType,
  SetAttrMask,
  XattrFlags,
  chunkSizeBytes,
  xattrValueMaxBytes,
  defaultGoal,
  inlineBytesMax,
  isDir,
  rootIno,
} from '@cairn/meta';
import { MetaClient, safeId } from '@cairn/rpc';
import type { types } from '@cairn/rpc';
import { type Attr, attrFromWire } from './attr.js';
import { BlockPool } from './block-pool.js';
import { ChunkServers, type ServerRef } from './chunk-servers.js';
import { type Logger, silentLogger } from './logger.js';
import { checkName, checkOffset, checkSymlinkTarget, checkXattrName, splitPath } from './names.js';
import { type HeldLock, type LockRequestArgs, checkLockRange, lockWire } from './locks.js';
import { overlayDirty } from './overlay.js';
import { type ChunkMap, FileReader, ReadCache, type ReadCursor } from './reader.js';
import { Session } from './session.js';
import { SliceAllocator } from './slice-allocator.js';
import { TtlCache } from './ttl-cache.js';
import { FileWriter, type SliceCommit } from './writer.js';

const MiB = 1024 * 1024;

export interface CairnClientOptions {
  /** Master addresses, `host:port`; any member will do, the client follows the leader. */
  masters: string[];
  /** Shown in the master's session list. */
  clientName?: string;
  logger?: Logger;
  /** Owner of new files and directories (the FUSE binding does not pass the caller's ids). */
  uid?: number;
  gid?: number;
  /** TTL of cached attributes and of cached directory entries (0 disables). Default 1000. */
  attrTtlMs?: number;
  entryTtlMs?: number;
  /** Largest slice a writer builds before sealing it. Default 16 MiB. */
  sliceBytesMax?: number;
  /** Buffered (uncommitted) write bytes per file before write() waits. Default 64 MiB. */
  fileInflightBytesMax?: number;
  /** Buffered write bytes for the whole client (the block pool). Default 160 MiB. */
  clientInflightBytesMax?: number;
  /** Write block size: the unit of the buffer pool and of upload frames (≤ 1 MiB). Default 1 MiB. */
  writeBlockBytes?: number;
  /** Read block size for sequential reads and read-ahead (one ReadSlice each). Default 8 MiB. */
  readBlockBytes?: number;
  /** Read-ahead window, in read blocks. Default 8. */
  readAheadBlocksMax?: number;
  /** Read-block cache for the whole client; keep it above the read-ahead window. Default 128 MiB. */
  readCacheBytesMax?: number;
  /** Slice ids asked for per AllocSlices. Default 64. */
  sliceIdBatchCount?: number;
  /** Attempts per slice upload. Default 4. */
  uploadAttempts?: number;
  /** Deadlines of one slice upload and of one slice read. Defaults 60 s and 30 s. */
  writeTimeoutMs?: number;
  readTimeoutMs?: number;
  /** How long `connect` keeps trying to reach a master before failing. Default 8000. */
  connectTimeoutMs?: number;
  /** MetaClient: deadline of one attempt and retry budget of one call. */
  callTimeoutMs?: number;
  retryBudgetMs?: number;
}

type Config = Required<Omit<CairnClientOptions, 'logger' | 'masters'>>;

function validate(options: CairnClientOptions): Config {
  const c: Config = {
    clientName: options.clientName ?? `cairn-client-${process.pid}`,
    uid: options.uid ?? process.getuid?.() ?? 0,
    gid: options.gid ?? process.getgid?.() ?? 0,
    attrTtlMs: options.attrTtlMs ?? 1_000,
    entryTtlMs: options.entryTtlMs ?? 1_000,
    sliceBytesMax: options.sliceBytesMax ?? 16 * MiB,
    fileInflightBytesMax: options.fileInflightBytesMax ?? 64 * MiB,
    clientInflightBytesMax: options.clientInflightBytesMax ?? 160 * MiB,
    writeBlockBytes: options.writeBlockBytes ?? MiB,
    readBlockBytes: options.readBlockBytes ?? 8 * MiB,
    readAheadBlocksMax: options.readAheadBlocksMax ?? 8,
    readCacheBytesMax: options.readCacheBytesMax ?? 128 * MiB,
    sliceIdBatchCount: options.sliceIdBatchCount ?? 64,
    uploadAttempts: options.uploadAttempts ?? 4,
    writeTimeoutMs: options.writeTimeoutMs ?? 60_000,
    readTimeoutMs: options.readTimeoutMs ?? 30_000,
    connectTimeoutMs: options.connectTimeoutMs ?? 8_000,
    callTimeoutMs: options.callTimeoutMs ?? 10_000,
    retryBudgetMs: options.retryBudgetMs ?? 30_000,
  };
  const bad = (why: string): never => {
    throw new FsError(Errno.EINVAL, `client options: ${why}`, { code: ErrorCode.Config });
  };
  if (!Array.isArray(options.masters) || options.masters.length === 0) bad('no master addresses');
  if (!(c.writeBlockBytes > 0 && c.writeBlockBytes <= MiB)) bad('writeBlockBytes must be in (0, 1 MiB]');
  if (!(c.sliceBytesMax >= c.writeBlockBytes && c.sliceBytesMax <= chunkSizeBytes)) bad('sliceBytesMax must be in [writeBlockBytes, 64 MiB]');
  if (c.sliceBytesMax % c.writeBlockBytes !== 0) bad('sliceBytesMax must be a multiple of writeBlockBytes');
  if (c.fileInflightBytesMax < c.sliceBytesMax) bad('fileInflightBytesMax must be at least sliceBytesMax');
  if (c.clientInflightBytesMax < 4 * c.writeBlockBytes) bad('clientInflightBytesMax is too small');
  if (!(c.readBlockBytes > 0 && chunkSizeBytes % c.readBlockBytes === 0)) bad('readBlockBytes must divide the chunk size');
  if (c.readAheadBlocksMax * c.readBlockBytes > c.readCacheBytesMax) bad('the read-ahead window must fit in the read cache');
  if (c.readAheadBlocksMax < 0 || c.uploadAttempts < 1 || c.sliceIdBatchCount < 1) bad('counts must be positive');
  return c;
}

export interface DirEntry {
  name: string;
  ino: Ino;
  /** File type bits (and, with `plus`, permission bits). */
  mode: number;
  attr?: Attr;
}

export interface AttrChanges {
  mode?: number;
  uid?: number;
  gid?: number;
  size?: number;
  /** Explicit times: whole milliseconds since the epoch, and the nanoseconds within (0..999999). */
  atimeMs?: number;
  mtimeMs?: number;
  atimeNs?: number;
  mtimeNs?: number;
  /** Set the time to the master's clock (utimensat UTIME_NOW). */
  atimeNow?: boolean;
  mtimeNow?: boolean;
}

export interface StatFs {
  totalBytes: number;
  usedBytes: number;
  availBytes: number;
  files: number;
}

export interface Owner {
  uid: number;
  gid: number;
}

/** State of an inode this client has open: its writer, reader and last known attributes. */
class OpenInode {
  refs = 0;
  /** Unlinked while open with `sustain`: the master keeps it until our Release. */
  sustained = false;
  constructor(
    public attr: Attr,
    readonly writer: FileWriter,
    readonly reader: FileReader,
  ) {}
}

interface Handle {
  fh: number;
  flags: number;
  state: OpenInode;
  cursor: ReadCursor;
}

const O_ACCMODE = 3;
/** Lookup misses in one directory within a second that make the client list it (see lookupMiss). */
const prefetchAfterMisses = 16;
const prefetchPagesMax = 16;

export class CairnClient {
  readonly logger: Logger;
  private readonly config: Config;
  private readonly entries: TtlCache<string, { ino: Ino; mode: number }>;
  private readonly attrs: TtlCache<Ino, Attr>;
  /** Names of each inode's extended attributes: the kernel asks for security.capability before
   *  every write, and a name known to be absent is answered without a round trip (so another
   *  client's new attribute may take up to the attribute TTL to show, like its other changes). */
  private readonly xattrNames: TtlCache<Ino, Set<string>>;
  private readonly inodes = new Map<Ino, OpenInode>();
  private readonly handles = new Map<number, Handle>();
  private nextFh = 1;
  private readonly pool: BlockPool;
  private readonly servers: ChunkServers;
  private readonly allocator: SliceAllocator;
  private readonly readCache: ReadCache;
  private readonly debug: boolean;
  private closed = false;
  /** Lookup misses per directory in the current second, and its listing prefetch if running. */
  private readonly dirMisses = new Map<Ino, { count: number; sinceMs: number; doneMs: number; prefetch?: Promise<void> }>();

  private constructor(
    private readonly meta: MetaClient,
    private readonly session: Session,
    config: Config,
    logger: Logger,
  ) {
    this.config = config;
    this.logger = logger;
    this.debug = logger.isLevelEnabled ? logger.isLevelEnabled('debug') : true;
    this.entries = new TtlCache(config.entryTtlMs, 200_000);
    this.attrs = new TtlCache(config.attrTtlMs, 200_000);
    this.xattrNames = new TtlCache(config.attrTtlMs, 50_000);
    this.pool = new BlockPool(config.writeBlockBytes, Math.floor(config.clientInflightBytesMax / config.writeBlockBytes));
    this.pool.onPressure = () => {
      // While a good part of the pool is in sealed slices, their uploads will return blocks soon:
      // wait for them rather than cut every open slice short. Otherwise seal open slices, which
      // is what guarantees progress when open slices hold the pool.
      let sealed = 0;
      for (const s of this.inodes.values()) sealed += s.writer.sealedBlocks;
      if (sealed * 4 >= this.pool.blocksMax) return;
      for (const s of this.inodes.values()) s.writer.sealOpen();
    };
    this.servers = new ChunkServers({ writeTimeoutMs: config.writeTimeoutMs, readTimeoutMs: config.readTimeoutMs });
    this.allocator = new SliceAllocator(meta, session, { batchCount: config.sliceIdBatchCount, serversMaxAgeMs: 10_000, shortViewMaxAgeMs: 1_000 });
    this.readCache = new ReadCache(config.readCacheBytesMax);
  }

  /** Opens a session with the masters and returns a ready client. */
  static async connect(options: CairnClientOptions): Promise<CairnClient> {
    const config = validate(options);
    const logger = options.logger ?? silentLogger;
    const meta = new MetaClient({ masters: options.masters, callTimeoutMs: config.callTimeoutMs, retryBudgetMs: config.retryBudgetMs });
    try {
      const session = await Session.open(meta, { clientName: config.clientName, host: hostname(), pid: process.pid }, logger, config.connectTimeoutMs);
      return new CairnClient(meta, session, config, logger);
    } catch (err) {
      meta.close();
      throw fsErrorFrom(err, 'connect');
    }
  }

  get sessionId(): number {
    return this.session.sessionId;
  }

  // ---- access log and error discipline ------------------------------------------------------

  private async op<T>(name: string, args: () => string, fn: () => Promise<T>): Promise<T> {
    if (this.closed) throw new FsError(Errno.EIO, 'client closed');
    const started = this.debug ? performance.now() : 0;
    try {
      const result = await fn();
      if (this.debug) this.logger.debug({ op: name }, `${name} ${args()}: OK ${(performance.now() - started).toFixed(1)}ms`);
      return result;
    } catch (err) {
      const e = fsErrorFrom(err, name);
      if (this.debug) this.logger.debug({ op: name, errno: e.errno }, `${name} ${args()}: ${errnoName(e.errno)} ${(performance.now() - started).toFixed(1)}ms`);
      throw e;
    }
  }

  // ---- caches ---------------------------------------------------------------------------------

  private entryKey(parent: Ino, name: string): string {
    return `${parent}/${name}`;
  }

  private remember(attr: Attr, parent?: Ino, name?: string): Attr {
    this.attrs.set(attr.ino, attr);
    if (parent !== undefined && name !== undefined) this.entries.set(this.entryKey(parent, name), { ino: attr.ino, mode: attr.mode });
    const open = this.inodes.get(attr.ino);
    if (open) {
      // A reply generated before one of our commits may arrive after it: an open file's size only
      // grows here; truncation (setattr) and open set it outright.
      open.attr = attr.size >= open.attr.size ? attr : { ...attr, size: open.attr.size };
      open.writer.setGoal(attr.goal);
    }
    return this.withLocal(attr);
  }

  /** Attributes as this process sees them: its own writes (buffered or committed) set the size. */
  private withLocal(attr: Attr): Attr {
    const open = this.inodes.get(attr.ino);
    if (!open) return attr;
    const dirty = open.writer.dirty;
    const size = Math.max(attr.size, open.attr.size, dirty ? open.writer.dirtyEnd : 0);
    if (size === attr.size && !dirty) return attr;
    if (!dirty) return { ...attr, size };
    // Unflushed writes are later than anything stored (a time set explicitly flushes them first),
    // and the commit will stamp mtime and ctime with the write's time, as a write does on Linux.
    const writtenMs = open.writer.lastWriteAtMs;
    return { ...attr, size, mtimeMs: writtenMs, mtimeNs: 0, ctimeMs: Math.max(attr.ctimeMs, writtenMs) };
  }

  private forget(parent: Ino, name: string): void {
    this.entries.delete(this.entryKey(parent, name));
    this.attrs.delete(parent);
  }

  /**
   * This client changed a directory's entries: its cached attributes get the new times (and link
   * count) as the master set them, instead of a fetch on the next getattr — which the kernel
   * asks for after every create. Other clients' changes still show within the TTL.
   */
  private touchDir(dir: Ino, nlinkDelta: number, masterNowMs: number): void {
    this.attrs.update(dir, (a) => ({ ...a, mtimeMs: masterNowMs, mtimeNs: 0, ctimeMs: masterNowMs, nlink: a.nlink + nlinkDelta }));
  }

  // ---- metadata -------------------------------------------------------------------------------

  lookup(parent: Ino, name: string): Promise<Attr> {
    return this.op('lookup', () => `(${parent},${JSON.stringify(name)})`, async () => {
      checkName(name);
      return this.cachedEntry(parent, name) ?? this.lookupMiss(parent, name);
    });
  }

  private cachedEntry(parent: Ino, name: string): Attr | undefined {
    const e = this.entries.get(this.entryKey(parent, name));
    const a = e && this.attrs.get(e.ino);
    return a ? this.withLocal(a) : undefined;
  }

  /**
   * A lookup the caches could not answer. Many misses in one directory within a second (a stat
   * or unlink loop over its files, `ls -l` without readdir) make the client list the whole
   * directory with attributes once (ReadDir plus, at most `prefetchPagesMax` pages): one call
   * instead of hundreds of Lookups, with the same TTL semantics as the lookups it replaces.
   */
  private async lookupMiss(parent: Ino, name: string): Promise<Attr> {
    const now = Date.now();
    let d = this.dirMisses.get(parent);
    if (!d || now - d.sinceMs > 1_000) {
      d = { count: 0, sinceMs: now, doneMs: d?.doneMs ?? 0 };
      this.dirMisses.set(parent, d);
      if (this.dirMisses.size > 10_000) this.dirMisses.clear();
    }
    d.count++;
    if (!d.prefetch && d.count >= prefetchAfterMisses && now - d.doneMs >= this.config.attrTtlMs) {
      const dir = d;
      dir.prefetch = this.prefetchDir(parent)
        .catch((err: unknown) => this.logger.debug({ err, ino: parent }, `prefetch of directory ${parent} failed`))
        .finally(() => {
          dir.prefetch = undefined;
          dir.doneMs = Date.now();
        });
    }
    if (d.prefetch) {
      await d.prefetch;
      const hit = this.cachedEntry(parent, name);
      if (hit) return hit;
    }
    return this.lookupRpc(parent, name);
  }

  private async prefetchDir(ino: Ino): Promise<void> {
    let after = '';
    for (let page = 0; page < prefetchPagesMax; page++) {
      const reply = await this.meta.call<types.ReadDirRequest, types.ReadDirReply__Output>('readDir', { ino, after, limit: 1024, plus: true });
      for (const e of reply.entries) if (e.attr) this.remember(attrFromWire(e.attr, 'readdir'), ino, e.name);
      const last = reply.entries[reply.entries.length - 1];
      if (!reply.more || !last) return;
      after = last.name;
    }
  }

  private async lookupRpc(parent: Ino, name: string): Promise<Attr> {
    const reply = await this.meta.call<types.LookupRequest, types.AttrReply__Output>('lookup', { parent, name });
    return this.remember(attrFromWire(reply.attr, 'lookup'), parent, name);
  }

  getattr(ino: Ino): Promise<Attr> {
    return this.op('getattr', () => `(${ino})`, () => this.getattrInner(ino));
  }

  private async getattrInner(ino: Ino): Promise<Attr> {
    const a = this.attrs.get(ino);
    if (a) return this.withLocal(a);
    const reply = await this.meta.call<types.InoRequest, types.AttrReply__Output>('getAttr', { ino });
    return this.remember(attrFromWire(reply.attr, 'getattr'));
  }

  /** fstat(2): the attributes of an open file, which may have no name any more. */
  fstat(fh: number): Promise<Attr> {
    return this.op('fstat', () => `(${fh})`, async () => this.getattrInner(this.handle(fh).state.attr.ino));
  }

  /** The inode of an open file. */
  inodeOf(fh: number): Ino {
    return this.handle(fh).state.attr.ino;
  }

  /** The attributes of the inode at an absolute path (symlinks are not followed). */
  resolve(path: string): Promise<Attr> {
    return this.op('resolve', () => JSON.stringify(path), async () => {
      const parts = splitPath(path);
      let ino = rootIno;
      for (let i = 0; i < parts.length; i++) {
        const name = parts[i] as string;
        if (i === parts.length - 1) return this.cachedEntry(ino, name) ?? this.lookupMiss(ino, name);
        // Intermediate components need only the inode and that it is a directory.
        let e = this.entries.get(this.entryKey(ino, name));
        if (!e) {
          const a = await this.lookupRpc(ino, name);
          e = { ino: a.ino, mode: a.mode };
        }
        if (!isDir(e.mode)) throw new FsError(Errno.ENOTDIR, `${name} in ${path} is not a directory`);
        ino = e.ino;
      }
      return this.getattrInner(rootIno);
    });
  }

  setattr(ino: Ino, changes: AttrChanges): Promise<Attr> {
    return this.op('setattr', () => `(${ino},${JSON.stringify(changes)})`, () => this.setattrInner(ino, changes));
  }

  private async setattrInner(ino: Ino, changes: AttrChanges): Promise<Attr> {
    let mask = 0;
    if (changes.mode !== undefined) mask |= SetAttrMask.mode;
    if (changes.uid !== undefined) mask |= SetAttrMask.uid;
    if (changes.gid !== undefined) mask |= SetAttrMask.gid;
    if (changes.size !== undefined) {
      checkOffset(changes.size, 'size');
      mask |= SetAttrMask.size;
    }
    if (changes.atimeNow) mask |= SetAttrMask.atimeNow;
    else if (changes.atimeMs !== undefined) mask |= SetAttrMask.atime;
    if (changes.mtimeNow) mask |= SetAttrMask.mtimeNow;
    else if (changes.mtimeMs !== undefined) mask |= SetAttrMask.mtime;
    for (const k of ['atimeMs', 'mtimeMs'] as const) {
      const v = changes[k];
      if (v !== undefined && !Number.isSafeInteger(v)) throw new FsError(Errno.EINVAL, `${k} is not a whole number of milliseconds`);
    }
    for (const k of ['atimeNs', 'mtimeNs'] as const) {
      const v = changes[k];
      if (v !== undefined && !(Number.isSafeInteger(v) && v >= 0 && v < 1_000_000)) throw new FsError(Errno.EINVAL, `${k} must be 0..999999`);
    }
    const open = this.inodes.get(ino);
    // Writes issued before a truncate or a time change land before it: otherwise their commit at
    // close would stamp its own mtime over the one set (tar and cp -a set it before closing).
    const setsTime = (mask & (SetAttrMask.mtime | SetAttrMask.mtimeNow | SetAttrMask.atime | SetAttrMask.atimeNow)) !== 0;
    if (open && (changes.size !== undefined || setsTime)) await open.writer.flush();
    const reply = await this.meta.call<types.SetAttrRequest, types.AttrReply__Output>('setAttr', {
      header: this.session.header(),
      ino,
      mask,
      mode: changes.mode ?? 0,
      uid: changes.uid ?? 0,
      gid: changes.gid ?? 0,
      size: changes.size ?? 0,
      atimeMs: changes.atimeMs ?? 0,
      mtimeMs: changes.mtimeMs ?? 0,
      atimeNs: changes.atimeNs ?? 0,
      mtimeNs: changes.mtimeNs ?? 0,
    });
    const attr = attrFromWire(reply.attr, 'setattr');
    if (open) {
      open.attr = attr;
      if (changes.size !== undefined) open.reader.invalidate();
    }
    return this.remember(attr);
  }

  truncate(ino: Ino, size: number): Promise<Attr> {
    return this.setattr(ino, { size });
  }

  /** Every entry of a directory, sorted by name (no `.` and `..`). `plus` fills the attr cache. */
  readdir(ino: Ino, options: { plus?: boolean } = {}): Promise<DirEntry[]> {
    return this.op('readdir', () => `(${ino})`, async () => {
      const plus = options.plus ?? true;
      const out: DirEntry[] = [];
      let after = '';
      for (;;) {
        const reply = await this.meta.call<types.ReadDirRequest, types.ReadDirReply__Output>('readDir', { ino, after, limit: 1024, plus });
        for (const e of reply.entries) {
          const entry: DirEntry = { name: e.name, ino: safeId(e.ino, 'ino') as Ino, mode: e.mode };
          if (plus && e.attr) entry.attr = this.remember(attrFromWire(e.attr, 'readdir'), ino, e.name);
          else this.entries.set(this.entryKey(ino, e.name), { ino: entry.ino, mode: e.mode });
          out.push(entry);
        }
        const last = reply.entries[reply.entries.length - 1];
        if (!reply.more || !last) return out;
        after = last.name;
      }
    });
  }

  readlink(ino: Ino): Promise<string> {
    return this.op('readlink', () => `(${ino})`, async () => {
      const reply = await this.meta.call<types.InoRequest, types.ReadLinkReply__Output>('readLink', { ino });
      return reply.target;
    });
  }

  // ---- extended attributes ------------------------------------------------------------------

  /** setxattr(2); `flags` is XATTR_CREATE (1) or XATTR_REPLACE (2) or 0. */
  setxattr(ino: Ino, name: string, value: Buffer, flags: number): Promise<Attr> {
    return this.op('setxattr', () => `(${ino},${JSON.stringify(name)},${value.length},${flags})`, async () => {
      checkXattrName(name);
      if (value.length > xattrValueMaxBytes) throw new FsError(Errno.E2BIG, `setxattr: a value of ${value.length} bytes is over ${xattrValueMaxBytes}`);
      if (flags & ~(XattrFlags.create | XattrFlags.replace)) throw new FsError(Errno.EINVAL, `setxattr: unknown flags 0x${flags.toString(16)}`);
      this.xattrNames.delete(ino);
      const reply = await this.meta.call<types.SetXattrRequest, types.AttrReply__Output>('setXattr', { header: this.session.header(), ino, name, value, flags });
      return this.remember(attrFromWire(reply.attr, 'setxattr'));
    });
  }

  /** getxattr(2): the value, or ENODATA. */
  getxattr(ino: Ino, name: string): Promise<Buffer> {
    return this.op('getxattr', () => `(${ino},${JSON.stringify(name)})`, async () => {
      checkXattrName(name);
      // Most files have no attributes: one listing per TTL answers every miss locally.
      const known = this.xattrNames.get(ino) ?? new Set(await this.listxattr(ino));
      if (!known.has(name)) throw new FsError(Errno.ENODATA, `getxattr: no attribute ${name}`);
      const reply = await this.meta.call<types.GetXattrRequest, types.GetXattrReply__Output>('getXattr', { ino, name });
      return Buffer.from(reply.value);
    });
  }

  /** Always asks the master (listing is rare); the answer refreshes the cached names. */
  listxattr(ino: Ino): Promise<string[]> {
    return this.op('listxattr', () => `(${ino})`, async () => {
      const reply = await this.meta.call<types.InoRequest, types.ListXattrReply__Output>('listXattr', { ino });
      this.xattrNames.set(ino, new Set(reply.names));
      return reply.names;
    });
  }

  removexattr(ino: Ino, name: string): Promise<Attr> {
    return this.op('removexattr', () => `(${ino},${JSON.stringify(name)})`, async () => {
      checkXattrName(name);
      this.xattrNames.delete(ino);
      const reply = await this.meta.call<types.RemoveXattrRequest, types.AttrReply__Output>('removeXattr', { header: this.session.header(), ino, name });
      return this.remember(attrFromWire(reply.attr, 'removexattr'));
    });
  }

  // ---- advisory locks -----------------------------------------------------------------------

  /**
   * Takes or releases a flock(2) or fcntl(2) lock, arbitrated by the master for every client of
   * the cluster and held by this client's session. A conflict fails with EAGAIN: blocking callers
   * (F_SETLKW, flock without LOCK_NB) retry, as their wait is theirs to bound or abandon.
   */
  lock(ino: Ino, request: LockRequestArgs): Promise<void> {
    return this.op('lock', () => `(${ino},${request.kind},${request.type},${request.start}..${request.end})`, async () => {
      checkLockRange(request);
      await this.meta.call<types.LockRequest, types.LockReply__Output>('lock', { header: this.session.header(), ino, ...lockWire(request) });
    });
  }

  /** F_GETLK: the lock that would stop `request`, or undefined. */
  testLock(ino: Ino, request: LockRequestArgs): Promise<HeldLock | undefined> {
    return this.op('testlock', () => `(${ino})`, async () => {
      checkLockRange(request);
      const r = await this.meta.call<types.LockRequest, types.LockReply__Output>('testLock', { header: this.session.header(), ino, ...lockWire(request) });
      if (r.type === LockType.unlock) return undefined;
      return { type: r.type as HeldLock['type'], start: r.start, end: r.end, pid: r.pid };
    });
  }

  statfs(): Promise<StatFs> {
    return this.op('statfs', () => '()', async () => {
      const r = await this.meta.call<types.StatFsRequest, types.StatFsReply__Output>('statFs', {});
      return { totalBytes: r.totalBytes, usedBytes: r.usedBytes, availBytes: r.availBytes, files: r.files };
    });
  }

  private async createNode(parent: Ino, name: string, mode: number, extra: { rdev?: number; target?: string; exclusive: boolean; owner?: Owner }): Promise<Attr> {
    checkName(name);
    const owner = extra.owner ?? { uid: this.config.uid, gid: this.config.gid };
    const reply = await this.meta.call<types.CreateRequest, types.AttrReply__Output>('create', {
      header: this.session.header(),
      parent,
      name,
      mode,
      uid: owner.uid,
      gid: owner.gid,
      rdev: extra.rdev ?? 0,
      symlinkTarget: extra.target ?? '',
      exclusive: extra.exclusive,
    });
    const attr = attrFromWire(reply.attr, 'create');
    // A new inode's times are the master's stamp of this change, which is also its parent's; a
    // non-exclusive create may have opened an existing file and changed nothing.
    if (extra.exclusive) this.touchDir(parent, isDir(attr.mode) ? 1 : 0, attr.ctimeMs);
    else this.attrs.delete(parent);
    return this.remember(attr, parent, name);
  }

  mkdir(parent: Ino, name: string, mode: number, owner?: Owner): Promise<Attr> {
    return this.op('mkdir', () => `(${parent},${JSON.stringify(name)})`, () =>
      this.createNode(parent, name, S_IFDIR | (mode & 0o7777), { exclusive: true, ...(owner ? { owner } : {}) }),
    );
  }

  mknod(parent: Ino, name: string, mode: number, rdev: number, owner?: Owner): Promise<Attr> {
    return this.op('mknod', () => `(${parent},${JSON.stringify(name)},${mode.toString(8)})`, () => {
      const type = mode & S_IFMT || S_IFREG;
      if (type === S_IFDIR || type === S_IFLNK) throw new FsError(Errno.EINVAL, 'mknod cannot make directories or symlinks');
      return this.createNode(parent, name, type | (mode & 0o7777), { rdev, exclusive: true, ...(owner ? { owner } : {}) });
    });
  }

  symlink(parent: Ino, name: string, target: string, owner?: Owner): Promise<Attr> {
    return this.op('symlink', () => `(${parent},${JSON.stringify(name)})`, () => {
      checkSymlinkTarget(target);
      return this.createNode(parent, name, S_IFLNK | 0o777, { target, exclusive: true, ...(owner ? { owner } : {}) });
    });
  }

  link(ino: Ino, parent: Ino, name: string): Promise<Attr> {
    return this.op('link', () => `(${ino},${parent},${JSON.stringify(name)})`, async () => {
      checkName(name);
      const reply = await this.meta.call<types.LinkRequest, types.AttrReply__Output>('link', { header: this.session.header(), ino, parent, name });
      this.attrs.delete(parent);
      return this.remember(attrFromWire(reply.attr, 'link'), parent, name);
    });
  }

  /** Whether the name's inode is open here, known from the cache or, if files are open, asked. */
  private async openInodeAt(parent: Ino, name: string): Promise<OpenInode | undefined> {
    if (this.inodes.size === 0) return undefined;
    let e = this.entries.get(this.entryKey(parent, name));
    if (!e) {
      try {
        const a = await this.lookupRpc(parent, name);
        e = { ino: a.ino, mode: a.mode };
      } catch {
        return undefined;
      }
    }
    return this.inodes.get(e.ino);
  }

  private async unlinkInner(parent: Ino, name: string, directory: boolean): Promise<void> {
    checkName(name);
    const open = directory ? undefined : await this.openInodeAt(parent, name);
    const reply = await this.meta.call<types.UnlinkRequest, types.UnlinkReply__Output>('unlink', {
      header: this.session.header(),
      parent,
      name,
      directory,
      sustain: open !== undefined,
    });
    const ino = safeId(reply.ino, 'ino') as Ino;
    if (open && open.attr.ino === ino) open.sustained = true;
    this.forget(parent, name);
    this.attrs.delete(ino);
  }

  unlink(parent: Ino, name: string): Promise<void> {
    return this.op('unlink', () => `(${parent},${JSON.stringify(name)})`, () => this.unlinkInner(parent, name, false));
  }

  rmdir(parent: Ino, name: string): Promise<void> {
    return this.op('rmdir', () => `(${parent},${JSON.stringify(name)})`, () => this.unlinkInner(parent, name, true));
  }

  /** rename(2); `flags`: RENAME_NOREPLACE = 1, RENAME_EXCHANGE = 2. */
  rename(sourceParent: Ino, sourceName: string, targetParent: Ino, targetName: string, flags = 0): Promise<void> {
    return this.op('rename', () => `(${sourceParent},${JSON.stringify(sourceName)},${targetParent},${JSON.stringify(targetName)})`, async () => {
      checkName(sourceName);
      checkName(targetName);
      if ((flags & ~3) !== 0 || flags === 3) throw new FsError(Errno.EINVAL, `bad rename flags ${flags}`);
      const replaced = flags === 0 ? await this.openInodeAt(targetParent, targetName) : undefined;
      const moved = this.entries.get(this.entryKey(sourceParent, sourceName));
      const reply = await this.meta.call<types.RenameRequest, types.RenameReply__Output>('rename', {
        header: this.session.header(),
        sourceParent,
        sourceName,
        targetParent,
        targetName,
        flags,
        sustain: replaced !== undefined,
      });
      const replacedIno = safeId(reply.replacedIno, 'replaced_ino');
      if (replaced && replaced.attr.ino === replacedIno) replaced.sustained = true;
      if (replacedIno) this.attrs.delete(replacedIno as Ino);
      this.forget(sourceParent, sourceName);
      this.forget(targetParent, targetName);
      if (moved) this.attrs.delete(moved.ino);
    });
  }

  // ---- files ----------------------------------------------------------------------------------

  private openState(attr: Attr): OpenInode {
    let s = this.inodes.get(attr.ino);
    if (!s) {
      const writer = new FileWriter(
        {
          pool: this.pool,
          allocator: this.allocator,
          servers: this.servers,
          logger: this.logger,
          limits: {
            chunkBytes: chunkSizeBytes,
            sliceBytesMax: this.config.sliceBytesMax,
            fileInflightBytesMax: this.config.fileInflightBytesMax,
            uploadAttempts: this.config.uploadAttempts,
            uploadBackoffMs: 100,
            uploadRetryBudgetMs: this.config.retryBudgetMs,
            inlineBytesMax,
          },
          commit: (ino, slices, sizeBytes, mtimeMs) => this.commit(ino, slices, sizeBytes, mtimeMs),
          committed: (ino, a, chunks) => {
            this.remember(a);
            this.inodes.get(ino)?.reader.invalidate(chunks);
          },
          writeInline: (ino, offset, data, mtimeMs) => this.writeInlineData(ino, offset, data, mtimeMs),
          isInline: (ino) => this.inodes.get(ino)?.attr.inline ?? false,
        },
        attr.ino,
        attr.goal || defaultGoal,
      );
      const reader = new FileReader(
        {
          servers: this.servers,
          cache: this.readCache,
          logger: this.logger,
          limits: { chunkBytes: chunkSizeBytes, readBlockBytes: this.config.readBlockBytes, readAheadBlocksMax: this.config.readAheadBlocksMax },
          readChunk: (ino, index) => this.readChunk(ino, index),
        },
        attr.ino,
      );
      s = new OpenInode(attr, writer, reader);
      this.inodes.set(attr.ino, s);
    } else {
      s.attr = attr;
      // Close-to-open: what another client committed since is visible after this open.
      s.reader.invalidate();
    }
    return s;
  }

  private newHandle(attr: Attr, flags: number): number {
    const state = this.openState(attr);
    if (state.refs === 0) this.readCache.dropInode(attr.ino);
    state.refs++;
    while (this.handles.has(this.nextFh) || this.nextFh === 0) this.nextFh = this.nextFh >= 0x7fffffff ? 1 : this.nextFh + 1;
    const fh = this.nextFh++;
    this.handles.set(fh, { fh, flags, state, cursor: { nextOffset: 0, aheadBlocks: 0 } });
    return fh;
  }

  private handle(fh: number): Handle {
    const h = this.handles.get(fh);
    if (!h) throw new FsError(Errno.EBADF, `no open file ${fh}`);
    return h;
  }

  /** open(2) of an existing inode; returns a file handle number (≥ 1). */
  open(ino: Ino, flags: number): Promise<number> {
    return this.op('open', () => `(${ino},0x${flags.toString(16)})`, async () => {
      const reply = await this.meta.call<types.OpenRequest, types.AttrReply__Output>('open', { header: this.session.header(), ino, flags });
      const attr = attrFromWire(reply.attr, 'open');
      const writing = (flags & O_ACCMODE) !== fsConstants.O_RDONLY;
      if (isDir(attr.mode) && writing) throw new FsError(Errno.EISDIR, `inode ${ino} is a directory`);
      this.attrs.set(attr.ino, attr);
      const fh = this.newHandle(attr, flags);
      if (flags & fsConstants.O_TRUNC && writing && attr.size > 0) {
        try {
          await this.setattrInner(ino, { size: 0 });
        } catch (err) {
          await this.releaseInner(fh).catch(() => {});
          throw err;
        }
      }
      return fh;
    });
  }

  /** Creates a regular file (or opens it, unless `flags` has O_EXCL) and opens it. */
  create(parent: Ino, name: string, mode: number, flags: number, owner?: Owner): Promise<{ attr: Attr; fh: number }> {
    return this.op('create', () => `(${parent},${JSON.stringify(name)})`, async () => {
      const exclusive = (flags & fsConstants.O_EXCL) !== 0;
      const attr = await this.createNode(parent, name, S_IFREG | (mode & 0o7777), { exclusive, ...(owner ? { owner } : {}) });
      if (isDir(attr.mode)) throw new FsError(Errno.EISDIR, `${name} is a directory`);
      const fh = this.newHandle(attr, flags);
      if (!exclusive && flags & fsConstants.O_TRUNC && attr.size > 0) {
        await this.setattrInner(attr.ino, { size: 0 });
      }
      return { attr: this.withLocal(this.inodes.get(attr.ino)?.attr ?? attr), fh };
    });
  }

  /** Reads up to `target.length` bytes at `position` into `target`; fewer at the end of the file. */
  readInto(fh: number, target: Buffer, position: number): Promise<number> {
    return this.op('read', () => `(${fh},${position},${target.length})`, async () => {
      const h = this.handle(fh);
      if ((h.flags & O_ACCMODE) === fsConstants.O_WRONLY) throw new FsError(Errno.EBADF, `file ${fh} is not open for reading`);
      checkOffset(position, 'position');
      const { state } = h;
      for (let attempt = 0; ; attempt++) {
        const gen = state.reader.gen;
        const committed = state.attr.size;
        const size = Math.max(committed, state.writer.dirtyEnd);
        if (position >= size || target.length === 0) return 0;
        const n = Math.min(target.length, size - position);
        const remote = Math.max(0, Math.min(n, committed - position));
        await state.reader.readInto(h.cursor, target, 0, position, remote, committed);
        if (remote < n) target.fill(0, remote, n);
        overlayDirty(state.writer.extents(), target, 0, position, n);
        // A commit during the read may have moved bytes from the overlay to chunks read before it.
        if (gen === state.reader.gen || attempt >= 3) return n;
      }
    });
  }

  async read(fh: number, position: number, length: number): Promise<Buffer> {
    checkOffset(length, 'length');
    const buf = Buffer.allocUnsafe(Math.min(length, 256 * MiB));
    const n = await this.readInto(fh, buf, position);
    return buf.subarray(0, n);
  }

  /** Writes all of `data` at `position`; may wait while too much is buffered (backpressure). */
  write(fh: number, position: number, data: Buffer): Promise<number> {
    return this.op('write', () => `(${fh},${position},${data.length})`, async () => {
      const h = this.handle(fh);
      if ((h.flags & O_ACCMODE) === fsConstants.O_RDONLY) throw new FsError(Errno.EBADF, `file ${fh} is not open for writing`);
      checkOffset(position, 'position');
      checkOffset(position + data.length, 'end of write');
      if (!isRegular(h.state.attr.mode)) throw new FsError(Errno.EINVAL, `inode ${h.state.attr.ino} is not a regular file`);
      await h.state.writer.write(position, data);
      return data.length;
    });
  }

  /** Resolves once every byte written to the file so far is stored on its replicas and committed. */
  flush(fh: number): Promise<void> {
    return this.op('flush', () => `(${fh})`, () => this.handle(fh).state.writer.flush());
  }

  fsync(fh: number): Promise<void> {
    return this.op('fsync', () => `(${fh})`, () => this.handle(fh).state.writer.flush());
  }

  /** Closes a handle: flushes (reporting any write error), and at the last close of an unlinked file, releases it. */
  release(fh: number): Promise<void> {
    return this.op('release', () => `(${fh})`, () => this.releaseInner(fh));
  }

  private async releaseInner(fh: number): Promise<void> {
    const h = this.handle(fh);
    let error: unknown;
    try {
      await h.state.writer.flush();
    } catch (err) {
      error = err;
    }
    this.handles.delete(fh);
    const state = h.state;
    state.refs--;
    if (state.refs === 0) {
      // Uploads still running after a failure end on their own and return their blocks.
      this.inodes.delete(state.attr.ino);
      if (state.sustained) {
        await this.meta
          .call<types.ReleaseRequest, types.ReleaseReply__Output>('release', { header: this.session.header(), ino: state.attr.ino })
          .catch((err: unknown) => this.logger.warn({ err, ino: state.attr.ino }, `release of unlinked inode ${state.attr.ino} failed`));
      }
    }
    if (error) throw error;
  }

  /** Flushes every open file; the first error is thrown after all were tried. */
  async flushAll(): Promise<void> {
    const errors: unknown[] = [];
    await Promise.all([...this.inodes.values()].map((s) => s.writer.flush().catch((e: unknown) => errors.push(e))));
    if (errors.length > 0) throw fsErrorFrom(errors[0], 'flush');
  }

  /** Flushes and closes every handle, closes the session and the connections. */
  async close(): Promise<void> {
    if (this.closed) return;
    for (const fh of [...this.handles.keys()]) await this.releaseInner(fh).catch(() => {});
    this.closed = true;
    await this.session.close();
    this.meta.close();
    this.servers.close();
  }

  // ---- data-path RPCs ---------------------------------------------------------------------

  private async commit(ino: Ino, slices: SliceCommit[], sizeBytes: number, mtimeMs: number): Promise<Attr> {
    const reply = await this.meta.call<types.CommitSlicesRequest, types.AttrReply__Output>('commitSlices', {
      header: this.session.header(),
      ino,
      slices,
      size: sizeBytes,
      mtimeMs,
    });
    return attrFromWire(reply.attr, 'commitSlices');
  }

  private async writeInlineData(ino: Ino, offset: number, data: Buffer, mtimeMs: number): Promise<Attr> {
    const reply = await this.meta.call<types.WriteInlineRequest, types.AttrReply__Output>('writeInline', {
      header: this.session.header(),
      ino,
      offset,
      data,
      mtimeMs,
    });
    return attrFromWire(reply.attr, 'writeInline');
  }

  private async readChunk(ino: Ino, chunkIndex: number): Promise<ChunkMap> {
    const reply = await this.meta.call<types.ReadChunkRequest, types.ReadChunkReply__Output>('readChunk', { ino, chunkIndex });
    const locations = new Map<SliceId, ServerRef[]>();
    for (const l of reply.locations) {
      locations.set(safeId(l.sliceId, 'slice_id') as SliceId, l.servers.map((s) => ({ id: safeId(s.id, 'server id'), address: s.address })));
    }
    return {
      slices: reply.slices.map((s) => ({
        id: safeId(s.sliceId, 'slice_id') as SliceId,
        offset: s.offset,
        length: s.length,
        sliceOffset: s.sliceOffset,
        sliceSize: s.sliceSize,
      })),
      locations,
      size: safeId(reply.size, 'size'),
      inline: reply.inlineData.length > 0 ? reply.inlineData : undefined,
    };
  }
}

function isRegular(mode: number): boolean {
  return (mode & S_IFMT) === S_IFREG;
}


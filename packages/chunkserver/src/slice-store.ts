// The slice store: immutable slices (up to 64 MiB) kept as one file each under a data directory,
// with a CRC32C per 64 KiB block stored in the file and verified on every read.
//
// On-disk layout (format 1):
//   <dataDir>/LOCK                       pid of the owning process; created with O_EXCL.
//   <dataDir>/server-id                  {"format":1,"serverId":N}, created on first start.
//   <dataDir>/slices/<xx>/<id>.slice     a slice; <xx> = low 8 bits of the id in hex (256 fan-out
//                                        directories), <id> = the id as 16 hex digits.
//   <dataDir>/slices/<xx>/<id>.<r>.tmp   a slice being written; deleted by the scan at start.
// A slice file is: data (size bytes) | CRC table (u32 LE per 64 KiB block, the last block may be
// short) | trailer (40 bytes, little endian):
//   0 magic "CAIRNSL1" | 8 slice id u64 | 16 size u32 | 20 block count u32 | 24 block size u32 |
//   28 CRC32C of the whole data | 32 CRC32C of the table | 36 CRC32C of trailer bytes 0..36.
//
// Invariants:
// - A slice is visible (in `slices`, readable, reported) only once whole and durable: it is
//   written to a temp file, fsynced, renamed into place and its directory fsynced (the rename is
//   the commit point). A failed or aborted write leaves nothing behind. Directory fsyncs are
//   group-committed (dir-sync.ts): one fsync covers every rename into that directory made before
//   it started.
// - A small slice (known size up to `smallSliceMaxBytes`) is gathered in memory and written with
//   its CRC table and trailer in one write to a file opened with O_DSYNC (when `sync`): one
//   create, one write, no separate fsync of the file. Larger slices stream to disk as they come.
// - Reads reuse open handles of recently read slices (read-handles.ts, bounded); a delete or an
//   install drops the cached handle first.
// - Every block is checksummed before it is written and verified after it is read (STYLE.md,
//   paired assertions); a mismatch is EIO and marks the slice corrupt for the next heartbeat.
// - A corrupt slice is no longer held: it leaves `slices` (so it is neither served, nor reported
//   as held, nor copied), every read of it is EIO, and it is reported in `corrupt` once (and in
//   every full report) until the master deletes it or a good copy is written over it. Its file
//   stays on disk until then and still counts in usedBytes.
// - usedBytes is the sum of the committed files' sizes; reservedBytes covers writes in flight.
//   A write that would leave less than `reserveBytes` free fails with ENOSPC before its bytes
//   are written.
// - Changes since the last acknowledged heartbeat are kept per id (latest change wins) until the
//   master acknowledges them, so a failed heartbeat loses nothing.
import { randomBytes, randomInt } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, statfs, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32c } from '@node-rs/crc32';
import { Errno, ErrorCode, FatalError, FatalReason, FsError, assert, fsErrorFrom } from '@cairn/errors';
import { crc32cCombine, shiftOperator } from './crc32c-combine.js';
import { DirSync } from './dir-sync.js';
import { ReadHandles } from './read-handles.js';
import { nodeIdFrom, type NodeId, type SliceId } from './ids.js';

export const blockSizeBytes = 64 * 1024;
export const sliceSizeMaxBytes = 64 * 1024 * 1024;
export const blockCountMax = sliceSizeMaxBytes / blockSizeBytes;
export const trailerSizeBytes = 40;
/** Largest data window read (and sent) at once: 16 blocks. */
export const readWindowBytes = 1024 * 1024;
/**
 * Scratch bytes in front of every buffer `read()` yields, so that the data service can put a
 * ReadFrame's protobuf prefix there and send the bytes without copying them (data-service.ts).
 */
export const readPrefixBytes = 16;
/** Read buffers kept for reuse (FACTS.md: fresh memory is slow to fill here; GC of 1 MiB buffers was 20 % of a read's CPU). */
const readBuffersMax = 32;
const readBufferBytes = readPrefixBytes + readWindowBytes;
/** Slices of a known size up to this are gathered in memory and written in one call. */
export const smallSliceMaxBytes = 256 * 1024;
/** Open read handles kept for recently read slices. */
const readHandlesMax = 64;
const fanOutCount = 256;
const trailerMagic = Buffer.from('CAIRNSL1', 'latin1');
const formatVersion = 1;
const scanConcurrency = 64;
const fullBlockShift = shiftOperator(blockSizeBytes);

/** The minimal logger the store needs; a pino logger fits. */
export interface StoreLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface SliceStoreOptions {
  dataDir: string;
  /** Cap on the bytes this store may use, below the filesystem's own size. */
  capacityBytes?: number;
  /** Refuse new slices that would leave less free space; default min(256 MiB, 5 % of capacity). */
  reserveBytes?: number;
  logger: StoreLogger;
}

export interface SpaceReport {
  capacityBytes: number;
  usedBytes: number;
  /** Room left: min(capacity - used, filesystem free), less writes in flight. */
  freeBytes: number;
  /** What new slices may still take: `freeBytes` less the reserve (what the heartbeat reports). */
  writableBytes: number;
}

/** Outcome of `verify()`: good, gone (deleted meanwhile), or corrupt with the reason. */
export type VerifyResult = { kind: 'ok'; sizeBytes: number } | { kind: 'gone' } | { kind: 'corrupt'; why: string };

export interface SliceReport {
  sliceId: SliceId;
  sizeBytes: number;
}

/** What the next heartbeat carries; `ack()` once the master has accepted it. */
export interface InventoryReport {
  full: boolean;
  slices: SliceReport[];
  removed: SliceId[];
  corrupt: SliceId[];
  ack(): void;
}

interface SliceEntry {
  sizeBytes: number;
  fileBytes: number;
  dataCrc: number;
}

type Change = { kind: 'add'; sizeBytes: number; seq: number } | { kind: 'remove'; seq: number };

export function blockCountOf(sizeBytes: number): number {
  return Math.ceil(sizeBytes / blockSizeBytes);
}

/** Bytes a slice of `sizeBytes` takes on disk: data, CRC table and trailer. */
export function fileBytesOf(sizeBytes: number): number {
  return sizeBytes + 4 * blockCountOf(sizeBytes) + trailerSizeBytes;
}

function fanOutDir(id: SliceId): string {
  return (id % 256).toString(16).padStart(2, '0');
}

function idName(id: SliceId): string {
  return id.toString(16).padStart(16, '0');
}

/** Path of a committed slice's file (exported for tests and tools). */
export function slicePath(dataDir: string, id: SliceId): string {
  return join(dataDir, 'slices', fanOutDir(id), `${idName(id)}.slice`);
}

function encodeTrailer(id: SliceId, sizeBytes: number, blockCount: number, dataCrc: number, tableCrc: number): Buffer {
  const t = Buffer.alloc(trailerSizeBytes);
  trailerMagic.copy(t, 0);
  t.writeBigUInt64LE(BigInt(id), 8);
  t.writeUInt32LE(sizeBytes, 16);
  t.writeUInt32LE(blockCount, 20);
  t.writeUInt32LE(blockSizeBytes, 24);
  t.writeUInt32LE(dataCrc >>> 0, 28);
  t.writeUInt32LE(tableCrc >>> 0, 32);
  t.writeUInt32LE(crc32c(t.subarray(0, 36)) >>> 0, 36);
  return t;
}

/** Decodes and checks a trailer against the file it came from; returns why it is bad, or the entry. */
function decodeTrailer(t: Buffer, id: SliceId, fileBytes: number): SliceEntry | string {
  if (t.length !== trailerSizeBytes) return 'short file';
  if (!t.subarray(0, 8).equals(trailerMagic)) return 'bad magic';
  if ((crc32c(t.subarray(0, 36)) >>> 0) !== t.readUInt32LE(36)) return 'trailer checksum mismatch';
  if (t.readBigUInt64LE(8) !== BigInt(id)) return 'trailer names another slice';
  const sizeBytes = t.readUInt32LE(16);
  if (sizeBytes > sliceSizeMaxBytes) return 'size too large';
  if (t.readUInt32LE(20) !== blockCountOf(sizeBytes)) return 'block count mismatch';
  if (t.readUInt32LE(24) !== blockSizeBytes) return 'unknown block size';
  if (fileBytesOf(sizeBytes) !== fileBytes) return 'file size does not match trailer';
  return { sizeBytes, fileBytes, dataCrc: t.readUInt32LE(28) };
}

async function fsyncDir(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === 'EPERM';
  }
}

export class SliceStore {
  readonly dataDir: string;
  readonly serverId: NodeId;
  private readonly logger: StoreLogger;
  private readonly lock: FileHandle;
  private readonly slices = new Map<SliceId, SliceEntry>();
  private readonly changes = new Map<SliceId, Change>();
  private changeSeq = 0;
  /** Corrupt slices detected since start (until deleted), with the bytes their files take. */
  private readonly corruptKnown = new Map<SliceId, { fileBytes: number; sizeBytes: number }>();
  /** Corrupt slices not yet reported. */
  private readonly corruptUnreported = new Set<SliceId>();
  private readonly createdDirs = new Set<string>();
  /** Per-id commit in progress: concurrent writers of one id commit one after the other. */
  private readonly commits = new Map<SliceId, Promise<void>>();
  private readonly writers = new Set<SliceWriter>();
  private readonly dirSync = new DirSync(fanOutCount + 1);
  private readonly readHandles: ReadHandles<SliceId>;
  private readonly readBuffers: Buffer[] = [];
  private readonly capacityLimitBytes: number;
  private readonly reserveOptionBytes: number | undefined;
  private usedBytes = 0;
  private reservedBytes = 0;
  private fsTotalBytes = 0;
  private fsAvailBytes = 0;
  /** Bytes this store added to (or, negative, freed from) the filesystem since the last statfs. */
  private fsDeltaBytes = 0;
  private closed = false;

  private constructor(options: SliceStoreOptions, serverId: NodeId, lock: FileHandle) {
    this.dataDir = options.dataDir;
    this.serverId = serverId;
    this.logger = options.logger;
    this.lock = lock;
    this.capacityLimitBytes = options.capacityBytes ?? Number.POSITIVE_INFINITY;
    this.reserveOptionBytes = options.reserveBytes;
    this.readHandles = new ReadHandles(readHandlesMax, (id) => open(slicePath(this.dataDir, id), 'r'));
  }

  static validate(options: SliceStoreOptions): void {
    if (typeof options.dataDir !== 'string' || options.dataDir === '') {
      throw new FsError(Errno.EINVAL, 'dataDir is required', { code: ErrorCode.Config });
    }
    for (const key of ['capacityBytes', 'reserveBytes'] as const) {
      const v = options[key];
      if (v !== undefined && (!Number.isSafeInteger(v) || v < 0)) {
        throw new FsError(Errno.EINVAL, `${key} must be a non-negative integer, got ${String(v)}`, { code: ErrorCode.Config });
      }
    }
  }

  /** Opens (creating if needed) the store in `dataDir`: lock, server id, scan, statfs. */
  static async open(options: SliceStoreOptions): Promise<SliceStore> {
    SliceStore.validate(options);
    await mkdir(join(options.dataDir, 'slices'), { recursive: true });
    const lock = await acquireLock(options.dataDir);
    try {
      const serverId = await loadOrCreateServerId(options.dataDir);
      const store = new SliceStore(options, serverId, lock);
      await store.scan();
      await store.refreshStatfs();
      options.logger.info(
        { slices: store.slices.size, ...store.space() },
        `slice store opened with ${store.slices.size} slices`,
      );
      return store;
    } catch (err) {
      await lock.close();
      await unlink(join(options.dataDir, 'LOCK')).catch(() => {});
      throw err;
    }
  }

  /** Builds the inventory from the files on disk and deletes leftover temp files. */
  private async scan(): Promise<void> {
    const root = join(this.dataDir, 'slices');
    const candidates: { id: SliceId; path: string }[] = [];
    for (const dir of await readdir(root)) {
      if (!/^[0-9a-f]{2}$/.test(dir)) continue;
      const dirPath = join(root, dir);
      this.createdDirs.add(dirPath);
      for (const name of await readdir(dirPath)) {
        const path = join(dirPath, name);
        if (name.endsWith('.tmp')) {
          await unlink(path).catch(() => {});
          this.logger.info({ path }, 'deleted leftover temp file');
          continue;
        }
        const m = /^([0-9a-f]{16})\.slice$/.exec(name);
        if (!m) continue;
        const n = Number.parseInt(m[1] as string, 16);
        if (!Number.isSafeInteger(n) || n <= 0 || fanOutDir(n as SliceId) !== dir) continue;
        candidates.push({ id: n as SliceId, path });
      }
    }
    for (let i = 0; i < candidates.length; i += scanConcurrency) {
      await Promise.all(candidates.slice(i, i + scanConcurrency).map((c) => this.scanOne(c.id, c.path)));
    }
  }

  private async scanOne(id: SliceId, path: string): Promise<void> {
    const fh = await open(path, 'r');
    let entry: SliceEntry | string;
    let fileSizeBytes = 0;
    try {
      const { size } = await fh.stat();
      fileSizeBytes = size;
      const t = Buffer.alloc(trailerSizeBytes);
      const { bytesRead } = size >= trailerSizeBytes ? await fh.read(t, 0, trailerSizeBytes, size - trailerSizeBytes) : { bytesRead: 0 };
      entry = decodeTrailer(t.subarray(0, bytesRead), id, size);
    } finally {
      await fh.close();
    }
    if (typeof entry === 'string') {
      // Not trusted, not served; reported as corrupt so the master replaces it and, through
      // deleteSlices, removes the file. Never deleted on our own: the data may still be needed.
      this.logger.warn({ sliceId: id, path, why: entry }, 'unreadable slice file at start');
      this.corruptKnown.set(id, { fileBytes: fileSizeBytes, sizeBytes: 0 });
      this.corruptUnreported.add(id);
      this.usedBytes += fileSizeBytes;
      return;
    }
    this.slices.set(id, entry);
    this.usedBytes += entry.fileBytes;
  }

  async refreshStatfs(): Promise<void> {
    const s = await statfs(this.dataDir);
    this.fsTotalBytes = s.blocks * s.bsize;
    this.fsAvailBytes = s.bavail * s.bsize;
    this.fsDeltaBytes = 0;
  }

  private capacityBytes(): number {
    return Math.min(this.capacityLimitBytes, this.fsTotalBytes);
  }

  private reserveBytes(): number {
    return this.reserveOptionBytes ?? Math.min(256 * 1024 * 1024, Math.floor(this.capacityBytes() * 0.05));
  }

  space(): SpaceReport {
    const capacityBytes = this.capacityBytes();
    const freeBytes = Math.max(
      0,
      Math.min(capacityBytes - this.usedBytes - this.reservedBytes, this.fsAvailBytes - this.fsDeltaBytes - this.reservedBytes),
    );
    return { capacityBytes, usedBytes: this.usedBytes, freeBytes, writableBytes: Math.max(0, freeBytes - this.reserveBytes()) };
  }

  /** Reserves room for bytes about to be written, or fails with ENOSPC without reserving. */
  reserve(bytes: number): void {
    assert(bytes >= 0, 'reservation is non-negative');
    const { freeBytes } = this.space();
    // The same test as `writableBytes >= bytes`: a write that fits what the heartbeat reports
    // as writable never fails here (short of a race with other writes).
    if (freeBytes - bytes < this.reserveBytes()) {
      throw new FsError(Errno.ENOSPC, `no space for ${bytes} more bytes (free ${freeBytes}, reserve ${this.reserveBytes()})`, {
        code: ErrorCode.NoSpace,
      });
    }
    this.reservedBytes += bytes;
  }

  release(bytes: number): void {
    assert(bytes >= 0 && bytes <= this.reservedBytes, 'released no more than reserved');
    this.reservedBytes -= bytes;
  }

  has(id: SliceId): boolean {
    return this.slices.has(id);
  }

  sizeOf(id: SliceId): number | undefined {
    return this.slices.get(id)?.sizeBytes;
  }

  get sliceCount(): number {
    return this.slices.size;
  }

  /** All committed slices (a copy). */
  inventory(): SliceReport[] {
    return [...this.slices].map(([sliceId, e]) => ({ sliceId, sizeBytes: e.sizeBytes }));
  }

  isCorrupt(id: SliceId): boolean {
    return this.corruptKnown.has(id);
  }

  /**
   * Takes slice `id` out of service: no longer held, served or copied; reported as corrupt in
   * the next heartbeat. The file stays (and counts as used) until the master deletes it.
   */
  markCorrupt(id: SliceId): void {
    if (this.corruptKnown.has(id)) return;
    const entry = this.slices.get(id);
    this.corruptKnown.set(id, { fileBytes: entry?.fileBytes ?? 0, sizeBytes: entry?.sizeBytes ?? 0 });
    this.corruptUnreported.add(id);
    if (entry) {
      this.slices.delete(id);
      this.recordChange(id, { kind: 'remove' });
    }
    this.readHandles.forget(id);
    this.logger.error({ sliceId: id }, `slice ${id} is corrupt; no longer served`);
  }

  /** The whole slice's CRC32C as recorded at write time, if the slice is held. */
  dataCrcOf(id: SliceId): number | undefined {
    return this.slices.get(id)?.dataCrc;
  }

  private recordChange(id: SliceId, change: { kind: 'add'; sizeBytes: number } | { kind: 'remove' }): void {
    this.changes.set(id, { ...change, seq: ++this.changeSeq });
  }

  /** The next heartbeat's content: the whole inventory if `full`, else the changes since the last ack. */
  report(full: boolean): InventoryReport {
    const seq = this.changeSeq;
    const slices: SliceReport[] = [];
    const removed: SliceId[] = [];
    let corrupt: SliceId[];
    if (full) {
      slices.push(...this.inventory());
      corrupt = [...this.corruptKnown.keys()];
    } else {
      for (const [sliceId, c] of this.changes) {
        if (c.kind === 'add') slices.push({ sliceId, sizeBytes: c.sizeBytes });
        else removed.push(sliceId);
      }
      corrupt = [...this.corruptUnreported];
    }
    return {
      full,
      slices,
      removed,
      corrupt,
      ack: () => {
        // A full report covers every change made before it was taken; later ones stay queued.
        for (const [id, c] of this.changes) if (c.seq <= seq) this.changes.delete(id);
        for (const id of corrupt) this.corruptUnreported.delete(id);
      },
    };
  }

  /**
   * Starts writing slice `id`. If the slice already exists the writer only checksums the bytes
   * and, at commit, accepts them if identical (a retried write) or fails with EEXIST.
   */
  async beginWrite(id: SliceId, expectedSizeBytes: number): Promise<SliceWriter> {
    this.checkOpen();
    assert(Number.isSafeInteger(expectedSizeBytes) && expectedSizeBytes >= 0, 'expected size is an integer');
    if (expectedSizeBytes > sliceSizeMaxBytes) {
      throw new FsError(Errno.EINVAL, `slice size ${expectedSizeBytes} is above the ${sliceSizeMaxBytes} byte maximum`, {
        code: ErrorCode.BadInput,
      });
    }
    const existing = this.slices.get(id);
    if (existing) {
      if (expectedSizeBytes > 0 && existing.sizeBytes !== expectedSizeBytes) throw existsError(id);
      const w = new SliceWriter(this, id, expectedSizeBytes, { kind: 'duplicate' }, 0);
      this.writers.add(w);
      return w;
    }
    // Reserve everything up front when the size is known, so that ENOSPC comes before any byte.
    const reservedBytes = expectedSizeBytes > 0 ? fileBytesOf(expectedSizeBytes) : trailerSizeBytes;
    this.reserve(reservedBytes);
    if (expectedSizeBytes > 0 && expectedSizeBytes <= smallSliceMaxBytes) {
      // The temp file is created while the bytes arrive (creating a file costs about as much as
      // an fsync here) and written once at commit.
      const opening = this.tempPath(id).then(async (tmpPath) => {
        const flags = fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_DSYNC;
        return { fh: await open(tmpPath, flags, 0o644), tmpPath };
      });
      opening.catch(() => {});
      const file = Buffer.allocUnsafe(fileBytesOf(expectedSizeBytes));
      const w = new SliceWriter(this, id, expectedSizeBytes, { kind: 'small', file, opening }, reservedBytes);
      this.writers.add(w);
      return w;
    }
    let fh: FileHandle | undefined;
    try {
      const tmpPath = await this.tempPath(id);
      fh = await open(tmpPath, 'wx');
      const w = new SliceWriter(this, id, expectedSizeBytes, { kind: 'stream', fh, tmpPath }, reservedBytes);
      this.writers.add(w);
      return w;
    } catch (err) {
      await fh?.close().catch(() => {});
      this.release(reservedBytes);
      throw fsErrorFrom(err, `slice ${id}: create`);
    }
  }

  /** A fresh temp file name in the slice's fan-out directory, creating the directory once. */
  async tempPath(id: SliceId): Promise<string> {
    const dir = join(this.dataDir, 'slices', fanOutDir(id));
    if (!this.createdDirs.has(dir)) {
      await mkdir(dir, { recursive: true });
      await this.dirSync.sync(join(this.dataDir, 'slices'));
      this.createdDirs.add(dir);
    }
    return join(dir, `${idName(id)}.${randomBytes(6).toString('hex')}.tmp`);
  }

  /** Called by a writer when it is done (committed or aborted). */
  forgetWriter(w: SliceWriter): void {
    this.writers.delete(w);
  }

  /** Compares a retried write with the committed slice: identical is success, else EEXIST. */
  checkDuplicate(id: SliceId, sizeBytes: number, dataCrc: number): boolean {
    const e = this.slices.get(id);
    if (!e) return false;
    if (e.sizeBytes !== sizeBytes || e.dataCrc !== dataCrc) throw existsError(id);
    return true;
  }

  /**
   * Makes a fully written, closed temp file the slice `id`: rename, then fsync the directory so
   * that the rename survives a crash. One commit per id at a time.
   */
  async install(id: SliceId, tmpPath: string, entry: SliceEntry, sync: boolean, reservedBytes: number): Promise<void> {
    for (let prior = this.commits.get(id); prior; prior = this.commits.get(id)) await prior.catch(() => {});
    const done = (async () => {
      try {
        if (this.checkDuplicate(id, entry.sizeBytes, entry.dataCrc)) {
          await unlink(tmpPath).catch(() => {});
          this.release(reservedBytes);
          return;
        }
      } catch (err) {
        await unlink(tmpPath).catch(() => {});
        this.release(reservedBytes);
        throw err;
      }
      const path = slicePath(this.dataDir, id);
      this.readHandles.forget(id);
      try {
        await rename(tmpPath, path);
      } catch (err) {
        await unlink(tmpPath).catch(() => {});
        this.release(reservedBytes);
        throw fsErrorFrom(err, `slice ${id}: rename`);
      }
      this.release(reservedBytes);
      const replaced = this.corruptKnown.get(id);
      if (replaced) {
        // A good copy took the corrupt file's place (the master sent it here again).
        this.corruptKnown.delete(id);
        this.corruptUnreported.delete(id);
        this.usedBytes -= replaced.fileBytes;
        this.fsDeltaBytes -= replaced.fileBytes;
        this.logger.info({ sliceId: id }, `slice ${id}: a good copy replaced the corrupt one`);
      }
      this.slices.set(id, entry);
      this.usedBytes += entry.fileBytes;
      this.fsDeltaBytes += entry.fileBytes;
      this.recordChange(id, { kind: 'add', sizeBytes: entry.sizeBytes });
      // The slice is visible from here on; a crash before the directory fsync may lose the
      // rename, but then the acknowledgement below has not been sent either.
      if (sync) await this.dirSync.sync(join(this.dataDir, 'slices', fanOutDir(id)));
    })();
    this.commits.set(id, done);
    try {
      await done;
    } finally {
      if (this.commits.get(id) === done) this.commits.delete(id);
    }
  }

  /**
   * Hands back a buffer that `read()` yielded, once nothing refers to it any more, for a later
   * read to fill. Optional: a buffer not handed back is garbage collected.
   */
  recycle(data: Buffer): void {
    const whole = data.buffer;
    if (whole.byteLength !== readBufferBytes || this.readBuffers.length >= readBuffersMax) return;
    this.readBuffers.push(Buffer.from(whole, 0, readBufferBytes));
  }

  /**
   * Reads bytes [offset, offset+length) of slice `id` as buffers of at most `readWindowBytes`,
   * verifying the CRC of every block the range touches. Length 0 means "to the end". Every
   * yielded buffer has at least `readPrefixBytes` of scratch bytes in front of it in its
   * ArrayBuffer, and may be handed back with `recycle()` once sent.
   */
  async *read(id: SliceId, offset: number, length: number): AsyncGenerator<Buffer> {
    this.checkOpen();
    const entry = this.slices.get(id);
    if (!entry) {
      if (this.corruptKnown.has(id)) this.corruption(id, 'known corrupt');
      throw new FsError(Errno.ENOENT, `slice ${id} not found`);
    }
    const sizeBytes = entry.sizeBytes;
    const end = length === 0 ? sizeBytes : offset + length;
    if (offset < 0 || end > sizeBytes || offset > end) {
      throw new FsError(Errno.EINVAL, `range ${offset}+${length} is outside slice ${id} of ${sizeBytes} bytes`, {
        code: ErrorCode.BadInput,
      });
    }
    if (offset === end) return;
    const blockFirst = Math.floor(offset / blockSizeBytes);
    const blockEnd = blockCountOf(end);
    let lease;
    try {
      lease = await this.readHandles.acquire(id);
    } catch (err) {
      // Deleted between the lookup and the open: gone, as if the lookup came later.
      if ((err as { code?: string }).code === 'ENOENT') throw new FsError(Errno.ENOENT, `slice ${id} not found`);
      throw fsErrorFrom(err, `slice ${id}: open`);
    }
    const fh = lease.fh;
    let pending: Promise<Buffer> | undefined;
    try {
      const table = Buffer.allocUnsafe((blockEnd - blockFirst) * 4);
      const t = await fh.read(table, 0, table.length, sizeBytes + blockFirst * 4);
      if (t.bytesRead !== table.length) this.corruption(id, 'short CRC table');
      const readWindow = async (windowStart: number): Promise<Buffer> => {
        const windowEnd = Math.min(sizeBytes, blockEnd * blockSizeBytes, windowStart + readWindowBytes);
        const whole = this.readBuffers.pop() ?? Buffer.allocUnsafe(readBufferBytes);
        const buf = whole.subarray(readPrefixBytes, readPrefixBytes + windowEnd - windowStart);
        const r = await fh.read(buf, 0, buf.length, windowStart);
        if (r.bytesRead !== buf.length) this.corruption(id, 'short read');
        for (let pos = 0; pos < buf.length; pos += blockSizeBytes) {
          const block = (windowStart + pos) / blockSizeBytes;
          const expected = table.readUInt32LE((block - blockFirst) * 4);
          const actual = crc32c(buf.subarray(pos, Math.min(buf.length, pos + blockSizeBytes))) >>> 0;
          if (actual !== expected) this.corruption(id, `block ${block}`);
        }
        return buf;
      };
      let windowStart = blockFirst * blockSizeBytes;
      pending = readWindow(windowStart);
      while (windowStart < end) {
        assert(pending, 'a window is being read');
        const buf = await pending;
        pending = undefined;
        const nextStart = windowStart + readWindowBytes;
        // Read the next window while this one is being sent.
        if (nextStart < end) {
          pending = readWindow(nextStart);
          pending.catch(() => {});
        }
        yield buf.subarray(Math.max(0, offset - windowStart), Math.min(buf.length, end - windowStart));
        windowStart = nextStart;
      }
    } finally {
      if (pending) await pending.catch(() => {});
      lease.release();
    }
  }

  private corruption(id: SliceId, where: string): never {
    this.markCorrupt(id);
    throw new FsError(Errno.EIO, 'checksum mismatch', { code: ErrorCode.Corrupt, hint: `slice ${id}, ${where}` });
  }

  /** Size, block count and whether every block verifies (reads the whole slice). */
  async info(id: SliceId): Promise<{ sizeBytes: number; blocks: number; valid: boolean }> {
    const entry = this.slices.get(id);
    if (!entry) {
      const bad = this.corruptKnown.get(id);
      if (bad) return { sizeBytes: bad.sizeBytes, blocks: blockCountOf(bad.sizeBytes), valid: false };
      throw new FsError(Errno.ENOENT, `slice ${id} not found`);
    }
    let valid = true;
    try {
      for await (const _ of this.read(id, 0, 0)) {
        // Verification happens in read(); the bytes themselves are not needed.
      }
    } catch (err) {
      if (!(err instanceof FsError) || err.errno !== Errno.EIO) throw err;
      valid = false;
    }
    return { sizeBytes: entry.sizeBytes, blocks: blockCountOf(entry.sizeBytes), valid };
  }

  /**
   * Re-reads slice `id` whole and checks everything the file says about itself: the trailer
   * (and that it matches the inventory), the CRC table's own checksum, every block's CRC32C and
   * the whole data's CRC32C. A slice that fails is marked corrupt. `pace(bytes)` is awaited
   * before each window is read (the scrubber's rate limit); if it throws, so does this.
   * Opens its own handle, so that it does not push clients' handles out of the cache.
   */
  async verify(id: SliceId, pace: (bytes: number) => Promise<void>): Promise<VerifyResult> {
    this.checkOpen();
    const entry = this.slices.get(id);
    if (!entry) return { kind: 'gone' };
    let fh: FileHandle;
    try {
      fh = await open(slicePath(this.dataDir, id), 'r');
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOENT') return { kind: 'gone' };
      throw fsErrorFrom(err, `slice ${id}: open`);
    }
    let why: string | undefined;
    try {
      const readFully = async (buf: Buffer, position: number): Promise<string | undefined> => {
        try {
          const r = await fh.read(buf, 0, buf.length, position);
          return r.bytesRead === buf.length ? undefined : 'short read';
        } catch (err) {
          // A failing disk read is as bad as a checksum mismatch: the bytes cannot be served.
          return `read error ${(err as { code?: string }).code ?? String(err)}`;
        }
      };
      const blockCount = blockCountOf(entry.sizeBytes);
      const footer = Buffer.alloc(4 * blockCount + trailerSizeBytes);
      await pace(footer.length);
      why = await readFully(footer, entry.sizeBytes);
      const trailer = footer.subarray(4 * blockCount);
      const table = footer.subarray(0, 4 * blockCount);
      if (why === undefined) {
        const { size } = await fh.stat();
        const decoded = decodeTrailer(trailer, id, size);
        if (typeof decoded === 'string') why = `trailer: ${decoded}`;
        else if (decoded.sizeBytes !== entry.sizeBytes || decoded.dataCrc !== entry.dataCrc) why = 'trailer disagrees with the inventory';
        else if ((crc32c(table) >>> 0) !== trailer.readUInt32LE(32)) why = 'CRC table checksum mismatch';
      }
      const buf = Buffer.allocUnsafe(Math.min(readWindowBytes, Math.max(1, entry.sizeBytes)));
      let dataCrc = 0;
      for (let windowStart = 0; why === undefined && windowStart < entry.sizeBytes; windowStart += readWindowBytes) {
        const window = buf.subarray(0, Math.min(readWindowBytes, entry.sizeBytes - windowStart));
        await pace(window.length);
        why = await readFully(window, windowStart);
        for (let pos = 0; why === undefined && pos < window.length; pos += blockSizeBytes) {
          const block = (windowStart + pos) / blockSizeBytes;
          const bytes = window.subarray(pos, Math.min(window.length, pos + blockSizeBytes));
          const actual = crc32c(bytes) >>> 0;
          if (actual !== table.readUInt32LE(block * 4)) why = `block ${block} checksum mismatch`;
          dataCrc = crc32cCombine(dataCrc, actual, bytes.length, bytes.length === blockSizeBytes ? fullBlockShift : undefined);
        }
      }
      if (why === undefined && dataCrc >>> 0 !== entry.dataCrc >>> 0) why = 'whole-slice checksum mismatch';
    } finally {
      await fh.close().catch(() => {});
    }
    if (why === undefined) return { kind: 'ok', sizeBytes: entry.sizeBytes };
    // Deleted (or deleted and written anew) while being read: the file read is not the slice now held.
    if (this.slices.get(id) !== entry) return { kind: 'gone' };
    this.logger.warn({ sliceId: id, why }, `slice ${id} failed verification: ${why}`);
    this.markCorrupt(id);
    return { kind: 'corrupt', why };
  }

  /** Deletes slices; unknown ids are skipped. Returns how many files were removed. */
  async delete(ids: readonly SliceId[]): Promise<number> {
    this.checkOpen();
    let deleted = 0;
    for (const id of ids) {
      const entry = this.slices.get(id);
      this.readHandles.forget(id);
      try {
        await unlink(slicePath(this.dataDir, id));
      } catch (err) {
        if ((err as { code?: string }).code !== 'ENOENT') throw fsErrorFrom(err, `slice ${id}: delete`);
        if (!entry && !this.corruptKnown.has(id)) continue;
      }
      deleted++;
      const bad = this.corruptKnown.get(id);
      if (bad) {
        // Already reported as no longer held when it was found corrupt.
        this.corruptKnown.delete(id);
        this.corruptUnreported.delete(id);
        this.usedBytes -= bad.fileBytes;
        this.fsDeltaBytes -= bad.fileBytes;
      }
      if (entry && this.slices.get(id) === entry) {
        this.slices.delete(id);
        this.usedBytes -= entry.fileBytes;
        this.fsDeltaBytes -= entry.fileBytes;
        this.recordChange(id, { kind: 'remove' });
      }
    }
    return deleted;
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  private checkOpen(): void {
    if (this.closed) throw new FsError(Errno.EIO, 'slice store is closed');
  }

  /** Aborts writes in flight, then releases the data directory. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.writers].map((w) => w.abort()));
    for (const p of this.commits.values()) await p.catch(() => {});
    this.readHandles.clear();
    await this.dirSync.close();
    await this.lock.close();
    await unlink(join(this.dataDir, 'LOCK')).catch(() => {});
  }
}

function existsError(id: SliceId): FsError {
  return new FsError(Errno.EEXIST, `slice ${id} already exists with different content`);
}

/** Where a writer's bytes go. */
type WriteTarget =
  /** The slice exists already: bytes are only checksummed and compared at commit. */
  | { kind: 'duplicate' }
  /** A small slice of known size: bytes gather in `file` (data, then table and trailer). */
  | { kind: 'small'; file: Buffer; opening: Promise<{ fh: FileHandle; tmpPath: string }> }
  /** Bytes are written to the temp file as they come. */
  | { kind: 'stream'; fh: FileHandle; tmpPath: string };

/**
 * One slice being written. `append` checksums and queues a positional write (it never waits);
 * the caller bounds the queue with `whenQueuedBelow`. The first failure sticks: later appends
 * and the commit throw it, and `abort` removes the temp file.
 */
export class SliceWriter {
  sizeBytes = 0;
  dataCrc = 0;
  queuedBytes = 0;
  private blockCrc = 0;
  private blockFillBytes = 0;
  private blockCount = 0;
  private readonly table: Buffer;
  private tail: Promise<void> = Promise.resolve();
  private failure: FsError | undefined;
  private finished = false;
  private drained: (() => void) | undefined;
  private queueLimitBytes = 0;

  constructor(
    private readonly store: SliceStore,
    readonly id: SliceId,
    private readonly expectedSizeBytes: number,
    private readonly target: WriteTarget,
    private reservedBytes: number,
  ) {
    this.table =
      target.kind === 'small'
        ? target.file.subarray(expectedSizeBytes, expectedSizeBytes + 4 * blockCountOf(expectedSizeBytes))
        : Buffer.allocUnsafe(4 * blockCountOf(expectedSizeBytes > 0 ? expectedSizeBytes : sliceSizeMaxBytes));
  }

  get failed(): FsError | undefined {
    return this.failure;
  }

  append(data: Buffer): void {
    if (this.failure) throw this.failure;
    assert(!this.finished, 'append after commit or abort');
    const sizeAfter = this.sizeBytes + data.length;
    if (sizeAfter > sliceSizeMaxBytes || (this.expectedSizeBytes > 0 && sizeAfter > this.expectedSizeBytes)) {
      this.fail(
        new FsError(Errno.EINVAL, `slice ${this.id}: more data than ${this.expectedSizeBytes || sliceSizeMaxBytes} bytes`, {
          code: ErrorCode.BadInput,
        }),
      );
      throw this.failure;
    }
    if (this.target.kind === 'stream' && this.expectedSizeBytes === 0) {
      // Size unknown up front: reserve as the bytes come (data plus their CRC table entries).
      const more = fileBytesOf(sizeAfter) - fileBytesOf(this.sizeBytes);
      try {
        this.store.reserve(more);
      } catch (err) {
        this.fail(err as FsError);
        throw err;
      }
      this.reservedBytes += more;
    }
    this.checksum(data);
    const position = this.sizeBytes;
    this.sizeBytes = sizeAfter;
    if (this.target.kind === 'small') {
      data.copy(this.target.file, position);
      return;
    }
    if (this.target.kind !== 'stream') return;
    const fh = this.target.fh;
    this.queuedBytes += data.length;
    this.tail = this.tail.then(async () => {
      if (this.failure) return;
      try {
        let done = 0;
        while (done < data.length) {
          const { bytesWritten } = await fh.write(data, done, data.length - done, position + done);
          assert(bytesWritten > 0, 'write makes progress');
          done += bytesWritten;
        }
      } catch (err) {
        this.fail(fsErrorFrom(err, `slice ${this.id}: write`));
      } finally {
        this.queuedBytes -= data.length;
        if (this.drained && this.queuedBytes <= this.queueLimitBytes) {
          const d = this.drained;
          this.drained = undefined;
          d();
        }
      }
    });
  }

  /** Resolves once at most `limitBytes` are queued for the disk (or the writer has failed). */
  whenQueuedBelow(limitBytes: number): Promise<void> {
    if (this.queuedBytes <= limitBytes || this.failure) return Promise.resolve();
    assert(!this.drained, 'one waiter at a time');
    this.queueLimitBytes = limitBytes;
    return new Promise((resolve) => {
      this.drained = resolve;
    });
  }

  /** Updates the running CRCs; the per-block state carries across frames. */
  private checksum(data: Buffer): void {
    let pos = 0;
    while (pos < data.length) {
      const take = Math.min(blockSizeBytes - this.blockFillBytes, data.length - pos);
      this.blockCrc = crc32c(pos === 0 && take === data.length ? data : data.subarray(pos, pos + take), this.blockCrc);
      this.blockFillBytes += take;
      pos += take;
      if (this.blockFillBytes === blockSizeBytes) this.closeBlock();
    }
  }

  /** Stores the block's CRC and folds it into the whole slice's CRC (no second pass). */
  private closeBlock(): void {
    const operator = this.blockFillBytes === blockSizeBytes ? fullBlockShift : undefined;
    this.dataCrc = crc32cCombine(this.dataCrc, this.blockCrc, this.blockFillBytes, operator);
    this.table.writeUInt32LE(this.blockCrc >>> 0, this.blockCount * 4);
    this.blockCount++;
    this.blockCrc = 0;
    this.blockFillBytes = 0;
  }

  private fail(err: FsError): void {
    if (!this.failure) this.failure = err;
    if (this.drained) {
      const d = this.drained;
      this.drained = undefined;
      d();
    }
  }

  /** Finishes the slice: footer, fsync (if `sync`), rename into place. Returns size and CRC. */
  async commit(sync: boolean): Promise<{ sizeBytes: number; crc32c: number }> {
    assert(!this.finished, 'commit once');
    let tmpPath: string | undefined;
    try {
      await this.tail;
      if (this.failure) throw this.failure;
      if (this.expectedSizeBytes > 0 && this.sizeBytes !== this.expectedSizeBytes) {
        throw new FsError(Errno.EINVAL, `slice ${this.id}: got ${this.sizeBytes} bytes, expected ${this.expectedSizeBytes}`, {
          code: ErrorCode.BadInput,
        });
      }
      if (this.blockFillBytes > 0) this.closeBlock();
      assert(this.blockCount === blockCountOf(this.sizeBytes), 'one CRC per block');
      const dataCrc = this.dataCrc >>> 0;
      if (this.target.kind === 'duplicate') {
        if (!this.store.checkDuplicate(this.id, this.sizeBytes, dataCrc)) {
          // Deleted while we were receiving it again: the caller retries and writes it anew.
          throw new FsError(Errno.EAGAIN, `slice ${this.id} was deleted during the write`);
        }
        this.finished = true;
        this.store.forgetWriter(this);
        return { sizeBytes: this.sizeBytes, crc32c: dataCrc };
      }
      const table = this.table.subarray(0, this.blockCount * 4);
      const trailer = encodeTrailer(this.id, this.sizeBytes, this.blockCount, dataCrc, crc32c(table) >>> 0);
      const fileBytes = fileBytesOf(this.sizeBytes);
      assert(this.sizeBytes + table.length + trailer.length === fileBytes, 'footer size');
      if (fileBytes > this.reservedBytes) {
        this.store.reserve(fileBytes - this.reservedBytes);
        this.reservedBytes = fileBytes;
      }
      let closing: Promise<void>;
      if (this.target.kind === 'small') {
        const file = this.target.file;
        assert(file.length === fileBytes, 'a small slice fills its buffer');
        trailer.copy(file, fileBytes - trailerSizeBytes);
        // O_DSYNC: the write returns once data and size are durable (no separate fdatasync). It
        // is set even when `sync` is false (never from clients): one flag, one code path.
        let fh: FileHandle | undefined;
        try {
          ({ fh, tmpPath } = await this.target.opening);
          let done = 0;
          while (done < file.length) {
            const { bytesWritten } = await fh.write(file, done, file.length - done, done);
            assert(bytesWritten > 0, 'write makes progress');
            done += bytesWritten;
          }
        } catch (err) {
          // The temp file (if it was created) is closed and removed by abort().
          throw fsErrorFrom(err, `slice ${this.id}: write`);
        }
        // Closing is not needed for durability: it overlaps the rename and directory fsync.
        closing = fh.close();
      } else {
        const { fh } = this.target;
        tmpPath = this.target.tmpPath;
        try {
          const footer = Buffer.concat([table, trailer]);
          let done = 0;
          while (done < footer.length) {
            const { bytesWritten } = await fh.write(footer, done, footer.length - done, this.sizeBytes + done);
            assert(bytesWritten > 0, 'write makes progress');
            done += bytesWritten;
          }
          if (sync) await fh.datasync();
          await fh.close();
        } catch (err) {
          throw fsErrorFrom(err, `slice ${this.id}: finish`);
        }
        closing = Promise.resolve();
      }
      this.finished = true;
      this.store.forgetWriter(this);
      const reserved = this.reservedBytes;
      this.reservedBytes = 0;
      try {
        await this.store.install(this.id, tmpPath, { sizeBytes: this.sizeBytes, fileBytes, dataCrc }, sync, reserved);
      } finally {
        await closing.catch(() => {});
      }
      return { sizeBytes: this.sizeBytes, crc32c: dataCrc };
    } catch (err) {
      if (!this.finished) await this.abort();
      throw err;
    }
  }

  /** Drops the write: waits for queued writes, closes and deletes the temp file. Idempotent. */
  async abort(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    this.fail(new FsError(Errno.ECANCELED, `slice ${this.id}: write aborted`));
    await this.tail.catch(() => {});
    const file = this.target.kind === 'stream' ? this.target : this.target.kind === 'small' ? await this.target.opening.catch(() => undefined) : undefined;
    if (file) {
      await file.fh.close().catch(() => {});
      await unlink(file.tmpPath).catch(() => {});
    }
    this.store.release(this.reservedBytes);
    this.reservedBytes = 0;
    this.store.forgetWriter(this);
  }
}

async function acquireLock(dataDir: string): Promise<FileHandle> {
  const path = join(dataDir, 'LOCK');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await open(path, 'wx');
      await fh.write(`${process.pid}\n`);
      await fh.sync();
      return fh;
    } catch (err) {
      if ((err as { code?: string }).code !== 'EEXIST') throw fsErrorFrom(err, `lock ${path}`);
    }
    const pid = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
    if (Number.isSafeInteger(pid) && pid > 0 && isProcessAlive(pid)) {
      throw new FatalError(
        FatalReason.DataDirLocked,
        `data directory ${dataDir} is in use by process ${pid} (lock file ${path}); stop it or use another directory`,
      );
    }
    // The owner is gone (crash or kill): the lock is stale.
    await unlink(path).catch(() => {});
  }
  throw new FatalError(FatalReason.DataDirLocked, `could not lock ${dataDir}: another process keeps taking ${path}`);
}

async function loadOrCreateServerId(dataDir: string): Promise<NodeId> {
  const path = join(dataDir, 'server-id');
  let text: string | undefined;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as { code?: string }).code !== 'ENOENT') throw fsErrorFrom(err, `read ${path}`);
  }
  if (text !== undefined) {
    let parsed: { format?: unknown; serverId?: unknown };
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      throw new FatalError(FatalReason.StorageCorrupt, `${path} is not valid JSON`);
    }
    if (parsed.format !== formatVersion) {
      throw new FatalError(FatalReason.StorageCorrupt, `${path}: unknown format ${String(parsed.format)}`);
    }
    try {
      return nodeIdFrom(parsed.serverId);
    } catch {
      throw new FatalError(FatalReason.StorageCorrupt, `${path}: bad server id ${String(parsed.serverId)}`);
    }
  }
  // 47 bits: random enough for a cluster, and safe as a JS number everywhere.
  const serverId = nodeIdFrom(randomInt(1, 2 ** 47));
  const tmp = `${path}.tmp`;
  const fh = await open(tmp, 'w');
  try {
    await fh.write(`${JSON.stringify({ format: formatVersion, serverId })}\n`);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
  await fsyncDir(dataDir);
  return serverId;
}

// The file reader: bytes of a file from chunkservers. For each chunk it caches the chunk map (the
// slice list in commit order and the slices' locations), computes the visible ranges, and reads
// each range from one replica, the least loaded first, failing over to the next on any error and
// refreshing the chunk map once when all replicas fail. Holes read as zeros.
//
// Sequential reads go through aligned read blocks kept in a client-wide, byte-bounded cache, and
// trigger read-ahead of up to `readAheadBlocksMax` blocks, the window doubling while the reads stay
// sequential. Random reads fetch just the bytes asked for. The caller lays the process's own
// unflushed writes over the result (overlay.ts) and retries if a commit raced the read (`gen`).
import { Errno, FsError } from '@cairn/errors';
import type { Ino, SliceId, SliceRef } from '@cairn/meta';
import { visibleRanges } from '@cairn/meta';
import { copyFromPieces, type Piece } from './blocks.js';
import type { ChunkServers, ServerRef } from './chunk-servers.js';
import type { Logger } from './logger.js';

export interface ChunkMap {
  /** In commit order: later slices cover earlier ones. */
  slices: SliceRef[];
  locations: Map<SliceId, ServerRef[]>;
  /** The file's size when the map was read. */
  size: number;
  /** Chunk 0 only: the file's inline bytes, lying under every slice. */
  inline?: Buffer | undefined;
}

/** The id standing for a file's inline bytes among a chunk's slices (real ids start at 1). */
const inlineSliceId = 0 as SliceId;

export interface ReaderLimits {
  chunkBytes: number;
  readBlockBytes: number;
  readAheadBlocksMax: number;
}

export interface ReaderContext {
  servers: ChunkServers;
  cache: ReadCache;
  limits: ReaderLimits;
  logger: Logger;
  readChunk(ino: Ino, chunkIndex: number): Promise<ChunkMap>;
}

/** Per file handle: where the last read ended and how far to read ahead. */
export interface ReadCursor {
  nextOffset: number;
  aheadBlocks: number;
}

interface Block {
  start: number;
  length: number;
  pieces: Piece[];
}

/** Read blocks of every file, least recently used evicted first, bounded in bytes. */
export class ReadCache {
  private readonly entries = new Map<string, { ino: Ino; bytes: number; block: Promise<Block> }>();
  private bytes = 0;

  constructor(private readonly bytesMax: number) {}

  get(ino: Ino, index: number): Promise<Block> | undefined {
    const key = `${ino}:${index}`;
    const e = this.entries.get(key);
    if (!e) return undefined;
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.block;
  }

  has(ino: Ino, index: number): boolean {
    return this.entries.has(`${ino}:${index}`);
  }

  set(ino: Ino, index: number, bytes: number, block: Promise<Block>): void {
    const key = `${ino}:${index}`;
    this.delete(key);
    this.entries.set(key, { ino, bytes, block });
    this.bytes += bytes;
    block.catch(() => {
      if (this.entries.get(key)?.block === block) this.delete(key);
    });
    for (const [k] of this.entries) {
      if (this.bytes <= this.bytesMax) break;
      this.delete(k);
    }
  }

  dropInode(ino: Ino): void {
    for (const [k, e] of this.entries) if (e.ino === ino) this.delete(k);
  }

  private delete(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.bytes -= e.bytes;
  }
}

export class FileReader {
  private readonly chunkMaps = new Map<number, Promise<ChunkMap>>();
  /** Bumped whenever cached data of this file is dropped; a read that saw a bump retries. */
  gen = 0;

  constructor(
    private readonly ctx: ReaderContext,
    readonly ino: Ino,
  ) {}

  /** Drops chunk maps (all, or those of `chunkIndexes`) and cached blocks of this file. */
  invalidate(chunkIndexes?: readonly number[]): void {
    if (chunkIndexes) for (const i of chunkIndexes) this.chunkMaps.delete(i);
    else this.chunkMaps.clear();
    this.ctx.cache.dropInode(this.ino);
    this.gen++;
  }

  private chunkMap(index: number): Promise<ChunkMap> {
    let m = this.chunkMaps.get(index);
    if (!m) {
      m = this.ctx.readChunk(this.ino, index);
      this.chunkMaps.set(index, m);
      m.catch(() => {
        if (this.chunkMaps.get(index) === m) this.chunkMaps.delete(index);
      });
      // Bound the maps kept per file: a very large file read once keeps only recent ones.
      if (this.chunkMaps.size > 256) {
        const oldest = this.chunkMaps.keys().next();
        if (!oldest.done) this.chunkMaps.delete(oldest.value);
      }
    }
    return m;
  }

  /**
   * Fills `target[targetOffset, +length)` with the file's bytes at `position` as stored on
   * chunkservers (committed data only). The caller has clamped the range to the file size.
   */
  async readInto(cursor: ReadCursor, target: Buffer, targetOffset: number, position: number, length: number, size: number): Promise<void> {
    if (length === 0) return;
    const B = this.ctx.limits.readBlockBytes;
    const first = Math.floor(position / B);
    const last = Math.floor((position + length - 1) / B);
    const sequential = position === cursor.nextOffset || position === 0 || this.ctx.cache.has(this.ino, first);
    cursor.nextOffset = position + length;
    if (!sequential) {
      cursor.aheadBlocks = 0;
      const pieces = await this.readRange(position, length);
      copyFromPieces(pieces, 0, target, targetOffset, length);
      return;
    }
    cursor.aheadBlocks = Math.min(this.ctx.limits.readAheadBlocksMax, Math.max(1, cursor.aheadBlocks * 2));
    const lastBlock = Math.floor((size - 1) / B);
    for (let i = last + 1; i <= Math.min(lastBlock, last + cursor.aheadBlocks); i++) {
      this.block(i, size).catch(() => {});
    }
    const blocks = [];
    for (let i = first; i <= last; i++) blocks.push(this.block(i, size));
    for (const p of blocks) {
      const blk = await p;
      const s = Math.max(blk.start, position);
      const e = Math.min(blk.start + B, position + length);
      copyFromPieces(blk.pieces, s - blk.start, target, targetOffset + (s - position), e - s);
    }
  }

  private block(index: number, size: number): Promise<Block> {
    const B = this.ctx.limits.readBlockBytes;
    const start = index * B;
    const length = Math.max(0, Math.min(B, size - start));
    const cached = this.ctx.cache.get(this.ino, index);
    if (cached) {
      // A block read when the file was shorter is refetched once the file has grown.
      return cached.then((b) => (b.length >= length ? b : this.fetchBlock(index, start, length)));
    }
    return this.fetchBlock(index, start, length);
  }

  private fetchBlock(index: number, start: number, length: number): Promise<Block> {
    const p = this.readRange(start, length).then((pieces) => ({ start, length, pieces }));
    this.ctx.cache.set(this.ino, index, length, p);
    return p;
  }

  /** Bytes [position, position+length) as pieces with offsets relative to `position`. */
  async readRange(position: number, length: number): Promise<Piece[]> {
    const C = this.ctx.limits.chunkBytes;
    const jobs: Promise<Piece[]>[] = [];
    for (let at = position; at < position + length; ) {
      const chunkIndex = Math.floor(at / C);
      const chunkOffset = at - chunkIndex * C;
      const n = Math.min(C - chunkOffset, position + length - at);
      jobs.push(this.readChunkRange(chunkIndex, chunkOffset, n, at - position));
      at += n;
    }
    return (await Promise.all(jobs)).flat();
  }

  private async readChunkRange(chunkIndex: number, chunkOffset: number, length: number, base: number): Promise<Piece[]> {
    for (let attempt = 0; ; attempt++) {
      const map = await this.chunkMap(chunkIndex);
      try {
        const jobs: Promise<Piece[]>[] = [];
        const inline = map.inline;
        const slices = inline
          ? [{ id: inlineSliceId, offset: 0, length: inline.length, sliceOffset: 0, sliceSize: inline.length }, ...map.slices]
          : map.slices;
        for (const r of visibleRanges(slices, chunkOffset, length)) {
          if (!r.slice) continue;
          const at = base + (r.offset - chunkOffset);
          if (inline && r.slice.id === inlineSliceId) {
            jobs.push(Promise.resolve([{ offset: at, data: inline.subarray(r.slice.sliceOffset, r.slice.sliceOffset + r.length) }]));
            continue;
          }
          jobs.push(this.readSliceRange(map, r.slice.id, r.slice.sliceOffset, r.length, at));
        }
        return (await Promise.all(jobs)).flat();
      } catch (err) {
        if (attempt >= 1) throw err;
        // Every replica failed: the locations may have moved (re-replication); ask again once.
        this.chunkMaps.delete(chunkIndex);
      }
    }
  }

  private async readSliceRange(map: ChunkMap, sliceId: SliceId, sliceOffset: number, length: number, base: number): Promise<Piece[]> {
    const { servers, logger } = this.ctx;
    const replicas = [...(map.locations.get(sliceId) ?? [])].sort((a, b) => servers.load(a.address) - servers.load(b.address));
    if (replicas.length === 0) throw new FsError(Errno.EIO, `slice ${sliceId} of inode ${this.ino} has no live replica`);
    let lastErr: unknown;
    for (const r of replicas) {
      try {
        const pieces = await servers.readSlice(r.address, sliceId, sliceOffset, length);
        for (const p of pieces) p.offset += base;
        return pieces;
      } catch (err) {
        lastErr = err;
        logger.warn({ err, sliceId, server: r.id }, `read of slice ${sliceId} from ${r.address} failed; trying the next replica`);
      }
    }
    throw lastErr instanceof FsError ? lastErr : new FsError(Errno.EIO, `slice ${sliceId}: every replica failed`, { cause: lastErr });
  }
}

// Tests the file writer against fake chunkservers and a fake master (no network): slices are
// committed in write order whatever order their uploads finish in, consecutive stored slices
// share one commit, flush waits for everything, an upload failure is sticky and returns every
// buffer, and write() waits once the per-file bound is reached. Tiny sizes (4-byte blocks,
// 16-byte slices, 64-byte chunks) keep the cases readable.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Errno, FsError } from '@cairn/errors';
import type { Ino, SliceId } from '@cairn/meta';
import type { Attr } from '../src/attr.js';
import { copyFromBlocks } from '../src/blocks.js';
import { BlockPool } from '../src/block-pool.js';
import type { ChunkServers } from '../src/chunk-servers.js';
import { silentLogger } from '../src/logger.js';
import { overlayDirty } from '../src/overlay.js';
import type { SliceAllocator } from '../src/slice-allocator.js';
import { FileWriter, type SliceCommit } from '../src/writer.js';

interface Upload {
  sliceId: number;
  data: string;
  resolve(storedOn: number[]): void;
  reject(err: Error): void;
}

function harness(
  options: { fileInflightBytesMax?: number; autoStore?: boolean; fail?: boolean; failFirst?: number; pool?: BlockPool; ino?: number; inlineBytesMax?: number; inlineFails?: boolean } = {},
) {
  const pool = options.pool ?? new BlockPool(4, 64);
  let failures = options.failFirst ?? 0;
  const targetsSeen: number[][] = [];
  const uploads: Upload[] = [];
  const commits: { slices: SliceCommit[]; size: number }[] = [];
  const inlined: { offset: number; data: string }[] = [];
  let nextId = 100;
  const allocator = {
    next: async () => ({ sliceId: nextId++ as SliceId, servers: [{ id: 1, address: 'a' }, { id: 2, address: 'b' }] }),
    place: (servers: { id: number; address: string }[], _goal: number, avoid: Set<number>) => {
      const order = [...servers.filter((x) => !avoid.has(x.id)), ...servers.filter((x) => avoid.has(x.id))];
      targetsSeen.push(order.map((x) => x.id));
      return order;
    },
  } as unknown as SliceAllocator;
  const servers = {
    writeSlice: (_targets: unknown, sliceId: number, blocks: Buffer[], blockBytes: number, length: number) => {
      const copy = Buffer.alloc(length);
      copyFromBlocks(blocks, blockBytes, 0, copy, 0, length);
      if (options.fail) return Promise.reject(new FsError(Errno.EIO, 'disk on fire'));
      if (failures > 0) {
        failures--;
        return Promise.reject(new FsError(Errno.EIO, 'replica down'));
      }
      return new Promise<number[]>((resolve, reject) => {
        uploads.push({ sliceId, data: copy.toString(), resolve, reject });
        if (options.autoStore) resolve([1, 2]);
      });
    },
  } as unknown as ChunkServers;
  const writer = new FileWriter(
    {
      pool,
      allocator,
      servers,
      logger: silentLogger,
      limits: { chunkBytes: 64, sliceBytesMax: 16, fileInflightBytesMax: options.fileInflightBytesMax ?? 1024, uploadAttempts: 2, uploadBackoffMs: 1, uploadRetryBudgetMs: 0, inlineBytesMax: options.inlineBytesMax ?? 0 },
      commit: async (_ino, slices, size) => {
        commits.push({ slices, size });
        return { ino: (options.ino ?? 7) as Ino, size } as Attr;
      },
      committed: () => {},
      writeInline: async (_ino, offset, data) => {
        if (options.inlineFails) throw new FsError(Errno.EFBIG, 'file has slices now');
        inlined.push({ offset, data: data.toString() });
        return { ino: (options.ino ?? 7) as Ino, size: offset + data.length } as Attr;
      },
      isInline: () => options.inlineBytesMax !== undefined,
    },
    (options.ino ?? 7) as Ino,
    2,
  );
  return { pool, uploads, commits, writer, targetsSeen, inlined };
}

const ticks = async (n = 20) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

const order = suite('commit order');

order('uploads finishing in reverse order are committed in write order, in one batch', async () => {
  const h = harness();
  await h.writer.write(0, Buffer.from('aaaaaaaaaaaaaaaa')); // fills slice 1 (16 bytes): sealed
  await h.writer.write(32, Buffer.from('bbbb')); // opens slice 2
  await h.writer.write(48, Buffer.from('cc')); // seals slice 2, opens slice 3
  const flushed = h.writer.flush(); // seals slice 3
  await ticks();
  assert.equal(h.uploads.map((u) => u.data), ['aaaaaaaaaaaaaaaa', 'bbbb', 'cc']);
  h.uploads[2]?.resolve([1]);
  h.uploads[1]?.resolve([1]);
  await ticks();
  assert.is(h.commits.length, 0, 'nothing commits before the first slice is stored');
  h.uploads[0]?.resolve([1, 2]);
  await flushed;
  assert.is(h.commits.length, 1);
  const c = h.commits[0]!;
  assert.equal(c.slices.map((s) => [s.chunkIndex, s.slice.offset, s.slice.length, s.slice.sliceId]), [
    [0, 0, 16, 100],
    [0, 32, 4, 101],
    [0, 48, 2, 102],
  ]);
  assert.equal(c.slices[0]?.storedOn, [1, 2]);
  assert.is(c.size, 50);
  assert.is(h.pool.inUseBlocks, 0, 'every block is back in the pool');
  assert.not.ok(h.writer.dirty);
});

order('a write across a chunk boundary commits one slice per chunk', async () => {
  const h = harness({ autoStore: true });
  await h.writer.write(60, Buffer.from('12345678'));
  await h.writer.flush();
  const all = h.commits.flatMap((c) => c.slices.map((s) => `${s.chunkIndex}:${s.slice.offset}+${s.slice.length}`));
  assert.equal(all, ['0:60+4', '1:0+4']);
  assert.equal(h.uploads.map((u) => u.data), ['1234', '5678']);
});

const overlay = suite('own writes');

overlay('unflushed bytes are visible through the extents, newest last', async () => {
  const h = harness();
  await h.writer.write(0, Buffer.from('hello world'));
  await h.writer.write(20, Buffer.from('later'));
  await h.writer.write(0, Buffer.from('J'));
  const target = Buffer.alloc(25, 0x2e);
  overlayDirty(h.writer.extents(), target, 0, 0, 25);
  assert.is(target.toString(), 'Jello world.........later');
  assert.is(h.writer.dirtyEnd, 25);
});

const errors = suite('errors');

errors('an upload failure is sticky and every buffer goes back to the pool', async () => {
  const h = harness({ fail: true });
  await h.writer.write(0, Buffer.from('abcdef'));
  try {
    await h.writer.flush();
    assert.unreachable('flush should fail');
  } catch (err) {
    assert.instance(err, FsError);
    assert.is((err as FsError).errno, Errno.EIO);
  }
  try {
    await h.writer.write(6, Buffer.from('x'));
    assert.unreachable('write should fail');
  } catch (err) {
    assert.is((err as FsError).errno, Errno.EIO);
  }
  assert.is(h.commits.length, 0);
  assert.is(h.pool.inUseBlocks, 0);
});

const bounds = suite('backpressure');

bounds('write waits while the file holds its bound of buffered bytes', async () => {
  const h = harness({ fileInflightBytesMax: 32 });
  await h.writer.write(0, Buffer.alloc(16, 1));
  await h.writer.write(16, Buffer.alloc(16, 2));
  let done = false;
  const third = h.writer.write(32, Buffer.alloc(4, 3)).then(() => (done = true));
  await ticks();
  assert.not.ok(done, 'the third write waits for a commit');
  h.uploads[0]?.resolve([1]);
  await third;
  assert.ok(done);
  h.uploads[1]?.resolve([1]);
  const f = h.writer.flush();
  await ticks();
  h.uploads[2]?.resolve([1]);
  await f;
  assert.is(h.pool.inUseBlocks, 0);
});

errors('a failed upload is retried with a fresh slice id on other servers first', async () => {
  const h = harness({ autoStore: true, failFirst: 1 });
  await h.writer.write(0, Buffer.from('retry me'));
  await h.writer.flush();
  assert.is(h.commits.length, 1);
  assert.is(h.commits[0]?.slices[0]?.slice.sliceId, 101, 'the retry used a new id');
  assert.equal(h.targetsSeen, [[1, 2], [2, 1]], 'the server that failed goes last');
});

bounds('writers sharing an exhausted pool seal their open slices instead of deadlocking', async () => {
  const pool = new BlockPool(4, 4);
  const a = harness({ pool, autoStore: true, ino: 1 });
  const b = harness({ pool, autoStore: true, ino: 2 });
  pool.onPressure = () => {
    a.writer.sealOpen();
    b.writer.sealOpen();
  };
  await a.writer.write(0, Buffer.alloc(12, 1)); // three blocks held by a's open slice
  await b.writer.write(0, Buffer.alloc(8, 2)); // needs two: pressure seals a's slice
  await a.writer.flush();
  await b.writer.flush();
  assert.is(a.commits.length, 1);
  assert.ok(b.commits.length >= 1);
  assert.is(pool.inUseBlocks, 0);
});

order.run();
overlay.run();
errors.run();
bounds.run();

const inlineWrites = suite('inline writes');
inlineWrites('a small file flushes inline: no slice upload, no commit', async () => {
  const h = harness({ inlineBytesMax: 32, autoStore: true });
  await h.writer.write(0, Buffer.from('tiny file'));
  await h.writer.flush();
  assert.equal(h.inlined, [{ offset: 0, data: 'tiny file' }]);
  assert.is(h.uploads.length, 0);
  assert.is(h.commits.length, 0);
  assert.not.ok(h.writer.dirty);
});
inlineWrites('data past the inline limit goes to slices', async () => {
  const h = harness({ inlineBytesMax: 4, autoStore: true });
  await h.writer.write(0, Buffer.from('too long'));
  await h.writer.flush();
  assert.is(h.inlined.length, 0);
  assert.is(h.commits.length, 1);
});
inlineWrites('EFBIG from the master (the file got slices) falls back to a slice', async () => {
  const h = harness({ inlineBytesMax: 32, inlineFails: true, autoStore: true });
  await h.writer.write(0, Buffer.from('abc'));
  await h.writer.flush();
  assert.is(h.commits.length, 1);
  assert.is(h.uploads[0]!.data, 'abc');
});
inlineWrites.run();

// Tests the slice store without gRPC: the on-disk format round trip (block-aligned and not),
// range reads, checksum verification on read, restart (inventory rebuilt, temp files removed),
// the data-directory lock, ENOSPC before any byte, idempotent retries, and the change log that
// feeds heartbeats. Each test opens stores in its own temp directory and removes it afterwards.
import { mkdir, open, stat, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Errno, FatalError, FatalReason, FsError } from '@cairn/errors';
import { SliceStore, blockSizeBytes, fileBytesOf, slicePath, type SliceId } from '../src/index.js';
import { Fixture, patternBytes, silent } from './helpers.js';

const fx = new Fixture();
const stores: SliceStore[] = [];

async function openStore(dataDir: string, more: { capacityBytes?: number; reserveBytes?: number } = {}): Promise<SliceStore> {
  const s = await SliceStore.open({ dataDir, logger: silent, ...more });
  stores.push(s);
  return s;
}

async function put(store: SliceStore, id: number, data: Buffer, frameBytes = 1 << 20, expected = data.length): Promise<{ sizeBytes: number; crc32c: number }> {
  const w = await store.beginWrite(id as SliceId, expected);
  for (let pos = 0; pos < data.length; pos += frameBytes) w.append(data.subarray(pos, Math.min(data.length, pos + frameBytes)));
  return w.commit(true);
}

async function get(store: SliceStore, id: number, offset: number, length: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const b of store.read(id as SliceId, offset, length)) parts.push(Buffer.from(b));
  return Buffer.concat(parts);
}

async function errnoOf(p: Promise<unknown>): Promise<number> {
  try {
    await p;
  } catch (err) {
    if (err instanceof FsError) return err.errno;
    throw err;
  }
  return 0;
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) if (e.isFile()) out.push(e.name);
  return out.sort();
}

const cleanup = async (): Promise<void> => {
  await Promise.allSettled(stores.splice(0).map((s) => s.close()));
  await fx.cleanup();
};

const format = suite('slice store: format and reads');
format.after.each(cleanup);

format('round trip of block-aligned and unaligned slices, with odd frame sizes', async () => {
  const store = await openStore(await fx.dir());
  for (const [id, size, frame] of [
    [1, 0, 1],
    [2, 1, 1],
    [3, blockSizeBytes, 4096],
    [4, 3 * blockSizeBytes + 17, 100_003],
    [5, 10 * 1024 * 1024 + 123, 1 << 20],
  ] as const) {
    const data = patternBytes(size, id);
    const r = await put(store, id, data, frame);
    assert.is(r.sizeBytes, size);
    assert.ok(Buffer.compare(await get(store, id, 0, 0), data) === 0, `slice ${id} reads back whole`);
    const { size: onDisk } = await stat(slicePath(store.dataDir, id as SliceId));
    assert.is(onDisk, fileBytesOf(size));
  }
  const data = patternBytes(10 * 1024 * 1024 + 123, 5);
  for (const [off, len] of [
    [0, 1],
    [blockSizeBytes - 1, 2],
    [12345, 3 * 1024 * 1024],
    [data.length - 123, 123],
    [data.length - 1, 1],
  ] as const) {
    assert.ok(Buffer.compare(await get(store, 5, off, len), data.subarray(off, off + len)) === 0, `range ${off}+${len}`);
  }
});

format('reads outside the slice are EINVAL, unknown slices ENOENT', async () => {
  const store = await openStore(await fx.dir());
  await put(store, 7, patternBytes(1000, 7));
  assert.is(await errnoOf(get(store, 7, 999, 2)), Errno.EINVAL);
  assert.is(await errnoOf(get(store, 7, 1001, 0)), Errno.EINVAL);
  assert.is(await errnoOf(get(store, 8, 0, 1)), Errno.ENOENT);
  assert.is((await get(store, 7, 1000, 0)).length, 0);
});

format('a flipped byte fails the read of its block with EIO and is reported corrupt', async () => {
  const store = await openStore(await fx.dir());
  const data = patternBytes(5 * blockSizeBytes, 9);
  await put(store, 9, data);
  store.report(true).ack();
  const fh = await open(slicePath(store.dataDir, 9 as SliceId), 'r+');
  await fh.write(Buffer.from([data[3 * blockSizeBytes + 5]! ^ 0xff]), 0, 1, 3 * blockSizeBytes + 5);
  await fh.close();
  // Blocks that are intact still read.
  assert.ok(Buffer.compare(await get(store, 9, 0, 3 * blockSizeBytes), data.subarray(0, 3 * blockSizeBytes)) === 0);
  assert.is(store.report(false).corrupt.length, 0);
  try {
    await get(store, 9, 3 * blockSizeBytes, 10);
    assert.unreachable('read of a corrupt block succeeded');
  } catch (err) {
    assert.instance(err, FsError);
    assert.is((err as FsError).errno, Errno.EIO);
    assert.is((err as FsError).message, 'checksum mismatch');
  }
  const r = store.report(false);
  assert.equal(r.corrupt, [9]);
  r.ack();
  assert.equal(store.report(false).corrupt, []);
  assert.equal((await store.info(9 as SliceId)).valid, false);
  // Out of service now: even its intact blocks fail, and it is no longer held.
  assert.is(await errnoOf(get(store, 9, 0, 10)), Errno.EIO);
  assert.equal(store.inventory(), []);
  // The master's deletion removes the file, and the space it took.
  const used = store.space().usedBytes;
  assert.is(await store.delete([9 as SliceId]), 1);
  assert.is(store.space().usedBytes, used - fileBytesOf(5 * blockSizeBytes));
  assert.not.ok(store.isCorrupt(9 as SliceId));
  assert.is(await errnoOf(get(store, 9, 0, 10)), Errno.ENOENT);
});

const life = suite('slice store: restart, lock, space');
life.after.each(cleanup);

life('restart rebuilds the inventory and deletes leftover temp files', async () => {
  const dir = await fx.dir();
  let store = await openStore(dir);
  const id = store.serverId;
  await put(store, 11, patternBytes(70_000, 11));
  await put(store, 300, patternBytes(5, 300));
  await store.close();
  stores.splice(stores.indexOf(store), 1);
  // A crash mid-write leaves a temp file and a lock naming a process that is gone.
  await writeFile(join(dir, 'slices', '0c', '000000000000000c.abcdef.tmp'), patternBytes(1000, 12), { flag: 'w' }).catch(async () => {
    await mkdir(join(dir, 'slices', '0c'));
    await writeFile(join(dir, 'slices', '0c', '000000000000000c.abcdef.tmp'), patternBytes(1000, 12));
  });
  await writeFile(join(dir, 'LOCK'), '999999999\n');
  const tmpBefore = (await filesUnder(dir)).filter((n) => n.endsWith('.tmp'));
  assert.is(tmpBefore.length, 1);
  store = await openStore(dir);
  assert.is(store.serverId, id, 'server id persists');
  assert.equal(
    store.inventory().sort((a, b) => a.sliceId - b.sliceId),
    [
      { sliceId: 11, sizeBytes: 70_000 },
      { sliceId: 300, sizeBytes: 5 },
    ],
  );
  assert.is((await filesUnder(dir)).filter((n) => n.endsWith('.tmp')).length, 0);
  assert.ok(Buffer.compare(await get(store, 11, 0, 0), patternBytes(70_000, 11)) === 0);
  assert.is(store.space().usedBytes, fileBytesOf(70_000) + fileBytesOf(5));
});

life('a second store on the same directory fails with DataDirLocked', async () => {
  const dir = await fx.dir();
  await openStore(dir);
  try {
    await openStore(dir);
    assert.unreachable('second open succeeded');
  } catch (err) {
    assert.instance(err, FatalError);
    assert.is((err as FatalError).reason, FatalReason.DataDirLocked);
    assert.match((err as Error).message, /in use by process/);
  }
});

life('ENOSPC before writing anything, with a known or an unknown size', async () => {
  const dir = await fx.dir();
  const store = await openStore(dir, { capacityBytes: 4 * 1024 * 1024, reserveBytes: 1024 * 1024 });
  await put(store, 1, patternBytes(2 * 1024 * 1024, 1));
  const before = await filesUnder(dir);
  const used = store.space().usedBytes;
  assert.is(await errnoOf(store.beginWrite(2 as SliceId, 2 * 1024 * 1024)), Errno.ENOSPC);
  // Unknown size: fails at the frame that crosses the reserve; abort leaves nothing.
  const w = await store.beginWrite(3 as SliceId, 0);
  w.append(patternBytes(512 * 1024, 3));
  let errno = 0;
  try {
    w.append(patternBytes(1024 * 1024, 3));
  } catch (err) {
    errno = (err as FsError).errno;
  }
  assert.is(errno, Errno.ENOSPC);
  await w.abort();
  assert.equal(await filesUnder(dir), before);
  assert.is(store.space().usedBytes, used);
  assert.equal(store.inventory().map((s) => s.sliceId), [1]);
  // The space is still usable by a write that fits.
  await put(store, 4, patternBytes(100_000, 4));
});

life('rewriting identical bytes is a no-op; different bytes are EEXIST', async () => {
  const dir = await fx.dir();
  const store = await openStore(dir);
  const data = patternBytes(200_000, 21);
  const a = await put(store, 21, data);
  store.report(false).ack();
  const b = await put(store, 21, data, 7777);
  assert.equal(a, b);
  assert.is(await errnoOf(put(store, 21, patternBytes(200_000, 22))), Errno.EEXIST);
  assert.is(await errnoOf(put(store, 21, patternBytes(100, 21))), Errno.EEXIST);
  assert.is((await filesUnder(dir)).filter((n) => n.endsWith('.tmp')).length, 0);
  assert.equal(store.report(false).slices, [], 'a retry is not a new slice');
});

life('the change log keeps deltas until acknowledged', async () => {
  const store = await openStore(await fx.dir());
  await put(store, 1, patternBytes(10, 1));
  await put(store, 2, patternBytes(20, 2));
  const full = store.report(true);
  assert.is(full.slices.length, 2);
  await put(store, 3, patternBytes(30, 3)); // after the full report was taken
  full.ack();
  const d1 = store.report(false);
  assert.equal(d1.slices, [{ sliceId: 3, sizeBytes: 30 }]);
  // d1 is "lost": not acknowledged. More changes arrive.
  assert.is(await store.delete([1 as SliceId, 99 as SliceId]), 1);
  const d2 = store.report(false);
  assert.equal(d2.slices, [{ sliceId: 3, sizeBytes: 30 }]);
  assert.equal(d2.removed, [1]);
  d2.ack();
  const d3 = store.report(false);
  assert.equal([d3.slices, d3.removed], [[], []]);
});

format.run();
life.run();

// Tests the fast paths added for small slices and reads, without gRPC except where noted:
// small slices (gathered in memory, one O_DSYNC write) keep every property of the streaming path
// (round trip, EINVAL on too much or too little data and nothing left on disk, EEXIST, abort);
// the read-handle cache never serves a deleted slice's old bytes; recycled read buffers do not
// corrupt data being read; `readFrameInPlace` encodes exactly what protobuf.js encodes; and the
// group-committed directory fsync (dir-sync.ts) answers every concurrent waiter.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Errno, FsError } from '@cairn/errors';
import { protos, ok } from '@cairn/rpc';
import { SliceStore, readFrameInPlace, type SliceId } from '../src/index.js';
import { DirSync } from '../src/dir-sync.js';
import { readPrefixBytes } from '../src/slice-store.js';
import { Fixture, patternBytes, silent } from './helpers.js';

const fx = new Fixture();
const stores: SliceStore[] = [];

async function openStore(dataDir: string): Promise<SliceStore> {
  const s = await SliceStore.open({ dataDir, logger: silent });
  stores.push(s);
  return s;
}

async function get(store: SliceStore, id: number, offset = 0, length = 0): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const b of store.read(id as SliceId, offset, length)) {
    parts.push(Buffer.from(b));
    store.recycle(b);
  }
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

async function files(dataDir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(join(dataDir, 'slices'), { recursive: true, withFileTypes: true })) if (e.isFile()) out.push(e.name);
  return out.sort();
}

const small = suite('small slices: one write, same guarantees');
small.after.each(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
  await fx.cleanup();
});

small('small slices of several sizes round trip, and survive a restart', async () => {
  const dir = await fx.dir();
  let store = await openStore(dir);
  const sizes = [1, 4096, 65_535, 65_536, 65_537, 256 * 1024];
  for (const [i, size] of sizes.entries()) {
    const data = patternBytes(size, i + 1);
    const w = await store.beginWrite((i + 1) as SliceId, size);
    for (let pos = 0; pos < size; pos += 1000) w.append(data.subarray(pos, Math.min(size, pos + 1000)));
    await w.commit(true);
    assert.ok((await get(store, i + 1)).equals(data), `size ${size}`);
  }
  await store.close();
  store = await openStore(dir);
  for (const [i, size] of sizes.entries()) assert.ok((await get(store, i + 1)).equals(patternBytes(size, i + 1)), `size ${size} after restart`);
  assert.is((await files(dir)).filter((n) => n.endsWith('.tmp')).length, 0, 'no temp files');
});

small('too much or too little data is EINVAL and leaves nothing; abort leaves nothing', async () => {
  const dir = await fx.dir();
  const store = await openStore(dir);
  const w1 = await store.beginWrite(1 as SliceId, 4096);
  assert.throws(() => w1.append(Buffer.alloc(4097)), (e: FsError) => e.errno === Errno.EINVAL);
  assert.is(await errnoOf(w1.commit(true)), Errno.EINVAL);
  const w2 = await store.beginWrite(2 as SliceId, 4096);
  w2.append(Buffer.alloc(100));
  assert.is(await errnoOf(w2.commit(true)), Errno.EINVAL);
  const w3 = await store.beginWrite(3 as SliceId, 4096);
  w3.append(Buffer.alloc(4096));
  await w3.abort();
  assert.equal(await files(dir), []);
  assert.is(store.sliceCount, 0);
  assert.is(store.space().usedBytes, 0);
  // Nothing stays reserved: the whole free space is available again.
  const before = store.space().freeBytes;
  const w4 = await store.beginWrite(4 as SliceId, 4096);
  await w4.abort();
  assert.is(store.space().freeBytes, before);
});

small('the same id with other bytes is EEXIST; identical bytes are accepted', async () => {
  const store = await openStore(await fx.dir());
  const data = patternBytes(5000, 9);
  const put = async (d: Buffer): Promise<unknown> => {
    const w = await store.beginWrite(7 as SliceId, d.length);
    w.append(d);
    return w.commit(true);
  };
  await put(data);
  await put(data);
  assert.is(await errnoOf(put(patternBytes(5000, 10))), Errno.EEXIST);
  assert.ok((await get(store, 7)).equals(data));
});

const reads = suite('reads: cached handles and recycled buffers');
reads.after.each(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
  await fx.cleanup();
});

reads('a slice deleted and written again reads its new bytes, not a cached handle\'s', async () => {
  const store = await openStore(await fx.dir());
  const put = async (d: Buffer): Promise<void> => {
    const w = await store.beginWrite(5 as SliceId, d.length);
    w.append(d);
    await w.commit(true);
  };
  const a = patternBytes(300_000, 1);
  const b = patternBytes(300_000, 2);
  await put(a);
  assert.ok((await get(store, 5)).equals(a));
  await store.delete([5 as SliceId]);
  await put(b);
  assert.ok((await get(store, 5)).equals(b));
});

reads('many concurrent ranged reads with buffer recycling return the right bytes', async () => {
  const store = await openStore(await fx.dir());
  const data = patternBytes(5 * 1024 * 1024 + 17, 3);
  const w = await store.beginWrite(9 as SliceId, data.length);
  for (let pos = 0; pos < data.length; pos += 1 << 20) w.append(data.subarray(pos, Math.min(data.length, pos + (1 << 20))));
  await w.commit(true);
  const ranges = Array.from({ length: 40 }, (_, i) => [(i * 131_071) % data.length, Math.min(2_500_000, data.length - ((i * 131_071) % data.length))] as const);
  const got = await Promise.all(ranges.map(([off, len]) => get(store, 9, off, len)));
  for (const [i, [off, len]] of ranges.entries()) assert.ok((got[i] as Buffer).equals(data.subarray(off, off + len)), `range ${off}+${len}`);
});

const frames = suite('readFrameInPlace: the documented protobuf encoding');

frames('matches protobuf.js byte for byte, for lengths around varint boundaries', () => {
  const serialize = protos().chunk.cairn.ChunkData.service.ReadSlice.responseSerialize;
  for (const n of [0, 1, 127, 128, 16_383, 16_384, 65_536, 1 << 20]) {
    const whole = Buffer.alloc(readPrefixBytes + n);
    const data = whole.subarray(readPrefixBytes);
    data.fill(0xab);
    const raw = (readFrameInPlace(data) as unknown as Record<symbol, Buffer>)[Object.getOwnPropertySymbols(readFrameInPlace(data))[0] as symbol] as Buffer;
    assert.ok(raw.equals(serialize({ status: ok, data })), `length ${n}`);
  }
});

const group = suite('dir-sync: group-committed directory fsyncs');

group('every waiter resolves, including those that arrive during a round', async () => {
  const dir = await fx.dir();
  const ds = new DirSync(4);
  const first = Array.from({ length: 20 }, () => ds.sync(dir));
  await Promise.resolve();
  const later = Array.from({ length: 20 }, () => ds.sync(dir));
  await Promise.all([...first, ...later]);
  await ds.close();
  assert.is(await errnoOf(ds.sync(dir)), Errno.EIO);
  await fx.cleanup();
});

group('a missing directory fails its waiters, not the others', async () => {
  const dir = await fx.dir();
  const ds = new DirSync(4);
  const results = await Promise.allSettled([ds.sync(dir), ds.sync(join(dir, 'missing')), ds.sync(dir)]);
  assert.equal(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
  await ds.close();
  await fx.cleanup();
});

small.run();
reads.run();
frames.run();
group.run();

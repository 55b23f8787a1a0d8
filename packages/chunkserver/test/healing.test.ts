// Tests the chunkserver's part in self-healing (issue 5), over real gRPC on 127.0.0.1 with a fake
// master (helpers.ts) that records heartbeats and scripts their replies:
// - a replicate command copies a slice to another server byte for byte, and the copy shows up in
//   that server's next heartbeat delta; duplicates and bad commands are ignored; a corrupt local
//   replica is not copied and is reported instead;
// - the scrubber finds a flipped data byte and a damaged CRC table, takes those replicas out of
//   service, reports each once, and the master's deleteSlices removes their files; pause and
//   stop work mid-pass;
// - a server that cannot reach the master fences itself (writes EROFS, reads go on) and
//   recovers when a heartbeat gets through;
// - the heartbeat's freeBytes is what a new slice may take, and a slice past it is ENOSPC
//   before any byte is stored;
// - bad options are EINVAL at construction and touch nothing.
// Waiting is by polling a condition with a generous bound; nothing asserts on timing. Every
// server, client, fake master and temp dir is removed after each test, even on failure.
import { open, readdir } from 'node:fs/promises';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Errno, FsError } from '@cairn/errors';
import { fileBytesOf, slicePath, startChunkserver, type Chunkserver, type SliceId } from '../src/index.js';
import { Fixture, fakeMaster, patternBytes, readSlice, silent, until, writeSlice, type FakeMaster } from './helpers.js';

const fx = new Fixture();
let master: FakeMaster | undefined;

async function cleanup(): Promise<void> {
  await fx.cleanup();
  master?.close();
  master = undefined;
}

function beatsOf(m: FakeMaster, s: Chunkserver) {
  return m.requests.filter((r) => r.serverId === s.id);
}

async function flipByte(s: Chunkserver, id: number, position: number): Promise<void> {
  const fh = await open(slicePath(s.store.dataDir, id as SliceId), 'r+');
  try {
    const b = Buffer.alloc(1);
    await fh.read(b, 0, 1, position);
    b[0] = b[0]! ^ 0x10;
    await fh.write(b, 0, 1, position);
  } finally {
    await fh.close();
  }
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) if (e.isFile()) out.push(e.name);
  return out.sort();
}

const rep = suite('replicate commands');
rep.after.each(cleanup);

rep('a slice is copied byte for byte and appears in the target heartbeat delta', async () => {
  master = await fakeMaster();
  const m = master;
  const opts = { masters: [m.address], heartbeatIntervalMs: 30, replicationBytesPerSecMax: 16 * 1024 * 1024 };
  const source = await fx.server(opts);
  const target = await fx.server(opts);
  await until(() => beatsOf(m, target).length >= 2, 'the target has registered');
  const data = patternBytes(3 * 1024 * 1024 + 17, 5);
  assert.is((await writeSlice(fx.client(source.address), data, { sliceId: 500 })).status?.errno, 0);
  const seenBefore = beatsOf(m, target).length;
  const to = { id: target.id, address: target.address };
  m.nextFor.set(source.id, [
    {
      replicate: [
        { sliceId: 500, target: to },
        { sliceId: 500, target: to }, // a duplicate: ignored
        { sliceId: 500, target: { id: source.id, address: source.address } }, // itself: ignored
        { sliceId: 0, target: to }, // a bad id: ignored
        { sliceId: 999, target: to }, // not held here: skipped
      ],
    },
  ]);
  await until(() => beatsOf(m, target).slice(seenBefore).some((r) => r.slices.some((x) => x.sliceId === 500)), 'the copy is reported');
  const report = beatsOf(m, target).find((r, i) => i >= seenBefore && r.slices.some((x) => x.sliceId === 500))!;
  assert.is(report.fullReport, false, 'reported in a delta');
  assert.equal(report.slices.find((x) => x.sliceId === 500), { sliceId: 500, size: data.length });
  const back = await readSlice(fx.client(target.address), 500, 0, 0);
  assert.is(back.errno, 0, back.message);
  assert.ok(Buffer.compare(back.data, data) === 0, 'the copy has the same bytes');
  await source.replicator.whenIdle();
  assert.equal(source.replicator.counts, { copied: 1, failed: 1, queued: 0, running: 0 });
  assert.ok(source.store.has(500 as SliceId), 'the source keeps its replica');
});

rep('a corrupt local replica is not copied; it is reported corrupt instead', async () => {
  master = await fakeMaster();
  const m = master;
  const source = await fx.server({ masters: [m.address], heartbeatIntervalMs: 30 });
  const target = await fx.server();
  const data = patternBytes(2 * 1024 * 1024, 6);
  assert.is((await writeSlice(fx.client(source.address), data, { sliceId: 501 })).status?.errno, 0);
  await flipByte(source, 501, 1_500_000);
  m.nextFor.set(source.id, [{ replicate: [{ sliceId: 501, target: { id: target.id, address: target.address } }] }]);
  await until(() => beatsOf(m, source).some((r) => r.corrupt.includes(501)), 'the corrupt replica is reported');
  await source.replicator.whenIdle();
  assert.equal(source.replicator.counts.copied, 0);
  assert.not.ok(target.store.has(501 as SliceId), 'the target keeps nothing');
  // The target drops its temp file when it sees the cancel, which may come after the source is done.
  await until(async () => (await filesUnder(`${target.store.dataDir}/slices`)).length === 0, 'not even a temp file is left');
});

const scrub = suite('scrubber');
scrub.after.each(cleanup);

scrub('finds a flipped byte and a damaged CRC table, reports each once; deletion removes the files', async () => {
  master = await fakeMaster();
  const m = master;
  const s = await fx.server({ masters: [m.address], heartbeatIntervalMs: 30, scrubPassIntervalMs: 50 });
  const scrubber = s.scrubber!;
  const c = fx.client(s.address);
  const sizes = new Map([[1, 200_000], [2, 1_500_000], [3, 70_000]]);
  for (const [id, size] of sizes) assert.is((await writeSlice(c, patternBytes(size, id), { sliceId: id })).status?.errno, 0);
  const clean = await scrubber.pass();
  assert.equal(clean.corrupt, []);
  await until(() => beatsOf(m, s).some((r) => r.slices.some((x) => x.sliceId === 3)), 'the slices are reported');
  await flipByte(s, 2, 1_234_567); // data
  await flipByte(s, 3, 70_000 + 5); // the CRC table
  // The background passes find both.
  await until(() => beatsOf(m, s).flatMap((r) => r.corrupt).length >= 2, 'both corrupt replicas are reported');
  const passes = scrubber.passCount;
  await until(() => scrubber.passCount >= passes + 2, 'two more passes');
  const beats = beatsOf(m, s).length;
  await until(() => beatsOf(m, s).length >= beats + 2, 'two more beats');
  const reports = beatsOf(m, s).flatMap((r) => r.corrupt).sort();
  assert.equal(reports, [2, 3], 'each corrupt replica is reported exactly once');
  assert.equal(beatsOf(m, s).flatMap((r) => r.removed).sort(), [2, 3], 'and no longer reported as held');
  assert.equal(s.store.inventory().map((x) => x.sliceId), [1]);
  const r = await readSlice(c, 2, 0, 10); // block 0 is intact, but the replica is out of service
  assert.is(r.errno, Errno.EIO);
  // The master deletes the bad replicas: their files go, and so does the space they took.
  const used = s.store.space().usedBytes;
  m.nextFor.set(s.id, [{ deleteSlices: [2, 3] }]);
  await until(() => !s.store.isCorrupt(2 as SliceId) && !s.store.isCorrupt(3 as SliceId), 'the deletion is carried out');
  assert.is(s.store.space().usedBytes, used - fileBytesOf(1_500_000) - fileBytesOf(70_000));
  assert.equal((await filesUnder(`${s.store.dataDir}/slices`)).length, 1);
});

scrub('pause holds a pass; stop ends a slow pass at once', async () => {
  const s = await fx.server({ scrubBytesPerSecMax: 64 * 1024, scrubPassIntervalMs: 3_600_000 });
  const scrubber = s.scrubber!;
  assert.is((await writeSlice(fx.client(s.address), patternBytes(4 * 1024 * 1024, 9), { sliceId: 9 })).status?.errno, 0);
  scrubber.pause();
  let finished = false;
  const pass = scrubber.pass().then(
    () => (finished = true),
    (err: unknown) => err,
  );
  await new Promise((r) => setTimeout(r, 50));
  assert.not.ok(finished, 'a paused scrubber does not walk');
  scrubber.resume();
  // 4 MiB at 64 KiB/s takes a minute: stop() must not wait for it.
  await scrubber.stop();
  const err = await pass;
  assert.instance(err, FsError);
  assert.is((err as FsError).errno, Errno.EINTR);
  assert.ok(s.store.has(9 as SliceId), 'an interrupted pass marks nothing');
});

scrub('scrubBytesPerSecMax 0 turns the scrubber off', async () => {
  const s = await fx.server({ scrubBytesPerSecMax: 0 });
  assert.is(s.scrubber, undefined);
});

const fence = suite('fencing');
fence.after.each(cleanup);

fence('no contact with the master: writes are refused with EROFS, reads go on; contact again: writes resume', async () => {
  master = await fakeMaster();
  const m = master;
  const s = await fx.server({ masters: [m.address], heartbeatIntervalMs: 30, fenceAfterMs: 300 });
  const c = fx.client(s.address);
  await until(() => beatsOf(m, s).length >= 1, 'registered');
  const data = patternBytes(100_000, 1);
  assert.is((await writeSlice(c, data, { sliceId: 1 })).status?.errno, 0);
  m.failAll = true;
  await until(() => s.fence!.fencedForMs() !== undefined, 'fenced');
  const refused = await writeSlice(c, patternBytes(100_000, 2), { sliceId: 2 });
  assert.is(refused.status?.errno, Errno.EROFS);
  assert.match(refused.status!.message, /^fenced: no contact with the master/);
  assert.not.ok(s.store.has(2 as SliceId), 'nothing stored');
  const read = await readSlice(c, 1, 0, 0);
  assert.is(read.errno, 0);
  assert.ok(Buffer.compare(read.data, data) === 0, 'reads go on');
  m.failAll = false;
  await until(() => s.fence!.fencedForMs() === undefined, 'unfenced');
  assert.is((await writeSlice(c, patternBytes(100_000, 2), { sliceId: 2 })).status?.errno, 0);
});

fence('a fenced downstream drops out of the pipeline; the write succeeds upstream', async () => {
  master = await fakeMaster();
  const m = master;
  const head = await fx.server();
  const fenced = await fx.server({ masters: [m.address], heartbeatIntervalMs: 30, fenceAfterMs: 100 });
  m.failAll = true;
  await until(() => fenced.fence!.fencedForMs() !== undefined, 'fenced');
  const reply = await writeSlice(fx.client(head.address), patternBytes(50_000, 3), { sliceId: 3, downstream: [{ id: fenced.id, address: fenced.address }] });
  assert.is(reply.status?.errno, 0);
  assert.equal(reply.storedOn, [head.id]);
  assert.not.ok(fenced.store.has(3 as SliceId));
});

const space = suite('disk full');
space.after.each(cleanup);

space('heartbeat freeBytes is what a slice may take; one byte more is ENOSPC before writing', async () => {
  master = await fakeMaster();
  const m = master;
  const capacityBytes = 8 * 1024 * 1024;
  const reserveBytes = 2 * 1024 * 1024;
  const s = await fx.server({ masters: [m.address], heartbeatIntervalMs: 30, capacityBytes, reserveBytes });
  await until(() => beatsOf(m, s).length >= 1, 'registered');
  const first = beatsOf(m, s)[0]!;
  assert.equal([first.capacityBytes, first.usedBytes, first.freeBytes], [capacityBytes, 0, capacityBytes - reserveBytes]);
  const c = fx.client(s.address);
  assert.is((await writeSlice(c, patternBytes(4 * 1024 * 1024, 1), { sliceId: 1 })).status?.errno, 0);
  await until(() => beatsOf(m, s).some((r) => r.slices.some((x) => x.sliceId === 1)), 'the slice is reported');
  const after = beatsOf(m, s).find((r) => r.slices.some((x) => x.sliceId === 1))!;
  const writable = capacityBytes - reserveBytes - fileBytesOf(4 * 1024 * 1024);
  assert.is(after.freeBytes, writable);
  // The largest slice that fits what the heartbeat reported, and the next size up.
  let fits = writable - 40;
  while (fileBytesOf(fits) > writable) fits--;
  const before = await filesUnder(s.store.dataDir);
  const tooBig = await writeSlice(c, patternBytes(fits + 1, 2), { sliceId: 2 });
  assert.is(tooBig.status?.errno, Errno.ENOSPC);
  assert.equal(await filesUnder(s.store.dataDir), before, 'nothing written');
  assert.is((await writeSlice(c, patternBytes(fits, 3), { sliceId: 3 })).status?.errno, 0);
  const back = await readSlice(c, 1, 0, 0);
  assert.ok(Buffer.compare(back.data, patternBytes(4 * 1024 * 1024, 1)) === 0, 'earlier data intact');
});

const opts = suite('options');
opts.after.each(cleanup);

opts('bad healing options are EINVAL at construction and touch nothing', async () => {
  const dataDir = await fx.dir();
  const bad: [string, Record<string, unknown>][] = [
    ['scrubBytesPerSecMax', { scrubBytesPerSecMax: -1 }],
    ['scrubBytesPerSecMax', { scrubBytesPerSecMax: 1.5 }],
    ['scrubPassIntervalMs', { scrubPassIntervalMs: 0 }],
    ['replicationBytesPerSecMax', { replicationBytesPerSecMax: 0 }],
    ['replicationBytesPerSecMax', { replicationBytesPerSecMax: Number.NaN }],
    ['replicationConcurrencyMax', { replicationConcurrencyMax: 0 }],
    ['replicationTimeoutMs', { replicationTimeoutMs: -5 }],
    ['fenceAfterMs', { fenceAfterMs: 0 }],
    ['fenceAfterMs', { fenceAfterMs: 500, heartbeatIntervalMs: 1_000, masters: ['127.0.0.1:1'] }],
  ];
  for (const [key, more] of bad) {
    try {
      const s = await startChunkserver({ dataDir, masters: [], logger: silent, ...more });
      await s.stop();
      assert.unreachable(`accepted ${JSON.stringify(more)}`);
    } catch (err) {
      assert.instance(err, FsError, String(err));
      assert.is((err as FsError).errno, Errno.EINVAL);
      assert.match((err as Error).message, key);
    }
  }
  assert.equal(await readdir(dataDir), [], 'the data directory is untouched');
});

rep.run();
scrub.run();
fence.run();
space.run();
opts.run();

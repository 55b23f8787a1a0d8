// Tests the ChunkData service over real gRPC on 127.0.0.1 (ephemeral ports): a slice written
// through a 3-server pipeline reads back byte for byte from each server; a corrupt replica fails
// with EIO while the others serve; a restart rebuilds the inventory; ENOSPC leaves nothing
// behind; malformed input is EINVAL and changes nothing; a downstream that stops mid-write
// shrinks `storedOn` without failing the write. Every server and temp dir is removed afterwards.
import { open, readdir } from 'node:fs/promises';
import { crc32c } from '@node-rs/crc32';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Errno } from '@cairn/errors';
import type { types } from '@cairn/rpc';
import { slicePath, type Chunkserver, type SliceId } from '../src/index.js';
import { Fixture, patternBytes, readSlice, unaryCall, writeSlice } from './helpers.js';

const fx = new Fixture();

function pipeline(servers: Chunkserver[]): { id: number; address: string }[] {
  return servers.map((s) => ({ id: s.id, address: s.address }));
}

async function sliceFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) if (e.isFile() && e.name !== 'LOCK' && e.name !== 'server-id') out.push(e.name);
  return out.sort();
}

const pipe = suite('data service: pipeline writes and reads');
pipe.after.each(() => fx.cleanup());

pipe('a slice written through 3 servers reads back from each, byte for byte', async () => {
  const servers = [await fx.server(), await fx.server(), await fx.server()];
  const data = patternBytes(10 * 1024 * 1024 + 123, 42);
  const client = fx.client(servers[0]!.address);
  const reply = await writeSlice(client, data, { sliceId: 1001, downstream: pipeline(servers.slice(1)), frameBytes: 1024 * 1024 + 7 });
  assert.is(reply.status?.errno, 0, reply.status?.message);
  assert.equal(reply.storedOn, servers.map((s) => s.id));
  assert.is(reply.size, data.length);
  assert.is(reply.crc32c, crc32c(data) >>> 0);
  for (const s of servers) {
    const r = await readSlice(fx.client(s.address), 1001, 0, data.length);
    assert.is(r.errno, 0, r.message);
    assert.ok(r.frameMaxBytes <= 1024 * 1024, 'frames are at most 1 MiB');
    assert.ok(Buffer.compare(r.data, data) === 0, `server ${s.id} returns the same bytes`);
    const part = await readSlice(fx.client(s.address), 1001, 5_000_001, 3_000_000);
    assert.ok(Buffer.compare(part.data, data.subarray(5_000_001, 8_000_001)) === 0, 'unaligned range');
    const info = await unaryCall<types.SliceInfoRequest, types.SliceInfoReply__Output>(fx.client(s.address), 'sliceInfo', { sliceId: 1001 });
    assert.equal([info.status?.errno, info.size, info.blocks, info.valid], [0, data.length, 161, true]);
  }
  // A retry of the same write is accepted; the same id with other bytes is EEXIST.
  const again = await writeSlice(client, data, { sliceId: 1001, downstream: pipeline(servers.slice(1)) });
  assert.equal([again.status?.errno, again.storedOn, again.crc32c], [0, reply.storedOn, reply.crc32c]);
  const other = await writeSlice(client, patternBytes(1000, 1), { sliceId: 1001, downstream: pipeline(servers.slice(1)) });
  assert.is(other.status?.errno, Errno.EEXIST);
});

pipe('a flipped byte on one replica: that server fails with EIO, the others serve', async () => {
  const servers = [await fx.server(), await fx.server(), await fx.server()];
  const data = patternBytes(3 * 1024 * 1024, 7);
  const reply = await writeSlice(fx.client(servers[0]!.address), data, { sliceId: 77, downstream: pipeline(servers.slice(1)) });
  assert.is(reply.status?.errno, 0);
  const bad = servers[1]!;
  const fh = await open(slicePath(bad.store.dataDir, 77 as SliceId), 'r+');
  await fh.write(Buffer.from([data[2_000_000]! ^ 0x01]), 0, 1, 2_000_000);
  await fh.close();
  const r = await readSlice(fx.client(bad.address), 77, 0, 0);
  assert.is(r.errno, Errno.EIO);
  assert.is(r.message, 'checksum mismatch');
  assert.ok(bad.store.isCorrupt(77 as SliceId));
  for (const s of [servers[0]!, servers[2]!]) {
    const ok = await readSlice(fx.client(s.address), 77, 0, 0);
    assert.is(ok.errno, 0);
    assert.ok(Buffer.compare(ok.data, data) === 0);
  }
});

pipe('a server restarted on the same data dir rebuilds its inventory and id', async () => {
  const first = await fx.server();
  const dataDir = first.store.dataDir;
  const id = first.id;
  for (const [sliceId, size] of [[1, 100], [2, 65_536], [3, 1_000_000]] as const) {
    const r = await writeSlice(fx.client(first.address), patternBytes(size, sliceId), { sliceId });
    assert.is(r.status?.errno, 0);
  }
  await first.stop();
  const second = await fx.server({ dataDir });
  assert.is(second.id, id);
  assert.equal(
    second.store.inventory().sort((a, b) => a.sliceId - b.sliceId),
    [
      { sliceId: 1, sizeBytes: 100 },
      { sliceId: 2, sizeBytes: 65_536 },
      { sliceId: 3, sizeBytes: 1_000_000 },
    ],
  );
  const r = await readSlice(fx.client(second.address), 3, 0, 0);
  assert.ok(Buffer.compare(r.data, patternBytes(1_000_000, 3)) === 0);
  try {
    await fx.server({ dataDir });
    assert.unreachable('two servers on one data dir');
  } catch (err) {
    assert.match((err as Error).message, /in use by process/);
  }
});

const neg = suite('data service: errors change nothing');
neg.after.each(() => fx.cleanup());

neg('ENOSPC when capacity is exceeded, with nothing partial left', async () => {
  const s = await fx.server({ capacityBytes: 16 * 1024 * 1024, reserveBytes: 0 });
  const c = fx.client(s.address);
  assert.is((await writeSlice(c, patternBytes(10 * 1024 * 1024, 1), { sliceId: 1 })).status?.errno, 0);
  const before = await sliceFiles(s.store.dataDir);
  const usedBefore = s.store.space().usedBytes;
  // Size announced: refused before any byte is written.
  const known = await writeSlice(c, patternBytes(8 * 1024 * 1024, 2), { sliceId: 2 });
  assert.is(known.status?.errno, Errno.ENOSPC);
  // Size not announced: refused at the frame that crosses the limit.
  const unknown = await writeSlice(c, patternBytes(8 * 1024 * 1024, 3), { sliceId: 3, expectedSize: 0 });
  assert.is(unknown.status?.errno, Errno.ENOSPC);
  assert.equal(await sliceFiles(s.store.dataDir), before);
  assert.is(s.store.space().usedBytes, usedBefore);
  assert.is((await readSlice(c, 2, 0, 0)).errno, Errno.ENOENT);
  assert.is((await readSlice(c, 3, 0, 0)).errno, Errno.ENOENT);
});

neg('malformed writes and reads are EINVAL or ENOENT and change nothing', async () => {
  const s = await fx.server();
  const c = fx.client(s.address);
  assert.is((await writeSlice(c, patternBytes(5000, 5), { sliceId: 5 })).status?.errno, 0);
  const before = await sliceFiles(s.store.dataDir);
  const data = Buffer.from('hello');
  const cases: [string, types.WriteFrame[]][] = [
    ['data before header', [{ data }, { header: { sliceId: 6 } }]],
    ['no frames', []],
    ['slice id 0', [{ header: { sliceId: 0 } }, { data }]],
    ['unsafe slice id', [{ header: { sliceId: '9007199254740993' } }, { data }]],
    ['header twice', [{ header: { sliceId: 6 } }, { data }, { header: { sliceId: 6 } }]],
    ['more data than expected', [{ header: { sliceId: 6, expectedSize: 3 } }, { data }]],
    ['less data than expected', [{ header: { sliceId: 6, expectedSize: 30 } }, { data }]],
    ['expected size above 64 MiB', [{ header: { sliceId: 6, expectedSize: 64 * 1024 * 1024 + 1 } }, { data }]],
    ['pipeline naming this server', [{ header: { sliceId: 6, downstream: [{ id: s.id, address: s.address }] } }, { data }]],
    ['pipeline target without address', [{ header: { sliceId: 6, downstream: [{ id: 12, address: '' }] } }, { data }]],
    ['pipeline target id 0', [{ header: { sliceId: 6, downstream: [{ id: 0, address: '127.0.0.1:1' }] } }, { data }]],
    ['frame above 4 MiB', [{ header: { sliceId: 6 } }, { data: Buffer.alloc(4 * 1024 * 1024 + 1) }]],
  ];
  for (const [what, rawFrames] of cases) {
    const r = await writeSlice(c, Buffer.alloc(0), { sliceId: 0, rawFrames });
    assert.is(r.status?.errno, Errno.EINVAL, what);
    assert.equal(r.storedOn, [], what);
  }
  assert.is((await readSlice(c, 5, 4999, 2)).errno, Errno.EINVAL);
  assert.is((await readSlice(c, 5, 5001, 0)).errno, Errno.EINVAL);
  assert.is((await readSlice(c, 0, 0, 1)).errno, Errno.EINVAL);
  assert.is((await readSlice(c, 6, 0, 1)).errno, Errno.ENOENT);
  const del = await unaryCall<types.DeleteSlicesRequest, types.DeleteSlicesReply__Output>(c, 'deleteSlices', { sliceIds: [5, 0] });
  assert.is(del.status?.errno, Errno.EINVAL, 'a bad id fails the whole delete');
  const info = await unaryCall<types.SliceInfoRequest, types.SliceInfoReply__Output>(c, 'sliceInfo', { sliceId: 6 });
  assert.is(info.status?.errno, Errno.ENOENT);
  assert.equal(await sliceFiles(s.store.dataDir), before);
  assert.equal(s.store.inventory(), [{ sliceId: 5, sizeBytes: 5000 }]);
  const r = await readSlice(c, 5, 0, 0);
  assert.ok(Buffer.compare(r.data, patternBytes(5000, 5)) === 0);
  // And a delete that is valid works, and is idempotent.
  const d1 = await unaryCall<types.DeleteSlicesRequest, types.DeleteSlicesReply__Output>(c, 'deleteSlices', { sliceIds: [5, 6] });
  assert.equal([d1.status?.errno, d1.deleted], [0, 1]);
  const d2 = await unaryCall<types.DeleteSlicesRequest, types.DeleteSlicesReply__Output>(c, 'deleteSlices', { sliceIds: [5] });
  assert.equal([d2.status?.errno, d2.deleted], [0, 0]);
  assert.equal(await sliceFiles(s.store.dataDir), []);
});

const fail = suite('data service: downstream failures');
fail.after.each(() => fx.cleanup());

fail('the last server stopped mid-write: OK, storedOn lists the survivors', async () => {
  const servers = [await fx.server(), await fx.server(), await fx.server()];
  const data = patternBytes(8 * 1024 * 1024, 9);
  const last = servers[2]!;
  const reply = await writeSlice(fx.client(servers[0]!.address), data, {
    sliceId: 900,
    downstream: pipeline(servers.slice(1)),
    afterFrame: async (i) => {
      if (i === 2) await last.stop();
    },
  });
  assert.is(reply.status?.errno, 0, reply.status?.message);
  assert.equal(reply.storedOn, [servers[0]!.id, servers[1]!.id]);
  for (const s of servers.slice(0, 2)) {
    const r = await readSlice(fx.client(s.address), 900, 0, 0);
    assert.ok(Buffer.compare(r.data, data) === 0);
  }
  assert.equal(await sliceFiles(last.store.dataDir), [], 'the stopped server kept nothing partial');
});

fail('the middle server stopped mid-write: OK, storedOn lists only the first', async () => {
  const servers = [await fx.server(), await fx.server(), await fx.server()];
  const data = patternBytes(8 * 1024 * 1024, 10);
  const reply = await writeSlice(fx.client(servers[0]!.address), data, {
    sliceId: 901,
    downstream: pipeline(servers.slice(1)),
    afterFrame: async (i) => {
      if (i === 1) await servers[1]!.stop();
    },
  });
  assert.is(reply.status?.errno, 0, reply.status?.message);
  assert.equal(reply.storedOn, [servers[0]!.id]);
});

fail('an unreachable downstream from the start: OK on this server alone', async () => {
  const s = await fx.server();
  const data = patternBytes(2 * 1024 * 1024, 11);
  const reply = await writeSlice(fx.client(s.address), data, { sliceId: 902, downstream: [{ id: 424242, address: '127.0.0.1:1' }] });
  assert.is(reply.status?.errno, 0, reply.status?.message);
  assert.equal(reply.storedOn, [s.id]);
});

fail('a downstream that fails locally (ENOSPC) leaves the upstream write OK', async () => {
  const a = await fx.server();
  const b = await fx.server({ capacityBytes: 1024 * 1024, reserveBytes: 0 });
  const reply = await writeSlice(fx.client(a.address), patternBytes(2 * 1024 * 1024, 12), { sliceId: 903, downstream: pipeline([b]) });
  assert.is(reply.status?.errno, 0);
  assert.equal(reply.storedOn, [a.id]);
  assert.equal(await sliceFiles(b.store.dataDir), []);
});

pipe.run();
neg.run();
fail.run();

// Tests the heartbeat against a fake master (a real gRPC Meta server on 127.0.0.1 that records
// requests and answers from a script): a full report first, then deltas; a failed beat's deltas
// are resent; `wantFullReport` brings a full report back; `deleteSlices` is carried out; corrupt
// slices are reported once. Beats are driven by hand (`beat()`), so nothing depends on timing.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Errno } from '@cairn/errors';
import { MetaClient } from '@cairn/rpc';
import { Heartbeat, type SliceId } from '../src/index.js';
import { Fixture, fakeMaster, patternBytes, silent, writeSlice, type FakeMaster } from './helpers.js';

const fx = new Fixture();

const hb = suite('heartbeat');
let master: FakeMaster | undefined;
hb.after.each(async () => {
  await fx.cleanup();
  master?.close();
  master = undefined;
});

hb('full report first, then deltas; failed beats resend; deletions carried out', async () => {
  master = await fakeMaster();
  const s = await fx.server();
  const c = fx.client(s.address);
  for (const id of [1, 2]) assert.is((await writeSlice(c, patternBytes(1000 * id, id), { sliceId: id })).status?.errno, 0);
  const beat = new Heartbeat({
    store: s.store,
    metaClient: new MetaClient({ masters: [master.address], callTimeoutMs: 2_000, retryBudgetMs: 2_000 }),
    serverId: s.id,
    address: s.address,
    intervalMs: 1_000,
    logger: silent,
  });
  try {
    await beat.beat();
    const r1 = master.requests.at(-1)!;
    assert.equal([r1.serverId, r1.address, r1.fullReport, r1.pid], [s.id, s.address, true, process.pid]);
    assert.equal(r1.slices.sort((a, b) => a.sliceId - b.sliceId), [{ sliceId: 1, size: 1000 }, { sliceId: 2, size: 2000 }]);
    assert.ok(r1.capacityBytes > 0 && r1.freeBytes > 0 && r1.usedBytes > 3000);

    // A delta that fails to arrive is sent again.
    assert.is((await writeSlice(c, patternBytes(3000, 3), { sliceId: 3 })).status?.errno, 0);
    master.failNext = 1;
    try {
      await beat.beat();
      assert.unreachable('beat should fail');
    } catch (err) {
      assert.is((err as { errno?: number }).errno, Errno.EIO);
    }
    master.next.push({ deleteSlices: [1, 99] });
    await beat.beat();
    const r2 = master.requests.at(-1)!;
    assert.equal([r2.fullReport, r2.slices, r2.removed], [false, [{ sliceId: 3, size: 3000 }], []]);
    // The reply asked to delete slice 1: gone locally, reported as removed next time.
    assert.equal(s.store.inventory().map((x) => x.sliceId).sort(), [2, 3]);
    s.store.markCorrupt(2 as SliceId);
    master.next.push({ wantFullReport: true });
    await beat.beat();
    const r3 = master.requests.at(-1)!;
    // A corrupt replica is no longer held: reported removed as well as corrupt.
    assert.equal([r3.fullReport, r3.slices, r3.removed.sort(), r3.corrupt], [false, [], [1, 2], [2]]);
    await beat.beat();
    const r4 = master.requests.at(-1)!;
    assert.is(r4.fullReport, true, 'the master asked for a full report');
    assert.equal(r4.slices.map((x) => x.sliceId).sort(), [3]);
    assert.equal(r4.corrupt, [2], 'a full report lists every known corrupt slice');
    await beat.beat();
    const r5 = master.requests.at(-1)!;
    assert.equal([r5.fullReport, r5.slices, r5.removed, r5.corrupt], [false, [], [], []]);
  } finally {
    await beat.stop();
  }
});

hb('a server started with masters registers on its own', async () => {
  master = await fakeMaster();
  const s = await fx.server({ masters: [master.address], heartbeatIntervalMs: 20 });
  const deadline = Date.now() + 10_000;
  while (master.requests.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  assert.ok(master.requests.length >= 2, 'beats arrive');
  assert.is(master.requests[0]!.fullReport, true);
  assert.is(master.requests[0]!.serverId, s.id);
  assert.is(master.requests[1]!.fullReport, false);
});

hb.run();

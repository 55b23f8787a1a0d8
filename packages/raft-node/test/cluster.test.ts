// Tests RaftNode groups end to end over real gRPC on 127.0.0.1: election and ordered replication,
// leader failover, catch-up of a restarted follower through a snapshot after compaction,
// membership changes (add a learner that is promoted, remove a voter), and that ReadIndex on a
// partitioned old leader never resolves. Each test builds its own cluster (harness.ts) and closes
// it in `finally`. Nothing asserts on timing; waits have generous deadlines.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Cluster, bytes, proposeOnLeader } from './harness.js';
import { NotLeader } from '../src/index.js';

const replication = suite('replication');

replication('a 3-node group elects one leader and applies proposals in the same order everywhere', async () => {
  const c = await Cluster.start([1, 2, 3]);
  try {
    const leader = await c.leader();
    assert.is(c.running().filter((n) => n.isLeader).length, 1);
    const results = await Promise.all(Array.from({ length: 200 }, (_, k) => leader.propose(bytes(`v${k}`))));
    const last = Math.max(...results.map((r) => r.index));
    // Every proposal resolved only after its own node applied it.
    assert.ok(leader.appliedIndex >= last);
    await c.converge(last);
    const lists = [1, 2, 3].map((id) => c.members.get(id)!.sm.items);
    assert.is(lists[0]!.length, 200);
    assert.equal(lists[1], lists[0]);
    assert.equal(lists[2], lists[0]);
    const byIndex = new Map(lists[0]!.map((i) => [i.index, i.data]));
    for (const [k, r] of results.entries()) assert.is(byIndex.get(r.index), `v${k}`);
    // Followers refuse proposals with the leader's address.
    const follower = c.running().find((n) => !n.isLeader)!;
    try {
      await follower.propose(bytes('x'));
      assert.unreachable('a follower accepted a proposal');
    } catch (err) {
      assert.instance(err, NotLeader);
      assert.is((err as NotLeader).leaderAddress, c.members.get(leader.id)!.address);
    }
    const st = leader.status();
    assert.is(st.role, 'leader');
    assert.equal(st.peers.map((p) => p.id), [1, 2, 3]);
  } finally {
    await c.close();
  }
});

replication('the leader stops: a new leader is elected and proposals continue; the old one catches up', async () => {
  const c = await Cluster.start([1, 2, 3]);
  try {
    const first = await c.leader();
    for (let k = 0; k < 20; k++) await first.propose(bytes(`a${k}`));
    const oldId = first.id;
    await c.stopNode(oldId);
    const second = await c.leader(15_000);
    assert.is.not(second.id, oldId);
    let last = 0;
    for (let k = 0; k < 20; k++) last = (await second.propose(bytes(`b${k}`))).index;
    await c.startNode(oldId);
    await c.converge(last);
    const lists = [1, 2, 3].map((id) => c.members.get(id)!.sm.datas());
    const expected = [...Array.from({ length: 20 }, (_, k) => `a${k}`), ...Array.from({ length: 20 }, (_, k) => `b${k}`)];
    for (const l of lists) assert.equal(l, expected);
  } finally {
    await c.close();
  }
});

replication('a follower restarted after compaction catches up through a snapshot', async () => {
  const c = await Cluster.start([1, 2, 3], { snapshotEveryEntries: 20, snapshotTailEntries: 5 });
  try {
    const leader = await c.leader();
    const followerId = [1, 2, 3].find((id) => id !== leader.id)!;
    await c.stopNode(followerId);
    let last = 0;
    for (let k = 0; k < 120; k++) last = await proposeOnLeader(c, `s${k}`);
    await c.startNode(followerId);
    await c.converge(last);
    const f = c.members.get(followerId)!.sm;
    assert.ok(f.restores >= 1, 'the follower restored a snapshot');
    assert.equal(f.datas(), Array.from({ length: 120 }, (_, k) => `s${k}`));
  } finally {
    await c.close();
  }
});

const membership = suite('membership');

membership('a 4th member joins as a learner, is promoted, and a voter is removed', async () => {
  const c = await Cluster.start([1, 2, 3], { snapshotEveryEntries: 50, snapshotTailEntries: 10 });
  try {
    const leader = await c.leader();
    for (let k = 0; k < 100; k++) await leader.propose(bytes(`m${k}`));
    const [m4] = await c.prepare([4]);
    const n4 = await c.startNode(4, { join: true });
    await leader.addMember(4, m4!.address);
    let st = leader.status();
    assert.ok(st.peers.some((p) => p.id === 4 && !p.learner), 'node 4 is a voter');
    const last = (await leader.propose(bytes('after-add'))).index;
    await c.converge(last);
    assert.equal(m4!.sm.datas(), [...Array.from({ length: 100 }, (_, k) => `m${k}`), 'after-add']);
    assert.is(n4.leaderId, leader.id);
    // Remove a follower; the group of three carries on.
    const victim = [1, 2, 3].find((id) => id !== leader.id)!;
    await leader.removeMember(victim);
    st = leader.status();
    assert.not.ok(st.peers.some((p) => p.id === victim));
    await c.stopNode(victim);
    const end = (await leader.propose(bytes('after-remove'))).index;
    await c.converge(end);
    assert.is(m4!.sm.datas().at(-1), 'after-remove');
  } finally {
    await c.close();
  }
});

const reads = suite('readIndex');

reads('a partitioned old leader never answers a read after the majority moved on', async () => {
  const c = await Cluster.start([1, 2, 3]);
  try {
    const old = await c.leader();
    await old.propose(bytes('before'));
    await old.readIndex();
    const others = [1, 2, 3].filter((id) => id !== old.id);
    c.members.get(old.id)!.faults.block(...others);
    for (const id of others) c.members.get(id)!.faults.block(old.id);
    // Ask before the old leader can know it was cut off.
    let outcome = 'pending';
    const read = old.readIndex().then(
      () => {
        outcome = 'resolved';
      },
      (err) => {
        outcome = err instanceof NotLeader ? 'not-leader' : `rejected: ${(err as Error).message}`;
      },
    );
    const fresh = await c.leader(15_000, others);
    await fresh.propose(bytes('after'));
    await read;
    assert.ok(outcome === 'not-leader' || outcome.includes('read index not confirmed'), outcome);
    // The old leader has not applied what the majority committed.
    assert.not.ok(c.members.get(old.id)!.sm.datas().includes('after'));
    c.members.get(old.id)!.faults.heal();
    for (const id of others) c.members.get(id)!.faults.heal();
  } finally {
    await c.close();
  }
});

replication.run();
membership.run();
reads.run();

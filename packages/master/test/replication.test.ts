// Tests the re-replication planner: most endangered first, distinct targets with room, bounds on
// concurrent copies per server and in total, trims of over-goal replicas, nothing for lost slices.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { SliceId } from '@cairn/meta';
import { planReplication, type SliceNeed } from '../src/replication.js';

const id = (n: number) => n as SliceId;
const servers = [1, 2, 3, 4].map((i) => ({ id: i, freeBytes: 1000 * i }));
const limits = { perSourceMax: 2, perTargetMax: 2, totalMax: 10 };

const plan = suite('planReplication');
plan('one-replica slices go first; targets are distinct, emptiest first, never a holder', () => {
  const needs: SliceNeed[] = [
    { id: id(10), goal: 3, replicas: [1, 2] },
    { id: id(11), goal: 3, replicas: [3] },
    { id: id(12), goal: 3, replicas: [] },
    { id: id(13), goal: 2, replicas: [1, 2] },
  ];
  const { copies, trims } = planReplication(needs, servers, [], () => 10, limits);
  assert.equal(copies.map((c) => c.slice), [11, 11, 10]);
  assert.equal(copies.filter((c) => c.slice === 11).map((c) => c.target), [4, 2]);
  assert.is(copies.find((c) => c.slice === 10)!.target, 4);
  assert.equal(trims, []);
});
plan('bounds: per source, per target and in total; in-flight slices are left alone', () => {
  const needs: SliceNeed[] = [1, 2, 3, 4, 5].map((n) => ({ id: id(n), goal: 2, replicas: [1] }));
  const { copies } = planReplication(needs, servers, [{ slice: id(5), source: 1, target: 2 }], () => 1, limits);
  assert.is(copies.length, 1, 'server 1 may source only one more copy');
  assert.not.ok(copies.some((c) => c.slice === 5));
  const many = planReplication(needs, servers, [], () => 1, { perSourceMax: 99, perTargetMax: 1, totalMax: 99 });
  assert.is(many.copies.length, 3, 'three possible targets, one copy each');
});
plan('over-goal replicas are trimmed on the fullest servers', () => {
  const { trims } = planReplication([{ id: id(7), goal: 2, replicas: [1, 2, 4] }], servers, [], () => 1, limits);
  assert.equal(trims, [{ slice: 7, server: 1 }]);
});
plan('no target with room: no copy', () => {
  const { copies } = planReplication([{ id: id(8), goal: 3, replicas: [1] }], servers, [], () => 10_000, limits);
  assert.equal(copies, []);
});
plan.run();

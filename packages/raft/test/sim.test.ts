// Sweeps the deterministic simulator over a fixed range of seeds (1000 by default; SIM_SEEDS and
// SIM_FIRST_SEED override) on worker threads, and fails with the seed, its swarm options and the
// command that reproduces it. Also checks that a seed replays identically and that the
// linearizability checker rejects histories that are not linearizable (the checker must be able
// to fail for the sweep to mean anything).

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runSeed } from './sim/cluster.js';
import { type Operation, checkHistory } from './sim/linearizability.js';

const SEEDS = Number(process.env.SIM_SEEDS ?? 1000);
const FIRST = Number(process.env.SIM_FIRST_SEED ?? 1);

const lin = suite('linearizability checker');
const op = (client: number, kind: 'put' | 'get', key: string, value: string | null, call: number, ret: number): Operation => ({
  client, kind, key, value, call, ret,
});
lin('accepts a sequential history and concurrent overlaps', () => {
  assert.equal(checkHistory([op(0, 'put', 'a', '1', 0, 1), op(1, 'get', 'a', '1', 2, 3)]), { ok: true });
  // The get overlaps the put, so it may see either value.
  assert.equal(checkHistory([op(0, 'put', 'a', '1', 0, 10), op(1, 'get', 'a', null, 2, 3)]), { ok: true });
  assert.equal(checkHistory([op(0, 'put', 'a', '1', 0, 10), op(1, 'get', 'a', '1', 2, 3)]), { ok: true });
});
lin('rejects a stale read after a completed write', () => {
  const v = checkHistory([op(0, 'put', 'a', '1', 0, 1), op(0, 'put', 'a', '2', 2, 3), op(1, 'get', 'a', '1', 4, 5)]);
  assert.is(v.ok, false);
});
lin('rejects a read of a value never written and reads that go back in time', () => {
  assert.is(checkHistory([op(0, 'get', 'a', 'x', 0, 1)]).ok, false);
  const back = [
    op(0, 'put', 'a', '1', 0, 100),
    op(1, 'get', 'a', '1', 10, 11),
    op(2, 'get', 'a', null, 20, 21), // after a read saw 1, nobody may see the old value
  ];
  assert.is(checkHistory(back).ok, false);
});
lin('an unknown write may take effect late, or never', () => {
  const h = [op(0, 'put', 'a', '1', 0, Infinity), op(1, 'get', 'a', null, 5, 6), op(1, 'get', 'a', '1', 50, 51)];
  assert.equal(checkHistory(h), { ok: true });
  assert.equal(checkHistory([op(0, 'put', 'a', '1', 0, Infinity), op(1, 'get', 'a', null, 50, 51)]), { ok: true });
});
lin('keys are independent', () => {
  const h = [op(0, 'put', 'a', '1', 0, 1), op(1, 'get', 'b', null, 2, 3), op(1, 'get', 'a', '1', 4, 5)];
  assert.equal(checkHistory(h), { ok: true });
});
lin.run();

const replay = suite('simulator determinism');
replay('one seed replays to the same result', () => {
  const a = runSeed(7);
  const b = runSeed(7);
  assert.ok(a.ok, a.message);
  assert.equal(a.stats, b.stats);
});
replay.run();

const sweep = suite('simulator sweep');
sweep(`${SEEDS} seeds from ${FIRST} pass`, async () => {
  const workers = Math.max(1, Math.min(availableParallelism(), 4));
  const per = Math.ceil(SEEDS / workers);
  const url = new URL('./sim/worker.js', import.meta.url);
  const results = await Promise.all(
    Array.from({ length: workers }, (_, k) => {
      const from = FIRST + k * per;
      const to = Math.min(FIRST + SEEDS, from + per);
      return new Promise<{ passed: number; failure: { seed: number; kind: string; message: string; swarm: string } | null }>(
        (resolve, reject) => {
          const w = new Worker(url, { workerData: { from, to } });
          w.once('message', resolve);
          w.once('error', reject);
        },
      );
    }),
  );
  const failure = results.map((r) => r.failure).find((f) => f !== null);
  if (failure) {
    assert.unreachable(
      `${failure.swarm}\n${failure.kind}: ${failure.message}\nreproduce: pnpm sim --seed ${failure.seed} --count 1`,
    );
  }
  assert.is(results.reduce((n, r) => n + r.passed, 0), SEEDS);
});
sweep.run();

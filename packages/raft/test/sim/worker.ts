// A worker thread that runs a range of simulator seeds and posts back the first failure (or
// success), so the seed sweep in sim.test.ts can use every core. Seeds are independent: the
// result of a seed does not depend on which worker ran it.

import { parentPort, workerData } from 'node:worker_threads';
import { describeSwarm, runSeed } from './cluster.js';

const { from, to } = workerData as { from: number; to: number };
let passed = 0;
let failure: { seed: number; kind: string; message: string; swarm: string } | null = null;
for (let seed = from; seed < to && failure === null; seed++) {
  const r = runSeed(seed);
  if (r.ok) passed++;
  else failure = { seed, kind: r.kind ?? 'crash', message: r.message ?? '', swarm: describeSwarm(r.swarm) };
}
parentPort!.postMessage({ passed, failure });

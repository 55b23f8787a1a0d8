// Tests durability across kill -9: a single-node group runs in a child process (node-child.ts)
// while the parent keeps 32 proposals in flight over IPC; the child is SIGKILLed at a random
// moment, restarted on the same data dir and port, and must replay a log in which every proposal
// it acknowledged is present at the acknowledged index with the same data, with no index applied
// twice. Three rounds, each adding to the same log.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Child } from './child.js';

const crash = suite('kill -9 mid-proposals');

async function startChild(dataDir: string, port?: number): Promise<Child> {
  const child = await Child.spawn({ id: 1, dataDir, record: true, ...(port === undefined ? {} : { port }) });
  const r = await child.request('start', { peers: [{ id: 1, address: child.address }] });
  assert.ok(r.ok, String(r.err));
  let leader = false;
  const deadline = Date.now() + 10_000;
  while (!leader && Date.now() < deadline) {
    leader = (await child.request('status')).isLeader === true;
    if (!leader) await new Promise((res) => setTimeout(res, 50));
  }
  assert.ok(leader, 'the restarted child leads its group of one');
  return child;
}

crash('nothing acknowledged is lost across SIGKILL and restart', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'raft-node-crash-'));
  const children: Child[] = [];
  try {
    const acked = new Map<number, string>();
    let child = await startChild(dataDir);
    children.push(child);
    const port = child.port;
    for (let round = 0; round < 3; round++) {
      let stop = false;
      let sent = 0;
      const workers = Array.from({ length: 32 }, async (_, w) => {
        // Bounded by the kill below: requests to a dead child resolve with ok: false.
        while (!stop) {
          const data = `r${round}w${w}n${sent++}`;
          const r = await child.request('propose', { data });
          if (r.ok) acked.set(r.index as number, data);
          else if (r.err === 'child exited') return;
        }
      });
      await new Promise((res) => setTimeout(res, 300 + Math.floor(Math.random() * 500)));
      await child.kill();
      stop = true;
      await Promise.all(workers);
      child = await startChild(dataDir, port);
      children.push(child);
      const maxAcked = Math.max(0, ...acked.keys());
      let items: [number, string][] = [];
      await (async () => {
        const deadline = Date.now() + 10_000;
        while (Date.now() < deadline) {
          items = (await child.request('items')).items as [number, string][];
          if ((items.at(-1)?.[0] ?? 0) >= maxAcked) return;
          await new Promise((res) => setTimeout(res, 50));
        }
      })();
      const byIndex = new Map<number, string>();
      for (const [index, data] of items) {
        assert.not.ok(byIndex.has(index), `index ${index} applied twice`);
        byIndex.set(index, data);
      }
      for (const [index, data] of acked) assert.is(byIndex.get(index), data, `acknowledged entry ${index} after round ${round}`);
      assert.ok(acked.size > round * 10, `round ${round} acknowledged proposals (${acked.size})`);
    }
  } finally {
    for (const c of children) await c.kill();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

crash.run();

// Tests durability across a crash: a child process runs a chunkserver and writes small and large
// slices through it concurrently (so directory fsyncs are group-committed, dir-sync.ts), reporting
// each acknowledged slice id to the parent over IPC; the parent SIGKILLs it mid-stream, reopens
// the data directory and checks that every acknowledged slice is present, whole and verifies.
// (A killed process cannot lose page-cache data, so this checks ordering and the commit point,
// not power-loss durability.)
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SliceStore, type SliceId } from '../src/index.js';
import { Fixture, patternBytes, silent, writeSlice } from './helpers.js';

const sizeOf = (id: number): number => (id % 5 === 0 ? 3 * 1024 * 1024 + id : 1000 + id * 7);

async function child(dataDir: string): Promise<void> {
  const fx = new Fixture();
  const server = await fx.server({ dataDir });
  const client = fx.client(server.address);
  let next = 1;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (;;) {
        const id = next++;
        const reply = await writeSlice(client, patternBytes(sizeOf(id), id), { sliceId: id, sync: true });
        if (reply.status?.errno === 0) process.send?.(id);
      }
    }),
  );
}

const crash = suite('crash: SIGKILL during concurrent writes');
const fx = new Fixture();
crash.after.each(() => fx.cleanup());

crash('every acknowledged slice is present and whole after SIGKILL', async () => {
  const dataDir = await fx.dir();
  const acked: number[] = [];
  const proc = fork(fileURLToPath(import.meta.url), ['--child', dataDir], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await new Promise<void>((resolve, reject) => {
    proc.on('message', (id) => {
      acked.push(id as number);
      if (acked.length === 150) {
        proc.kill('SIGKILL');
        resolve();
      }
    });
    proc.once('exit', (code) => (acked.length < 150 ? reject(new Error(`child exited with ${code}`)) : resolve()));
  });
  await new Promise((r) => (proc.exitCode !== null || proc.signalCode !== null ? r(undefined) : proc.once('exit', r)));
  const store = await SliceStore.open({ dataDir, logger: silent });
  try {
    for (const id of acked) {
      assert.ok(store.has(id as SliceId), `acknowledged slice ${id} is present`);
      const parts: Buffer[] = [];
      for await (const b of store.read(id as SliceId, 0, 0)) parts.push(Buffer.from(b));
      assert.ok(Buffer.concat(parts).equals(patternBytes(sizeOf(id), id)), `slice ${id} is whole`);
    }
    const corrupt = store.report(true).corrupt;
    assert.equal(corrupt, [], 'no slice file is half written');
  } finally {
    await store.close();
  }
});

if (process.argv[2] === '--child') await child(process.argv[3] as string);
else crash.run();

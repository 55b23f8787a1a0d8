// End-to-end tests of the client library against a real master and three real chunkservers in
// this process (no FUSE): data round trips across slice and chunk boundaries, a process's own
// unflushed writes, holes, truncation, unlink while open, replica failover, and the negative
// space (bad names and offsets fail with the right errno and change nothing). Skipped when the
// server packages are not built.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash, randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { Errno, FsError } from '@cairn/errors';
import { type Ino, rootIno } from '@cairn/meta';
import { CairnClient, paths } from '../src/index.js';
import { startCluster, type TestCluster } from './cluster.js';

const MiB = 1024 * 1024;
const e2e = suite('client end to end');
let cluster: TestCluster | undefined;
let client: CairnClient;

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function errnoOf(p: Promise<unknown>): Promise<number> {
  try {
    await p;
  } catch (err) {
    assert.instance(err, FsError);
    return (err as FsError).errno;
  }
  return 0;
}

e2e.before(async () => {
  cluster = await startCluster();
  if (!cluster) return;
  client = await CairnClient.connect({ masters: cluster.masters, clientName: 'e2e' });
  // Chunkservers register with their first heartbeat: retry the first write until they have.
  for (let i = 0; ; i++) {
    try {
      await paths.writeFile(client, '/warmup', 'x');
      break;
    } catch (err) {
      if (i > 50 || !(err instanceof FsError) || err.errno !== Errno.ENOSPC) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
});

e2e.after(async () => {
  await client?.close();
  await cluster?.stop();
});

e2e('a file across a chunk boundary reads back byte for byte', async () => {
  if (!cluster) return;
  const data = randomBytes(64 * MiB + 3 * MiB + 17);
  await paths.writeFile(client, '/big', data);
  const attr = await paths.stat(client, '/big');
  assert.is(attr.size, data.length);
  const other = await CairnClient.connect({ masters: cluster.masters });
  try {
    assert.is(sha(await paths.readFile(other, '/big')), sha(data));
  } finally {
    await other.close();
  }
});

e2e('own writes are visible before flush; holes read as zeros; reads stop at EOF', async () => {
  if (!cluster) return;
  const { fh, attr } = await client.create(rootIno, 'holes', 0o644, fsConstants.O_RDWR | fsConstants.O_CREAT | fsConstants.O_EXCL);
  await client.write(fh, 5 * MiB, Buffer.from('tail'));
  await client.write(fh, 0, Buffer.from('head'));
  assert.is((await client.getattr(attr.ino)).size, 5 * MiB + 4);
  const before = await client.read(fh, 5 * MiB - 2, 100);
  assert.equal([...before], [0, 0, 0x74, 0x61, 0x69, 0x6c]);
  await client.flush(fh);
  await client.write(fh, 1, Buffer.from('EA'));
  assert.is((await client.read(fh, 0, 4)).toString(), 'hEAd');
  await client.release(fh);
  const back = await paths.readFile(client, '/holes');
  assert.is(back.length, 5 * MiB + 4);
  assert.is(back.subarray(0, 4).toString(), 'hEAd');
  assert.ok(back.subarray(4, 5 * MiB).every((b) => b === 0));
});

e2e('truncate shrinks and extends; data past the cut is gone', async () => {
  if (!cluster) return;
  await paths.writeFile(client, '/t', 'abcdefgh');
  const a = await paths.stat(client, '/t');
  await client.truncate(a.ino, 3);
  assert.is((await paths.readFile(client, '/t')).toString(), 'abc');
  await client.truncate(a.ino, 6);
  assert.equal([...(await paths.readFile(client, '/t'))], [0x61, 0x62, 0x63, 0, 0, 0]);
});

e2e('an unlinked file stays readable through its open handle', async () => {
  if (!cluster) return;
  await paths.writeFile(client, '/gone', 'still here');
  const a = await paths.stat(client, '/gone');
  const fh = await client.open(a.ino, fsConstants.O_RDONLY);
  await paths.unlink(client, '/gone');
  assert.is(await errnoOf(paths.stat(client, '/gone')), Errno.ENOENT);
  assert.is((await client.read(fh, 0, 100)).toString(), 'still here');
  await client.release(fh);
});

e2e('directories: mkdir, readdir sorted, rename, rmdir of a non-empty one fails', async () => {
  if (!cluster) return;
  await paths.mkdirp(client, '/d/e');
  await paths.writeFile(client, '/d/b', '1');
  await paths.writeFile(client, '/d/a', '2');
  assert.equal((await paths.readdir(client, '/d')).map((e) => e.name), ['a', 'b', 'e']);
  await paths.rename(client, '/d/a', '/d/e/moved');
  assert.is((await paths.readFile(client, '/d/e/moved')).toString(), '2');
  assert.is(await errnoOf(paths.rmdir(client, '/d')), Errno.ENOTEMPTY);
  const d = await paths.stat(client, '/d');
  assert.is(await errnoOf(client.mkdir(d.ino, 'e', 0o755)), Errno.EEXIST);
});

e2e('bad names and offsets fail with their errno and change nothing', async () => {
  if (!cluster) return;
  const before = (await client.readdir(rootIno)).map((e) => e.name);
  assert.is(await errnoOf(client.mkdir(rootIno, 'a/b', 0o755)), Errno.EINVAL);
  assert.is(await errnoOf(client.mkdir(rootIno, 'x'.repeat(256), 0o755)), Errno.ENAMETOOLONG);
  assert.is(await errnoOf(client.create(rootIno, 'nul\0', 0o644, 0)), Errno.EINVAL);
  assert.is(await errnoOf(client.lookup(rootIno, 'missing')), Errno.ENOENT);
  assert.is(await errnoOf(client.getattr(987654 as Ino)), Errno.ENOENT);
  const a = await paths.stat(client, '/t');
  const ro = await client.open(a.ino, fsConstants.O_RDONLY);
  assert.is(await errnoOf(client.write(ro, 0, Buffer.from('x'))), Errno.EBADF);
  assert.is(await errnoOf(client.read(ro, -1, 1)), Errno.EINVAL);
  await client.release(ro);
  assert.is(await errnoOf(client.read(ro, 0, 1)), Errno.EBADF);
  assert.is(await errnoOf(client.truncate(a.ino, -5)), Errno.EINVAL);
  assert.equal((await client.readdir(rootIno)).map((e) => e.name), before);
});

e2e('reads fail over to another replica when a chunkserver is down', async () => {
  if (!cluster) return;
  const data = randomBytes(3 * MiB);
  await paths.writeFile(client, '/replicated', data);
  await cluster.stopChunkserver(0);
  const other = await CairnClient.connect({ masters: cluster.masters, readTimeoutMs: 5_000 });
  try {
    assert.is(sha(await paths.readFile(other, '/replicated')), sha(data));
  } finally {
    await other.close();
  }
});

e2e.run();

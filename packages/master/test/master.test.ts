// Runs a real master on 127.0.0.1 with a temporary LevelDB, talks to it over gRPC, and checks
// that replies carry errnos, that a retried request is answered exactly once, and that state and
// logged-but-unapplied commands survive a restart.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Errno, FsError } from '@cairn/errors';
import { MetaClient, type types } from '@cairn/rpc';
import { S_IFDIR, S_IFREG } from '@cairn/meta';
import { startMaster, type Master } from '../src/index.js';

const logger = pino({ level: 'silent' });

async function errnoOf(p: Promise<unknown>): Promise<Errno> {
  try {
    await p;
    return Errno.OK;
  } catch (err) {
    if (err instanceof FsError) return err.errno;
    throw err;
  }
}

const rpc = suite<{ dir: string; master: Master; client: MetaClient }>('master over gRPC');
rpc.before.each((ctx) => {
  ctx.dir = mkdtempSync(join(tmpdir(), 'cairn-master-'));
});
rpc.after.each(async (ctx) => {
  ctx.client?.close();
  await ctx.master?.stop();
  rmSync(ctx.dir, { recursive: true, force: true });
});

rpc('creates, looks up, and answers bad input with errnos', async (ctx) => {
  ctx.master = await startMaster({ id: 1, dataDir: ctx.dir, logger });
  ctx.client = new MetaClient({ masters: [ctx.master.address] });
  const c = ctx.client;
  const session = await c.call<object, types.OpenSessionReply__Output>('openSession', { clientName: 't' });
  const header = (requestId: number) => ({ sessionId: session.sessionId, requestId });
  const mk = (name: string, requestId: number, mode = S_IFDIR | 0o755) =>
    c.call<types.CreateRequest, types.AttrReply__Output>('create', { header: header(requestId), parent: 1, name, mode, exclusive: true });
  const d = await mk('d', 1);
  assert.ok(d.attr!.ino > 1);
  assert.is(await errnoOf(mk('d', 2)), Errno.EEXIST);
  assert.is(await errnoOf(mk('x'.repeat(256), 3)), Errno.ENAMETOOLONG);
  assert.is(await errnoOf(mk('a/b', 4)), Errno.EINVAL);
  assert.is(await errnoOf(c.call('lookup', { parent: 1, name: 'nope' })), Errno.ENOENT);
  assert.is(await errnoOf(c.call('lookup', { parent: 999, name: 'x' })), Errno.ENOENT);
  // A retry of request 1 (same session and id) is answered from the record.
  const again = await mk('d', 1);
  assert.is(again.attr!.ino, d.attr!.ino);
  const dir = await c.call<types.ReadDirRequest, types.ReadDirReply__Output>('readDir', { ino: 1, limit: 10 });
  assert.equal(dir.entries.map((e) => e.name), ['d']);
  // No chunkserver: nowhere to put data.
  assert.is(await errnoOf(c.call('allocSlices', { header: header(9), count: 1, goal: 3 })), Errno.ENOSPC);
  assert.is(await errnoOf(c.call('allocSlices', { header: header(10), count: 0, goal: 3 })), Errno.EINVAL);
});

rpc('state survives a restart and new inodes never reuse a reserved number', async (ctx) => {
  ctx.master = await startMaster({ id: 1, dataDir: ctx.dir, logger });
  let c = new MetaClient({ masters: [ctx.master.address] });
  const first = await c.call<types.CreateRequest, types.AttrReply__Output>('create', { parent: 1, name: 'kept', mode: S_IFREG | 0o644, exclusive: true });
  c.close();
  await ctx.master.stop();
  ctx.master = await startMaster({ id: 1, dataDir: ctx.dir, logger });
  c = ctx.client = new MetaClient({ masters: [ctx.master.address] });
  const dir = await c.call<types.ReadDirRequest, types.ReadDirReply__Output>('readDir', { ino: 1, limit: 10 });
  assert.equal(dir.entries.map((e) => e.name), ['kept']);
  const fresh = await c.call<types.CreateRequest, types.AttrReply__Output>('create', { parent: 1, name: 'new', mode: S_IFREG | 0o644, exclusive: true });
  assert.ok(fresh.attr!.ino > first.attr!.ino + 1, 'a restarted master reused a reserved inode range');
});

rpc.run();

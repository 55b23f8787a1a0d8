// End to end under failures: mount-time errors, a master restarted under a live mount, too few
// chunkservers for the goal, and none at all. Processes are killed with SIGKILL.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Cluster, ok, sh, cliMain } from './harness.js';

const mountErrors = suite<{ cluster: Cluster }>('mount: bad mount points and unreachable masters fail clearly');
mountErrors.before(async (ctx) => {
  ctx.cluster = await Cluster.start({ chunkservers: 1 });
});
mountErrors.after(async (ctx) => {
  await ctx.cluster?.stop();
});
mountErrors('missing, not a directory, already mounted: one line, non-zero exit', async ({ cluster }) => {
  const cli = `node ${cliMain} mount --masters ${cluster.masterAddress}`;
  const missing = await sh(`${cli} ${cluster.dir}/nope`, 20_000);
  assert.is.not(missing.code, 0);
  assert.match(missing.stderr, /^cairn: .*(not exist|ENOENT)/m);
  await ok(`touch ${cluster.dir}/file`);
  const notDir = await sh(`${cli} ${cluster.dir}/file`, 20_000);
  assert.is.not(notDir.code, 0);
  assert.match(notDir.stderr, /^cairn: .*(not a directory|ENOTDIR)/m);
  await cluster.mount();
  const again = await sh(`${cli} ${cluster.mountPoint}`, 20_000);
  assert.is.not(again.code, 0);
  assert.match(again.stderr, /^cairn: .*(already|EBUSY)/m);
  await ok(`ls ${cluster.mountPoint}`);
  for (const r of [missing, notDir, again]) assert.is(r.stderr.trim().split('\n').length, 1, r.stderr);
});
mountErrors('an unreachable master fails the mount within 10 s', async ({ cluster }) => {
  await ok(`mkdir -p ${cluster.dir}/m2`);
  const started = Date.now();
  const r = await sh(`node ${cliMain} mount --masters 127.0.0.1:1 ${cluster.dir}/m2`, 30_000);
  const tookMs = Date.now() - started;
  assert.is.not(r.code, 0);
  assert.ok(tookMs < 10_000, `took ${tookMs} ms`);
  assert.match(r.stderr, /^cairn: .*(master|unreachable)/m);
  assert.is(r.stderr.trim().split('\n').length, 1, r.stderr);
});
mountErrors.run();

const restart = suite<{ cluster: Cluster }>('master restart under a live mount');
restart.before(async (ctx) => {
  ctx.cluster = await Cluster.start({ chunkservers: 3 });
  await ctx.cluster.mount();
});
restart.after(async (ctx) => {
  await ctx.cluster?.stop();
});
restart('acknowledged data survives SIGKILL of the master, and the mount works once it is back', async ({ cluster }) => {
  const mnt = cluster.mountPoint;
  await ok(`mkdir ${mnt}/before && head -c 5000000 /dev/urandom > ${cluster.dir}/f && cp ${cluster.dir}/f ${mnt}/before/f`);
  await cluster.kill(cluster.masters[0]!, 'SIGKILL');
  await cluster.startMaster(1);
  await cluster.waitForChunkservers(3);
  await ok(`cmp ${cluster.dir}/f ${mnt}/before/f`);
  await ok(`mkdir ${mnt}/after && cp ${cluster.dir}/f ${mnt}/after/f && cmp ${cluster.dir}/f ${mnt}/after/f`);
  assert.is((await ok(`ls ${mnt} | tr '\\n' ' '`)).trim(), 'after before');
});
restart.run();

const fewer = suite<{ cluster: Cluster }>('fewer live chunkservers than the goal');
fewer.before(async (ctx) => {
  ctx.cluster = await Cluster.start({ chunkservers: 3, masterArgs: ['--chunkserver-dead-after-ms', '1500'] });
  await ctx.cluster.mount();
});
fewer.after(async (ctx) => {
  await ctx.cluster?.stop();
});
fewer('writes succeed on the replicas available and status reports under-goal', async ({ cluster }) => {
  const mnt = cluster.mountPoint;
  await cluster.kill(cluster.chunkservers[2]!, 'SIGKILL');
  await cluster.waitForChunkservers(2);
  await ok(`head -c 2000000 /dev/urandom > ${cluster.dir}/g && cp ${cluster.dir}/g ${mnt}/g && cmp ${cluster.dir}/g ${mnt}/g`);
  const s = await cluster.status();
  assert.ok(s.slicesUnderGoal >= 1, `under-goal ${s.slicesUnderGoal}`);
  assert.is(s.slicesMissing, 0);
});
fewer('with no chunkserver left, a write fails with EIO or ENOSPC and nothing half-written is visible', async ({ cluster }) => {
  const mnt = cluster.mountPoint;
  await cluster.kill(cluster.chunkservers[0]!, 'SIGKILL');
  await cluster.kill(cluster.chunkservers[1]!, 'SIGKILL');
  await cluster.waitForChunkservers(0);
  const r = await sh(`head -c 1000000 /dev/urandom > ${cluster.dir}/h && cp ${cluster.dir}/h ${mnt}/h`, 120_000);
  assert.is.not(r.code, 0);
  assert.match(r.stderr, /(Input\/output error|No space left on device)/);
  const size = await sh(`stat -c %s ${mnt}/h`);
  assert.ok(size.code !== 0 || size.stdout.trim() === '0', `half-written file visible: ${size.stdout}`);
});
fewer.run();

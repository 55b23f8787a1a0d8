// End to end, self-healing data: a chunkserver killed, a replica altered on disk, chunkservers
// filling up, a large file deleted, a new chunkserver joining. Checks bytes read back, replica
// counts reported by the master, and replica files on the chunkservers' disks.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Cluster, ok, sh, cliMain } from './harness.js';

async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  while (!(await check().catch(() => false))) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return Date.now() - started;
}

const masterArgs = ['--chunkserver-dead-after-ms', '2000', '--garbage-grace-ms', '1000'];

const lost = suite<{ cluster: Cluster }>('a chunkserver dies: reads go elsewhere and replicas come back to goal');
lost.before(async (ctx) => {
  ctx.cluster = await Cluster.start({ chunkservers: 4, masterArgs });
  await ctx.cluster.mount();
});
lost.after(async (ctx) => {
  await ctx.cluster?.stop();
});
lost('SIGKILL one of four: every file reads back, then every slice has 3 live replicas again', async ({ cluster }) => {
  const mnt = cluster.mountPoint;
  const src = `${cluster.dir}/src`;
  await ok(`mkdir -p ${src} && for i in 1 2 3 4 5 6; do head -c $((3000000 + i * 100000)) /dev/urandom > ${src}/f$i; done && cp ${src}/f* ${mnt}/`);
  const before = await cluster.status();
  assert.is(before.slicesUnderGoal, 0);
  await cluster.kill(cluster.chunkservers[1]!, 'SIGKILL');
  await ok(`cd ${src} && for f in f*; do cmp $f ${mnt}/$f; done`);
  const ms = await waitFor('every slice back at 3 live replicas', 60_000, async () => {
    const s = await cluster.status();
    return s.chunkservers.filter((c) => c.alive).length === 3 && s.slicesUnderGoal === 0 && s.slicesMissing === 0;
  });
  console.log(`  re-replicated to goal in ${ms} ms`);
  const fsck = JSON.parse(await ok(`node ${cliMain} fsck --json --masters ${cluster.masterAddress}`)) as { slices: { underGoal: number; missing: number } };
  assert.equal(fsck.slices, { ...fsck.slices, underGoal: 0, missing: 0 });
  await ok(`cd ${src} && for f in f*; do cmp $f ${mnt}/$f; done`);
});
lost.run();

const rot = suite<{ cluster: Cluster }>('bit rot: a replica altered on disk is caught and replaced');
rot.before(async (ctx) => {
  ctx.cluster = await Cluster.start({ chunkservers: 3, masterArgs, chunkserverArgs: ['--scrub-rate', '50M'] });
  await ctx.cluster.mount();
});
rot.after(async (ctx) => {
  await ctx.cluster?.stop();
});
rot('the read is served from another replica and the bad replica is replaced', async ({ cluster }) => {
  const mnt = cluster.mountPoint;
  await ok(`head -c 2000000 /dev/urandom > ${cluster.dir}/v && cp ${cluster.dir}/v ${mnt}/v`);
  const file = (await ok(`find ${cluster.chunkserverDir(1)} -name '*.slice' | head -1`)).trim();
  const before = await ok(`sha256sum < ${file}`);
  await ok(`printf '\\x00\\x11\\x22\\x33' | dd of=${file} bs=1 seek=4096 conv=notrunc status=none && sync && echo 3 > /proc/sys/vm/drop_caches`);
  await ok(`cmp ${cluster.dir}/v ${mnt}/v`);
  // The corrupt copy is reported (by the failed read or the scrubber), deleted, and the slice
  // copied back to goal: chunkserver 1 ends up with the right bytes or without the file.
  await waitFor('the bad replica to be replaced', 60_000, async () => {
    const s = await cluster.status();
    if (s.slicesUnderGoal !== 0 || s.slicesMissing !== 0) return false;
    const r = await sh(`sha256sum < ${file}`);
    return r.code !== 0 || r.stdout === before;
  });
  await ok(`echo 3 > /proc/sys/vm/drop_caches && cmp ${cluster.dir}/v ${mnt}/v`);
});
rot.run();

const full = suite<{ cluster: Cluster }>('disk full: writes go elsewhere, then ENOSPC, and nothing stored is damaged');
full.before(async (ctx) => {
  ctx.cluster = await Cluster.start({
    chunkservers: 4,
    masterArgs,
    chunkserverArgsFor: (i) => ['--capacity', i === 1 ? '96M' : '160M'],
  });
  await ctx.cluster.mount();
  // Goal 1: each chunkserver fills on its own, so the small one is seen to fill first.
  await ok(`node ${cliMain} goal set / 1 --masters ${ctx.cluster.masterAddress}`);
});
full.after(async (ctx) => {
  await ctx.cluster?.stop();
});
full('a small chunkserver fills up first; with all full, cp fails with ENOSPC; earlier files intact', async ({ cluster }) => {
  const mnt = cluster.mountPoint;
  await ok(`head -c 8000000 /dev/urandom > ${cluster.dir}/piece`);
  let written = 0;
  let failure = '';
  for (let i = 0; i < 200 && !failure; i++) {
    const r = await sh(`cp ${cluster.dir}/piece ${mnt}/p${i}`, 120_000);
    if (r.code === 0) written++;
    else failure = r.stderr;
  }
  assert.match(failure, /No space left on device/);
  assert.ok(written >= 10, `only ${written} files fitted`);
  const s = await cluster.status();
  const small = s.chunkservers.find((c) => c.capacityBytes < 100 * 2 ** 20)!;
  const others = s.chunkservers.filter((c) => c !== small);
  const usage = JSON.stringify(s.chunkservers.map((c) => [c.usedBytes, c.capacityBytes]));
  assert.ok(others.every((c) => c.usedBytes > small.usedBytes), `the larger servers took the later writes: ${usage}`);
  await ok(`for i in $(seq 0 ${written - 1}); do cmp ${cluster.dir}/piece ${mnt}/p$i; done`);
  assert.ok(written > 8);
  // Space comes back once the garbage collector has deleted the replicas (asynchronously).
  await ok(`rm ${mnt}/p0 ${mnt}/p1 ${mnt}/p2 ${mnt}/p3 ${mnt}/p4 ${mnt}/p5 ${mnt}/p6 ${mnt}/p7`);
  await waitFor('room for a new file after a delete', 60_000, async () => (await sh(`cp ${cluster.dir}/piece ${mnt}/again`)).code === 0);
  await ok(`cmp ${cluster.dir}/piece ${mnt}/again`);
});
full.run();

const gc = suite<{ cluster: Cluster }>('garbage collection and rebalancing');
gc.before(async (ctx) => {
  ctx.cluster = await Cluster.start({ chunkservers: 4, masterArgs, chunkserverArgs: ['--capacity', '2G'] });
  await ctx.cluster.mount();
});
gc.after(async (ctx) => {
  await ctx.cluster?.stop();
});
gc('a deleted large file leaves the chunkservers disks after the grace period', async ({ cluster }) => {
  const mnt = cluster.mountPoint;
  const count = async () => (await Promise.all([1, 2, 3, 4].map((i) => cluster.sliceFiles(i)))).reduce((n, l) => n + l.length, 0);
  const base = await count();
  await ok(`head -c 40000000 /dev/urandom > ${mnt}/large`);
  const withFile = await count();
  assert.ok(withFile >= base + 3, `replicas on disk: ${base} -> ${withFile}`);
  await ok(`rm ${mnt}/large`);
  await waitFor('the replicas to be deleted', 30_000, async () => (await count()) === base);
});
gc('a fifth chunkserver takes a share of the data, and no slice is under goal meanwhile', async ({ cluster }) => {
  const mnt = cluster.mountPoint;
  await ok(`for i in 1 2 3 4 5 6 7 8; do head -c 24000000 /dev/urandom > ${mnt}/data$i; done`);
  await cluster.startChunkserver(5);
  let sawUnderGoal = false;
  await waitFor('the new chunkserver to hold a share', 90_000, async () => {
    const s = await cluster.status();
    if (s.slicesUnderGoal > 0 || s.slicesMissing > 0) sawUnderGoal = true;
    const used = s.chunkservers.map((c) => c.usedBytes / c.capacityBytes);
    return s.chunkservers.length === 5 && Math.max(...used) - Math.min(...used) <= 0.1;
  });
  assert.not.ok(sawUnderGoal, 'a slice was under goal while data moved');
  await ok(`for i in 1 2 3 4 5 6 7 8; do test $(stat -c %s ${mnt}/data$i) = 24000000; done`);
});
gc.run();

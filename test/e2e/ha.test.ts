// End to end, highly available metadata: three masters in one Raft group under a real mount,
// with masters killed by SIGKILL (one, two, all three) and the leader cut off behind a TCP proxy.
// Copies must complete without an error seen by the copying process and read back identical.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Errno, FsError } from '@cairn/errors';
import { MetaClient } from '@cairn/rpc';
import { Cluster, cliMain, freePort, ok, sh, startCli } from './harness.js';

const treeFiles = 240;

async function makeSource(cluster: Cluster, bigMb: number): Promise<string> {
  const src = `${cluster.dir}/src`;
  await ok(
    `mkdir -p ${src}/tree && head -c ${bigMb}M /dev/urandom > ${src}/big.bin && ` +
      `python3 -c 'import os\nfor i in range(${treeFiles}):\n  d=f"${src}/tree/d{i % 12}"\n  os.makedirs(d, exist_ok=True)\n  open(f"{d}/f{i}", "wb").write(os.urandom(1000 + i * 37))'`,
  );
  return src;
}

async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const failover = suite<{ cluster: Cluster; src: string }>('three masters: SIGKILL of masters under a live mount');
failover.before(async (ctx) => {
  ctx.cluster = await Cluster.start({ masters: 3, chunkservers: 3, masterArgs: ['--snapshot-every-entries', '100'] });
  // Without a quorum, metadata calls give up after 15 s (the bound is configurable).
  await ctx.cluster.mount(['--meta-timeout-ms', '15000']);
  ctx.src = await makeSource(ctx.cluster, 96);
});
failover.after(async (ctx) => {
  await ctx.cluster?.stop();
});

failover('the leader dies during cp -r and a large cp: both complete, identical, no error', async ({ cluster, src }) => {
  const mnt = cluster.mountPoint;
  const leader = await cluster.leaderId();
  assert.ok(leader > 0, 'no leader');
  const copies = Promise.all([sh(`cp -r ${src}/tree ${mnt}/tree`, 300_000), sh(`cp ${src}/big.bin ${mnt}/big.bin`, 300_000)]);
  await new Promise((r) => setTimeout(r, 700));
  await cluster.kill(cluster.masters[leader - 1]!, 'SIGKILL');
  const [tree, big] = await copies;
  assert.is(tree.code, 0, tree.stderr);
  assert.is(big.code, 0, big.stderr);
  await ok(`diff -r ${src}/tree ${mnt}/tree`);
  assert.is(await ok(`sha256sum < ${mnt}/big.bin`), await ok(`sha256sum < ${src}/big.bin`));
  const newLeader = await cluster.leaderId();
  assert.ok(newLeader > 0 && newLeader !== leader, `leader ${newLeader} after killing ${leader}`);
  // The killed master restarts and catches up; with the log compacted every 100 entries, the
  // copy above moved it past its log, so it catches up from a snapshot.
  await cluster.startMaster(leader);
  const other = [1, 2, 3].find((i) => i !== leader && i !== newLeader)!;
  await waitFor('the restarted master to rejoin', 20_000, async () => {
    const s = await cluster.status();
    return s.masters.find((m) => m.id === leader)?.role === 'follower';
  });
  // With the third master gone, every commit needs the restarted one: it must have caught up.
  await cluster.kill(cluster.masters[other - 1]!, 'SIGKILL');
  await ok(`mkdir ${mnt}/after-rejoin && cp ${src}/tree/d0/f0 ${mnt}/after-rejoin/ && cmp ${src}/tree/d0/f0 ${mnt}/after-rejoin/f0`, 60_000);
  await ok(`diff -r ${src}/tree ${mnt}/tree`);
  await cluster.startMaster(other);
});

failover('with two of three masters down, metadata calls fail with EIO in bounded time; one back and they resume', async ({ cluster }) => {
  const mnt = cluster.mountPoint;
  const leader = await cluster.leaderId();
  const follower = [1, 2, 3].find((i) => i !== leader)!;
  await cluster.kill(cluster.masters[leader - 1]!, 'SIGKILL');
  await cluster.kill(cluster.masters[follower - 1]!, 'SIGKILL');
  const started = Date.now();
  const r = await sh(`mkdir ${mnt}/no-quorum`, 120_000);
  const tookMs = Date.now() - started;
  assert.is.not(r.code, 0);
  assert.match(r.stderr, /Input\/output error/);
  assert.ok(tookMs >= 10_000 && tookMs < 45_000, `took ${tookMs} ms`);
  await cluster.startMaster(leader);
  await ok(`mkdir ${mnt}/quorum-back && test -d ${mnt}/quorum-back`, 60_000);
  await cluster.startMaster(follower);
});

failover('all three stopped and started again: every acknowledged change is there', async ({ cluster, src }) => {
  const mnt = cluster.mountPoint;
  await ok(`mkdir ${mnt}/last && cp ${src}/tree/d1/f1 ${mnt}/last/f1`);
  for (const p of cluster.masters) if (p) await cluster.kill(p, 'SIGKILL');
  await Promise.all([1, 2, 3].map((i) => cluster.startMaster(i)));
  await cluster.waitForChunkservers(3);
  await ok(`cmp ${src}/tree/d1/f1 ${mnt}/last/f1`, 60_000);
  await ok(`diff -r ${src}/tree ${mnt}/tree`);
  assert.is(await ok(`sha256sum < ${mnt}/big.bin`), await ok(`sha256sum < ${src}/big.bin`));
});
failover.run();

const partition = suite<{ cluster: Cluster }>('a leader partitioned away stops serving; no split brain');
partition.before(async (ctx) => {
  ctx.cluster = await Cluster.start({ masters: 3, chunkservers: 3, proxies: true });
  await ctx.cluster.mount();
});
partition.after(async (ctx) => {
  await ctx.cluster?.stop();
});
partition('the cut-off leader answers no read or write; the majority elects another and serves', async ({ cluster }) => {
  const mnt = cluster.mountPoint;
  await ok(`mkdir ${mnt}/before`);
  const leader = await cluster.leaderId();
  assert.ok(leader > 0);
  cluster.proxies[leader - 1]!.partition();
  // Talk to the old leader directly, around its proxy: it must not confirm reads or writes.
  const direct = new MetaClient({ masters: [`127.0.0.1:${cluster.masterPorts[leader - 1]}`], retryBudgetMs: 6_000, callTimeoutMs: 2_000 });
  try {
    await new Promise((r) => setTimeout(r, 3_000));
    for (const call of [
      () => direct.call('create', { parent: 1, name: 'split-brain', mode: 0o40755, exclusive: true }),
      () => direct.call('lookup', { parent: 1, name: 'before' }),
    ]) {
      let errno: Errno | undefined;
      try {
        await call();
      } catch (err) {
        errno = err instanceof FsError ? err.errno : Errno.EIO;
      }
      assert.ok(errno !== undefined, 'the partitioned leader served a call');
    }
  } finally {
    direct.close();
  }
  await ok(`mkdir ${mnt}/during && test -d ${mnt}/during && ! test -e ${mnt}/split-brain`, 60_000);
  const s = await cluster.status();
  const now = s.masters.find((m) => m.role === 'leader');
  assert.ok(now && now.id !== leader, 'no new leader among the majority');
  cluster.proxies[leader - 1]!.heal();
  await waitFor('the old leader to rejoin as follower', 20_000, async () => (await cluster.status()).masters.find((m) => m.id === leader)?.role === 'follower');
  assert.is((await ok(`ls ${mnt} | tr '\\n' ' '`)).trim(), 'before during');
});
partition.run();

const membership = suite<{ cluster: Cluster }>('cairn admin master add|remove');
membership.before(async (ctx) => {
  ctx.cluster = await Cluster.start({ masters: 3, chunkservers: 1 });
  await ctx.cluster.mount();
});
membership.after(async (ctx) => {
  await ctx.cluster?.stop();
});
membership('a fourth master joins and catches up; a member leaves; the group keeps serving', async ({ cluster }) => {
  const mnt = cluster.mountPoint;
  await ok(`mkdir ${mnt}/one && echo hello > ${mnt}/one/f`);
  const port = await freePort();
  const joiner = await startCli(
    ['master', '--id', '4', '--join', '--data', `${cluster.dir}/master4`, '--port', String(port), '--peers', cluster.peers],
    `${cluster.dir}/logs/master4.log`,
  );
  cluster.masters[3] = joiner;
  const cli = `node ${cliMain} admin master --masters ${cluster.masterAddress}`;
  await ok(`${cli} add --id 4 --address 127.0.0.1:${port}`, 90_000);
  const s = await cluster.status();
  assert.equal(s.masters.map((m) => m.id).sort(), [1, 2, 3, 4]);
  // Remove a follower, then stop it and another old member: 4 and the rest still form a majority
  // of the three remaining voters only if 4 has really caught up and votes.
  const leader = await cluster.leaderId();
  const [gone, stopped] = [1, 2, 3].filter((i) => i !== leader) as [number, number];
  await ok(`${cli} remove --id ${gone}`, 60_000);
  await cluster.kill(cluster.masters[gone - 1]!, 'SIGKILL');
  await cluster.kill(cluster.masters[stopped - 1]!, 'SIGKILL');
  await ok(`mkdir ${mnt}/two && test "$(cat ${mnt}/one/f)" = hello`, 60_000);
  const after = await cluster.status();
  assert.equal(after.masters.map((m) => m.id).sort(), [1, 2, 3, 4].filter((i) => i !== gone));
  const bad = await sh(`${cli} add --id 4 --address 127.0.0.1:${port}`, 60_000);
  assert.is.not(bad.code, 0);
  assert.match(bad.stderr, /^cairn: EEXIST/m);
});
membership.run();

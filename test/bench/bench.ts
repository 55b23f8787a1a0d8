// `make bench`: measures a Cairn mount (master + 3 chunkservers, goal 3, on this machine) and, in
// the same run, a local directory on the same disk, with ordinary tools driven from child
// processes. Prints a table with the ratio to the local directory and writes JSON. Not a test:
// nothing here is asserted. BENCH_FILE_MB shrinks the sequential file (default 1024).
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Cluster, ok, repoRoot } from '../e2e/harness.js';

const fileMb = Number(process.env.BENCH_FILE_MB ?? 1024);
const smallFiles = 2000;
const listEntries = 10_000;

interface Result {
  name: string;
  unit: string;
  cairn: number;
  local: number;
}

const smallFilesPy = `
import os, sys, time, json
d = sys.argv[1]; n = int(sys.argv[2]); data = os.urandom(4096)
os.makedirs(d, exist_ok=True)
t = time.time()
for i in range(n):
    with open(f"{d}/f{i}", "wb") as f: f.write(data)
create = time.time() - t
t = time.time()
for i in range(n): os.stat(f"{d}/f{i}")
stat = time.time() - t
t = time.time()
for i in range(n): os.unlink(f"{d}/f{i}")
unlink = time.time() - t
print(json.dumps({"create": n / create, "stat": n / stat, "unlink": n / unlink}))
`;

const makeEntriesPy = `
import os, sys
d = sys.argv[1]; n = int(sys.argv[2])
os.makedirs(d, exist_ok=True)
for i in range(n): open(f"{d}/entry-{i:06d}", "w").close()
`;

async function seconds(cmd: string): Promise<number> {
  const t = process.hrtime.bigint();
  await ok(cmd, 3_600_000);
  return Number(process.hrtime.bigint() - t) / 1e9;
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

async function measure(target: string, work: string, mountPid?: number): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  let rssMax = 0;
  const sampler = mountPid ? setInterval(() => (rssMax = Math.max(rssMax, rssMb(mountPid))), 200) : undefined;
  const w = await seconds(`dd if=${work}/seq.src of=${target}/seq.bin bs=1M conv=fsync status=none`);
  out.seqWriteMBps = fileMb / w;
  await ok('sync && echo 3 > /proc/sys/vm/drop_caches');
  const r = await seconds(`dd if=${target}/seq.bin of=/dev/null bs=1M status=none`);
  out.seqReadMBps = fileMb / r;
  if (sampler) clearInterval(sampler);
  if (mountPid) out.mountRssMaxMB = rssMax;
  await ok(`rm ${target}/seq.bin`);
  const small = JSON.parse(await ok(`python3 -c '${smallFilesPy}' ${target}/small ${smallFiles}`, 1_800_000)) as Record<string, number>;
  out.createPerS = small.create!;
  out.statPerS = small.stat!;
  out.unlinkPerS = small.unlink!;
  await ok(`python3 -c '${makeEntriesPy}' ${target}/list ${listEntries}`, 1_800_000);
  await ok('echo 3 > /proc/sys/vm/drop_caches');
  out.listEntriesPerS = listEntries / (await seconds(`ls -f ${target}/list > /dev/null`));
  out.cpTreeSeconds = await seconds(`cp -r ${work}/tree ${target}/tree`);
  return out;
}

/** SIGKILL of the leader -> the first mkdir through the mount that succeeds, in ms. */
async function failoverMs(cluster: Cluster, mnt: string, trial: number): Promise<number> {
  const leader = await cluster.leaderId();
  await cluster.kill(cluster.masters[leader - 1]!, 'SIGKILL');
  const t = process.hrtime.bigint();
  await ok(`mkdir ${mnt}/failover-${trial}`, 120_000);
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  await cluster.startMaster(leader);
  // Let the restarted master catch up before the next trial.
  await new Promise((r) => setTimeout(r, 3_000));
  return ms;
}

async function smallFileRates(cluster: Cluster, mnt: string): Promise<Record<string, number>> {
  void cluster;
  return JSON.parse(await ok(`python3 -c '${smallFilesPy}' ${mnt}/small-rates ${smallFiles}`, 1_800_000)) as Record<string, number>;
}

/** Loses one of four chunkservers holding `mb` MiB at goal 3 and times the way back to goal. */
async function reReplication(mb: number): Promise<{ mbPerS: number; seconds: number; bytes: number }> {
  const c = await Cluster.start({ chunkservers: 4, masterArgs: ['--chunkserver-dead-after-ms', '2000'] });
  try {
    const mnt = await c.mount();
    await ok(`head -c ${mb}M /dev/urandom > ${mnt}/rr.bin`, 600_000);
    const before = await c.status();
    const victim = before.chunkservers[0]!;
    const lostBytes = victim.usedBytes;
    const proc = c.chunkservers.find((p) => String(p.ready.id) === String(victim.id))!;
    await c.kill(proc, 'SIGKILL');
    const t = process.hrtime.bigint();
    for (;;) {
      const s = await c.status();
      if (s.chunkservers.filter((x) => x.alive).length === 3 && s.slicesUnderGoal === 0 && s.slicesMissing === 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const seconds = Number(process.hrtime.bigint() - t) / 1e9;
    return { mbPerS: lostBytes / 2 ** 20 / seconds, seconds, bytes: lostBytes };
  } finally {
    await c.stop();
  }
}

async function main(): Promise<void> {
  const cluster = await Cluster.start({ masters: 3, chunkservers: 3 });
  let single: Record<string, number> | undefined;
  const failovers: number[] = [];
  try {
    const mnt = await cluster.mount();
    const work = join(cluster.dir, 'work');
    const local = join(cluster.dir, 'local');
    mkdirSync(local);
    process.stdout.write(`preparing ${fileMb} MiB source file and a 200x20x16 KiB tree in ${work}\n`);
    await ok(`mkdir -p ${work} && head -c ${fileMb}M /dev/urandom > ${work}/seq.src`);
    await ok(
      `python3 -c 'import os\nfor a in range(200):\n  os.makedirs(f"${work}/tree/d{a}", exist_ok=True)\n  for b in range(20):\n    open(f"${work}/tree/d{a}/f{b}", "wb").write(os.urandom(16384))'`,
    );
    process.stdout.write('measuring the local directory...\n');
    const l = await measure(local, work);
    process.stdout.write('measuring the Cairn mount (3 masters, 3 chunkservers, goal 3)...\n');
    const c = await measure(mnt, work, cluster.mountProc!.pid);
    await ok(`diff -r ${work}/tree ${mnt}/tree`);
    process.stdout.write('measuring metadata failover (SIGKILL of the leader -> first mkdir)...\n');
    for (let trial = 0; trial < 3; trial++) failovers.push(await failoverMs(cluster, mnt, trial));
    await cluster.stop();

    process.stdout.write('measuring small files with a single master...\n');
    const one = await Cluster.start({ masters: 1, chunkservers: 3 });
    try {
      single = await smallFileRates(one, await one.mount());
    } finally {
      await one.stop();
    }

    process.stdout.write('measuring re-replication after losing one of four chunkservers...\n');
    const rr = await reReplication(Math.min(fileMb, 512));

    const rows: Result[] = [
      { name: `sequential write ${fileMb} MiB`, unit: 'MB/s', cairn: c.seqWriteMBps!, local: l.seqWriteMBps! },
      { name: `sequential read ${fileMb} MiB (cold)`, unit: 'MB/s', cairn: c.seqReadMBps!, local: l.seqReadMBps! },
      { name: `create+write 4 KiB+close x${smallFiles}`, unit: 'files/s', cairn: c.createPerS!, local: l.createPerS! },
      { name: `stat x${smallFiles}`, unit: 'ops/s', cairn: c.statPerS!, local: l.statPerS! },
      { name: `unlink x${smallFiles}`, unit: 'ops/s', cairn: c.unlinkPerS!, local: l.unlinkPerS! },
      { name: `ls -f of ${listEntries} entries`, unit: 'entries/s', cairn: c.listEntriesPerS!, local: l.listEntriesPerS! },
      { name: 'cp -r 200x20x16 KiB', unit: 's', cairn: c.cpTreeSeconds!, local: l.cpTreeSeconds! },
    ];
    const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(2));
    const sorted = [...failovers].sort((a, b) => a - b);
    const lines = [
      `${'benchmark'.padEnd(40)} ${'cairn'.padStart(10)} ${'local'.padStart(10)}  ${'unit'.padEnd(10)} cairn/local`,
      ...rows.map((r) => `${r.name.padEnd(40)} ${fmt(r.cairn).padStart(10)} ${fmt(r.local).padStart(10)}  ${r.unit.padEnd(10)} ${(r.cairn / r.local).toFixed(2)}`),
      `mount process peak RSS during the sequential test: ${fmt(c.mountRssMaxMB!)} MiB`,
      '',
      `metadata rates, 3 masters vs 1 master (files/s, ops/s):`,
      `  create+write+close  ${fmt(c.createPerS!)} vs ${fmt(single.create!)}`,
      `  stat                ${fmt(c.statPerS!)} vs ${fmt(single.stat!)}`,
      `  unlink              ${fmt(c.unlinkPerS!)} vs ${fmt(single.unlink!)}`,
      `metadata failover (SIGKILL leader -> first mkdir): ${sorted.map((x) => x.toFixed(0)).join(', ')} ms (median ${sorted[1]!.toFixed(0)})`,
      `re-replication after SIGKILL of 1 of 4 chunkservers: ${(rr.bytes / 2 ** 20).toFixed(0)} MiB back to goal in ${rr.seconds.toFixed(1)} s (${rr.mbPerS.toFixed(0)} MiB/s, detection included)`,
    ];
    process.stdout.write('\n' + lines.join('\n') + '\n');
    const dir = join(repoRoot, 'bench-results');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(
      file,
      JSON.stringify({ when: new Date().toISOString(), fileMb, rows, mountRssMaxMB: c.mountRssMaxMB, singleMaster: single, failoverMs: failovers, reReplication: rr }, null, 2) + '\n',
    );
    process.stdout.write(`\nJSON: ${file}\n`);
  } finally {
    await cluster.stop();
  }
}

await main();

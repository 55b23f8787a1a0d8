// End to end with real workloads: tar, git, cp -a and SQLite run on a 3-replica Cairn mount and,
// as the reference, on a local directory inside the cluster's directory; each suite requires the
// two results to be the same. The trees come from test/workloads/make-tree.py, deterministic from
// the seed printed first (WORKLOADS_SEED=… reproduces a run); git and SQLite use pinned inputs.
// Everything on the mount is done by child processes (tar, git, cp, find, python3), never by
// this process. The generated trees carry whole-millisecond mtimes and `find` listings are cut
// to milliseconds (Cairn keeps explicit times to the nanosecond; its own clock stamps are
// milliseconds, so a directory's mtime after its entries change is compared at that grain); tar
// archives must be byte-identical.
import { randomInt } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Cluster, ok, sh, repoRoot } from './harness.js';

const seed = process.env.WORKLOADS_SEED !== undefined ? Number(process.env.WORKLOADS_SEED) : randomInt(2 ** 31);
assert.ok(Number.isSafeInteger(seed) && seed >= 0, `WORKLOADS_SEED must be a non-negative integer, got ${process.env.WORKLOADS_SEED}`);
const reproduce = `reproduce: WORKLOADS_SEED=${seed} node node_modules/uvu/bin.js test/dist/e2e 'workloads\\.test\\.js$'`;
console.log(`SEED=${seed} (${reproduce})`);

const workloads = `${repoRoot}/test/workloads`;
const commandTimeoutMs = 60_000;

/** Quotes a string for bash. */
function q(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

interface HardLink {
  path: string;
  first: string;
}

/** Generates the seeded tree at `dir` (which must not exist); returns its hard-linked pairs. */
async function makeTree(dir: string): Promise<HardLink[]> {
  const out = await ok(`python3 ${workloads}/make-tree.py ${seed} ${q(dir)}`, commandTimeoutMs);
  const links = out
    .split('\n')
    .map((line) => line.split('\t'))
    .filter(([kind]) => kind === 'hardlink')
    .map(([, path, first]) => ({ path: path!, first: first! }));
  assert.is(links.length, 2, 'hard-linked pairs in the generated tree');
  return links;
}

/** Runs the commands one after another, all of them; returns a report for each that failed. */
async function failedSteps(cmds: string[]): Promise<string[]> {
  const failures: string[] = [];
  for (const cmd of cmds) {
    const r = await sh(cmd, commandTimeoutMs);
    if (r.code !== 0) failures.push(`${cmd}: exit ${r.code}\n${r.stderr}${r.stdout}`);
  }
  return failures;
}

// ---------------------------------------------------------------------------------------------

// Flags that make `tar c` a function of the tree alone: sorted names, POSIX format with fixed
// extended-header names, no atime or ctime (which extraction cannot set), numeric owners. The
// mtime is kept: it is part of what must round-trip.
const tarCreate = `--sort=name --format=posix --pax-option='exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime' --numeric-owner`;
// As root, tar restores owners (numerically: uids 1234 and 4321 have no passwd entry) and
// modes including setuid, setgid and sticky bits.
const tarExtract = `--same-owner --same-permissions --numeric-owner`;

type TarCtx = { cluster: Cluster; mnt: string; dir: string; links: HardLink[] };
const tar = suite<TarCtx>('tar: extract a seeded archive onto the mount and archive it back, byte for byte');
tar.before(async (ctx) => {
  ctx.cluster = await Cluster.start({ chunkservers: 3 });
  ctx.mnt = await ctx.cluster.mount();
  ctx.dir = ctx.cluster.dir;
  ctx.links = await makeTree(`${ctx.dir}/tree`);
  await ok(`tar -c ${tarCreate} -f ${ctx.dir}/tree.tar -C ${ctx.dir}/tree .`, commandTimeoutMs);
});
tar.after(async (ctx) => {
  await ctx.cluster?.stop();
});

tar('tar x onto the mount succeeds and gives the same contents as on a local dir', async ({ mnt, dir }) => {
  // The reference: extracting and archiving again locally reproduces the archive.
  await ok(`mkdir ${dir}/local && tar -x ${tarExtract} -f ${dir}/tree.tar -C ${dir}/local`, commandTimeoutMs);
  await ok(`tar -c ${tarCreate} -f ${dir}/local.tar -C ${dir}/local . && cmp ${dir}/tree.tar ${dir}/local.tar`, commandTimeoutMs);
  // Both steps run even when tar x fails (it extracts what it can), so the tests below still compare.
  const failures = await failedSteps([
    `mkdir ${mnt}/x && tar -x ${tarExtract} -f ${dir}/tree.tar -C ${mnt}/x`,
    `diff -r --no-dereference ${dir}/local ${mnt}/x`,
  ]);
  assert.equal(failures, []);
});

tar('hard links come back as hard links: one inode, nlink 2 under both names', async ({ mnt, dir, links }) => {
  for (const { path, first } of links) {
    for (const root of [`${dir}/local`, `${mnt}/x`]) {
      const lines = (await ok(`stat -c '%i %h' ${q(`${root}/${first}`)} ${q(`${root}/${path}`)}`)).trim().split('\n');
      const ino = lines[0]!.split(' ')[0];
      assert.equal(lines, [`${ino} 2`, `${ino} 2`], `${root}: ${first} and ${path}`);
    }
  }
});

tar('tar c of the mount is byte-identical to tar c of the local extraction', async ({ mnt, dir }) => {
  const made = await sh(`tar -c ${tarCreate} -f ${dir}/mount.tar -C ${mnt}/x .`, commandTimeoutMs);
  // The verbose listings first: on a mismatch they show which entry and field differ.
  const list = (file: string) => ok(`tar -t -v --full-time --numeric-owner -f ${file}`, commandTimeoutMs);
  const [got, want] = await Promise.all([list(`${dir}/mount.tar`), list(`${dir}/local.tar`)]);
  assert.ok(/^h/m.test(want), 'the archive holds no hard link entries');
  assert.fixture(got, want, `tar listing of the mount vs local (${reproduce})`);
  await ok(`cmp ${dir}/local.tar ${dir}/mount.tar`);
  // tar exits 1 when a file's ctime or size changes while it reads it.
  assert.is(made.code, 0, `tar c of the mount: exit ${made.code}: ${made.stderr}`);
});

tar.run();

// ---------------------------------------------------------------------------------------------

type GitCtx = { cluster: Cluster; mnt: string; dir: string; got: string };
const git = suite<GitCtx>('git: init, add, commit, branch, checkout, merge, gc on the mount');
git.before(async (ctx) => {
  ctx.cluster = await Cluster.start({ chunkservers: 3 });
  ctx.mnt = await ctx.cluster.mount();
  ctx.dir = ctx.cluster.dir;
  ctx.got = '';
});
git.after(async (ctx) => {
  await ctx.cluster?.stop();
});

git('the history builds on the mount; fsck --strict is clean and the work tree is clean', async (ctx) => {
  ctx.got = await ok(`mkdir ${ctx.mnt}/git && bash ${workloads}/git-workload.sh ${ctx.mnt}/git`, commandTimeoutMs);
  assert.match(ctx.got, /^fsck: clean$/m);
  assert.is(ctx.got.match(/^commit /gm)?.length, 4, ctx.got);
});

git('the commit ids, refs and tree equal those made on a local dir', async ({ dir, got }) => {
  assert.ok(got !== '', 'no history from the mount: the test before failed');
  const want = await ok(`mkdir ${dir}/git && bash ${workloads}/git-workload.sh ${dir}/git`, commandTimeoutMs);
  assert.fixture(got, want);
});

git.run();

// ---------------------------------------------------------------------------------------------

/**
 * The `find` fields the comparison needs, one line per entry, sorted: path, type, mode, uid, gid,
 * link count, size, mtime, symlink target (tab-separated, as names hold spaces). Two fields are
 * normalised where file systems legitimately differ: a directory's size (ext4 4096, Cairn 0) is
 * not compared, and the mtime is cut to milliseconds, the mount's granularity.
 */
async function listing(dir: string): Promise<string> {
  const out = await ok(`cd ${q(dir)} && find . -printf '%P\\t%y\\t%m\\t%U\\t%G\\t%n\\t%s\\t%T@\\t%l\\n' | LC_ALL=C sort`, commandTimeoutMs);
  const lines = out.split('\n').filter((line) => line !== '');
  return lines
    .map((line) => {
      const fields = line.split('\t');
      assert.is(fields.length, 9, line);
      const [path, type, mode, uid, gid, nlink, size, mtime, target] = fields;
      const mtimeMs = /^\d+\.\d{3}/.exec(mtime!)?.[0];
      assert.ok(mtimeMs !== undefined, `unexpected %T@ ${mtime}`);
      return [path, type, mode, uid, gid, nlink, type === 'd' ? '-' : size, mtimeMs, target].join(' ');
    })
    .join('\n');
}

type CopyCtx = { cluster: Cluster; mnt: string; dir: string; want: string };
const copy = suite<CopyCtx>('cp -a: a seeded tree into the mount and back out keeps modes, owners, times and links');
copy.before(async (ctx) => {
  ctx.cluster = await Cluster.start({ chunkservers: 3 });
  ctx.mnt = await ctx.cluster.mount();
  ctx.dir = ctx.cluster.dir;
  await makeTree(`${ctx.dir}/source`);
  ctx.want = await listing(`${ctx.dir}/source`);
});
copy.after(async (ctx) => {
  await ctx.cluster?.stop();
});

copy('cp -a in and back out succeeds; contents equal (diff -r --no-dereference)', async ({ mnt, dir }) => {
  // Every step runs even when one fails (cp -a copies what it can), so that the tests below
  // still compare the copies and this one reports every failure at once.
  const failures = await failedSteps([
    `cp -a ${dir}/source ${mnt}/copy`,
    `cp -a ${mnt}/copy ${dir}/back`,
    `diff -r --no-dereference ${dir}/source ${mnt}/copy`,
    `diff -r --no-dereference ${dir}/source ${dir}/back`,
  ]);
  assert.equal(failures, []);
});

copy('on the mount: every mode, owner, link count, size, mtime (ms) and target as in the source', async ({ mnt, want }) => {
  assert.fixture(await listing(`${mnt}/copy`), want, reproduce);
});

copy('copied back out: every mode, owner, link count, size, mtime (ms) and target as in the source', async ({ dir, want }) => {
  assert.fixture(await listing(`${dir}/back`), want, reproduce);
});

// The two primitives behind the listings, reduced to one file each and compared with a local dir.

copy('ln: both names report nlink 2 at once (cp -a and tar c find hard links by it)', async ({ mnt, dir }) => {
  const run = (root: string) => ok(`cd ${root} && echo x > n && stat n > /dev/null && ln n n2 && stat -c %h n n2`);
  assert.is(await run(mnt), await run(dir));
});

const futimens = `
import os, sys
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
os.write(fd, b"data" * int(sys.argv[2]))
os.utime(fd, ns=(1_000_000_123_000_000, 1_000_000_123_000_000))
os.close(fd)
print(os.stat(sys.argv[1]).st_mtime_ns)
`;

copy('an mtime set on a written, still-open file survives close (cp -a and tar x do this)', async ({ mnt, dir }) => {
  for (const count of [4, 40_000]) {
    const run = (root: string) => ok(`python3 -c '${futimens}' ${root}/t${count} ${count}`);
    assert.is((await run(mnt)).trim(), (await run(dir)).trim(), `${count * 4}-byte file`);
  }
});

copy.run();

// ---------------------------------------------------------------------------------------------

// Both writers use the same mount: fcntl locks are arbitrated within one mount (not yet across
// clients), which is what SQLite needs here.
const rowsPerWriter = 200;
const rowsPerTransaction = 10;

/** Two writers at once on `db`, then the summary of what the database holds. */
async function sqliteRun(db: string): Promise<{ summary: string; interleaving: string }> {
  const write = (writer: number) => `python3 ${workloads}/sqlite-workload.py write ${db} ${writer} ${rowsPerWriter} ${rowsPerTransaction}`;
  // Both exit statuses count: `wait` on each PID.
  await ok(`${write(1)} & one=$!; ${write(2)} & two=$!; wait $one; a=$?; wait $two; b=$?; test $a = 0 && test $b = 0`, commandTimeoutMs);
  const r = await sh(`python3 ${workloads}/sqlite-workload.py check ${db}`, commandTimeoutMs);
  assert.is(r.code, 0, r.stderr);
  return { summary: r.stdout, interleaving: r.stderr.trim() };
}

type SqliteCtx = { cluster: Cluster; mnt: string; dir: string; want: string };
const sqlite = suite<SqliteCtx>(`sqlite: two processes insert ${rowsPerWriter} rows each into one database, with locking`);
sqlite.before(async (ctx) => {
  ctx.cluster = await Cluster.start({ chunkservers: 3 });
  ctx.mnt = await ctx.cluster.mount();
  ctx.dir = ctx.cluster.dir;
  ctx.want = '';
});
sqlite.after(async (ctx) => {
  await ctx.cluster?.stop();
});

const expectedSummary = [
  `rows ${2 * rowsPerWriter}`,
  ...[1, 2].map((w) => `writer ${w}: ${rowsPerWriter} rows, ${rowsPerWriter} distinct seq 0..${rowsPerWriter - 1}, `),
  'integrity_check ok',
];

function assertSummary(summary: string): void {
  const lines = summary.trim().split('\n');
  assert.is(lines.length, expectedSummary.length, summary);
  expectedSummary.forEach((prefix, i) => assert.ok(lines[i]!.startsWith(prefix), `line ${i + 1}: expected ${prefix}…\n${summary}`));
}

sqlite('on a local dir (the reference): 2N rows, integrity ok', async (ctx) => {
  const { summary, interleaving } = await sqliteRun(`${ctx.dir}/local.db`);
  console.log(`local: ${interleaving}`);
  assertSummary(summary);
  ctx.want = summary;
});

sqlite('on the mount: 2N rows, integrity ok, the same rows as locally, no journal left', async ({ mnt, want }) => {
  await ok(`mkdir ${mnt}/db`);
  const { summary, interleaving } = await sqliteRun(`${mnt}/db/shared.db`);
  console.log(`mount: ${interleaving}`);
  assertSummary(summary);
  assert.ok(want !== '', 'no reference from the local dir: the test before failed');
  assert.fixture(summary, want);
  assert.is((await ok(`ls -A ${mnt}/db`)).trim(), 'shared.db');
});

sqlite.run();

// End to end: a master and three chunkservers as real processes, a real FUSE mount, and ordinary
// tools (cp, ls, sha256sum, mv, rm, python) run from child processes against it. Checks the bytes
// read back, the errno each bad call sees, and the replica files on the chunkservers' disks.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Cluster, ok, sh, repoRoot } from './harness.js';

const spine = suite<{ cluster: Cluster; mnt: string; src: string }>('spine: cp, ls, sha256sum, mv, rm on a 3-replica mount');
spine.before(async (ctx) => {
  ctx.cluster = await Cluster.start({ chunkservers: 3 });
  ctx.mnt = await ctx.cluster.mount();
  ctx.src = `${ctx.cluster.dir}/src`;
  await ok(`mkdir -p ${ctx.src} && head -c $((48*1024*1024 + 12345)) /dev/urandom > ${ctx.src}/big.bin`);
});
spine.after(async (ctx) => {
  await ctx.cluster?.stop();
});

spine('a large file copies in and reads back identical', async ({ mnt, src }) => {
  await ok(`cp ${src}/big.bin ${mnt}/big.bin`);
  const [want, got] = await Promise.all([ok(`sha256sum < ${src}/big.bin`), ok(`sha256sum < ${mnt}/big.bin`)]);
  assert.is(got, want);
  const size = (await ok(`stat -c %s ${mnt}/big.bin`)).trim();
  assert.is(size, String(48 * 1024 * 1024 + 12345));
});

spine('a source tree copies with cp -r and compares equal', async ({ mnt }) => {
  await ok(`cp -r ${repoRoot}/packages/meta/src ${mnt}/tree`);
  await ok(`diff -r ${repoRoot}/packages/meta/src ${mnt}/tree`);
  const listing = await ok(`ls -la ${mnt}/tree`);
  assert.match(listing, /apply\.ts/);
  assert.match(listing, /^-rw/m);
});

spine('every slice is stored on all three chunkservers', async ({ cluster }) => {
  const sets = await Promise.all([1, 2, 3].map((i) => cluster.sliceFiles(i)));
  assert.ok(sets[0]!.length > 0, 'no slice files on chunkserver 1');
  assert.equal(sets[1], sets[0]);
  assert.equal(sets[2], sets[0]);
});

spine('mv renames and moves; rm -r removes; mkdir -p; ln -s; chmod; touch; df', async ({ mnt }) => {
  await ok(`mkdir -p ${mnt}/a/b/c && mv ${mnt}/tree ${mnt}/a/b/c/moved && test -f ${mnt}/a/b/c/moved/apply.ts && ! test -e ${mnt}/tree`);
  await ok(`mv ${mnt}/a/b/c/moved/apply.ts ${mnt}/renamed.ts && diff ${mnt}/renamed.ts ${repoRoot}/packages/meta/src/apply.ts`);
  await ok(`ln -s renamed.ts ${mnt}/link && test "$(readlink ${mnt}/link)" = renamed.ts && diff ${mnt}/link ${mnt}/renamed.ts`);
  await ok(`chmod 600 ${mnt}/renamed.ts && test "$(stat -c %a ${mnt}/renamed.ts)" = 600`);
  await ok(`touch ${mnt}/empty && test "$(stat -c %s ${mnt}/empty)" = 0`);
  await ok(`rm -r ${mnt}/a && ! test -e ${mnt}/a`);
  const df = await ok(`df -P ${mnt} | tail -1`);
  assert.ok(Number(df.trim().split(/\s+/)[1]) > 0, `df shows no capacity: ${df}`);
  const left = (await ok(`ls -A ${mnt} | sort | tr '\\n' ' '`)).trim();
  assert.is(left, 'big.bin empty link renamed.ts');
});

spine('overwrite in place and truncate keep exact contents', async ({ mnt, src }) => {
  await ok(`printf 'hello world' > ${mnt}/t && printf 'HELLO' | dd of=${mnt}/t conv=notrunc status=none && test "$(cat ${mnt}/t)" = 'HELLO world'`);
  await ok(`truncate -s 5 ${mnt}/t && test "$(cat ${mnt}/t)" = HELLO && truncate -s 8 ${mnt}/t && test "$(od -An -c ${mnt}/t | tr -d ' ')" = 'HELLO\\0\\0\\0'`);
  await ok(`cat ${src}/big.bin > ${mnt}/t && cmp ${src}/big.bin ${mnt}/t && rm ${mnt}/t`);
});

const errnos = `
import errno, os, sys
m = sys.argv[1]
def expect(code, f, *a):
    try:
        f(*a)
    except OSError as e:
        if e.errno != code:
            print(f"{f.__name__}{a}: expected {errno.errorcode[code]} got {errno.errorcode.get(e.errno, e.errno)}"); sys.exit(1)
        return
    print(f"{f.__name__}{a}: expected {errno.errorcode[code]}, succeeded"); sys.exit(1)
os.mkdir(f"{m}/e")
open(f"{m}/e/file", "w").close()
expect(errno.ENAMETOOLONG, os.mkdir, f"{m}/" + "x" * 256)
expect(errno.ENAMETOOLONG, open, f"{m}/" + "y" * 256, "w")
expect(errno.EEXIST, os.mkdir, f"{m}/e")
expect(errno.ENOTEMPTY, os.rmdir, f"{m}/e")
expect(errno.ENOENT, open, f"{m}/missing")
expect(errno.ENOENT, os.stat, f"{m}/missing/deeper")
expect(errno.ENOTDIR, os.mkdir, f"{m}/e/file/sub")
expect(errno.EISDIR, os.unlink, f"{m}/e")
expect(errno.ENOTDIR, os.rmdir, f"{m}/e/file")
expect(errno.EINVAL, os.rename, f"{m}/e", f"{m}/e/inside")
os.mkdir(f"{m}/" + "z" * 255)
`;

spine('bad calls get the right errno and change nothing', async ({ mnt }) => {
  const before = await ok(`ls -la ${mnt} | sed 1d | awk '{print $1, $NF}' | sort`);
  const r = await sh(`python3 -c '${errnos}' ${mnt}`);
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.is((await ok(`ls -A ${mnt}/e`)).trim(), 'file');
  const after = await ok(`ls -la ${mnt} | sed 1d | awk '{print $1, $NF}' | grep -v -e ' e$' -e ' zzzz' | sort`);
  assert.is(after, before);
});

spine('a replica altered on disk is not served: reads come from another replica', async ({ cluster, mnt, src }) => {
  await ok(`head -c 3000000 /dev/urandom > ${src}/small.bin && cp ${src}/small.bin ${mnt}/victim.bin`);
  const before = new Set(await cluster.sliceFiles(1));
  // The victim's slice is the newest file on chunkserver 1.
  const newest = (await ok(`ls -t $(find ${cluster.chunkserverDir(1)} -type f -name '*.slice') | head -1`)).trim();
  assert.ok(before.size > 0 && newest.length > 0);
  await ok(`printf '\\xff\\xfe\\xfd\\xfc' | dd of=${newest} bs=1 seek=1000 conv=notrunc status=none`);
  await ok(`sync && echo 3 > /proc/sys/vm/drop_caches`);
  for (let i = 0; i < 3; i++) {
    await ok(`cmp ${src}/small.bin ${mnt}/victim.bin`);
    await ok(`echo 3 > /proc/sys/vm/drop_caches`);
  }
});

spine.run();

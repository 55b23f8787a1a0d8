// End-to-end test of a real mount: a master and three chunkservers in this process, Cairn mounted
// on a temporary directory, and the mount driven only from child processes (bash, coreutils,
// python) — the process serving a mount must never touch it synchronously, nor spawn a child
// with its cwd inside it (the spawn waits for the child's chdir, which waits for us). Skipped
// without /dev/fuse, root, the built binding or the built servers. The POSIX-identity cases run
// commands as uid 1000 through `setpriv --reuid=1000 --regid=1000 --clear-groups` and check what the
// patched binding makes possible: owners of new files, setgid directories, kernel permission checks
// (default_permissions), chown refusals, utimens with one time omitted, st_ino = Cairn inode.
// A second mount of the same cluster (another client, another session) shows that flock and
// fcntl locks and extended attributes are the cluster's, not one mount's.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { access, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Errno, FsError } from '@cairn/errors';
import { type CairnMount, mountCairn } from '../src/index.js';

const test = suite('mount');
let mount: CairnMount | undefined;
let stopServers: (() => Promise<void>) | undefined;
let dir = '';
let mnt = '';
let mount2: CairnMount | undefined;
let mnt2 = '';

/** Runs `cmd` with bash as uid/gid 1000 and no supplementary groups, in the mount. */
function asUser(cmd: string): Promise<{ code: number; out: string }> {
  return sh(`setpriv --reuid=1000 --regid=1000 --clear-groups bash -c ${JSON.stringify(`umask 022; ${cmd}`)}`);
}

function sh(cmd: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile('bash', ['-c', `cd '${mnt}' && ${cmd}`], { timeout: 120_000, maxBuffer: 1 << 24 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
    );
  });
}

async function usable(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'not root';
  try {
    await access('/dev/fuse');
    createRequire(import.meta.url)('@cocalc/fuse-native');
  } catch (err) {
    return (err as Error).message;
  }
  return undefined;
}

test.before(async () => {
  const why = await usable();
  if (why) return void console.log(`skipping mount tests: ${why}`);
  const spec = (name: string) => name;
  let master: { startMaster(o: unknown): Promise<{ address: string; stop(): Promise<void> }> };
  let chunk: { startChunkserver(o: unknown): Promise<{ stop(): Promise<void> }> };
  let pino: { pino(o: unknown): unknown };
  try {
    master = await import(spec('@cairn/master'));
    chunk = await import(spec('@cairn/chunkserver'));
    pino = await import(spec('pino'));
  } catch (err) {
    return void console.log(`skipping mount tests: servers not built (${(err as Error).message})`);
  }
  dir = await mkdtemp(join(tmpdir(), 'cairn-fuse-e2e-'));
  mnt = join(dir, 'mnt');
  await mkdir(mnt);
  const logger = pino.pino({ level: process.env.CAIRN_TEST_LOG ?? 'silent' });
  const m = await master.startMaster({ id: 1, dataDir: join(dir, 'm1'), logger, heartbeatIntervalMs: 200 });
  const servers: { stop(): Promise<void> }[] = [];
  for (let i = 0; i < 3; i++) servers.push(await chunk.startChunkserver({ dataDir: join(dir, `c${i}`), masters: [m.address], logger, heartbeatIntervalMs: 200 }));
  stopServers = async () => {
    for (const s of servers) await s.stop();
    await m.stop();
  };
  await new Promise((r) => setTimeout(r, 600));
  mount = await mountCairn({ mountPoint: mnt, masters: [m.address], handleSignals: false });
  mnt2 = join(dir, 'mnt2');
  await mkdir(mnt2);
  mount2 = await mountCairn({ mountPoint: mnt2, masters: [m.address], handleSignals: false, attrTimeoutS: 0, entryTimeoutS: 0 });
});

test.after(async () => {
  await mount2?.unmount();
  await mount?.unmount();
  await stopServers?.();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('files and directories through coreutils', async () => {
  if (!mount) return;
  const r = await sh('mkdir -p a/b && echo hello > a/b/f && cat a/b/f && ls -a a && stat -c "%s %a" a/b/f');
  assert.is(r.code, 0, r.out);
  assert.fixture(r.out, 'hello\n.\n..\nb\n6 644\n');
  const again = await sh('mkdir a');
  assert.ok(again.code !== 0 && /File exists/.test(again.out), again.out);
  const busy = await sh('rmdir a');
  assert.ok(busy.code !== 0 && /not empty/.test(busy.out), busy.out);
  const links = await sh('ln -s b/f a/s && cat a/s && stat -c %h a/b/f && ln a/b/f a/h && stat -c %h a/h a/b/f && mv a/h a/m && ls a && rm a/m && stat -c %h a/b/f');
  // Every name of a file shows its link count at once (each name is its own kernel inode).
  assert.fixture(links.out, 'hello\n1\n2\n2\nb\nm\ns\n1\n');
});

test('a 20 MiB file written with dd reads back with the same digest', async () => {
  if (!mount) return;
  const local = join(dir, 'local');
  const r = await sh(`head -c 20971520 /dev/urandom > '${local}' && dd if='${local}' of=big bs=1M conv=fsync status=none && sha256sum < big && sha256sum < '${local}'`);
  assert.is(r.code, 0, r.out);
  const [a, b] = r.out.trim().split('\n');
  assert.is(a, b);
});

test('an open file survives its unlink; truncate and utimens work', async () => {
  if (!mount) return;
  const py = [
    'import os',
    'f = open("p", "w+b"); f.write(b"x" * 10); f.flush()',
    'os.unlink("p"); f.seek(0); print(f.read().decode()); f.close()',
    'print(os.path.exists("p"))',
    // No .fuse_hidden* stand-in: the name is gone at once and the directory can be removed.
    'os.mkdir("hd"); g = open("hd/q", "w+b"); g.write(b"abc"); g.flush(); os.unlink("hd/q")',
    'st = os.fstat(g.fileno()); print(os.listdir("hd"), st.st_size, st.st_nlink); os.rmdir("hd")',
    // Still writable and readable through the handle after its directory went.
    'os.pwrite(g.fileno(), b"de", 3); os.ftruncate(g.fileno(), 4); print(os.pread(g.fileno(), 10, 0)); g.close()',
  ].join('\n');
  await writeFile(join(dir, 't.py'), py);
  const r = await sh(`python3 '${join(dir, 't.py')}' && truncate -s 3 a/b/f && cat a/b/f && echo && touch -d @1577934245.123456789 a/b/f && stat -c %.9Y a/b/f && touch -a -d @1.000000001 a/b/f && stat -c '%.9X %.9Y' a/b/f`);
  assert.fixture(r.out, "xxxxxxxxxx\nFalse\n[] 3 0\nb'abcd'\nhel\n1577934245.123456789\n1.000000001 1577934245.123456789\n");
});

test('a write by another user and a chown clear setuid/setgid, as on Linux', async () => {
  if (!mount) return;
  await sh('touch suid && chmod 6777 suid && touch own && chmod 6755 own && touch sgid && chmod 2666 sgid');
  const w = await asUser('echo more >> suid && stat -c %a suid && echo more >> sgid && stat -c %a sgid');
  assert.is(w.code, 0, w.out);
  // setgid without group-execute goes too when the writer is not in the file's group (Linux 6).
  assert.fixture(w.out, '777\n666\n');
  const c = await sh('chown 1000 own && stat -c "%a %u" own');
  assert.fixture(c.out, '755 1000\n');
});

test('files made by an unprivileged user are owned by it; setgid directories pass their group', async () => {
  if (!mount) return;
  const setup = await sh('mkdir -m 1777 pub && mkdir -m 2777 sg && chgrp 50 sg && umask 022 && echo root > pub/rootfile');
  assert.is(setup.code, 0, setup.out);
  const r = await asUser('cd pub && touch u && mkdir ud && ln -s u us && mknod fifo p && stat -c "%n %u %g" u ud us fifo');
  assert.is(r.code, 0, r.out);
  assert.fixture(r.out, 'u 1000 1000\nud 1000 1000\nus 1000 1000\nfifo 1000 1000\n');
  const g = await asUser('mkdir sg/d && touch sg/f && mkdir sg/d/e && stat -c "%n %u %g %a" sg/d sg/f sg/d/e');
  assert.is(g.code, 0, g.out);
  assert.fixture(g.out, 'sg/d 1000 50 2755\nsg/f 1000 50 644\nsg/d/e 1000 50 2755\n');
});

test('the kernel checks mode bits with the caller: a non-owner cannot write a 0644 file', async () => {
  if (!mount) return;
  const w = await asUser('echo more >> pub/rootfile');
  assert.ok(w.code !== 0 && /Permission denied/.test(w.out), w.out);
  const own = await asUser('echo mine > pub/u && cat pub/u && cat pub/rootfile');
  assert.fixture(own.out, 'mine\nroot\n');
  const r = await sh('cat pub/rootfile && echo by-root >> pub/u && cat pub/u');
  assert.fixture(r.out, 'root\nmine\nby-root\n');
});

test('chown: a non-root user cannot give a file away nor pick a foreign group; root can', async () => {
  if (!mount) return;
  const give = await asUser('chown 0 pub/u');
  assert.ok(give.code !== 0 && /Operation not permitted/.test(give.out), give.out);
  const grp = await asUser('chgrp 50 pub/u');
  assert.ok(grp.code !== 0 && /Operation not permitted/.test(grp.out), grp.out);
  const foreign = await asUser('chmod 600 pub/rootfile');
  assert.ok(foreign.code !== 0 && /Operation not permitted/.test(foreign.out), foreign.out);
  const r = await sh('chown 1000:50 pub/rootfile && stat -c "%u %g" pub/rootfile && stat -c "%u %g" pub/u');
  assert.fixture(r.out, '1000 50\n1000 1000\n');
});

test('touch -m and touch -a each change one time and keep the other; times keep sub-second parts', async () => {
  if (!mount) return;
  const r = await sh(
    'touch t && touch -m -d @1500000000.25 t && touch -a -d @1600000000.5 t && stat -c "%.3X %.3Y" t && ' +
      'touch -m -d @1400000000 t && stat -c "%X %Y" t',
  );
  assert.is(r.code, 0, r.out);
  assert.fixture(r.out, '1600000000.500 1500000000.250\n1600000000 1400000000\n');
});

test('st_ino is the Cairn inode number and stays the same across renames and lookups', async () => {
  if (!mount) return;
  const r = await sh('touch inode-a && stat -c %i inode-a && mv inode-a inode-b && stat -c %i inode-b && ls -i inode-b');
  assert.is(r.code, 0, r.out);
  const [first, second, listed] = r.out.trim().split('\n');
  const cairn = await mount.client.resolve('/inode-b');
  assert.is(first, String(cairn.ino));
  assert.is(second, String(cairn.ino));
  assert.is(listed, `${cairn.ino} inode-b`);
  const blocks = await sh('head -c 5000 /dev/zero > blk && stat -c "%b %B %o" blk');
  assert.fixture(blocks.out, '10 512 131072\n');
});

test('flock and fcntl locks exclude across two mounts (two clients) and go with close', async () => {
  if (!mount) return;
  // The probe runs on the *other* mount: only the master can tell it the file is locked.
  const probe = [
    'import fcntl, struct, sys',
    'f = open(sys.argv[1], "r+")',
    'try:',
    '  fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB); print("flock got")',
    'except BlockingIOError:',
    '  print("flock busy")',
    'try:',
    '  fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB, 10, 100); print("range got")',
    'except (BlockingIOError, PermissionError):',
    '  print("range busy")',
    'got = fcntl.fcntl(f, fcntl.F_GETLK, struct.pack("hhqqi", fcntl.F_WRLCK, 0, 0, 0, 0))',
    'kind, _, start, length, _ = struct.unpack("hhqqi", got)',
    'print("getlk", {fcntl.F_UNLCK: "none", fcntl.F_WRLCK: "write", fcntl.F_RDLCK: "read"}[kind], start, length)',
  ].join('\n');
  const holder = [
    'import fcntl, subprocess, sys',
    'f = open("lk", "w+")',
    'fcntl.flock(f, fcntl.LOCK_EX)',
    'fcntl.lockf(f, fcntl.LOCK_EX, 50, 100)',
    'run = lambda: print(subprocess.run([sys.executable, sys.argv[1], sys.argv[2]], capture_output=True, text=True).stdout.strip())',
    'run()',
    'fcntl.flock(f, fcntl.LOCK_UN)',
    'fcntl.lockf(f, fcntl.LOCK_UN, 50, 100)',
    'fcntl.lockf(f, fcntl.LOCK_SH, 5, 100)',
    'run()',
    'f.close()',
    'run()',
  ].join('\n');
  await writeFile(join(dir, 'probe.py'), probe);
  await writeFile(join(dir, 'holder.py'), holder);
  const r = await sh(`python3 '${join(dir, 'holder.py')}' '${join(dir, 'probe.py')}' '${join(mnt2, 'lk')}'`);
  assert.fixture(
    r.out,
    [
      'flock busy\nrange busy\ngetlk write 100 50',
      'flock got\nrange busy\ngetlk read 100 5',
      'flock got\nrange got\ngetlk none 0 0',
      '',
    ].join('\n'),
  );
});

test('a blocked F_SETLKW on one mount is granted when the other mount releases', async () => {
  if (!mount) return;
  const waiter = 'import fcntl, sys, time\nf = open(sys.argv[1], "r+")\nt = time.time()\nfcntl.lockf(f, fcntl.LOCK_EX)\nprint("granted after", "release" if time.time() - t > 0.3 else "no wait")';
  await writeFile(join(dir, 'waiter.py'), waiter);
  const r = await sh(
    `touch wl && python3 -c 'import fcntl,subprocess,sys,time\nf=open("wl","r+")\nfcntl.lockf(f, fcntl.LOCK_EX)\np=subprocess.Popen([sys.executable, "${join(dir, 'waiter.py')}", "${join(mnt2, 'wl')}"])\ntime.sleep(0.6)\nf.close()\nsys.exit(p.wait())'`,
  );
  assert.is(r.code, 0, r.out);
  assert.fixture(r.out, 'granted after release\n');
});

test('extended attributes: set, get, list, remove, flags and errors, seen from the other mount', async () => {
  if (!mount) return;
  const py = [
    'import errno, os, sys',
    'a, b = sys.argv[1], sys.argv[2]',
    'open(a + "/x", "w").close()',
    'def err(f):',
    '  try: f(); return "ok"',
    '  except OSError as e: return errno.errorcode[e.errno]',
    'os.setxattr(a + "/x", "user.color", b"blue")',
    'os.setxattr(a + "/x", "user.empty", b"")',
    'print(os.getxattr(b + "/x", "user.color"), sorted(os.listxattr(b + "/x")))',
    'print(err(lambda: os.setxattr(a + "/x", "user.color", b"red", os.XATTR_CREATE)))',
    'print(err(lambda: os.setxattr(a + "/x", "user.shape", b"round", os.XATTR_REPLACE)))',
    'print(err(lambda: os.getxattr(a + "/x", "user.shape")))',
    'print(err(lambda: os.removexattr(a + "/x", "user.shape")))',
    'print(err(lambda: os.setxattr(a + "/x", "user." + "n" * 300, b"v")))',
    'print(err(lambda: os.setxattr(a + "/x", "user.big", b"v" * 70000)))',
    'os.setxattr(a + "/x", "user.color", b"red", os.XATTR_REPLACE)',
    'os.removexattr(a + "/x", "user.empty")',
    'print(os.getxattr(b + "/x", "user.color"), os.listxattr(b + "/x"))',
  ].join('\n');
  await writeFile(join(dir, 'xattr.py'), py);
  const r = await sh(`python3 '${join(dir, 'xattr.py')}' '${mnt}' '${mnt2}'`);
  assert.fixture(r.out, "b'blue' ['user.color', 'user.empty']\nEEXIST\nENODATA\nENODATA\nENODATA\nERANGE\nE2BIG\nb'red' ['user.color']\n");
  // A value too large for the caller's buffer is ERANGE, a size query gives the exact size.
  const c = await sh(`python3 -c 'import ctypes,os; l=ctypes.CDLL(None, use_errno=True); n=l.getxattr(b"x", b"user.color", None, 0); m=l.getxattr(b"x", b"user.color", ctypes.create_string_buffer(2), 2); print(n, m, os.strerror(ctypes.get_errno())); k=l.listxattr(b"x", None, 0); print(k)'`);
  assert.fixture(c.out, '3 -1 Numerical result out of range\n11\n');
});

test('mounting on a bad mount point fails with one clear error', async () => {
  if (!mount) return;
  const file = join(dir, 'plain');
  await writeFile(file, '');
  const cases: [string, Errno][] = [
    [join(dir, 'missing'), Errno.ENOENT],
    [file, Errno.ENOTDIR],
    [mnt, Errno.EBUSY],
  ];
  for (const [path, errno] of cases) {
    try {
      await mountCairn({ mountPoint: path, masters: ['127.0.0.1:1'], handleSignals: false });
      assert.unreachable(`mounting ${path} should fail`);
    } catch (err) {
      assert.instance(err, FsError);
      assert.is((err as FsError).errno, errno, (err as Error).message);
    }
  }
});

test('unmount leaves no mount behind', async () => {
  if (!mount) return;
  await mount.unmount();
  const info = await readFile('/proc/self/mountinfo', 'utf8');
  assert.not.ok(info.includes(` ${mnt} `));
  mount = undefined;
});

test.run();

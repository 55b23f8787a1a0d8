// End-to-end test of a real mount: a master and three chunkservers in this process, Cairn mounted
// on a temporary directory, and the mount driven only from child processes (bash, coreutils,
// python) — the process serving a mount must never touch it synchronously, nor spawn a child
// with its cwd inside it (the spawn waits for the child's chdir, which waits for us). Skipped
// without /dev/fuse, root, the built binding or the built servers.
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
});

test.after(async () => {
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
  const links = await sh('ln -s b/f a/s && cat a/s && ln a/b/f a/h && stat -c %h a/h && mv a/h a/m && ls a');
  assert.fixture(links.out, 'hello\n2\nb\nm\ns\n');
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
  ].join('\n');
  await writeFile(join(dir, 't.py'), py);
  const r = await sh(`python3 '${join(dir, 't.py')}' && truncate -s 3 a/b/f && cat a/b/f && echo && touch -d @1577934245 a/b/f && stat -c %Y a/b/f`);
  assert.fixture(r.out, 'xxxxxxxxxx\nFalse\nhel\n1577934245\n');
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

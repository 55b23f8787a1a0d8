// Runs real Cairn processes for end-to-end tests: masters, chunkservers and FUSE mounts started
// through the `cairn` CLI as child processes on 127.0.0.1 with ephemeral ports, and shell commands
// that drive the mount from further child processes (the serving process must never touch its own
// mount). Every process started is recorded and stopped by PID, and every mount is detached, also
// when a test fails or the runner exits.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync, mkdirSync, existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MetaClient, type types } from '@cairn/rpc';

export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
export const cliMain = join(repoRoot, 'packages/cli/dist/src/main.js');

const live = new Set<ChildProcess>();
const mounts = new Set<string>();

function emergencyCleanup(): void {
  for (const mnt of mounts) spawnSyncQuiet('umount', ['-l', mnt]);
  for (const c of live) {
    try {
      c.kill('SIGKILL');
    } catch {
      // Gone already.
    }
  }
}
process.on('exit', emergencyCleanup);

function spawnSyncQuiet(cmd: string, args: string[]): void {
  spawnSync(cmd, args, { stdio: 'ignore', timeout: 5_000 });
}

export interface Proc {
  child: ChildProcess;
  pid: number;
  ready: Record<string, unknown>;
  log: string;
  args: string[];
}

/** Starts `cairn <args>`, waits for its ready line; rejects with its last log line if it dies. */
export function startCli(args: string[], log: string, timeoutMs = 30_000): Promise<Proc> {
  const fd = openSync(log, 'a');
  const child = spawn(process.execPath, [cliMain, ...args, '--log', log], { stdio: ['ignore', 'pipe', fd] });
  closeSync(fd);
  live.add(child);
  child.once('exit', () => live.delete(child));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`cairn ${args.join(' ')}: not ready in ${timeoutMs} ms; log ${log}:\n${tail(log)}`));
    }, timeoutMs);
    child.once('exit', (code, sig) => {
      clearTimeout(timer);
      reject(new Error(`cairn ${args.join(' ')} exited (${sig ?? code}) before ready; log:\n${tail(log)}`));
    });
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.once('exit', () => live.delete(child));
      resolve({ child, pid: child.pid!, ready: JSON.parse(out.slice(0, nl)), log, args });
    });
  });
}

export function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Runs a shell command in a child process; never throws for a non-zero exit. */
export function sh(cmd: string, timeoutMs = 120_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', cmd], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr: signal ? `${stderr}\nkilled by ${signal} after ${timeoutMs} ms` : stderr });
    });
  });
}

/** Like `sh`, but fails the test with the command's output on a non-zero exit. */
export async function ok(cmd: string, timeoutMs?: number): Promise<string> {
  const r = await sh(cmd, timeoutMs);
  if (r.code !== 0) throw new Error(`command failed (${r.code}): ${cmd}\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

export interface ClusterOptions {
  chunkservers?: number;
  masterArgs?: string[];
  chunkserverArgs?: string[];
}

export class Cluster {
  readonly dir: string;
  master!: Proc;
  masterPort = 0;
  chunkservers: Proc[] = [];
  mountProc: Proc | undefined;
  mountPoint: string;

  private constructor(readonly options: ClusterOptions) {
    this.dir = mkdtempSync(join(tmpdir(), 'cairn-e2e-'));
    this.mountPoint = join(this.dir, 'mnt');
    mkdirSync(this.mountPoint);
    mkdirSync(join(this.dir, 'logs'));
  }

  static async start(options: ClusterOptions = {}): Promise<Cluster> {
    const c = new Cluster(options);
    try {
      await c.startMaster();
      for (let i = 1; i <= (options.chunkservers ?? 3); i++) await c.startChunkserver(i);
      await c.waitForChunkservers(options.chunkservers ?? 3);
    } catch (err) {
      await c.stop();
      throw err;
    }
    return c;
  }

  get masterAddress(): string {
    return `127.0.0.1:${this.masterPort}`;
  }

  async startMaster(): Promise<void> {
    const args = ['master', '--id', '1', '--data', join(this.dir, 'master1'), '--port', String(this.masterPort), ...(this.options.masterArgs ?? [])];
    this.master = await startCli(args, join(this.dir, 'logs', 'master1.log'));
    this.masterPort = Number(String(this.master.ready.address).split(':')[1]);
  }

  chunkserverDir(i: number): string {
    return join(this.dir, `chunkserver${i}`);
  }

  async startChunkserver(i: number): Promise<Proc> {
    const args = ['chunkserver', '--data', this.chunkserverDir(i), '--masters', this.masterAddress, '--port', '0', ...(this.options.chunkserverArgs ?? [])];
    const p = await startCli(args, join(this.dir, 'logs', `chunkserver${i}.log`));
    this.chunkservers[i - 1] = p;
    return p;
  }

  async status(): Promise<types.ClusterStatusReply__Output> {
    const client = new MetaClient({ masters: [this.masterAddress], retryBudgetMs: 5_000 });
    try {
      return await client.call<object, types.ClusterStatusReply__Output>('clusterStatus', {});
    } finally {
      client.close();
    }
  }

  async waitForChunkservers(alive: number, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = await this.status();
      const n = s.chunkservers.filter((c) => c.alive).length;
      if (n === alive) return;
      if (Date.now() > deadline) throw new Error(`expected ${alive} live chunkservers, have ${n}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async mount(extra: string[] = []): Promise<string> {
    mounts.add(this.mountPoint);
    this.mountProc = await startCli(['mount', this.mountPoint, '--masters', this.masterAddress, ...extra], join(this.dir, 'logs', 'mount.log'));
    return this.mountPoint;
  }

  async kill(p: Proc, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (p.child.exitCode !== null || p.child.signalCode !== null) return;
    const exited = new Promise<void>((r) => p.child.once('exit', () => r()));
    p.child.kill(signal);
    const timer = setTimeout(() => p.child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }

  async unmount(): Promise<void> {
    if (this.mountProc) await this.kill(this.mountProc, 'SIGTERM');
    this.mountProc = undefined;
    if (isMounted(this.mountPoint)) await sh(`umount -l ${this.mountPoint}`);
    mounts.delete(this.mountPoint);
  }

  /** Files of slice replicas under a chunkserver's data directory (names carry the slice id). */
  async sliceFiles(i: number): Promise<string[]> {
    const r = await sh(`find ${this.chunkserverDir(i)} -type f -name '*.slice' -printf '%f\\n' | sort`);
    return r.stdout.split('\n').filter(Boolean);
  }

  async stop(): Promise<void> {
    await this.unmount().catch(() => undefined);
    for (const p of this.chunkservers) if (p) await this.kill(p, 'SIGTERM').catch(() => undefined);
    if (this.master) await this.kill(this.master, 'SIGTERM').catch(() => undefined);
    if (process.env.KEEP_E2E !== '1') rmSync(this.dir, { recursive: true, force: true });
  }
}

export function isMounted(path: string): boolean {
  return readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .some((l) => l.split(' ')[1] === path);
}

export async function readJson<T>(file: string): Promise<T> {
  return JSON.parse(await readFile(file, 'utf8')) as T;
}

export { existsSync };

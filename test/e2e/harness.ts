// Runs real Cairn processes for end-to-end tests: masters, chunkservers and FUSE mounts started
// through the `cairn` CLI as child processes on 127.0.0.1 with ephemeral ports, and shell commands
// that drive the mount from further child processes (the serving process must never touch its own
// mount). Every process started is recorded and stopped by PID, and every mount is detached, also
// when a test fails or the runner exits.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync, mkdirSync, existsSync } from 'node:fs';
import { createServer as createNetServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
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
  masters?: number;
  chunkservers?: number;
  masterArgs?: string[];
  chunkserverArgs?: string[];
  /** Extra arguments for chunkserver `i` (1-based), after `chunkserverArgs`. */
  chunkserverArgsFor?: (i: number) => string[];
  /** Put a TCP proxy in front of every master (peers and clients reach it only through it). */
  proxies?: boolean;
}

/** A TCP proxy that can cut every connection and refuse new ones: a network partition. */
export class TcpProxy {
  private readonly sockets = new Set<Socket>();
  private cut = false;
  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(targetPort: number): Promise<TcpProxy> {
    let proxy!: TcpProxy;
    const server = createNetServer((client) => {
      if (proxy.cut) return void client.destroy();
      const upstream = connect(targetPort, '127.0.0.1');
      for (const s of [client, upstream]) {
        proxy.sockets.add(s);
        s.on('close', () => proxy.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
    proxy = new TcpProxy(server, port);
    return proxy;
  }

  partition(): void {
    this.cut = true;
    for (const s of this.sockets) s.destroy();
  }

  heal(): void {
    this.cut = false;
  }

  close(): Promise<void> {
    this.partition();
    return new Promise((r) => this.server.close(() => r()));
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createNetServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export class Cluster {
  readonly dir: string;
  masters: (Proc | undefined)[] = [];
  /** Where each master listens, and where peers and clients reach it (its proxy, if any). */
  masterPorts: number[] = [];
  advertisedPorts: number[] = [];
  proxies: TcpProxy[] = [];
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
      const n = options.masters ?? 1;
      for (let i = 0; i < n; i++) {
        c.masterPorts.push(await freePort());
        if (options.proxies) c.proxies.push(await TcpProxy.start(c.masterPorts[i]!));
        c.advertisedPorts.push(options.proxies ? c.proxies[i]!.port : c.masterPorts[i]!);
      }
      await Promise.all(c.masterPorts.map((_, i) => c.startMaster(i + 1)));
      for (let i = 1; i <= (options.chunkservers ?? 3); i++) await c.startChunkserver(i);
      await c.waitForChunkservers(options.chunkservers ?? 3);
    } catch (err) {
      await c.stop();
      throw err;
    }
    return c;
  }

  /** Every master's address, comma-separated, as `--masters` takes them. */
  get masterAddress(): string {
    return this.advertisedPorts.map((p) => `127.0.0.1:${p}`).join(',');
  }

  get peers(): string {
    return this.advertisedPorts.map((p, i) => `${i + 1}=127.0.0.1:${p}`).join(',');
  }

  /** Starts (or restarts) master `id` (1-based) on its port and data directory. */
  async startMaster(id = 1): Promise<Proc> {
    const args = [
      'master',
      '--id',
      String(id),
      '--data',
      join(this.dir, `master${id}`),
      '--port',
      String(this.masterPorts[id - 1]),
      '--peers',
      this.peers,
      ...(this.options.masterArgs ?? []),
    ];
    const p = await startCli(args, join(this.dir, 'logs', `master${id}.log`));
    this.masters[id - 1] = p;
    return p;
  }

  /** The id of the master that says it leads, or 0. */
  async leaderId(): Promise<number> {
    const s = await this.status();
    return s.masters.find((m) => m.role === 'leader')?.id ?? 0;
  }

  chunkserverDir(i: number): string {
    return join(this.dir, `chunkserver${i}`);
  }

  async startChunkserver(i: number): Promise<Proc> {
    const args = [
      'chunkserver',
      '--data',
      this.chunkserverDir(i),
      '--masters',
      this.masterAddress,
      '--port',
      '0',
      ...(this.options.chunkserverArgs ?? []),
      ...(this.options.chunkserverArgsFor?.(i) ?? []),
    ];
    const p = await startCli(args, join(this.dir, 'logs', `chunkserver${i}.log`));
    this.chunkservers[i - 1] = p;
    return p;
  }

  async status(): Promise<types.ClusterStatusReply__Output> {
    const client = new MetaClient({ masters: this.masterAddress.split(','), retryBudgetMs: 10_000 });
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
    for (const p of this.masters) if (p) await this.kill(p, 'SIGTERM').catch(() => undefined);
    for (const p of this.proxies) await p.close().catch(() => undefined);
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

// Helpers for the processes the CLI starts and stops: ready signalling over stdout, free ports,
// and stopping by PID only processes that are really ours.
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Errno, FsError } from '@cairn/errors';

export const mainScript = fileURLToPath(new URL('./main.js', import.meta.url));

/** Written once by a role process when it serves: the parent waits for this line. */
export function announceReady(info: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify({ ready: true, ...info }) + '\n');
}

export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface Started {
  child: ChildProcess;
  ready: Record<string, unknown>;
}

/**
 * Starts `cairn <args>` with stderr appended to `logFile`, waits for its ready line (or its
 * death, reported with the last line of its log), and lets it run on.
 */
export function startRole(args: string[], logFile: string, detached: boolean, timeoutMs = 30_000): Promise<Started> {
  const logFd = openSync(logFile, 'a');
  const child = spawn(process.execPath, [mainScript, ...args], { detached, stdio: ['ignore', 'pipe', logFd] });
  closeSync(logFd);
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => fail(`did not become ready within ${timeoutMs} ms`), timeoutMs);
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new FsError(Errno.EIO, `cairn ${args[0]} ${why}: ${lastLogLine(logFile)} (log: ${logFile})`));
    };
    child.once('exit', (code, signal) => fail(`exited (${signal ?? code}) before it was ready`));
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const nl = buffered.indexOf('\n');
      if (nl < 0) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.stdout!.removeAllListeners('data');
      child.stdout!.destroy();
      try {
        resolve({ child, ready: JSON.parse(buffered.slice(0, nl)) as Record<string, unknown> });
      } catch {
        reject(new FsError(Errno.EIO, `cairn ${args[0]} printed an unreadable ready line`));
      }
    });
  });
}

export function lastLogLine(file: string): string {
  try {
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    for (let i = lines.length - 1; i >= 0; i--) {
      const line = lines[i] as string;
      try {
        const j = JSON.parse(line) as { msg?: string; err?: { message?: string } };
        if (j.err?.message) return j.err.message;
        if (j.msg) return j.msg;
      } catch {
        if (line.trim()) return line.trim();
      }
    }
  } catch {
    // No log yet.
  }
  return 'no log output';
}

/** True if `pid` is alive and runs this CLI (a recycled PID is not ours to signal). */
export function isOurProcess(pid: number): boolean {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes(mainScript) || cmdline.includes('cairn');
  } catch {
    return false;
  }
}

export async function stopProcess(pid: number, graceMs: number): Promise<boolean> {
  if (!isOurProcess(pid)) return false;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return false;
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isOurProcess(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
  return true;
}

/** Resolves on the first SIGINT or SIGTERM. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (sig: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(sig);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

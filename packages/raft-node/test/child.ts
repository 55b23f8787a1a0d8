// Parent-side handle on a node-child.ts process: spawn, request/response over IPC, SIGKILL.

import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./node-child.js', import.meta.url));

export class Child {
  private seq = 0;
  private readonly waiting = new Map<number, (m: Record<string, unknown>) => void>();
  readonly exited: Promise<void>;

  private constructor(
    readonly proc: ChildProcess,
    readonly port: number,
  ) {
    proc.on('message', (m: Record<string, unknown>) => {
      const w = this.waiting.get(m.seq as number);
      if (w === undefined) return;
      this.waiting.delete(m.seq as number);
      w(m);
    });
    this.exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    void this.exited.then(() => {
      for (const w of this.waiting.values()) w({ ok: false, err: 'child exited' });
      this.waiting.clear();
    });
  }

  static spawn(args: { id: number; dataDir: string; port?: number; record?: boolean; snapshotEveryEntries?: number }): Promise<Child> {
    const proc = fork(script, [JSON.stringify(args)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return new Promise((resolve, reject) => {
      proc.once('error', reject);
      proc.once('exit', (code) => reject(new Error(`child ${args.id} exited with ${code} before binding`)));
      proc.once('message', (m: { op: string; port: number }) => resolve(new Child(proc, m.port)));
    });
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  request(op: string, fields: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return Promise.resolve({ ok: false, err: 'child exited' });
    const seq = ++this.seq;
    return new Promise((resolve) => {
      this.waiting.set(seq, resolve);
      this.proc.send({ op, seq, ...fields });
    });
  }

  async kill(): Promise<void> {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill('SIGKILL');
    await this.exited;
  }
}

// The master's LevelDB: the metadata state under the key schema of @cairn/meta (the Raft log
// lives in its own store, see @cairn/raft-node). Reads are synchronous (`getSync`) so that the pure state
// machine can read while applying; writes of applied state go through `pending`, an overlay that
// holds a batch until LevelDB has it, so a later apply in the same group sees earlier writes.
import { ClassicLevel } from 'classic-level';
import { Errno, FatalError, FatalReason, FsError } from '@cairn/errors';
import type { KvOp, KvView } from '@cairn/meta';

export class MetaStore implements KvView {
  private readonly pending = new Map<string, string | undefined>();

  private constructor(private readonly db: ClassicLevel<string, string>) {}

  static async open(path: string): Promise<MetaStore> {
    const db = new ClassicLevel<string, string>(path, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
    try {
      await db.open();
    } catch (err) {
      const cause = (err as { cause?: { message?: string } }).cause?.message ?? (err as Error).message;
      if (/lock/i.test(cause)) {
        throw new FatalError(FatalReason.DataDirLocked, `metadata store ${path} is in use by another process`);
      }
      throw new FatalError(FatalReason.StorageCorrupt, `cannot open metadata store ${path}: ${cause}`);
    }
    return new MetaStore(db);
  }

  get(key: string): string | undefined {
    if (this.pending.has(key)) return this.pending.get(key);
    return this.db.getSync(key) ?? undefined;
  }

  getJson<T>(key: string): T | undefined {
    const raw = this.get(key);
    return raw === undefined ? undefined : (JSON.parse(raw) as T);
  }

  /** Makes `ops` visible to reads now; `write` makes them durable. */
  stage(ops: readonly KvOp[]): void {
    for (const op of ops) this.pending.set(op.key, op.type === 'put' ? op.value : undefined);
  }

  /** Writes ops in one atomic batch; `sync` asks LevelDB to fsync its log before returning. */
  async write(ops: readonly KvOp[], sync: boolean): Promise<void> {
    if (ops.length === 0) return;
    try {
      await this.db.batch(ops as KvOp[], { sync });
    } catch (err) {
      throw new FsError(Errno.EIO, `metadata store write failed: ${(err as Error).message}`, { cause: err });
    }
    for (const op of ops) {
      // Only drop the overlay entry if no later stage replaced it meanwhile.
      const staged = this.pending.get(op.key);
      if (staged === (op.type === 'put' ? op.value : undefined)) this.pending.delete(op.key);
    }
  }

  /** Range scan over [gte, lt), bounded by `limit`. Sees written state, not the overlay. */
  async scan(gte: string, lt: string, limit: number): Promise<[string, string][]> {
    const out: [string, string][] = [];
    for await (const [k, v] of this.db.iterator({ gte, lt, limit })) out.push([k, v]);
    return out;
  }

  async *iterate(gte: string, lt: string): AsyncGenerator<[string, string]> {
    for await (const [k, v] of this.db.iterator({ gte, lt })) yield [k, v];
  }

  /** Deletes everything (before restoring a snapshot). */
  async clear(): Promise<void> {
    this.pending.clear();
    await this.db.clear();
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}

// The members' addresses, persisted in the node's data dir as `addresses.json` so that a restarted
// node can reach its peers before it has replayed the log. Sources, in order of authority: the
// address records replicated through the log (and snapshots), the founding peer list, and the
// sender address of incoming frames (kept in memory only, for a member not yet in the log here).
//
// Invariant: the file is replaced atomically (write to a temporary file, fsync, rename, fsync the
// directory), so a crash leaves the old book or the new one, never a torn one.

import { open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';

export class AddressBook {
  private readonly durable = new Map<number, string>();
  private readonly learned = new Map<number, string>();
  private dirty = false;

  private constructor(private readonly path: string) {}

  static async load(dir: string): Promise<AddressBook> {
    const book = new AddressBook(join(dir, 'addresses.json'));
    try {
      const v = JSON.parse(await readFile(book.path, 'utf8')) as [number, string][];
      for (const [id, address] of v) book.durable.set(id, address);
    } catch (err) {
      if ((err as { code?: string }).code !== 'ENOENT') throw err;
    }
    return book;
  }

  get(id: number): string | undefined {
    return this.durable.get(id) ?? this.learned.get(id);
  }

  /** Records an authoritative address (log, snapshot, founding peers); call `persist()` after. */
  set(id: number, address: string): boolean {
    if (this.durable.get(id) === address) return false;
    this.durable.set(id, address);
    this.learned.delete(id);
    this.dirty = true;
    return true;
  }

  /** Records an address a peer announced itself; never overrides an authoritative one. */
  learn(id: number, address: string): boolean {
    if (this.durable.has(id) || this.learned.get(id) === address) return false;
    this.learned.set(id, address);
    return true;
  }

  /** The authoritative entries (what snapshots carry). */
  entries(): ReadonlyMap<number, string> {
    return this.durable;
  }

  async persist(): Promise<void> {
    if (!this.dirty) return;
    this.dirty = false;
    const tmp = `${this.path}.tmp`;
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(JSON.stringify([...this.durable]));
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, this.path);
    const dir = await open(join(this.path, '..'), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }
}

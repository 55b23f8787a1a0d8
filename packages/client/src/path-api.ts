// The plain API for programs and the CLI: whole-file and directory helpers on absolute paths, built
// on the inode VFS. Each helper closes what it opens, so `writeFile` returns only once the data is
// stored on its replicas and committed.
import { constants as fsConstants } from 'node:fs';
import { Errno, FsError } from '@cairn/errors';
import { rootIno, type Ino } from '@cairn/meta';
import type { Attr } from './attr.js';
import type { CairnClient, DirEntry } from './client.js';
import { parentAndName, splitPath } from './names.js';

const ioBytes = 4 * 1024 * 1024;

export function stat(client: CairnClient, path: string): Promise<Attr> {
  return client.resolve(path);
}

async function parentIno(client: CairnClient, path: string): Promise<{ parent: Ino; name: string }> {
  const { parent, name } = parentAndName(path);
  const p = await client.resolve(parent);
  return { parent: p.ino, name };
}

export async function readFile(client: CairnClient, path: string): Promise<Buffer> {
  const attr = await client.resolve(path);
  const fh = await client.open(attr.ino, fsConstants.O_RDONLY);
  try {
    const parts: Buffer[] = [];
    for (let position = 0; ; ) {
      const chunk = await client.read(fh, position, ioBytes);
      if (chunk.length === 0) break;
      parts.push(chunk);
      position += chunk.length;
    }
    return Buffer.concat(parts);
  } finally {
    await client.release(fh);
  }
}

/** Creates or replaces the file's contents; resolves when the data is durable. */
export async function writeFile(client: CairnClient, path: string, data: Buffer | string, options: { mode?: number } = {}): Promise<Attr> {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  const { parent, name } = await parentIno(client, path);
  const { attr, fh } = await client.create(parent, name, options.mode ?? 0o644, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_TRUNC);
  let failed = true;
  try {
    for (let at = 0; at < bytes.length; at += ioBytes) await client.write(fh, at, bytes.subarray(at, Math.min(bytes.length, at + ioBytes)));
    failed = false;
  } finally {
    const closing = client.release(fh);
    if (failed) await closing.catch(() => {});
    else await closing;
  }
  return client.getattr(attr.ino);
}

/** mkdir -p: creates missing directories along the path; existing directories are fine. */
export async function mkdirp(client: CairnClient, path: string, mode = 0o755): Promise<Attr> {
  let ino = rootIno;
  let attr = await client.getattr(rootIno);
  for (const name of splitPath(path)) {
    try {
      attr = await client.lookup(ino, name);
    } catch (err) {
      if (!(err instanceof FsError) || err.errno !== Errno.ENOENT) throw err;
      try {
        attr = await client.mkdir(ino, name, mode);
      } catch (e) {
        if (!(e instanceof FsError) || e.errno !== Errno.EEXIST) throw e;
        attr = await client.lookup(ino, name);
      }
    }
    if ((attr.mode & 0o170000) !== 0o040000) throw new FsError(Errno.ENOTDIR, `${name} in ${path} is not a directory`);
    ino = attr.ino;
  }
  return attr;
}

export async function readdir(client: CairnClient, path: string): Promise<DirEntry[]> {
  const attr = await client.resolve(path);
  return client.readdir(attr.ino);
}

export async function unlink(client: CairnClient, path: string): Promise<void> {
  const { parent, name } = await parentIno(client, path);
  await client.unlink(parent, name);
}

export async function rmdir(client: CairnClient, path: string): Promise<void> {
  const { parent, name } = await parentIno(client, path);
  await client.rmdir(parent, name);
}

export async function rename(client: CairnClient, source: string, target: string): Promise<void> {
  const s = await parentIno(client, source);
  const t = await parentIno(client, target);
  await client.rename(s.parent, s.name, t.parent, t.name);
}

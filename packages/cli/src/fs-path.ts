// Turns a path given on the command line into an inode: a path inside a mounted Cairn file system
// (found in /proc/mounts) or a path from the file system's root (`/a/b`), looked up one component
// at a time through the master.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Errno, FsError } from '@cairn/errors';
import type { MetaClient, types } from '@cairn/rpc';

/** The path within the file system, with its mount point stripped when it lies under one. */
export function fsPathOf(arg: string): string {
  const abs = resolve(arg);
  let mounts: string[] = [];
  try {
    mounts = readFileSync('/proc/mounts', 'utf8')
      .split('\n')
      .map((l) => l.split(' '))
      .filter((f) => f[2] === 'fuse.cairn')
      .map((f) => (f[1] ?? '').replace(/\\040/g, ' '));
  } catch {
    // Not Linux, or no /proc: the path is taken as given.
  }
  const mount = mounts.filter((m) => abs === m || abs.startsWith(m + '/')).sort((a, b) => b.length - a.length)[0];
  if (mount) return abs.slice(mount.length) || '/';
  if (!arg.startsWith('/')) throw new FsError(Errno.EINVAL, `${arg} is not inside a Cairn mount (give a path from the file system's root, e.g. /dir/file)`);
  return arg;
}

export async function lookupPath(meta: MetaClient, path: string): Promise<types.Attr__Output> {
  let attr = (await meta.call<types.InoRequest, types.AttrReply__Output>('getAttr', { ino: 1 })).attr!;
  for (const name of path.split('/').filter(Boolean)) {
    try {
      attr = (await meta.call<types.LookupRequest, types.AttrReply__Output>('lookup', { parent: attr.ino, name })).attr!;
    } catch (err) {
      if (err instanceof FsError && err.errno === Errno.ENOENT) throw new FsError(Errno.ENOENT, `no such file: ${path}`);
      throw err;
    }
  }
  return attr;
}

/** Every entry below a directory, depth first, paged through ReadDir. */
export async function* walk(meta: MetaClient, dir: number): AsyncGenerator<types.DirEntry__Output> {
  let after = '';
  for (;;) {
    const page = await meta.call<types.ReadDirRequest, types.ReadDirReply__Output>('readDir', { ino: dir, after, limit: 1000 });
    for (const e of page.entries) {
      yield e;
      if ((e.mode & 0o170000) === 0o040000) yield* walk(meta, e.ino);
    }
    if (!page.more || page.entries.length === 0) return;
    after = page.entries[page.entries.length - 1]!.name;
  }
}

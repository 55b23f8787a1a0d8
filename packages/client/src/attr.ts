// Attributes as the client hands them out: decoded once from the wire, with branded inode numbers
// whose 64-bit values are asserted to be exact (rpc `safeId`).
import { Errno, FsError } from '@cairn/errors';
import type { Ino } from '@cairn/meta';
import { safeId } from '@cairn/rpc';
import type { types } from '@cairn/rpc';

export interface Attr {
  ino: Ino;
  /** File type bits and permission bits, as in st_mode. */
  mode: number;
  uid: number;
  gid: number;
  size: number;
  nlink: number;
  atimeMs: number;
  mtimeMs: number;
  ctimeMs: number;
  /** Nanoseconds within the millisecond of an explicitly set atime / mtime. */
  atimeNs: number;
  mtimeNs: number;
  rdev: number;
  goal: number;
  /** Directories: the parent directory's inode (the root's is itself); others: 0. */
  parent: Ino;
  /** Regular files without slices: small writes may go inline into the metadata. */
  inline: boolean;
}

export function attrFromWire(a: types.Attr__Output | null | undefined, context: string): Attr {
  if (!a) throw new FsError(Errno.EIO, `${context}: malformed reply (no attr)`);
  return {
    ino: safeId(a.ino, 'ino') as Ino,
    mode: a.mode,
    uid: a.uid,
    gid: a.gid,
    size: safeId(a.size, 'size'),
    nlink: a.nlink,
    atimeMs: a.atimeMs,
    mtimeMs: a.mtimeMs,
    ctimeMs: a.ctimeMs,
    atimeNs: a.atimeNs,
    mtimeNs: a.mtimeNs,
    rdev: a.rdev,
    goal: a.goal,
    parent: safeId(a.parent, 'parent') as Ino,
    inline: a.inline,
  };
}

// The metadata model's value types: inodes, directory entries, slices placed in chunks, sessions.
// Ids are 64-bit in the contract and safe integers here (asserted at decode); branded so that an
// inode number can never be passed where a slice id is expected.

export type Ino = number & { readonly __brand: 'Ino' };
export type SliceId = number & { readonly __brand: 'SliceId' };
export type SessionId = number & { readonly __brand: 'SessionId' };

export const rootIno = 1 as Ino;
/** A file's bytes are addressed in chunks of 64 MiB: chunk index = offset / chunkSizeBytes. */
export const chunkSizeBytes = 64 * 1024 * 1024;
export const nameLengthMaxBytes = 255;
export const symlinkLengthMaxBytes = 4095;
export const defaultGoal = 3;
/** Small files keep up to this many bytes inline in their inode (replicated by Raft). */
export const inlineBytesMax = 64 * 1024;
export const goalMax = 9;
/** Extended attributes: Linux's limits for one name and one value (XATTR_NAME_MAX, XATTR_SIZE_MAX). */
export const xattrNameMaxBytes = 255;
export const xattrValueMaxBytes = 64 * 1024;
/** All names and values of one inode together; past this, setxattr fails with ENOSPC. */
export const xattrTotalMaxBytes = 256 * 1024;
/** Largest file size: a safe integer of bytes, far beyond any disk. */
export const fileSizeMaxBytes = 2 ** 52;

// File type bits of st_mode (Linux stat.h).
export const S_IFMT = 0o170000;
export const S_IFSOCK = 0o140000;
export const S_IFLNK = 0o120000;
export const S_IFREG = 0o100000;
export const S_IFBLK = 0o060000;
export const S_IFDIR = 0o040000;
export const S_IFCHR = 0o020000;
export const S_IFIFO = 0o010000;
export const permissionBits = 0o7777;

export function isDir(mode: number): boolean {
  return (mode & S_IFMT) === S_IFDIR;
}
export function isReg(mode: number): boolean {
  return (mode & S_IFMT) === S_IFREG;
}
export function isSymlink(mode: number): boolean {
  return (mode & S_IFMT) === S_IFLNK;
}

export interface Inode {
  ino: Ino;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  nlink: number;
  /** Times are whole milliseconds since the epoch, plus the nanoseconds within the millisecond
   *  for a time set explicitly (utimensat keeps nanoseconds; the stamps of the leader's clock
   *  are milliseconds). */
  atimeMs: number;
  mtimeMs: number;
  ctimeMs: number;
  atimeNs?: number;
  mtimeNs?: number;
  rdev: number;
  goal: number;
  /** Directories: the parent directory (the root is its own parent). Others: 0. */
  parent: Ino;
  /** Directories: number of entries, so that rmdir's emptiness check is one read. */
  entries: number;
  /** Symlinks: the target. */
  target?: string;
  /**
   * Regular files: how many inline bytes the file has (kept under their own key, `n/`): the
   * lowest layer of chunk 0, which slices committed later cover. Written only while `chunked`
   * is false.
   */
  inlineBytes?: number;
  /** Regular files: some slice was ever committed, so writes go to slices from now on. */
  chunked?: boolean;
}

export interface DirEntry {
  ino: Ino;
  /** The file type bits of the target, so that readdir needs no inode reads. */
  type: number;
}

/** Bytes [offset, offset+length) of a chunk come from bytes [sliceOffset, ...) of slice `id`. */
export interface SliceRef {
  id: SliceId;
  offset: number;
  length: number;
  sliceOffset: number;
  /** Whole stored size of the slice. */
  sliceSize: number;
}

export interface Session {
  id: SessionId;
  clientName: string;
  host: string;
  pid: number;
  openedMs: number;
  expiresMs: number;
  /** Unlinked inodes this session keeps alive through open files. */
  sustained?: Ino[];
  /** Inodes on which this session holds advisory locks (dropped when it ends). */
  locked?: Ino[];
}

/** An inode's extended attributes: name -> base64 value. */
export type Xattrs = Record<string, string>;

/** A slice no longer referenced: it is deleted from chunkservers after a grace period. */
export interface GarbageSlice {
  id: SliceId;
  size: number;
  sinceMs: number;
}

export interface Counters {
  /** Ids at or below these were handed to a leader's allocator: never reuse them. */
  inoReserved: number;
  sliceReserved: number;
  sessionReserved: number;
}

export interface Stats {
  files: number;
  directories: number;
  symlinks: number;
  others: number;
  logicalBytes: number;
}

// Client-side input checks, done before any RPC so that a bad name or offset costs nothing and
// changes nothing: names (`/` or NUL -> EINVAL, over 255 bytes -> ENAMETOOLONG), offsets and
// lengths (negative or unsafe -> EINVAL), and absolute paths split into components.
import { Errno, FsError, errnoName } from '@cairn/errors';
import { fileSizeMaxBytes, nameErrno, symlinkTargetErrno, xattrNameErrno } from '@cairn/meta';

/** Throws the FsError for a bad directory-entry name. */
export function checkName(name: string): void {
  const errno = nameErrno(name);
  if (errno !== Errno.OK) throw new FsError(errno, `bad name ${JSON.stringify(name)}: ${errnoName(errno)}`);
}

/** Throws the FsError for a bad extended attribute name (empty, NUL, over 255 bytes). */
export function checkXattrName(name: string): void {
  const errno = xattrNameErrno(name);
  if (errno !== Errno.OK) throw new FsError(errno, `bad attribute name ${JSON.stringify(name)}: ${errnoName(errno)}`);
}

export function checkSymlinkTarget(target: string): void {
  const errno = symlinkTargetErrno(target);
  if (errno !== Errno.OK) throw new FsError(errno, `bad symlink target: ${errnoName(errno)}`);
}

/** A byte offset or size: a safe, non-negative integer no larger than the largest file. */
export function checkOffset(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 0) throw new FsError(Errno.EINVAL, `${what} must be a non-negative integer, got ${n}`);
  if (n > fileSizeMaxBytes) throw new FsError(Errno.EFBIG, `${what} ${n} is past the largest file size`);
}

/**
 * The components of an absolute path: `/a//b/` -> ['a', 'b']; `/` -> []. `.` components are
 * dropped; `..` is refused (EINVAL): paths reaching the client are already resolved by the kernel
 * or by the caller.
 */
export function splitPath(path: string): string[] {
  if (typeof path !== 'string' || !path.startsWith('/')) throw new FsError(Errno.EINVAL, `not an absolute path: ${JSON.stringify(path)}`);
  if (path.includes('\0')) throw new FsError(Errno.EINVAL, 'path contains NUL');
  const parts: string[] = [];
  for (const p of path.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') throw new FsError(Errno.EINVAL, `path has a '..' component: ${path}`);
    checkName(p);
    parts.push(p);
  }
  return parts;
}

/** Splits `/a/b/c` into its parent path `/a/b` and last name `c`; the root has no name (EINVAL). */
export function parentAndName(path: string): { parent: string; name: string } {
  const parts = splitPath(path);
  const name = parts.pop();
  if (name === undefined) throw new FsError(Errno.EINVAL, 'the root has no parent');
  return { parent: '/' + parts.join('/'), name };
}

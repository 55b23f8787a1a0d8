// Input checks shared by the master (before proposing) and the state machine (when applying, so
// that a malformed command changes nothing even if a check upstream was missed).
import { Errno } from '@cairn/errors';
import { nameLengthMaxBytes, symlinkLengthMaxBytes } from './types.js';

/** The errno for a bad directory-entry name, or OK. */
export function nameErrno(name: unknown): Errno {
  if (typeof name !== 'string' || name.length === 0) return Errno.EINVAL;
  if (name.includes('/') || name.includes('\0')) return Errno.EINVAL;
  if (name === '.' || name === '..') return Errno.EINVAL;
  if (utf8Length(name) > nameLengthMaxBytes) return Errno.ENAMETOOLONG;
  return Errno.OK;
}

export function symlinkTargetErrno(target: unknown): Errno {
  if (typeof target !== 'string' || target.length === 0) return Errno.ENOENT;
  if (target.includes('\0')) return Errno.EINVAL;
  if (utf8Length(target) > symlinkLengthMaxBytes) return Errno.ENAMETOOLONG;
  return Errno.OK;
}

export function isSafeId(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0;
}

export function isSafeCount(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}

/** UTF-8 length of a JS string, computed here so that the core needs no Node APIs. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

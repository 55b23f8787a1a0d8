// Tests the errno table against Linux's numbers and the toErrno fallback's mapping rules.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { AssertionFailed, Errno, FsError, errnoName, toErrno, assert as check } from '../src/index.js';

const table = suite('errno values');
table('match Linux asm-generic numbering', () => {
  assert.is(Errno.ENOENT, 2);
  assert.is(Errno.EEXIST, 17);
  assert.is(Errno.ENOTDIR, 20);
  assert.is(Errno.EISDIR, 21);
  assert.is(Errno.ENOSPC, 28);
  assert.is(Errno.ENAMETOOLONG, 36);
  assert.is(Errno.ENOTEMPTY, 39);
  assert.is(errnoName(39), 'ENOTEMPTY');
  assert.is(errnoName(9999), 'E#9999');
});
table.run();

const fallback = suite('toErrno');
fallback('keeps an FsError errno', () => {
  assert.is(toErrno(new FsError(Errno.EACCES, 'no')), Errno.EACCES);
});
fallback('maps node system errors by code', () => {
  const e = Object.assign(new Error('disk full'), { code: 'ENOSPC' });
  assert.is(toErrno(e), Errno.ENOSPC);
});
fallback('maps aborts to EINTR and the unknown to EIO', () => {
  const abort = Object.assign(new Error('aborted'), { name: 'AbortError' });
  assert.is(toErrno(abort), Errno.EINTR);
  assert.is(toErrno(new Error('weird')), Errno.EIO);
  assert.is(toErrno('string'), Errno.EIO);
});
fallback('rethrows assertion failures', () => {
  assert.throws(() => toErrno(new AssertionFailed('bug')), (e: unknown) => e instanceof AssertionFailed);
  assert.throws(() => check(false, 'why'), /why/);
});
fallback.run();

// Tests the client-side input checks: bad names, paths and offsets are refused with the right
// errno before any RPC (the negative space).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Errno, FsError } from '@cairn/errors';
import { checkName, checkOffset, parentAndName, splitPath } from '../src/names.js';
import { TtlCache } from '../src/ttl-cache.js';

function errnoOf(fn: () => unknown): number {
  try {
    fn();
  } catch (err) {
    assert.instance(err, FsError);
    return (err as FsError).errno;
  }
  return 0;
}

const names = suite('names');

names('slash, NUL, empty, dot and dot-dot are EINVAL', () => {
  for (const bad of ['a/b', 'a\0b', '', '.', '..']) assert.is(errnoOf(() => checkName(bad)), Errno.EINVAL, JSON.stringify(bad));
});

names('more than 255 bytes is ENAMETOOLONG, counted in UTF-8', () => {
  assert.is(errnoOf(() => checkName('a'.repeat(255))), 0);
  assert.is(errnoOf(() => checkName('a'.repeat(256))), Errno.ENAMETOOLONG);
  assert.is(errnoOf(() => checkName('é'.repeat(128))), Errno.ENAMETOOLONG);
});

names('offsets must be non-negative safe integers', () => {
  assert.is(errnoOf(() => checkOffset(-1, 'position')), Errno.EINVAL);
  assert.is(errnoOf(() => checkOffset(1.5, 'position')), Errno.EINVAL);
  assert.is(errnoOf(() => checkOffset(Number.NaN, 'position')), Errno.EINVAL);
  assert.is(errnoOf(() => checkOffset(2 ** 53, 'position')), Errno.EFBIG);
  assert.is(errnoOf(() => checkOffset(2 ** 62, 'size')), Errno.EFBIG, 'truncate(2^62) is EFBIG, as on Linux');
  assert.is(errnoOf(() => checkOffset(Infinity, 'position')), Errno.EINVAL);
  assert.is(errnoOf(() => checkOffset(2 ** 52 + 1, 'position')), Errno.EFBIG);
  assert.is(errnoOf(() => checkOffset(0, 'position')), 0);
});

const paths = suite('paths');

paths('absolute paths split into checked components', () => {
  assert.equal(splitPath('/'), []);
  assert.equal(splitPath('/a//b/./c/'), ['a', 'b', 'c']);
  assert.is(errnoOf(() => splitPath('a/b')), Errno.EINVAL);
  assert.is(errnoOf(() => splitPath('/a/../b')), Errno.EINVAL);
  assert.is(errnoOf(() => splitPath(`/${'x'.repeat(300)}`)), Errno.ENAMETOOLONG);
  assert.equal(parentAndName('/a/b/c'), { parent: '/a/b', name: 'c' });
  assert.equal(parentAndName('/c'), { parent: '/', name: 'c' });
  assert.is(errnoOf(() => parentAndName('/')), Errno.EINVAL);
});

const cache = suite('TtlCache');

cache('entries expire after the TTL and the oldest go past the bound', () => {
  let now = 0;
  const c = new TtlCache<string, number>(100, 2, () => now);
  c.set('a', 1);
  c.set('b', 2);
  now = 50;
  assert.is(c.get('a'), 1);
  c.set('c', 3);
  assert.is(c.size, 2);
  assert.is(c.get('a'), undefined);
  now = 200;
  assert.is(c.get('c'), undefined);
});

cache('a zero TTL caches nothing', () => {
  const c = new TtlCache<string, number>(0, 10);
  c.set('a', 1);
  assert.is(c.get('a'), undefined);
});

names.run();
paths.run();
cache.run();

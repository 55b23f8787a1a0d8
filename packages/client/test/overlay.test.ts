// Tests how reads assemble bytes: the process's own dirty extents laid over data from
// chunkservers (later extents win, as later commits do), holes reading as zeros, and the copies
// in and out of block lists. Pure: no network.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFromBlocks, copyFromPieces, copyToBlocks } from '../src/blocks.js';
import { overlayDirty, type DirtyExtent } from '../src/overlay.js';

function extent(fileOffset: number, text: string): DirtyExtent {
  const data = Buffer.from(text);
  return {
    fileOffset,
    length: data.length,
    copyOut: (from, target, at, n) => void data.copy(target, at, from, from + n),
  };
}

const overlay = suite('overlayDirty');

overlay('dirty bytes cover remote bytes; later extents cover earlier ones', () => {
  const target = Buffer.from('..........');
  overlayDirty([extent(2, 'aaaa'), extent(4, 'bb')], target, 0, 0, 10);
  assert.is(target.toString(), '..aabb....');
});

overlay('only the part inside the read range lands, at the right place', () => {
  const target = Buffer.from('-----');
  const furthest = overlayDirty([extent(0, 'abcdefgh')], target, 1, 3, 4);
  assert.is(target.toString(), '-defg');
  assert.is(furthest, 7);
});

overlay('extents outside the range change nothing', () => {
  const target = Buffer.from('xxxx');
  assert.is(overlayDirty([extent(10, 'zz'), extent(0, 'y')], target, 0, 4, 4), 4);
  assert.is(target.toString(), 'xxxx');
});

const pieces = suite('copyFromPieces');

pieces('holes between and after pieces read as zeros', () => {
  const target = Buffer.alloc(8, 0x2e);
  copyFromPieces([{ offset: 1, data: Buffer.from('ab') }, { offset: 5, data: Buffer.from('c') }], 0, target, 0, 8);
  assert.equal([...target], [0, 0x61, 0x62, 0, 0, 0x63, 0, 0]);
});

pieces('a window into the middle of the range', () => {
  const target = Buffer.alloc(3);
  copyFromPieces([{ offset: 0, data: Buffer.from('abcdef') }], 2, target, 0, 3);
  assert.is(target.toString(), 'cde');
});

const blocks = suite('block lists');

blocks('bytes copied into blocks come back out unchanged across block edges', () => {
  const list = [Buffer.alloc(4), Buffer.alloc(4), Buffer.alloc(4)];
  const src = Buffer.from('0123456789');
  copyToBlocks(list, 4, 1, src, 0, 10);
  const out = Buffer.alloc(10);
  copyFromBlocks(list, 4, 1, out, 0, 10);
  assert.is(out.toString(), '0123456789');
  assert.is(list[1]?.toString(), '3456');
});

overlay.run();
pieces.run();
blocks.run();

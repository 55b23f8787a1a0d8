// Tests the pure write planning: where each byte of a write goes relative to the open slice, when
// slices are sealed (non-sequential write, size limit, chunk boundary) and how many buffer blocks
// a plan needs. Small limits stand in for 16 MiB slices and 64 MiB chunks.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { blocksNeeded, planWrite, type WriteStep } from '../src/write-plan.js';

const limits = { sliceBytesMax: 16, chunkBytes: 64 };

function show(steps: WriteStep[]): string {
  return steps
    .map((s) => (s.kind === 'seal' ? 'seal' : s.kind === 'start' ? `start ${s.chunkIndex}:${s.chunkOffset}` : `copy ${s.sourceOffset}->${s.sliceOffset}+${s.length}`))
    .join('\n');
}

const plan = suite('planWrite');

plan('the first write opens a slice where it lands', () => {
  assert.fixture(show(planWrite(null, 5, 4, limits)), 'start 0:5\ncopy 0->0+4');
});

plan('a sequential write extends the open slice', () => {
  assert.fixture(show(planWrite({ chunkIndex: 0, chunkOffset: 5, length: 4 }, 9, 3, limits)), 'copy 0->4+3');
});

plan('an overwrite inside the open slice patches it in place', () => {
  assert.fixture(show(planWrite({ chunkIndex: 0, chunkOffset: 0, length: 10 }, 2, 3, limits)), 'copy 0->2+3');
});

plan('a write elsewhere seals the open slice and opens a new one', () => {
  assert.fixture(show(planWrite({ chunkIndex: 0, chunkOffset: 0, length: 10 }, 40, 2, limits)), 'seal\nstart 0:40\ncopy 0->0+2');
  assert.fixture(show(planWrite({ chunkIndex: 0, chunkOffset: 4, length: 4 }, 2, 2, limits)), 'seal\nstart 0:2\ncopy 0->0+2');
});

plan('a slice that reaches the size limit is sealed at once', () => {
  assert.fixture(show(planWrite({ chunkIndex: 0, chunkOffset: 0, length: 10 }, 10, 10, limits)), 'copy 0->10+6\nseal\nstart 0:16\ncopy 6->0+4');
});

plan('a write across a chunk boundary splits into one slice per chunk', () => {
  assert.fixture(show(planWrite(null, 60, 8, limits)), 'start 0:60\ncopy 0->0+4\nseal\nstart 1:0\ncopy 4->0+4');
});

plan('a slice of the same offset in another chunk is not the open one', () => {
  assert.fixture(show(planWrite({ chunkIndex: 0, chunkOffset: 0, length: 4 }, 64 + 4, 1, limits)), 'seal\nstart 1:4\ncopy 0->0+1');
});

plan('an empty write plans nothing', () => {
  assert.equal(planWrite({ chunkIndex: 0, chunkOffset: 0, length: 4 }, 100, 0, limits), []);
});

plan('every byte is placed exactly once, in order', () => {
  const steps = planWrite({ chunkIndex: 0, chunkOffset: 50, length: 3 }, 53, 100, limits);
  let next = 0;
  for (const s of steps) {
    if (s.kind !== 'copy') continue;
    assert.is(s.sourceOffset, next);
    assert.ok(s.length > 0 && s.sliceOffset + s.length <= limits.sliceBytesMax);
    next += s.length;
  }
  assert.is(next, 100);
});

plan('negative positions are bugs here (the VFS refuses them earlier)', () => {
  assert.throws(() => planWrite(null, -1, 1, limits), /negative/);
});

const blocks = suite('blocksNeeded');

blocks('counts new blocks for growth, none for in-place overwrites', () => {
  const open = { chunkIndex: 0, chunkOffset: 0, length: 10 };
  assert.is(blocksNeeded(open, 3, planWrite(open, 2, 3, limits), 4), 0);
  assert.is(blocksNeeded(open, 3, planWrite(open, 10, 3, limits), 4), 1);
  assert.is(blocksNeeded(null, 0, planWrite(null, 0, 9, limits), 4), 3);
});

blocks('a seal starts counting afresh for the new slice', () => {
  const open = { chunkIndex: 0, chunkOffset: 0, length: 10 };
  // 6 bytes fill the slice to 16 (4 blocks of 4: one more), then 4 bytes open a new one (1 block).
  assert.is(blocksNeeded(open, 3, planWrite(open, 10, 10, limits), 4), 2);
});

plan.run();
blocks.run();

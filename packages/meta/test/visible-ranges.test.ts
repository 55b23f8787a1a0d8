// Checks visibleRanges against a byte-by-byte reference model on random slice layouts.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type SliceId, type SliceRef, visibleRanges } from '../src/index.js';

const ranges = suite('visibleRanges');
ranges('later slices cover earlier ones; holes are reported', () => {
  const slices: SliceRef[] = [
    { id: 1 as SliceId, offset: 0, length: 100, sliceOffset: 0, sliceSize: 100 },
    { id: 2 as SliceId, offset: 50, length: 20, sliceOffset: 0, sliceSize: 20 },
    { id: 3 as SliceId, offset: 200, length: 10, sliceOffset: 5, sliceSize: 15 },
  ];
  assert.equal(visibleRanges(slices, 40, 200), [
    { offset: 40, length: 10, slice: { id: 1, sliceOffset: 40, sliceSize: 100 } },
    { offset: 50, length: 20, slice: { id: 2, sliceOffset: 0, sliceSize: 20 } },
    { offset: 70, length: 30, slice: { id: 1, sliceOffset: 70, sliceSize: 100 } },
    { offset: 100, length: 100 },
    { offset: 200, length: 10, slice: { id: 3, sliceOffset: 5, sliceSize: 15 } },
    { offset: 210, length: 30 },
  ]);
});
ranges('matches a byte-level model (seeded)', () => {
  let seed = 12345;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  console.log('SEED=12345');
  for (let round = 0; round < 300; round++) {
    const size = 64;
    const slices: SliceRef[] = [];
    const model: (string | null)[] = new Array(size).fill(null);
    for (let i = 0; i < rand(6); i++) {
      const offset = rand(size);
      const length = 1 + rand(size - offset);
      const sliceOffset = rand(4);
      slices.push({ id: (i + 1) as SliceId, offset, length, sliceOffset, sliceSize: sliceOffset + length });
      for (let b = offset; b < offset + length; b++) model[b] = `${i + 1}:${sliceOffset + b - offset}`;
    }
    const from = rand(size);
    const len = rand(size - from + 1);
    const got: (string | null)[] = [];
    let cursor = from;
    for (const r of visibleRanges(slices, from, len)) {
      assert.is(r.offset, cursor);
      for (let b = 0; b < r.length; b++) got.push(r.slice ? `${r.slice.id}:${r.slice.sliceOffset + b}` : null);
      cursor += r.length;
    }
    assert.equal(got, model.slice(from, from + len));
  }
});
ranges.run();

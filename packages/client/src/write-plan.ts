// Where the bytes of one write() go, as a pure plan over the file's open slice. A slice lies in one
// chunk and is at most `sliceBytesMax`; a write that lands inside or right at the end of the open
// slice (same chunk, within the size limit) is copied into it, so sequential writes grow one slice
// and overwrites of its recent bytes patch it in place. Any other write seals the open slice and
// opens a new one where the write lands. A slice that reaches the size limit or its chunk's end
// is sealed at once, so that its upload starts while writing continues.
import { assert } from '@cairn/errors';

/** The open (unsealed) slice: it covers bytes [chunkOffset, chunkOffset + length) of its chunk. */
export interface OpenSliceShape {
  chunkIndex: number;
  chunkOffset: number;
  length: number;
}

export type WriteStep =
  /** Seal the open slice and start its upload. */
  | { kind: 'seal' }
  /** Open a new, empty slice at this place. */
  | { kind: 'start'; chunkIndex: number; chunkOffset: number }
  /** Copy `length` bytes of the write, from `sourceOffset`, to `sliceOffset` of the open slice. */
  | { kind: 'copy'; sourceOffset: number; sliceOffset: number; length: number };

export interface WriteLimits {
  sliceBytesMax: number;
  chunkBytes: number;
}

export function planWrite(open: OpenSliceShape | null, position: number, length: number, limits: WriteLimits): WriteStep[] {
  assert(position >= 0 && length >= 0, 'planWrite: negative position or length');
  assert(limits.sliceBytesMax > 0 && limits.sliceBytesMax <= limits.chunkBytes, 'planWrite: slice limit');
  const steps: WriteStep[] = [];
  let cur = open ? { ...open } : null;
  let done = 0;
  while (done < length) {
    const pos = position + done;
    const chunkIndex = Math.floor(pos / limits.chunkBytes);
    const chunkOffset = pos - chunkIndex * limits.chunkBytes;
    if (cur) {
      const fits =
        cur.chunkIndex === chunkIndex &&
        chunkOffset >= cur.chunkOffset &&
        chunkOffset <= cur.chunkOffset + cur.length &&
        chunkOffset - cur.chunkOffset < limits.sliceBytesMax;
      if (!fits) {
        steps.push({ kind: 'seal' });
        cur = null;
      }
    }
    if (!cur) {
      steps.push({ kind: 'start', chunkIndex, chunkOffset });
      cur = { chunkIndex, chunkOffset, length: 0 };
    }
    const sliceOffset = chunkOffset - cur.chunkOffset;
    const room = Math.min(limits.sliceBytesMax - sliceOffset, limits.chunkBytes - chunkOffset);
    assert(room > 0, 'planWrite: no room in the open slice');
    const n = Math.min(room, length - done);
    steps.push({ kind: 'copy', sourceOffset: done, sliceOffset, length: n });
    cur.length = Math.max(cur.length, sliceOffset + n);
    done += n;
    if (cur.length === limits.sliceBytesMax || cur.chunkOffset + cur.length === limits.chunkBytes) {
      steps.push({ kind: 'seal' });
      cur = null;
    }
  }
  return steps;
}

/** How many more blocks of `blockBytes` the open slice needs to carry out `steps`. */
export function blocksNeeded(open: OpenSliceShape | null, heldBlocks: number, steps: readonly WriteStep[], blockBytes: number): number {
  let need = 0;
  let held = open ? heldBlocks : 0;
  let length = open ? open.length : 0;
  for (const s of steps) {
    if (s.kind === 'seal') {
      held = 0;
      length = 0;
    } else if (s.kind === 'start') {
      held = 0;
      length = 0;
    } else {
      length = Math.max(length, s.sliceOffset + s.length);
      const want = Math.ceil(length / blockBytes);
      if (want > held) {
        need += want - held;
        held = want;
      }
    }
  }
  return need;
}

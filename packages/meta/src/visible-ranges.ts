// Which bytes of which slice are visible in a byte range of a chunk. A chunk's slices are kept in
// commit order and a later slice covers an earlier one where they overlap, so the visible ranges
// are the result of laying the slices down one after another. Gaps are holes: they read as zeros.
import type { SliceRef, SliceId } from './types.js';
import { assert } from '@cairn/errors';

export interface VisibleRange {
  /** Offset within the chunk. */
  offset: number;
  length: number;
  /** Absent for a hole. */
  slice?: { id: SliceId; sliceOffset: number; sliceSize: number };
}

/**
 * The visible ranges of `[offset, offset + length)` of a chunk, in offset order, covering the
 * whole query exactly (holes included).
 */
export function visibleRanges(slices: readonly SliceRef[], offset: number, length: number): VisibleRange[] {
  assert(offset >= 0 && length >= 0, 'visibleRanges: negative range');
  const end = offset + length;
  let ranges: VisibleRange[] = length > 0 ? [{ offset, length }] : [];
  for (const s of slices) {
    const sStart = Math.max(s.offset, offset);
    const sEnd = Math.min(s.offset + s.length, end);
    if (sStart >= sEnd) continue;
    const next: VisibleRange[] = [];
    for (const r of ranges) {
      const rEnd = r.offset + r.length;
      if (rEnd <= sStart || r.offset >= sEnd) {
        next.push(r);
        continue;
      }
      if (r.offset < sStart) next.push(cut(r, r.offset, sStart));
      if (rEnd > sEnd) next.push(cut(r, sEnd, rEnd));
    }
    next.push({
      offset: sStart,
      length: sEnd - sStart,
      slice: { id: s.id, sliceOffset: s.sliceOffset + (sStart - s.offset), sliceSize: s.sliceSize },
    });
    next.sort((a, b) => a.offset - b.offset);
    ranges = next;
  }
  return mergeHoles(ranges);
}

function cut(r: VisibleRange, from: number, to: number): VisibleRange {
  const out: VisibleRange = { offset: from, length: to - from };
  if (r.slice) out.slice = { id: r.slice.id, sliceOffset: r.slice.sliceOffset + (from - r.offset), sliceSize: r.slice.sliceSize };
  return out;
}

function mergeHoles(ranges: VisibleRange[]): VisibleRange[] {
  const out: VisibleRange[] = [];
  for (const r of ranges) {
    const last = out[out.length - 1];
    if (last && !last.slice && !r.slice && last.offset + last.length === r.offset) last.length += r.length;
    else out.push(r);
  }
  return out;
}

/**
 * The chunk's slice list after cutting it at `size` bytes into the chunk (truncate): refs past
 * the cut go, a ref across it is shortened. Returns the new list and the slice ids no longer
 * referenced by it.
 */
export function truncateSlices(slices: readonly SliceRef[], size: number): { kept: SliceRef[]; dropped: SliceRef[] } {
  const kept: SliceRef[] = [];
  for (const s of slices) {
    if (s.offset >= size) continue;
    kept.push(s.offset + s.length > size ? { ...s, length: size - s.offset } : s);
  }
  const keptIds = new Set(kept.map((s) => s.id));
  const droppedIds = new Set<SliceId>();
  const dropped: SliceRef[] = [];
  for (const s of slices) {
    if (!keptIds.has(s.id) && !droppedIds.has(s.id)) {
      droppedIds.add(s.id);
      dropped.push(s);
    }
  }
  return { kept, dropped };
}

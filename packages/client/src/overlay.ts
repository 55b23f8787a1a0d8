// A process sees its own unflushed writes: the dirty extents of a file (slices written but not yet
// committed, in write order) are laid over data read from chunkservers. Later extents cover
// earlier ones, exactly as later committed slices cover earlier ones, because commits keep the
// write order: every dirty extent is newer than everything committed.

export interface DirtyExtent {
  /** Byte offset of the extent in the file. */
  fileOffset: number;
  length: number;
  /** Copies bytes [from, from+n) of the extent into target at targetOffset. */
  copyOut(from: number, target: Buffer, targetOffset: number, n: number): void;
}

/**
 * Lays `extents` (oldest first) over `target`, which holds the file's bytes
 * [position, position + length). Returns the end (file offset) of the furthest extent byte that
 * landed, or `position` when none did.
 */
export function overlayDirty(extents: Iterable<DirtyExtent>, target: Buffer, targetOffset: number, position: number, length: number): number {
  const end = position + length;
  let furthest = position;
  for (const x of extents) {
    const s = Math.max(x.fileOffset, position);
    const e = Math.min(x.fileOffset + x.length, end);
    if (s >= e) continue;
    x.copyOut(s - x.fileOffset, target, targetOffset + (s - position), e - s);
    furthest = Math.max(furthest, e);
  }
  return furthest;
}

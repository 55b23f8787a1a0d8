// Byte ranges kept as lists of fixed-size blocks (write buffers) or of received frames (read
// data), and the copies between them and flat buffers. Blocks avoid growing a buffer by copying,
// and a slice's blocks go on the wire as its data frames without another copy.

/** Copies `length` bytes starting at `from` of a block list into `target` at `targetOffset`. */
export function copyFromBlocks(blocks: readonly Buffer[], blockBytes: number, from: number, target: Buffer, targetOffset: number, length: number): void {
  let done = 0;
  while (done < length) {
    const at = from + done;
    const block = blocks[Math.floor(at / blockBytes)] as Buffer;
    const inBlock = at % blockBytes;
    const n = Math.min(blockBytes - inBlock, length - done);
    block.copy(target, targetOffset + done, inBlock, inBlock + n);
    done += n;
  }
}

/** Copies `length` bytes of `source` (from `sourceOffset`) into a block list at byte `to`. */
export function copyToBlocks(blocks: readonly Buffer[], blockBytes: number, to: number, source: Buffer, sourceOffset: number, length: number): void {
  let done = 0;
  while (done < length) {
    const at = to + done;
    const block = blocks[Math.floor(at / blockBytes)] as Buffer;
    const inBlock = at % blockBytes;
    const n = Math.min(blockBytes - inBlock, length - done);
    source.copy(block, inBlock, sourceOffset + done, sourceOffset + done + n);
    done += n;
  }
}

/** A piece of received data at an offset of some range; gaps between pieces are holes (zeros). */
export interface Piece {
  offset: number;
  data: Buffer;
}

/**
 * Fills `target[targetOffset, +length)` with bytes [from, from+length) of a range made of
 * `pieces`: zeros where no piece lies (holes), piece bytes elsewhere.
 */
export function copyFromPieces(pieces: readonly Piece[], from: number, target: Buffer, targetOffset: number, length: number): void {
  target.fill(0, targetOffset, targetOffset + length);
  const end = from + length;
  for (const p of pieces) {
    const s = Math.max(p.offset, from);
    const e = Math.min(p.offset + p.data.length, end);
    if (s >= e) continue;
    p.data.copy(target, targetOffset + (s - from), s - p.offset, e - p.offset);
  }
}

// Branded ids of the chunkserver: a slice id and a server (node) id are both 64-bit integers on
// the wire, and mixing them up is a bug the type checker should catch. Decoding from the wire
// goes through `sliceIdFrom`/`nodeIdFrom`, which reject anything that is not a safe positive
// integer as EINVAL (bad input, not a bug): ids are never truncated (DESIGN.md, Metadata model).
import { Errno, ErrorCode, FsError } from '@cairn/errors';

export type SliceId = number & { readonly __brand: 'SliceId' };
export type NodeId = number & { readonly __brand: 'NodeId' };

function positiveId(n: unknown, what: string): number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n <= 0) {
    throw new FsError(Errno.EINVAL, `${what} is not a valid id: ${String(n)}`, { code: ErrorCode.BadInput });
  }
  return n;
}

export function sliceIdFrom(n: unknown, what = 'slice id'): SliceId {
  return positiveId(n, what) as SliceId;
}

export function nodeIdFrom(n: unknown, what = 'server id'): NodeId {
  return positiveId(n, what) as NodeId;
}

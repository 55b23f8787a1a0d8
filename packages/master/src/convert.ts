// Conversions between the metadata model and the wire messages.
import { type Inode, type RequestHeader, type SessionId, type SliceRef, isReg } from '@cairn/meta';
import type { types } from '@cairn/rpc';

export function toAttr(inode: Inode): types.Attr {
  return {
    ino: inode.ino,
    mode: inode.mode,
    uid: inode.uid,
    gid: inode.gid,
    size: inode.size,
    nlink: inode.nlink,
    atimeMs: inode.atimeMs,
    mtimeMs: inode.mtimeMs,
    ctimeMs: inode.ctimeMs,
    atimeNs: inode.atimeNs ?? 0,
    mtimeNs: inode.mtimeNs ?? 0,
    rdev: inode.rdev,
    goal: inode.goal,
    parent: inode.parent,
    inline: isReg(inode.mode) && !inode.chunked,
  };
}

export function toSliceRef(s: SliceRef): types.SliceRef {
  return { sliceId: s.id, offset: s.offset, length: s.length, sliceOffset: s.sliceOffset, sliceSize: s.sliceSize };
}

/** The request header of a mutation; requests without one are not de-duplicated. */
export function fromHeader(h: types.RequestHeader__Output | null): RequestHeader | undefined {
  if (!h || !h.sessionId || !h.requestId) return undefined;
  return { sessionId: h.sessionId as SessionId, requestId: h.requestId };
}

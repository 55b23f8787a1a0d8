// The key schema of the metadata store, the one place it is written down. Numbers are 16 hex
// digits (or 8 for chunk indexes) so that LevelDB's byte order is numeric order.
//
//   i/<ino>                     -> Inode
//   d/<parent>/<name>           -> DirEntry        (ordered by name: readdir is one range scan)
//   c/<ino>/<chunkIndex>        -> SliceRef[]      (commit order; later slices cover earlier)
//   n/<ino>                     -> base64 string   (inline bytes of a small file)
//   x/<ino>                     -> Xattrs          (name -> base64 value; one key: listxattr is one read)
//   l/<ino>                     -> FileLock[]      (advisory locks held on the inode)
//   s/<session>                 -> Session
//   r/<session>/<requestId>     -> Reply           (recent replies, for exactly-once retries)
//   o/<session>/<ino>           -> 1               (unlinked inode kept alive by an open file)
//   g/<slice>                   -> GarbageSlice    (to delete from chunkservers)
//   m/counters                  -> Counters
//   m/stats                     -> Stats
//   m/applied                   -> last applied log index (written by the host in the same batch)
import type { Ino, SessionId, SliceId } from './types.js';

export function hex16(n: number): string {
  return n.toString(16).padStart(16, '0');
}
function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}

export const keys = {
  inode: (ino: Ino) => `i/${hex16(ino)}`,
  entry: (parent: Ino, name: string) => `d/${hex16(parent)}/${name}`,
  /** Bounds of a directory's entries, for range scans: [start, end). */
  entriesStart: (parent: Ino) => `d/${hex16(parent)}/`,
  entriesEnd: (parent: Ino) => `d/${hex16(parent)}0`, // '0' is the byte after '/'.
  inline: (ino: Ino) => `n/${hex16(ino)}`,
  chunk: (ino: Ino, index: number) => `c/${hex16(ino)}/${hex8(index)}`,
  chunksStart: (ino: Ino) => `c/${hex16(ino)}/`,
  chunksEnd: (ino: Ino) => `c/${hex16(ino)}0`,
  xattrs: (ino: Ino) => `x/${hex16(ino)}`,
  locks: (ino: Ino) => `l/${hex16(ino)}`,
  session: (id: SessionId) => `s/${hex16(id)}`,
  reply: (session: SessionId, requestId: number) => `r/${hex16(session)}/${hex16(requestId)}`,
  repliesStart: (session: SessionId) => `r/${hex16(session)}/`,
  repliesEnd: (session: SessionId) => `r/${hex16(session)}0`,
  sustained: (session: SessionId, ino: Ino) => `o/${hex16(session)}/${hex16(ino)}`,
  sustainedStart: (session: SessionId) => `o/${hex16(session)}/`,
  sustainedEnd: (session: SessionId) => `o/${hex16(session)}0`,
  garbage: (id: SliceId) => `g/${hex16(id)}`,
  garbageStart: 'g/',
  garbageEnd: 'g0',
  counters: 'm/counters',
  stats: 'm/stats',
  applied: 'm/applied',
  inodesStart: 'i/',
  inodesEnd: 'i0',
  sessionsStart: 's/',
  sessionsEnd: 's0',
  allChunksStart: 'c/',
  allChunksEnd: 'c0',
} as const;

/** Parses the name part of an entry key. */
export function entryName(key: string): string {
  return key.slice(2 + 16 + 1);
}
/** Parses the inode number of a `c/` key. */
export function chunkKeyIno(key: string): Ino {
  return parseInt(key.slice(2, 18), 16) as Ino;
}
export function chunkKeyIndex(key: string): number {
  return parseInt(key.slice(19), 16);
}
export function sustainedKeyIno(key: string): Ino {
  return parseInt(key.slice(2 + 16 + 1), 16) as Ino;
}

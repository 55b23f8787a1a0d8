// The commands of the metadata state machine, as proposed to the log. Everything that must be
// the same on every replica is stamped into the command by the leader when it proposes: the time
// (`nowMs`), new inode numbers, session ids. Applying never reads a clock or a random source.
import type { Ino, Inode, SessionId, SliceId, SliceRef } from './types.js';
import type { Errno } from '@cairn/errors';
import type { LockRequest } from './locks.js';

/** Identifies a client request for exactly-once application. Absent for internal commands. */
export interface RequestHeader {
  sessionId: SessionId;
  requestId: number;
}

/** Bits of SetAttr's mask: which fields apply. */
export const SetAttrMask = {
  mode: 1,
  uid: 2,
  gid: 4,
  size: 8,
  atime: 16,
  mtime: 32,
  atimeNow: 64,
  mtimeNow: 128,
  goal: 256,
} as const;

export const RenameFlags = { noReplace: 1, exchange: 2 } as const;

/** setxattr(2) flags. */
export const XattrFlags = { create: 1, replace: 2 } as const;

export type Command =
  | { op: 'init'; nowMs: number }
  | {
      op: 'create';
      header?: RequestHeader;
      parent: Ino;
      name: string;
      mode: number;
      uid: number;
      gid: number;
      rdev: number;
      target: string;
      exclusive: boolean;
      ino: Ino;
      nowMs: number;
    }
  | { op: 'link'; header?: RequestHeader; ino: Ino; parent: Ino; name: string; nowMs: number }
  | {
      op: 'unlink';
      header?: RequestHeader;
      parent: Ino;
      name: string;
      directory: boolean;
      /** The caller still has the file open: keep the inode until it releases it. */
      sustain: boolean;
      nowMs: number;
    }
  | {
      op: 'rename';
      header?: RequestHeader;
      sourceParent: Ino;
      sourceName: string;
      targetParent: Ino;
      targetName: string;
      flags: number;
      sustain: boolean;
      nowMs: number;
    }
  | {
      op: 'setattr';
      header?: RequestHeader;
      ino: Ino;
      mask: number;
      mode: number;
      uid: number;
      gid: number;
      size: number;
      atimeMs: number;
      mtimeMs: number;
      /** Nanoseconds within the millisecond of an explicit atime / mtime (0..999999). */
      atimeNs?: number;
      mtimeNs?: number;
      goal?: number;
      nowMs: number;
    }
  | {
      op: 'commitSlices';
      header?: RequestHeader;
      ino: Ino;
      slices: { chunkIndex: number; ref: SliceRef }[];
      size: number;
      mtimeMs: number;
      nowMs: number;
    }
  | {
      op: 'writeInline';
      header?: RequestHeader;
      ino: Ino;
      offset: number;
      /** base64 */
      data: string;
      mtimeMs: number;
      nowMs: number;
    }
  | { op: 'release'; header?: RequestHeader; ino: Ino; nowMs: number }
  | {
      op: 'setxattr';
      header?: RequestHeader;
      ino: Ino;
      name: string;
      /** base64 */
      value: string;
      /** XattrFlags bits */
      flags: number;
      nowMs: number;
    }
  | { op: 'removexattr'; header?: RequestHeader; ino: Ino; name: string; nowMs: number }
  /** flock(2) or fcntl(2) lock or unlock; the reply is EAGAIN when another owner's lock conflicts. */
  | ({ op: 'lock'; header?: RequestHeader; ino: Ino } & Omit<LockRequest, 'session'>)
  | { op: 'openSession'; sessionId: SessionId; clientName: string; host: string; pid: number; leaseMs: number; nowMs: number }
  | { op: 'renewSession'; sessionId: SessionId; leaseMs: number; nowMs: number }
  | { op: 'closeSession'; sessionId: SessionId; nowMs: number }
  | { op: 'expireSession'; sessionId: SessionId; nowMs: number }
  | { op: 'reserveIds'; inoUpTo: number; sliceUpTo: number; sessionUpTo: number }
  | { op: 'forgetGarbage'; ids: SliceId[] }
  /** Replicas no file references (never committed, or left by a lost server): to delete. */
  | { op: 'markGarbage'; slices: { id: SliceId; size: number }[]; nowMs: number };

export type CommandOp = Command['op'];

export interface Reply {
  errno: Errno;
  attr?: Inode;
  ino?: Ino;
}

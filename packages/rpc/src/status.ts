// errno <-> reply status. Every reply carries a Status with a Linux errno; transport failures
// (unreachable, deadline) become errnos here too, so no caller ever parses an error's text.
import * as grpc from '@grpc/grpc-js';
import { AssertionFailed, Errno, ErrorCode, FsError, errnoName, isErrno, toErrno } from '@cairn/errors';
import type { Status } from './gen/cairn/Status.js';
import type { Status__Output } from './gen/cairn/Status.js';

export const ok: Status = { errno: 0, message: '', notLeader: false, leaderHint: '' };

export function errorStatus(errno: Errno, message: string): Status {
  return { errno, message, notLeader: false, leaderHint: '' };
}

/** Turns anything a handler threw into a reply status; bugs (assertions) still crash. */
export function statusFromError(err: unknown): Status {
  if (err instanceof AssertionFailed) throw err;
  if (err instanceof NotLeaderError) return { errno: Errno.EAGAIN, message: err.message, notLeader: true, leaderHint: err.leaderHint };
  const errno = toErrno(err);
  const message = err instanceof Error ? err.message : String(err);
  return { errno, message, notLeader: false, leaderHint: '' };
}

/** Thrown by a master that is not the leader; the reply tells the caller where to go. */
export class NotLeaderError extends FsError {
  constructor(readonly leaderHint: string) {
    super(Errno.EAGAIN, leaderHint ? `not the leader; leader is ${leaderHint}` : 'not the leader; no leader known', {
      code: ErrorCode.NotLeader,
    });
  }
}

/** Throws the FsError a non-OK status stands for; a missing status is a malformed reply. */
export function checkStatus(status: Status__Output | null | undefined, context: string): void {
  if (!status) throw new FsError(Errno.EIO, `${context}: malformed reply (no status)`);
  if (status.notLeader) throw new NotLeaderError(status.leaderHint);
  if (status.errno === 0) return;
  const errno = isErrno(status.errno) ? status.errno : Errno.EIO;
  throw new FsError(errno, status.message || `${context}: ${errnoName(errno)}`);
}

/** Maps a grpc-js call error to an FsError with an errno and a stable code. */
export function fromGrpcError(err: unknown, context: string): FsError {
  if (err instanceof FsError) return err;
  const e = err as { code?: number; details?: string; message?: string };
  switch (e.code) {
    case grpc.status.DEADLINE_EXCEEDED:
      return new FsError(Errno.ETIMEDOUT, `${context}: deadline exceeded`, { code: ErrorCode.Timeout, cause: err });
    case grpc.status.UNAVAILABLE:
      return new FsError(Errno.EIO, `${context}: unreachable (${e.details ?? 'unavailable'})`, {
        code: ErrorCode.Unavailable,
        cause: err,
      });
    case grpc.status.RESOURCE_EXHAUSTED:
      return new FsError(Errno.EIO, `${context}: message too large`, { cause: err });
    case grpc.status.INVALID_ARGUMENT:
      return new FsError(Errno.EINVAL, `${context}: ${e.details ?? 'invalid argument'}`, { cause: err });
    default:
      return new FsError(Errno.EIO, `${context}: ${e.details ?? e.message ?? String(err)}`, { cause: err });
  }
}

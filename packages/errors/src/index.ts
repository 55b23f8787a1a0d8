// Errors shared by every Cairn package: the Linux errno values that cross every boundary, the
// FsError that async layers throw, the one fallback that turns anything into an errno, and the
// assertions that stay on in production. Pure: no node:* imports, so cores may use it.

/** Linux errno values (asm-generic/errno-base.h and errno.h). The numbers are the contract. */
export enum Errno {
  OK = 0,
  EPERM = 1,
  ENOENT = 2,
  EINTR = 4,
  EIO = 5,
  ENXIO = 6,
  E2BIG = 7,
  EBADF = 9,
  EAGAIN = 11,
  ENOMEM = 12,
  EACCES = 13,
  EFAULT = 14,
  EBUSY = 16,
  EEXIST = 17,
  EXDEV = 18,
  ENODEV = 19,
  ENOTDIR = 20,
  EISDIR = 21,
  EINVAL = 22,
  ENFILE = 23,
  EMFILE = 24,
  ETXTBSY = 26,
  EFBIG = 27,
  ENOSPC = 28,
  ESPIPE = 29,
  EROFS = 30,
  EMLINK = 31,
  ERANGE = 34,
  EDEADLK = 35,
  ENAMETOOLONG = 36,
  ENOLCK = 37,
  ENOSYS = 38,
  ENOTEMPTY = 39,
  ELOOP = 40,
  ENODATA = 61,
  ETIME = 62,
  EOVERFLOW = 75,
  EBADMSG = 74,
  EOPNOTSUPP = 95,
  ECONNREFUSED = 111,
  ETIMEDOUT = 110,
  EHOSTUNREACH = 113,
  ESTALE = 116,
  EDQUOT = 122,
  ECANCELED = 125,
}

const errnoNames = new Map<number, string>(
  Object.entries(Errno)
    .filter(([, v]) => typeof v === 'number')
    .map(([k, v]) => [v as number, k]),
);

/** The symbolic name of an errno, e.g. `ENOENT`; unknown numbers print as `E#<n>`. */
export function errnoName(errno: number): string {
  return errnoNames.get(errno) ?? `E#${errno}`;
}

/** True when `n` is an errno this package knows. Used to validate numbers read off the wire. */
export function isErrno(n: unknown): n is Errno {
  return typeof n === 'number' && errnoNames.has(n);
}

/**
 * Stable error codes for the CLI and for programs using the client library, in the style of
 * undici/fastify: a code never changes meaning once released; the message may improve.
 */
export const ErrorCode = {
  NotLeader: 'CAIRN_ERR_NOT_LEADER',
  Unavailable: 'CAIRN_ERR_UNAVAILABLE',
  Timeout: 'CAIRN_ERR_TIMEOUT',
  BadInput: 'CAIRN_ERR_BAD_INPUT',
  Fs: 'CAIRN_ERR_FS',
  Config: 'CAIRN_ERR_CONFIG',
  Corrupt: 'CAIRN_ERR_CORRUPT',
  NoSpace: 'CAIRN_ERR_NO_SPACE',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface FsErrorOptions {
  code?: ErrorCode;
  hint?: string;
  cause?: unknown;
}

/** The error every async layer throws for a failure a user can cause. Carries its errno. */
export class FsError extends Error {
  readonly errno: Errno;
  readonly code: ErrorCode;
  readonly hint: string | undefined;

  constructor(errno: Errno, message: string, options: FsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FsError';
    this.errno = errno;
    this.code = options.code ?? ErrorCode.Fs;
    this.hint = options.hint;
  }

  /** One line for the CLI: `ENOENT: no such file: /a/b (hint)`. */
  oneLine(): string {
    const hint = this.hint ? ` (${this.hint})` : '';
    return `${errnoName(this.errno)}: ${this.message}${hint}`;
  }
}

/** Thrown (never caught) when an invariant is broken: a bug, so the process must stop. */
export class AssertionFailed extends Error {
  constructor(message: string) {
    super(`assertion failed: ${message}`);
    this.name = 'AssertionFailed';
  }
}

export function assert(cond: unknown, why: string): asserts cond {
  if (!cond) throw new AssertionFailed(why);
}

/** For the default branch of an exhaustive switch over a tagged union. */
export function unreachable(x: never, why = 'unreachable'): never {
  throw new AssertionFailed(`${why}: ${JSON.stringify(x)}`);
}

/** Documents that both outcomes of `cond` are expected; does nothing. */
export function maybe(_cond: unknown): void {}

type Logger = { error(obj: unknown, msg?: string): void };
let fallbackLogger: Logger | undefined;
const loggedOnce = new WeakSet<object>();

/** Lets a process route the one-time log of unexpected errors (see `toErrno`) to its logger. */
export function setUnexpectedErrorLogger(logger: Logger | undefined): void {
  fallbackLogger = logger;
}

/**
 * The single fallback from anything thrown to an errno (JuiceFS `errno()`): an FsError gives its
 * own, an abort gives EINTR, an AssertionFailed is rethrown (bugs must crash), and anything else
 * is logged once with its stack and becomes EIO.
 */
export function toErrno(err: unknown): Errno {
  if (err instanceof FsError) return err.errno;
  if (err instanceof AssertionFailed) throw err;
  if (typeof err === 'object' && err !== null) {
    const e = err as { name?: unknown; errno?: unknown; code?: unknown };
    if (e.name === 'AbortError') return Errno.EINTR;
    // Node's own fs errors carry a negative errno and a symbolic code.
    if (typeof e.code === 'string' && e.code in Errno && typeof Errno[e.code as keyof typeof Errno] === 'number') {
      return Errno[e.code as keyof typeof Errno];
    }
    if (!loggedOnce.has(err)) {
      loggedOnce.add(err);
      fallbackLogger?.error({ err }, 'unexpected error mapped to EIO');
    }
  }
  return Errno.EIO;
}

/** Maps a node:fs / system error (`{code: 'ENOSPC'}`) to an FsError, keeping the cause. */
export function fsErrorFrom(err: unknown, context: string): FsError {
  if (err instanceof FsError) return err;
  const errno = toErrno(err);
  const msg = err instanceof Error ? err.message : String(err);
  return new FsError(errno, `${context}: ${msg}`, { cause: err });
}

/** Fixed exit codes for the reasons a process may have to stop (TigerBeetle `fatal`). */
export enum FatalReason {
  Config = 2,
  DataDirLocked = 3,
  PortInUse = 4,
  StorageCorrupt = 5,
  Unreachable = 6,
  MountFailed = 7,
}

export class FatalError extends Error {
  constructor(readonly reason: FatalReason, message: string) {
    super(message);
    this.name = 'FatalError';
  }
}

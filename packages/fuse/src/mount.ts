// The mount lifecycle: check the mount point, connect the client, mount through the binding with
// the options that decide speed (FACTS.md: big_writes and max_write=131072 give 128 KiB writes
// instead of 4 KiB ones; attr/entry timeouts and auto_cache let the kernel answer repeated stats
// and re-reads itself), keep the event loop alive while mounted (the binding unrefs its handles),
// and unmount cleanly: flush open files, unmount, close the session. The binding's per-op timeout
// is off: a backpressured write legitimately waits longer than its 15 s default.
//
// Attributes are not cached by the kernel (attr_timeout=0; the client keeps its own short cache,
// so a stat is a FUSE round trip but no RPC). The reason is hard links: libfuse 2's path-based API
// gives every name its own kernel inode, and Linux only refreshes the attributes of the name a
// link() or unlink() went through, so the other names of a file would show a stale st_nlink for
// the whole cache time — and tar and cp -a, which detect hard links by st_nlink, copy them as
// separate files. Measured: stat through 4 directories ~2-3x slower than with attr_timeout=1.
//
// Permissions on a multi-user system: the mount uses `default_permissions`, so the kernel checks
// every access against the mode bits and owners Cairn reports, with the calling process's uid,
// gid and supplementary groups (generic_permission: owner/group/other, sticky directories, chown
// and chmod rules in setattr_prepare) — exactly as for ext4, and without a FUSE round trip per
// check. Cairn's handlers still decide what the kernel cannot: the owner of new inodes (the
// caller's uid, the caller's or a setgid parent's gid), and they re-check chown/chmod/utimens.
// When mounted by root the mount also uses `allow_other`: otherwise the kernel refuses every
// other user, which defeats a shared file system. `use_ino` makes st_ino the Cairn inode number
// (libfuse would otherwise number inodes itself), stable across lookups and clients.
//
// Locks: flock(2) and fcntl(2) byte-range locks go to the binding's flock and lock ops (so the
// kernel forwards them instead of keeping them per machine) and on to the master, which
// arbitrates them for every client of the cluster (locks.ts).
//
// Pitfall: the process serving a mount must never touch it with synchronous fs calls (deadlock);
// everything here that looks at the mount point does so before mounting, asynchronously.
import { createRequire } from 'node:module';
import { readFile, stat } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import { Errno, ErrorCode, FsError, fsErrorFrom } from '@cairn/errors';
import { CairnClient, type CairnClientOptions, type Logger, silentLogger } from '@cairn/client';
import { type FuseOps, makeHandlers } from './handlers.js';
import { type LockWaitOptions, MountLocks } from './locks.js';

export interface MountOptions extends CairnClientOptions {
  mountPoint: string;
  logger?: Logger;
  /** Kernel attribute and entry cache timeouts, in seconds. Default 0 for attributes (see the
   *  header: hard links), 1 for entries. */
  attrTimeoutS?: number;
  entryTimeoutS?: number;
  /** Let other users see the mount (needs user_allow_other in /etc/fuse.conf for non-root). Default: when root. */
  allowOther?: boolean;
  /** Let the kernel check mode bits with the caller's credentials. Default true. */
  defaultPermissions?: boolean;
  /** How blocked lock requests wait (poll pace, how many at once). */
  lockWaits?: LockWaitOptions;
  /** Extra `-o` options, appended as given. */
  fuseOptions?: string[];
  /** libfuse debug output on stderr. */
  debugFuse?: boolean;
  /** Unmount on SIGINT/SIGTERM, then exit (0 after a clean unmount, 1 otherwise). Default true. */
  handleSignals?: boolean;
  /** How long to wait for the kernel to answer the mount. Default 10 s. */
  mountTimeoutMs?: number;
}

export interface CairnMount {
  readonly mountPoint: string;
  readonly client: CairnClient;
  /** Flushes open files, unmounts, closes the session. Idempotent. */
  unmount(): Promise<void>;
}

interface FuseInstance {
  mount(cb: (err: Error | null) => void): void;
  unmount(cb: (err: Error | null) => void): void;
}
type FuseCtor = new (mnt: string, ops: FuseOps, opts: Record<string, unknown>) => FuseInstance & { _fuseOptions(): string };

function loadBinding(): FuseCtor {
  try {
    return createRequire(import.meta.url)('@cocalc/fuse-native') as FuseCtor;
  } catch (err) {
    throw new FsError(Errno.ENODEV, 'the FUSE binding @cocalc/fuse-native is not built', {
      code: ErrorCode.Config,
      hint: 'install libfuse-dev and pkg-config, then run pnpm rebuild @cocalc/fuse-native',
      cause: err,
    });
  }
}

/** The option string additions the binding has no option for. */
export function extraFuseOptions(options: Pick<MountOptions, 'attrTimeoutS' | 'entryTimeoutS' | 'fuseOptions'>): string[] {
  return [
    'use_ino',
    'big_writes',
    'max_write=131072',
    'max_read=131072',
    `attr_timeout=${options.attrTimeoutS ?? 0}`,
    `entry_timeout=${options.entryTimeoutS ?? 1}`,
    'auto_cache',
    'fsname=cairn',
    'subtype=cairn',
    ...(options.fuseOptions ?? []),
  ];
}

/** Joins the binding's `-o...` string with more options. */
export function appendFuseOptions(base: string, extra: readonly string[]): string {
  if (extra.length === 0) return base;
  return base ? `${base},${extra.join(',')}` : `-o${extra.join(',')}`;
}

/** Decodes the octal escapes (`\040` for a space) of /proc/self/mountinfo fields. */
function unescapeMountinfo(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

export function mountPointsOf(mountinfo: string): Set<string> {
  const out = new Set<string>();
  for (const line of mountinfo.split('\n')) {
    const field = line.split(' ')[4];
    if (field) out.add(unescapeMountinfo(field));
  }
  return out;
}

/** Checks that `path` can be mounted on; returns it resolved. One clear FsError otherwise. */
export async function checkMountPoint(path: string): Promise<string> {
  const mnt = resolvePath(path);
  let st;
  try {
    st = await stat(mnt);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT') throw new FsError(Errno.ENOENT, `mount point ${mnt} does not exist`, { code: ErrorCode.Config });
    if (code === 'ENOTCONN') {
      throw new FsError(Errno.EBUSY, `mount point ${mnt} is a dead FUSE mount`, { code: ErrorCode.Config, hint: `fusermount -uz ${mnt}` });
    }
    throw fsErrorFrom(err, `mount point ${mnt}`);
  }
  if (!st.isDirectory()) throw new FsError(Errno.ENOTDIR, `mount point ${mnt} is not a directory`, { code: ErrorCode.Config });
  const info = await readFile('/proc/self/mountinfo', 'utf8').catch(() => '');
  if (mountPointsOf(info).has(mnt)) {
    throw new FsError(Errno.EBUSY, `${mnt} is already a mount point`, { code: ErrorCode.Config, hint: `unmount it first: fusermount -u ${mnt}` });
  }
  return mnt;
}

export async function mountCairn(options: MountOptions): Promise<CairnMount> {
  const logger = options.logger ?? silentLogger;
  const mountPoint = await checkMountPoint(options.mountPoint);
  const Fuse = loadBinding();
  const client = await CairnClient.connect({ ...options, logger });
  const extra = extraFuseOptions(options);

  class CairnFuse extends Fuse {
    override _fuseOptions(): string {
      return appendFuseOptions(super._fuseOptions(), extra);
    }
  }

  const handlers = makeHandlers(client, { locks: new MountLocks(client, options.lockWaits) });
  const fuse = new CairnFuse(mountPoint, handlers, {
    timeout: false,
    debug: options.debugFuse ?? false,
    allowOther: options.allowOther ?? process.getuid?.() === 0,
    defaultPermissions: options.defaultPermissions ?? true,
  });

  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new FsError(Errno.ETIMEDOUT, `mounting ${mountPoint} timed out`, { code: ErrorCode.Config })),
        options.mountTimeoutMs ?? 10_000,
      );
      fuse.mount((err) => {
        clearTimeout(timer);
        if (err) reject(new FsError(Errno.EIO, `mounting ${mountPoint} failed: ${err.message}`, { code: ErrorCode.Config, cause: err }));
        else resolve();
      });
    });
  } catch (err) {
    await client.close().catch(() => {});
    throw err;
  }
  // The binding unrefs its handles: without this the process would exit under a live mount.
  const keepAlive = setInterval(() => {}, 1 << 30);
  logger.info({ mountPoint, sessionId: client.sessionId }, `mounted cairn on ${mountPoint}`);

  let unmounting: Promise<void> | undefined;
  const unmount = (): Promise<void> => {
    unmounting ??= (async () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      try {
        await client.flushAll();
      } catch (err) {
        logger.error({ err }, `flushing open files before unmount failed: ${(err as Error).message}`);
      }
      try {
        await new Promise<void>((resolve, reject) => fuse.unmount((err) => (err ? reject(err) : resolve())));
        logger.info({ mountPoint }, `unmounted ${mountPoint}`);
      } finally {
        clearInterval(keepAlive);
        await client.close();
      }
    })();
    return unmounting;
  };

  const onSignal = (signal: NodeJS.Signals): void => {
    logger.info({ signal }, `${signal}: unmounting ${mountPoint}`);
    unmount().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, `unmount of ${mountPoint} failed: ${(err as Error).message}`);
        process.exit(1);
      },
    );
  };
  if (options.handleSignals ?? true) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }

  return { mountPoint, client, unmount };
}

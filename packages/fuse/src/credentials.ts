// The caller's identity and the ownership rules that depend on it. The patched binding hands every
// operation a FuseContext read with fuse_get_context() in the FUSE thread (uid, gid, pid, umask).
// Supplementary groups are not in it: they are read from /proc/<pid>/status (`Groups:`), only when
// a rule needs them, because that read costs a file open per call.
//
// Mode bits on ordinary operations (open, unlink, search) are enforced by the kernel: the mount uses
// `default_permissions` (see mount.ts). What the kernel cannot decide is who owns a new inode — that
// is the file system's job (Linux inode_init_owner) — so it is done here. chown/chmod/utimens are
// checked here too, with Linux's rules (chown_ok, chgrp_ok, setattr_prepare), so that the answers
// are right even without `default_permissions`.
import { readFile } from 'node:fs/promises';
import { Errno } from '@cairn/errors';
import type { Attr, Owner } from '@cairn/client';

/** What the patched binding passes after each callback. */
export interface FuseContext {
  uid: number;
  gid: number;
  /** 0 for requests the kernel makes on its own behalf. */
  pid: number;
  umask: number;
}

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_ISUID = 0o4000;
const S_ISGID = 0o2000;
const S_IXGRP = 0o0010;

export function isRoot(ctx: FuseContext): boolean {
  return ctx.uid === 0;
}

/** The `Groups:` line of /proc/<pid>/status, as numbers; empty when it cannot be read. */
export function parseProcGroups(status: string): number[] {
  const line = status.split('\n').find((l) => l.startsWith('Groups:'));
  if (!line) return [];
  return line
    .slice('Groups:'.length)
    .trim()
    .split(/\s+/)
    .filter((s) => s.length > 0)
    .map(Number)
    .filter((n) => Number.isSafeInteger(n) && n >= 0);
}

export type GroupReader = (pid: number) => Promise<number[]>;

/** Reads the caller's supplementary groups. The process may be gone already: then none. */
export const procGroups: GroupReader = async (pid) => {
  if (pid <= 0) return [];
  try {
    return parseProcGroups(await readFile(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return [];
  }
};

/** Linux in_group_p: the caller's fsgid or one of its supplementary groups. */
export async function inGroup(ctx: FuseContext, gid: number, groups: GroupReader): Promise<boolean> {
  if (ctx.gid === gid) return true;
  return (await groups(ctx.pid)).includes(gid);
}

/**
 * Owner and final mode of a new inode (Linux inode_init_owner): the caller's uid; the parent's
 * gid if the parent is setgid (and then new directories are setgid too), the caller's gid
 * otherwise; a non-directory that would be setgid and group-executable in a group the caller is
 * not in loses S_ISGID unless the caller is root.
 */
export async function newInodeOwner(
  ctx: FuseContext,
  parent: Pick<Attr, 'mode' | 'gid'>,
  mode: number,
  groups: GroupReader,
): Promise<{ owner: Owner; mode: number }> {
  let gid = ctx.gid;
  let out = mode;
  if (parent.mode & S_ISGID) {
    gid = parent.gid;
    if ((mode & S_IFMT) === S_IFDIR) out |= S_ISGID;
    else if ((out & (S_ISGID | S_IXGRP)) === (S_ISGID | S_IXGRP) && !isRoot(ctx) && !(await inGroup(ctx, gid, groups))) out &= ~S_ISGID;
  }
  return { owner: { uid: ctx.uid, gid }, mode: out };
}

/**
 * The setattr changes of chown(uid, gid) (undefined: leave alone), or an errno. Linux chown_ok:
 * only root changes the owner (the owner may "change" it to itself); chgrp_ok: the owner may
 * set a group it is in, root any group.
 */
export async function chownChanges(
  ctx: FuseContext,
  attr: Pick<Attr, 'uid' | 'gid'>,
  uid: number | undefined,
  gid: number | undefined,
  groups: GroupReader,
): Promise<{ uid?: number; gid?: number } | { errno: Errno }> {
  const changes: { uid?: number; gid?: number } = {};
  if (uid !== undefined) changes.uid = uid;
  if (gid !== undefined) changes.gid = gid;
  if (isRoot(ctx)) return changes;
  if (uid !== undefined && !(ctx.uid === attr.uid && uid === attr.uid)) return { errno: Errno.EPERM };
  if (gid !== undefined) {
    if (ctx.uid !== attr.uid) return { errno: Errno.EPERM };
    if (gid !== attr.gid && !(await inGroup(ctx, gid, groups))) return { errno: Errno.EPERM };
  }
  return changes;
}

/** chmod: only the owner or root; a non-root caller outside the file's group cannot set S_ISGID. */
/**
 * The mode a write by `ctx` leaves on a file, when it must drop S_ISGID that the kernel leaves
 * alone: Linux clears a setgid bit without group-execute when the writer is neither in the file's
 * group nor privileged (setattr_should_drop_sgid); the FUSE module only handles the group-execute
 * case. Undefined when nothing changes.
 */
export async function modeAfterWrite(ctx: FuseContext, attr: Pick<Attr, 'mode' | 'gid'>, groups: GroupReader): Promise<number | undefined> {
  if (!(attr.mode & S_ISGID) || attr.mode & S_IXGRP || isRoot(ctx)) return undefined;
  if (await inGroup(ctx, attr.gid, groups)) return undefined;
  return attr.mode & 0o7777 & ~S_ISGID;
}

export async function chmodMode(
  ctx: FuseContext,
  attr: Pick<Attr, 'uid' | 'gid' | 'mode'>,
  mode: number,
  groups: GroupReader,
): Promise<number | { errno: Errno }> {
  const bits = mode & 0o7777;
  if (isRoot(ctx)) return bits;
  // A write by someone other than the owner makes the kernel clear setuid/setgid (file_remove_privs)
  // through a forced setattr that arrives here as a chmod from the writer: it only removes bits.
  const removed = attr.mode & 0o7777 & ~bits;
  if (ctx.uid !== attr.uid && (attr.mode & 0o7777 & ~removed) === bits && removed !== 0 && (removed & ~(S_ISUID | S_ISGID)) === 0) return bits;
  if (ctx.uid !== attr.uid) return { errno: Errno.EPERM };
  if (bits & S_ISGID && !(await inGroup(ctx, attr.gid, groups))) return bits & ~S_ISGID;
  return bits;
}

/** access(2) mask bits. */
export const R_OK = 4;
export const W_OK = 2;
export const X_OK = 1;

/**
 * Whether the caller may access the inode with `mask` (Linux generic_permission without ACLs):
 * root passes everything except executing a file with no x bit at all.
 */
export async function permits(ctx: FuseContext, attr: Pick<Attr, 'mode' | 'uid' | 'gid'>, mask: number, groups: GroupReader): Promise<boolean> {
  const want = mask & 7;
  if (isRoot(ctx)) {
    if (!(want & X_OK) || (attr.mode & S_IFMT) === S_IFDIR) return true;
    return (attr.mode & 0o111) !== 0;
  }
  let bits: number;
  if (ctx.uid === attr.uid) bits = (attr.mode >> 6) & 7;
  else if (await inGroup(ctx, attr.gid, groups)) bits = (attr.mode >> 3) & 7;
  else bits = attr.mode & 7;
  return (bits & want) === want;
}

/**
 * utimensat(2): setting explicit times needs the owner (or root); setting both to "now" also
 * works with write permission.
 */
export async function utimensAllowed(
  ctx: FuseContext,
  attr: Pick<Attr, 'mode' | 'uid' | 'gid'>,
  explicit: boolean,
  groups: GroupReader,
): Promise<Errno | undefined> {
  if (isRoot(ctx) || ctx.uid === attr.uid) return undefined;
  if (explicit) return Errno.EPERM;
  return (await permits(ctx, attr, W_OK, groups)) ? undefined : Errno.EACCES;
}

export const modeBits = { S_ISUID, S_ISGID, S_IXGRP, S_IFDIR, S_IFMT };

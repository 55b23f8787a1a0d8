// Cairn's FUSE adapter: the operations object that translates FUSE calls to the client VFS (the
// only place errnos become `cb(-errno)`), and the mount lifecycle.
export { makeHandlers, toFuseStat, toFuseStatFs, ioBlockBytes, utimensChanges, fuseTimeToMs } from './handlers.js';
export type { FuseOps, FuseStat, FuseStatFs, FuseTime, HandlerOptions, Vfs } from './handlers.js';
export { newInodeOwner, chownChanges, chmodMode, permits, parseProcGroups, procGroups } from './credentials.js';
export type { FuseContext, GroupReader } from './credentials.js';
export { MountLocks, LOCK_SH, LOCK_EX, LOCK_NB, LOCK_UN, F_GETLK, F_SETLK, F_SETLKW, F_RDLCK, F_WRLCK, F_UNLCK } from './locks.js';
export type { FuseFlock, LockWaitOptions } from './locks.js';
export { mountCairn, checkMountPoint, extraFuseOptions, appendFuseOptions, mountPointsOf } from './mount.js';
export type { MountOptions, CairnMount } from './mount.js';

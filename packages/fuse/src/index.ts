// Cairn's FUSE adapter: the operations object that translates FUSE calls to the client VFS (the
// only place errnos become `cb(-errno)`), and the mount lifecycle.
export { makeHandlers, toFuseStat, toFuseStatFs, ioBlockBytes } from './handlers.js';
export type { FuseOps, FuseStat, FuseStatFs, Vfs } from './handlers.js';
export { mountCairn, checkMountPoint, extraFuseOptions, appendFuseOptions, mountPointsOf } from './mount.js';
export type { MountOptions, CairnMount } from './mount.js';

// Cairn's client library: the VFS over inodes used by the FUSE adapter and by programs (no FUSE
// types here), its caches, file writer and reader, and a plain path API.
export { CairnClient } from './client.js';
export type { CairnClientOptions, DirEntry, AttrChanges, StatFs, Owner } from './client.js';
export type { Attr } from './attr.js';
export type { Logger } from './logger.js';
export { silentLogger } from './logger.js';
export { checkName, checkOffset, splitPath, parentAndName } from './names.js';
export { lockWire, type LockRequestArgs, type HeldLock } from './locks.js';
export * as paths from './path-api.js';
// Pure pieces, exported for tests and tools.
export { planWrite, blocksNeeded, type WriteStep, type OpenSliceShape } from './write-plan.js';
export { overlayDirty, type DirtyExtent } from './overlay.js';
export { placeOn } from './slice-allocator.js';

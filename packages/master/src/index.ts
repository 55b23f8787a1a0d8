// The Cairn metadata master: a host loop over the pure state machine in @cairn/meta, LevelDB
// storage, the Meta gRPC service, and chunkserver soft state.
export { startMaster, type Master, type MasterOptions } from './master.js';
export { MetaStore } from './store.js';
export { MetaHost } from './host.js';
export { Chunkservers } from './chunkservers.js';

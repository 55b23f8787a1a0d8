// Cairn's RPC layer: the contracts in proto/, loaded and typed; server and client helpers with
// deadlines, bounded jittered retry, leader redirect, and errno <-> status in every reply.
export * from './proto.js';
export * from './options.js';
export * from './status.js';
export * from './server.js';
export * from './call.js';
export * from './meta-client.js';
export type * from './gen/meta.js';
export * as types from './types.js';

// Cairn's metadata state machine: the model, the key schema, the commands, and the pure
// apply(view, command) that every master runs on committed log entries.
export * from './types.js';
export * from './keys.js';
export * from './commands.js';
export * from './validate.js';
export * from './apply.js';
export * from './visible-ranges.js';
export * from './base64.js';
export * from './locks.js';

// The tiny logger interface the core writes to. The host adapts it to pino (or anything); the
// transcript tests capture it into their expected output.
//
// Levels follow the house style: state transitions at info ("2 became leader at term 7"),
// per-message detail at debug, surprising-but-survivable events at warn.

export interface Logger {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
}

/** Discards everything; the default when no logger is given. */
export const silentLogger: Logger = Object.freeze({
  debug() {},
  info() {},
  warn() {},
});

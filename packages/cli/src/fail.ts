// The CLI's single way out on error: one clear line on stderr, and an exit code per reason.
import { FatalError, FsError } from '@cairn/errors';

export function describe(err: unknown): string {
  if (err instanceof FsError) return err.oneLine();
  if (err instanceof FatalError) return err.message;
  if (err instanceof Error) return err.message.split('\n')[0] ?? String(err);
  return String(err);
}

export function exitCode(err: unknown): number {
  if (err instanceof FatalError) return err.reason;
  return 1;
}

export function die(err: unknown): never {
  process.stderr.write(`cairn: ${describe(err)}\n`);
  process.exit(exitCode(err));
}


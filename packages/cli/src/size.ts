// Parses sizes such as 512M, 20G, 1T (binary units) for command-line flags.
import { Errno, FsError } from '@cairn/errors';

const units: Record<string, number> = { '': 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 };

export function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?$/i.exec(s.trim());
  const unit = m ? units[(m[2] ?? '').toUpperCase()] : undefined;
  if (!m || unit === undefined) throw new FsError(Errno.EINVAL, `bad size ${JSON.stringify(s)} (expected e.g. 512M, 20G)`);
  return Math.floor(Number(m[1]) * unit);
}

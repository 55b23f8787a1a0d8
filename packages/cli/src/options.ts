// Options every role shares. Each flag falls back to a CAIRN_* environment variable (yargs .env).
import type { Argv } from 'yargs';

export interface Common {
  log?: string;
  logLevel: string;
}

export function commonOptions<T>(y: Argv<T>) {
  return y
    .option('log', { type: 'string', describe: 'Write the JSON log to this file (default: stderr)' })
    .option('log-level', { type: 'string', default: 'info', choices: ['debug', 'info', 'warn', 'error'] });
}

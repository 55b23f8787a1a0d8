#!/usr/bin/env node
// The `cairn` command: one binary with a subcommand per role (master, chunkserver, mount) and the
// verbs that run a local cluster (up, down, status). Flags fall back to CAIRN_* variables.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { adminCommand } from './commands/admin.js';
import { chunkserverCommand } from './commands/chunkserver.js';
import { fileCommand, fsckCommand, goalCommand } from './commands/data.js';
import { downCommand } from './commands/down.js';
import { healthCommand } from './commands/health.js';
import { masterCommand } from './commands/master.js';
import { mountCommand } from './commands/mount.js';
import { statusCommand } from './commands/status.js';
import { upCommand } from './commands/up.js';
import { die } from './fail.js';

// fsyncs and LevelDB writes run on libuv's pool; 4 threads cap concurrent syncs (FACTS.md). The
// pool starts on first use, which no import makes, so setting it here still takes effect.
process.env.UV_THREADPOOL_SIZE ??= '16';

process.on('unhandledRejection', (err) => die(err));

await yargs(hideBin(process.argv))
  .scriptName('cairn')
  .env('CAIRN')
  .command(masterCommand)
  .command(chunkserverCommand)
  .command(mountCommand)
  .command(upCommand)
  .command(downCommand)
  .command(statusCommand)
  .command(healthCommand)
  .command(adminCommand)
  .command(goalCommand)
  .command(fsckCommand)
  .command(fileCommand)
  .demandCommand(1, 'name a command (see cairn --help)')
  .strict()
  .fail((msg, err) => die(err ?? new Error(msg)))
  .help()
  .parseAsync()
  .catch(die);

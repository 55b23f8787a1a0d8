// `cairn mount`: mounts the file system at a directory and serves it until SIGINT/SIGTERM (or
// SIGTERM), then flushes open files and unmounts cleanly.
import type { CommandModule } from 'yargs';
import { mountCairn } from '@cairn/fuse';
import { setUnexpectedErrorLogger } from '@cairn/errors';
import { resolveMasters } from '../cluster-file.js';
import { processLogger } from '../logger.js';
import { announceReady, untilSignal } from '../process-util.js';
import { commonOptions, type Common } from '../options.js';

interface Args extends Common {
  mountpoint: string;
  masters?: string;
  data: string;
  metaTimeoutMs?: number;
  attrTimeout?: number;
}

export const mountCommand: CommandModule<object, Args> = {
  command: 'mount <mountpoint>',
  describe: 'Mount Cairn at a directory',
  builder: (y) =>
    commonOptions(y)
      .positional('mountpoint', { type: 'string', demandOption: true })
      .option('masters', { type: 'string', describe: 'Master addresses (default: from the cluster under --data)' })
      .option('data', { type: 'string', default: '.cairn', describe: 'Cluster directory written by `cairn up`' })
      .option('meta-timeout-ms', {
        type: 'number',
        describe: 'How long a metadata call keeps retrying while no master leads before failing with EIO (default 30000)',
      })
      .option('attr-timeout', {
        type: 'number',
        describe: 'Seconds the kernel may cache attributes (default 0: exact link counts across hard links; 1 is faster for stat-heavy work)',
      }) as never,
  handler: async (args) => {
    const masters = await resolveMasters(args.masters, args.data);
    const logger = processLogger('mount', args.mountpoint, args.logLevel, args.log);
    setUnexpectedErrorLogger(logger);
    const mount = await mountCairn({
      mountPoint: args.mountpoint,
      masters,
      logger,
      handleSignals: false,
      ...(args.metaTimeoutMs !== undefined ? { retryBudgetMs: args.metaTimeoutMs } : {}),
      ...(args.attrTimeout !== undefined ? { attrTimeoutS: args.attrTimeout } : {}),
    });
    announceReady({ role: 'mount', path: args.mountpoint, pid: process.pid });
    await untilSignal();
    await mount.unmount();
    logger.flush();
    process.exit(0);
  },
};

// `cairn chunkserver`: runs one chunkserver until SIGINT/SIGTERM.
import type { CommandModule } from 'yargs';
import { startChunkserver } from '@cairn/chunkserver';
import { setUnexpectedErrorLogger } from '@cairn/errors';
import { parseList } from '../cluster-file.js';
import { processLogger } from '../logger.js';
import { announceReady, untilSignal } from '../process-util.js';
import { commonOptions, type Common } from '../options.js';
import { parseSize } from '../size.js';

interface Args extends Common {
  data: string;
  masters: string;
  host: string;
  port: number;
  capacity?: string;
  scrubRate?: string;
  replicationRate?: string;
  fenceAfterMs?: number;
}

export const chunkserverCommand: CommandModule<object, Args> = {
  command: 'chunkserver',
  describe: 'Run a chunkserver storing slices under --data',
  builder: (y) =>
    commonOptions(y)
      .option('data', { type: 'string', demandOption: true, describe: 'Directory for slice files' })
      .option('masters', { type: 'string', demandOption: true, describe: 'Master addresses, host:port,...' })
      .option('host', { type: 'string', default: '127.0.0.1' })
      .option('port', { type: 'number', default: 9500, describe: 'Port (0 picks a free one)' })
      .option('capacity', { type: 'string', describe: 'Cap on the space used, e.g. 20G' })
      .option('scrub-rate', { type: 'string', describe: 'Background checksum scrubbing, bytes/s (e.g. 20M; 0 turns it off)' })
      .option('replication-rate', { type: 'string', describe: 'Bandwidth for re-replication copies, bytes/s (e.g. 100M)' })
      .option('fence-after-ms', { type: 'number', describe: 'Refuse writes after this long without the master (default 2500)' }) as never,
  handler: async (args) => {
    const masters = parseList(args.masters);
    const capacityBytes = args.capacity ? parseSize(args.capacity) : undefined;
    const logger = processLogger('chunkserver', '-', args.logLevel, args.log);
    setUnexpectedErrorLogger(logger);
    const cs = await startChunkserver({
      dataDir: args.data,
      host: args.host,
      port: args.port,
      masters,
      capacityBytes,
      logger,
      ...(args.scrubRate !== undefined ? { scrubBytesPerSecMax: parseSize(args.scrubRate) } : {}),
      ...(args.replicationRate !== undefined ? { replicationBytesPerSecMax: parseSize(args.replicationRate) } : {}),
      ...(args.fenceAfterMs !== undefined ? { fenceAfterMs: args.fenceAfterMs } : {}),
    });
    announceReady({ role: 'chunkserver', id: cs.id, address: cs.address, pid: process.pid });
    await untilSignal();
    await cs.stop();
    logger.flush();
    process.exit(0);
  },
};

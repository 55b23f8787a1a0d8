// `cairn master`: runs one metadata master until SIGINT/SIGTERM.
import type { CommandModule } from 'yargs';
import { startMaster } from '@cairn/master';
import { Errno, FsError, setUnexpectedErrorLogger } from '@cairn/errors';
import { parsePeers } from '../cluster-file.js';
import { processLogger } from '../logger.js';
import { announceReady, untilSignal } from '../process-util.js';
import { commonOptions, type Common } from '../options.js';

interface Args extends Common {
  id: number;
  data: string;
  host: string;
  port?: number;
  chunkserverDeadAfterMs?: number;
  garbageGraceMs?: number;
  leaseMs?: number;
  orphanGraceMs?: number;
  peers?: string;
  join: boolean;
  snapshotEveryEntries?: number;
  electionTicks?: number;
}

export const masterCommand: CommandModule<object, Args> = {
  command: 'master',
  describe: 'Run a metadata master',
  builder: (y) =>
    commonOptions(y)
      .option('id', { type: 'number', default: 1, describe: 'Node id of this master' })
      .option('data', { type: 'string', demandOption: true, describe: 'Data directory' })
      .option('host', { type: 'string', default: '127.0.0.1', describe: 'Address to listen on' })
      .option('port', { type: 'number', describe: 'Port (default: this master\'s port in --peers, else 9400; 0 picks a free one)' })
      .option('chunkserver-dead-after-ms', { type: 'number', describe: 'A chunkserver silent this long is dead (default 5000)' })
      .option('garbage-grace-ms', { type: 'number', describe: 'Delay before unreferenced slices are deleted (default 5000)' })
      .option('orphan-grace-ms', { type: 'number', describe: 'Replicas no file references are deleted after this long (default 600000)' })
      .option('lease-ms', { type: 'number', describe: 'Client session lease (default 60000)' })
      .option('peers', { type: 'string', describe: 'Raft group members: id=host:port,... (this master included)' })
      .option('join', { type: 'boolean', default: false, describe: 'Start empty, to be added with `cairn admin master add`' })
      .option('snapshot-every-entries', { type: 'number', describe: 'Compact the Raft log after this many entries (default 10000)' })
      .option('election-ticks', { type: 'number', describe: 'Raft election timeout in 100 ms ticks (default 10)' }) as never,
  handler: async (args) => {
    const logger = processLogger('master', args.id, args.logLevel, args.log);
    setUnexpectedErrorLogger(logger);
    const peers = args.peers ? parsePeers(args.peers) : undefined;
    if (peers && !args.join && !peers.some((p) => p.id === args.id)) {
      throw new FsError(Errno.EINVAL, `--peers must include this master (id ${args.id})`);
    }
    const master = await startMaster({
      id: args.id,
      peers,
      join: args.join,
      dataDir: args.data,
      host: args.host,
      port: args.port ?? (peers ? undefined : 9400),
      logger,
      chunkserverDeadAfterMs: args.chunkserverDeadAfterMs,
      garbageGraceMs: args.garbageGraceMs,
      leaseMs: args.leaseMs,
      orphanGraceMs: args.orphanGraceMs,
      snapshotEveryEntries: args.snapshotEveryEntries,
      electionTicks: args.electionTicks,
    });
    announceReady({ role: 'master', id: master.id, address: master.address, pid: process.pid });
    await untilSignal();
    await master.stop();
    logger.flush();
    process.exit(0);
  },
};

// `cairn up`: starts a local cluster — masters, chunkservers and a mount — with everything under
// one data directory, records it in cluster.json, and stops it all on Ctrl-C (or leaves it
// running with --detach, for `cairn down` to stop).
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { Errno, FsError } from '@cairn/errors';
import { MetaClient, type types } from '@cairn/rpc';
import { type ClusterFile, type ClusterMember, readClusterFile, writeClusterFile } from '../cluster-file.js';
import { freePort, isOurProcess, startRole, untilSignal } from '../process-util.js';
import { stopCluster } from './down.js';

interface Args {
  masters: number;
  chunkservers: number;
  data: string;
  mount: string;
  detach: boolean;
  capacity?: string;
}

export const upCommand: CommandModule<object, Args> = {
  command: 'up',
  describe: 'Start a local cluster and mount it',
  builder: (y) =>
    y
      .option('masters', { type: 'number', default: 3, describe: 'Number of masters (one Raft group)' })
      .option('chunkservers', { type: 'number', default: 3, describe: 'Number of chunkservers' })
      .option('data', { type: 'string', default: '.cairn', describe: 'Directory for all cluster data' })
      .option('mount', { type: 'string', default: 'mnt', describe: 'Where to mount the file system' })
      .option('capacity', { type: 'string', describe: 'Space cap per chunkserver, e.g. 20G' })
      .option('detach', { type: 'boolean', default: false, describe: 'Leave the cluster running in the background' }) as never,
  handler: async (args) => {
    if (!Number.isInteger(args.masters) || args.masters < 1) throw new FsError(Errno.EINVAL, '--masters must be at least 1');
    if (args.masters > 7) throw new FsError(Errno.EINVAL, '--masters must be at most 7 (an odd number: 1, 3 or 5)');
    if (!Number.isInteger(args.chunkservers) || args.chunkservers < 1 || args.chunkservers > 64) {
      throw new FsError(Errno.EINVAL, '--chunkservers must be between 1 and 64');
    }
    const dataDir = resolve(args.data);
    const mountPath = resolve(args.mount);
    const logsDir = join(dataDir, 'logs');
    await mkdir(logsDir, { recursive: true });
    await mkdir(mountPath, { recursive: true });

    const previous = await readClusterFile(dataDir).catch(() => undefined);
    const running = previous && [...previous.masters, ...previous.chunkservers].some((m) => isOurProcess(m.pid));
    if (running) throw new FsError(Errno.EBUSY, `a cluster is already running from ${dataDir} (stop it with \`cairn down\`)`);

    const cluster: ClusterFile = { masters: [], chunkservers: [], logsDir };
    const detached = args.detach;
    try {
      // A restart keeps the ports: the Raft group and its clients know the masters by address.
      const ports: number[] = [];
      for (let i = 1; i <= args.masters; i++) ports.push(previous?.masters[i - 1]?.port ?? (await freePort()));
      const peers = ports.map((p, i) => `${i + 1}=127.0.0.1:${p}`).join(',');
      const started = await Promise.allSettled(
        ports.map((port, i) => {
          const id = i + 1;
          const dir = join(dataDir, `master${id}`);
          const log = join(logsDir, `master${id}.log`);
          return startRole(['master', '--id', String(id), '--data', dir, '--port', String(port), '--peers', peers, '--log', log], log, detached).then(
            ({ child, ready }) => ({ id, address: String(ready.address), pid: child.pid!, dataDir: dir, port }),
          );
        }),
      );
      for (const r of started) if (r.status === 'fulfilled') cluster.masters.push(r.value);
      await writeClusterFile(dataDir, cluster);
      const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
      const masters = cluster.masters.map((m) => m.address).join(',');
      for (let i = 1; i <= args.chunkservers; i++) {
        const port = previous?.chunkservers[i - 1]?.port ?? (await freePort());
        const dir = join(dataDir, `chunkserver${i}`);
        const log = join(logsDir, `chunkserver${i}.log`);
        const extra = args.capacity ? ['--capacity', args.capacity] : [];
        const { child, ready } = await startRole(
          ['chunkserver', '--data', dir, '--masters', masters, '--port', String(port), '--log', log, ...extra],
          log,
          detached,
        );
        const member: ClusterMember = { id: Number(ready.id), address: String(ready.address), pid: child.pid!, dataDir: dir, port };
        cluster.chunkservers.push(member);
        await writeClusterFile(dataDir, cluster);
      }
      await waitForChunkservers(cluster.masters.map((m) => m.address), args.chunkservers);
      const mountLog = join(logsDir, 'mount.log');
      const { child } = await startRole(['mount', mountPath, '--masters', masters, '--log', mountLog], mountLog, detached);
      cluster.mount = { path: mountPath, pid: child.pid! };
      await writeClusterFile(dataDir, cluster);
    } catch (err) {
      await stopCluster(cluster);
      throw err;
    }

    process.stdout.write(
      [
        `Cairn is up: ${cluster.masters.length} master(s), ${cluster.chunkservers.length} chunkservers, mounted at ${mountPath}`,
        `  masters:      ${cluster.masters.map((m) => m.address).join(', ')}`,
        `  data & logs:  ${dataDir}`,
        detached ? '  stop it with: cairn down' : '  press Ctrl-C to stop everything',
        '',
      ].join('\n'),
    );
    if (detached) process.exit(0);
    await untilSignal();
    process.stdout.write('stopping...\n');
    await stopCluster(cluster);
    process.exit(0);
  },
};

/** Waits until the master sees `count` live chunkservers, so the first write finds room. */
async function waitForChunkservers(masters: string[], count: number): Promise<void> {
  const client = new MetaClient({ masters, retryBudgetMs: 10_000 });
  try {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const s = await client.call<object, types.ClusterStatusReply__Output>('clusterStatus', {});
      if (s.chunkservers.filter((c) => c.alive).length >= count) return;
      if (Date.now() > deadline) throw new FsError(Errno.EIO, `only ${s.chunkservers.length} of ${count} chunkservers registered with the master`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    client.close();
  }
}

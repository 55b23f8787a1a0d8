// `cairn down`: stops the cluster `cairn up` started — the mount first (so that open files are
// flushed), then chunkservers, then masters — signalling only the PIDs it recorded.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { type ClusterFile, readClusterFile } from '../cluster-file.js';
import { stopProcess } from '../process-util.js';

const run = promisify(execFile);

export const downCommand: CommandModule<object, { data: string }> = {
  command: 'down',
  describe: 'Stop the cluster started by `cairn up`',
  builder: (y) => y.option('data', { type: 'string', default: '.cairn', describe: 'Cluster directory' }) as never,
  handler: async (args) => {
    const cluster = await readClusterFile(resolve(args.data));
    const stopped = await stopCluster(cluster);
    process.stdout.write(`stopped ${stopped} process(es)\n`);
  },
};

export async function stopCluster(cluster: ClusterFile): Promise<number> {
  let stopped = 0;
  if (cluster.mount) {
    if (await stopProcess(cluster.mount.pid, 15_000)) stopped++;
    await unmountIfMounted(cluster.mount.path);
  }
  const results = await Promise.all(cluster.chunkservers.map((c) => stopProcess(c.pid, 10_000)));
  stopped += results.filter(Boolean).length;
  const masters = await Promise.all(cluster.masters.map((m) => stopProcess(m.pid, 10_000)));
  stopped += masters.filter(Boolean).length;
  return stopped;
}

/** A mount whose process died leaves a dead mount point behind: detach it. */
export async function unmountIfMounted(path: string): Promise<void> {
  const { readFile } = await import('node:fs/promises');
  const mounts = await readFile('/proc/self/mounts', 'utf8');
  const escaped = path.replace(/ /g, '\\040');
  if (!mounts.split('\n').some((l) => l.split(' ')[1] === escaped)) return;
  await run('umount', ['-l', path]).catch(() => run('fusermount', ['-uz', path]).catch(() => undefined));
}

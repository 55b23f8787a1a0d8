// `cairn status`: masters, chunkservers with capacity and liveness, slice health and file counts,
// as a table or (--json) in a stable shape for scripts.
import { resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { Errno, FsError } from '@cairn/errors';
import * as grpc from '@grpc/grpc-js';
import { callUnary, channelOptions, protos, type types } from '@cairn/rpc';
import { readClusterFile, parseList } from '../cluster-file.js';

interface Args {
  masters?: string;
  data: string;
  json: boolean;
}

export interface StatusJson {
  masters: { id: number; address: string; pid: number; role: 'leader' | 'follower' | 'down'; term: number }[];
  chunkservers: { id: number; address: string; pid: number; alive: boolean; usedBytes: number; capacityBytes: number; slices: number }[];
  slices: { total: number; underGoal: number; missing: number };
  files: number;
  directories: number;
  logicalBytes: number;
}

export const statusCommand: CommandModule<object, Args> = {
  command: 'status',
  describe: 'Show the state of the cluster',
  builder: (y) =>
    y
      .option('masters', { type: 'string', describe: 'Master addresses (default: from --data)' })
      .option('data', { type: 'string', default: '.cairn', describe: 'Cluster directory written by `cairn up`' })
      .option('json', { type: 'boolean', default: false, describe: 'Print JSON' }) as never,
  handler: async (args) => {
    const status = await collectStatus(args);
    if (args.json) process.stdout.write(JSON.stringify(status, null, 2) + '\n');
    else process.stdout.write(formatStatus(status));
  },
};

async function collectStatus(args: Args): Promise<StatusJson> {
  const known = args.masters
    ? parseList(args.masters).map((address, i) => ({ id: i + 1, address, pid: 0 }))
    : (await readClusterFile(resolve(args.data))).masters;
  const masters: StatusJson['masters'] = [];
  let leaderReply: types.ClusterStatusReply__Output | undefined;
  // Each master is asked directly (no leader following): every one reports its own role.
  const Meta = protos().meta.cairn.Meta;
  for (const m of known) {
    const client = new Meta(m.address, grpc.credentials.createInsecure(), channelOptions);
    try {
      const reply = await callUnary<object, types.ClusterStatusReply__Output>(client, client.clusterStatus, {}, 2_000, 'cluster status');
      const self = reply.masters.find((x) => x.address === m.address);
      const role = self?.role === 'leader' && !reply.status?.notLeader ? 'leader' : 'follower';
      masters.push({ id: self?.id ?? m.id, address: m.address, pid: self?.pid ?? m.pid, role, term: self?.term ?? 0 });
      if (role === 'leader') leaderReply = reply;
    } catch {
      masters.push({ id: m.id, address: m.address, pid: m.pid, role: 'down', term: 0 });
    } finally {
      client.close();
    }
  }
  if (!leaderReply) throw new FsError(Errno.EIO, `no master reachable at ${known.map((m) => m.address).join(', ')}`);
  return {
    masters,
    chunkservers: leaderReply.chunkservers.map((c) => ({
      id: c.id,
      address: c.address,
      pid: c.pid,
      alive: c.alive,
      usedBytes: c.usedBytes,
      capacityBytes: c.capacityBytes,
      slices: c.slices,
    })),
    slices: { total: leaderReply.slicesTotal, underGoal: leaderReply.slicesUnderGoal, missing: leaderReply.slicesMissing },
    files: leaderReply.files,
    directories: leaderReply.directories,
    logicalBytes: leaderReply.logicalBytes,
  };
}

function gib(n: number): string {
  return `${(n / 2 ** 30).toFixed(1)} GiB`;
}

function formatStatus(s: StatusJson): string {
  const lines = ['MASTERS'];
  for (const m of s.masters) lines.push(`  ${m.id}  ${m.address.padEnd(22)} ${m.role.padEnd(9)} term ${m.term}  pid ${m.pid}`);
  lines.push('CHUNKSERVERS');
  for (const c of s.chunkservers) {
    lines.push(
      `  ${String(c.id).padEnd(16)} ${c.address.padEnd(22)} ${c.alive ? 'alive' : 'DEAD '}  ${gib(c.usedBytes)} / ${gib(c.capacityBytes)}  ${c.slices} slices`,
    );
  }
  lines.push(`SLICES  ${s.slices.total} total, ${s.slices.underGoal} under goal, ${s.slices.missing} missing`);
  lines.push(`FILES   ${s.files} files, ${s.directories} directories, ${gib(s.logicalBytes)} of data`);
  return lines.join('\n') + '\n';
}

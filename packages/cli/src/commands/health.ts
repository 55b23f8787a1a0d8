// `cairn health`: asks one master or chunkserver whether it serves, for container health checks
// and Kubernetes probes. Exit 0 when it answers, 1 with one line on stderr otherwise.
//
// Until the servers register a gRPC health service, it uses RPCs every role already serves and
// that change nothing: a master must answer `ClusterStatus` (a follower answers with
// status.notLeader and its own role, which is healthy: a Raft group needs its followers); a
// chunkserver must answer `SliceInfo` for slice 1 with any errno (ENOENT means it is alive and
// its store answered). Only a transport failure or a deadline is unhealthy.
import type { CommandModule } from 'yargs';
import * as grpc from '@grpc/grpc-js';
import { Errno, FsError } from '@cairn/errors';
import { callUnary, channelOptions, protos, type types } from '@cairn/rpc';

interface Args {
  address: string;
  role: 'master' | 'chunkserver';
  timeoutMs: number;
  json: boolean;
}

export const healthCommand: CommandModule<object, Args> = {
  command: 'health',
  describe: 'Check that a master or chunkserver answers (exit 0 if healthy)',
  builder: (y) =>
    y
      .option('address', { type: 'string', demandOption: true, describe: 'host:port of the process to check' })
      .option('role', { type: 'string', demandOption: true, choices: ['master', 'chunkserver'] })
      .option('timeout-ms', { type: 'number', default: 2_000, describe: 'Deadline of the check' })
      .option('json', { type: 'boolean', default: false, describe: 'Print the result as JSON' }) as never,
  handler: async (args) => {
    if (!Number.isInteger(args.timeoutMs) || args.timeoutMs <= 0) throw new FsError(Errno.EINVAL, '--timeout-ms must be a positive integer');
    const startedMs = Date.now();
    const detail = args.role === 'master' ? await checkMaster(args.address, args.timeoutMs) : await checkChunkserver(args.address, args.timeoutMs);
    const result = { healthy: true, role: args.role, address: args.address, ...detail, latencyMs: Date.now() - startedMs };
    if (args.json) process.stdout.write(JSON.stringify(result) + '\n');
    // Exit at once: an open gRPC channel would keep a probe process alive for its idle timeout.
    process.exit(0);
  },
};

async function checkMaster(address: string, timeoutMs: number): Promise<Record<string, unknown>> {
  const Meta = protos().meta.cairn.Meta;
  const client = new Meta(address, grpc.credentials.createInsecure(), channelOptions);
  try {
    const reply = await callUnary<object, types.ClusterStatusReply__Output>(client, client.clusterStatus, {}, timeoutMs, `health of master ${address}`);
    const self = reply.masters.find((m) => m.address === address);
    const role = reply.status?.notLeader ? 'follower' : (self?.role ?? 'leader');
    return { raftRole: role, term: self?.term ?? 0 };
  } finally {
    client.close();
  }
}

async function checkChunkserver(address: string, timeoutMs: number): Promise<Record<string, unknown>> {
  const ChunkData = protos().chunk.cairn.ChunkData;
  const client = new ChunkData(address, grpc.credentials.createInsecure(), channelOptions);
  try {
    const reply = await callUnary<types.SliceInfoRequest, types.SliceInfoReply__Output>(
      client,
      client.sliceInfo,
      { sliceId: 1 },
      timeoutMs,
      `health of chunkserver ${address}`,
    );
    return { errno: reply.status?.errno ?? 0 };
  } finally {
    client.close();
  }
}

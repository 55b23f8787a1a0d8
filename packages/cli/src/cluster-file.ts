// The record `cairn up` leaves in its data directory so that `down` and `status` can find the
// cluster: addresses, data directories and process ids of every member.
import { readFile, writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { Errno, FsError } from '@cairn/errors';

export interface ClusterMember {
  id: number;
  address: string;
  pid: number;
  dataDir: string;
  port: number;
}

export interface ClusterFile {
  masters: ClusterMember[];
  chunkservers: ClusterMember[];
  mount?: { path: string; pid: number };
  logsDir: string;
}

export function clusterFilePath(dataDir: string): string {
  return join(dataDir, 'cluster.json');
}

export async function readClusterFile(dataDir: string): Promise<ClusterFile> {
  let text: string;
  try {
    text = await readFile(clusterFilePath(dataDir), 'utf8');
  } catch {
    throw new FsError(Errno.ENOENT, `no cluster found in ${dataDir} (start one with \`cairn up\`, or pass --masters)`);
  }
  return JSON.parse(text) as ClusterFile;
}

export async function writeClusterFile(dataDir: string, cluster: ClusterFile): Promise<void> {
  const path = clusterFilePath(dataDir);
  await writeFile(`${path}.tmp`, JSON.stringify(cluster, null, 2) + '\n');
  await rename(`${path}.tmp`, path);
}

/** Master addresses from --masters, else from the cluster file under --data. */
export async function resolveMasters(masters: string | undefined, dataDir: string): Promise<string[]> {
  if (masters) return parseList(masters);
  return (await readClusterFile(dataDir)).masters.map((m) => m.address);
}

export function parseList(s: string): string[] {
  const list = s.split(',').map((x) => x.trim()).filter(Boolean);
  for (const a of list) {
    if (!/^[^:\s]+:\d{1,5}$/.test(a)) throw new FsError(Errno.EINVAL, `bad address ${JSON.stringify(a)} (expected host:port)`);
  }
  return list;
}

/** Parses `1=host:port,2=host:port` into Raft members. */
export function parsePeers(s: string): { id: number; address: string }[] {
  const peers = s.split(',').map((x) => x.trim()).filter(Boolean).map((item) => {
    const m = /^(\d+)=([^:\s]+:\d{1,5})$/.exec(item);
    if (!m) throw new FsError(Errno.EINVAL, `bad peer ${JSON.stringify(item)} (expected id=host:port)`);
    return { id: Number(m[1]), address: m[2] as string };
  });
  if (new Set(peers.map((p) => p.id)).size !== peers.length) throw new FsError(Errno.EINVAL, 'duplicate peer id in --peers');
  return peers;
}

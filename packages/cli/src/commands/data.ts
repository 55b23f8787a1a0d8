// Data-placement verbs: `goal get|set [-r] PATH [N]`, `fsck [--repair]`, `file info PATH`.
import { resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { Errno, FsError } from '@cairn/errors';
import { MetaClient, type types } from '@cairn/rpc';
import { resolveMasters } from '../cluster-file.js';
import { fsPathOf, lookupPath, walk } from '../fs-path.js';

interface Where {
  masters?: string;
  data: string;
}
const whereOptions = {
  masters: { type: 'string', describe: 'Master addresses (default: from --data)' },
  data: { type: 'string', default: '.cairn', describe: 'Cluster directory written by `cairn up`' },
} as const;

async function withMeta<T>(args: Where, f: (meta: MetaClient) => Promise<T>): Promise<T> {
  const meta = new MetaClient({ masters: await resolveMasters(args.masters, resolve(args.data)), retryBudgetMs: 15_000 });
  try {
    return await f(meta);
  } finally {
    meta.close();
  }
}

const goalMask = 256;

interface GoalArgs extends Where {
  action: 'get' | 'set';
  path: string;
  goal?: number;
  recursive: boolean;
}

export const goalCommand: CommandModule<object, GoalArgs> = {
  command: 'goal <action> <path> [goal]',
  describe: 'Show or set the replication goal of a file or directory (new children inherit it)',
  builder: (y) =>
    y
      .positional('action', { choices: ['get', 'set'] as const, demandOption: true })
      .positional('path', { type: 'string', demandOption: true })
      .positional('goal', { type: 'number' })
      .option('recursive', { alias: 'r', type: 'boolean', default: false, describe: 'Apply to everything below too' })
      .options(whereOptions)
      .check((a) => {
        if (a.action === 'set' && (!Number.isInteger(a.goal) || (a.goal as number) < 1 || (a.goal as number) > 9)) {
          throw new Error('goal set needs a goal between 1 and 9');
        }
        return true;
      }) as never,
  handler: async (args) =>
    withMeta(args, async (meta) => {
      const path = fsPathOf(args.path);
      const attr = await lookupPath(meta, path);
      if (args.action === 'get') {
        process.stdout.write(`${path}: ${attr.goal}\n`);
        if (args.recursive && (attr.mode & 0o170000) === 0o040000) {
          for await (const e of walk(meta, attr.ino)) process.stdout.write(`  ${e.name}: ${(await getGoal(meta, e.ino))}\n`);
        }
        return;
      }
      let changed = await setGoal(meta, attr.ino, args.goal!);
      if (args.recursive && (attr.mode & 0o170000) === 0o040000) {
        for await (const e of walk(meta, attr.ino)) changed += await setGoal(meta, e.ino, args.goal!);
      }
      process.stdout.write(`${path}: goal ${args.goal} (${changed} inode${changed === 1 ? '' : 's'} changed)\n`);
    }),
};

async function getGoal(meta: MetaClient, ino: number): Promise<number> {
  return (await meta.call<types.InoRequest, types.AttrReply__Output>('getAttr', { ino })).attr!.goal;
}

async function setGoal(meta: MetaClient, ino: number, goal: number): Promise<number> {
  await meta.call<types.SetAttrRequest, types.AttrReply__Output>('setAttr', { ino, mask: goalMask, goal });
  return 1;
}

interface FsckArgs extends Where {
  repair: boolean;
  json: boolean;
}

export const fsckCommand: CommandModule<object, FsckArgs> = {
  command: 'fsck',
  describe: 'Report files with missing or under-goal slices, and replicas no file references',
  builder: (y) =>
    y
      .option('repair', { type: 'boolean', default: false, describe: 'Hand unreferenced replicas to garbage collection' })
      .option('json', { type: 'boolean', default: false })
      .options(whereOptions) as never,
  handler: async (args) =>
    withMeta(args, async (meta) => {
      const r = await meta.call<types.FsckRequest, types.FsckReply__Output>('fsck', { repair: args.repair }, { timeoutMs: 120_000 });
      const report = {
        slices: { total: r.slicesTotal, missing: r.slicesMissing, underGoal: r.slicesUnderGoal },
        files: r.files.map((f) => ({ ino: f.ino, path: f.path, slices: f.slices, missing: f.missing, underGoal: f.underGoal, goal: f.goal })),
        unreferenced: r.unreferenced.length,
        repaired: r.repaired,
      };
      if (args.json) {
        process.stdout.write(JSON.stringify(report, null, 2) + '\n');
      } else {
        for (const f of report.files) {
          process.stdout.write(`${f.path}: ${f.missing} missing, ${f.underGoal} under goal ${f.goal} (of ${f.slices} slices)\n`);
        }
        process.stdout.write(
          `${report.slices.total} slices: ${report.slices.missing} missing, ${report.slices.underGoal} under goal; ` +
            `${report.unreferenced} unreferenced replicas${args.repair ? `, ${report.repaired} handed to garbage collection` : ''}\n`,
        );
      }
      if (report.slices.missing > 0) process.exitCode = 1;
    }),
};

interface FileInfoArgs extends Where {
  path: string;
  json: boolean;
}

export const fileCommand: CommandModule<object, FileInfoArgs> = {
  command: 'file <action> <path>',
  describe: 'List the slices of a file with their replicas and health',
  builder: (y) =>
    y
      .positional('action', { choices: ['info'] as const, demandOption: true })
      .positional('path', { type: 'string', demandOption: true })
      .option('json', { type: 'boolean', default: false })
      .options(whereOptions) as never,
  handler: async (args) =>
    withMeta(args, async (meta) => {
      const path = fsPathOf(args.path);
      const attr = await lookupPath(meta, path);
      if ((attr.mode & 0o170000) !== 0o100000) throw new FsError(Errno.EINVAL, `${path} is not a regular file`);
      const r = await meta.call<types.InoRequest, types.FileInfoReply__Output>('fileInfo', { ino: attr.ino });
      if (args.json) {
        process.stdout.write(JSON.stringify({ path, size: attr.size, goal: attr.goal, inlineBytes: r.inlineBytes, slices: r.slices }, null, 2) + '\n');
        return;
      }
      process.stdout.write(`${path}: ${attr.size} bytes, goal ${attr.goal}${r.inlineBytes ? `, ${r.inlineBytes} bytes inline` : ''}\n`);
      for (const s of r.slices) {
        const live = s.replicas.filter((x) => x.alive).length;
        const where = s.replicas.map((x) => `${x.serverId}${x.alive ? '' : ' (dead)'}`).join(', ') || 'none';
        process.stdout.write(
          `  chunk ${s.chunkIndex} slice ${s.slice!.sliceId} [${s.slice!.offset}+${s.slice!.length}] ${live}/${attr.goal} live replicas: ${where}\n`,
        );
      }
    }),
};

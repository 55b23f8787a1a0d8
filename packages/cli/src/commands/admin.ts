// `cairn admin`: operator verbs. `admin master add|remove` changes the masters' Raft group one
// member at a time (a new master joins as a learner and becomes a voter once it has caught up).
import type { Argv, CommandModule } from 'yargs';
import { resolve } from 'node:path';
import { MetaClient, type types } from '@cairn/rpc';
import { parseList, resolveMasters } from '../cluster-file.js';

interface MasterArgs {
  action: 'add' | 'remove';
  id: number;
  address?: string;
  masters?: string;
  data: string;
}

const masterCommand: CommandModule<object, MasterArgs> = {
  command: 'master <action>',
  describe: 'Add a master to the group or remove one',
  builder: (y) =>
    y
      .positional('action', { choices: ['add', 'remove'] as const, demandOption: true })
      .option('id', { type: 'number', demandOption: true, describe: 'Node id of the master' })
      .option('address', { type: 'string', describe: 'host:port of the master to add (start it first with --join)' })
      .option('masters', { type: 'string', describe: 'Current master addresses (default: from --data)' })
      .option('data', { type: 'string', default: '.cairn', describe: 'Cluster directory written by `cairn up`' })
      .check((a) => {
        if (a.action === 'add' && !a.address) throw new Error('admin master add needs --address host:port');
        if (a.address) parseList(a.address);
        return true;
      }) as never,
  handler: async (args) => {
    const masters = await resolveMasters(args.masters, resolve(args.data));
    const client = new MetaClient({ masters, retryBudgetMs: 60_000, callTimeoutMs: 60_000 });
    try {
      const reply = await client.call<types.ChangeMastersRequest, types.ChangeMastersReply__Output>('changeMasters', {
        add: args.action === 'add',
        id: args.id,
        address: args.address ?? '',
      });
      const list = reply.masters.map((m) => `${m.id}=${m.address}${m.role === 'learner' ? ' (learner)' : ''}`).join(', ');
      process.stdout.write(`masters now: ${list}\n`);
    } finally {
      client.close();
    }
  },
};

export const adminCommand: CommandModule = {
  command: 'admin <command>',
  describe: 'Operator commands (admin master add|remove)',
  builder: (y: Argv) => y.command(masterCommand).demandCommand(1),
  handler: () => undefined,
};

// Tests that nothing a stray or broken client puts on the wire can crash a node or change its
// state: raw random bytes on both streams (through a generic gRPC client with identity
// serializers), well-formed frames with invalid contents (wrong target, spoofed sender, unknown
// type, unsafe integers, non-contiguous entries, bad conf-change payloads, MsgSnap outside the
// snapshot stream), and malformed snapshot streams (no header, short data, oversized). Afterwards
// the single-node group's term, commit and log are unchanged and it still commits proposals.

import { randomBytes } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { channelOptions } from '@cairn/rpc';
import { raftService } from '../src/index.js';
import { Cluster, bytes } from './harness.js';

const garbage = suite('garbage on the wire');

function rawStream(address: string, method: string, frames: Buffer[]): Promise<grpc.ServiceError | null> {
  const client = new grpc.Client(address, grpc.credentials.createInsecure(), channelOptions);
  return new Promise((resolve) => {
    const call = client.makeClientStreamRequest(
      method,
      (b: Buffer) => b,
      (b: Buffer) => b,
      { deadline: new Date(Date.now() + 5_000) },
      (err) => {
        client.close();
        resolve(err);
      },
    );
    call.on('error', () => {});
    for (const f of frames) call.write(f);
    call.end();
  });
}

function typedStream<T>(address: string, method: 'send' | 'sendSnapshot', frames: T[]): Promise<grpc.ServiceError | null> {
  const Ctor = raftService();
  const client = new Ctor(address, grpc.credentials.createInsecure(), channelOptions);
  return new Promise((resolve) => {
    const call = (client[method] as (o: grpc.CallOptions, cb: (err: grpc.ServiceError | null) => void) => grpc.ClientWritableStream<T>)(
      { deadline: new Date(Date.now() + 5_000) },
      (err) => {
        client.close();
        resolve(err);
      },
    );
    call.on('error', () => {});
    for (const f of frames) call.write(f);
    call.end();
  });
}

const msg = (fields: Record<string, unknown>) => ({
  type: 7, from: 9, to: 1, term: 1, logTerm: 0, index: 0, entries: [], commit: 0, reject: false, rejectHint: 0, context: '', seq: 0,
  ...fields,
});

garbage('random bytes and invalid messages are dropped; the node is unchanged and keeps working', async () => {
  const c = await Cluster.start([1]);
  try {
    const node = await c.leader();
    await node.propose(bytes('x'));
    const address = c.members.get(1)!.address;
    const before = node.status();
    const itemsBefore = [...c.members.get(1)!.sm.items];

    for (let k = 0; k < 20; k++) {
      await rawStream(address, '/cairn.raft.Raft/Send', [randomBytes(1 + k * 37), randomBytes(3)]);
      await rawStream(address, '/cairn.raft.Raft/SendSnapshot', [randomBytes(5 + k * 11)]);
    }
    // Well-formed protobuf, invalid contents. Terms far in the future would be legal Raft input,
    // so every one of these also carries a defect that must get it dropped first.
    const bad = [
      { from: 9, fromAddress: '', to: 2, messages: [msg({ to: 2, term: 99 })] }, // another node's frame
      { from: 1, fromAddress: '', to: 1, messages: [msg({ from: 1, term: 99 })] }, // from self
      { from: 0, fromAddress: '', to: 1, messages: [msg({ from: 0, term: 99 })] }, // no sender
      { from: 9, fromAddress: '', to: 1, messages: [msg({ from: 8, term: 99 })] }, // spoofed sender
      { from: 9, fromAddress: '', to: 1, messages: [msg({ type: 77, term: 99 })] }, // unknown type
      { from: 9, fromAddress: '', to: 1, messages: [msg({ type: 0, term: 99 })] },
      { from: 9, fromAddress: '', to: 1, messages: [msg({ type: 9, term: 99 })] }, // MsgSnap on Send
      { from: 9, fromAddress: '', to: 1, messages: [msg({ term: 2 ** 60 })] }, // unsafe integer
      {
        from: 9, fromAddress: '', to: 1,
        messages: [msg({ type: 1, term: 99, index: 5, entries: [{ term: 99, index: 7, type: 0, data: Buffer.from('a') }] })],
      }, // entries not contiguous
      {
        from: 9, fromAddress: '', to: 1,
        messages: [msg({ type: 1, term: 99, index: 5, entries: [{ term: 100, index: 6, type: 0, data: Buffer.from('a') }] })],
      }, // entry term above the message's
      {
        from: 9, fromAddress: '', to: 1,
        messages: [msg({ type: 1, term: 99, index: 5, entries: [{ term: 99, index: 6, type: 1, data: Buffer.from('abc') }] })],
      }, // bad conf-change payload
      { from: 9, fromAddress: '', to: 1, messages: [msg({ type: 7, term: 99, entries: [{ term: 1, index: 1, type: 0, data: Buffer.from('a') }] })] }, // entries on a heartbeat
      { from: 9, fromAddress: '', to: 1, messages: [msg({ context: 'c'.repeat(10_000), term: 99 })] }, // oversized context
    ];
    for (const frame of bad) await typedStream(address, 'send', [frame]);
    const header = { from: 9, fromAddress: '', to: 1, term: 99, index: 50, snapTerm: 99, voters: [9], learners: [], sizeBytes: 10 };
    const badSnapshots: { header: unknown; data: Buffer }[][] = [
      [{ header: null, data: Buffer.from('0123456789') }], // no header
      [{ header, data: Buffer.from('0123') }], // short
      [{ header, data: Buffer.from('0123456789abc') }], // long
      [{ header: { ...header, sizeBytes: 2 ** 40 }, data: Buffer.alloc(0) }], // oversized
      [{ header: { ...header, to: 3 }, data: Buffer.from('0123456789') }], // another node's
      [{ header: { ...header, voters: [] }, data: Buffer.from('0123456789') }], // no voters
      [{ header, data: Buffer.from('01234') }, { header, data: Buffer.from('56789') }], // header twice
    ];
    for (const frames of badSnapshots) {
      const err = await typedStream(address, 'sendSnapshot', frames);
      assert.ok(err !== null, 'a malformed snapshot stream is refused');
    }

    const after = node.status();
    assert.is(after.term, before.term);
    assert.is(after.commit, before.commit);
    assert.is(after.role, 'leader');
    assert.equal(c.members.get(1)!.sm.items, itemsBefore);
    assert.ok(node.transportStats.invalid >= bad.length, `invalid count ${node.transportStats.invalid}`);
    const r = await node.propose(bytes('still-alive'));
    assert.is(r.index, before.commit + 1);
  } finally {
    await c.close();
  }
});

garbage.run();

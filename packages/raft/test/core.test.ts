// Unit tests for the core's edges that the transcripts do not print: config validation, the
// plain-data message contract, the conf-change encoding, the seeded random source, and the
// negative space (illegal calls crash or are refused, and change nothing).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  MemoryStorage,
  RawNode,
  type Ready,
  Xoshiro128,
  bootstrap,
  decodeConfChange,
  encodeConfChange,
  message,
  nodeId,
} from '../src/index.js';

const newNode = (id = 1, voters = [1, 2, 3]) => {
  const storage = new MemoryStorage();
  bootstrap(storage, voters.map(nodeId));
  const node = new RawNode({ id: nodeId(id), storage, electionTicks: 10, heartbeatTicks: 1, random: new Xoshiro128(id) });
  return Object.assign(node, { storage });
};

/** The Ready loop's persist step (no messages to send in these tests). */
const persist = (n: ReturnType<typeof newNode>, rd: Ready) => {
  if (rd.snapshot !== null) n.storage.applySnapshot(rd.snapshot);
  n.storage.append(rd.entries);
  if (rd.hardState !== null) n.storage.setHardState(rd.hardState);
};

const config = suite('config');
config('invalid configs are refused at construction', () => {
  const storage = new MemoryStorage();
  const random = new Xoshiro128(1);
  assert.throws(() => new RawNode({ id: nodeId(1), storage, electionTicks: 1, heartbeatTicks: 1, random }), /electionTicks/);
  assert.throws(() => new RawNode({ id: nodeId(1), storage, electionTicks: 10, heartbeatTicks: 0, random }), /heartbeatTicks/);
  assert.throws(() => new RawNode({ id: nodeId(1), storage, electionTicks: 10, heartbeatTicks: 1, random, maxInflightMsgs: 0 }), /maxInflightMsgs/);
  assert.throws(() => nodeId(0), /positive/);
  assert.throws(() => nodeId(1.5), /safe integer/);
});
config.run();

const wire = suite('messages are plain data');
wire('a message survives a JSON round trip with bytes as arrays', () => {
  const m = message({
    type: 'MsgApp',
    from: nodeId(1),
    to: nodeId(2),
    term: 3,
    index: 4,
    logTerm: 2,
    commit: 4,
    entries: [{ term: 3, index: 5, type: 'normal', data: new Uint8Array([1, 2, 3]) }],
  });
  const text = JSON.stringify(m, (_k, v) => (v instanceof Uint8Array ? { bytes: [...v] } : v));
  const back = JSON.parse(text, (_k, v) => (v && Array.isArray(v.bytes) ? new Uint8Array(v.bytes) : v));
  assert.equal(back, m);
});
wire('conf changes round-trip, including 53-bit node ids', () => {
  for (const node of [1, 2 ** 32 + 7, Number.MAX_SAFE_INTEGER]) {
    const cc = { type: 'add-learner' as const, node: nodeId(node) };
    assert.equal(decodeConfChange(encodeConfChange(cc)), cc);
  }
  assert.throws(() => decodeConfChange(new Uint8Array(3)), /payload/);
});
wire.run();

const random = suite('random source');
random('one seed gives one sequence; bounds hold', () => {
  const a = new Xoshiro128(42);
  const b = new Xoshiro128(42);
  for (let k = 0; k < 1000; k++) {
    const x = a.int(17);
    assert.is(x, b.int(17));
    assert.ok(x >= 0 && x < 17);
  }
  assert.is.not(new Xoshiro128(1).nextU32(), new Xoshiro128(2).nextU32());
});
random.run();

const negative = suite('negative space');
negative('a message for another node crashes; proposals on a follower change nothing', () => {
  const n = newNode();
  assert.throws(() => n.step(message({ type: 'MsgHeartbeat', from: nodeId(2), to: nodeId(3), term: 1 })), /delivered to 1/);
  const before = n.status();
  const r = n.propose(new Uint8Array([1]));
  assert.is(r.ok, false);
  assert.equal(n.status(), before);
});
negative('ready() twice, advance() without ready() or before persisting: all crash', () => {
  const n = newNode();
  n.campaign();
  persist(n, n.ready());
  assert.throws(() => n.ready(), /before advance/);
  n.advance();
  assert.throws(() => n.advance(), /without an outstanding Ready/);
  const single = newNode(1, [1]);
  single.campaign();
  single.ready(); // the leader's empty entry, not persisted
  assert.throws(() => single.advance(), /not persisted to Storage before advance/);
});
negative('a single-voter cluster elects itself and commits alone', () => {
  const n = newNode(1, [1]);
  n.campaign();
  const rd = n.ready();
  assert.is(rd.softState?.role, 'leader');
  assert.is(rd.messages.length, 0);
  persist(n, rd);
  n.advance();
  const r = n.propose(new Uint8Array([7]));
  assert.ok(r.ok);
  const rd2 = n.ready();
  assert.equal(rd2.committedEntries.map((e) => e.index), [3]);
  persist(n, rd2);
  n.advance();
  // A read in a single-voter cluster needs no heartbeat round.
  n.readIndex('r');
  assert.equal(n.ready().readStates, [{ index: 3, context: 'r' }]);
});
negative.run();

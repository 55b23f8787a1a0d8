// Tests coalesceAppends (coalesce.ts) on hand-built message lists: consecutive MsgApps to one
// follower that continue each other merge (entries concatenated, larger commit); anything that
// does not continue exactly, changes term, or has another message to the same follower in between
// is left alone, in order; the size bound splits merges.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type Entry, type Message, message, nodeId } from '@cairn/raft';
import { coalesceAppends } from '../src/coalesce.js';

const coalesce = suite('coalesceAppends');
const [n1, n2, n3] = [nodeId(1), nodeId(2), nodeId(3)];

const entry = (index: number, term = 2, sizeBytes = 8): Entry => ({ index, term, type: 'normal', data: new Uint8Array(sizeBytes) });
const app = (to: typeof n2, index: number, logTerm: number, entries: Entry[], commit: number, term = 2): Message =>
  message({ type: 'MsgApp', from: n1, to, term, index, logTerm, entries, commit });
const show = (ms: Message[]) =>
  ms.map((m) => `${m.type} →${m.to} t${m.term} (${m.index},${m.logTerm}) [${m.entries.map((e) => e.index).join(',')}] c${m.commit}`);

coalesce('merges per follower, keeping the larger commit', () => {
  const out = coalesceAppends([
    app(n2, 4, 2, [entry(5)], 3),
    app(n3, 4, 2, [entry(5)], 3),
    app(n2, 5, 2, [entry(6)], 3),
    app(n3, 5, 2, [entry(6)], 3),
    app(n2, 6, 2, [], 5), // commit advanced: empty MsgApp continuing at 6
    app(n2, 6, 2, [entry(7)], 5),
  ]);
  assert.equal(show(out), ['MsgApp →2 t2 (4,2) [5,6,7] c5', 'MsgApp →3 t2 (4,2) [5,6] c3']);
});

coalesce('an empty MsgApp first takes the entries of the next', () => {
  assert.equal(show(coalesceAppends([app(n2, 6, 2, [], 4), app(n2, 6, 2, [entry(7)], 5)])), ['MsgApp →2 t2 (6,2) [7] c5']);
});

coalesce('leaves non-continuing, other-term and interrupted sequences alone', () => {
  const hb = message({ type: 'MsgHeartbeat', from: n1, to: n2, term: 2, commit: 3 });
  const input = [
    app(n2, 4, 2, [entry(5)], 3),
    app(n2, 3, 2, [entry(4), entry(5)], 3), // back-tracked: does not continue at 5
    app(n3, 4, 2, [entry(5)], 3),
    app(n3, 5, 1, [entry(6)], 3), // wrong logTerm
    app(n3, 6, 2, [entry(7, 3)], 3, 3), // another term
    app(n2, 5, 2, [entry(6)], 3),
    hb,
    app(n2, 6, 2, [entry(7)], 3), // a heartbeat in between
  ];
  const out = coalesceAppends(input);
  assert.equal(show(out), [
    'MsgApp →2 t2 (4,2) [5] c3',
    'MsgApp →2 t2 (3,2) [4,5,6] c3',
    'MsgApp →3 t2 (4,2) [5] c3',
    'MsgApp →3 t2 (5,1) [6] c3',
    'MsgApp →3 t3 (6,2) [7] c3',
    'MsgHeartbeat →2 t2 (0,0) [] c3',
    'MsgApp →2 t2 (6,2) [7] c3',
  ]);
});

coalesce('respects the size bound and never mutates its input', () => {
  const input = [app(n2, 4, 2, [entry(5, 2, 600)], 3), app(n2, 5, 2, [entry(6, 2, 600)], 3), app(n2, 6, 2, [entry(7, 2, 600)], 3)];
  const before = show(input);
  assert.equal(show(coalesceAppends(input, 1500)), ['MsgApp →2 t2 (4,2) [5,6] c3', 'MsgApp →2 t2 (6,2) [7] c3']);
  assert.equal(show(input), before);
});

coalesce.run();

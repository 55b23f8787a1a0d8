// Tests LevelStorage: a Ready persists and reloads exactly (entries, truncation, hard state,
// snapshot and compaction), and the store survives kill -9 at arbitrary points: a child process
// appends synced batches in a loop, the parent SIGKILLs it, reopens the store and checks that the
// log is a consistent prefix (contiguous, terms non-decreasing, data intact), that the hard state
// matches it, and that every batch the child saw acknowledged is still there.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type Entry, nodeId } from '../src/index.js';
import { LevelStorage } from '../src/level-storage.js';

const utf8 = new TextEncoder();
const utf8d = new TextDecoder();
const ent = (index: number, term: number): Entry => ({ index, term, type: 'normal', data: utf8.encode(`${index}:${term}`) });

const basics = suite('LevelStorage persistence');
basics('entries, truncation, hard state and snapshots reload exactly', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'raft-level-'));
  try {
    let s = await LevelStorage.open(dir);
    assert.is(s.lastIndex(), 0);
    await s.save({ entries: [ent(1, 1), ent(2, 1), ent(3, 1), ent(4, 1)], hardState: { term: 1, vote: nodeId(1), commit: 2 }, snapshot: null });
    // A new leader overwrites entries 3–4 with a single entry of term 2.
    await s.save({ entries: [ent(3, 2)], hardState: { term: 2, vote: nodeId(2), commit: 2 }, snapshot: null });
    await s.close();
    s = await LevelStorage.open(dir);
    assert.is(s.lastIndex(), 3);
    assert.is(s.term(3), 2);
    assert.equal(s.initialState().hardState, { term: 2, vote: 2, commit: 2 });
    await s.createSnapshot(3, { voters: [nodeId(1), nodeId(2)], learners: [] }, utf8.encode('state@3'), 2);
    await s.save({ entries: [ent(4, 2)], hardState: null, snapshot: null });
    await s.close();
    s = await LevelStorage.open(dir);
    assert.is(s.firstIndex(), 3, 'a tail behind the snapshot is kept');
    assert.is(s.snapshot().meta.index, 3);
    assert.is(utf8d.decode(s.snapshot().data), 'state@3');
    assert.equal(s.initialState().confState, { voters: [1, 2], learners: [] });
    assert.is(s.lastIndex(), 4);
    // A snapshot from a leader replaces the log.
    await s.save({ entries: [], hardState: { term: 3, vote: nodeId(3), commit: 10 }, snapshot: { meta: { index: 10, term: 3, confState: { voters: [nodeId(3)], learners: [] } }, data: utf8.encode('state@10') } });
    await s.close();
    s = await LevelStorage.open(dir);
    assert.is(s.firstIndex(), 11);
    assert.is(s.lastIndex(), 10);
    assert.is(s.term(10), 3);
    await s.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
basics.run();

const crash = suite('LevelStorage under kill -9');
crash('the log stays a consistent, durable prefix across SIGKILLs', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'raft-kill-'));
  const child = new URL('./level-child.js', import.meta.url).pathname;
  try {
    let kills = 0;
    for (let round = 0; round < 6; round++) {
      const acked = await runAndKill(child, dir, 150 + round * 70);
      kills++;
      const s = await LevelStorage.open(dir);
      const first = s.firstIndex();
      const last = s.lastIndex();
      const hs = s.initialState().hardState;
      const ents = s.entries(first, last + 1, Number.MAX_SAFE_INTEGER);
      assert.ok(ents !== 'compacted');
      let prevTerm = 0;
      for (const [k, e] of ents.entries()) {
        assert.is(e.index, first + k, 'contiguous');
        assert.ok(e.term >= prevTerm, 'terms never decrease');
        assert.is(utf8d.decode(e.data), `${e.index}:${e.term}`, 'entry data intact');
        prevTerm = e.term;
      }
      assert.ok(hs.commit <= last, `commit ${hs.commit} within the log (last ${last})`);
      assert.ok(hs.term >= prevTerm, 'hard state term covers the log');
      if (acked !== null) {
        // An acknowledged entry may be gone only if a later term legally replaced the suffix
        // (the child does that, as a new leader does with uncommitted entries).
        assert.ok(last >= acked.index || hs.term > acked.term, `acknowledged index ${acked.index} survived (last ${last})`);
        const t = s.term(acked.index);
        assert.ok(t === undefined || t >= acked.term, 'acknowledged entry kept or replaced by a later term');
        assert.ok(hs.term >= acked.term, 'acknowledged term survived');
      }
      await s.close();
    }
    assert.is(kills, 6);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
crash.run();

function runAndKill(script: string, dir: string, afterMs: number): Promise<{ index: number; term: number } | null> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [script, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let acked: { index: number; term: number } | null = null;
    let buffer = '';
    let stderr = '';
    p.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) {
        const [, index, term] = line.split(' ');
        acked = { index: Number(index), term: Number(term) };
      }
    });
    p.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => p.kill('SIGKILL'), afterMs);
    p.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`child exited early (${code}): ${stderr}`));
      else resolve(acked);
    });
  });
}

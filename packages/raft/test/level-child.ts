// Child process for the kill -9 test of LevelStorage: opens the store at argv[2] and appends
// Ready-like batches forever (occasionally starting a new term that overwrites the last two
// entries, as a new leader would), printing "acked <lastIndex> <term>" after each synced batch.
// The parent kills it with SIGKILL at a random moment. Entry data is "<index>:<term>" so the
// parent can verify every stored entry byte for byte.

import { LevelStorage } from '../src/level-storage.js';
import { type Entry, type NodeId, nodeId } from '../src/index.js';

const storage = await LevelStorage.open(process.argv[2]!);
const utf8 = new TextEncoder();
let term = Math.max(1, storage.hardState().term);
const vote: NodeId = nodeId(1);
for (let round = 0; round < 1_000_000; round++) {
  let start = storage.lastIndex() + 1;
  if (round % 7 === 6 && storage.lastIndex() - storage.firstIndex() >= 2 && storage.lastIndex() - 1 > storage.hardState().commit) {
    // A new leader's entries replace an uncommitted suffix of two entries.
    term++;
    start = storage.lastIndex() - 1;
  }
  const entries: Entry[] = [];
  for (let k = 0; k < 1 + (round % 5); k++) {
    const index = start + k;
    entries.push({ index, term, type: 'normal', data: utf8.encode(`${index}:${term}`) });
  }
  const last = entries[entries.length - 1]!.index;
  // Commit trails the log by a few entries, never beyond what is stored.
  const commit = Math.max(storage.hardState().commit, Math.min(start - 1, last - 3));
  await storage.save({ entries, hardState: { term, vote, commit }, snapshot: null });
  if (round % 50 === 49) await storage.createSnapshot(commit, { voters: [vote], learners: [] }, utf8.encode(`snap@${commit}`), Math.max(storage.firstIndex() - 1, commit - 5));
  process.stdout.write(`acked ${last} ${term}\n`);
}

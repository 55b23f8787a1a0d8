// Runs the data-driven transcripts in testdata/*.txt through the interaction environment and
// compares each command's output (Readys, messages, the core's log lines) with the expected text.
// REWRITE=1 regenerates the files; review the diff like code: the transcripts are the spec.

import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runFile } from './datadriven.js';
import { InteractionEnv } from './interaction-env.js';

// dist/test/transcript.test.js → packages/raft/testdata
const testdata = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'testdata');
const rewrite = process.env.REWRITE === '1';

const transcripts = suite('transcripts');
for (const file of readdirSync(testdata).filter((f) => f.endsWith('.txt')).sort()) {
  transcripts(file, () => {
    const path = join(testdata, file);
    const text = readFileSync(path, 'utf8');
    const env = new InteractionEnv();
    const actual = runFile(text, (t) => env.handle(t));
    if (rewrite) writeFileSync(path, actual);
    else assert.fixture(actual, text);
  });
}
transcripts.run();

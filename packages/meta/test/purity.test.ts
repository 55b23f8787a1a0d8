// The state machine must be deterministic: its sources may not reach for I/O, clocks or
// randomness. This reads every source file and fails on the tokens that would break that.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';

const srcDir = join(dirname(fileURLToPath(import.meta.url)), '../../src');
const forbidden = [/from 'node:/, /require\(/, /Date\.now/, /new Date\(/, /Math\.random/, /\bprocess\./, /\bBuffer\b/, /setTimeout|setInterval/];

const purity = suite('purity');
purity('meta sources use no I/O, clock or randomness', () => {
  const files = readdirSync(srcDir).filter((f) => f.endsWith('.ts'));
  assert.ok(files.length > 3);
  for (const f of files) {
    const text = readFileSync(join(srcDir, f), 'utf8');
    for (const re of forbidden) assert.not.ok(re.test(text), `${f} matches ${re}`);
  }
});
purity.run();

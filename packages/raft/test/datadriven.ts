// A small reader/rewriter for etcd-style data-driven test files:
//
//   # prose (kept verbatim)
//   cmd arg key=value key=(1,2,3)
//   ----
//   expected output (ends at the first blank line)
//
// `runFile` runs every command through a handler and returns the file with actual outputs in
// place of the expected ones; the caller compares or (with REWRITE=1) writes it back.

import { assert } from '@cairn/errors';

export interface Arg {
  key: string;
  values: string[];
}

export interface TestCase {
  /** 1-based line of the command, for error messages. */
  line: number;
  /** The command line as written. */
  raw: string;
  cmd: string;
  args: Arg[];
  expected: string;
}

export interface Chunk {
  prose: string[];
  test: TestCase | null;
}

function parseArgs(words: string[]): Arg[] {
  return words.map((w) => {
    const eq = w.indexOf('=');
    if (eq < 0) return { key: w, values: [] };
    const key = w.slice(0, eq);
    let value = w.slice(eq + 1);
    if (value.startsWith('(') && value.endsWith(')')) value = value.slice(1, -1);
    return { key, values: value === '' ? [] : value.split(',') };
  });
}

/** Splits a data-driven file into prose and test cases, in order. */
export function parse(text: string): Chunk[] {
  const lines = text.split('\n');
  const chunks: Chunk[] = [];
  let prose: string[] = [];
  let k = 0;
  while (k < lines.length) {
    const line = lines[k]!;
    if (line.trim() === '' || line.startsWith('#')) {
      prose.push(line);
      k++;
      continue;
    }
    const cmdLine = k + 1;
    const words = line.trim().split(/\s+/);
    k++;
    assert(lines[k] === '----', `line ${k + 1}: expected ---- after command "${line}"`);
    k++;
    const out: string[] = [];
    while (k < lines.length && lines[k] !== '') out.push(lines[k++]!);
    chunks.push({ prose, test: { line: cmdLine, raw: line.trimEnd(), cmd: words[0]!, args: parseArgs(words.slice(1)), expected: out.join('\n') } });
    prose = [];
  }
  if (prose.length > 0) chunks.push({ prose, test: null });
  return chunks;
}

/** Runs every case and renders the file with the actual outputs. */
export function runFile(text: string, run: (t: TestCase) => string): string {
  const out: string[] = [];
  for (const chunk of parse(text)) {
    out.push(...chunk.prose);
    if (chunk.test === null) continue;
    const t = chunk.test;
    out.push(t.raw);
    out.push('----');
    let result = run(t).replace(/\n+$/, '');
    if (result === '') result = 'ok';
    assert(!result.split('\n').some((l) => l.trim() === ''), `line ${t.line}: output must not contain blank lines`);
    out.push(result);
  }
  return out.join('\n');
}

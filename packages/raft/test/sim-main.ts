// The simulator's command line: `pnpm sim [--seed S] [--count N] [--trace]`. Runs seeds S..S+N-1
// (S defaults to a time-derived seed, printed first), prints each seed's swarm options, and on
// the first failure prints the violation and the command that reproduces it, then exits with a
// code that says what kind of failure it was.

import { type RunResult, describeSwarm, runSeed } from './sim/cluster.js';

export const ExitCode = {
  Ok: 0,
  Usage: 2,
  Correctness: 3,
  Liveness: 4,
  Crash: 5,
} as const;

function parseArgs(argv: string[]): { seed: number; count: number; trace: boolean; quiet: boolean } {
  let seed = Date.now() % 1_000_000_000;
  let count = 1;
  let trace = false;
  let quiet = false;
  for (let k = 0; k < argv.length; k++) {
    const arg = argv[k]!;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++k];
      const n = Number(v);
      if (v === undefined || !Number.isSafeInteger(n) || n < 0) usage(`${flag} needs a non-negative integer`);
      return n;
    };
    if (flag === '--seed') seed = value();
    else if (flag === '--count') count = value();
    else if (flag === '--trace') trace = true;
    else if (flag === '--quiet') quiet = true;
    else usage(`unknown argument ${arg}`);
  }
  return { seed, count, trace, quiet };
}

function usage(why: string): never {
  console.error(`sim: ${why}\nusage: pnpm sim [--seed S] [--count N] [--trace] [--quiet]`);
  process.exit(ExitCode.Usage);
}

function exitCodeFor(r: RunResult): number {
  switch (r.kind) {
    case 'correctness':
      return ExitCode.Correctness;
    case 'liveness':
      return ExitCode.Liveness;
    default:
      return ExitCode.Crash;
  }
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  for (let seed = args.seed; seed < args.seed + args.count; seed++) {
    const r = runSeed(seed, args.trace ? (line) => console.log(line) : null);
    if (!args.quiet || !r.ok) console.log(describeSwarm(r.swarm));
    if (!r.ok) {
      console.log(`FAIL (${r.kind}): ${r.message}`);
      console.log(`reproduce: pnpm sim --seed ${seed} --count 1`);
      process.exit(exitCodeFor(r));
    }
    if (!args.quiet) {
      const s = r.stats;
      console.log(`  ok: events=${s.events} msgs=${s.messages} ops=${s.opsOk} unknown=${s.opsUnknown} elections=${s.elections} maxTerm=${s.maxTerm} commit=${s.commit}`);
    }
  }
  console.log(`${args.count} seeds from ${args.seed} passed in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

main();

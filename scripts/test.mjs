// Runs every test file of every package, then the cross-package end-to-end tests, one uvu
// process per directory (so a crash in one does not hide the others), and prints one summary.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dirs = readdirSync(join(root, 'packages'))
  .map((p) => join('packages', p, 'dist', 'test'))
  .filter((d) => existsSync(join(root, d)));
if (existsSync(join(root, 'test', 'dist', 'e2e'))) dirs.push(join('test', 'dist', 'e2e'));
// The Kubernetes manifests against the Kubernetes schemas (docker/test has its own npm deps).
const manifests = existsSync(join(root, 'docker', 'test', 'node_modules')) ? [join('docker', 'test')] : [];

const uvu = join(root, 'node_modules', 'uvu', 'bin.js');
let total = 0;
let passed = 0;
const failedDirs = [];
// CI shows only the tail of the log, so each failure's report is repeated in the summary.
const failureReports = [];
const started = Date.now();
for (const dir of [...dirs, ...manifests]) {
  process.stdout.write(`\n=== ${dir}\n`);
  const pattern = manifests.includes(dir) ? 'manifests\\.test\\.mjs$' : '\\.test\\.js$';
  const r = spawnSync(process.execPath, [uvu, dir, pattern], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  process.stdout.write(r.stdout ?? '');
  const plain = (r.stdout ?? '').replace(/\x1b\[[0-9;]*m/g, '');
  const t = /Total:\s+(\d+)/.exec(plain);
  const p = /Passed:\s+(\d+)/.exec(plain);
  total += t ? Number(t[1]) : 0;
  passed += p ? Number(p[1]) : 0;
  if (r.status !== 0) {
    failedDirs.push(dir);
    failureReports.push(...failuresIn(plain, dir));
  }
}
const secs = ((Date.now() - started) / 1000).toFixed(1);
process.stdout.write(`\n=== summary: ${passed}/${total} tests passed in ${dirs.length + manifests.length} suites, ${secs}s\n`);
if (failedDirs.length > 0) {
  for (const report of failureReports) process.stdout.write(`\n${report}\n`);
  process.stdout.write(`FAILED: ${failedDirs.join(', ')}\n`);
  process.exit(1);
}

/** uvu prints each failure as a "FAIL" line and its details up to the next blank-line gap. */
function failuresIn(plain, dir) {
  const lines = plain.split('\n');
  const reports = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*FAIL\s/.test(lines[i])) continue;
    const block = [`[${dir}] ${lines[i].trim()}`];
    for (let j = i + 1; j < lines.length && j < i + 25 && !/^\s*FAIL\s/.test(lines[j]) && !/^\s*Total:/.test(lines[j]); j++) {
      if (lines[j].trim() !== '') block.push(lines[j]);
    }
    reports.push(block.join('\n'));
  }
  if (reports.length === 0) reports.push(`[${dir}] exited without a uvu failure report (crash?); see its output above`);
  return reports;
}

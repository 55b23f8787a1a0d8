#!/usr/bin/env python3
# Shrinks a failing POSIX model run (test/e2e/posix-model.test.ts) to a short op sequence that
# still shows the mismatch: the ops before the failing one are cut down with delta debugging
# (Zeller's ddmin) while the failing op's outcome still differs between the two sides.
#
# It needs a live mount and a local directory to compare with, for example a cluster started with
# `./bin/cairn up --detach` (mount at ./mnt) and a directory under /tmp. Every trial runs in fresh
# sandboxes `<base>/shrink-<n>/sub/root` on both sides (made by this script, removed after), so
# the bases can be reused. For the user profile it lays out the fixture as root and runs the
# driver as uid 1000 through setpriv, like the test.
#
#   python3 test/posix/shrink.py --mount-base ./mnt --local-base /tmp/posix-local \
#       --profile root --seed 7 --count 4000 --known chown-noop-ctime --index 247
#
# (the failure message of the test prints these arguments). For the user profile both bases must
# be reachable by uid 1000 (every directory above them at least 0755).
# Prints the minimal op list as JSON, both transcripts of it, and the command that replays it.
# A mismatch that depends on timing (cache expiry) may not survive shrinking; each trial runs once.
import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DRIVER = os.path.join(HERE, 'driver.py')
PYTHON = '/usr/bin/python3'


def load_driver():
    spec = importlib.util.spec_from_file_location('posix_driver', DRIVER)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


class Trials:
    def __init__(self, a, ops):
        self.a = a
        self.ops = ops
        self.count = 0

    def sandbox(self, base):
        root = os.path.join(base, f'shrink-{self.count}', 'sub', 'root')
        os.makedirs(root, mode=0o755)
        os.chmod(os.path.join(base, f'shrink-{self.count}'), 0o755)
        os.chmod(os.path.dirname(root), 0o755)
        os.chmod(root, 0o755)
        return root

    def run_side(self, root, ops):
        if self.a.profile == 'user':
            subprocess.run([PYTHON, DRIVER, 'fixture', '--root', root], check=True, capture_output=True)
        cmd = [PYTHON, DRIVER, 'run', '--root', root, '--ops-json', json.dumps(ops)]
        if self.a.known:
            cmd += ['--known', self.a.known]
        if self.a.profile == 'user':
            cmd = ['setpriv', f'--reuid={self.a.uid}', f'--regid={self.a.uid}', '--clear-groups'] + cmd
        r = subprocess.run(cmd, capture_output=True, text=True, cwd='/')
        if r.returncode != 0:
            sys.exit(f'driver failed on {root}:\n{r.stderr}')
        return r.stdout.splitlines()

    def transcripts(self, indices):
        self.count += 1
        ops = [self.ops[i] for i in indices]
        out = []
        for base in (self.a.mount_base, self.a.local_base):
            root = self.sandbox(base)
            try:
                out.append(self.run_side(root, ops))
            finally:
                shutil.rmtree(os.path.dirname(os.path.dirname(root)), ignore_errors=True)
        return out

    def fails(self, indices):
        """Whether the last op (the failing one, always included) has different outcomes."""
        mount, local = self.transcripts(indices)
        return mount[-1:] != local[-1:]


def ddmin(items, fails):
    n = 2
    while len(items) >= 2:
        size = -(-len(items) // n)
        parts = [items[i:i + size] for i in range(0, len(items), size)]
        for cand in parts + [[x for x in items if x not in set(p)] for p in parts]:
            if cand and len(cand) < len(items) and fails(cand):
                items, n = cand, max(n - 1, 2)
                break
        else:
            if n >= len(items):
                break
            n = min(len(items), n * 2)
    return items


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--mount-base', required=True)
    ap.add_argument('--local-base', required=True)
    ap.add_argument('--profile', choices=('root', 'user'), default='root')
    ap.add_argument('--seed', type=int, required=True)
    ap.add_argument('--count', type=int, required=True)
    ap.add_argument('--known', default='')
    ap.add_argument('--index', type=int, required=True, help='the op index of the first mismatch')
    ap.add_argument('--uid', type=int, default=1000)
    a = ap.parse_args()
    d = load_driver()
    ops = d.generate(a.seed, a.count, a.profile)
    t = Trials(a, ops)
    last = a.index
    if not t.fails(list(range(last + 1))):
        sys.exit(f'op {last} does not differ when replayed (timing-dependent?)')
    # A cheap first cut: the shortest tail that still fails, then ddmin over what is left.
    before = list(range(last))
    k = 8
    while k < len(before):
        if t.fails(before[-k:] + [last]):
            before = before[-k:]
            break
        k *= 4
    before = ddmin(before, lambda c: t.fails(c + [last])) if before and t.fails(before + [last]) else before
    if before and t.fails([last]):
        before = []
    minimal = [ops[i] for i in before + [last]]
    mount, local = t.transcripts(before + [last])
    print(f'# {t.count} trials; {len(minimal)} ops (indices {before + [last]})')
    print(json.dumps(minimal, ensure_ascii=False))
    print('# mount:')
    print('\n'.join(mount))
    print('# local:')
    print('\n'.join(local))
    print(f"# replay: python3 {DRIVER} run --root DIR --ops-json '{json.dumps(minimal, ensure_ascii=False)}'"
          + (f' --known {a.known}' if a.known else ''))


if __name__ == '__main__':
    main()

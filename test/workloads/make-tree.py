#!/usr/bin/env python3
"""Builds a file tree for the workload tests, the same bytes and metadata for the same seed.

usage: make-tree.py SEED DIR

DIR must not exist. The tree holds regular files of chosen sizes (empty, around the 64 KiB
inline limit, a few MiB), nested and empty directories, relative, absolute and dangling
symlinks, and two hard-linked pairs (one small, one large), each with a chosen mode, numeric
owner (root and others, with no passwd entry) and mtime. Times are whole milliseconds, because
the mount stores them in milliseconds: the tests compare trees for exact equality.
Must run as root (chown). Prints one tab-separated line per entry: `kind path`, and for the
second name of a hard link `hardlink path first-name`.
"""
import os
import random
import sys

seed = int(sys.argv[1])
root = sys.argv[2]
rng = random.Random(seed)

# Sizes around the edges that matter: inline data (<= 64 KiB), the 64 KiB CRC block, and
# files of a few MiB made of several blocks.
SIZES = [0, 1, 511, 4096, 65535, 65536, 65537, 131072 + 17, 200_000, 1024 * 1024 + 7, 3 * 1024 * 1024 + 1234]
FILE_MODES = [0o644, 0o600, 0o755, 0o444, 0o640, 0o700, 0o4755, 0o2755, 0o664]
DIR_MODES = [0o755, 0o700, 0o750, 0o2775, 0o1777, 0o555]
OWNERS = [(0, 0), (1234, 1234), (1234, 100), (65534, 65534), (4321, 50)]
NAMES = ['alpha', 'with space', 'ünïcödé', 'UPPER', '.hidden', 'x' * 200, '-dash', 'a.b.c']

entries = []  # (kind, relative path[, first name of a hard link])


def path(rel):
    return os.path.join(root, rel)


def content(size):
    # randbytes is seeded by rng, so the bytes follow from the seed.
    return rng.randbytes(size)


def add_file(rel, size):
    with open(path(rel), 'wb') as f:
        f.write(content(size))
    entries.append(('file', rel))


os.mkdir(root)
SPACED = 'dir with space'
dirs = ['a', 'a/b', 'a/b/c', 'empty', 'a/b/c/' + NAMES[2], SPACED]
for d in dirs:
    os.mkdir(path(d))
    entries.append(('dir', d))

files = []
for i, size in enumerate(SIZES):
    parent = rng.choice(['', 'a', 'a/b', 'a/b/c', SPACED])
    rel = os.path.join(parent, f'f{i:02d}-{size}')
    add_file(rel, size)
    files.append(rel)
for i, name in enumerate(NAMES):
    rel = os.path.join(rng.choice(['', 'a/b', dirs[4]]), name)
    add_file(rel, rng.randrange(0, 100_000))
    files.append(rel)

# Hard links: one pair of inline size, one pair of several MiB, in different directories.
small, large = 'a/hl-small', 'hl-large'
add_file(small, 3000)
add_file(large, 2 * 1024 * 1024 + 99)
os.link(path(small), path('a/b/c/hl-small-twin'))
os.link(path(large), path(SPACED + '/hl-large-twin'))
entries += [('hardlink', 'a/b/c/hl-small-twin', small), ('hardlink', SPACED + '/hl-large-twin', large)]

symlinks = {
    'a/rel-file': '../' + files[0],
    'a/b/rel-dir': '../../a',
    'abs-outside': '/etc/hostname',
    'a/b/c/dangling-rel': 'no/such/file',
    'dangling-abs': '/nonexistent/cairn/target',
    SPACED + '/self-dir': '.',
}
for rel, target in symlinks.items():
    os.symlink(target, path(rel))
    entries.append(('symlink', rel))

# Metadata last, children before parents so that a directory's mtime is the final word.
# Modes and owners are dealt round-robin from shuffled lists, so that every one of them occurs.
for deck in (FILE_MODES, DIR_MODES, OWNERS):
    rng.shuffle(deck)
every = sorted({e[1] for e in entries if e[0] != 'hardlink'}, key=lambda r: (-r.count('/'), r))
dealt = {'file': 0, 'dir': 0, 'owner': 0}
for rel in every:
    p = path(rel)
    uid, gid = OWNERS[dealt['owner'] % len(OWNERS)]
    dealt['owner'] += 1
    os.chown(p, uid, gid, follow_symlinks=False)
    if not os.path.islink(p):
        kind = 'dir' if os.path.isdir(p) else 'file'
        modes = DIR_MODES if kind == 'dir' else FILE_MODES
        os.chmod(p, modes[dealt[kind] % len(modes)])
        dealt[kind] += 1
    ms = rng.randrange(1_000_000_000_000, 1_700_000_000_000)
    if rng.random() < 0.3:
        ms -= ms % 1000  # some whole seconds
    ns = ms * 1_000_000
    os.utime(p, ns=(ns, ns), follow_symlinks=False)
os.chmod(root, 0o755)
os.utime(root, ns=(1_234_567_890_123_000_000,) * 2)

for entry in entries:
    print('\t'.join(entry))

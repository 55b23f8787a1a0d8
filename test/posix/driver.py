#!/usr/bin/env python3
# The POSIX model driver: generates a seeded random sequence of file system operations, runs it
# under one directory, and prints one JSON line per operation with its outcome. The differential
# test (test/e2e/posix-model.test.ts) runs it with the same seed on a Cairn FUSE mount and on a
# local ext4 directory and requires the two transcripts to be identical, line by line.
#
# Invariants that make the two runs comparable:
# - The operation sequence is a pure function of (seed, count, profile): generate() runs
#   before anything executes and never looks at a result. State the executor keeps (which of the
#   four fd slots holds an open file) is a function of earlier outcomes, which are all printed, so
#   as long as the transcripts agree up to op i, both executors are in the same state at op i.
# - Nothing printed depends on the file system's identity: no inode or device numbers, no
#   st_blksize, no st_blocks, no directory st_size, no absolute times except those set explicitly
#   by utimensat (see `time_class`), and atime only right after utimensat set it (Linux relatime on
#   ext4 updates atime on reads; a FUSE file system keeps whatever it stores).
# - Time ordering is observed in two robust ways. (1) Every stat prints whether ctime >= mtime and
#   whether mtime is "now" (within a day of the wall clock) or an explicit value, compared as
#   st_mtime_ns // 1_000_000 (Cairn stamps clock times in milliseconds). (2) A `tcheck` wraps one op:
#   it lstats the paths the operation touches (and their parent directories), sleeps TICK_S, runs
#   the operation, lstats again and prints for each object whether mtime and ctime went back (<),
#   stayed (=) or advanced (>), again in whole milliseconds. The sleep is longer than one kernel
#   tick (ext4 takes times from the coarse clock: 4 ms at HZ=250) and than Cairn's 1 ms
#   resolution, so "advanced" and "stayed" cannot be confused by timing.
# - Every open adds O_NONBLOCK | O_CLOEXEC so that opening a FIFO never blocks (O_NONBLOCK does
#   nothing to regular files and directories).
# - Symlink targets climb at most two levels ('../..'); the caller puts the root two directories
#   below a sandbox whose contents are the same on both sides, so nothing reaches outside.
#
# Operations (see Gen.simple and Gen.scenario): open with any mix of O_CREAT, O_EXCL, O_TRUNC,
# O_APPEND, O_DIRECTORY, O_NOFOLLOW and an access mode into one of four slots; write, pwrite (also
# far past the end: holes, and across Cairn's 64 KiB inline and 64 MiB chunk limits), read, pread,
# lseek, ftruncate, fsync, fdatasync, fstat, fchmod, fchown, close; stat, lstat, content (the
# first MiB), listdir, readlink, access, mkdir, rmdir, unlink, rename, link, symlink, chmod (with
# setuid, setgid and sticky bits), chown, truncate, utimensat (explicit, UTIME_NOW, UTIME_OMIT,
# NULL; following symlinks or not), mkfifo, mknod (regular file, socket), setxattr (XATTR_CREATE,
# XATTR_REPLACE), getxattr, listxattr, removexattr; rmtree (rm -r, so the tree keeps changing)
# and walk (the whole tree: every lstat and content). Paths come from five names in up to three
# levels, plus names of 255 and 256 bytes (ASCII and UTF-8), '.', '..' and trailing slashes.
# About one op in fifteen runs inside a tcheck (above); short scenarios line up what chance
# rarely does (rename between hard links of one inode, a directory into its own subtree, over an
# empty or non-empty directory, file over directory, two descriptors with O_APPEND, holes, shrink
# and grow, O_CREAT through a dangling symlink).
#
# Usage (stdlib only; prints JSON lines on stdout):
#   driver.py run --root DIR --seed N --count N --profile root|user
#                 [--only I,J,...] [--ops-json JSON] [--known ID,...]
#   driver.py fixture --root DIR --uid U --gid G     (as root: the directories the user profile uses)
#   driver.py ops --seed N --count N --profile P      (prints the generated ops, runs nothing)
import argparse
import ctypes
import errno
import hashlib
import json
import os
import random
import stat
import sys
import time

NAMES = ('a', 'b', 'c', 'd', 'e')
# How often each name is picked: directories tend to be a/b and files d/e, so the tree grows both,
# while c (and every name now and then) collides across kinds.
NAME_WEIGHTS = {'dir': (4, 4, 2, 1, 1), 'file': (1, 1, 2, 4, 4), 'any': (1, 1, 1, 1, 1)}
SLOTS = 4
TICK_S = 0.02
CONTENT_BYTES_MAX = 1 << 20
DAY_NS = 86_400 * 10**9
UMASK = 0o022

UTIME_NOW = (1 << 30) - 1
UTIME_OMIT = (1 << 30) - 2
AT_FDCWD = -100
AT_SYMLINK_NOFOLLOW = 0x100

# Known differences (Cairn bugs) the test can ask the executor to step around, the same way on
# both sides, until they are fixed. They act when ops run, never when they are generated, so a
# seed names the same op sequence whichever are on; a skipped op prints {"skip": "known <id>"}
# and a changed one says what was done. Each costs some checking, so each is named and explained:
#   chown-noop-ctime  skip chown/fchown with both ids -1: Linux still advances ctime, the mount
#                     leaves it (the kernel's ctime-only SETATTR never becomes a libfuse 2 call);
#   efbig-kills-suid  as a non-root caller, skip truncate/ftruncate to a length above the largest
#                     file: the mount answers EFBIG but has already cleared S_ISUID/S_ISGID (the
#                     kill-priv chmod arrives before the size is refused);
#   removed-open-special  before unlink, rmdir or rename removes the name of a FIFO, socket or
#                     directory, close every slot open on it: once removed it has no path left,
#                     so fstat on the open descriptor fails with ENOENT on the mount;
#   unlink-open-nlink  before unlink or rename removes one name of a regular file that has more,
#                     close every slot open on it: the open descriptor then reports st_nlink 0
#                     on the mount although the file still has a name;
#   unlinked-open-dir-removed  before rmdir, or a rename over a directory, close every slot open
#                     on a regular file that has no name left (st_nlink 0): once the directory it
#                     was unlinked from is removed, fstat and write on the descriptor fail with
#                     ENOENT on the mount.
KNOWN = ('chown-noop-ctime', 'efbig-kills-suid', 'removed-open-special', 'unlink-open-nlink', 'unlinked-open-dir-removed')
known = set()

# The user profile's layout under the root (see `fixture`): where paths start, and how often.
USER_PREFIXES = (('u', 70), ('ro', 8), ('priv', 5), ('sticky', 10), ('sgid', 7))

OPEN_FLAGS = {
    'RDONLY': os.O_RDONLY, 'WRONLY': os.O_WRONLY, 'RDWR': os.O_RDWR, 'CREAT': os.O_CREAT,
    'EXCL': os.O_EXCL, 'TRUNC': os.O_TRUNC, 'APPEND': os.O_APPEND, 'DIRECTORY': os.O_DIRECTORY,
    'NOFOLLOW': os.O_NOFOLLOW,
}
WHENCE = {'SET': os.SEEK_SET, 'CUR': os.SEEK_CUR, 'END': os.SEEK_END}
ACCESS = {'F': os.F_OK, 'R': os.R_OK, 'W': os.W_OK, 'X': os.X_OK, 'RW': os.R_OK | os.W_OK,
          'RX': os.R_OK | os.X_OK, 'RWX': os.R_OK | os.W_OK | os.X_OK}


# ---------------------------------------------------------------------------------------------
# Generation: a pure function of the seed.

class Gen:
    def __init__(self, seed, profile):
        self.r = random.Random(seed)
        self.profile = profile
        self.last_slot = 0

    def name(self, intent='any'):
        return self.r.choices(NAMES, NAME_WEIGHTS[intent])[0]

    def normal(self, depth=None, intent='any'):
        r = self.r
        if depth is None:
            depth = r.choices((1, 2, 3), (6, 4, 1))[0]
        parts = [self.name('dir') for _ in range(depth - 1)] + [self.name(intent)]
        if self.profile == 'user':
            prefix = r.choices([p for p, _ in USER_PREFIXES], [w for _, w in USER_PREFIXES])[0]
            parts = [prefix] + parts[-2:]
        return '/'.join(parts)

    def path(self, intent='any'):
        r = self.r
        if r.random() >= 0.08:
            return self.normal(intent=intent)
        base = self.normal(1, 'dir') if r.random() < 0.6 else ('u' if self.profile == 'user' else '')
        kind = r.randrange(9)
        join = (lambda n: f'{base}/{n}' if base else n)
        if kind == 0:
            return join('x' * 255)                  # the longest valid name
        if kind == 1:
            return join('y' * 256)                  # ENAMETOOLONG
        if kind == 2:
            return join('\u00e9' * 128)             # 256 bytes in UTF-8: ENAMETOOLONG
        if kind == 3:
            return join('\u00e9' * 127 + 'z')       # 255 bytes in UTF-8: valid
        if kind == 4:
            return join('.') if base else '.'
        if kind == 5:
            return join('..') if base else '.'
        if kind == 6:
            return self.normal(intent=intent) + '/'  # trailing slash
        if kind == 7:
            return self.normal(1, 'dir') + '/' + 'x' * 255 + '/' + self.name(intent)
        return '.'

    def mode(self):
        r = self.r
        if r.random() < 0.15:
            return '%o' % r.randrange(0o10000)
        return r.choice(('644', '600', '755', '777', '000', '444', '700', '4755', '2755', '1777',
                         '6750', '2644', '311'))

    def size(self):
        r = self.r
        x = r.random()
        if x < 0.40:
            return r.randrange(1, 100)
        if x < 0.65:
            return r.randrange(100, 5000)
        if x < 0.80:
            return r.randrange(5000, 70000)
        if x < 0.90:
            return r.choice((65535, 65536, 65537, 131072, 131073))
        return r.randrange(70000, 600000)

    def offset(self):
        r = self.r
        x = r.random()
        if x < 0.10:
            return 0
        if x < 0.50:
            return r.randrange(0, 5000)
        if x < 0.70:
            return r.choice((65530, 65535, 65536, 65537, 131071, 131072, 131080))
        if x < 0.93:
            return r.randrange(0, 2 << 20)
        return (64 << 20) + r.randrange(-3, 4)      # across Cairn's 64 MiB chunk boundary

    def length(self):
        r = self.r
        x = r.random()
        if x < 0.25:
            return 0
        if x < 0.50:
            return r.randrange(1, 5000)
        if x < 0.60:
            return r.choice((65535, 65536, 65537))
        if x < 0.85:
            return r.randrange(0, 2 << 20)
        if x < 0.90:
            return (64 << 20) + r.randrange(-3, 4)
        if x < 0.93:
            return 1 << 40                          # sparse and huge: only ever read in part
        if x < 0.97:
            return -1                               # EINVAL
        return 1 << 62                              # EFBIG

    def explicit_ns(self):
        # Far from now on purpose: `time_class` prints such times exactly and any time within a
        # day of the wall clock as "now".
        r = self.r
        x = r.random()
        if x < 0.15:
            sec = r.randrange(-2_000_000_000, -100_000_000)
        elif x < 0.70:
            sec = r.randrange(500_000_000, 1_500_000_000)
        elif x < 0.95:
            sec = r.randrange(2_200_000_000, 4_000_000_000)
        else:
            sec = 0
        return sec * 10**9 + r.randrange(10**9)

    def target(self, link):
        r = self.r
        x = r.random()
        if x < 0.6:
            return '../' * r.choice((0, 0, 0, 1, 2)) + '/'.join(self.name() for _ in range(r.choice((1, 1, 2))))
        if x < 0.7:
            return r.choice(('.', '..', './a', 'a/../b'))
        if x < 0.8:
            return link.rstrip('/').rsplit('/', 1)[-1] or 'a'   # itself: ELOOP when followed
        return r.choice(('', 'z' * 1000, 'q/' * 2047 + 'q', 'w' * 4096, 'dir/', 'a//b'))

    def ids(self):
        r = self.r
        if self.profile == 'root':
            return r.choice((-1, 0, 1000, 1001, 65534)), r.choice((-1, 0, 1000, 2000, 65534))
        return r.choice((-1, -1, 1000, 0, 1001)), r.choice((-1, -1, 1000, 0, 2000))

    def data(self):
        return self.size(), self.r.randrange(1 << 30)

    def open_op(self, slot=None, path=None, flags=None):
        r = self.r
        if flags is None:
            flags = [r.choices(('RDONLY', 'WRONLY', 'RDWR'), (3, 3, 4))[0]]
            for f, p in (('CREAT', 0.65), ('EXCL', 0.2), ('TRUNC', 0.2), ('APPEND', 0.15),
                         ('DIRECTORY', 0.07), ('NOFOLLOW', 0.07)):
                if r.random() < p:
                    flags.append(f)
        self.last_slot = self.r.randrange(SLOTS) if slot is None else slot
        return ['open', self.last_slot, path or self.path('file'), flags, self.mode()]

    def slot(self):
        # Mostly the slot most recently opened, so that descriptor operations find one.
        if self.r.random() < 0.6:
            return self.last_slot
        return self.r.randrange(SLOTS)

    def xattr_name(self):
        return self.r.choices(('user.a', 'user.b', 'user.' + 'n' * 250, 'user.' + 'n' * 251,
                               'trusted.t', 'other.o', 'user.'), (30, 25, 4, 3, 5, 2, 2))[0]

    def utime_arg(self):
        x = self.r.random()
        if x < 0.35:
            return self.explicit_ns()
        return 'now' if x < 0.7 else 'omit'

    def one(self):
        """One operation (or a short scenario of several)."""
        r = self.r
        kinds = [
            ('open', 14), ('close', 4), ('write', 8), ('pwrite', 6), ('read', 4), ('pread', 4),
            ('lseek', 2), ('ftruncate', 3), ('fsync', 2), ('fdatasync', 1), ('fstat', 3), ('fchmod', 1), ('fchown', 1),
            ('stat', 5), ('lstat', 4), ('content', 4), ('listdir', 4), ('readlink', 2), ('access', 3),
            ('mkdir', 5), ('rmdir', 4), ('unlink', 5), ('rename', 8), ('link', 4), ('symlink', 4),
            ('chmod', 4), ('chown', 3), ('truncate', 3), ('utime', 4), ('mkfifo', 1), ('mknod', 1),
            ('scenario', 4), ('walk', 0.3), ('rmtree', 1.5),
            ('setxattr', 3), ('getxattr', 2), ('listxattr', 2), ('removexattr', 2),
        ]
        k = r.choices([k for k, _ in kinds], [w for _, w in kinds])[0]
        if k == 'scenario':
            return self.scenario()
        if k == 'walk':
            return [['walk']]
        op = self.simple(k)
        if r.random() < 0.07:
            return [['tcheck', watch_of(op), op]]
        return [op]

    def simple(self, k):
        r = self.r
        s = self.slot
        follow = r.random() < 0.8
        if k == 'open':
            return self.open_op()
        if k in ('close', 'fsync', 'fdatasync', 'fstat'):
            return [k, s()]
        if k == 'write':
            return ['write', s(), *self.data()]
        if k == 'pwrite':
            return ['pwrite', s(), self.offset(), *self.data()]
        if k == 'read':
            return ['read', s(), self.size()]
        if k == 'pread':
            return ['pread', s(), self.offset(), self.size()]
        if k == 'lseek':
            return ['lseek', s(), r.choice((0, 0, 10, -1, -10, 5000, 70000)), r.choice(tuple(WHENCE))]
        if k == 'ftruncate':
            return ['ftruncate', s(), self.length()]
        if k == 'fchmod':
            return ['fchmod', s(), self.mode()]
        if k == 'fchown':
            return ['fchown', s(), *self.ids()]
        if k == 'rmtree':
            return ['rmtree', self.normal(r.choice((1, 1, 2)), 'dir')]
        if k in ('stat', 'lstat', 'content', 'listdir', 'readlink', 'rmdir', 'unlink', 'listxattr'):
            return [k, self.path()] + ([follow] if k == 'listxattr' else [])
        if k == 'access':
            return ['access', self.path(), r.choice(tuple(ACCESS)), follow]
        if k == 'mkdir':
            return [k, self.path('dir'), self.mode()]
        if k in ('mkfifo', 'chmod'):
            return [k, self.path('file' if k == 'mkfifo' else 'any'), self.mode()]
        if k == 'mknod':
            return ['mknod', self.path('file'), r.choice(('reg', 'sock')), self.mode()]
        if k == 'rename':
            return [k, self.path(), self.path()]
        if k == 'link':
            return [k, self.path('file'), self.path('file'), follow]
        if k == 'symlink':
            p = self.path('file')
            return ['symlink', self.target(p), p]
        if k == 'chown':
            return ['chown', self.path(), *self.ids(), follow]
        if k == 'truncate':
            return ['truncate', self.path('file'), self.length()]
        if k == 'utime':
            if r.random() < 0.2:
                return ['utime', self.path(), 'null', 'null', follow]
            return ['utime', self.path(), self.utime_arg(), self.utime_arg(), follow]
        if k == 'setxattr':
            n = r.choice((0, 1, 10, 100, 200, 200, 65537))
            return ['setxattr', self.path(), self.xattr_name(), n, r.randrange(1 << 30), r.choice((0, 0, 1, 2)), follow]
        if k in ('getxattr', 'removexattr'):
            return [k, self.path(), self.xattr_name(), follow]
        raise AssertionError(f'unknown op kind {k}')

    def scenario(self):
        """Short sequences that random choice alone rarely lines up."""
        r = self.r
        p, q, slot = self.normal(intent='file'), self.normal(intent='file'), self.slot()
        kind = r.randrange(8)
        if kind == 0:   # rename between two hard links of one inode: a no-op that succeeds
            return [['link', p, q, False], ['rename', p, q], ['lstat', p], ['lstat', q]]
        if kind == 1:   # a directory into its own subtree: EINVAL
            return [['mkdir', p, '755'], ['rename', p, f'{p}/{self.name()}'], ['rename', p, f'{p}/{self.name()}/{self.name()}']]
        if kind == 2:   # a directory over an empty or a non-empty directory
            ops = [['mkdir', p, '755'], ['mkdir', q, '755']]
            if r.random() < 0.5:
                ops.append(['mkdir', f'{q}/{self.name()}', '700'])
            return ops + [['rename', p, q], ['listdir', q]]
        if kind == 3:   # file over directory and directory over file
            return [['mkdir', p, '755'], self.open_op(slot, q, ['WRONLY', 'CREAT']), ['close', slot],
                    ['rename', p, q], ['rename', q, p], ['stat', p], ['stat', q]]
        if kind == 4:   # two descriptors on one file, one of them O_APPEND
            other = (slot + 1) % SLOTS
            return [self.open_op(slot, p, ['WRONLY', 'CREAT', 'APPEND']), self.open_op(other, p, ['RDWR']),
                    ['write', other, *self.data()], ['write', slot, *self.data()],
                    ['pwrite', slot, 0, *self.data()], ['fstat', other], ['pread', other, 0, 1 << 20], ['content', p]]
        if kind == 5:   # holes: write past the end, read the hole back
            off = self.offset() + r.randrange(1, 200000)
            return [self.open_op(slot, p, ['RDWR', 'CREAT']), ['pwrite', slot, off, *self.data()],
                    ['pread', slot, max(0, off - 5000), 10000], ['fstat', slot], ['close', slot], ['content', p]]
        if kind == 6:   # shrink then grow: the cut bytes must come back as zeros
            return [self.open_op(slot, p, ['RDWR', 'CREAT', 'TRUNC']), ['write', slot, 100000, r.randrange(1 << 30)],
                    ['ftruncate', slot, r.randrange(0, 70000)], ['ftruncate', slot, r.randrange(70000, 140000)],
                    ['pread', slot, 0, 200000], ['close', slot], ['stat', p]]
        # O_CREAT through a dangling symlink creates its target.
        name = self.name()
        return [['symlink', name, p], self.open_op(slot, p, ['WRONLY', 'CREAT']), ['close', slot],
                ['lstat', p], ['stat', p], ['readlink', p]]


def parent(path):
    p = path.rstrip('/')
    return p.rsplit('/', 1)[0] if '/' in p else '.'


def watch_of(op):
    """What a tcheck observes around `op`: its descriptor or its paths and their parents."""
    k = op[0]
    if k in ('write', 'pwrite', 'read', 'pread', 'lseek', 'ftruncate', 'fsync', 'fdatasync', 'fstat',
             'fchmod', 'fchown', 'close'):
        return [['fd', op[1]]]
    if k == 'open':
        paths = [op[2]]
    elif k == 'symlink':
        paths = [op[2]]
    elif k in ('rename', 'link'):
        paths = [op[1], op[2]]
    else:
        paths = [op[1]]
    out = []
    for p in paths:
        for w in (p, parent(p)):
            if w not in out:
                out.append(w)
    return out


def generate(seed, count, profile):
    g = Gen(seed, profile)
    ops = []
    while len(ops) < count:
        ops.extend(g.one())
    ops = ops[:count]
    # The epilogue: close every slot (close reports deferred write errors) and compare the tree.
    return ops + [['close', s] for s in range(SLOTS)] + [['walk']]


# ---------------------------------------------------------------------------------------------
# Execution.

libc = ctypes.CDLL(None, use_errno=True)


class Timespec(ctypes.Structure):
    _fields_ = [('tv_sec', ctypes.c_long), ('tv_nsec', ctypes.c_long)]


def check(rc):
    if rc != 0:
        e = ctypes.get_errno()
        raise OSError(e, os.strerror(e))


def timespec(t):
    if t == 'now':
        return Timespec(0, UTIME_NOW)
    if t == 'omit':
        return Timespec(0, UTIME_OMIT)
    return Timespec(t // 10**9, t % 10**9)


def errname(e):
    return errno.errorcode.get(e.errno, str(e.errno))


def time_class(ns):
    """An explicit (far from now) time exactly, in whole milliseconds; a recent one as 'now'."""
    if abs(ns - time.time_ns()) > DAY_NS:
        return ns // 1_000_000
    return 'now'


def ftype(mode):
    for test, c in ((stat.S_ISREG, 'f'), (stat.S_ISDIR, 'd'), (stat.S_ISLNK, 'l'), (stat.S_ISFIFO, 'p'),
                    (stat.S_ISSOCK, 's'), (stat.S_ISCHR, 'c'), (stat.S_ISBLK, 'b')):
        if test(mode):
            return c
    return '?'


def enc_stat(st):
    # Left out on purpose (they differ between any two file systems, not between right and wrong):
    # st_ino and st_dev (identity), st_blksize (I/O size hint), st_blocks (allocation unit and
    # hole tracking are the file system's choice; Cairn reports size/512 rounded up, ext4 4 KiB
    # blocks and real holes), st_size of directories (ext4: 4096 per block; FUSE: 0), and atime.
    t = ftype(st.st_mode)
    d = {'t': t, 'm': '%o' % stat.S_IMODE(st.st_mode), 'u': st.st_uid, 'g': st.st_gid, 'n': st.st_nlink}
    if t != 'd':
        d['s'] = st.st_size
    d['mt'] = time_class(st.st_mtime_ns)
    d['cm'] = st.st_ctime_ns // 1_000_000 >= st.st_mtime_ns // 1_000_000
    return d


def digest(data):
    if len(data) <= 24:
        return {'len': len(data), 'hex': data.hex()}
    return {'len': len(data), 'sha1': hashlib.sha1(data).hexdigest()[:16]}


def short(s):
    """A long name or symlink target abbreviated: its start, its length in bytes and a hash."""
    if len(s) <= 64:
        return s
    b = s.encode()
    return f'{s[:8]}...[{len(b)} bytes, sha1 {hashlib.sha1(b).hexdigest()[:12]}]'



def data_of(n, dseed):
    return random.Random(dseed).randbytes(n)


class Exec:
    def __init__(self, root):
        self.root = root
        self.slots = [None] * SLOTS

    def p(self, rel):
        return os.path.join(self.root, rel)

    def run(self, op):
        k = op[0]
        skip = known_skip(op)
        if skip:
            return {'skip': f'known {skip}'}
        if k == 'tcheck':
            return self.tcheck(op[1], op[2])
        extra = {}
        try:
            if k in ('unlink', 'rmdir', 'rename'):
                closed = self.close_open(op[2] if k == 'rename' else op[1])
                if closed:
                    extra['closed'] = closed
            v = getattr(self, 'op_' + k)(*op[1:])
            out = v if k == 'open' or (isinstance(v, dict) and 'skip' in v) else {'r': v}
        except OSError as e:
            out = {'e': errname(e)}
        except EmptySlot:
            out = {'skip': 'empty slot'}
        return {**out, **extra}

    # -- descriptors

    def fd(self, slot):
        fd = self.slots[slot]
        if fd is None:
            raise EmptySlot()
        return fd

    def close_slot(self, slot):
        fd = self.slots[slot]
        self.slots[slot] = None
        os.close(fd)

    def close_open(self, rel):
        """Before `rel` loses its name, closes the slots the known differences
        `removed-open-special`, `unlink-open-nlink` and `unlinked-open-dir-removed` ask for;
        returns them."""
        try:
            st = os.lstat(self.p(rel))
        except OSError:
            st = None
        if st is None or stat.S_ISLNK(st.st_mode):
            target = False
        elif stat.S_ISREG(st.st_mode):
            target = 'unlink-open-nlink' in known and st.st_nlink > 1
        else:
            target = 'removed-open-special' in known
        orphans = st is not None and stat.S_ISDIR(st.st_mode) and 'unlinked-open-dir-removed' in known
        closed = []
        for s, fd in enumerate(self.slots):
            try:
                fst = fd is not None and os.fstat(fd)
                same = fd is not None and ((target and fst.st_ino == st.st_ino)
                                           or (orphans and stat.S_ISREG(fst.st_mode) and fst.st_nlink == 0))
            except OSError:
                same = False
            if same:
                try:
                    self.close_slot(s)
                    closed.append(s)
                except OSError as e:
                    closed.append([s, errname(e)])
        return closed

    def op_open(self, slot, path, flags, mode):
        out = {}
        if self.slots[slot] is not None:
            try:
                self.close_slot(slot)
                out['closed'] = 'ok'
            except OSError as e:
                out['closed'] = errname(e)
        bits = os.O_NONBLOCK | os.O_CLOEXEC
        for f in flags:
            bits |= OPEN_FLAGS[f]
        try:
            self.slots[slot] = os.open(self.p(path), bits, int(mode, 8))
            out['r'] = 'ok'
        except OSError as e:
            out['e'] = errname(e)
        return out

    def op_close(self, slot):
        self.fd(slot)
        self.close_slot(slot)
        return 'ok'

    def op_write(self, slot, n, dseed):
        return self.fifo_skip(slot) or os.write(self.fd(slot), data_of(n, dseed))

    def op_pwrite(self, slot, off, n, dseed):
        return self.fifo_skip(slot) or os.pwrite(self.fd(slot), data_of(n, dseed), off)

    def fifo_skip(self, slot):
        # Data written to a FIFO goes through the kernel's pipe buffer and never reaches a FUSE
        # file system, so the mount cannot advance the FIFO's mtime and ctime the way ext4 does:
        # not a Cairn bug, and it would hide every later time fact about the FIFO, so not done.
        if stat.S_ISFIFO(os.fstat(self.fd(slot)).st_mode):
            return {'skip': 'write to a FIFO'}
        return None

    def op_read(self, slot, n):
        return digest(os.read(self.fd(slot), n))

    def op_pread(self, slot, off, n):
        return digest(os.pread(self.fd(slot), n, off))

    def op_lseek(self, slot, off, whence):
        fd = self.fd(slot)
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            # Offsets in a directory are the file system's own cookies (ext4: hashes; FUSE: entry
            # counts), and SEEK_END on one is EINVAL on ext4: not comparable, so not compared.
            return {'skip': 'lseek on a directory'}
        return os.lseek(fd, off, WHENCE[whence])

    def op_ftruncate(self, slot, size):
        os.ftruncate(self.fd(slot), size)
        return 'ok'

    def op_fsync(self, slot):
        os.fsync(self.fd(slot))
        return 'ok'

    def op_fdatasync(self, slot):
        os.fdatasync(self.fd(slot))
        return 'ok'

    def op_fstat(self, slot):
        return enc_stat(os.fstat(self.fd(slot)))

    def op_fchmod(self, slot, mode):
        os.fchmod(self.fd(slot), int(mode, 8))
        return enc_stat(os.fstat(self.fd(slot)))

    def op_fchown(self, slot, uid, gid):
        os.fchown(self.fd(slot), uid, gid)
        return enc_stat(os.fstat(self.fd(slot)))

    # -- paths

    def op_stat(self, path):
        return enc_stat(os.stat(self.p(path)))

    def op_lstat(self, path):
        return enc_stat(os.lstat(self.p(path)))

    def op_content(self, path):
        fd = os.open(self.p(path), os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        try:
            chunks, n = [], 0
            while n < CONTENT_BYTES_MAX:
                b = os.read(fd, CONTENT_BYTES_MAX - n)
                if not b:
                    break
                chunks.append(b)
                n += len(b)
        finally:
            os.close(fd)
        return digest(b''.join(chunks))

    def op_listdir(self, path):
        return [short(n) for n in sorted(os.listdir(self.p(path)))]

    def op_readlink(self, path):
        return short(os.readlink(self.p(path)))

    def op_access(self, path, mode, follow):
        check(libc.faccessat(AT_FDCWD, os.fsencode(self.p(path)), ACCESS[mode], 0 if follow else AT_SYMLINK_NOFOLLOW))
        return 'ok'

    def op_mkdir(self, path, mode):
        os.mkdir(self.p(path), int(mode, 8))
        return enc_stat(os.lstat(self.p(path)))

    def op_rmdir(self, path):
        os.rmdir(self.p(path))
        return 'ok'

    def op_unlink(self, path):
        os.unlink(self.p(path))
        return 'ok'

    def op_rename(self, source, target):
        os.rename(self.p(source), self.p(target))
        return 'ok'

    def op_link(self, existing, created, follow):
        os.link(self.p(existing), self.p(created), follow_symlinks=follow)
        return enc_stat(os.lstat(self.p(created)))

    def op_symlink(self, target, path):
        os.symlink(target, self.p(path))
        return enc_stat(os.lstat(self.p(path)))

    def op_chmod(self, path, mode):
        os.chmod(self.p(path), int(mode, 8))
        return enc_stat(os.stat(self.p(path)))

    def op_chown(self, path, uid, gid, follow):
        os.chown(self.p(path), uid, gid, follow_symlinks=follow)
        return enc_stat(os.stat(self.p(path), follow_symlinks=follow))

    def op_truncate(self, path, size):
        os.truncate(self.p(path), size)
        return 'ok'

    def op_utime(self, path, a, m, follow):
        p = self.p(path)
        if a == 'null':
            os.utime(p, None, follow_symlinks=follow)
        elif isinstance(a, int) and isinstance(m, int):
            os.utime(p, ns=(a, m), follow_symlinks=follow)
        else:
            times = (Timespec * 2)(timespec(a), timespec(m))
            check(libc.utimensat(AT_FDCWD, os.fsencode(p), times, 0 if follow else AT_SYMLINK_NOFOLLOW))
        st = os.stat(p, follow_symlinks=follow)
        out = {'mt': time_class(st.st_mtime_ns), 'cm': st.st_ctime_ns // 1_000_000 >= st.st_mtime_ns // 1_000_000}
        if a != 'omit':
            out['at'] = time_class(st.st_atime_ns)
        return out

    def op_mkfifo(self, path, mode):
        os.mkfifo(self.p(path), int(mode, 8))
        return enc_stat(os.lstat(self.p(path)))

    def op_mknod(self, path, kind, mode):
        # Character and block devices are left out: the mount is `nodev`, /tmp is not, so opening
        # one would differ by mount option rather than by file system behaviour.
        t = stat.S_IFREG if kind == 'reg' else stat.S_IFSOCK
        os.mknod(self.p(path), t | int(mode, 8))
        return enc_stat(os.lstat(self.p(path)))

    def op_setxattr(self, path, name, n, dseed, flags, follow):
        os.setxattr(self.p(path), name, data_of(n, dseed), flags, follow_symlinks=follow)
        return 'ok'

    def op_getxattr(self, path, name, follow):
        return digest(os.getxattr(self.p(path), name, follow_symlinks=follow))

    def op_listxattr(self, path, follow):
        # security.* and system.* belong to LSMs and ACLs of the host, not to this model.
        names = os.listxattr(self.p(path), follow_symlinks=follow)
        return [short(n) for n in sorted(names) if not n.startswith(('security.', 'system.'))]

    def op_removexattr(self, path, name, follow):
        os.removexattr(self.p(path), name, follow_symlinks=follow)
        return 'ok'

    def op_rmtree(self, path):
        """rm -r: children first, each unlink/rmdir with its outcome (keeps the tree from filling up)."""
        out = []
        try:
            st = os.lstat(self.p(path))
        except OSError as e:
            return errname(e)
        if stat.S_ISDIR(st.st_mode):
            try:
                names = sorted(os.listdir(self.p(path)))
            except OSError as e:
                out.append([short(path), 'listdir', errname(e)])
                names = []
            for n in names:
                sub = self.op_rmtree(f'{path}/{n}')
                out.extend(sub if isinstance(sub, list) else [[short(f'{path}/{n}'), sub]])
        try:
            self.close_open(path)
            (os.rmdir if stat.S_ISDIR(st.st_mode) else os.unlink)(self.p(path))
            out.append([short(path), 'ok'])
        except OSError as e:
            out.append([short(path), errname(e)])
        return out

    def op_walk(self):
        """The whole tree: every entry's lstat, and the first MiB of every regular file."""
        out = []
        stack = ['.']
        while stack:
            d = stack.pop()
            try:
                names = sorted(os.listdir(self.p(d)))
            except OSError as e:
                out.append([d, errname(e)])
                continue
            for n in names:
                rel = n if d == '.' else f'{d}/{n}'
                try:
                    st = os.lstat(self.p(rel))
                except OSError as e:
                    out.append([rel, errname(e)])
                    continue
                item = [short(rel), enc_stat(st)]
                if stat.S_ISREG(st.st_mode):
                    try:
                        item.append(self.op_content(rel))
                    except OSError as e:
                        item.append(errname(e))
                elif stat.S_ISLNK(st.st_mode):
                    item.append(short(os.readlink(self.p(rel))))
                elif stat.S_ISDIR(st.st_mode):
                    stack.append(rel)
                out.append(item)
        return out

    # -- time ordering

    def observe(self, w):
        try:
            if isinstance(w, list):
                st = os.fstat(self.fd(w[1]))
            else:
                st = os.lstat(self.p(w))
            return (st.st_ino, st.st_mtime_ns // 1_000_000, st.st_ctime_ns // 1_000_000, stat.S_ISDIR(st.st_mode))
        except OSError as e:
            return errname(e)
        except EmptySlot:
            return 'empty'

    def same_xattr(self, op):
        """Whether a setxattr would store the value its attribute already has."""
        if op[0] != 'setxattr':
            return False
        _, path, name, n, dseed, _, follow = op
        try:
            return os.getxattr(self.p(path), name, follow_symlinks=follow) == data_of(n, dseed)
        except OSError:
            return False

    def tcheck(self, watch, op):
        before = [self.observe(w) for w in watch]
        # ext4 leaves ctime alone when setxattr stores the value already there (an optimisation
        # in ext4_xattr_set_handle; tmpfs and xfs advance it): file-system specific, so that one
        # ctime relation prints as '~'.
        same = self.same_xattr(op)
        time.sleep(TICK_S)
        out = self.run(op)
        after = [self.observe(w) for w in watch]
        rel = []
        for w, b, a in zip(watch, before, after):
            if isinstance(b, tuple) and isinstance(a, tuple):
                if a[0] != b[0]:
                    rel.append('new')   # another object now: its times say nothing about `op`
                else:
                    r = cmp(a[1], b[1]) + ('~' if same and w == op[1] else cmp(a[2], b[2]))
                    rel.append(r)
            else:
                rel.append(f'{b if isinstance(b, str) else "ok"}/{a if isinstance(a, str) else "ok"}')
        out['t'] = rel
        return out


class EmptySlot(Exception):
    pass


def known_skip(op):
    """The known difference that skips `op` (a tcheck is skipped with its op), or None."""
    k = op[0]
    if k == 'tcheck':
        return known_skip(op[2])
    if 'chown-noop-ctime' in known and k in ('chown', 'fchown') and op[2] == -1 and op[3] == -1:
        return 'chown-noop-ctime'
    if 'efbig-kills-suid' in known and k in ('truncate', 'ftruncate') and op[2] > 2**52 and os.geteuid() != 0:
        return 'efbig-kills-suid'
    return None


def cmp(a, b):
    return '<' if a < b else ('>' if a > b else '=')


def execute(root, ops, indices):
    ex = Exec(root)
    out = sys.stdout
    for i in indices:
        op = ops[i]
        line = {'i': i, 'op': op, **ex.run(op)}
        out.write(json.dumps(line, separators=(',', ':'), ensure_ascii=False) + '\n')
    out.flush()


def fixture(root, uid, gid):
    """The user profile's directories, owned and moded for EACCES/EPERM, setgid and sticky cases."""
    def p(rel):
        return os.path.join(root, rel)

    def file(rel, mode, owner=(0, 0), text=b'fixture\n'):
        fd = os.open(p(rel), os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
        os.write(fd, text)
        os.close(fd)
        os.chown(p(rel), *owner)
        os.chmod(p(rel), mode)

    def mkdir(rel, mode, owner=(0, 0)):
        os.mkdir(p(rel))
        os.chown(p(rel), *owner)
        os.chmod(p(rel), mode)

    steps = [
        lambda: os.chmod(root, 0o755),
        lambda: mkdir('u', 0o755, (uid, gid)),
        lambda: file('u/e', 0o644, (uid, 2000)),          # the user's, in a group the user is not in
        lambda: mkdir('ro', 0o755),
        lambda: file('ro/d', 0o644),
        lambda: mkdir('ro/b', 0o755),
        lambda: file('ro/e', 0o666),
        lambda: os.symlink('d', p('ro/c')),
        lambda: mkdir('priv', 0o700),
        lambda: file('priv/d', 0o600),
        lambda: mkdir('sticky', 0o1777),
        lambda: file('sticky/d', 0o666),
        lambda: file('sticky/e', 0o644, (uid, gid)),
        lambda: file('sticky/c', 0o666, (1001, 1001)),
        lambda: mkdir('sticky/a', 0o777),
        lambda: mkdir('sgid', 0o2775, (uid, 2000)),
    ]
    ex = Exec(root)
    for i, step in enumerate(steps):
        try:
            step()
            res = {'r': 'ok'}
        except OSError as e:
            res = {'e': errname(e)}
        sys.stdout.write(json.dumps({'i': i, 'op': ['fixture', i], **res}) + '\n')
    sys.stdout.write(json.dumps({'i': len(steps), 'op': ['walk'], 'r': ex.op_walk()}, ensure_ascii=False) + '\n')


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('cmd', choices=('run', 'fixture', 'ops'))
    ap.add_argument('--root')
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--count', type=int, default=1000)
    ap.add_argument('--profile', choices=('root', 'user'), default='root')
    ap.add_argument('--only', default='', help='comma-separated op indices to run (for shrinking)')
    ap.add_argument('--ops-json', default='', help='run these ops (a JSON list) instead of generated ones')
    ap.add_argument('--known', default='', help='comma-separated known differences to step around: ' + ','.join(KNOWN))
    ap.add_argument('--uid', type=int, default=1000)
    ap.add_argument('--gid', type=int, default=1000)
    a = ap.parse_args()
    os.umask(UMASK)
    known.update(k for k in a.known.split(',') if k)
    assert known <= set(KNOWN), f'unknown known differences {known - set(KNOWN)}'
    if a.cmd == 'fixture':
        fixture(a.root, a.uid, a.gid)
        return
    ops = json.loads(a.ops_json) if a.ops_json else generate(a.seed, a.count, a.profile)
    if a.cmd == 'ops':
        for i, op in enumerate(ops):
            print(json.dumps({'i': i, 'op': op}, ensure_ascii=False))
        return
    indices = [int(x) for x in a.only.split(',') if x] if a.only else range(len(ops))
    execute(a.root, ops, indices)


if __name__ == '__main__':
    main()

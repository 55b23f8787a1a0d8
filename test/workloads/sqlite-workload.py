#!/usr/bin/env python3
"""Writes a SQLite database from several processes at once, and checks it afterwards.

usage: sqlite-workload.py write DB WRITER ROWS BATCH
       sqlite-workload.py check DB

`write` inserts ROWS rows for WRITER in transactions of BATCH rows. Several writers run at once
against the same file: SQLite serialises them with fcntl byte-range locks on the database
(rollback-journal mode, the default), and a writer that finds the database locked waits up to
its busy timeout. Every row carries its writer and sequence number under a primary key, so a
lost or doubled insert shows in the count. `check` prints a summary that depends only on what
was written (not on the interleaving) and `PRAGMA integrity_check`; it prints the interleaving
(how often the writer changes in rowid order) to stderr, for information.
"""
import sqlite3
import sys

BUSY_TIMEOUT_MS = 60_000


def write(db, writer, rows, batch):
    conn = sqlite3.connect(db, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    conn.execute(f'PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}')
    conn.execute('CREATE TABLE IF NOT EXISTS rows (writer INTEGER, seq INTEGER, payload BLOB, PRIMARY KEY (writer, seq))')
    seq = 0
    while seq < rows:
        # BEGIN IMMEDIATE takes the RESERVED lock at once, so two writers never deadlock upgrading
        # from SHARED; the loser waits in busy_timeout instead of failing with SQLITE_BUSY.
        conn.execute('BEGIN IMMEDIATE')
        for _ in range(min(batch, rows - seq)):
            payload = bytes([writer, seq % 256]) * (50 + seq % 700)
            conn.execute('INSERT INTO rows VALUES (?, ?, ?)', (writer, seq, payload))
            seq += 1
        conn.execute('COMMIT')
    conn.close()


def check(db):
    conn = sqlite3.connect(db, isolation_level=None)
    total = conn.execute('SELECT count(*) FROM rows').fetchone()[0]
    print(f'rows {total}')
    query = 'SELECT writer, count(*), count(DISTINCT seq), min(seq), max(seq), sum(length(payload)) FROM rows GROUP BY writer ORDER BY writer'
    for writer, count, distinct, low, high, size in conn.execute(query):
        print(f'writer {writer}: {count} rows, {distinct} distinct seq {low}..{high}, {size} payload bytes')
    for (verdict,) in conn.execute('PRAGMA integrity_check'):
        print(f'integrity_check {verdict}')
    order = [w for (w,) in conn.execute('SELECT writer FROM rows ORDER BY rowid')]
    switches = sum(1 for a, b in zip(order, order[1:]) if a != b)
    print(f'writer switches in rowid order: {switches}', file=sys.stderr)
    conn.close()


if sys.argv[1] == 'write':
    write(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
elif sys.argv[1] == 'check':
    check(sys.argv[2])
else:
    sys.exit(f'unknown command {sys.argv[1]}')

#!/usr/bin/env bash
# A small git history made in DIR/repo: init, add, commit, branch, checkout, commits on both
# branches, a merge, gc (packs and prunes), then `git fsck --strict` and a clean `git status`.
# Names, e-mails, dates, the default branch and the config are pinned, so the same script gives
# the same commit ids in any directory. Prints fsck's verdict, each commit (id, parents,
# subject), the branch heads and the tree of HEAD; exits non-zero on any failure.
#
# usage: git-workload.sh DIR
set -euo pipefail
cd "$1"

export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null HOME=/nonexistent LC_ALL=C TZ=UTC
export GIT_AUTHOR_NAME='Ada Lovelace' GIT_AUTHOR_EMAIL=ada@example.org
export GIT_COMMITTER_NAME='Charles Babbage' GIT_COMMITTER_EMAIL=charles@example.org
at() { export GIT_AUTHOR_DATE="$1" GIT_COMMITTER_DATE="$1"; }

git -c init.defaultBranch=main init -q repo
cd repo
mkdir -p src docs
printf 'hello\n' > README
seq 1 20000 > src/numbers.txt                    # 109 KiB: stored in slices, not inline
head -c 300000 /dev/zero | tr '\0' 'a' > docs/big.txt
printf '#!/bin/sh\necho hi\n' > run.sh
chmod 755 run.sh
ln -s README link
git add -A
at '2001-02-03T04:05:06Z'
git commit -q -m 'first'

git branch feature
git checkout -q feature
seq 5 20005 > src/numbers.txt
git rm -q docs/big.txt
mkdir -p docs                                    # git rm took the emptied directory
printf 'feature\n' > docs/new.txt
git add -A
at '2001-02-04T04:05:06Z'
git commit -q -m 'second, on feature'

git checkout -q main
test ! -e docs/new.txt && test -f docs/big.txt   # checkout rewrote the work tree
printf 'main again\n' >> README
at '2001-02-05T04:05:06Z'
git commit -q -am 'second, on main'
at '2001-02-06T04:05:06Z'
git merge -q --no-edit feature
git gc -q

if ! fsck=$(git fsck --strict --no-progress 2>&1); then
  echo "git fsck --strict failed: $fsck" >&2
  exit 1
fi
echo "fsck: ${fsck:-clean}"
status=$(git status --porcelain)
if [ -n "$status" ]; then
  echo "git status is not clean after commit: $status" >&2
  exit 1
fi
git log --all --format='commit %H parents %P: %s'
git for-each-ref --format='ref %(refname) %(objectname)'
git ls-tree -r HEAD

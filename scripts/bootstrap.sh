#!/usr/bin/env bash
# Installs what a fresh Debian/Ubuntu machine with only Node.js 20+ lacks to build and run Cairn:
# libfuse (runtime and headers, for the FUSE binding built from source), pkg-config, the build
# toolchain, python3 and git (the end-to-end workloads run them on the mount), pnpm, and the
# workspace's dependencies. Safe to run again: it skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

need_apt=()
for pkg in libfuse2 libfuse-dev fuse3 pkg-config make g++ python3 git; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "bootstrap: installing ${need_apt[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "bootstrap: Node.js 20 or newer is required (found $(node -v))" >&2
  exit 1
fi

if ! command -v pnpm >/dev/null 2>&1; then
  echo "bootstrap: installing pnpm"
  # corepack cannot verify registry signatures on some machines; npm can install pnpm directly.
  $SUDO npm install -g pnpm@9.15.9 >/dev/null
fi

if [ ! -f node_modules/.modules.yaml ] || [ pnpm-lock.yaml -nt node_modules/.modules.yaml ]; then
  pnpm install --frozen-lockfile
fi

# The FUSE binding is compiled at install time and can fail quietly: check it is there.
if ! ls node_modules/.pnpm/@cocalc+fuse-native*/node_modules/@cocalc/fuse-native/build/Release/fuse.node >/dev/null 2>&1; then
  echo "bootstrap: rebuilding the FUSE binding"
  pnpm rebuild @cocalc/fuse-native
fi

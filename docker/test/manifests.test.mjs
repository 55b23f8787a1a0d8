// Validates every Kubernetes manifest under docker/k8s against the Kubernetes schemas shipped by
// the `kubernetes-models` package (JSON schemas compiled from the upstream OpenAPI definitions).
//
// Each kustomization is rendered the way `kubectl kustomize` would for the features used here
// (resources, namespace, labels, images, `$patch: delete` patches), and every object in the
// result is validated; every YAML file under docker/k8s must belong to a kustomization. A few
// negative cases prove the validator rejects what the API server would.
// Run: node docker/test/manifests.test.mjs (after `npm ci` in docker/test).
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseAllDocuments } from 'yaml';

const here = dirname(fileURLToPath(import.meta.url));
const k8sDir = resolve(here, '..', 'k8s');
const clusterScoped = new Set(['Namespace', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'StorageClass']);

function loadYaml(file) {
  const docs = parseAllDocuments(readFileSync(file, 'utf8'));
  for (const d of docs) if (d.errors.length > 0) throw new Error(`${file}: ${d.errors[0].message}`);
  return docs.map((d) => d.toJS()).filter((o) => o != null);
}

/** Renders a kustomization directory into its list of objects; records the files it read. */
function render(dir, used) {
  const kfile = join(dir, 'kustomization.yaml');
  used.add(kfile);
  const [k] = loadYaml(kfile);
  const known = new Set(['apiVersion', 'kind', 'namespace', 'labels', 'resources', 'images', 'patches']);
  for (const key of Object.keys(k)) assert.ok(known.has(key), `${kfile}: kustomize field ${key} is not supported by this renderer`);
  let objects = [];
  for (const r of k.resources ?? []) {
    const path = resolve(dir, r);
    assert.ok(existsSync(path), `${kfile}: resource ${r} does not exist`);
    if (statSync(path).isDirectory()) objects.push(...render(path, used));
    else {
      used.add(path);
      objects.push(...loadYaml(path));
    }
  }
  for (const p of k.patches ?? []) {
    const [patch] = p.path ? loadYaml(resolve(dir, p.path)) : parseAllDocuments(p.patch).map((d) => d.toJS());
    assert.is(patch.$patch, 'delete', `${kfile}: only $patch: delete patches are supported by this renderer`);
    const before = objects.length;
    objects = objects.filter(
      (o) => !(o.kind === patch.kind && o.metadata?.name === patch.metadata.name && (o.metadata?.namespace ?? k.namespace) === (patch.metadata.namespace ?? o.metadata?.namespace)),
    );
    assert.is(objects.length, before - 1, `${kfile}: patch deletes nothing (${patch.kind}/${patch.metadata.name})`);
  }
  for (const o of objects) {
    if (k.namespace && !clusterScoped.has(o.kind)) o.metadata.namespace = k.namespace;
    for (const l of k.labels ?? []) o.metadata.labels = { ...o.metadata.labels, ...l.pairs };
    for (const c of containersOf(o)) {
      for (const img of k.images ?? []) {
        const [name] = c.image.split(':');
        if (name === img.name) c.image = `${img.newName ?? img.name}:${img.newTag ?? 'latest'}`;
      }
    }
  }
  return objects;
}

function containersOf(o) {
  const spec = o.kind === 'Pod' ? o.spec : o.spec?.template?.spec;
  return [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])];
}

/** Validates one object against the schema of its apiVersion and kind; throws on any error. */
async function validate(o) {
  const [group, version] = o.apiVersion.includes('/') ? o.apiVersion.split('/') : [undefined, o.apiVersion];
  const mod = await import(group ? `kubernetes-models/${group}/${version}` : `kubernetes-models/${version}`);
  const Model = mod[o.kind];
  assert.ok(Model, `no schema for ${o.apiVersion} ${o.kind}`);
  new Model(o).validate();
}

function yamlFilesUnder(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return yamlFilesUnder(p);
    return /\.ya?ml$/.test(name) ? [p] : [];
  });
}

const kustomizations = yamlFilesUnder(k8sDir).filter((f) => f.endsWith('kustomization.yaml')).map(dirname);

const schemas = suite('every rendered object matches the Kubernetes schemas');
const used = new Set();
for (const dir of kustomizations) {
  schemas(relative(k8sDir, dir), async () => {
    const objects = render(dir, used);
    assert.ok(objects.length > 0, 'renders to nothing');
    for (const o of objects) {
      try {
        await validate(o);
      } catch (err) {
        assert.unreachable(`${o.kind}/${o.metadata?.name}: ${err.message}`);
      }
      for (const c of containersOf(o)) assert.not.match(c.image, /^cairn$/, `${o.kind}/${o.metadata.name}: image not pinned`);
    }
  });
}
schemas('every YAML file belongs to a kustomization', () => {
  for (const dir of kustomizations) render(dir, used);
  const orphans = yamlFilesUnder(k8sDir).filter((f) => !used.has(f));
  assert.equal(orphans.map((f) => relative(k8sDir, f)), []);
});
schemas.run();

const shape = suite('the manifests do what docker/README.md says');
const rendered = Object.fromEntries(kustomizations.map((d) => [relative(k8sDir, d), render(d, new Set())]));
const find = (list, kind, name) => list.find((o) => o.kind === kind && o.metadata.name === name);
shape('base: 3 masters with a headless Service, PVCs, a PDB and health probes', () => {
  const base = rendered.base;
  const sts = find(base, 'StatefulSet', 'cairn-master');
  assert.is(sts.spec.replicas, 3);
  assert.is(find(base, 'Service', 'cairn-master').spec.clusterIP, 'None');
  assert.is(sts.spec.volumeClaimTemplates[0].metadata.name, 'data');
  assert.is(find(base, 'PodDisruptionBudget', 'cairn-master').spec.minAvailable, 2);
  const c = sts.spec.template.spec.containers[0];
  assert.equal(c.readinessProbe.exec.command, ['cairn-healthcheck']);
  assert.equal(c.livenessProbe.exec.command, ['cairn-healthcheck']);
  const peers = c.env.find((e) => e.name === 'CAIRN_PEERS').value.split(',');
  assert.equal(peers, [0, 1, 2].map((i) => `${i + 1}=cairn-master-${i}.cairn-master.cairn.svc:9400`));
});
shape('overlay: chunkservers as a DaemonSet instead of a StatefulSet', () => {
  const o = rendered['overlays/daemonset-chunkservers'];
  assert.ok(find(o, 'DaemonSet', 'cairn-chunkserver'));
  assert.not.ok(find(o, 'StatefulSet', 'cairn-chunkserver'));
  assert.ok(find(o, 'StatefulSet', 'cairn-master'));
});
shape('sidecar: Bidirectional in a privileged mount container, HostToContainer in the app', () => {
  const pod = find(rendered['examples/sidecar'], 'Pod', 'cairn-app');
  const [mount, app] = pod.spec.containers;
  assert.is(mount.volumeMounts[0].mountPropagation, 'Bidirectional');
  assert.is(mount.securityContext.privileged, true);
  assert.equal(mount.lifecycle.preStop.exec.command, ['cairn-sidecar', 'stop']);
  assert.is(app.volumeMounts[0].mountPropagation, 'HostToContainer');
  assert.ok(pod.spec.volumes[0].emptyDir);
});
shape.run();

const negative = suite('the validator rejects what the API server would');
const rejects = async (o) => {
  try {
    await validate(o);
  } catch {
    return true;
  }
  return false;
};
negative('a wrong type, a bad enum value, a missing required field', async () => {
  const sts = structuredClone(find(rendered.base, 'StatefulSet', 'cairn-master'));
  sts.spec.replicas = 'three';
  assert.ok(await rejects(sts), 'replicas as a string');
  const pod = structuredClone(find(rendered['examples/sidecar'], 'Pod', 'cairn-app'));
  pod.spec.containers[1].volumeMounts[0].mountPropagation = 'Sideways';
  assert.ok(await rejects(pod), 'unknown mountPropagation');
  const svc = structuredClone(find(rendered.base, 'Service', 'cairn-master'));
  delete svc.spec.ports[0].port;
  assert.ok(await rejects(svc), 'port missing');
});
negative.run();

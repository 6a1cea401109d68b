// Walks the whole output of the example platform and proves it consistent: every reference an
// object makes (volumes, env, service accounts, role bindings, Service selectors and ports,
// Ingress backends, `$secret:key` in argocd-cm) resolves to an object of the output, or to one
// listed below as created at run time; no ClusterRole has wildcards or reads Secrets.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { Manifest, synthApp } from '../support/synth';

type Obj = { [key: string]: any };

/** Objects the output relies on that something in the cluster creates at run time, and what. */
const CREATED_AT_RUN_TIME: Record<string, string> = {
  // Upstream's secret-init init container generates the Redis password (install.redisPassword unset).
  'Secret/argocd/argocd-redis': 'argocd-redis secret-init',
};

/**
 * What the Argo Workflows objects rely on from the upstream Workflows install, which the
 * library does not write yet (SecureArgoWorkflows owning its install is a separate change).
 */
const FROM_UPSTREAM_WORKFLOWS_INSTALL = new Set(['ServiceAccount/argo/argo', 'ServiceAccount/argo/argo-server', 'pods-of/argo/workflow-controller-metrics']);

const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-consistency-'));
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));
const app = new App({ outdir });
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('../../examples/platform').build(app);
const all: Manifest[] = Object.values(synthApp(app)).flat();

const key = (kind: string, namespace: string | undefined, name: string) => `${kind}/${namespace ?? ''}/${name}`;
const objects = new Map(all.map((m) => [key(m.kind, m.metadata.namespace, m.metadata.name!), m]));

/** Secrets of the output, by `namespace/name`, with their keys when known (undefined: any key). */
const secrets = new Map<string, Set<string> | undefined>();
function addSecret(namespace: string, name: string, keys: string[] | undefined): void {
  const id = `${namespace}/${name}`;
  const known = secrets.get(id);
  secrets.set(id, keys === undefined || (secrets.has(id) && known === undefined) ? undefined : new Set([...(known ?? []), ...keys]));
}
for (const m of all) {
  const ns = m.metadata.namespace!;
  if (m.kind === 'Secret') {
    const tokenKeys = ['token', 'ca.crt', 'namespace'];
    addSecret(ns, m.metadata.name!, m.type === 'kubernetes.io/service-account-token' ? tokenKeys : Object.keys({ ...m.data, ...m.stringData }));
  } else if (m.kind === 'SealedSecret') {
    const sealedKeys = [...Object.keys(m.spec.encryptedData ?? {}), ...Object.keys(m.spec.template?.data ?? {})];
    addSecret(ns, m.spec.template?.metadata?.name ?? m.metadata.name, sealedKeys);
  } else if (m.kind === 'ExternalSecret') {
    const templated = m.spec.target?.template?.data ? Object.keys(m.spec.target.template.data) : [];
    const keys = m.spec.dataFrom ? undefined : [...(m.spec.data ?? []).map((d: Obj) => d.secretKey), ...templated];
    addSecret(ns, m.spec.target?.name ?? m.metadata.name, keys);
  } else if (m.kind === 'Certificate') {
    addSecret(ns, m.spec.secretName, ['tls.crt', 'tls.key', 'ca.crt']);
  }
}
for (const id of Object.keys(CREATED_AT_RUN_TIME)) {
  const [, ns, name] = id.split('/');
  addSecret(ns, name, undefined);
}

function secretProblem(namespace: string, name: string, secretKey?: string): string | undefined {
  const id = `${namespace}/${name}`;
  if (!secrets.has(id)) return `Secret ${id} is not in the output`;
  const keys = secrets.get(id);
  if (secretKey !== undefined && keys !== undefined && !keys.has(secretKey)) return `Secret ${id} has no key '${secretKey}' (has ${[...keys].join(', ')})`;
  return undefined;
}

interface Pod { owner: Manifest; namespace: string; spec: Obj; labels: Record<string, string> }
const pods: Pod[] = all.flatMap((m) => {
  const template = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job'].includes(m.kind) ? m.spec.template
    : m.kind === 'CronJob' ? m.spec.jobTemplate.spec.template : undefined;
  return template ? [{ owner: m, namespace: m.metadata.namespace!, spec: template.spec, labels: template.metadata?.labels ?? {} }] : [];
});
const describe_ = (m: Manifest) => `${m.kind} ${m.metadata.namespace ?? ''}/${m.metadata.name}`;

test('the platform has the Argo CD install in it', () => {
  expect(pods.map((p) => p.owner.metadata.name)).toEqual(expect.arrayContaining(['argocd-server', 'argocd-repo-server', 'argocd-application-controller']));
});

test('every volume and env reference of every pod resolves', () => {
  const problems: string[] = [];
  for (const { owner, namespace, spec } of pods) {
    for (const v of spec.volumes ?? []) {
      if (v.secret && !v.secret.optional) {
        const p = secretProblem(namespace, v.secret.secretName);
        if (p) problems.push(`${describe_(owner)} volume ${v.name}: ${p}`);
      }
      if (v.configMap && !v.configMap.optional && !objects.has(key('ConfigMap', namespace, v.configMap.name))) {
        problems.push(`${describe_(owner)} volume ${v.name}: ConfigMap ${v.configMap.name} is not in the output`);
      }
    }
    const mounts = new Set((spec.volumes ?? []).map((v: Obj) => v.name));
    for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
      for (const m of c.volumeMounts ?? []) if (!mounts.has(m.name)) problems.push(`${describe_(owner)} ${c.name}: mounts unknown volume ${m.name}`);
      for (const e of c.env ?? []) {
        const s = e.valueFrom?.secretKeyRef;
        if (s && !s.optional) {
          const p = secretProblem(namespace, s.name, s.key);
          if (p) problems.push(`${describe_(owner)} ${c.name} env ${e.name}: ${p}`);
        }
        const cm = e.valueFrom?.configMapKeyRef;
        if (cm && !cm.optional) {
          const target = objects.get(key('ConfigMap', namespace, cm.name));
          if (!target || target.data?.[cm.key] === undefined) problems.push(`${describe_(owner)} ${c.name} env ${e.name}: ConfigMap ${cm.name} key ${cm.key} is not in the output`);
        }
      }
    }
  }
  expect(problems).toEqual([]);
});

test('every service account a pod runs as, and every binding, resolves', () => {
  const problems: string[] = [];
  for (const { owner, namespace, spec } of pods) {
    const sa = spec.serviceAccountName ?? 'default';
    if (sa !== 'default' && !objects.has(key('ServiceAccount', namespace, sa))) problems.push(`${describe_(owner)}: ServiceAccount ${sa} is not in the output`);
  }
  for (const b of all.filter((m) => m.kind === 'RoleBinding' || m.kind === 'ClusterRoleBinding')) {
    const roleNs = b.roleRef.kind === 'Role' ? b.metadata.namespace : undefined;
    if (!objects.has(key(b.roleRef.kind, roleNs, b.roleRef.name))) problems.push(`${describe_(b)}: ${b.roleRef.kind} ${b.roleRef.name} is not in the output`);
    for (const s of b.subjects ?? []) {
      if (s.kind === 'ServiceAccount' && !objects.has(key('ServiceAccount', s.namespace, s.name)) && !FROM_UPSTREAM_WORKFLOWS_INSTALL.has(key('ServiceAccount', s.namespace, s.name))) {
        problems.push(`${describe_(b)}: subject ServiceAccount ${s.namespace}/${s.name} is not in the output`);
      }
    }
  }
  expect(problems).toEqual([]);
});

test('every Service selects pods and targets a port they have; every Ingress backend exists', () => {
  const problems: string[] = [];
  for (const svc of all.filter((m) => m.kind === 'Service' && m.spec.selector)) {
    const selected = pods.filter((p) => p.namespace === svc.metadata.namespace
      && Object.entries(svc.spec.selector as Record<string, string>).every(([k, v]) => p.labels[k] === v));
    if (selected.length === 0) {
      if (FROM_UPSTREAM_WORKFLOWS_INSTALL.has(`pods-of/${svc.metadata.namespace}/${svc.metadata.name}`)) continue;
      problems.push(`${describe_(svc)}: selects no pod`);
      continue;
    }
    const ports = selected.flatMap((p) => p.spec.containers.flatMap((c: Obj) => c.ports ?? []));
    for (const port of svc.spec.ports) {
      // A numbered target needs no declared container port; a named one does.
      const target = port.targetPort ?? port.port;
      if (typeof target === 'string' && !ports.some((p: Obj) => p.name === target)) problems.push(`${describe_(svc)} port ${port.name ?? port.port}: no pod port ${target}`);
    }
  }
  for (const ing of all.filter((m) => m.kind === 'Ingress')) {
    for (const rule of ing.spec.rules ?? []) {
      for (const p of rule.http?.paths ?? []) {
        const svc = objects.get(key('Service', ing.metadata.namespace, p.backend.service.name));
        const port = p.backend.service.port;
        if (!svc) problems.push(`${describe_(ing)}: Service ${p.backend.service.name} is not in the output`);
        else if (!svc.spec.ports.some((sp: Obj) => sp.name === port.name || sp.port === port.number)) problems.push(`${describe_(ing)}: Service ${svc.metadata.name} has no port ${port.name ?? port.number}`);
      }
    }
  }
  expect(problems).toEqual([]);
});

test('every $secret:key reference in argocd-cm resolves to a Secret labelled part-of argocd', () => {
  const cm = all.find((m) => m.kind === 'ConfigMap' && m.metadata.name === 'argocd-cm')!;
  const ns = cm.metadata.namespace!;
  const refs = Object.values(cm.data as Record<string, string>).flatMap((v) => [...v.matchAll(/\$([a-z0-9][-a-z0-9.]*):([-._a-zA-Z0-9]+)/g)]);
  expect(refs.length).toBeGreaterThan(0);
  for (const [, name, secretKey] of refs) {
    expect(secretProblem(ns, name, secretKey)).toBeUndefined();
    const producer = all.find((m) => ['SealedSecret', 'ExternalSecret', 'Secret'].includes(m.kind) && m.metadata.namespace === ns
      && (m.spec?.target?.name ?? m.spec?.template?.metadata?.name ?? m.metadata.name) === name)!;
    const labels = producer.spec?.target?.template?.metadata?.labels ?? producer.spec?.template?.metadata?.labels ?? producer.metadata.labels;
    expect(labels?.['app.kubernetes.io/part-of']).toBe('argocd');
  }
});

test('no ClusterRole has a wildcard or reads Secrets', () => {
  for (const cr of all.filter((m) => m.kind === 'ClusterRole')) {
    for (const rule of cr.rules ?? []) {
      expect([describe_(cr), [...rule.apiGroups ?? [], ...rule.resources ?? [], ...rule.verbs].filter((x: string) => x.includes('*'))]).toEqual([describe_(cr), []]);
      expect([describe_(cr), (rule.resources ?? []).includes('secrets')]).toEqual([describe_(cr), false]);
    }
  }
});

test('Argo CD reads Secrets only in its own namespace', () => {
  const argoCdAccounts = new Set(['argocd-server', 'argocd-application-controller', 'argocd-applicationset-controller', 'argocd-notifications-controller', 'argocd-dex-server', 'argocd-repo-server']);
  for (const b of all.filter((m) => m.kind === 'RoleBinding' && m.metadata.namespace !== 'argocd')) {
    if (!(b.subjects ?? []).some((s: Obj) => s.namespace === 'argocd' && argoCdAccounts.has(s.name))) continue;
    const role = objects.get(key('Role', b.metadata.namespace, b.roleRef.name))!;
    for (const rule of role.rules) expect([describe_(role), rule.resources.includes('secrets') || rule.resources.includes('*')]).toEqual([describe_(role), false]);
  }
});

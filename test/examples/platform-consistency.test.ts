// Walks the whole output of the example platform (Argo CD and Argo Workflows) with the shared
// consistency walker (test/support/consistency.ts) and proves it consistent: every reference an
// object makes resolves to an object of the output, or to one listed as created at run time; no
// ClusterRole has wildcards or reads Secrets; every pod is restricted. Plus what only Argo CD
// has: `$secret:key` in argocd-cm, and its components' Secret reads.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { describeManifest, objectKey, PlatformConsistency } from '../support/consistency';
import { ARGOCD_API_CLIENTS } from '../support/examples';
import { Manifest, synthApp } from '../support/synth';

type Obj = { [key: string]: any };

/** Pods that call the API server (examples/platform.ts): Argo CD's, the operations jobs, the Workflows install. */
const PLATFORM_API_CLIENTS = [...ARGOCD_API_CLIENTS, 'compliance-check', 'secret-rotation', 'workflow-controller', 'argo-server'];

const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-consistency-'));
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));
const app = new App({ outdir });
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('../../examples/platform').build(app);
const all: Manifest[] = Object.values(synthApp(app)).flat();
const platform = new PlatformConsistency(all, {
  providedElsewhere: {
    // Upstream's secret-init init container generates the Redis password (install.redisPassword unset).
    'Secret/argocd/argocd-redis': 'argocd-redis secret-init',
  },
  apiClients: PLATFORM_API_CLIENTS,
});
const { objects, pods } = platform;

test('the platform has the Argo CD and Argo Workflows installs in it', () => {
  expect(pods.map((p) => p.owner.metadata.name)).toEqual(expect.arrayContaining([
    'argocd-server', 'argocd-repo-server', 'argocd-application-controller', 'workflow-controller', 'argo-server',
  ]));
});

test('every volume and env reference of every pod resolves', () => {
  expect(platform.podReferenceProblems()).toEqual([]);
});

test('every service account a pod runs as, and every binding, resolves', () => {
  expect(platform.accountProblems()).toEqual([]);
});

test('every Service selects pods and targets a port they have; every Ingress backend exists', () => {
  expect(platform.serviceProblems()).toEqual([]);
});

test('every proxy that re-encrypts verifies its backend against a CA in the output, for a certified name', () => {
  expect(platform.backendTlsProblems()).toEqual([]);
});

test('no ClusterRole has a wildcard or reads Secrets', () => {
  expect(platform.clusterRoleProblems()).toEqual([]);
});

test('every pod is restricted, with requests and limits and pinned images; no :latest anywhere', () => {
  expect(platform.podSecurityProblems()).toEqual([]);
  expect(platform.latestImageProblems()).toEqual([]);
});

test('every $secret:key reference in argocd-cm resolves to a Secret labelled part-of argocd', () => {
  const cm = all.find((m) => m.kind === 'ConfigMap' && m.metadata.name === 'argocd-cm')!;
  const ns = cm.metadata.namespace!;
  const refs = Object.values(cm.data as Record<string, string>).flatMap((v) => [...v.matchAll(/\$([a-z0-9][-a-z0-9.]*):([-._a-zA-Z0-9]+)/g)]);
  expect(refs.length).toBeGreaterThan(0);
  for (const [, name, secretKey] of refs) {
    expect(platform.secretProblem(ns, name, secretKey)).toBeUndefined();
    const producer = all.find((m) => ['SealedSecret', 'ExternalSecret', 'Secret'].includes(m.kind) && m.metadata.namespace === ns
      && (m.spec?.target?.name ?? m.spec?.template?.metadata?.name ?? m.metadata.name) === name)!;
    const labels = producer.spec?.target?.template?.metadata?.labels ?? producer.spec?.template?.metadata?.labels ?? producer.metadata.labels;
    expect(labels?.['app.kubernetes.io/part-of']).toBe('argocd');
  }
});

test('Argo CD reads Secrets only in its own namespace', () => {
  const argoCdAccounts = new Set(['argocd-server', 'argocd-application-controller', 'argocd-applicationset-controller', 'argocd-notifications-controller', 'argocd-dex-server', 'argocd-repo-server']);
  for (const b of all.filter((m) => m.kind === 'RoleBinding' && m.metadata.namespace !== 'argocd')) {
    if (!(b.subjects ?? []).some((s: Obj) => s.namespace === 'argocd' && argoCdAccounts.has(s.name))) continue;
    const role = objects.get(objectKey('Role', b.metadata.namespace, b.roleRef.name))!;
    for (const rule of role.rules) expect([describeManifest(role), rule.resources.includes('secrets') || rule.resources.includes('*')]).toEqual([describeManifest(role), false]);
  }
});

// The derivations that add objects at synth (the install's access, destination clusters' access,
// self-management's RBAC) together: what one reads of another's output, what a removed construct
// leaves, and each project's problems reported once.
import { ApiObject, App, Chart, Lazy, Testing } from 'cdk8s';
import {
  ArgoCdDestinationCluster, ArgoCdRelease, ArgoCdSelfManagement, ClusterCredentials, LockedDownDefaultProject, ProjectWithRoles, ResourceKind,
  SecretSource, SecretStoreRef, SecureArgoCD,
} from '../../src';
import { synthErrors } from '../support/errors';

const DIGESTS = { argocd: 'sha256:f924e49625fbc942583fc701a28058f183d610e07a035081a273798522147671', dex: 'sha256:2eee2b13303de0c8ccf874bc3958cac9629ba272ff8c38aaddf0bed7850b9c84', redis: 'sha256:d1b957e97b94e706a8e5be50f06c36b7da59120cb2909bfd274de1e81da94c32', haproxy: 'sha256:9b50bb128c60077d781c3b1427e38870cbf04f78e7000783a7efede45f1c50f7' };
const NETWORK = { kubernetesApi: { cidrs: ['10.0.0.1/32'], ports: [6443] } };
const REPO = 'https://github.com/example/gitops.git';
const SELF = ArgoCdSelfManagement.fromGit({ repoUrl: REPO, revision: 'main', path: 'dist/platform', reason: 'the platform team reviews every change' });
const credentials = () => ClusterCredentials.serviceAccountToken(SecretSource.external({
  store: SecretStoreRef.existingCluster('vault'), data: { config: { key: 'argocd/clusters/prod' } },
}));

function argoCd(chart: Chart, selfManagement = true): void {
  new SecureArgoCD(chart, 'ArgoCD', {
    enableLocalAdmin: true,
    networkPolicies: NETWORK,
    install: { release: ArgoCdRelease.V3_5_1.withDigests(DIGESTS) },
    selfManagement: selfManagement ? SELF : undefined,
  });
  new LockedDownDefaultProject(chart, 'DefaultProject');
}

function cluster(scope: Chart, remoteChart: Chart, id = 'Prod', server = 'https://prod.k8s.example.com:6443'): ArgoCdDestinationCluster {
  return new ArgoCdDestinationCluster(scope, id, { remoteChart, server, clusterName: id.toLowerCase(), credentials: credentials() });
}

function payments(chart: Chart, ...clusters: ArgoCdDestinationCluster[]): void {
  new ProjectWithRoles(chart, 'Payments', {
    name: 'payments',
    sourceRepos: [REPO],
    destinations: clusters.map((c) => c.destination('payments')),
    namespaceResourceWhitelist: [ResourceKind.of('apps', 'Deployment')],
  });
}

const objectsOf = (app: App) => app.charts.flatMap((c) => Testing.synth(c));

test('self-management and a destination cluster: the cluster leaves self-management\'s own project out', () => {
  const app = Testing.app();
  const platform = new Chart(app, 'platform');
  argoCd(platform);
  const remote = new Chart(app, 'prod-cluster');
  payments(platform, cluster(platform, remote));
  expect(synthErrors(app)).toEqual([]);
  expect(objectsOf(app).filter((m) => m.kind === 'Role' && m.metadata.namespace === 'payments').map((m) => m.metadata.name)).toEqual(['argocd-manager']);
});

test('a raw project\'s problem is reported once, by the derivation of the cluster it deploys to', () => {
  const app = Testing.app();
  const platform = new Chart(app, 'platform');
  argoCd(platform, false);
  const remotes = [new Chart(app, 'prod-cluster'), new Chart(app, 'staging-cluster')];
  const prod = cluster(platform, remotes[0]);
  cluster(platform, remotes[1], 'Staging', 'https://staging.k8s.example.com:6443');
  payments(platform, prod);
  new ApiObject(platform, 'Raw', {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: { name: 'raw', namespace: 'argocd' },
    spec: { sourceRepos: [REPO], destinations: [{ server: 'https://prod.k8s.example.com:6443', namespace: 'raw' }], namespaceResourceWhitelist: [{ group: '', kind: 'Secret' }] },
  });
  const errors = synthErrors(app).filter((e) => e.includes("AppProject 'raw' whitelists Secrets"));
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatch(/^\[platform\/Prod\]/);
});

test('self-management sees the objects a destination cluster derives into its chart, whatever the construction order', () => {
  const app = Testing.app();
  const platform = new Chart(app, 'platform');
  argoCd(platform);
  // the cluster is built after SecureArgoCD and writes its remote RBAC into the platform chart
  payments(platform, cluster(platform, platform));
  expect(synthErrors(app).join('\n')).toMatch(/selfManagement: .*Role 'payments\/argocd-manager'/);
});

test('a destination cluster removed from the tree derives nothing', () => {
  const app = Testing.app();
  const platform = new Chart(app, 'platform');
  argoCd(platform, false);
  const remote = new Chart(app, 'prod-cluster');
  payments(platform, cluster(platform, remote));
  platform.node.tryRemoveChild('Prod');
  // (its account, made when it was built, stays in the remote chart; the derived Roles do not come)
  expect(Testing.synth(remote).filter((m) => m.kind === 'Role' || m.kind === 'RoleBinding')).toEqual([]);
});

test('a value that fails to resolve in a project is reported with the object\'s path', () => {
  const app = Testing.app();
  const platform = new Chart(app, 'platform');
  argoCd(platform, false);
  new ApiObject(platform, 'Raw', {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: { name: 'raw', namespace: 'argocd' },
    spec: { destinations: Lazy.any({ produce: () => { throw new Error('team list not loaded'); } }) },
  });
  expect(synthErrors(app).join('\n')).toMatch(/platform\/Raw.*team list not loaded/);
});

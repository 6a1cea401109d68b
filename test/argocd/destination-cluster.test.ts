import { App, Chart, Testing } from 'cdk8s';
import {
  ArgoCdDestinationCluster, ArgoCdDestinationClusterProps, ClusterCredentials, ProjectWithRoles, ResourceKind, SealedValue, SecretSource,
  SecretStoreRef, SecureApplication, ApplicationSource, CronSchedule, ProjectDestination, SyncWindowKind,
} from '../../src';
import { PlatformConsistency } from '../support/consistency';
import { expectSynthErrors } from '../support/errors';
import { literalSecretViolations } from '../support/pod-security';
import { findObject, Manifest, synth } from '../support/synth';
import { validateManifests } from '../support/validate';

const SERVER = 'https://prod.k8s.example.com:6443';
const CA = `-----BEGIN CERTIFICATE-----
MIIBdzCCAR2gAwIBAgIUJ0tT8Q3mJ9kY0vY2w8u6cQ2Z5ZQwCgYIKoZIzj0EAwIw
EjEQMA4GA1UEAwwHdGVzdC1jYTAeFw0yNDAxMDEwMDAwMDBaFw0zNDAxMDEwMDAw
-----END CERTIFICATE-----`;
const SEALED = (() => {
  const raw = Buffer.alloc(2 + 256 + 32, 7);
  raw.writeUInt16BE(256, 0);
  return raw.toString('base64');
})();
const store = SecretStoreRef.existingCluster('vault');

interface Built { argocd: Manifest[]; remote: Manifest[]; cluster: ArgoCdDestinationCluster }

function build(props: Partial<ArgoCdDestinationClusterProps> = {}, projects?: (chart: Chart, cluster: ArgoCdDestinationCluster) => void): Built {
  const app = Testing.app();
  const chart = new Chart(app, 'argocd');
  const remoteChart = new Chart(app, 'prod-cluster');
  const cluster = new ArgoCdDestinationCluster(chart, 'Prod', {
    remoteChart,
    server: SERVER,
    clusterName: 'prod',
    credentials: ClusterCredentials.serviceAccountToken(SecretSource.external({ store, data: { config: { key: 'argocd/clusters/prod' } } })),
    ...props,
  });
  (projects ?? defaultProjects)(chart, cluster);
  return { argocd: synth(chart), remote: synth(remoteChart), cluster };
}

function defaultProjects(chart: Chart, cluster: ArgoCdDestinationCluster): void {
  new ProjectWithRoles(chart, 'Payments', {
    name: 'payments',
    sourceRepos: ['https://github.com/o/payments.git'],
    destinations: [cluster.destination('payments'), { name: 'prod', namespace: 'payments-jobs' }, { server: 'https://kubernetes.default.svc', namespace: 'local' }],
    namespaceResourceWhitelist: [ResourceKind.of('apps', 'Deployment'), ResourceKind.of('', 'Service'), ResourceKind.of('', 'Pod')],
    clusterResourceWhitelist: [ResourceKind.NAMESPACE],
    allowClusterControlResources: { reason: 'Applications create their namespaces' },
  });
  // A project that never deploys to prod brings nothing there, its cluster-scoped kinds included.
  new ProjectWithRoles(chart, 'Other', {
    name: 'other',
    sourceRepos: ['https://github.com/o/other.git'],
    destinations: [{ server: 'https://staging.k8s.example.com', namespace: 'web' }],
    clusterResourceWhitelist: [ResourceKind.CLUSTER_ROLE],
    allowRbacResources: { reason: 'test: cluster-scoped access derived for a remote cluster' },
  });
}

describe('ArgoCdDestinationCluster with a service account token', () => {
  const { argocd, remote } = build();

  test('Argo CD side: the cluster Secret from the external source, with the derived namespaces, no plaintext', () => {
    const es = findObject(argocd, 'ExternalSecret');
    expect(es.metadata).toMatchObject({ name: 'cluster-prod', namespace: 'argocd' });
    expect(es.spec.target.template.metadata.labels).toMatchObject({ 'argocd.argoproj.io/secret-type': 'cluster', 'app.kubernetes.io/part-of': 'argocd' });
    expect(es.spec.target.template.data).toMatchObject({ name: 'prod', server: SERVER, namespaces: 'payments,payments-jobs', clusterResources: 'true' });
    expect(es.spec.data.map((d: any) => d.secretKey)).toEqual(['config']);
    expect(literalSecretViolations(argocd)).toEqual([]);
  });

  test('remote side: argocd-manager with a token Secret and Roles only where projects deploy', () => {
    const sa = findObject(remote, 'ServiceAccount', 'argocd-manager');
    expect(sa.metadata.namespace).toBe('kube-system');
    expect(sa.automountServiceAccountToken).toBe(false);
    expect(findObject(remote, 'Secret').type).toBe('kubernetes.io/service-account-token');
    const roles = remote.filter((m) => m.kind === 'Role');
    expect(roles.map((r) => r.metadata.namespace).sort()).toEqual(['payments', 'payments-jobs']);
    const resources = roles[0].rules.flatMap((r: any) => r.resources.map((res: string) => `${r.apiGroups[0]}/${res}:${r.verbs.join(',')}`));
    expect(resources).toEqual(expect.arrayContaining([
      'apps/deployments:create,delete,get,list,patch,update,watch', '/pods:create,delete,get,list,patch,update,watch', '/pods/log:get', '/events:list',
    ]));
    expect(resources.some((r: string) => r.startsWith('/secrets') || r.includes('*'))).toBe(false);
    for (const b of remote.filter((m) => m.kind === 'RoleBinding')) {
      expect(b.subjects).toEqual([{ kind: 'ServiceAccount', name: 'argocd-manager', namespace: 'kube-system' }]);
    }
  });

  test('cluster-scoped kinds one by one, only from projects that deploy here', () => {
    const cr = findObject(remote, 'ClusterRole');
    expect(cr.rules).toEqual([{ apiGroups: [''], resources: ['namespaces'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] }]);
    expect(findObject(remote, 'ClusterRoleBinding').roleRef.name).toBe(cr.metadata.name);
  });

  test('both sides valid, labelled, with sync waves, and consistent', () => {
    expect(validateManifests([...argocd, ...remote])).toEqual([]);
    for (const m of [...argocd, ...remote]) {
      expect(m.metadata.labels?.['app.kubernetes.io/managed-by']).toBe('cdk8s-secure-argo');
      expect(m.metadata.annotations?.['argocd.argoproj.io/sync-wave']).toMatch(/^\d$/);
    }
    const consistency = new PlatformConsistency(remote);
    expect([...consistency.accountProblems(), ...consistency.clusterRoleProblems()]).toEqual([]);
  });

  test('the in-cluster install is not granted the remote namespaces', () => {
    expect(argocd.filter((m) => m.kind === 'Role')).toEqual([]);
  });
});

test('a SealedSecret source works the same way', () => {
  const { argocd } = build({
    credentials: ClusterCredentials.serviceAccountToken(SecretSource.sealed({ values: { config: SealedValue.preSealed(SEALED) } })),
  });
  const sealed = findObject(argocd, 'SealedSecret');
  expect(sealed.spec.template.data).toMatchObject({ name: 'prod', server: SERVER, namespaces: 'payments,payments-jobs', clusterResources: 'true' });
  expect(Object.keys(sealed.spec.encryptedData)).toEqual(['config']);
});

describe('cloud identities: no credential in the output', () => {
  const base64Ca = Buffer.from(`${CA}\n`).toString('base64');
  const config = (m: Manifest) => JSON.parse(findObject(m as any, 'Secret').stringData.config);

  test('EKS: awsAuthConfig with the role, bound to the access entry user', () => {
    const { argocd, remote } = build({
      credentials: ClusterCredentials.eksIam({ clusterName: 'prod-eks', roleArn: 'arn:aws:iam::123456789012:role/argocd-prod', caCertificate: CA }),
    });
    const secret = findObject(argocd, 'Secret');
    expect(secret.stringData).toMatchObject({ name: 'prod', server: SERVER, namespaces: 'payments,payments-jobs', clusterResources: 'true' });
    expect(config(argocd as any)).toEqual({
      awsAuthConfig: { clusterName: 'prod-eks', roleARN: 'arn:aws:iam::123456789012:role/argocd-prod' },
      tlsClientConfig: { insecure: false, caData: base64Ca },
    });
    expect(literalSecretViolations(argocd)).toEqual([]);
    expect(remote.filter((m) => m.kind === 'ServiceAccount' || m.kind === 'Secret')).toEqual([]);
    expect(findObject(remote, 'ClusterRoleBinding').subjects).toEqual([{ kind: 'User', name: 'argocd-manager', apiGroup: 'rbac.authorization.k8s.io' }]);
  });

  test('GKE: argocd-k8s-auth gcp, bound to the Google service account', () => {
    const { argocd, remote } = build({
      credentials: ClusterCredentials.gkeWorkloadIdentity({ serviceAccountEmail: 'argocd@my-project.iam.gserviceaccount.com', caCertificate: CA }),
    });
    expect(config(argocd as any)).toEqual({
      execProviderConfig: { command: 'argocd-k8s-auth', args: ['gcp'], apiVersion: 'client.authentication.k8s.io/v1beta1' },
      tlsClientConfig: { insecure: false, caData: base64Ca },
    });
    expect(literalSecretViolations(argocd)).toEqual([]);
    expect(remote.find((m) => m.kind === 'RoleBinding')!.subjects[0].name).toBe('argocd@my-project.iam.gserviceaccount.com');
  });

  test('AKS: argocd-k8s-auth azure with workload identity, bound to the identity\'s object ID', () => {
    const ids = { clientId: '11111111-2222-3333-4444-555555555555', tenantId: '66666666-7777-8888-9999-000000000000', objectId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee' };
    const { argocd, remote } = build({ credentials: ClusterCredentials.aksWorkloadIdentity({ ...ids, caCertificate: CA }) });
    expect(config(argocd as any).execProviderConfig).toEqual({
      command: 'argocd-k8s-auth',
      args: ['azure'],
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      env: { AAD_LOGIN_METHOD: 'workloadidentity', AZURE_CLIENT_ID: ids.clientId, AZURE_TENANT_ID: ids.tenantId },
    });
    expect(literalSecretViolations(argocd)).toEqual([]);
    expect(remote.find((m) => m.kind === 'RoleBinding')!.subjects[0].name).toBe(ids.objectId);
  });
});

describe('errors: one synth lists every problem', () => {
  function errorApp(props: Partial<ArgoCdDestinationClusterProps>, withProjects = true): App {
    const app = Testing.app();
    const chart = new Chart(app, 'argocd');
    const remoteChart = props.remoteChart ?? new Chart(app, 'remote');
    const cluster = new ArgoCdDestinationCluster(chart, 'Prod', {
      server: SERVER,
      clusterName: 'prod',
      credentials: ClusterCredentials.gkeWorkloadIdentity({ serviceAccountEmail: 'argocd@my-project.iam.gserviceaccount.com', caCertificate: CA }),
      ...props,
      remoteChart: props.remoteChart === undefined ? remoteChart : chart,
    });
    if (withProjects) defaultProjects(chart, cluster);
    return app;
  }

  test('bad inputs', () => {
    expectSynthErrors(errorApp({
      server: 'http://prod.example.com',
      clusterName: 'Prod Cluster',
      credentials: ClusterCredentials.eksIam({ clusterName: 'a b', roleArn: 'arn:aws:iam::12:user/x', caCertificate: 'not a pem', username: 'system:masters' }),
    }, false), [
      /server: .*https/, /clusterName: .*Prod Cluster/, /credentials\.clusterName/, /credentials\.roleArn/, /credentials\.caCertificate/,
      /credentials\.username: .*system:/, /no AppProject deploys/,
    ]);
  });

  test('a cluster Secret name that cannot be a label value', () => {
    expectSynthErrors(errorApp({ clusterName: `c${'x'.repeat(60)}` }), [/clusterName: the cluster Secret's name 'cluster-cx+' is longer than 63/]);
    expectSynthErrors(errorApp({ clusterName: 'prod', secretName: 'Bad_Name' }), [/secretName: 'Bad_Name' is not a DNS-1123 subdomain/]);
  });

  test('a cluster no project deploys to is refused (an empty namespace list would mean the whole cluster)', () => {
    expectSynthErrors(errorApp({}, false), [/server: no AppProject deploys to 'https:\/\/prod\.k8s\.example\.com:6443'/]);
  });

  test('the remote objects may not go into Argo CD\'s chart; in-cluster is SecureArgoCD\'s', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'argocd');
    new ArgoCdDestinationCluster(chart, 'Prod', {
      remoteChart: chart,
      server: 'https://kubernetes.default.svc',
      clusterName: 'in-cluster',
      credentials: ClusterCredentials.gkeWorkloadIdentity({ serviceAccountEmail: 'argocd@my-project.iam.gserviceaccount.com', caCertificate: CA }),
    });
    expectSynthErrors(app, [/remoteChart: is the chart of Argo CD's own objects/, /server: .*the cluster Argo CD runs in/, /clusterName: 'in-cluster'/, /no AppProject/]);
  });

  test('AKS IDs must be GUIDs; GKE e-mail must be a service account', () => {
    expectSynthErrors(errorApp({ credentials: ClusterCredentials.aksWorkloadIdentity({ clientId: 'x', tenantId: 'y', objectId: 'z', caCertificate: CA }) }), [
      /credentials\.clientId/, /credentials\.tenantId/, /credentials\.objectId/,
    ]);
    expectSynthErrors(errorApp({ credentials: ClusterCredentials.gkeWorkloadIdentity({ serviceAccountEmail: 'me@gmail.com', caCertificate: CA }) }), [
      /credentials\.serviceAccountEmail/,
    ]);
  });
});

test('Applications that name the cluster bring their namespace', () => {
  const { remote } = build({}, (chart, cluster) => {
    const project = new ProjectWithRoles(chart, 'P', {
      name: 'p',
      sourceRepos: ['https://github.com/o/p.git'],
      destinations: [{ server: cluster.server, namespace: 'team-*' }],
    });
    new SecureApplication(chart, 'App', {
      name: 'a',
      project,
      destination: { server: cluster.server, namespace: 'team-a' },
      source: ApplicationSource.git({ repoUrl: 'https://github.com/o/p.git', revision: 'main', path: 'k8s' }),
    });
  });
  expect(remote.filter((m) => m.kind === 'Role').map((m) => m.metadata.namespace)).toEqual(['team-a']);
  expect(remote.filter((m) => m.kind === 'ClusterRole')).toEqual([]);
});

describe('an API server at an IPv6 address', () => {
  // Argo CD's glob reads '[fd00::1]' as a class of one character; '\[' and '\]' are the brackets.
  const server = 'https://[fd00::1]:6443';
  const escaped = 'https://\\[fd00::1\\]:6443';

  test('destination() escapes the brackets: the project and its Applications match the cluster, and its Roles are derived', () => {
    const { argocd, remote } = build({ server }, (chart, cluster) => {
      expect(cluster.destination('payments').server).toBe(escaped);
      const project = new ProjectWithRoles(chart, 'Payments', {
        name: 'payments',
        sourceRepos: ['https://github.com/o/payments.git'],
        destinations: [cluster.destination('payments')],
      });
      expect(project.isDestinationPermitted('payments', server)).toBe(true);
      new SecureApplication(chart, 'App', {
        name: 'a',
        project,
        destination: { server, namespace: 'payments' },
        source: ApplicationSource.git({ repoUrl: 'https://github.com/o/payments.git', revision: 'main', path: 'k8s' }),
      });
    });
    expect(findObject(argocd, 'AppProject', 'payments').spec.destinations).toEqual([{ server: escaped, namespace: 'payments' }]);
    expect(remote.filter((m) => m.kind === 'Role').map((m) => m.metadata.namespace)).toEqual(['payments']);
  });

  test('written unescaped where Argo CD reads a pattern, it is refused with the escaped form', () => {
    const app = Testing.app();
    new ProjectWithRoles(new Chart(app, 'argocd'), 'P', {
      name: 'p',
      sourceRepos: ['https://github.com/o/p.git'],
      destinations: [{ server, namespace: 'web' }, { server: `!${server}`, namespace: 'web' }],
      destinationServiceAccounts: [{ server, namespace: 'web', serviceAccount: 'deployer' }],
      syncWindows: [{ kind: SyncWindowKind.DENY, schedule: CronSchedule.daily(0), duration: '1h', clusters: [server] }],
    });
    const fix = /names an IPv6 address in brackets, which Argo CD's glob reads as a character class .*: escape the brackets, '!?https:\/\/\\\[fd00::1\\\]:6443'/;
    expectSynthErrors(app, [
      new RegExp(`destinations\\[0\\]\\.server: 'https.* ${fix.source}`),
      new RegExp(`destinations\\[1\\]\\.server: '!https.* ${fix.source}`),
      new RegExp(`destinationServiceAccounts\\[0\\]\\.server: 'https.* ${fix.source}`),
      new RegExp(`syncWindows\\[0\\]\\.clusters\\[0\\]: 'https.* ${fix.source}`),
    ]);
  });
});

describe('a cluster scoped to a project keeps the other projects of the app out', () => {
  const repo = 'https://github.com/o/r.git';
  function scoped(destinations: (cluster: ArgoCdDestinationCluster) => ProjectDestination[]): App {
    const app = Testing.app();
    const chart = new Chart(app, 'argocd');
    const cluster = new ArgoCdDestinationCluster(chart, 'Prod', {
      remoteChart: new Chart(app, 'prod-cluster'),
      server: SERVER,
      clusterName: 'prod',
      project: 'payments',
      credentials: ClusterCredentials.gkeWorkloadIdentity({ serviceAccountEmail: 'argocd@my-project.iam.gserviceaccount.com', caCertificate: CA }),
    });
    new ProjectWithRoles(chart, 'Payments', { name: 'payments', sourceRepos: [repo], destinations: [cluster.destination('payments')] });
    new ProjectWithRoles(chart, 'Other', { name: 'other', sourceRepos: [repo], destinations: destinations(cluster) });
    return app;
  }
  const refusal = (i: number, by: string) => new RegExp(`\\[argocd/Other\\] ProjectWithRoles 'argocd/Other': destinations\\[${i}\\]: ${by} matches `
    + "cluster 'prod' \\('https://prod\\.k8s\\.example\\.com:6443'\\), which ArgoCdDestinationCluster 'argocd/Prod' scopes to project 'payments': "
    + 'Argo CD lets every project .*Name only the clusters this project deploys to .*or scope the cluster to \'other\' instead');

  test('by its server, its name, or a pattern that matches either ("*", "!other", "https://*.example.com:6443")', () => {
    expectSynthErrors(scoped((c) => [c.destination('web')]), [refusal(0, "server 'https://prod\\.k8s\\.example\\.com:6443'")]);
    expectSynthErrors(scoped(() => [{ name: 'prod', namespace: 'web' }]), [refusal(0, "name 'prod'")]);
    expectSynthErrors(scoped(() => [{ server: 'https://*.example.com:6443', namespace: 'team-*' }, { name: '!staging', namespace: 'web' }]), [
      refusal(0, "server 'https://\\*\\.example\\.com:6443'"), refusal(1, "name '!staging'"),
    ]);
    expectSynthErrors(scoped(() => [{ server: '*', namespace: 'web' }]), [refusal(0, "server '\\*'")]);
    // Argo CD's '!' server entry vetoes only where its own namespace matches: 'web' stays open.
    expectSynthErrors(scoped(() => [{ server: '*', namespace: 'web' }, { server: `!${SERVER}`, namespace: 'team-*' }]), [refusal(0, "server '\\*'")]);
  });

  test('a project whose patterns miss it, or whose "!" entry vetoes it, is accepted; the cluster Secret names its project', () => {
    for (const destinations of [
      [{ server: 'https://staging.k8s.example.com:6443', namespace: 'web' }, { name: 'staging', namespace: 'team-*' }],
      [{ server: '*', namespace: 'web' }, { server: `!${SERVER}`, namespace: 'web' }],
    ]) {
      const out = synth(scoped(() => destinations).node.findChild('argocd') as Chart);
      expect(findObject(out, 'Secret', 'cluster-prod').stringData.project).toBe('payments');
    }
  });
});

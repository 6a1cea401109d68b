import { Chart, Testing } from 'cdk8s';
import {
  ArgoCdAction, ArgoCdResource, ArgoCdRole, CronSchedule, ResourceKind, SecureArgoCD,
  ApplicationSource, ArgoCdNetworkPolicies, ArgoCdRepository, ProjectWithRoles, RepositoryAuth, RepositoryType, SecretSource, SecretStoreRef,
  SecureApplication, SyncWindowKind,
} from '../../src';
import { IN_CLUSTER_SERVER } from '../../src/argocd/private/names';
import { expectSynthErrors } from '../support/errors';

describe('one synth lists every problem of the Argo CD constructs, each with its path', () => {
  test('three mistakes in three constructs', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'platform');
    const project = new ProjectWithRoles(chart, 'Team', {
      name: 'team-a',
      sourceRepos: ['https://github.com/myorg/*'],
      destinations: [{ server: IN_CLUSTER_SERVER, namespace: 'team-a' }],
      syncWindows: [{ kind: SyncWindowKind.DENY, schedule: CronSchedule.expression('99 99 * * *'), duration: '1h', applications: ['*'] }],
    });
    new SecureApplication(chart, 'Web', {
      name: 'web',
      project,
      destination: { namespace: 'kube-system' },
      source: ApplicationSource.git({ repoUrl: 'https://github.com/myorg/web.git', revision: 'main', path: '.' }),
    });
    new ArgoCdNetworkPolicies(chart, 'NetworkPolicies', { namespace: 'argocd', kubernetesApi: { cidrs: ['10.0.0.0/33'], ports: [6443] } });
    new ArgoCdRepository(chart, 'Repo', {
      namespace: 'argocd',
      url: 'https://github.com/myorg/gitops.git',
      type: RepositoryType.GIT,
      auth: RepositoryAuth.USERNAME_PASSWORD,
      displayName: 'GitOps\u2028config',
      source: SecretSource.external({
        store: SecretStoreRef.existingCluster('vault'),
        data: { username: { key: 'argocd/gitops', property: 'username' }, password: { key: 'argocd/gitops', property: 'password' } },
      }),
    });
    expectSynthErrors(app, [
      /^\[platform\/Team\] ProjectWithRoles 'platform\/Team': syncWindows\[0\]\.schedule\.expression: .*minute/,
      /^\[platform\/Web\] SecureApplication 'platform\/Web': destination: project 'team-a' does not permit namespace 'kube-system'/,
      /^\[platform\/NetworkPolicies\] ArgoCdNetworkPolicies 'platform\/NetworkPolicies': kubernetesApi\.cidrs\[0\]: '10\.0\.0\.0\/33' is not a CIDR block/,
      /^\[platform\/Repo\] ArgoCdRepository 'platform\/Repo': displayName: 'GitOps\\u2028config' contains '\\u2028', a line break for YAML readers/,
      // the Secret that carries the name checks its public data too
      /^\[platform\/Repo\/Secret\] SealedOrExternalSecret 'platform\/Repo\/Secret': publicData: 'GitOps\\u2028config' contains '\\u2028', a line break for YAML readers/,
    ]);
  });

  test('RBAC and "too broad" guards are reported together at synth, not one per run', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'platform');
    new ProjectWithRoles(chart, 'Team', {
      name: 'team-a',
      sourceRepos: ['*', 'https://*/*'],
      destinations: [{ server: '*', namespace: '*' }],
      clusterResourceWhitelist: [ResourceKind.of('*', '*')],
      sourceNamespaces: ['*'],
      roles: [{ name: 'ci', policies: [{ resource: ArgoCdResource.APPLICATIONS, action: ArgoCdAction.SYNC, object: 'other/*' }] }],
    });
    new SecureArgoCD(chart, 'ArgoCd', {
      allowNoInteractiveLogin: { reason: 'API tokens only' },
      disableNetworkPolicies: { reason: 'policies managed elsewhere' },
      rbac: {
        roles: [ArgoCdRole.custom('ops', { policies: [{ resource: ArgoCdResource.APPLICATIONS, action: ArgoCdAction.DELETE, object: '{*}/{*}' }] })],
        groupMappings: [{ group: 'role:admin', role: ArgoCdRole.readonly() }],
      },
    });
    const team = "^\\[platform\\/Team\\] ProjectWithRoles 'platform\\/Team': ";
    const argo = "^\\[platform\\/ArgoCd\\] SecureArgoCD 'platform\\/ArgoCd': ";
    expectSynthErrors(app, [
      new RegExp(`${team}sourceNamespaces\\[0\\]: '\\*' lets Applications of this project live in every namespace`),
      new RegExp(`${team}sourceRepos\\[0\\]: '\\*' allows every repository: .*allowAnySourceRepo`),
      new RegExp(`${team}sourceRepos\\[1\\]: 'https://\\*/\\*' matches repositories on hosts nobody listed`),
      new RegExp(`${team}destinations\\[0\\]: '\\*'/'\\*' lets Applications deploy to every namespace of every cluster: .*allowAnyDestination`),
      new RegExp(`${team}clusterResourceWhitelist\\[0\\]: '\\*'/'\\*' allows every cluster-scoped kind`),
      new RegExp(`${team}roles\\[0\\]\\.policies\\[0\\]\\.object: 'other/\\*' is outside project 'team-a'`),
      new RegExp(`${argo}rbac role 'ops' policies\\[0\\]: 'applications, delete, \\{\\*\\}/\\{\\*\\}' is an admin-like grant on everything`),
      new RegExp(`${argo}rbac\\.groupMappings\\[0\\]\\.group: 'role:admin' is a role, not a group`),
      // escalation paths without an opt-in
      new RegExp(`${team}clusterResourceWhitelist\\[0\\]: \\*/\\* admits ClusterRole, ClusterRoleBinding, Role, RoleBinding: .*allowRbacResources with a reason`),
      new RegExp(`${team}clusterResourceWhitelist\\[0\\]: \\*/\\* admits Namespace, MutatingWebhookConfiguration, .*allowClusterControlResources with a reason`),
      new RegExp(`${team}destinations: \\[0\\] '\\*' reaches 'argocd', where Argo CD runs`),
      new RegExp(`${team}destinations: \\[0\\] '\\*' reaches 'kube-system', a system or Argo Workflows install namespace`),
      // the namespace-scoped install cannot grant a cluster-scoped pattern either
      /^\[platform\/ArgoCd\/Install\] ArgoCdInstall .*AppProject 'team-a' whitelists the cluster-scoped pattern '\*\/\*'/,
    ]);
  });
});

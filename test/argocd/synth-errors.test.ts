import { Chart, Testing } from 'cdk8s';
import {
  CronSchedule,
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
});

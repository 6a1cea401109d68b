// ApplicationSets with the safe settings: one fixed project per ApplicationSet, Go templates
// with missingkey=error, parameters checked against what each generator produces.
// - services: one Application per directory under apps/, in a namespace of the same name.
// - fleet: every service of a list on every production cluster, rolled out canary first
//   (progressive sync): each service's Helm chart from the charts repository, with the
//   production values of the config repository (a `ref` source read as `$values/...`).
import { App, Chart } from 'cdk8s';
import { ApplicationSetGenerator, ApplicationSource, ProjectWithRoles, SecureApplicationSet, SyncPolicy } from '../src';

const NAMESPACE = 'argocd';
const CONFIG_REPO = 'https://github.com/myorg/gitops-config.git';
const CHARTS_REPO = 'https://github.com/myorg/charts.git';

export function build(app: App): void {
  const chart = new Chart(app, 'application-sets');
  const project = new ProjectWithRoles(chart, 'Project', {
    name: 'services',
    namespace: NAMESPACE,
    sourceRepos: [CONFIG_REPO, CHARTS_REPO],
    destinations: [
      { server: 'https://kubernetes.default.svc', namespace: 'svc-*' },
      { name: 'prod-*', namespace: 'svc-*' },
    ],
  });

  new SecureApplicationSet(chart, 'Services', {
    name: 'services',
    project,
    generator: ApplicationSetGenerator.gitDirectories({
      repoUrl: CONFIG_REPO,
      revision: 'v2.0.0',
      include: ['apps/*'],
      exclude: ['apps/experimental-*'],
    }),
    applicationName: 'svc-{{.path.basename}}',
    source: ApplicationSource.git({ repoUrl: CONFIG_REPO, revision: 'v2.0.0', path: '{{.path.path}}' }),
    destination: { namespace: 'svc-{{.path.basename}}' },
    syncPolicy: SyncPolicy.development(),
  });

  new SecureApplicationSet(chart, 'Fleet', {
    name: 'fleet',
    project,
    generator: ApplicationSetGenerator.matrix(
      ApplicationSetGenerator.clusters({ matchLabels: { env: 'production' } }),
      ApplicationSetGenerator.list({ elements: [{ service: 'web' }, { service: 'api' }] }),
    ),
    applicationName: '{{.nameNormalized}}-{{.service}}',
    sources: [
      ApplicationSource.helmFromGit({
        repoUrl: CHARTS_REPO,
        revision: 'v1.4.0',
        path: 'charts/{{.service}}',
        valueFiles: ['values.yaml', '$values/services/{{.service}}/production.yaml'],
      }),
      ApplicationSource.ref('values', { repoUrl: CONFIG_REPO, revision: 'v2.0.0' }),
    ],
    destination: { name: '{{.name}}', namespace: 'svc-{{.service}}' },
    labels: { 'example.com/ring': '{{index .metadata.labels "example.com/ring"}}' },
    progressiveSync: [
      { labelKey: 'example.com/ring', values: ['canary'] },
      { labelKey: 'example.com/ring', values: ['main'], maxUpdate: 2 },
    ],
  });
}

// Applications as production GitOps repositories usually need them:
// - web: a Helm chart kept in Git, with its production values in the configuration repository
//   (`$values/...` from a ref source), and the replica count left to the autoscaler.
// - ingress: a chart from a chart repository, pinned to an exact version, values from Git.
// - both deploy into ApplicationNamespaces: Pod Security `restricted` enforced, default-deny
//   NetworkPolicy (the charts bring the policies for their own flows), a quota for web.
import { App, Chart, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { ApplicationNamespace, ApplicationSource, ProjectWithRoles, SecureApplication, SyncPolicy } from '../src';

const NAMESPACE = 'argocd';
const CHARTS_REPO = 'https://github.com/myorg/helm-charts.git';
const CONFIG_REPO = 'https://github.com/myorg/gitops-config.git';
const INGRESS_CHARTS = 'https://kubernetes.github.io/ingress-nginx';

export function build(app: App): void {
  const chart = new Chart(app, 'applications');
  const web = new ApplicationNamespace(chart, 'WebNamespace', {
    name: 'shop-web',
    quota: {
      total: { cpuRequest: Cpu.units(2), cpuLimit: Cpu.units(4), memoryRequest: Size.gibibytes(4), memoryLimit: Size.gibibytes(8) },
      pods: 40,
    },
    defaultContainerResources: {
      cpuRequest: Cpu.millis(100), cpuLimit: Cpu.millis(500), memoryRequest: Size.mebibytes(128), memoryLimit: Size.mebibytes(512),
    },
  });
  const ingress = new ApplicationNamespace(chart, 'IngressNamespace', { name: 'shop-ingress' });
  const project = new ProjectWithRoles(chart, 'Project', {
    name: 'shop',
    namespace: NAMESPACE,
    sourceRepos: [CHARTS_REPO, CONFIG_REPO, INGRESS_CHARTS],
    destinations: [web.projectDestination, ingress.projectDestination],
  });
  // One ref source per configuration revision: every chart reads its values from it.
  const values = ApplicationSource.ref('values', { repoUrl: CONFIG_REPO, revision: 'v3.1.0' });

  new SecureApplication(chart, 'Web', {
    name: 'shop-web',
    project,
    sources: [
      ApplicationSource.helmFromGit({
        repoUrl: CHARTS_REPO,
        revision: 'web-1.4.2',
        path: 'charts/web',
        valueFiles: ['values.yaml', '$values/shop/web/production.yaml'],
        // The database password stays in a Secret; the chart gets its name.
        values: { database: { existingSecret: 'shop-web-db' } },
        parameters: [{ name: 'image.tag', value: '1.4.2', forceString: true }],
      }),
      values,
    ],
    destination: { namespace: web.namespaceName },
    syncPolicy: SyncPolicy.production(),
    // The HorizontalPodAutoscaler owns the replica count: neither diffs nor syncs touch it.
    ignoreDifferences: [{ group: 'apps', kind: 'Deployment', name: 'shop-web', jsonPointers: ['/spec/replicas'] }],
    syncOptions: { respectIgnoreDifferences: true, serverSideApply: true },
  });

  new SecureApplication(chart, 'Ingress', {
    name: 'shop-ingress',
    project,
    sources: [
      ApplicationSource.helm({
        repoUrl: INGRESS_CHARTS,
        chart: 'ingress-nginx',
        version: '4.12.1',
        releaseName: 'ingress-nginx',
        valueFiles: ['$values/shop/ingress/production.yaml'],
      }),
      values,
    ],
    destination: { namespace: ingress.namespaceName },
    syncPolicy: SyncPolicy.production(),
  });
}

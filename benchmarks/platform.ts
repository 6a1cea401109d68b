// The reference large platform of issue 7, built from the public API. At scale 1:
// 1 SecureArgoCD (plus the SecureArgoWorkflows install the workflow namespaces need),
// 500 ProjectWithRoles (2 roles, 2 sync windows each), 2,000 SecureApplications (4 per project,
// four source kinds) and 100 HardenedWorkflowNamespaces.
//
// Chart layout: one `platform` chart (Argo CD and the Workflows install), then one `tenants-NNN`
// chart per 100 projects, holding those projects, their Applications and a proportional share
// of the workflow namespaces. The chart count grows with the scale (1 + ceil(projects / 100)),
// as it would in a real fleet that adds teams.
import { createHash } from 'crypto';
import { App, Chart } from 'cdk8s';
import {
  CronSchedule,
  ArgoCdRelease, ApplicationSource, ArgoCdAction, ArgoCdPolicy, ArgoCdResource, ArgoCdRole, HardenedWorkflowNamespace, OidcSso,
  ProjectWithRoles, ResourceKind, SecretKeyRef, SecureApplication, SecureArgoCD, SecureArgoWorkflows, SyncPolicy,
  SyncWindowKind, WorkflowControllerScope, WorkflowEgress,
} from '../src';
import { ChartManifests } from './baseline';

// The benchmark is never deployed: its digests are hashes of names, which have the shape of real
// ones (the library refuses made-up digests such as all zeros but a last digit).
const digestOf = (name: string) => createHash('sha256').update(`cdk8s-secure-argo benchmark ${name}`).digest('hex');
const ARGOCD_RELEASE = ArgoCdRelease.V3_5_1.withDigests({
  argocd: `sha256:${digestOf('argocd')}`,
  dex: `sha256:${digestOf('dex')}`,
  redis: `sha256:${digestOf('redis')}`,
  haproxy: `sha256:${digestOf('haproxy')}`,
});

/** The digest of the tenants' images (Kustomize image overrides must be pinned). */
const IMAGE_DIGEST = digestOf('tenant image');

/** The counts at scale 1 (issue 7). */
export const BASE_COUNTS = { projects: 500, applications: 2000, workflowNamespaces: 100 };
/** Projects per tenant chart, by default. */
export const PROJECTS_PER_CHART = 100;

/** What a platform of a given scale holds. */
export interface PlatformCounts {
  readonly scale: number;
  readonly projects: number;
  readonly applications: number;
  readonly workflowNamespaces: number;
  readonly projectsPerChart: number;
  /** Tenant charts (the platform chart comes on top). */
  readonly tenantCharts: number;
}

/** Counts at `scale`: each rounded, at least 1. */
export function platformCounts(scale: number, projectsPerChart: number = PROJECTS_PER_CHART): PlatformCounts {
  const n = (base: number) => Math.max(1, Math.round(base * scale));
  const projects = n(BASE_COUNTS.projects);
  return {
    scale,
    projects,
    applications: n(BASE_COUNTS.applications),
    workflowNamespaces: n(BASE_COUNTS.workflowNamespaces),
    projectsPerChart,
    tenantCharts: Math.ceil(projects / projectsPerChart),
  };
}

const IN_CLUSTER = 'https://kubernetes.default.svc';
const API_CIDR = '10.0.0.1/32';
const TIME_ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo'];
const pad = (i: number) => String(i).padStart(4, '0');
/** Index `i` of `count` spread evenly over `buckets`. */
const bucketOf = (i: number, count: number, buckets: number) => Math.floor((i * buckets) / count);

/**
 * Builds the platform with the library's constructs into `app`. Every use of the construct
 * APIs is in this function, so API changes are fixed in one place.
 */
export function buildPlatform(app: App, scale: number, projectsPerChart: number = PROJECTS_PER_CHART): PlatformCounts {
  const counts = platformCounts(scale, projectsPerChart);
  const chartOf = (project: number) => tenants[Math.floor(project / projectsPerChart)];
  const platform = new Chart(app, 'platform');
  new SecureArgoCD(platform, 'ArgoCD', {
    install: { release: ARGOCD_RELEASE },
    namespace: 'argocd',
    url: 'https://argocd.example.com',
    sso: OidcSso.keycloak({
      issuer: 'https://keycloak.example.com/realms/platform',
      clientId: 'argocd',
      clientSecret: SecretKeyRef.fromExistingSecret('argocd-oidc', 'clientSecret', { labels: { 'app.kubernetes.io/part-of': 'argocd' } }),
    }),
    rbac: {
      groupMappings: [
        { group: 'platform-admins', role: ArgoCdRole.admin() },
        { group: 'platform-viewers', role: ArgoCdRole.readonly() },
      ],
    },
    networkPolicies: {
      kubernetesApi: { cidrs: [API_CIDR], ports: [6443] },
      repositoryHosts: [{ cidrs: ['140.82.112.0/20'], ports: [443] }],
    },
  });
  const workflows = new SecureArgoWorkflows(platform, 'Workflows', {
    namespace: 'argo',
    controllerScope: WorkflowControllerScope.CLUSTER,
    networkPolicies: { kubernetesApiCidr: API_CIDR, kubernetesApiPort: 6443 },
  });

  const tenants: Chart[] = [];
  for (let c = 0; c < counts.tenantCharts; c++) tenants.push(new Chart(app, `tenants-${pad(c)}`));

  const projects: ProjectWithRoles[] = [];
  for (let p = 0; p < counts.projects; p++) {
    const name = `team-${pad(p)}`;
    const apps = `${name}/*`;
    const allow = (resource: ArgoCdResource, action: ArgoCdAction): ArgoCdPolicy => ({ resource, action, object: apps });
    const timeZone = TIME_ZONES[p % TIME_ZONES.length];
    projects.push(new ProjectWithRoles(chartOf(p), name, {
      name,
      description: `Team ${p}: applications from the team's repositories`,
      sourceRepos: [`https://github.com/acme/${name}-*`, 'https://charts.example.com/stable'],
      destinations: [
        { server: IN_CLUSTER, namespace: name },
        { server: IN_CLUSTER, namespace: `${name}-*` },
      ],
      clusterResourceWhitelist: [],
      namespaceResourceWhitelist: [ResourceKind.allKindsIn(''), ResourceKind.allKindsIn('apps'), ResourceKind.INGRESS],
      namespaceResourceBlacklist: [ResourceKind.RESOURCE_QUOTA, ResourceKind.LIMIT_RANGE, ResourceKind.NETWORK_POLICY],
      roles: [
        {
          name: 'developer',
          description: 'View and sync applications, read logs',
          policies: [
            allow(ArgoCdResource.APPLICATIONS, ArgoCdAction.GET),
            allow(ArgoCdResource.APPLICATIONS, ArgoCdAction.SYNC),
            allow(ArgoCdResource.LOGS, ArgoCdAction.GET),
          ],
          groups: [`${name}-developers`],
        },
        {
          name: 'admin',
          description: 'Manage applications and their resources',
          policies: [
            allow(ArgoCdResource.APPLICATIONS, ArgoCdAction.ALL),
            allow(ArgoCdResource.APPLICATIONS, ArgoCdAction.updateResources()),
            allow(ArgoCdResource.APPLICATIONS, ArgoCdAction.deleteResources()),
            allow(ArgoCdResource.LOGS, ArgoCdAction.GET),
          ],
          groups: [`${name}-admins`],
        },
      ],
      syncWindows: [
        { kind: SyncWindowKind.ALLOW, schedule: CronSchedule.expression('0 9 * * MON-FRI'), duration: '9h', applications: ['*'], manualSync: true, timeZone },
        { kind: SyncWindowKind.DENY, schedule: CronSchedule.expression('0 0 * * SUN'), duration: '24h', applications: ['*'], timeZone },
      ],
    }));
  }

  for (let a = 0; a < counts.applications; a++) {
    const p = bucketOf(a, counts.applications, counts.projects);
    const project = projects[p];
    const team = project.projectName;
    const name = `${team}-app-${pad(a)}`;
    const repoUrl = `https://github.com/acme/${team}-services.git`;
    let source: ApplicationSource;
    switch (a % 4) {
      case 0: source = ApplicationSource.git({ repoUrl, revision: 'v1.4.2', path: `apps/${name}` }); break;
      case 1: source = ApplicationSource.kustomize({ repoUrl, revision: 'main', path: `overlays/${name}`, images: [`ghcr.io/acme/${name}@sha256:${IMAGE_DIGEST}`] }); break;
      case 2: source = ApplicationSource.helm({
        repoUrl: 'https://charts.example.com/stable',
        chart: 'web-service',
        version: '3.2.1',
        values: { replicaCount: 2, image: { repository: `ghcr.io/acme/${name}`, tag: '1.4.2' }, resources: { limits: { cpu: '500m', memory: '256Mi' } } },
      }); break;
      default: source = ApplicationSource.plugin({ repoUrl, revision: 'v1.4.2', path: `plugin/${name}`, env: { ENVIRONMENT: 'production' } });
    }
    new SecureApplication(chartOf(p), name, {
      name,
      project,
      source,
      destination: { namespace: a % 2 === 0 ? team : `${team}-svc` },
      syncPolicy: a % 3 === 0 ? SyncPolicy.production() : SyncPolicy.development(),
      syncOptions: { createNamespace: false, serverSideApply: true },
    });
  }

  for (let w = 0; w < counts.workflowNamespaces; w++) {
    const name = `wf-${pad(w)}`;
    const ns = new HardenedWorkflowNamespace(tenants[bucketOf(w, counts.workflowNamespaces, counts.tenantCharts)], name, {
      workflows,
      name,
      kubernetesApiCidr: API_CIDR,
      kubernetesApiPort: 6443,
      artifactRepository: WorkflowEgress.toNamespace('minio', [9000]),
      egress: [WorkflowEgress.toCidr('10.0.0.0/8', [443])],
      access: { viewers: [`${name}-viewers`], submitters: [`${name}-submitters`], admins: ['platform-admins'] },
    });
    if (w % 2 === 0) ns.addBuilderServiceAccount({ secretNames: ['docker-credentials', 'git-credentials'] });
  }
  return counts;
}

/** Synthesizes `app` into per-chart JSON: the documents `app.synthYaml()` serializes, by chart, and the charts' dependencies. */
export function synthCharts(app: App): ChartManifests[] {
  return app.charts.map((chart) => ({
    chartId: chart.node.id,
    objects: chart.toJson(),
    dependsOn: chart.node.dependencies.filter((d): d is Chart => d instanceof Chart).map((d) => d.node.id),
  }));
}

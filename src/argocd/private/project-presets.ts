// The production and development AppProject presets, as props for ProjectWithRoles.
import { IN_CLUSTER_SERVER } from './names';
import { matchesAnyCluster, matchesAnyNamespace } from './project-matching';
import { roleGroupProblem } from './project-roles';
import { CronSchedule, DayOfWeek } from '../../core/cron-schedule';
import { dns1123LabelProblem, ianaTimeZoneProblem, isDns1123Subdomain, quoted } from '../../private/validate';
import type { ProjectWithRolesProps } from '../project';
import { SyncWindowKind } from '../project-options';
import { DevelopmentProjectProps, ProductionProjectProps, ProjectPresetProps } from '../project-presets';
import { ArgoCdAction, ArgoCdPolicy, ArgoCdResource } from '../rbac-policy';
import { ResourceKind } from '../resource-kind';

/**
 * What the production preset refuses beyond what every project refuses, as [property, problem]
 * pairs: the project reports them at synth with its own path.
 */
export function productionPresetProblems(props: ProductionProjectProps): [string, string][] {
  const problems: [string, string][] = presetProblems(props, 'production');
  if (!props.gitSignatureVerification) {
    problems.push(['gitSignatureVerification', 'is required for production: list the GnuPG key IDs that sign the release commits']);
  }
  (props.sourceRepos ?? []).forEach((repo, i) => {
    if (/[*?[\]{}!]/.test(repo)) problems.push([`sourceRepos[${i}]`, `${quoted(repo)} is a pattern: list the exact repository URLs production deploys from`]);
  });
  (props.destinations ?? []).forEach((d, i) => {
    if (matchesAnyNamespace(d.namespace) || matchesAnyCluster(d)) {
      problems.push([`destinations[${i}]`, 'matches every namespace or cluster: production lists its clusters and namespaces']);
    }
  });
  return problems;
}

/**
 * What is wrong with the props only the presets have, under the preset's property names (the
 * project would name the roles and windows they become); such values are not passed on.
 */
export function presetProblems(props: ProductionProjectProps & DevelopmentProjectProps, defaultName: string): [string, string][] {
  const problems: [string, string][] = [];
  const name = props.name ?? defaultName;
  // The default destinations are namespaces: a longer or dotted name would deploy nowhere.
  const label = props.destinations === undefined && isDns1123Subdomain(name) ? dns1123LabelProblem(name) : undefined;
  if (label) problems.push(['name', `${label}, as the default destinations are the namespaces '<name>' and '<name>-*' (or give destinations)`]);
  if (props.timeZone !== undefined) {
    const zone = ianaTimeZoneProblem(props.timeZone);
    if (zone) problems.push(['timeZone', zone]);
  }
  for (const property of ['developerGroups', 'adminGroups'] as const) {
    (props[property] ?? []).forEach((g, i) => {
      const problem = roleGroupProblem(g);
      if (problem) problems.push([`${property}[${i}]`, problem]);
    });
  }
  return problems;
}

/** The groups without those {@link presetProblems} reports. */
const validGroups = (groups: string[] | undefined, fallback: string) => (groups ?? [fallback]).filter((g) => roleGroupProblem(g) === undefined);

/** The props of `ProjectWithRoles.production` (see {@link productionPresetProblems}). */
export function productionProjectProps(props: ProductionProjectProps): ProjectWithRolesProps {
  const name = props.name ?? 'production';
  const timeZone = props.timeZone !== undefined && ianaTimeZoneProblem(props.timeZone) === undefined ? props.timeZone : 'UTC';
  const apps = `${name}/*`;
  const allow = (resource: ArgoCdResource, action: ArgoCdAction): ArgoCdPolicy => ({ resource, action, object: apps });
  return {
    ...presetBaseline(name, props),
    description: 'Production: manual, signed, business-hours deployments',
    syncWindows: [
      {
        kind: SyncWindowKind.ALLOW,
        schedule: CronSchedule.weekdays(9),
        duration: '9h',
        applications: ['*'],
        // manualSync would let manual syncs run outside the window, and production syncs are manual.
        manualSync: false,
        timeZone,
        description: 'Syncs, manual ones included, only on weekdays 09:00-18:00',
      },
      {
        kind: SyncWindowKind.DENY,
        schedule: CronSchedule.weekly(DayOfWeek.SUNDAY, 0),
        duration: '24h',
        applications: ['*'],
        timeZone,
        description: 'No deployments on Sunday',
      },
    ],
    roles: [
      {
        name: 'prod-developer',
        description: 'Production developer: view and sync applications, read logs',
        policies: [
          allow(ArgoCdResource.APPLICATIONS, ArgoCdAction.GET),
          allow(ArgoCdResource.APPLICATIONS, ArgoCdAction.SYNC),
          allow(ArgoCdResource.LOGS, ArgoCdAction.GET),
        ],
        groups: validGroups(props.developerGroups, 'prod-dev-team'),
      },
      {
        name: 'prod-admin',
        description: 'Production admin: manage applications and their resources, read logs',
        policies: [
          allow(ArgoCdResource.APPLICATIONS, ArgoCdAction.GET),
          allow(ArgoCdResource.APPLICATIONS, ArgoCdAction.CREATE),
          allow(ArgoCdResource.APPLICATIONS, ArgoCdAction.UPDATE),
          allow(ArgoCdResource.APPLICATIONS, ArgoCdAction.updateResources()),
          allow(ArgoCdResource.APPLICATIONS, ArgoCdAction.DELETE),
          allow(ArgoCdResource.APPLICATIONS, ArgoCdAction.deleteResources()),
          allow(ArgoCdResource.APPLICATIONS, ArgoCdAction.SYNC),
          allow(ArgoCdResource.APPLICATIONS, ArgoCdAction.OVERRIDE),
          allow(ArgoCdResource.APPLICATIONS, ArgoCdAction.action('*', '*')),
          allow(ArgoCdResource.LOGS, ArgoCdAction.GET),
        ],
        groups: validGroups(props.adminGroups, 'prod-admin-team'),
      },
    ],
  };
}

/** The props of `ProjectWithRoles.development`. */
export function developmentProjectProps(props: DevelopmentProjectProps): ProjectWithRolesProps {
  const name = props.name ?? 'development';
  return {
    ...presetBaseline(name, props),
    description: 'Development: automated deployments from team repositories',
    syncWindows: [],
    roles: [{
      name: 'developer',
      description: 'Developer: every action on the project applications',
      policies: [
        { resource: ArgoCdResource.APPLICATIONS, action: ArgoCdAction.ALL, object: `${name}/*` },
        { resource: ArgoCdResource.LOGS, action: ArgoCdAction.GET, object: `${name}/*` },
      ],
      groups: validGroups(props.developerGroups, 'developers'),
    }],
  };
}

/**
 * What the production and development presets share: the given repos, the `<name>` and
 * `<name>-*` namespaces of the in-cluster server, nothing cluster-scoped, no ResourceQuota,
 * LimitRange or NetworkPolicy, and orphaned-resource warnings.
 */
function presetBaseline(name: string, props: ProjectPresetProps): ProjectWithRolesProps {
  return {
    name,
    namespace: props.namespace,
    sourceRepos: props.sourceRepos,
    destinations: props.destinations ?? [
      { server: IN_CLUSTER_SERVER, namespace: name },
      { server: IN_CLUSTER_SERVER, namespace: `${name}-*` },
    ],
    clusterResourceWhitelist: [],
    namespaceResourceWhitelist: props.namespaceResourceWhitelist ?? [
      ResourceKind.allKindsIn(''),
      ResourceKind.allKindsIn('apps'),
      ResourceKind.allKindsIn('batch'),
      ResourceKind.allKindsIn('autoscaling'),
      ResourceKind.INGRESS,
      ResourceKind.POD_DISRUPTION_BUDGET,
      ResourceKind.of('argoproj.io', 'Rollout'),
      ResourceKind.of('argoproj.io', 'AnalysisTemplate'),
    ],
    namespaceResourceBlacklist: [ResourceKind.RESOURCE_QUOTA, ResourceKind.LIMIT_RANGE, ResourceKind.NETWORK_POLICY],
    orphanedResources: { warn: true, ignore: [ResourceKind.CONFIG_MAP.named('kube-root-ca.crt')] },
    gitSignatureVerification: props.gitSignatureVerification,
  };
}

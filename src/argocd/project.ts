import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { ArgoCdAction, ArgoCdPolicy, ArgoCdRbacValidation, ArgoCdResource, PolicyEffect } from './rbac';
import { standardLabels } from '../core/labels';
import { applySyncWave, SyncWave } from '../core/sync-wave';
import * as l1 from '../imports/argocd-argoproj.io';
import { invalid } from '../private/errors';
import { argoGlobMatch, compileArgoGlob, compileGoPath, goPathMatch } from '../private/glob';
import { isIanaTimeZone, requireDns1123Subdomain } from '../private/validate';

/** The in-cluster API server URL Argo CD registers as the cluster `in-cluster`. */
export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';

/**
 * A Kubernetes resource type (API group and kind) for an AppProject's resource lists, with an
 * optional name glob where Argo CD supports one. Group and kind match as globs.
 */
export class ResourceKind {
  /** Namespaces (core group). */
  public static readonly NAMESPACE = new ResourceKind('', 'Namespace');
  /** ResourceQuotas (core group). */
  public static readonly RESOURCE_QUOTA = new ResourceKind('', 'ResourceQuota');
  /** LimitRanges (core group). */
  public static readonly LIMIT_RANGE = new ResourceKind('', 'LimitRange');
  /** NetworkPolicies (`networking.k8s.io`; the seed's core-group entry matches nothing). */
  public static readonly NETWORK_POLICY = new ResourceKind('networking.k8s.io', 'NetworkPolicy');
  /** Secrets (core group). */
  public static readonly SECRET = new ResourceKind('', 'Secret');
  /** ConfigMaps (core group). */
  public static readonly CONFIG_MAP = new ResourceKind('', 'ConfigMap');
  /** ClusterRoles. */
  public static readonly CLUSTER_ROLE = new ResourceKind('rbac.authorization.k8s.io', 'ClusterRole');
  /** ClusterRoleBindings. */
  public static readonly CLUSTER_ROLE_BINDING = new ResourceKind('rbac.authorization.k8s.io', 'ClusterRoleBinding');
  /** CustomResourceDefinitions. */
  public static readonly CUSTOM_RESOURCE_DEFINITION = new ResourceKind('apiextensions.k8s.io', 'CustomResourceDefinition');
  /** Ingresses. */
  public static readonly INGRESS = new ResourceKind('networking.k8s.io', 'Ingress');
  /** PodDisruptionBudgets. */
  public static readonly POD_DISRUPTION_BUDGET = new ResourceKind('policy', 'PodDisruptionBudget');

  /**
   * Any group/kind pair.
   * @param group the API group, `''` for the core group; a glob
   * @param kind the kind; a glob
   */
  public static of(group: string, kind: string): ResourceKind {
    return new ResourceKind(group, kind);
  }

  /** Every kind of one API group (`kind: '*'`). */
  public static allKindsIn(group: string): ResourceKind {
    return new ResourceKind(group, '*');
  }

  private constructor(
    /** The API group (`''` is the core group). */
    public readonly group: string,
    /** The kind. */
    public readonly kind: string,
    /**
     * A name glob.
     * @default - every name
     */
    public readonly name?: string,
  ) {
    for (const [what, value] of [['group', group], ['kind', kind], ['name', name]] as const) {
      if (value !== undefined && (/[\s,"]/.test(value) || (what !== 'group' && value === ''))) {
        invalid('ResourceKind', what, `'${value}' is not a valid ${what}: no spaces, commas or quotes${what === 'group' ? '' : ', not empty'}`);
      }
      // Argo CD matches group and kind with Go's filepath.Match: a malformed pattern matches nothing.
      if (what !== 'name' && compileGoPath(value!) === undefined) {
        invalid('ResourceKind', what, `'${value}' is not a valid pattern (Go filepath.Match: '*', '?', '[a-z]', '[^a]'; escape '-' and ']' inside a class)`);
      }
    }
  }

  /**
   * The same kind, limited to names matching `nameGlob` (Go `filepath.Match` syntax). Only
   * the cluster-scoped lists (Argo CD 3.3+) and the orphaned-resources ignore list read it.
   */
  public named(nameGlob: string): ResourceKind {
    return new ResourceKind(this.group, this.kind, nameGlob);
  }

  /** `<group>/<kind>[/<name>]`, for messages. */
  public toString(): string {
    return `${this.group === '' ? "''" : this.group}/${this.kind}${this.name !== undefined ? ` named '${this.name}'` : ''}`;
  }
}

/** A place Applications of a project may deploy to. */
export interface ProjectDestination {
  /**
   * The cluster's API server URL (a glob; `!` negates).
   * @default - match by `name` only
   */
  readonly server?: string;
  /**
   * The cluster's name in Argo CD (a glob; `!` negates), e.g. `in-cluster`.
   * @default - match by `server` only
   */
  readonly name?: string;
  /** The namespace (a glob; `!` negates), e.g. `team-a-*`. */
  readonly namespace: string;
}

/** The service account Argo CD impersonates when syncing to a destination. */
export interface DestinationServiceAccount {
  /** The cluster's API server URL (a glob). */
  readonly server: string;
  /**
   * The destination namespace (a glob).
   * @default - every namespace of the server
   */
  readonly namespace?: string;
  /** The service account to impersonate, `name` or `namespace:name`. */
  readonly serviceAccount: string;
}

/** Monitoring of resources in a destination namespace that no Application manages. */
export interface OrphanedResourcesOptions {
  /**
   * Raise a warning condition on Applications with orphaned resources.
   * @default true
   */
  readonly warn?: boolean;
  /**
   * Resources never reported as orphaned (group, kind and optional name glob).
   * @default - none
   */
  readonly ignore?: ResourceKind[];
}

/** How strictly commits must be signed. */
export enum GpgVerificationMode {
  /** Every commit between the last verified one and the target must be signed by a listed key. */
  STRICT = 'strict',
  /** Only the target commit (or tag) must be signed by a listed key. */
  HEAD = 'head',
}

/** Verification of Git commit signatures before Argo CD uses a revision. */
export interface GitSignatureVerification {
  /** GnuPG key IDs (16 hex digits) whose signatures are trusted; the keys must be in Argo CD's keyring. */
  readonly keyIds: string[];
  /**
   * How many commits are checked.
   * @default GpgVerificationMode.STRICT (HEAD for targets before Argo CD 3.5)
   */
  readonly mode?: GpgVerificationMode;
  /**
   * The repository URL globs the policy applies to (`!` negates).
   * @default - the project's source repositories
   */
  readonly repos?: string[];
}

/** Whether a sync window opens or blocks syncs. */
export enum SyncWindowKind {
  /** Syncs are allowed only while some allow window is active. */
  ALLOW = 'allow',
  /** Syncs are blocked while the window is active. */
  DENY = 'deny',
}

/** A time window that allows or blocks syncs of matching Applications. */
export interface SyncWindowOptions {
  /** Allow or deny. */
  readonly kind: SyncWindowKind;
  /**
   * When the window opens: a 5-field cron expression (minute hour day-of-month month
   * day-of-week; `*`, lists, ranges, steps and names like `MON-FRI` or `JAN`).
   */
  readonly schedule: string;
  /** How long the window stays open: a Go duration such as `1h`, `30m` or `1h30m`. */
  readonly duration: string;
  /**
   * Application name globs the window applies to.
   * @default - none (at least one of applications, namespaces or clusters is required)
   */
  readonly applications?: string[];
  /**
   * Destination namespace globs the window applies to.
   * @default - none
   */
  readonly namespaces?: string[];
  /**
   * Destination cluster name globs the window applies to.
   * @default - none
   */
  readonly clusters?: string[];
  /**
   * Allow manual syncs while the window blocks automated ones.
   * @default false
   */
  readonly manualSync?: boolean;
  /**
   * The IANA time zone of the schedule, e.g. `Europe/Berlin`.
   * @default 'UTC'
   */
  readonly timeZone?: string;
  /**
   * Apply the window only to Applications matching all of applications, namespaces and
   * clusters (instead of any).
   * @default false
   */
  readonly andOperator?: boolean;
  /**
   * Let a sync that started before the window closes (allow) or opens (deny) run on.
   * @default false
   */
  readonly syncOverrun?: boolean;
  /**
   * A description.
   * @default - none
   */
  readonly description?: string;
}

/**
 * A JWT token issued for a project role. Argo CD accepts a project token only while its ID (or
 * issued-at time) is listed on the role.
 */
export interface ProjectJwtToken {
  /** Issued-at time, seconds since the epoch. */
  readonly issuedAt: number;
  /**
   * Expiry, seconds since the epoch.
   * @default - never expires
   */
  readonly expiresAt?: number;
  /**
   * The token ID.
   * @default - none
   */
  readonly id?: string;
}

/** A project role: its subject is `proj:<project>:<role>`. */
export interface ProjectRoleOptions {
  /** The role name: letters, digits, `-` and `_`. */
  readonly name: string;
  /**
   * A description.
   * @default - none
   */
  readonly description?: string;
  /**
   * The role's policies. Objects must be inside this project: `<project>/<app>` or
   * `<project>/<namespace>/<app>` (globs allowed after the project). Resources are limited to
   * applications, applicationsets, repositories, clusters, logs and exec.
   */
  readonly policies: ArgoCdPolicy[];
  /**
   * Identity provider groups bound to the role.
   * @default - none
   */
  readonly groups?: string[];
  /**
   * Issued JWT tokens. Argo CD also records tokens in `status.jwtTokensByRole` and merges that
   * list back into the spec, so deleting an entry here does not revoke a token: revoke with
   * `argocd proj role delete-token`.
   * @default - none
   */
  readonly jwtTokens?: ProjectJwtToken[];
}

/** Props for {@link ProjectWithRoles}. */
export interface ProjectWithRolesProps {
  /** The AppProject name (a DNS-1123 subdomain). */
  readonly name: string;
  /**
   * The namespace Argo CD runs in.
   * @default 'argocd'
   */
  readonly namespace?: string;
  /**
   * A description (at most 255 characters).
   * @default - none
   */
  readonly description?: string;
  /**
   * Repository URLs (or URL globs) Applications may use. `!` in front denies a URL. `*` is
   * refused unless `allowAnySourceRepo` is set.
   */
  readonly sourceRepos: string[];
  /**
   * Allow `*` in `sourceRepos`.
   * @default false
   */
  readonly allowAnySourceRepo?: boolean;
  /**
   * Namespaces (globs) outside Argo CD's own where Applications of this project may live
   * (apps in any namespace).
   * @default - only Argo CD's namespace
   */
  readonly sourceNamespaces?: string[];
  /** Where Applications may deploy. A destination with `*` for both cluster and namespace is refused unless `allowAnyDestination` is set. */
  readonly destinations: ProjectDestination[];
  /**
   * Allow a destination that matches every cluster and namespace.
   * @default false
   */
  readonly allowAnyDestination?: boolean;
  /**
   * Cluster-scoped kinds Applications may manage. Empty allows none.
   * @default [] - nothing cluster-scoped
   */
  readonly clusterResourceWhitelist?: ResourceKind[];
  /**
   * Cluster-scoped kinds (with optional name globs) Applications may not manage.
   * @default - none
   */
  readonly clusterResourceBlacklist?: ResourceKind[];
  /**
   * Allow `*`/`*` in the cluster-scoped whitelist (every cluster-scoped kind).
   * @default false
   */
  readonly allowAllClusterResources?: boolean;
  /**
   * Namespaced kinds Applications may manage. Unset allows every kind; `[]` allows none.
   * Argo CD matches namespaced kinds by group and kind only (no names).
   * @default - every namespaced kind (minus the blacklist)
   */
  readonly namespaceResourceWhitelist?: ResourceKind[];
  /**
   * Namespaced kinds Applications may not manage (group and kind only).
   * @default - none
   */
  readonly namespaceResourceBlacklist?: ResourceKind[];
  /**
   * Orphaned resource monitoring.
   * @default - off
   */
  readonly orphanedResources?: OrphanedResourcesOptions;
  /**
   * Git commit signature verification.
   * @default - none
   */
  readonly gitSignatureVerification?: GitSignatureVerification;
  /**
   * The Argo CD version (`major.minor`) the project is written for. From 3.5 signature
   * verification is written as `sourceIntegrity`; before, as the deprecated `signatureKeys`.
   * @default '3.5'
   */
  readonly targetArgoCdVersion?: string;
  /**
   * Allow only clusters scoped to this project as destinations.
   * @default false
   */
  readonly permitOnlyProjectScopedClusters?: boolean;
  /**
   * Service accounts to impersonate per destination (needs
   * `application.sync.impersonation.enabled` in argocd-cm).
   * @default - none
   */
  readonly destinationServiceAccounts?: DestinationServiceAccount[];
  /**
   * Roles.
   * @default - none
   */
  readonly roles?: ProjectRoleOptions[];
  /**
   * Sync windows.
   * @default - none: syncs at any time
   */
  readonly syncWindows?: SyncWindowOptions[];
}

/** Options shared by the production and development presets. */
export interface ProjectPresetProps {
  /**
   * The AppProject name.
   * @default 'production' or 'development'
   */
  readonly name?: string;
  /**
   * The namespace Argo CD runs in.
   * @default 'argocd'
   */
  readonly namespace?: string;
  /** Repository URLs (or narrow globs) the project may use. */
  readonly sourceRepos: string[];
  /**
   * Where the project may deploy.
   * @default - the in-cluster server, namespaces `<name>` and `<name>-*`
   */
  readonly destinations?: ProjectDestination[];
  /**
   * Namespaced kinds the project may manage.
   * @default - core, apps, batch and autoscaling kinds, Ingress, PodDisruptionBudget, Argo Rollouts
   */
  readonly namespaceResourceWhitelist?: ResourceKind[];
  /**
   * Git commit signature verification.
   * @default - none (required for production)
   */
  readonly gitSignatureVerification?: GitSignatureVerification;
  /**
   * The time zone of the sync windows.
   * @default 'UTC'
   */
  readonly timeZone?: string;
}

/** Props for {@link ProjectWithRoles.production}. */
export interface ProductionProjectProps extends ProjectPresetProps {
  /**
   * Groups bound to the `prod-developer` role (get and sync applications, read logs).
   * @default ['prod-dev-team']
   */
  readonly developerGroups?: string[];
  /**
   * Groups bound to the `prod-admin` role (manage applications, read logs; no exec).
   * @default ['prod-admin-team']
   */
  readonly adminGroups?: string[];
}

/** Props for {@link ProjectWithRoles.development}. */
export interface DevelopmentProjectProps extends ProjectPresetProps {
  /**
   * Groups bound to the `developer` role (everything on the project's applications).
   * @default ['developers']
   */
  readonly developerGroups?: string[];
}

/** One AppProject role, as the RBAC simulator reads it. */
export interface RbacProjectRoleData {
  /** The role name (`spec.roles[].name`). */
  readonly name: string;
  /**
   * The role's policy lines (`spec.roles[].policies`).
   * @default - none
   */
  readonly policies?: string[];
  /**
   * Groups bound to the role (`spec.roles[].groups`).
   * @default - none
   */
  readonly groups?: string[];
}

/** One AppProject, as the RBAC simulator reads it. */
export interface RbacProjectData {
  /** The project name. */
  readonly name: string;
  /**
   * The project's roles.
   * @default - none
   */
  readonly roles?: RbacProjectRoleData[];
}

/**
 * `AppProject.ProjectPoliciesString()`: each role gets `get` on its project, then its policy
 * lines, then a `g` line per group.
 * @internal
 */
export function projectPoliciesString(project: RbacProjectData): string {
  const lines: string[] = [];
  for (const role of project.roles ?? []) {
    lines.push(`p, proj:${project.name}:${role.name}, projects, get, ${project.name}, allow`);
    lines.push(...(role.policies ?? []));
    for (const group of role.groups ?? []) lines.push(`g, ${group}, proj:${project.name}:${role.name}`);
  }
  return lines.join('\n');
}

/** Project role resources Argo CD accepts (`AppProject.ValidateProject`). */
const ROLE_RESOURCES = new Set<string>([
  ArgoCdResource.APPLICATIONS, ArgoCdResource.APPLICATIONSETS, ArgoCdResource.REPOSITORIES,
  ArgoCdResource.CLUSTERS, ArgoCdResource.LOGS, ArgoCdResource.EXEC,
]);
const ROLE_ACTIONS = new Set(['get', 'create', 'update', 'delete', 'sync', 'override', '*']);
const ROLE_NAME = /^[a-zA-Z0-9]([-_a-zA-Z0-9]*[a-zA-Z0-9])?$/;
const GPG_KEY_ID = /^[0-9A-Fa-f]{16}$/;
/**
 * Stand-ins for "any repository" and "any cluster" when checking for disguised wildcards. The
 * public forges count too: a pattern matching any owner there admits anyone's repository.
 */
const ANY_REPO_PROBES = [
  'https://unrelated.example.invalid/someone/repo.git',
  'ssh://git@unrelated.example.invalid/someone/repo.git',
  'git@unrelated.example.invalid:someone/repo.git',
  'oci://unrelated.example.invalid/someone/repo',
  ...['github.com', 'gitlab.com', 'bitbucket.org'].flatMap((host) => [
    `https://${host}/zz-unrelated-owner/repo.git`,
    `git@${host}:zz-unrelated-owner/repo.git`,
  ]),
  'oci://ghcr.io/zz-unrelated-owner/repo',
];
const ANY_SERVER_PROBE = 'https://unrelated.example.invalid:6443';
const ANY_CLUSTER_NAME_PROBE = 'zz-unrelated-cluster';
const ANY_NAMESPACE_PROBE = 'zz-unrelated-namespace';
/** What follows `<project>` in a project role's object: `/<app>` or `/<namespace>/<app>`. */
const PROJECT_OBJECT_PATH = /^(\/[*\w.-]+){1,2}$/;
const GO_DURATION = /^(\d+(\.\d+)?(ns|us|\u00b5s|\u03bcs|ms|s|m|h))+$/;

/**
 * An Argo CD AppProject with validated sources, destinations, resource lists, sync windows,
 * signature verification and roles whose policies cannot reach beyond the project.
 *
 * Defaults are closed: nothing cluster-scoped, no `*` sources or destinations without an
 * explicit opt-in. The namespaced whitelist follows Argo CD: unset allows every kind.
 */
export class ProjectWithRoles extends Construct {
  /**
   * The production preset (seed 000 §9.2.3, hardened): narrow repos and destinations, nothing
   * cluster-scoped, no ResourceQuota, LimitRange or NetworkPolicy, an explicit namespaced
   * whitelist, a weekday 09:00–18:00 allow window, a Sunday deny window, mandatory commit
   * signature verification, and the roles `prod-developer` (get, sync, logs) and `prod-admin`
   * (manage applications, logs; no exec). As in the seed, the allow window sets `manualSync`,
   * which Argo CD reads as "manual syncs may run outside this window": only the Sunday window
   * blocks the manual syncs of `SyncPolicy.production()`.
   */
  public static production(scope: Construct, id: string, props: ProductionProjectProps): ProjectWithRoles {
    const name = props.name ?? 'production';
    const where = `ProjectWithRoles.production '${id}'`;
    if (!props.gitSignatureVerification) {
      invalid(where, 'gitSignatureVerification', 'is required for production: list the GnuPG key IDs that sign the release commits');
    }
    props.sourceRepos.forEach((repo, i) => {
      if (/[*?[\]{}!]/.test(repo)) {
        invalid(where, `sourceRepos[${i}]`, `'${repo}' is a pattern: production lists exact repository URLs`);
      }
    });
    (props.destinations ?? []).forEach((d, i) => {
      if (matchesAnyNamespace(d.namespace) || matchesAnyCluster(d)) {
        invalid(where, `destinations[${i}]`, 'matches every namespace or cluster: production lists its clusters and namespaces');
      }
    });
    const timeZone = props.timeZone ?? 'UTC';
    const apps = `${name}/*`;
    const allow = (resource: ArgoCdResource, action: ArgoCdAction): ArgoCdPolicy => ({ resource, action, object: apps });
    return new ProjectWithRoles(scope, id, {
      ...presetBaseline(name, props),
      description: 'Production: manual, signed, business-hours deployments',
      syncWindows: [
        {
          kind: SyncWindowKind.ALLOW,
          schedule: '0 9 * * MON-FRI',
          duration: '9h',
          applications: ['*'],
          manualSync: true,
          timeZone,
          description: 'Weekdays 09:00-18:00',
        },
        {
          kind: SyncWindowKind.DENY,
          schedule: '0 0 * * SUN',
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
          groups: props.developerGroups ?? ['prod-dev-team'],
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
          groups: props.adminGroups ?? ['prod-admin-team'],
        },
      ],
    });
  }

  /**
   * The development preset (seed 000 §9.2.3, hardened): listed repos instead of `*`,
   * `<name>` and `<name>-*` namespaces, nothing cluster-scoped, no ResourceQuota, LimitRange or
   * NetworkPolicy, orphaned-resource warnings, and a `developer` role with every action on the
   * project's applications.
   */
  public static development(scope: Construct, id: string, props: DevelopmentProjectProps): ProjectWithRoles {
    const name = props.name ?? 'development';
    return new ProjectWithRoles(scope, id, {
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
        groups: props.developerGroups ?? ['developers'],
      }],
    });
  }

  /** The AppProject name. */
  public readonly projectName: string;
  /** The namespace of the AppProject (Argo CD's namespace). */
  public readonly namespace: string;
  /** The synthesized AppProject. */
  public readonly apiObject: ApiObject;

  private readonly sourceRepos: string[];
  private normalizedSourceRepos?: { negated: boolean; normalized: string }[];
  private readonly sourceNamespaces: string[];
  private readonly destinations: ProjectDestination[];
  private readonly clusterWhitelist: ResourceKind[];
  private readonly clusterBlacklist: ResourceKind[];
  private readonly roles: ProjectRoleOptions[] = [];
  private readonly syncWindows: SyncWindowOptions[] = [];

  public constructor(scope: Construct, id: string, props: ProjectWithRolesProps) {
    super(scope, id);
    this.projectName = requireDns1123Subdomain(this, 'name', props.name);
    this.namespace = requireDns1123Subdomain(this, 'namespace', props.namespace ?? 'argocd');
    if (props.description !== undefined && props.description.length > 255) {
      invalid(this, 'description', `is ${props.description.length} characters long: use at most 255`);
    }
    this.sourceRepos = this.validateSourceRepos(props.sourceRepos, props.allowAnySourceRepo ?? false);
    this.sourceNamespaces = (props.sourceNamespaces ?? []).map((ns, i) => {
      const where = `sourceNamespaces[${i}]`;
      this.requireGlob(where, ns);
      if (ns.includes('/') || ns.startsWith('!')) {
        // Argo CD reads '/.../' here as an unanchored regular expression and has no negation.
        invalid(this, where, `'${ns}' is not a namespace glob: Argo CD reads '/.../' as an unanchored regular expression and has no '!' here; use a glob like 'team-a-*'`);
      }
      if (argoGlobMatch(ns, ANY_NAMESPACE_PROBE)) {
        invalid(this, where, `'${ns}' lets Applications of this project live in every namespace: list the namespaces (globs like 'team-a-*' work)`);
      }
      return ns;
    });
    this.destinations = this.validateDestinations(props.destinations, props.allowAnyDestination ?? false);

    const clusterWhitelist = props.clusterResourceWhitelist ?? [];
    this.clusterWhitelist = [...clusterWhitelist];
    this.clusterBlacklist = [...(props.clusterResourceBlacklist ?? [])];
    clusterWhitelist.forEach((k, i) => {
      // Also catches '**', '?*' and friends: anything that matches a kind nobody named.
      const anyKind = goPathMatch(k.group, 'zz-unrelated.example.invalid') && goPathMatch(k.kind, 'ZzUnrelatedKind')
        && (k.name === undefined || argoGlobMatch(k.name, 'zz-unrelated-name'));
      if (anyKind && !props.allowAllClusterResources) {
        invalid(this, `clusterResourceWhitelist[${i}]`, "'*'/'*' allows every cluster-scoped kind (ClusterRoles, CRDs, webhooks): list the kinds, or set allowAllClusterResources: true");
      }
    });
    this.rejectNames('namespaceResourceWhitelist', props.namespaceResourceWhitelist);
    this.rejectNames('namespaceResourceBlacklist', props.namespaceResourceBlacklist);

    const version = parseVersion(this, props.targetArgoCdVersion ?? '3.5');
    const integrity = props.gitSignatureVerification
      ? this.signatureVerification(props.gitSignatureVerification, version)
      : {};

    for (const role of props.roles ?? []) this.addRole(role);
    for (const window of props.syncWindows ?? []) this.addSyncWindow(window);
    (props.destinationServiceAccounts ?? []).forEach((d, i) => {
      this.requireGlob(`destinationServiceAccounts[${i}].server`, d.server);
      if (d.namespace !== undefined) this.requireGlob(`destinationServiceAccounts[${i}].namespace`, d.namespace);
      if (!/^([a-z0-9]([-a-z0-9]*[a-z0-9])?:)?[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(d.serviceAccount)) {
        invalid(this, `destinationServiceAccounts[${i}].serviceAccount`, `'${d.serviceAccount}' is not a service account: use 'name' or 'namespace:name'`);
      }
    });

    const kinds = (list: ResourceKind[] | undefined, withName: boolean) =>
      list?.map((k) => ({ group: k.group, kind: k.kind, ...(withName && k.name !== undefined ? { name: k.name } : {}) }));
    const spec: l1.AppProjectSpec = {
      description: props.description,
      sourceRepos: this.sourceRepos,
      sourceNamespaces: this.sourceNamespaces.length > 0 ? this.sourceNamespaces : undefined,
      destinations: this.destinations.map((d) => ({ server: d.server, name: d.name, namespace: d.namespace })),
      clusterResourceWhitelist: kinds(clusterWhitelist, true),
      clusterResourceBlacklist: kinds(props.clusterResourceBlacklist, true),
      namespaceResourceWhitelist: kinds(props.namespaceResourceWhitelist, false),
      namespaceResourceBlacklist: kinds(props.namespaceResourceBlacklist, false),
      orphanedResources: props.orphanedResources ? {
        warn: props.orphanedResources.warn ?? true,
        ignore: kinds(props.orphanedResources.ignore, true),
      } : undefined,
      permitOnlyProjectScopedClusters: props.permitOnlyProjectScopedClusters,
      destinationServiceAccounts: props.destinationServiceAccounts?.map((d) => ({
        server: d.server, namespace: d.namespace, defaultServiceAccount: d.serviceAccount,
      })),
      ...integrity,
      // Roles and windows added after construction must reach the output.
      roles: Lazy.any({ produce: () => (this.roles.length > 0 ? this.roles.map((r) => this.renderRole(r)) : undefined) }) as any,
      syncWindows: Lazy.any({ produce: () => (this.syncWindows.length > 0 ? this.syncWindows.map(renderWindow) : undefined) }) as any,
    };
    this.apiObject = new l1.AppProject(this, 'Resource', {
      metadata: {
        name: this.projectName,
        namespace: this.namespace,
        labels: standardLabels({ name: this.projectName, partOf: 'argocd', component: 'appproject' }),
        // Keeps the project until no Application references it.
        finalizers: ['resources-finalizer.argocd.argoproj.io'],
      },
      spec,
    });
    // Projects are RBAC: they must exist before the Applications (wave 3) that name them.
    applySyncWave(this.apiObject, SyncWave.SERVICE_ACCOUNTS_AND_RBAC);
  }

  /** Adds a role whose policies stay inside this project. */
  public addRole(role: ProjectRoleOptions): void {
    const where = `roles[${this.roles.length}]`;
    if (!ROLE_NAME.test(role.name ?? '')) {
      invalid(this, `${where}.name`, `'${role.name}' is not a valid role name: use letters, digits, '-' and '_', starting and ending with a letter or digit`);
    }
    if (this.roles.some((r) => r.name === role.name)) invalid(this, `${where}.name`, `a role '${role.name}' already exists: give each role its own name`);
    if (role.description !== undefined && /[\r\n]/.test(role.description)) invalid(this, `${where}.description`, 'contains a line break: use one line');
    if (!role.policies || role.policies.length === 0) invalid(this, `${where}.policies`, `role '${role.name}' has no policies: add at least one`);
    role.policies.forEach((p, i) => this.checkRolePolicy(`${where}.policies[${i}]`, p));
    (role.groups ?? []).forEach((g, i) => {
      ArgoCdRbacValidation.requireToken(this, `${where}.groups[${i}]`, g);
      if (g.startsWith('role:') || g.startsWith('proj:')) invalid(this, `${where}.groups[${i}]`, `'${g}' is a role, not a group: list identity provider groups`);
    });
    (role.jwtTokens ?? []).forEach((t, i) => {
      if (!Number.isSafeInteger(t.issuedAt) || t.issuedAt < 0) invalid(this, `${where}.jwtTokens[${i}].issuedAt`, `${t.issuedAt} is not a Unix time in seconds`);
      if (t.expiresAt !== undefined && (!Number.isSafeInteger(t.expiresAt) || t.expiresAt <= t.issuedAt)) {
        invalid(this, `${where}.jwtTokens[${i}].expiresAt`, `${t.expiresAt} must be a Unix time in seconds after issuedAt`);
      }
      if (t.id !== undefined) ArgoCdRbacValidation.requireToken(this, `${where}.jwtTokens[${i}].id`, t.id);
    });
    this.roles.push(role);
  }

  /** Adds a sync window (validated: cron schedule, duration, time zone). */
  public addSyncWindow(window: SyncWindowOptions): void {
    const where = `syncWindows[${this.syncWindows.length}]`;
    if (window.kind !== SyncWindowKind.ALLOW && window.kind !== SyncWindowKind.DENY) {
      invalid(this, `${where}.kind`, `'${window.kind}' is not a window kind: use SyncWindowKind.ALLOW or SyncWindowKind.DENY`);
    }
    const cron = cronProblem(window.schedule);
    if (cron) invalid(this, `${where}.schedule`, `'${window.schedule}' is not a valid cron schedule: ${cron}`);
    if (!GO_DURATION.test(window.duration ?? '') || !/[1-9]/.test(window.duration)) {
      invalid(this, `${where}.duration`, `'${window.duration}' is not a positive duration: use e.g. '1h', '30m' or '1h30m'`);
    }
    if (window.timeZone !== undefined && !isIanaTimeZone(window.timeZone)) {
      invalid(this, `${where}.timeZone`, `'${window.timeZone}' is not an IANA time zone: use e.g. 'UTC' or 'Europe/Berlin'`);
    }
    const lists = { applications: window.applications, namespaces: window.namespaces, clusters: window.clusters };
    if (Object.values(lists).every((l) => !l || l.length === 0)) {
      invalid(this, where, 'applies to nothing: set applications, namespaces or clusters (e.g. applications: [\'*\'])');
    }
    for (const [key, list] of Object.entries(lists)) (list ?? []).forEach((g, i) => this.requireGlob(`${where}.${key}[${i}]`, g));
    this.syncWindows.push(window);
  }

  /** True when Argo CD lets an Application of this project use `repoUrl` (globs and `!` negations). */
  public isSourcePermitted(repoUrl: string): boolean {
    const source = normalizeGitUrl(repoUrl);
    // Normalized once per project: every SecureApplication of the project asks.
    this.normalizedSourceRepos ??= this.sourceRepos.map((pattern) => {
      const negated = pattern.startsWith('!');
      return { negated, normalized: normalizeGitUrl(negated ? pattern.slice(1) : pattern) };
    });
    let matched = false;
    for (const { negated, normalized } of this.normalizedSourceRepos) {
      // As upstream: a negation that does not name the URL counts as a match (it permits it).
      const hit = negated ? !argoGlobMatch(normalized, source, '/') : normalized === '*' || argoGlobMatch(normalized, source, '/');
      if (hit) matched = true;
      else if (negated) return false;
    }
    return matched;
  }

  /**
   * True when Argo CD lets an Application of this project deploy to the destination (server
   * or cluster name, and namespace; globs and `!` negations as upstream).
   * @param namespace the destination namespace
   * @param server the destination server URL
   * @param name the destination cluster name
   */
  public isDestinationPermitted(namespace: string, server?: string, name?: string): boolean {
    let matched = false;
    for (const item of this.destinations) {
      const nameMatched = name !== undefined && name !== '' && item.name !== undefined && negatableGlob(item.name, name);
      const serverMatched = server !== undefined && server !== '' && item.server !== undefined && negatableGlob(item.server, server);
      const nsMatched = negatableGlob(item.namespace, namespace);
      if ((serverMatched || nameMatched) && nsMatched) {
        matched = true;
      } else if ((!nameMatched && isNegated(item.name)) || (!serverMatched && isNegated(item.server)) || (!nsMatched && isNegated(item.namespace))) {
        // Upstream isDestinationMatched: an unmatched '!' entry vetoes, whatever else it names.
        return false;
      }
    }
    return matched;
  }

  /**
   * True when Applications of this project may manage the cluster-scoped resource: some
   * whitelist entry matches and no blacklist entry does (group and kind as Go `filepath.Match`
   * patterns, as upstream; the name as a glob).
   */
  public isClusterResourcePermitted(group: string, kind: string, name: string): boolean {
    const matches = (k: ResourceKind) => goPathMatch(k.group, group) && goPathMatch(k.kind, kind)
      && (k.name === undefined || argoGlobMatch(k.name, name));
    return this.clusterWhitelist.some(matches) && !this.clusterBlacklist.some(matches);
  }

  /** True when Applications of this project may live in `namespace`. */
  public isSourceNamespacePermitted(namespace: string): boolean {
    return namespace === this.namespace || this.sourceNamespaces.some((p) => argoGlobMatch(p, namespace));
  }

  /** The project's runtime RBAC policy exactly as Argo CD builds it (`ProjectPoliciesString`). */
  public rbacPolicy(): string {
    return projectPoliciesString(this.rbacProjectData());
  }

  /** The project's name and roles, as `ArgoCdRbac` reads them. */
  public rbacProjectData(): RbacProjectData {
    return {
      name: this.projectName,
      roles: this.roles.map((r) => ({ name: r.name, policies: this.renderRole(r).policies, groups: r.groups ? [...r.groups] : undefined })),
    };
  }

  private renderRole(role: ProjectRoleOptions): l1.AppProjectSpecRoles {
    const subject = `proj:${this.projectName}:${role.name}`;
    return {
      name: role.name,
      description: role.description,
      policies: role.policies.map((p) => ['p', subject, p.resource, p.action.value, p.object, p.effect ?? PolicyEffect.ALLOW].join(', ')),
      groups: role.groups && role.groups.length > 0 ? [...role.groups] : undefined,
      jwtTokens: role.jwtTokens?.map((t) => ({ iat: t.issuedAt, exp: t.expiresAt, id: t.id })),
    };
  }

  private checkRolePolicy(property: string, policy: ArgoCdPolicy): void {
    if (!ROLE_RESOURCES.has(policy.resource)) {
      invalid(this, `${property}.resource`, `'${policy.resource}' is not allowed in a project role: use applications, applicationsets, repositories, clusters, logs or exec (grant other resources in argocd-rbac-cm)`);
    }
    const action = policy.action instanceof ArgoCdAction ? policy.action.value : String(policy.action);
    if (!ROLE_ACTIONS.has(action) && !/^(action|update|delete)\//.test(action)) {
      invalid(this, `${property}.action`, `'${action}' is not allowed in a project role: use get, create, update, delete, sync, override, *, action/..., update/... or delete/...`);
    }
    const problem = ArgoCdRbacValidation.policyProblem(policy);
    if (problem) invalid(this, property, problem);
    const inProject = policy.object.startsWith(`${this.projectName}/`)
      && PROJECT_OBJECT_PATH.test(policy.object.slice(this.projectName.length));
    if (!inProject) {
      const other = policy.object.split('/')[0];
      invalid(this, `${property}.object`, `'${policy.object}' is outside project '${this.projectName}'${other && other !== this.projectName ? ` (it names '${other}')` : ''}: a project role reaches only '${this.projectName}/<app>' or '${this.projectName}/<namespace>/<app>'; grant other projects in their own roles`);
    }
  }

  private validateSourceRepos(repos: string[], allowAny: boolean): string[] {
    if (!repos || repos.length === 0) invalid(this, 'sourceRepos', 'is empty: list the repositories Applications may use');
    repos.forEach((repo, i) => {
      if (repo === '*') {
        if (!allowAny) invalid(this, `sourceRepos[${i}]`, "'*' allows every repository: list the repositories (globs like 'https://github.com/my-org/*' work), or set allowAnySourceRepo: true");
        return;
      }
      const problem = repoPatternProblem(repo);
      if (problem) invalid(this, `sourceRepos[${i}]`, `'${repo}' ${problem}`);
    });
    repos.forEach((repo, i) => {
      if (allowAny || repo === '*') return;
      if (repo.startsWith('!')) {
        // Argo CD counts a negation as a match for every URL it does not name.
        invalid(this, `sourceRepos[${i}]`, `'${repo}' permits every repository it does not name (Argo CD counts a '!' entry as a match for all other URLs): list only the repositories Applications may use, or set allowAnySourceRepo: true to use deny entries next to '*'`);
      }
      // A pattern that matches an arbitrary repository is '*' in disguise (e.g. 'https://**',
      // 'git@*:*/*', or 'https://github.com/**', which admits every GitHub user's repositories).
      const probe = ANY_REPO_PROBES.find((url) => argoGlobMatch(normalizeGitUrl(repo), normalizeGitUrl(url), '/'));
      if (probe) {
        invalid(this, `sourceRepos[${i}]`, `'${repo}' matches repositories nobody listed (e.g. '${probe}'): narrow it to your organization (e.g. 'https://github.com/my-org/*'), or set allowAnySourceRepo: true`);
      }
    });
    return [...repos];
  }

  private validateDestinations(destinations: ProjectDestination[], allowAny: boolean): ProjectDestination[] {
    if (!destinations || destinations.length === 0) invalid(this, 'destinations', 'is empty: list where Applications may deploy');
    destinations.forEach((d, i) => {
      const where = `destinations[${i}]`;
      if (d.server === undefined && d.name === undefined) invalid(this, where, 'names no cluster: set server (API URL) or name (Argo CD cluster name)');
      if (d.server !== undefined && d.server !== '*' && !/^!?https:\/\/[^\s,"]+$/.test(d.server)) {
        invalid(this, `${where}.server`, `'${d.server}' is not an https:// API server URL or glob`);
      }
      if (d.name !== undefined) this.requireGlob(`${where}.name`, d.name);
      this.requireGlob(`${where}.namespace`, d.namespace);
      if (matchesAnyCluster(d) && matchesAnyNamespace(d.namespace) && !allowAny) {
        invalid(this, where, "'*'/'*' lets Applications deploy to every namespace of every cluster: list the clusters and namespaces, or set allowAnyDestination: true");
      }
    });
    return destinations.map((d) => ({ ...d }));
  }

  private rejectNames(property: string, list: ResourceKind[] | undefined): void {
    (list ?? []).forEach((k, i) => {
      if (k.name !== undefined) {
        invalid(this, `${property}[${i}]`, `${k} has a name, but Argo CD v3.5 matches namespaced resources by group and kind only (the CRD has no name field there): list the whole kind, keep such objects in a project whose destinations cannot reach them, or enforce names with an admission policy`);
      }
    });
  }

  private signatureVerification(v: GitSignatureVerification, version: number): Partial<l1.AppProjectSpec> {
    if (!v.keyIds || v.keyIds.length === 0) invalid(this, 'gitSignatureVerification.keyIds', 'is empty: list the GnuPG key IDs to trust');
    v.keyIds.forEach((k, i) => {
      if (!GPG_KEY_ID.test(k)) invalid(this, `gitSignatureVerification.keyIds[${i}]`, `'${k}' is not a GnuPG key ID: use the 16 hex digit long ID`);
    });
    if (version < 305) {
      // Before 3.5 only signatureKeys exists; it verifies the target revision (head).
      if (v.mode === GpgVerificationMode.STRICT || v.repos) {
        invalid(this, 'gitSignatureVerification', `Argo CD ${Math.floor(version / 100)}.${version % 100} supports only signatureKeys (head commit, every repository): drop mode STRICT and repos, or target 3.5`);
      }
      return { signatureKeys: v.keyIds.map((keyId) => ({ keyId })) };
    }
    const repos = v.repos ?? this.sourceRepos;
    repos.forEach((r, i) => {
      const problem = repoPatternProblem(r);
      if (problem) invalid(this, `gitSignatureVerification.repos[${i}]`, `'${r}' ${problem}`);
    });
    return {
      sourceIntegrity: {
        git: {
          policies: [{
            repos: repos.map((url) => ({ url })),
            gpg: { mode: v.mode ?? GpgVerificationMode.STRICT, keys: [...v.keyIds] },
          }],
        },
      },
    };
  }

  private requireGlob(property: string, value: string): string {
    if (typeof value !== 'string' || value.length === 0 || /[\s,"]/.test(value)) {
      invalid(this, property, `'${value}' is not a valid name or glob: no spaces, commas or quotes, not empty`);
    }
    if (compileArgoGlob(value.startsWith('!') ? value.slice(1) : value) === undefined) {
      invalid(this, property, `'${value}' is not a valid glob (an unclosed '[' or '{', or a class Argo CD cannot read: use one range like [a-z] or a set like [abc])`);
    }
    return value;
  }
}

/**
 * Replaces Argo CD's wide-open `default` AppProject (every source, every destination) with one
 * that permits nothing: no sources, no destinations, no resources. Applications must then name
 * a real project.
 */
export class LockedDownDefaultProject extends Construct {
  /** The synthesized AppProject `default`. */
  public readonly apiObject: ApiObject;

  /**
   * @param namespace the namespace Argo CD runs in
   * @default namespace 'argocd'
   */
  public constructor(scope: Construct, id: string, namespace: string = 'argocd') {
    super(scope, id);
    requireDns1123Subdomain(this, 'namespace', namespace);
    this.apiObject = new l1.AppProject(this, 'Resource', {
      metadata: {
        name: 'default',
        namespace,
        labels: standardLabels({ name: 'default', partOf: 'argocd', component: 'appproject' }),
      },
      spec: {
        description: 'Locked down: use a dedicated project',
        sourceRepos: [],
        destinations: [],
        clusterResourceWhitelist: [],
        namespaceResourceWhitelist: [],
        // Argo CD writes projects back with `omitempty`: an edit through its API drops the empty
        // whitelists, and an unset namespaced whitelist allows every kind. These survive that.
        clusterResourceBlacklist: [{ group: '*', kind: '*' }],
        namespaceResourceBlacklist: [{ group: '*', kind: '*' }],
      },
    });
    applySyncWave(this.apiObject, SyncWave.SERVICE_ACCOUNTS_AND_RBAC);
  }
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

function renderWindow(w: SyncWindowOptions): l1.AppProjectSpecSyncWindows {
  return {
    kind: w.kind,
    schedule: w.schedule,
    duration: w.duration,
    applications: w.applications,
    namespaces: w.namespaces,
    clusters: w.clusters,
    manualSync: w.manualSync,
    timeZone: w.timeZone ?? 'UTC',
    andOperator: w.andOperator,
    syncOverrun: w.syncOverrun,
    description: w.description,
  };
}

function parseVersion(scope: Construct, version: string): number {
  const m = /^(\d+)\.(\d+)$/.exec(version);
  if (!m || Number(m[1]) < 2) invalid(scope, 'targetArgoCdVersion', `'${version}' is not an Argo CD version: use 'major.minor', e.g. '3.5'`);
  return Number(m[1]) * 100 + Number(m[2]);
}

/** True when the destination's cluster patterns match a cluster nobody named (`*`, `**`, `!x`, ...). */
function matchesAnyCluster(d: ProjectDestination): boolean {
  return (d.name !== undefined && negatableGlob(d.name, ANY_CLUSTER_NAME_PROBE))
    || (d.server !== undefined && negatableGlob(d.server, ANY_SERVER_PROBE));
}

/** True when the namespace pattern matches a namespace nobody named (`*`, `**`, `?*`, `!x`, ...). */
function matchesAnyNamespace(namespace: string): boolean {
  return negatableGlob(namespace, ANY_NAMESPACE_PROBE);
}

function isNegated(pattern: string | undefined): boolean {
  return pattern !== undefined && pattern.startsWith('!');
}

/** Argo CD's project `globMatch` with negation allowed and no separators. */
function negatableGlob(pattern: string, value: string): boolean {
  if (pattern.startsWith('!')) return !argoGlobMatch(pattern.slice(1), value);
  return pattern === '*' || argoGlobMatch(pattern, value);
}

/**
 * Argo CD's `git.NormalizeGitURL`: lower case, `user@host:path` as `user@host/path`, no `.git`
 * suffix, no `ssh://` prefix.
 * @internal
 */
export function normalizeGitUrl(url: string): string {
  let repo = url.trim().toLowerCase();
  const scp = /^([\w.-]+@[^/:]+):(?!\/\/)(.*)$/.exec(repo);
  if (!repo.startsWith('ssh://') && scp) repo = `${scp[1]}/${scp[2]}`;
  if (repo.endsWith('.git')) repo = repo.slice(0, -4);
  return repo.replace(/^ssh:\/\//, '');
}

// Compiled once: repoUrlProblem runs for every source repository and every Application.
const REPO_HOST = '[A-Za-z0-9*?.-]+(:\\d+)?';
const REPO_URL_FORMS = [
  new RegExp(`^https://${REPO_HOST}(/[^/]+)*/?$`),
  new RegExp(`^ssh://([\\w.-]+@)?${REPO_HOST}(/[^/]+)+$`),
  new RegExp('^[\\w.-]+@[A-Za-z0-9*.-]+:[^/][^:]*$'),
  new RegExp(`^oci://${REPO_HOST}(/[^/]+)+$`),
];

/**
 * What is wrong with a repository URL (or URL glob), or undefined. Accepts https://, ssh://,
 * scp-like `git@host:path` and oci:// URLs; plain http:// and git:// are refused (no TLS).
 * @internal
 */
export function repoUrlProblem(url: string): string | undefined {
  if (/[\s,"'\\]/.test(url) || /[\u0000-\u001f]/.test(url)) return 'contains spaces, commas, quotes or control characters';
  if (/^(http|git):\/\//i.test(url)) return 'uses an unencrypted protocol: use https:// or ssh://';
  if (!REPO_URL_FORMS.some((f) => f.test(url))) {
    return "is not a repository URL: use https://host/path, ssh://user@host/path, user@host:path or oci://registry/path (globs like 'https://github.com/my-org/*' work)";
  }
  if (compileArgoGlob(url, '/') === undefined) return "is not a valid glob (an unclosed '[' or '{', or a class Argo CD cannot read: use one range like [a-z] or a set like [abc])";
  return undefined;
}

/** What is wrong with a repository list entry (`*`, or a URL glob that `!` may negate), or undefined. */
function repoPatternProblem(pattern: string): string | undefined {
  return pattern === '*' ? undefined : repoUrlProblem(pattern.startsWith('!') ? pattern.slice(1) : pattern);
}

const CRON_FIELDS: { name: string; min: number; max: number; names?: string[] }[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'day of week', min: 0, max: 6, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

/** What is wrong with a 5-field cron expression (the parser Argo CD's sync windows use), or undefined. */
function cronProblem(schedule: string): string | undefined {
  if (typeof schedule !== 'string') return 'it is not a string';
  const fields = schedule.trim().split(/\s+/);
  if (fields.length !== 5) return `it has ${fields.length} fields: use 5 (minute hour day-of-month month day-of-week)`;
  for (let f = 0; f < 5; f++) {
    const spec = CRON_FIELDS[f];
    const value = (token: string): number | undefined => {
      const upper = token.toUpperCase();
      if (spec.names && spec.names.includes(upper)) return spec.names.indexOf(upper) + spec.min;
      return /^\d+$/.test(token) ? Number(token) : undefined;
    };
    for (const item of fields[f].split(',')) {
      const [range, step, extra] = item.split('/');
      if (extra !== undefined || (step !== undefined && !/^[1-9]\d*$/.test(step))) return `'${item}' in the ${spec.name} field has an invalid step`;
      // robfig/cron reads '?' as '*' in every field.
      if (range === '*' || range === '?') continue;
      const [from, to, more] = range.split('-');
      const lo = value(from);
      const hi = to === undefined ? lo : value(to);
      if (more !== undefined || lo === undefined || hi === undefined) return `'${item}' in the ${spec.name} field is not a value, range or list`;
      if (lo < spec.min || hi > spec.max || lo > hi) return `'${item}' in the ${spec.name} field is outside ${spec.min}-${spec.max}`;
    }
  }
  return undefined;
}

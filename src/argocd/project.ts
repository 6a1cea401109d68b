import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { IAppProject } from './app-project';
import { ArgoCdVersion } from './argocd-version';
import { ArgoCdGpgKeys } from './gpg-keys';
import { brand, hasBrand } from './private/brands';
import { repoPatternProblem, normalizeGitUrl } from './private/git-url';
import { checkKeysInKeyring } from './private/gpg-keyring';
import { ImportedAppProject } from './private/imported-project';
import { RESOURCES_FINALIZER } from './private/names';
import { checkEscalations, namespacedBlacklist } from './private/project-escalation';
import {
  ANY_NAMESPACE_PROBE, anyRepositoryProblem, bracketedHostProblem, isDestinationPermitted, isSourcePermitted, matchesAnyCluster,
  matchesAnyClusterKind, matchesAnyNamespace, NormalizedRepo, normalizeRepos, orphanedIgnoreProblem, registerProjectDestinations, resourceKindMatches,
} from './private/project-matching';
import { developmentProjectProps, presetProblems, productionPresetProblems, productionProjectProps } from './private/project-presets';
import { checkProjectRole, renderProjectRole } from './private/project-roles';
import { projectPoliciesString } from './private/rbac-engine';
import { scopedClusterProblems } from './private/scoped-clusters';
import { checkSyncWindow, renderSyncWindow } from './private/sync-window';
import { claimUnique, PROJECT_FIX } from './private/unique';
import {
  DestinationServiceAccount, GitSignatureVerification, GpgVerificationMode, OrphanedResourcesOptions, ProjectDestination,
  ProjectRoleOptions, SyncWindowOptions,
} from './project-options';
import { DevelopmentProjectProps, ProductionProjectProps } from './project-presets';
import { RbacProjectData } from './rbac-simulator';
import { ResourceKind } from './resource-kind';
import { standardLabels } from '../core/labels';
import { applySyncWave, SyncWave } from '../core/sync-wave';
import * as l1 from '../imports/argocd-argoproj.io';
import { bindFactoryProblems, ConfigurationError, deferredChecks, invalid } from '../private/errors';
import { argoGlobMatch, compileArgoGlob } from '../private/glob';
import { registerLibraryConstruct } from '../private/stamp';
import { quoted, requireDns1123Subdomain, safeTextProblem } from '../private/validate';
import type { Acknowledgement } from '../secrets/acknowledgement';

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
   * Allow `*`, `!` deny entries and patterns that match any repository in `sourceRepos`, for the
   * reason given. The reason is recorded on the AppProject.
   * @default - repository patterns that match any repository are refused
   */
  readonly allowAnySourceRepo?: Acknowledgement;
  /**
   * Namespaces (globs) outside Argo CD's own where Applications of this project may live
   * (apps in any namespace).
   * @default - only Argo CD's namespace
   */
  readonly sourceNamespaces?: string[];
  /** Where Applications may deploy. A destination with `*` for both cluster and namespace is refused unless `allowAnyDestination` is set. */
  readonly destinations: ProjectDestination[];
  /**
   * Allow a destination that matches every cluster and namespace. Argo CD's namespace, Kubernetes'
   * system namespaces and Argo Workflows' install namespaces still need a deny entry (e.g.
   * `{ server: '*', namespace: '!argocd' }`) or their own opt-in with a reason
   * (`allowArgoCdNamespaceDestination`, `allowSystemNamespaceDestination`). The reason is recorded
   * on the AppProject.
   * @default - a destination that matches every cluster and namespace is refused
   */
  readonly allowAnyDestination?: Acknowledgement;
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
   * Allow `*`/`*` in the cluster-scoped whitelist (every cluster-scoped kind, RBAC and
   * cluster-control kinds included), for the reason given. The reason is recorded on the AppProject.
   * @default - an entry that admits every cluster-scoped kind is refused
   */
  readonly allowAllClusterResources?: Acknowledgement;
  /**
   * Allow RBAC kinds (ClusterRole, ClusterRoleBinding, Role, RoleBinding) in the resource
   * whitelists, and Role and RoleBinding under an unset namespaced whitelist: whoever can sync
   * could then bind any role, up to cluster-admin. The reason is recorded on the AppProject.
   * @default - refused; with no namespaced whitelist, Role and RoleBinding are blacklisted
   */
  readonly allowRbacResources?: Acknowledgement;
  /**
   * Allow Argo CD's own kinds (Application, ApplicationSet, AppProject; e.g. `argoproj.io/*`) in
   * the namespaced whitelist, or under an unset one. The reason is recorded on the AppProject.
   * @default - refused; with no namespaced whitelist, these kinds are blacklisted
   */
  readonly allowArgoCdResources?: Acknowledgement;
  /**
   * Allow a destination that reaches Argo CD's own namespace in its cluster (also through a
   * glob such as `*` or `argo*`). The reason is recorded on the AppProject.
   * @default - refused
   */
  readonly allowArgoCdNamespaceDestination?: Acknowledgement;
  /**
   * Allow a destination that reaches `kube-system`, `kube-public` or `kube-node-lease` in any
   * cluster, or the namespace of an Argo Workflows install of the app in Argo CD's cluster (also
   * through a glob such as `*` or `kube-*`): a pod there can run as the controllers' service
   * accounts. The reason is recorded on the AppProject.
   * @default - refused
   */
  readonly allowSystemNamespaceDestination?: Acknowledgement;
  /**
   * Allow cluster-scoped kinds that control the whole cluster in the cluster whitelist, whatever
   * their name glob: Namespace (an Application could relabel its namespace to privileged Pod
   * Security), Mutating/ValidatingWebhookConfiguration and Mutating/ValidatingAdmissionPolicy
   * (with bindings: every API request), APIService and CustomResourceDefinition (the API itself),
   * PersistentVolume and StorageClass (a host path behind a claim), Node, and cert-manager's
   * ClusterIssuer (certificates for any name). The reason is recorded on the AppProject.
   * @default - refused
   */
  readonly allowClusterControlResources?: Acknowledgement;
  /**
   * Namespaced kinds Applications may manage. Unset allows every kind (Argo CD's reading) except
   * the escalation kinds, which are then added to `namespaceResourceBlacklist` unless opted in:
   * Role and RoleBinding (`allowRbacResources`), Application, ApplicationSet and AppProject
   * (`allowArgoCdResources`). `[]` allows none. Argo CD matches namespaced kinds by group and
   * kind only (no names).
   * @default - every namespaced kind minus the blacklist and the escalation kinds
   */
  readonly namespaceResourceWhitelist?: ResourceKind[];
  /**
   * Namespaced kinds Applications may not manage (group and kind only). Written first; the
   * escalation kinds an unset whitelist would admit follow, unless an entry here covers them.
   * @default - none (plus the escalation kinds when the namespaced whitelist is unset)
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
   * The Argo CD release the project is written for. From 3.5 signature verification is
   * written as `sourceIntegrity`; before, as the deprecated `signatureKeys`.
   * @default ArgoCdVersion.V3_5_1
   */
  readonly targetArgoCdVersion?: ArgoCdVersion;
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

/** A key ID (16 hex digits) or a version 4 fingerprint (40), whose last 16 digits are the key ID. */
const GPG_KEY_ID = /^([0-9A-Fa-f]{24})?[0-9A-Fa-f]{16}$/;
const SERVICE_ACCOUNT = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?:)?[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/**
 * An Argo CD AppProject with validated sources, destinations, resource lists, sync windows,
 * signature verification and roles whose policies cannot reach beyond the project.
 *
 * Defaults are closed: nothing cluster-scoped, no `*` sources or destinations without an
 * explicit opt-in. The namespaced whitelist follows Argo CD: unset allows every kind.
 */
export class ProjectWithRoles extends Construct implements IAppProject {
  /**
   * The production preset, hardened: narrow repos and destinations, nothing cluster-scoped, no
   * ResourceQuota, LimitRange or NetworkPolicy, an explicit namespaced whitelist, a weekday
   * 09:00–18:00 allow window, a Sunday deny window, mandatory commit signature verification,
   * and the roles `prod-developer` (get, sync, logs) and `prod-admin` (manage applications,
   * logs; no exec). The allow window does not set `manualSync` (which Argo CD reads as "manual
   * syncs may run outside this window"), so it also confines the manual syncs of
   * `SyncPolicy.production()` to weekday business hours.
   */
  public static production(scope: Construct, id: string, props: ProductionProjectProps): ProjectWithRoles {
    const project = new ProjectWithRoles(scope, id, productionProjectProps(props));
    for (const [property, problem] of productionPresetProblems(props)) deferredChecks(project).check(property, problem);
    project._production = true;
    return project;
  }

  /**
   * The development preset, hardened: listed repos instead of `*`, `<name>` and `<name>-*`
   * namespaces, nothing cluster-scoped, no ResourceQuota, LimitRange or NetworkPolicy,
   * orphaned-resource warnings, and a `developer` role with every action on the project's
   * applications.
   */
  public static development(scope: Construct, id: string, props: DevelopmentProjectProps): ProjectWithRoles {
    const project = new ProjectWithRoles(scope, id, developmentProjectProps(props));
    for (const [property, problem] of presetProblems(props, 'development')) deferredChecks(project).check(property, problem);
    return project;
  }

  /**
   * A reference to an AppProject that lives elsewhere (another app, or created by hand).
   * Its rules are unknown here, so Applications that name it are not checked against its
   * sources, destinations or resource lists: Argo CD still enforces them at sync time.
   * @param name the AppProject name
   * @param namespace the namespace Argo CD runs in
   * @default namespace 'argocd'
   */
  public static fromProjectName(scope: Construct, id: string, name: string, namespace: string = 'argocd'): IAppProject {
    return new ImportedAppProject(scope, id, name, namespace);
  }

  /** True when `x` is a `ProjectWithRoles` (also from another copy of this library). */
  public static isProjectWithRoles(x: unknown): x is ProjectWithRoles {
    return hasBrand(x, 'ProjectWithRoles');
  }

  /** The AppProject name. */
  public readonly projectName: string;
  /** The namespace of the AppProject (Argo CD's namespace). */
  public readonly namespace: string;
  /** Always true: the project's rules are declared here. */
  public readonly rulesKnown = true;
  /**
   * True for the production preset: its Applications must not follow a moving revision
   * automatically.
   * @internal
   */
  public _production = false;
  /**
   * True when the project verifies Git commit signatures: its Applications' sources that Argo CD
   * cannot verify (charts, OCI, another repository's `$ref` files) need a reason.
   * @internal
   */
  public readonly _verifiesSignatures: boolean;
  /** The synthesized AppProject. */
  public readonly apiObject: ApiObject;

  private readonly sourceRepos: string[];
  private normalizedSourceRepos?: NormalizedRepo[];
  private readonly sourceNamespaces: string[];
  private readonly destinations: ProjectDestination[];
  private readonly clusterWhitelist: ResourceKind[];
  private readonly clusterBlacklist: ResourceKind[];
  private readonly roles: ProjectRoleOptions[] = [];
  private readonly syncWindows: SyncWindowOptions[] = [];

  public constructor(scope: Construct, id: string, props: ProjectWithRolesProps) {
    super(scope, id);
    registerLibraryConstruct(this, 'argocd');
    brand(this, 'ProjectWithRoles');
    brand(this, 'AppProject');
    this.projectName = requireDns1123Subdomain(this, 'name', props.name);
    this.namespace = requireDns1123Subdomain(this, 'namespace', props.namespace ?? 'argocd');
    claimUnique(this, 'name', `AppProject '${this.projectName}' in namespace '${this.namespace}'`, PROJECT_FIX);
    const checks = deferredChecks(this);
    // One line: Argo CD's UI shows it, and a line break would not survive every reader.
    if (props.description !== undefined) checks.check('description', safeTextProblem(props.description, { maxLength: 255 }));
    this.sourceRepos = this.validateSourceRepos(props.sourceRepos, props.allowAnySourceRepo !== undefined);
    this.sourceNamespaces = (props.sourceNamespaces ?? []).map((ns, i) => {
      const where = `sourceNamespaces[${i}]`;
      // Argo CD reads '/.../' here as an unanchored regular expression and has no negation.
      checks.check(where, globProblem(ns) ?? (ns.includes('/') || ns.startsWith('!')
        ? `${quoted(ns)} is not a namespace glob: Argo CD reads '/.../' as an unanchored regular expression and has no '!' here; use a glob like 'team-a-*'`
        : undefined));
      if (argoGlobMatch(ns, ANY_NAMESPACE_PROBE)) {
        checks.check(where, `${quoted(ns)} lets Applications of this project live in every namespace: list the namespaces (globs like 'team-a-*' work)`);
      }
      return ns;
    });
    this.destinations = this.validateDestinations(props.destinations, props.allowAnyDestination !== undefined);
    registerProjectDestinations(this, this.destinations);

    const clusterWhitelist = props.clusterResourceWhitelist ?? [];
    this.clusterWhitelist = [...clusterWhitelist];
    this.clusterBlacklist = [...(props.clusterResourceBlacklist ?? [])];
    clusterWhitelist.forEach((k, i) => {
      // Also catches '**', '?*' and friends: anything that matches a kind nobody named.
      const anyKind = matchesAnyClusterKind(k);
      if (anyKind && props.allowAllClusterResources === undefined) {
        checks.check(`clusterResourceWhitelist[${i}]`, "'*'/'*' allows every cluster-scoped kind (ClusterRoles, CRDs, webhooks): list the kinds, or set allowAllClusterResources with a reason");
      }
    });
    const kindLists = {
      clusterResourceWhitelist: props.clusterResourceWhitelist,
      clusterResourceBlacklist: props.clusterResourceBlacklist,
      namespaceResourceWhitelist: props.namespaceResourceWhitelist,
      namespaceResourceBlacklist: props.namespaceResourceBlacklist,
      ['orphanedResources.ignore']: props.orphanedResources?.ignore,
    };
    for (const [property, list] of Object.entries(kindLists)) (list ?? []).forEach((k, i) => bindFactoryProblems(this, `${property}[${i}]`, k));
    (props.orphanedResources?.ignore ?? []).forEach((k, i) => checks.check(`orphanedResources.ignore[${i}]`, orphanedIgnoreProblem(k)));
    this.rejectNames('namespaceResourceWhitelist', props.namespaceResourceWhitelist);
    this.rejectNames('namespaceResourceBlacklist', props.namespaceResourceBlacklist);

    const version = props.targetArgoCdVersion ?? ArgoCdVersion.V3_5_1;
    if (!ArgoCdVersion.isArgoCdVersion(version)) {
      invalid(this, 'targetArgoCdVersion', "is not an ArgoCdVersion: use ArgoCdVersion.V3_5_1 or ArgoCdVersion.of('3.4.0')");
    }
    this._verifiesSignatures = props.gitSignatureVerification !== undefined;
    const integrity = props.gitSignatureVerification
      ? this.signatureVerification(props.gitSignatureVerification, version)
      : {};

    for (const role of props.roles ?? []) this.addRole(role);
    for (const window of props.syncWindows ?? []) this.addSyncWindow(window);
    // ValidateProject refuses any '!' here, also inside a class ('[!a]').
    const accountGlobProblem = (g: string) => globProblem(g, false) ?? (g.includes('!')
      ? `${quoted(g)} contains '!', which Argo CD refuses in destination service accounts: write the glob without it (list what it applies to)` : undefined);
    (props.destinationServiceAccounts ?? []).forEach((d, i) => {
      checks.check(`destinationServiceAccounts[${i}].server`, accountGlobProblem(d.server) ?? bracketedHostProblem(d.server));
      if (d.namespace !== undefined) checks.check(`destinationServiceAccounts[${i}].namespace`, accountGlobProblem(d.namespace));
      checks.check(`destinationServiceAccounts[${i}].serviceAccount`, SERVICE_ACCOUNT.test(d.serviceAccount)
        ? undefined : `${quoted(d.serviceAccount)} is not a service account: use 'name' or 'namespace:name'`);
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
      namespaceResourceBlacklist: namespacedBlacklist(props),
      orphanedResources: props.orphanedResources ? {
        warn: props.orphanedResources.warn ?? true,
        ignore: kinds(props.orphanedResources.ignore, true),
      } : undefined,
      permitOnlyProjectScopedClusters: props.permitOnlyProjectScopedClusters,
      destinationServiceAccounts: props.destinationServiceAccounts?.map((d) => ({
        // Argo CD matches an empty namespace pattern against the empty namespace only.
        server: d.server, namespace: d.namespace ?? '*', defaultServiceAccount: d.serviceAccount,
      })),
      ...integrity,
      // Roles and windows added after construction must reach the output.
      roles: Lazy.any({ produce: () => (this.roles.length > 0 ? this.roles.map((r) => renderProjectRole(this.projectName, r)) : undefined) }) as any,
      syncWindows: Lazy.any({ produce: () => (this.syncWindows.length > 0 ? this.syncWindows.map(renderSyncWindow) : undefined) }) as any,
    };
    this.apiObject = new l1.AppProject(this, 'Resource', {
      metadata: {
        name: this.projectName,
        namespace: this.namespace,
        labels: standardLabels({ name: this.projectName, partOf: 'argocd', component: 'appproject' }),
        // Keeps the project until no Application references it.
        finalizers: [RESOURCES_FINALIZER],
      },
      spec,
    });
    checkEscalations(this, this.apiObject, this.namespace, { ...props, destinations: this.destinations });
    // At synth, when every destination cluster of the app is known.
    this.node.addValidation({
      validate: () => scopedClusterProblems(this, this.projectName, this.namespace, this.destinations)
        .map(([i, problem]) => new ConfigurationError(this, `destinations[${i}]`, problem).message),
    });
    // Projects are RBAC: they must exist before the Applications (wave 3) that name them.
    applySyncWave(this.apiObject, SyncWave.SERVICE_ACCOUNTS_AND_RBAC);
  }

  /** Adds a role whose policies stay inside this project. */
  public addRole(role: ProjectRoleOptions): void {
    checkProjectRole(this, `roles[${this.roles.length}]`, role, this.projectName, this.roles.map((r) => r.name));
    this.roles.push(role);
  }

  /** Adds a sync window (validated: cron schedule, duration, time zone). */
  public addSyncWindow(window: SyncWindowOptions): void {
    // Argo CD matches sync window globs without negation.
    checkSyncWindow(this, `syncWindows[${this.syncWindows.length}]`, window, (g) => globProblem(g, false));
    this.syncWindows.push(window);
  }

  /** True when Argo CD lets an Application of this project use `repoUrl` (globs and `!` negations). */
  public isSourcePermitted(repoUrl: string): boolean {
    // Normalized once per project: every SecureApplication of the project asks.
    this.normalizedSourceRepos ??= normalizeRepos(this.sourceRepos);
    return isSourcePermitted(this.normalizedSourceRepos, repoUrl);
  }

  /**
   * True when Argo CD lets an Application of this project deploy to the destination (server
   * or cluster name, and namespace; globs and `!` negations as upstream).
   * @param namespace the destination namespace
   * @param server the destination server URL
   * @param name the destination cluster name
   */
  public isDestinationPermitted(namespace: string, server?: string, name?: string): boolean {
    return isDestinationPermitted(this.destinations, namespace, server, name);
  }

  /**
   * True when Applications of this project may manage the cluster-scoped resource: some
   * whitelist entry matches and no blacklist entry does (group, kind and name as Go
   * `filepath.Match` patterns, as upstream).
   */
  public isClusterResourcePermitted(group: string, kind: string, name: string): boolean {
    const matches = (k: ResourceKind) => resourceKindMatches(k, group, kind, name);
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
      // As the AppProject spec holds them: groups with commas are quoted there.
      roles: this.roles.map((r) => renderProjectRole(this.projectName, r)).map((r) => ({ name: r.name, policies: r.policies, groups: r.groups })),
    };
  }

  private validateSourceRepos(repos: string[], allowAny: boolean): string[] {
    if (!repos) invalid(this, 'sourceRepos', 'is missing: list the repositories Applications may use');
    const checks = deferredChecks(this);
    if (repos.length === 0) checks.check('sourceRepos', 'is empty: list the repositories Applications may use');
    repos.forEach((repo, i) => {
      if (repo === '*') {
        if (!allowAny) checks.check(`sourceRepos[${i}]`, "'*' allows every repository: list the repositories (globs like 'https://github.com/my-org/*' work), or set allowAnySourceRepo with a reason");
        return;
      }
      const problem = repoPatternProblem(repo);
      if (!checks.check(`sourceRepos[${i}]`, problem && `${quoted(repo)} ${problem}`)) return;
      if (allowAny) return;
      if (repo.startsWith('!')) {
        // Argo CD counts a negation as a match for every URL it does not name.
        checks.check(`sourceRepos[${i}]`, `${quoted(repo)} permits every repository it does not name (Argo CD counts a '!' entry as a match for all other URLs): list only the repositories Applications may use, or set allowAnySourceRepo with a reason to use deny entries next to '*'`);
      }
      // A pattern that matches an arbitrary repository is '*' in disguise (e.g. 'https://*/*',
      // 'oci://*/*', 'git@*:*/*', or 'https://github.com/[!z]*/*', nearly every GitHub owner).
      const broad = anyRepositoryProblem(normalizeGitUrl(repo));
      if (broad) {
        checks.check(`sourceRepos[${i}]`, `${quoted(repo)} ${broad}: narrow it to your organization (e.g. 'https://github.com/my-org/*'), or set allowAnySourceRepo with a reason`);
      }
    });
    return [...repos];
  }

  private validateDestinations(destinations: ProjectDestination[], allowAny: boolean): ProjectDestination[] {
    if (!destinations) invalid(this, 'destinations', 'is missing: list where Applications may deploy');
    const checks = deferredChecks(this);
    if (destinations.length === 0) checks.check('destinations', 'is empty: list where Applications may deploy');
    destinations.forEach((d, i) => {
      const where = `destinations[${i}]`;
      if (d.server === undefined && d.name === undefined) checks.check(where, 'names no cluster: set server (API URL) or name (Argo CD cluster name)');
      if (d.server !== undefined && d.server !== '*' && (!/^!?https:\/\/[^\s,"]+$/.test(d.server) || safeTextProblem(d.server))) {
        checks.check(`${where}.server`, `${quoted(d.server)} is not an https:// API server URL or glob: use e.g. 'https://kubernetes.default.svc' or 'https://*.example.com'`);
      }
      if (d.server !== undefined) checks.check(`${where}.server`, bracketedHostProblem(d.server));
      if (d.name !== undefined) checks.check(`${where}.name`, globProblem(d.name));
      // A glob that does not compile matches nothing, so the checks below stay quiet about it.
      checks.check(`${where}.namespace`, globProblem(d.namespace));
      if (matchesAnyCluster(d) && matchesAnyNamespace(d.namespace) && !allowAny) {
        checks.check(where, "'*'/'*' lets Applications deploy to every namespace of every cluster: list the clusters and namespaces, or set allowAnyDestination with a reason");
      }
    });
    return destinations.map((d) => ({ ...d }));
  }

  private rejectNames(property: string, list: ResourceKind[] | undefined): void {
    (list ?? []).forEach((k, i) => {
      if (k.name !== undefined) {
        deferredChecks(this).check(`${property}[${i}]`, `${k} has a name, but Argo CD v3.5 matches namespaced resources by group and kind only (the CRD has no name field there): list the whole kind, keep such objects in a project whose destinations cannot reach them, or enforce names with an admission policy`);
      }
    });
  }

  private signatureVerification(v: GitSignatureVerification, version: ArgoCdVersion): Partial<l1.AppProjectSpec> {
    if (!v.keyIds) invalid(this, 'gitSignatureVerification.keyIds', 'is missing: list the GnuPG key IDs to trust');
    if (v.keyIds.length === 0) deferredChecks(this).check('gitSignatureVerification.keyIds', 'is empty: list the GnuPG key IDs to trust');
    // Argo CD compares key IDs with what git reports, upper-case hex, as strings: 'abcd...' never matches.
    const keyIds = v.keyIds.flatMap((k, i) => deferredChecks(this).check(`gitSignatureVerification.keyIds[${i}]`, typeof k === 'string' && GPG_KEY_ID.test(k)
      ? undefined : `${quoted(k)} is not a GnuPG key ID: use the 16 hex digit ID (gpg --list-keys --keyid-format long)`) ? [k.slice(-16).toUpperCase()] : []);
    checkKeysInKeyring(this, 'gitSignatureVerification.keyIds', keyIds, (c): c is ArgoCdGpgKeys => c instanceof ArgoCdGpgKeys);
    if (!version.isAtLeast(3, 5)) {
      // Before 3.5 only signatureKeys exists; it verifies the target revision (head).
      if (v.mode === GpgVerificationMode.STRICT || v.repos) {
        deferredChecks(this).check('gitSignatureVerification', `Argo CD ${version.major}.${version.minor} supports only signatureKeys (head commit, every repository): drop mode STRICT and repos, or target 3.5`);
      }
      return { signatureKeys: keyIds.map((keyId) => ({ keyId })) };
    }
    (v.repos ?? []).forEach((r, i) => {
      const problem = repoPatternProblem(r);
      deferredChecks(this).check(`gitSignatureVerification.repos[${i}]`, problem && `${quoted(r)} ${problem}`);
    });
    // Argo CD looks the policy up by the URL as the Application spells it (case and '.git' count),
    // while sourceRepos admits every spelling: one policy for every repository leaves no spelling
    // unverified, and sourceRepos already limits which repositories can be used.
    const repos = v.repos ? v.repos.flatMap(withGitSuffixVariant) : ['*'];
    return {
      sourceIntegrity: {
        git: {
          policies: [{
            repos: repos.map((url) => ({ url })),
            gpg: { mode: v.mode ?? GpgVerificationMode.HEAD, keys: keyIds },
          }],
        },
      },
    };
  }
}

/**
 * A listed repository and its other `.git` spelling: Argo CD matches the policy's URL globs
 * against the Application's spelling, and both spellings reach the same repository. A negation
 * stays as written (a missed spelling is verified, which fails closed).
 */
function withGitSuffixVariant(url: string): string[] {
  if (url.startsWith('!') || url.endsWith('*') || url.endsWith('/')) return [url];
  return url.endsWith('.git') ? [url, url.slice(0, -4)] : [url, `${url}.git`];
}

/**
 * What is wrong with a name glob as Argo CD reads it, or undefined. `!` negates where
 * `allowNegation`; elsewhere Argo CD reads it literally, so the glob would match nothing.
 */
function globProblem(value: string, allowNegation: boolean = true): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || /[\s,"]/.test(value) || safeTextProblem(value)) {
    return `${quoted(value)} is not a valid name or glob: give a non-empty name or glob without spaces, commas, quotes or control characters`;
  }
  if (!allowNegation && value.startsWith('!')) {
    return `${quoted(value)} starts with '!', which Argo CD does not read as a negation here, so it matches nothing: list what it applies to (globs like 'team-a-*' work)`;
  }
  if (compileArgoGlob(value.startsWith('!') ? value.slice(1) : value) === undefined) {
    return `${quoted(value)} is not a valid glob (an unclosed '[' or '{', or a class Argo CD cannot read: use one range like [a-z] or a set like [abc])`;
  }
  return undefined;
}


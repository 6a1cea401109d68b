import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { IAppProject } from './app-project';
import { hasBrand } from './private/brands';
import { repoUrlProblem } from './private/git-url';
import { IN_CLUSTER_SERVER, RESOURCES_FINALIZER } from './private/names';
import { standardLabels } from '../core/labels';
import { applySyncWave, SyncWave } from '../core/sync-wave';
import * as l1 from '../imports/argocd-argoproj.io';
import { compactDuration } from '../private/duration';
import { deferredChecks, invalid } from '../private/errors';
import { toYaml } from '../private/render';
import { registerLibraryConstruct } from '../private/stamp';
import { dns1123LabelProblem, httpsUrlProblem, quoted, requireDns1123Subdomain } from '../private/validate';

const GIT_REVISION = /^[A-Za-z0-9._\/-]+$/;
const RELATIVE_PATH = /^(?!\/)(?!.*(^|\/)\.\.(\/|$))[A-Za-z0-9._\/-]+$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Options for a Git source. */
export interface GitSourceOptions {
  /** The repository URL (https://, ssh:// or user@host:path). */
  readonly repoUrl: string;
  /** The revision: a tag, branch or commit SHA. Pin a tag or SHA for production. */
  readonly revision: string;
  /** The directory inside the repository. */
  readonly path: string;
}

/** Options for a Kustomize source. */
export interface KustomizeSourceOptions extends GitSourceOptions {
  /**
   * A prefix for every resource name.
   * @default - none
   */
  readonly namePrefix?: string;
  /**
   * Image overrides, e.g. `ghcr.io/org/app:1.2.3` or `app=ghcr.io/org/app@sha256:...`.
   * @default - none
   */
  readonly images?: string[];
}

/** Options for a Helm chart from a chart repository or OCI registry. */
export interface HelmSourceOptions {
  /** The chart repository URL (https:// or oci://). */
  readonly repoUrl: string;
  /** The chart name. */
  readonly chart: string;
  /** The chart version: an exact version (ranges would deploy unreviewed releases). */
  readonly version: string;
  /**
   * Values, serialized as YAML into `helm.values`.
   * @default - none
   */
  readonly values?: { [key: string]: any };
  /**
   * The Helm release name.
   * @default - the Application name
   */
  readonly releaseName?: string;
}

/** Options for a config management plugin source. */
export interface PluginSourceOptions extends GitSourceOptions {
  /**
   * The plugin name (as in its ConfigManagementPlugin file).
   * @default - discovered by the repo-server
   */
  readonly name?: string;
  /**
   * Environment variables for the plugin (not secrets: they are stored in the Application).
   * @default - none
   */
  readonly env?: { [key: string]: string };
}

/** Where an Application's manifests come from. */
export class ApplicationSource {
  /** Plain manifests (or auto-detected tooling) from a Git directory. */
  public static git(options: GitSourceOptions): ApplicationSource {
    return new ApplicationSource(options.repoUrl, { repoUrl: options.repoUrl, targetRevision: options.revision, path: options.path }, options);
  }

  /** A Kustomize overlay from a Git directory. */
  public static kustomize(options: KustomizeSourceOptions): ApplicationSource {
    return new ApplicationSource(options.repoUrl, {
      repoUrl: options.repoUrl,
      targetRevision: options.revision,
      path: options.path,
      kustomize: options.namePrefix || options.images ? { namePrefix: options.namePrefix, images: options.images } : {},
    }, options);
  }

  /** A Helm chart from a chart repository. */
  public static helm(options: HelmSourceOptions): ApplicationSource {
    return new ApplicationSource(options.repoUrl, {
      repoUrl: options.repoUrl,
      chart: options.chart,
      targetRevision: options.version,
      helm: {
        releaseName: options.releaseName,
        // Helm reads values with a YAML 1.1-compatible parser: 'no' must stay a string.
        values: options.values ? toYaml(sortedDeep(options.values)) : undefined,
      },
    }, options);
  }

  /** A config management plugin (a repo-server sidecar) over a Git directory. */
  public static plugin(options: PluginSourceOptions): ApplicationSource {
    const env = Object.keys(options.env ?? {}).sort().map((name) => ({ name, value: options.env![name] }));
    return new ApplicationSource(options.repoUrl, {
      repoUrl: options.repoUrl,
      targetRevision: options.revision,
      path: options.path,
      plugin: { name: options.name, env: env.length > 0 ? env : undefined },
    }, options);
  }

  private constructor(
    /** The repository URL. */
    public readonly repoUrl: string,
    private readonly spec: l1.ApplicationSpecSource,
    private readonly options: any,
  ) {}

  /**
   * The Git revision or chart version.
   * @internal
   */
  public _revision(): string | undefined {
    return this.spec.targetRevision;
  }

  /**
   * The source as the Application's `spec.source`; format problems are reported at synth with
   * `scope`'s path.
   * @internal
   */
  public _render(scope: Construct): l1.ApplicationSpecSource {
    const checks = deferredChecks(scope);
    const problem = repoUrlProblem(this.repoUrl);
    checks.check('source.repoUrl', problem || /[*?[\]{}!]/.test(this.repoUrl)
      ? `${quoted(this.repoUrl)} ${problem ?? 'is a pattern: give the exact repository URL'}` : undefined);
    const o = this.options;
    if (o.chart !== undefined) {
      checks.check('source.chart', /^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$/.test(o.chart) ? undefined : `${quoted(o.chart)} is not a chart name: use lowercase letters, digits, '-', '_' and '.'`);
      checks.check('source.version', /^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.+-]+)?$/.test(o.version ?? '')
        ? undefined : `${quoted(o.version)} is not an exact chart version: pin e.g. '1.2.3' (ranges deploy unreviewed releases)`);
      if (o.releaseName !== undefined) checks.check('source.releaseName', dns1123LabelProblem(o.releaseName));
    } else {
      checks.check('source.revision', GIT_REVISION.test(o.revision ?? '') && !o.revision.includes('..')
        ? undefined : `${quoted(o.revision)} is not a Git revision: use a tag, branch or commit SHA`);
      checks.check('source.path', RELATIVE_PATH.test(o.path ?? '')
        ? undefined : `${quoted(o.path)} is not a relative path inside the repository (no leading '/', no '..')`);
    }
    for (const name of Object.keys(o.env ?? {})) {
      checks.check(`source.env.${name}`, ENV_NAME.test(name) ? undefined : 'is not an environment variable name: use letters, digits and _, not starting with a digit');
    }
    if (o.name !== undefined) checks.check('source.name', /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(o.name) ? undefined : `${quoted(o.name)} is not a plugin name`);
    return this.spec;
  }
}

/** Where an Application deploys. */
export interface ApplicationDestinationOptions {
  /**
   * The cluster's API server URL.
   * @default - by cluster name, or the in-cluster server when no name is given either
   */
  readonly server?: string;
  /**
   * The cluster's name in Argo CD.
   * @default - by server URL
   */
  readonly name?: string;
  /** The namespace. */
  readonly namespace: string;
}

/** How Kubernetes deletes a pruned resource's dependents (`PrunePropagationPolicy`). */
export enum PrunePropagationPolicy {
  /** Dependents first, then the resource (Argo CD's default). */
  FOREGROUND = 'foreground',
  /** The resource at once; the garbage collector deletes dependents afterwards. */
  BACKGROUND = 'background',
  /** The resource only; dependents stay, without owner. */
  ORPHAN = 'orphan',
}

/** Sync options (`spec.syncPolicy.syncOptions`). Unset options keep Argo CD's behaviour. */
export interface SyncOptions {
  /**
   * Create the destination namespace if missing (needs Namespace in the project's cluster
   * whitelist).
   * @default - not set (false)
   */
  readonly createNamespace?: boolean;
  /**
   * Validate manifests with the API server's schema.
   * @default - not set (true)
   */
  readonly validate?: boolean;
  /**
   * Prune after every other resource is synced and healthy.
   * @default - not set (false)
   */
  readonly pruneLast?: boolean;
  /**
   * Leave fields listed in ignoreDifferences alone when syncing.
   * @default - not set (false)
   */
  readonly respectIgnoreDifferences?: boolean;
  /**
   * Use server-side apply.
   * @default - not set (false)
   */
  readonly serverSideApply?: boolean;
  /**
   * Use `kubectl replace`/`create` instead of apply (for objects too large for the
   * last-applied annotation). Replace deletes and recreates on conflicts: prefer serverSideApply.
   * @default - not set (false)
   */
  readonly replace?: boolean;
  /**
   * Apply only the resources that are out of sync (faster syncs of large Applications).
   * @default - not set (false)
   */
  readonly applyOutOfSyncOnly?: boolean;
  /**
   * How pruned resources' dependents are deleted.
   * @default - not set (PrunePropagationPolicy.FOREGROUND)
   */
  readonly prunePropagationPolicy?: PrunePropagationPolicy;
  /**
   * Fail the sync when a resource is already managed by another Application, instead of taking
   * it over.
   * @default - not set (false)
   */
  readonly failOnSharedResource?: boolean;
  /**
   * Skip the dry run for resources whose CRD is not in the cluster yet (installed by another
   * Application).
   * @default - not set (false)
   */
  readonly skipDryRunOnMissingResource?: boolean;
}

/** Retries of failed syncs, with exponential backoff. */
export interface RetryOptions {
  /** How many times to retry (0 means no retry). */
  readonly limit: number;
  /**
   * The first backoff, in whole seconds.
   * @default Duration.seconds(5)
   */
  readonly backoffDuration?: Duration;
  /**
   * The factor each backoff is multiplied by.
   * @default 2
   */
  readonly backoffFactor?: number;
  /**
   * The longest backoff, in whole seconds, at least `backoffDuration`.
   * @default Duration.minutes(3)
   */
  readonly backoffMaxDuration?: Duration;
}

/** Options for an automated sync policy. */
export interface AutomatedSyncOptions {
  /**
   * Delete resources that are no longer in Git.
   * @default true
   */
  readonly prune?: boolean;
  /**
   * Revert changes made in the cluster.
   * @default true
   */
  readonly selfHeal?: boolean;
  /**
   * Allow a sync that would delete every resource.
   * @default false
   */
  readonly allowEmpty?: boolean;
}

/** When and how an Application syncs. */
export class SyncPolicy {
  /** Automated sync with prune and self-heal, for development. */
  public static development(): SyncPolicy {
    return SyncPolicy.automated({ prune: true, selfHeal: true });
  }

  /**
   * Manual sync, for production: changes wait for an operator. Pruning still happens on
   * the syncs an operator starts when `prune` is requested there.
   */
  public static production(): SyncPolicy {
    return SyncPolicy.manual();
  }

  /** Automated sync. */
  public static automated(options: AutomatedSyncOptions = {}): SyncPolicy {
    return new SyncPolicy({ prune: options.prune ?? true, selfHeal: options.selfHeal ?? true, allowEmpty: options.allowEmpty });
  }

  /** Manual sync only. */
  public static manual(): SyncPolicy {
    return new SyncPolicy(undefined);
  }

  private constructor(private readonly automatedSpec: l1.ApplicationSpecSyncPolicyAutomated | undefined) {}

  /** True when Argo CD syncs by itself. */
  public get isAutomated(): boolean {
    return this.automatedSpec !== undefined;
  }

  /** @internal */
  public _automated(): l1.ApplicationSpecSyncPolicyAutomated | undefined {
    return this.automatedSpec;
  }
}

/** Props for {@link SecureApplication}. */
export interface SecureApplicationProps {
  /** The Application name (a DNS-1123 subdomain). */
  readonly name: string;
  /**
   * The namespace the Application lives in: Argo CD's, or one of the project's
   * `sourceNamespaces`.
   * @default - the project's namespace
   */
  readonly namespace?: string;
  /**
   * The project: a `ProjectWithRoles`, a `LockedDownDefaultProject`, or a project that lives
   * elsewhere (`ProjectWithRoles.fromProjectName`). The namespace, source and destination are
   * checked against its rules at synth, so the project may be declared after the Application;
   * a project that lives elsewhere has no known rules and is not checked.
   */
  readonly project: IAppProject;
  /** Where the manifests come from. */
  readonly source: ApplicationSource;
  /** Where they are deployed. */
  readonly destination: ApplicationDestinationOptions;
  /**
   * When to sync.
   * @default SyncPolicy.manual()
   */
  readonly syncPolicy?: SyncPolicy;
  /**
   * Sync options.
   * @default - none
   */
  readonly syncOptions?: SyncOptions;
  /**
   * Retries of failed syncs.
   * @default - { limit: 5 } with 5s, factor 2, at most 3m
   */
  readonly retry?: RetryOptions;
  /**
   * Delete the Application's resources when the Application is deleted (the resources
   * finalizer).
   * @default true
   */
  readonly cascadeDelete?: boolean;
  /**
   * Why this Application of a production project may sync `revision: 'HEAD'` automatically
   * (every push to the default branch then reaches production unreviewed). Without a reason
   * that combination is refused.
   * @default - refused
   */
  readonly floatingRevisionReason?: string;
  /**
   * The sync wave of the Application object itself (app of apps): any integer, negative ones
   * sync before the library's objects (`SyncWave` names the library's waves).
   * @default SyncWave.APPLICATIONS
   */
  readonly syncWave?: number;
}

/**
 * An Argo CD Application whose source and destination are checked against its project at
 * synth, so what Argo CD would refuse at sync time fails the build.
 */
export class SecureApplication extends Construct {
  /** The Application name. */
  public readonly applicationName: string;
  /** The synthesized Application. */
  public readonly apiObject: ApiObject;

  public constructor(scope: Construct, id: string, props: SecureApplicationProps) {
    super(scope, id);
    registerLibraryConstruct(this, 'argocd');
    if (!hasBrand(props.project, 'AppProject')) {
      invalid(this, 'project', 'is not an AppProject: pass a ProjectWithRoles, a LockedDownDefaultProject or ProjectWithRoles.fromProjectName()');
    }
    this.applicationName = requireDns1123Subdomain(this, 'name', props.name);
    const project = props.project;
    const namespace = props.namespace ?? project.namespace;
    const source = props.source._render(this);
    const dest = props.destination;
    const checks = deferredChecks(this);
    checks.check('destination.namespace', dns1123LabelProblem(dest.namespace ?? ''));
    if (dest.server !== undefined) checks.check('destination.server', httpsUrlProblem(dest.server));
    if (dest.server !== undefined && dest.name !== undefined) invalid(this, 'destination', 'set server or name, not both');
    // Argo CD knows the local cluster under both names.
    const server = dest.server ?? (dest.name === undefined || dest.name === 'in-cluster' ? IN_CLUSTER_SERVER : undefined);
    const name = dest.name ?? (server === IN_CLUSTER_SERVER ? 'in-cluster' : undefined);
    // At synth: the project's roles, repositories and destinations may still grow after this
    // Application is declared, and the project itself may be declared later.
    this.node.addValidation({
      validate: () => (project.rulesKnown ? this.projectProblems(project, props, namespace, server, name) : []),
    });

    const retry = props.retry ?? { limit: 5 };
    checks.check('retry.limit', Number.isSafeInteger(retry.limit) && retry.limit >= 0 ? undefined : `${quoted(retry.limit)} is not a non-negative integer`);
    // Argo CD reads the backoffs as Go durations; whole seconds keep them exact.
    const backoffSeconds = (retry.backoffDuration ?? Duration.seconds(5)).toMilliseconds() / 1000;
    const maxBackoffSeconds = (retry.backoffMaxDuration ?? Duration.minutes(3)).toMilliseconds() / 1000;
    for (const [key, seconds] of [['backoffDuration', backoffSeconds], ['backoffMaxDuration', maxBackoffSeconds]] as const) {
      checks.check(`retry.${key}`, Number.isSafeInteger(seconds) && seconds >= 1 ? undefined
        : `${quoted(seconds)} seconds is not a whole, positive number of seconds: use e.g. Duration.seconds(10)`);
    }
    if (maxBackoffSeconds < backoffSeconds) {
      checks.check('retry.backoffMaxDuration', 'is shorter than retry.backoffDuration: give a longest backoff at least as long as the first');
    }
    if (retry.backoffFactor !== undefined) {
      checks.check('retry.backoffFactor', Number.isSafeInteger(retry.backoffFactor) && retry.backoffFactor >= 1 ? undefined : `${quoted(retry.backoffFactor)} is not a positive integer`);
    }

    const syncPolicy = props.syncPolicy ?? SyncPolicy.manual();
    const o = props.syncOptions ?? {};
    const flag = (key: string, value: boolean | undefined) => (value === undefined ? [] : [`${key}=${value}`]);
    const syncOptions = [
      ...flag('CreateNamespace', o.createNamespace),
      ...flag('Validate', o.validate),
      ...flag('PruneLast', o.pruneLast),
      ...flag('RespectIgnoreDifferences', o.respectIgnoreDifferences),
      ...flag('ServerSideApply', o.serverSideApply),
      ...flag('Replace', o.replace),
      ...flag('ApplyOutOfSyncOnly', o.applyOutOfSyncOnly),
      ...(o.prunePropagationPolicy === undefined ? [] : [`PrunePropagationPolicy=${o.prunePropagationPolicy}`]),
      ...flag('FailOnSharedResource', o.failOnSharedResource),
      ...flag('SkipDryRunOnMissingResource', o.skipDryRunOnMissingResource),
    ];
    if (o.prunePropagationPolicy !== undefined && !Object.values(PrunePropagationPolicy).includes(o.prunePropagationPolicy)) {
      checks.check('syncOptions.prunePropagationPolicy', `${quoted(o.prunePropagationPolicy)} is not a propagation policy: use PrunePropagationPolicy.FOREGROUND, BACKGROUND or ORPHAN`);
    }
    // Argo CD reads the wave with strconv.Atoi: an integer (a fraction or 1e21 would not parse).
    if (props.syncWave !== undefined) {
      checks.check('syncWave', Number.isSafeInteger(props.syncWave) ? undefined : `${quoted(props.syncWave)} is not an integer`);
    }

    this.apiObject = new l1.Application(this, 'Resource', {
      metadata: {
        name: this.applicationName,
        namespace,
        labels: standardLabels({ name: this.applicationName, partOf: project.projectName, component: 'application' }),
        finalizers: props.cascadeDelete === false ? undefined : [RESOURCES_FINALIZER],
      },
      spec: {
        project: project.projectName,
        source,
        destination: { server: dest.name === undefined ? server : undefined, name: dest.name, namespace: dest.namespace },
        syncPolicy: {
          automated: syncPolicy._automated(),
          syncOptions: syncOptions.length > 0 ? syncOptions : undefined,
          retry: {
            limit: retry.limit,
            backoff: {
              duration: compactDuration(Duration.seconds(Math.round(backoffSeconds)), false),
              factor: retry.backoffFactor ?? 2,
              maxDuration: compactDuration(Duration.seconds(Math.round(maxBackoffSeconds)), false),
            },
          },
        },
      },
    });
    applySyncWave(this.apiObject, props.syncWave ?? SyncWave.APPLICATIONS);
  }

  /** What the project does not permit, each as `<property>: <problem>`. */
  private projectProblems(project: IAppProject, props: SecureApplicationProps, namespace: string, server?: string, name?: string): string[] {
    const problems: string[] = [];
    const dest = props.destination;
    const p = project.projectName;
    if (!project.isSourceNamespacePermitted(namespace)) {
      problems.push(`namespace: project '${p}' does not allow Applications in namespace '${namespace}': use '${project.namespace}' or add it to the project's sourceNamespaces`);
    }
    if (!project.isSourcePermitted(props.source.repoUrl)) {
      problems.push(`source.repoUrl: project '${p}' does not permit '${props.source.repoUrl}': add it to the project's sourceRepos (or fix the URL)`);
    }
    if (!project.isDestinationPermitted(dest.namespace, server, name)) {
      problems.push(`destination: project '${p}' does not permit namespace '${dest.namespace}' on ${dest.name ? `cluster '${dest.name}'` : `'${server}'`}: add it to the project's destinations`);
    }
    const production = (project as { _production?: boolean })._production === true;
    if (production && props.syncPolicy?.isAutomated && /^head$/i.test(props.source._revision() ?? '') && !props.floatingRevisionReason?.trim()) {
      problems.push(`source.revision: 'HEAD' with automated sync in production project '${p}' deploys every push unreviewed: pin a tag or commit SHA, sync manually, or give floatingRevisionReason`);
    }
    if (props.syncOptions?.createNamespace && !project.isClusterResourcePermitted('', 'Namespace', dest.namespace)) {
      problems.push(`syncOptions.createNamespace: project '${p}' does not permit the cluster-scoped Namespace '${dest.namespace}', so the sync would fail: create the namespace outside Argo CD, or whitelist ResourceKind.NAMESPACE.named('${dest.namespace}') in the project`);
    }
    return problems.map((problem) => `${this.constructor.name} '${this.node.path}': ${problem}`);
  }
}

/** A copy with every map's keys sorted, so values render the same however they were built. */
function sortedDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedDeep);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortedDeep((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

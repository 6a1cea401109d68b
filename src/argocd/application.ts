import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { IAppProject } from './app-project';
import { ApplicationSource } from './application-source';
import { IgnoreDifference } from './ignore-differences';
import { destinationProblem, resolvedCluster } from './private/application-destination';
import { floatingRevisionProblems, recordSourceReasons, renderSources, sourceRepoProblems, sourcesOf, unverifiedSourceProblems } from './private/application-sources';
import { hasBrand } from './private/brands';
import { renderIgnoreDifferences } from './private/ignore-differences';
import { RESOURCES_FINALIZER } from './private/names';
import { PrunePropagationPolicy, RetryOptions, SyncOptions, SyncPolicy } from './sync-policy';
import { standardLabels } from '../core/labels';
import { applySyncWave, SyncWave } from '../core/sync-wave';
import * as l1 from '../imports/argocd-argoproj.io';
import { compactDuration, wholeSecondsProblem } from '../private/duration';
import { deferredChecks, invalid } from '../private/errors';
import { registerLibraryConstruct } from '../private/stamp';
import { dns1123LabelProblem, httpsUrlProblem, integerProblem, quoted, requireDns1123Subdomain } from '../private/validate';

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
  /**
   * Where the manifests come from (one source).
   * @default - none: give `source` or `sources`
   */
  readonly source?: ApplicationSource;
  /**
   * Several sources, rendered together (`spec.sources`), e.g. a Helm chart and a
   * `ApplicationSource.ref('values', ...)` its `valueFiles` read as `$values/<path>`. Each
   * repository is checked against the project like `source`.
   * @default - none: give `source` or `sources`
   */
  readonly sources?: ApplicationSource[];
  /**
   * Fields left out of the diff (and, with `syncOptions.respectIgnoreDifferences`, left alone
   * by syncs).
   * @default - none
   */
  readonly ignoreDifferences?: IgnoreDifference[];
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
   * Why this Application of a production project may sync a revision that can move automatically: a branch
   * (`main`, `HEAD`) or a tag that is not a version (every push to it then reaches production
   * unreviewed). Without a reason that combination is refused; commit SHAs and version tags
   * (`v1.2.3`, `1.2.3-rc.1`, `api-2.3.0`) need none. The reason is recorded as an accepted risk.
   * @default - refused
   */
  readonly floatingRevisionReason?: string;
  /**
   * Why this Application may deploy sources that Argo CD does not verify although the project
   * verifies Git commit signatures (`gitSignatureVerification`): Helm chart and OCI sources, and
   * `ref` sources read by a source of another repository. Without a reason they are refused.
   * The reason is recorded as an accepted risk.
   * @default - refused
   */
  readonly unverifiedSourcesReason?: string;
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
    const dest = props.destination;
    const checks = deferredChecks(this);
    const sources = sourcesOf(this, props);
    const rendered = renderSources(this, sources);
    checks.check('destination.namespace', dns1123LabelProblem(dest.namespace ?? ''));
    if (dest.server !== undefined) checks.check('destination.server', httpsUrlProblem(dest.server));
    if (dest.server !== undefined && dest.name !== undefined) invalid(this, 'destination', 'set server or name, not both');
    const { server } = resolvedCluster(dest);
    // At synth: the project's roles, repositories and destinations may still grow after this
    // Application is declared, and the project itself may be declared later.
    this.node.addValidation({
      validate: () => (project.rulesKnown ? this.projectProblems(project, props, sources, namespace) : []),
    });

    const retry = props.retry ?? { limit: 5 };
    checks.check('retry.limit', integerProblem(retry.limit, 0));
    // Argo CD reads the backoffs as Go durations; whole seconds keep them exact.
    const backoff = retry.backoffDuration ?? Duration.seconds(5);
    const maxBackoff = retry.backoffMaxDuration ?? Duration.minutes(3);
    checks.check('retry.backoffDuration', wholeSecondsProblem(backoff, 1));
    checks.check('retry.backoffMaxDuration', wholeSecondsProblem(maxBackoff, 1));
    const backoffSeconds = backoff.toSeconds({ integral: false });
    const maxBackoffSeconds = maxBackoff.toSeconds({ integral: false });
    if (maxBackoffSeconds < backoffSeconds) {
      checks.check('retry.backoffMaxDuration', 'is shorter than retry.backoffDuration: give a longest backoff at least as long as the first');
    }
    if (retry.backoffFactor !== undefined) {
      checks.check('retry.backoffFactor', integerProblem(retry.backoffFactor, 1));
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
    if (o.respectIgnoreDifferences && (props.ignoreDifferences ?? []).length === 0) {
      checks.check('syncOptions.respectIgnoreDifferences', 'does nothing without ignoreDifferences: list the fields syncs should leave alone in ignoreDifferences, or remove it');
    }
    const ignoreDifferences = renderIgnoreDifferences(checks, props.ignoreDifferences ?? []);
    if (o.prunePropagationPolicy !== undefined && !Object.values(PrunePropagationPolicy).includes(o.prunePropagationPolicy)) {
      checks.check('syncOptions.prunePropagationPolicy', `${quoted(o.prunePropagationPolicy)} is not a propagation policy: use PrunePropagationPolicy.FOREGROUND, BACKGROUND or ORPHAN`);
    }
    // Argo CD reads the wave with strconv.Atoi: an integer (a fraction or 1e21 would not parse).
    if (props.syncWave !== undefined) {
      // Argo CD reads the annotation with strconv.Atoi into a Go int (64-bit), the library writes it as text.
      checks.check('syncWave', integerProblem(props.syncWave, Number.MIN_SAFE_INTEGER));
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
        ...rendered,
        destination: { server: dest.name === undefined ? server : undefined, name: dest.name, namespace: dest.namespace },
        ignoreDifferences: ignoreDifferences.length > 0 ? ignoreDifferences : undefined,
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
    recordSourceReasons(this, this.apiObject, props);
    applySyncWave(this.apiObject, props.syncWave ?? SyncWave.APPLICATIONS);
  }

  /** What the project does not permit, each as `<property>: <problem>`. */
  private projectProblems(project: IAppProject, props: SecureApplicationProps, sources: [string, ApplicationSource][], namespace: string): string[] {
    const problems: string[] = [];
    const dest = props.destination;
    const p = project.projectName;
    if (!project.isSourceNamespacePermitted(namespace)) {
      problems.push(`namespace: project '${p}' does not allow Applications in namespace ${quoted(namespace)}: use '${project.namespace}' or add it to the project's sourceNamespaces`);
    }
    problems.push(...sourceRepoProblems(project, sources.map(([property, source]) => [`${property}.repoUrl`, source.repoUrl])));
    const destination = destinationProblem(project, dest);
    if (destination) problems.push(destination);
    problems.push(...floatingRevisionProblems(sources, project, props), ...unverifiedSourceProblems(sources, project, props));
    if (props.syncOptions?.createNamespace && !project.isClusterResourcePermitted('', 'Namespace', dest.namespace)) {
      problems.push(`syncOptions.createNamespace: project '${p}' does not permit the cluster-scoped Namespace ${quoted(dest.namespace)}, so the sync would fail: create the namespace outside Argo CD, or whitelist ResourceKind.NAMESPACE.named(${quoted(dest.namespace)}) in the project (which needs allowClusterControlResources with a reason)`);
    }
    return problems.map((problem) => `${this.constructor.name} '${this.node.path}': ${problem}`);
  }
}

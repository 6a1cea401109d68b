import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { IAppProject } from './app-project';
import { ApplicationSource } from './application-source';
import { destinationProblem } from './private/application-destination';
import { floatingRevisionProblems, recordSourceReasons, renderSources, sourceRepoProblems, sourcesOf, unverifiedSourceProblems } from './private/application-sources';
import { brand, hasBrand } from './private/brands';
import { gitRevisionProblem, repoUrlProblem } from './private/git-url';
import { hasAction, templateProblem, TemplateParameters, withoutActions } from './private/go-template';
import { IN_CLUSTER_SERVER, RESOURCES_FINALIZER } from './private/names';
import { SyncPolicy } from './sync-policy';
import { standardLabels } from '../core/labels';
import { applySyncWave, SyncWave } from '../core/sync-wave';
import * as l1 from '../imports/argocd-argoproj.io';
import { deferredChecks, invalid } from '../private/errors';
import { sortedRecord } from '../private/render';
import { registerLibraryConstruct } from '../private/stamp';
import { dns1123LabelProblem, httpsUrlProblem, integerProblem, labelKeyProblem, labelValueProblem, quoted, requireDns1123Subdomain } from '../private/validate';

const PARAMETER_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Options for a list generator: one Application per element. */
export interface ListGeneratorOptions {
  /** The elements; each key is a template parameter (`{{.key}}`). */
  readonly elements: { [key: string]: string }[];
}

/** Options for a cluster generator: one Application per cluster registered in Argo CD. */
export interface ClustersGeneratorOptions {
  /**
   * Only clusters whose Secret carries these labels.
   * @default - every registered cluster (including the local one once it has a Secret)
   */
  readonly matchLabels?: { [key: string]: string };
}

/** Options of the Git generators. */
export interface GitGeneratorOptions {
  /** The repository URL: exact, never a template. */
  readonly repoUrl: string;
  /** The revision the generator reads: a tag, branch or commit SHA. */
  readonly revision: string;
}

/** Options for a Git directory generator: one Application per matching directory. */
export interface GitDirectoriesGeneratorOptions extends GitGeneratorOptions {
  /** Directory patterns to include, e.g. `apps/*`. */
  readonly include: string[];
  /**
   * Directory patterns to leave out.
   * @default - none
   */
  readonly exclude?: string[];
}

/** Options for a Git file generator: one Application per matching JSON or YAML file. */
export interface GitFilesGeneratorOptions extends GitGeneratorOptions {
  /** File patterns, e.g. `clusters/*&#47;config.json`; each file's keys become parameters. */
  readonly paths: string[];
}

/**
 * Where an ApplicationSet's parameters come from. Each factory knows the parameters it
 * produces, so templates naming an unknown parameter fail the build instead of the controller.
 */
export class ApplicationSetGenerator {
  /** One Application per element of a fixed list. */
  public static list(options: ListGeneratorOptions): ApplicationSetGenerator {
    const keys = new Set(options.elements.flatMap((e) => Object.keys(e)));
    const problems = [...keys].filter((k) => !PARAMETER_NAME.test(k))
      .map((k) => `elements: ${quoted(k)} is not a template parameter name: use letters, digits and _`);
    if (options.elements.length === 0) problems.push('elements: is empty: give at least one element');
    return new ApplicationSetGenerator({ list: { elements: options.elements.map((e) => sortedRecord(e)) } }, [...keys, 'values'], problems);
  }

  /** One Application per cluster registered in Argo CD (`{{.name}}`, `{{.server}}`, ...). */
  public static clusters(options: ClustersGeneratorOptions = {}): ApplicationSetGenerator {
    const problems = Object.entries(options.matchLabels ?? {}).flatMap(([k, v]) =>
      [labelKeyProblem(k), labelValueProblem(v)].filter((p) => p !== undefined).map((p) => `matchLabels.${k}: ${p}`));
    const selector = options.matchLabels ? { matchLabels: sortedRecord(options.matchLabels) } : undefined;
    return new ApplicationSetGenerator({ clusters: { selector } },
      ['name', 'nameNormalized', 'server', 'project', 'metadata', 'values'], problems);
  }

  /** One Application per directory of a Git repository (`{{.path.path}}`, `{{.path.basename}}`, ...). */
  public static gitDirectories(options: GitDirectoriesGeneratorOptions): ApplicationSetGenerator {
    const directories = [
      ...options.include.map((path) => ({ path })),
      ...(options.exclude ?? []).map((path) => ({ path, exclude: true })),
    ];
    const problems = [...gitProblems(options), ...directories.flatMap((d) => problemOf('include', pathProblem(d.path)))];
    if (options.include.length === 0) problems.push('include: is empty: give at least one directory pattern');
    return new ApplicationSetGenerator({ git: { repoUrl: options.repoUrl, revision: options.revision, directories } }, ['path', 'values'], problems, options.repoUrl);
  }

  /** One Application per JSON or YAML file of a Git repository; the file's keys are the parameters. */
  public static gitFiles(options: GitFilesGeneratorOptions): ApplicationSetGenerator {
    const problems = [...gitProblems(options), ...options.paths.flatMap((p) => problemOf('paths', pathProblem(p)))];
    if (options.paths.length === 0) problems.push('paths: is empty: give at least one file pattern');
    // The files decide the parameter names, so references are not checked.
    const files = options.paths.map((path) => ({ path }));
    return new ApplicationSetGenerator(
      { git: { repoUrl: options.repoUrl, revision: options.revision, files } }, undefined, problems, options.repoUrl);
  }

  /** Every combination of the parameters of two generators (neither may be a matrix). */
  public static matrix(first: ApplicationSetGenerator, second: ApplicationSetGenerator): ApplicationSetGenerator {
    const problems = [first, second].some((g) => g.spec.matrix !== undefined)
      ? ['matrix: nests a matrix: Argo CD combines two plain generators; flatten the combination']
      : [...first._problems, ...second._problems];
    const parameters = first.parameters && second.parameters ? [...first.parameters, ...second.parameters] : undefined;
    return new ApplicationSetGenerator({ matrix: { generators: [first.spec, second.spec] } }, parameters, problems, first.repoUrl ?? second.repoUrl);
  }

  /**
   * Problems as `<property>: <problem>`, reported by the ApplicationSet that uses the generator.
   * @internal
   */
  public readonly _problems: string[];

  private constructor(
    private readonly spec: l1.ApplicationSetSpecGenerators,
    /** The parameter names the generator produces (first segment), or undefined when open. */
    private readonly parameters: string[] | undefined,
    problems: string[],
    private readonly repoUrl?: string,
  ) {
    this._problems = problems;
    brand(this, 'ApplicationSetGenerator');
  }

  /** @internal */
  public _render(): l1.ApplicationSetSpecGenerators {
    return this.spec;
  }

  /** @internal */
  public _parameters(): string[] | undefined {
    return this.parameters;
  }

  /** @internal */
  public _repoUrl(): string | undefined {
    return this.repoUrl;
  }
}

/** Where each generated Application deploys; every field may use parameters. */
export interface ApplicationSetDestinationOptions {
  /**
   * The cluster's API server URL, e.g. `{{.server}}`.
   * @default - by cluster name, or the in-cluster server when no name is given either
   */
  readonly server?: string;
  /**
   * The cluster's name in Argo CD, e.g. `{{.name}}`.
   * @default - by server URL
   */
  readonly name?: string;
  /** The namespace, e.g. `{{.path.basename}}`. */
  readonly namespace: string;
}

/** One step of a progressive (RollingSync) rollout. */
export interface RollingSyncStep {
  /** The Application label the step selects on (set it with `labels`). */
  readonly labelKey: string;
  /** The label values this step syncs. */
  readonly values: string[];
  /**
   * How many Applications of the step sync at once.
   * @default - all of the step's Applications
   */
  readonly maxUpdate?: number;
}

/** Props for {@link SecureApplicationSet}. */
export interface SecureApplicationSetProps {
  /** The ApplicationSet name (a DNS-1123 subdomain). */
  readonly name: string;
  /**
   * The namespace the ApplicationSet and its Applications live in.
   * @default - the project's namespace
   */
  readonly namespace?: string;
  /**
   * The project of every generated Application. Fixed, never a template: a templated project
   * lets whoever controls a generator's input pick a more privileged project.
   */
  readonly project: IAppProject;
  /** Where the parameters come from. */
  readonly generator: ApplicationSetGenerator;
  /** The name of each generated Application; must use parameters, e.g. `{{.path.basename}}`. */
  readonly applicationName: string;
  /**
   * The source of each generated Application. Its `path` and Helm `valueFiles` may use
   * parameters (e.g. `{{.path.path}}`, `$values/envs/{{.name}}.yaml`); every other field is
   * fixed (the repository URL and revision above all).
   * @default - none: give `source` or `sources`
   */
  readonly source?: ApplicationSource;
  /**
   * Several sources of each generated Application (`spec.sources`), e.g. a Helm chart and a
   * `ApplicationSource.ref('values', ...)` its `valueFiles` read as `$values/<path>`; the same
   * rules as `source` apply to each.
   * @default - none: give `source` or `sources`
   */
  readonly sources?: ApplicationSource[];
  /**
   * Where each generated Application deploys. Checked against the project's destinations at
   * synth: a fixed value as on `SecureApplication`, a templated one refused only when the project
   * permits no value it can produce (Argo CD checks each generated Application).
   */
  readonly destination: ApplicationSetDestinationOptions;
  /**
   * Labels of each generated Application; values may use parameters.
   * @default - the standard labels only
   */
  readonly labels?: { [key: string]: string };
  /**
   * When generated Applications sync.
   * @default SyncPolicy.manual()
   */
  readonly syncPolicy?: SyncPolicy;
  /**
   * Why the generated Applications of a production project may sync a revision that can move automatically: a branch
   * (`main`, `HEAD`) or a tag that is not a version (every push to it then reaches production
   * unreviewed). Without a reason that combination is refused; commit SHAs and version tags
   * (`v1.2.3`, `1.2.3-rc.1`, `api-2.3.0`) need none. The reason is recorded as an accepted risk.
   * @default - refused
   */
  readonly floatingRevisionReason?: string;
  /**
   * Why the generated Applications may deploy sources that Argo CD does not verify although the project
   * verifies Git commit signatures (`gitSignatureVerification`): Helm chart and OCI sources, and
   * `ref` sources read by a source of another repository. Without a reason they are refused.
   * The reason is recorded as an accepted risk.
   * @default - refused
   */
  readonly unverifiedSourcesReason?: string;
  /**
   * Roll changes out step by step (RollingSync): each step's Applications sync only once the
   * previous step's are healthy. Argo CD applies it only when the ApplicationSet controller runs
   * with `applicationsetcontroller.enable.progressive.syncs: "true"`.
   * @default - every Application syncs on its own
   */
  readonly progressiveSync?: RollingSyncStep[];
  /**
   * Keep the deployed resources when the ApplicationSet (or one of its Applications) is deleted.
   * @default true
   */
  readonly preserveResourcesOnDeletion?: boolean;
  /**
   * The sync wave of the ApplicationSet object.
   * @default SyncWave.APPLICATIONS
   */
  readonly syncWave?: SyncWave;
}

/**
 * An Argo CD ApplicationSet with the safe settings: one fixed project, Go templates with
 * `missingkey=error`, templates only in the name, the source paths and Helm `valueFiles` (plain
 * parameter references there), the destination and label values, and every parameter a template
 * names checked against what the generator produces.
 */
export class SecureApplicationSet extends Construct {
  /** True when `x` is a SecureApplicationSet. */
  public static isSecureApplicationSet(x: unknown): x is SecureApplicationSet {
    return hasBrand(x, 'SecureApplicationSet');
  }

  /** The ApplicationSet name. */
  public readonly applicationSetName: string;
  /** The synthesized ApplicationSet. */
  public readonly apiObject: ApiObject;

  public constructor(scope: Construct, id: string, props: SecureApplicationSetProps) {
    super(scope, id);
    registerLibraryConstruct(this, 'argocd');
    brand(this, 'SecureApplicationSet');
    if (!hasBrand(props.project, 'AppProject')) {
      invalid(this, 'project', 'is not an AppProject: pass a ProjectWithRoles, a LockedDownDefaultProject or ProjectWithRoles.fromProjectName()');
    }
    if (!hasBrand(props.generator, 'ApplicationSetGenerator')) {
      invalid(this, 'generator', 'is not an ApplicationSetGenerator: use ApplicationSetGenerator.list(), .clusters(), .gitDirectories(), .gitFiles() or .matrix()');
    }
    this.applicationSetName = requireDns1123Subdomain(this, 'name', props.name);
    const project = props.project;
    const namespace = props.namespace ?? project.namespace;
    const checks = deferredChecks(this);
    for (const problem of props.generator._problems) {
      const [property, ...rest] = problem.split(': ');
      checks.check(`generator.${property}`, rest.join(': '));
    }

    const parameters: TemplateParameters = { names: props.generator._parameters() };
    const templated = (property: string, value: string, literal: (v: string) => string | undefined) => {
      checks.check(property, templateProblem(value, parameters) ?? (hasAction(value) ? undefined : literal(value)));
    };

    checks.check('applicationName', hasAction(props.applicationName) ? templateProblem(props.applicationName, parameters)
      : 'is not templated, so every generated Application would get the same name: use a parameter, e.g. {{.path.basename}}');
    const sources = sourcesOf(this, props);
    const rendered = renderSources(this, sources, parameters);
    const dest = props.destination;
    if (dest.server !== undefined && dest.name !== undefined) invalid(this, 'destination', 'set server or name, not both');
    templated('destination.namespace', dest.namespace, dns1123LabelProblem);
    if (dest.server !== undefined) templated('destination.server', dest.server, httpsUrlProblem);
    if (dest.name !== undefined) templated('destination.name', dest.name, () => undefined);
    const labels = props.labels ?? {};
    for (const [key, value] of Object.entries(labels)) {
      // A key that is not a label key is reported under 'labels': it is not safe to echo as a property.
      if (!checks.check('labels', labelKeyProblem(key))) continue;
      templated(`labels.${key}`, value, labelValueProblem);
    }
    const steps = props.progressiveSync ?? [];
    if (props.progressiveSync !== undefined && steps.length === 0) checks.check('progressiveSync', 'is empty: give at least one step, or leave it out');
    steps.forEach((step, i) => {
      checks.check(`progressiveSync[${i}].labelKey`, step.labelKey in labels ? undefined
        : `${quoted(step.labelKey)} is not one of the Applications' labels, so the step would select nothing: add it to labels`);
      if (step.values.length === 0) checks.check(`progressiveSync[${i}].values`, 'is empty: give the label values this step syncs');
      if (step.maxUpdate !== undefined) {
        checks.check(`progressiveSync[${i}].maxUpdate`, integerProblem(step.maxUpdate, 1, 2 ** 31 - 1));
      }
    });

    this.node.addValidation({
      validate: () => {
        if (!project.rulesKnown) return [];
        const problems: string[] = [];
        const repoUrls = [...sources.map(([property, source]) => [`${property}.repoUrl`, source.repoUrl]), ['generator.repoUrl', props.generator._repoUrl()]];
        // A templated URL is checked by Argo CD when it generates the Application.
        problems.push(...sourceRepoProblems(project, repoUrls.filter((entry): entry is [string, string] => entry[1] !== undefined && !entry[1].includes('{{'))));
        if (!project.isSourceNamespacePermitted(namespace)) {
          problems.push(`namespace: project '${project.projectName}' does not allow Applications in namespace ${quoted(namespace)}: use '${project.namespace}' or add it to the project's sourceNamespaces`);
        }
        const destination = destinationProblem(project, dest, true);
        if (destination) problems.push(destination);
        problems.push(...floatingRevisionProblems(sources, project, props), ...unverifiedSourceProblems(sources, project, props));
        return problems.map((p) => `${this.constructor.name} '${this.node.path}': ${p}`);
      },
    });

    const syncPolicy = props.syncPolicy ?? SyncPolicy.manual();
    const server = dest.server ?? (dest.name === undefined ? IN_CLUSTER_SERVER : undefined);
    this.apiObject = new l1.ApplicationSet(this, 'Resource', {
      metadata: {
        name: this.applicationSetName,
        namespace,
        labels: standardLabels({ name: this.applicationSetName, partOf: project.projectName, component: 'applicationset' }),
      },
      spec: {
        goTemplate: true,
        // An unknown parameter is an error, not an empty string in a name or path.
        goTemplateOptions: ['missingkey=error'],
        generators: [props.generator._render()],
        template: {
          metadata: {
            name: props.applicationName,
            namespace,
            labels: sortedRecord({ ...labels, ...standardLabels({ name: props.applicationName, partOf: project.projectName, component: 'application' }) }),
            finalizers: props.preserveResourcesOnDeletion === false ? [RESOURCES_FINALIZER] : undefined,
          },
          spec: {
            project: project.projectName,
            ...rendered,
            destination: { server, name: dest.name, namespace: dest.namespace },
            syncPolicy: {
              automated: syncPolicy._automated(),
              retry: { limit: 5, backoff: { duration: '5s', factor: 2, maxDuration: '3m' } },
            },
          },
        },
        strategy: steps.length > 0 ? {
          type: 'RollingSync',
          rollingSync: {
            steps: steps.map((s) => ({
              matchExpressions: [{ key: s.labelKey, operator: 'In', values: [...s.values] }],
              maxUpdate: s.maxUpdate === undefined ? undefined : l1.ApplicationSetSpecStrategyRollingSyncStepsMaxUpdate.fromNumber(s.maxUpdate),
            })),
          },
        } : undefined,
        syncPolicy: { preserveResourcesOnDeletion: props.preserveResourcesOnDeletion ?? true },
      },
    });
    recordSourceReasons(this, this.apiObject, props);
    applySyncWave(this.apiObject, props.syncWave ?? SyncWave.APPLICATIONS);
  }
}

function gitProblems(options: GitGeneratorOptions): string[] {
  const problems: string[] = [];
  const url = repoUrlProblem(options.repoUrl);
  if (url || options.repoUrl.includes('{{')) problems.push(`repoUrl: ${quoted(options.repoUrl)} ${url ?? 'is a template: give the exact repository URL'}`);
  const revision = gitRevisionProblem(options.revision);
  if (revision) problems.push(`revision: ${revision}`);
  return problems;
}

/** A relative path inside a repository (patterns and parameters allowed): no leading '/', no '..'. */
function pathProblem(path: string): string | undefined {
  const bare = withoutActions(path);
  return bare === '' || bare.startsWith('/') || /(^|\/)\.\.(\/|$)/.test(bare) || /[\u0000-\u001f\u007f]/.test(bare)
    ? `${quoted(path)} is not a relative path inside the repository (no leading '/', no '..')` : undefined;
}

function problemOf(property: string, problem: string | undefined): string[] {
  return problem === undefined ? [] : [`${property}: ${problem}`];
}

import { Construct } from 'constructs';
import { gitRevisionProblem, repoUrlProblem } from './private/git-url';
import { fixedValueProblem, parameterReferencesProblem, templateProblem, TemplateParameters, withoutActions } from './private/go-template';
import * as l1 from '../imports/argocd-argoproj.io';
import { deferredChecks } from '../private/errors';
import { toYaml } from '../private/render';
import { digestProblem, dns1123LabelProblem, quoted, safeTextProblem } from '../private/validate';

// Spaces and '+' occur in real directory names ('my app', 'c++'); not at either end, where readers trim.
const RELATIVE_PATH = /^(?![/ ])(?!.*(^|\/)\.\.(\/|$))(?!.* $)[A-Za-z0-9._/ +-]+$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Argo CD's rule for `ref` names. */
const REF_NAME = /^[A-Za-z0-9_-]+$/;
/** A values file relative to the chart directory; `..` may leave it (the repo-server keeps it inside the repository). */
const VALUE_FILE = /^(?!\/)[A-Za-z0-9._\/-]+$/;
const HELM_PARAMETER = /^([A-Za-z0-9_.\/-]|\[\d+\]|\\\.)+$/;

/** Reports a problem of one field of the source (`repoUrl`, `values.a.b`, ...). */
type FieldCheck = (field: string, problem: string | undefined) => void;

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

/** A Helm parameter (`--set name=value`). Not for secrets: it is stored in the Application. */
export interface HelmParameter {
  /** The value's path, e.g. `image.tag` (a dot inside a key is escaped as in Helm: `podAnnotations.prometheus\.io/scrape`). */
  readonly name: string;
  /**
   * The value (one line, no `\`: Helm reads it as an escape). A value starting with `{` is Helm's
   * list syntax and must be one list, e.g. `{a,b}`. Put other strings in `values`.
   */
  readonly value: string;
  /**
   * Pass the value as a string even if it looks like a number or boolean (`--set-string`).
   * @default false
   */
  readonly forceString?: boolean;
}

/** Values for a Helm chart. None of them may hold a secret: they are stored in the Application. */
export interface HelmValuesOptions {
  /**
   * Values files, in order: paths relative to the chart directory, or `$<ref>/<path>` to read
   * one from a `ApplicationSource.ref()` source of the same Application (then use `sources`).
   * @default - only the chart's values.yaml
   */
  readonly valueFiles?: string[];
  /**
   * Values, serialized as YAML into `helm.values` (applied after `valueFiles`).
   * @default - none
   */
  readonly values?: { [key: string]: any };
  /**
   * Parameters (`--set`), applied last.
   * @default - none
   */
  readonly parameters?: HelmParameter[];
  /**
   * The Helm release name.
   * @default - the Application name
   */
  readonly releaseName?: string;
}

/** Options for a Helm chart from a chart repository or OCI registry. */
export interface HelmSourceOptions extends HelmValuesOptions {
  /** The chart repository URL (https:// or oci://). */
  readonly repoUrl: string;
  /** The chart name. */
  readonly chart: string;
  /** The chart version: an exact version (ranges would deploy unreviewed releases). */
  readonly version: string;
}

/** Options for a Helm chart in a Git directory. */
export interface HelmGitSourceOptions extends GitSourceOptions, HelmValuesOptions {}

/** Options for a `ref` source: a Git repository whose files other sources read as `$<ref>/<path>`. */
export interface RefSourceOptions {
  /** The repository URL (https://, ssh:// or user@host:path). */
  readonly repoUrl: string;
  /** The revision: a tag, branch or commit SHA. */
  readonly revision: string;
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

  /** A Helm chart from a chart repository or OCI registry. */
  public static helm(options: HelmSourceOptions): ApplicationSource {
    return new ApplicationSource(options.repoUrl, {
      repoUrl: options.repoUrl,
      chart: options.chart,
      targetRevision: options.version,
      helm: helmSpec(options),
    }, options);
  }

  /**
   * A Helm chart in a Git directory (`path` is the chart directory), e.g. with values files of
   * another repository: `valueFiles: ['$values/envs/prod.yaml']` next to
   * `ApplicationSource.ref('values', ...)` in the Application's `sources`.
   */
  public static helmFromGit(options: HelmGitSourceOptions): ApplicationSource {
    return new ApplicationSource(options.repoUrl, {
      repoUrl: options.repoUrl,
      targetRevision: options.revision,
      path: options.path,
      helm: helmSpec(options),
    }, options);
  }

  /**
   * A repository other sources of the same Application read files from, as `$<name>/<path>`
   * (e.g. Helm `valueFiles`). It deploys nothing itself.
   * @param name the reference name: letters, digits, `_` and `-`
   */
  public static ref(name: string, options: RefSourceOptions): ApplicationSource {
    const spec = { repoUrl: options.repoUrl, targetRevision: options.revision, ref: name };
    return new ApplicationSource(options.repoUrl, spec, { ...options, ref: name });
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
   * The name other sources use as `$<name>/`, for a `ref` source.
   * @internal
   */
  public _refName(): string | undefined {
    return this.spec.ref;
  }

  /**
   * True for a Git source (not a chart repository).
   * @internal
   */
  public _isGit(): boolean {
    return this.spec.chart === undefined;
  }

  /**
   * Helm values files, as given.
   * @internal
   */
  public _valueFiles(): readonly string[] {
    return this.options.valueFiles ?? [];
  }

  /**
   * The source as the Application's `spec.source` or one of `spec.sources`; format problems are
   * reported at synth with `scope`'s path and `property` (`source` or `sources[i]`). In an
   * ApplicationSet's template (`template` given) only `path` and `valueFiles` may use the
   * generator's parameters; every other string must stay fixed.
   * @internal
   */
  public _render(scope: Construct, property: string = 'source', template?: TemplateParameters): l1.ApplicationSpecSource {
    const all = deferredChecks(scope);
    const templated = new Set<string>();
    if (template !== undefined) {
      walkStrings(this.options, '', (field, value) => {
        const may = field === 'path' || /^valueFiles\[\d+\]$/.test(field);
        const problem = may ? templateProblem(value, template) ?? parameterReferencesProblem(value) : fixedValueProblem(value);
        if (problem !== undefined) templated.add(field);
        all.check(`${property}.${field}`, problem);
      });
    }
    // A field with a template problem reports only that one; the rest are checked without the actions.
    const check: FieldCheck = (field, problem) => {
      if (!templated.has(field)) all.check(`${property}.${field}`, problem);
    };
    const literal = (value: string) => (template !== undefined && typeof value === 'string' ? withoutActions(value) : value);
    const problem = repoUrlProblem(this.repoUrl);
    check('repoUrl', problem || /[*?[\]{}!]/.test(this.repoUrl)
      ? `${quoted(this.repoUrl)} ${problem ?? 'is a pattern: give the exact repository URL'}` : undefined);
    const o = this.options;
    if (o.chart !== undefined) {
      check('chart', /^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$/.test(o.chart) ? undefined : `${quoted(o.chart)} is not a chart name: use lowercase letters, digits, '-', '_' and '.'`);
      check('version', /^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.+-]+)?$/.test(o.version ?? '')
        ? undefined : `${quoted(o.version)} is not an exact chart version: pin e.g. '1.2.3' (ranges deploy unreviewed releases)`);
    } else {
      check('revision', gitRevisionProblem(o.revision));
      if (o.ref === undefined) {
        check('path', RELATIVE_PATH.test(literal(o.path ?? ''))
          ? undefined : `${quoted(o.path)} is not a relative path inside the repository: give e.g. 'apps/web' (letters, digits, spaces, '.', '_', '/', '+', '-'; no leading '/', no '..')`);
      }
    }
    if (o.ref !== undefined) {
      // Argo CD refuses other characters when it resolves the sources.
      check('ref', typeof o.ref === 'string' && REF_NAME.test(o.ref)
        ? undefined : `${quoted(o.ref)} is not a reference name: use letters, digits, '_' and '-', e.g. 'values'`);
    }
    if (o.releaseName !== undefined) check('releaseName', dns1123LabelProblem(o.releaseName));
    this.checkHelmValues(check, literal);
    for (const [name, value] of Object.entries<string>(o.env ?? {})) {
      if (!ENV_NAME.test(name)) {
        check('env', `${quoted(name)} is not an environment variable name: use letters, digits and _, not starting with a digit`);
        continue;
      }
      check(`env.${name}`, plaintextSecretProblem(name, value));
    }
    if (o.name !== undefined) check('name', /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(o.name) ? undefined : `${quoted(o.name)} is not a plugin name: use letters, digits, '.', '_' and '-'`);
    if (o.namePrefix !== undefined) {
      check('namePrefix', /^[a-z0-9][-a-z0-9.]{0,61}$/.test(o.namePrefix) ? undefined
        : `${quoted(o.namePrefix)} is not a name prefix: use lowercase letters, digits, '-' and '.', starting with a letter or digit (the names it prefixes must stay DNS-1123)`);
    }
    (o.images ?? []).forEach((image: string, i: number) => check(`images[${i}]`, kustomizeImageProblem(image)));
    return this.spec;
  }

  private checkHelmValues(check: FieldCheck, literal: (value: string) => string): void {
    const o = this.options as HelmValuesOptions;
    (o.valueFiles ?? []).forEach((file, i) => check(`valueFiles[${i}]`, valueFileProblem(literal(file))));
    (o.parameters ?? []).forEach((parameter, i) => {
      const where = `parameters[${i}]`;
      check(`${where}.name`, typeof parameter.name === 'string' && HELM_PARAMETER.test(parameter.name)
        ? undefined : `${quoted(parameter.name)} is not a Helm value path: e.g. 'image.tag' (letters, digits, '.', '_', '-', '/', [index], '\\.')`);
      check(`${where}.value`, safeTextProblem(parameter.value, { maxLength: 4096 }) ?? helmParameterValueProblem(parameter.value)
        ?? plaintextSecretProblem(parameter.name, parameter.value));
    });
    walkValues(o.values, 'values', (path, key, value) => check(path, plaintextSecretProblem(key, value)));
  }
}

/** The `helm` block of a Helm source. */
function helmSpec(options: HelmValuesOptions): l1.ApplicationSpecSourceHelm {
  const parameters = (options.parameters ?? []).map((p) => ({ name: p.name, value: p.value, forceString: p.forceString }));
  return {
    releaseName: options.releaseName,
    valueFiles: options.valueFiles && options.valueFiles.length > 0 ? [...options.valueFiles] : undefined,
    parameters: parameters.length > 0 ? parameters : undefined,
    // Helm reads values with a YAML 1.1-compatible parser: 'no' must stay a string.
    values: options.values ? toYaml(sortedDeep(options.values)) : undefined,
  };
}

/**
 * Argo CD passes a parameter as `--set name=value` and escapes only the commas no `\` precedes,
 * none at all in a value that starts with `{` and ends with `}` (Helm's list syntax); Helm reads
 * `\` as an escape and an unescaped `,` as the start of the next assignment (Argo CD v3.5
 * util/helm/cmd.go, Helm strvals). So `v1\\,securityContext.privileged=true`, or `{a},b=c}`,
 * would set values the parameter's name does not allow.
 */
function helmParameterValueProblem(value: string): string | undefined {
  if (value.includes('\\')) {
    return `${quoted(value)} contains '\\', which Helm reads as an escape (so '\\\\,' would start another assignment): put this value in values instead`;
  }
  if (value.startsWith('{') && !/^\{[^{}]*\}$/.test(value)) {
    return `${quoted(value)} starts with '{', Helm's list syntax: give one list such as '{a,b}' with no other braces, or put the value in values`;
  }
  return undefined;
}

/**
 * What is wrong with a Helm values file entry: a path inside the repository, relative to the
 * chart, or `$<ref>/<path>` (whether the reference exists is checked by the Application).
 */
function valueFileProblem(file: string): string | undefined {
  if (typeof file !== 'string') return `${quoted(file)} is not a path`;
  const ref = /^\$([^/]*)\/(.*)$/.exec(file);
  if (ref) {
    if (!REF_NAME.test(ref[1])) return `${quoted(file)} names the reference ${quoted(ref[1])}: a reference name has letters, digits, '_' and '-'`;
    return RELATIVE_PATH.test(ref[2]) ? undefined : `${quoted(file)}: after '$${ref[1]}/' give a path inside that repository (no leading '/', no '..')`;
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(file)) {
    return `${quoted(file)} is a URL: a remote values file changes without review; commit it to a repository and reference it (e.g. '$values/<path>' with ApplicationSource.ref('values', ...))`;
  }
  return VALUE_FILE.test(file) ? undefined
    : `${quoted(file)} is not a values file path: give a path relative to the chart directory (no leading '/'), or '$<ref>/<path>'`;
}

const KUSTOMIZE_IMAGE = /^(?:[A-Za-z0-9][A-Za-z0-9._/:-]*=)?[A-Za-z0-9][A-Za-z0-9._/:-]*@(sha256:[0-9a-f]{64})$/;

/**
 * What is wrong with a Kustomize image override, or undefined: it must pin a digest
 * (`[<image>=]<new image>[:<tag>]@sha256:<digest>`), since a tag can move without review.
 */
function kustomizeImageProblem(image: string): string | undefined {
  const m = typeof image === 'string' ? KUSTOMIZE_IMAGE.exec(image) : null;
  if (!m) {
    return `${quoted(image)} is not a pinned image override: write '[<image>=]<new image>@sha256:<digest>' (e.g. 'web=ghcr.io/my-org/web@sha256:...'; a tag can change without review)`;
  }
  return digestProblem(m[1]);
}

/** Words that, at the end of a key, name a secret: `adminPassword`, `auth.token`, `API_KEY`. */
const SECRET_WORD = /(pass(word|wd|phrase)|token|secret|credentials?|api[-_]?key|private[-_]?key)$/i;

/**
 * A problem when `key` names a secret and `value` is a literal one: the Application (and Git)
 * would hold it in plain text. `existingSecret`-style keys name a Secret, which is what we want.
 */
function plaintextSecretProblem(key: string, value: unknown): string | undefined {
  const last = String(key).replace(/(\[\d+\])+$/, '').split('.').pop() ?? '';
  if (!SECRET_WORD.test(last) || /^existing/i.test(last)) return undefined;
  if ((typeof value !== 'string' || value === '') && typeof value !== 'number') return undefined;
  return `${quoted(key)} looks like a secret, and its value would be stored in plain text in the Application: keep it in a Secret `
    + "(SealedOrExternalSecret) and give the chart that Secret's name (e.g. existingSecret)";
}

/** Calls `visit` for every string (keys too) of an options tree, with its property path. */
function walkStrings(value: unknown, path: string, visit: (path: string, value: string) => void): void {
  if (typeof value === 'string') {
    visit(path, value);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => walkStrings(v, `${path}[${i}]`, visit));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const child = path === '' ? k : `${path}.${k}`;
      visit(child, k);
      walkStrings(v, child, visit);
    }
  }
}

/** Calls `visit` for every scalar of a values tree, with its path and its own key. */
function walkValues(value: unknown, path: string, visit: (path: string, key: string, value: unknown) => void, key = ''): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => walkValues(v, `${path}[${i}]`, visit, key));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) walkValues(v, `${path}.${k}`, visit, k);
  } else if (key !== '') {
    visit(path, key, value);
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

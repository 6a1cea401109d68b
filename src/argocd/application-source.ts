import { Construct } from 'constructs';
import { repoUrlProblem } from './private/git-url';
import * as l1 from '../imports/argocd-argoproj.io';
import { deferredChecks } from '../private/errors';
import { toYaml } from '../private/render';
import { dns1123LabelProblem, quoted } from '../private/validate';

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

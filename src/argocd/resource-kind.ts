import { recordFactoryProblem } from '../private/errors';
import { compileGoPath } from '../private/glob';
import { quoted, safeTextProblem } from '../private/validate';

/**
 * A Kubernetes resource type (API group and kind) for an AppProject's resource lists, with an
 * optional name glob where Argo CD supports one. Group and kind match as globs. The factories
 * never throw: a malformed pattern is reported at synth by the project that lists the kind.
 */
export class ResourceKind {
  /** Namespaces (core group). */
  public static readonly NAMESPACE = new ResourceKind('', 'Namespace');
  /** ResourceQuotas (core group). */
  public static readonly RESOURCE_QUOTA = new ResourceKind('', 'ResourceQuota');
  /** LimitRanges (core group). */
  public static readonly LIMIT_RANGE = new ResourceKind('', 'LimitRange');
  /** NetworkPolicies (`networking.k8s.io`; an entry in the core group would match nothing). */
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
      if (value !== undefined && (/[\s,"]/.test(value) || (value !== '' && safeTextProblem(value)) || (what !== 'group' && value === ''))) {
        recordFactoryProblem(this, what, `${quoted(value)} is not a valid ${what}: give a${what === 'group' ? 'n' : ' non-empty'} ${what} or glob without spaces, commas, quotes or control characters`);
      } else if (value !== undefined && compileGoPath(value) === undefined) {
        // Argo CD matches group, kind and name with Go's filepath.Match: a malformed pattern matches nothing.
        recordFactoryProblem(this, what, `${quoted(value)} is not a valid pattern, so it would match nothing: write a Go filepath.Match pattern ('*', '?', '[a-z]', '[^a]'; close each class, escape '-' and ']' inside it)`);
      }
    }
  }

  /**
   * The same kind, limited to names matching `nameGlob` (Go `filepath.Match` syntax). Only
   * the cluster-scoped lists (Argo CD 3.3+) and the orphaned-resources ignore list read it; the
   * ignore list reads the whole entry as Argo CD's glob, so no `{a,b}` or negated classes there.
   */
  public named(nameGlob: string): ResourceKind {
    return new ResourceKind(this.group, this.kind, nameGlob);
  }

  /** `<group>/<kind>[/<name>]`, for messages. */
  public toString(): string {
    return `${this.group === '' ? "''" : this.group}/${this.kind}${this.name !== undefined ? ` named '${this.name}'` : ''}`;
  }
}

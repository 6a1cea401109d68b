import { brand, hasBrand } from './private/brands';
import { ACTION_SEGMENT } from './private/rbac-rules';
import { recordFactoryProblem } from '../private/errors';
import { quoted } from '../private/validate';

/**
 * The resources Argo CD RBAC knows (Argo CD v3: `util/rbac/rbac.go`). Anything else in a policy
 * line is silently useless, so only these can be written.
 */
export enum ArgoCdResource {
  /** Applications. Objects are `<project>/<app>` or `<project>/<namespace>/<app>`. */
  APPLICATIONS = 'applications',
  /** ApplicationSets. Objects are `<project>/<appset>` or `<project>/<namespace>/<appset>`. */
  APPLICATIONSETS = 'applicationsets',
  /** Cluster credentials. Objects are cluster URLs or `*`. */
  CLUSTERS = 'clusters',
  /** Repository credentials (read access). */
  REPOSITORIES = 'repositories',
  /** Write credentials used by the source hydrator. */
  WRITE_REPOSITORIES = 'write-repositories',
  /** AppProjects. */
  PROJECTS = 'projects',
  /** Local accounts. */
  ACCOUNTS = 'accounts',
  /** Repository TLS certificates. */
  CERTIFICATES = 'certificates',
  /** GnuPG public keys. */
  GPGKEYS = 'gpgkeys',
  /** Pod logs of an application (only `get`). Objects like applications. */
  LOGS = 'logs',
  /** Web terminal into an application's pods (only `create`). Objects like applications. */
  EXEC = 'exec',
  /** UI/API extensions (only `invoke`). Objects are extension names. */
  EXTENSIONS = 'extensions',
}

/**
 * An action in an Argo CD RBAC policy: a verb (`get`, `sync`, ...), a resource action
 * (`action/<group>/<kind>/<name>`) or a verb on an application's managed resources
 * (`update/<group>/<kind>/<namespace>/<name>`, `delete/...`). The factories never throw: a
 * malformed segment is reported at synth by the construct whose policy uses the action.
 */
export class ArgoCdAction {
  /** Read. The only action for `logs`. */
  public static readonly GET = new ArgoCdAction('get');
  /** Create. The only action for `exec`. */
  public static readonly CREATE = new ArgoCdAction('create');
  /**
   * Update the object itself. Since v3 this no longer covers an application's managed
   * resources: use {@link ArgoCdAction.updateResources} for those.
   */
  public static readonly UPDATE = new ArgoCdAction('update');
  /**
   * Delete the object itself. Since v3 this no longer covers an application's managed
   * resources: use {@link ArgoCdAction.deleteResources} for those.
   */
  public static readonly DELETE = new ArgoCdAction('delete');
  /** Sync an application. */
  public static readonly SYNC = new ArgoCdAction('sync');
  /** Sync to a revision or with parameters other than the application's own. */
  public static readonly OVERRIDE = new ArgoCdAction('override');
  /** Invoke an extension. The only action for `extensions`. */
  public static readonly INVOKE = new ArgoCdAction('invoke');
  /** Every action (`*`). On an object matching everything this is an admin grant. */
  public static readonly ALL = new ArgoCdAction('*');

  /**
   * A resource action on an application's resources: `action/<group>/<kind>/<name>`
   * (e.g. `action/apps/Deployment/restart`). With every part `*`, this is `action/*`.
   * @param group API group (`''` for the core group, `*` for any)
   * @param kind resource kind or `*`
   * @param name action name
   * @default name '*'
   */
  public static action(group: string, kind: string, name: string = '*'): ArgoCdAction {
    return ArgoCdAction.path('action', [group, kind, name]);
  }

  /**
   * Update an application's managed resources: `update/<group>/<kind>/<namespace>/<name>`.
   * With every part `*` (the default), this is `update/*`.
   */
  public static updateResources(group: string = '*', kind: string = '*', namespace: string = '*', name: string = '*'): ArgoCdAction {
    return ArgoCdAction.path('update', [group, kind, namespace, name]);
  }

  /**
   * Delete an application's managed resources: `delete/<group>/<kind>/<namespace>/<name>`.
   * With every part `*` (the default), this is `delete/*`.
   */
  public static deleteResources(group: string = '*', kind: string = '*', namespace: string = '*', name: string = '*'): ArgoCdAction {
    return ArgoCdAction.path('delete', [group, kind, namespace, name]);
  }

  /** True when `x` is an `ArgoCdAction` (also from another copy of this library). */
  public static isArgoCdAction(x: unknown): x is ArgoCdAction {
    return hasBrand(x, 'ArgoCdAction');
  }

  private static path(verb: string, parts: string[]): ArgoCdAction {
    const action = new ArgoCdAction(parts.every((p) => p === '*') ? `${verb}/*` : [verb, ...parts].join('/'));
    for (const part of parts) {
      if (!ACTION_SEGMENT.test(part)) {
        recordFactoryProblem(action, verb, `${quoted(part)} is not a valid segment: use letters, digits, '.', '_', '-' or '*' (no '/', ',', quotes or spaces)`);
      }
    }
    return action;
  }

  private constructor(
    /** The action as written in `policy.csv`. */
    public readonly value: string,
  ) {
    brand(this, 'ArgoCdAction');
  }

  /** The action as written in `policy.csv`. */
  public toString(): string {
    return this.value;
  }
}

/** Whether a policy line grants or denies. */
export enum PolicyEffect {
  /** Grants the action. */
  ALLOW = 'allow',
  /** Denies the action, whatever any allow says (except `policy.default`'s role). */
  DENY = 'deny',
}

/** One `p` line of an Argo CD RBAC policy, without its subject. */
export interface ArgoCdPolicy {
  /** The resource. */
  readonly resource: ArgoCdResource;
  /** The action. */
  readonly action: ArgoCdAction;
  /**
   * The object: `<project>/<app>` (or `<project>/<namespace>/<app>`) for applications,
   * applicationsets, logs and exec; a name (or URL) for the others. Globs (`*`) are allowed.
   */
  readonly object: string;
  /**
   * Allow or deny.
   * @default PolicyEffect.ALLOW
   */
  readonly effect?: PolicyEffect;
}

/** How Argo CD matches actions and objects in policies. */
export enum RbacMatchMode {
  /** `*` matches any run of characters, including `/` (the upstream default). */
  GLOB = 'glob',
  /**
   * Regular expressions. Argo CD does not anchor them: this library writes resources and actions
   * anchored, and requires each object to start with `^` and end with `$`.
   */
  REGEX = 'regex',
}

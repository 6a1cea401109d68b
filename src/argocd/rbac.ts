import { IConstruct } from 'constructs';
import * as YAML from 'yaml';
import { invalid } from '../private/errors';

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

/** Resources whose objects are `<project>/<name>` or `<project>/<namespace>/<name>`. */
const PROJECT_SCOPED = new Set<string>([
  ArgoCdResource.APPLICATIONS, ArgoCdResource.APPLICATIONSETS, ArgoCdResource.LOGS, ArgoCdResource.EXEC,
]);

const RESOURCES = new Set<string>(Object.values(ArgoCdResource));

/** A policy token must not be able to break out of its CSV field. */
const UNSAFE_TOKEN = /[,"'#\r\n\t\\\u0000-\u001f\u007f]/;
/** A path segment inside an action (`action/<group>/<kind>/<name>`, `update/...`). */
const ACTION_SEGMENT = /^[A-Za-z0-9*._-]*$/;

/**
 * An action in an Argo CD RBAC policy: a verb (`get`, `sync`, ...), a resource action
 * (`action/<group>/<kind>/<name>`) or a verb on an application's managed resources
 * (`update/<group>/<kind>/<namespace>/<name>`, `delete/...`).
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

  private static path(verb: string, parts: string[]): ArgoCdAction {
    for (const part of parts) {
      if (!ACTION_SEGMENT.test(part)) {
        invalid('ArgoCdAction', verb, `'${part}' is not a valid segment: use letters, digits, '.', '_', '-' or '*' (no '/', ',', quotes or spaces)`);
      }
    }
    if (parts.every((p) => p === '*')) return new ArgoCdAction(`${verb}/*`);
    return new ArgoCdAction([verb, ...parts].join('/'));
  }

  private constructor(
    /** The action as written in `policy.csv`. */
    public readonly value: string,
  ) {}

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

/**
 * Checks for Argo CD RBAC policy parts. `SecureArgoCD` and the AppProject constructs use them;
 * they are public so that other code writing policies can apply the same rules.
 */
export class ArgoCdRbacValidation {
  /**
   * What is wrong with one policy token (a subject, group, role name or object), or
   * `undefined` when it is safe: a token must be non-empty, without leading or trailing
   * whitespace, and without commas, quotes, `#`, backslashes or control characters (newlines),
   * any of which could end the CSV field or line and inject a policy.
   */
  public static tokenProblem(value: string): string | undefined {
    if (typeof value !== 'string' || value.length === 0) return 'it is empty';
    if (value.trim() !== value) return `'${value}' has leading or trailing whitespace`;
    const bad = UNSAFE_TOKEN.exec(value);
    if (bad) {
      return `${JSON.stringify(value)} contains ${JSON.stringify(bad[0])}: commas, quotes, '#', backslashes and control characters (newlines) could inject policy lines`;
    }
    return undefined;
  }

  /**
   * What is wrong with a resource and action pair, or `undefined` when Argo CD accepts it:
   * `logs` takes only `get`, `exec` only `create`, `extensions` only `invoke` (`*` is accepted
   * for all three), `invoke` only applies to `extensions`, and `action/...`, `update/...` and
   * `delete/...` only to `applications`.
   */
  public static actionProblem(resource: ArgoCdResource, action: ArgoCdAction): string | undefined {
    if (!RESOURCES.has(resource)) {
      return `unknown resource '${resource}': use one of ${[...RESOURCES].join(', ')}`;
    }
    const value = action instanceof ArgoCdAction ? action.value : String((action as any)?.value ?? action);
    if (!isKnownAction(value)) {
      return `unknown action '${value}': use get, create, update, delete, sync, override, invoke, *, action/<group>/<kind>/<name>, update/<group>/<kind>/<namespace>/<name> or delete/<group>/<kind>/<namespace>/<name> (the ArgoCdAction factories)`;
    }
    const only: Record<string, string> = {
      [ArgoCdResource.LOGS]: 'get',
      [ArgoCdResource.EXEC]: 'create',
      [ArgoCdResource.EXTENSIONS]: 'invoke',
    };
    if (only[resource] && value !== only[resource] && value !== '*') {
      return `'${resource}' takes only the action '${only[resource]}', not '${value}'`;
    }
    if (value === 'invoke' && resource !== ArgoCdResource.EXTENSIONS) {
      return `'invoke' applies only to 'extensions', not '${resource}'`;
    }
    if (value.includes('/') && resource !== ArgoCdResource.APPLICATIONS) {
      return `'${value}' applies only to 'applications', not '${resource}'`;
    }
    return undefined;
  }

  /**
   * What is wrong with a whole policy (resource, action, object and effect), or `undefined`.
   * Objects of project-scoped resources must contain a `/` (`<project>/<app>`, `*\/*`).
   */
  public static policyProblem(policy: ArgoCdPolicy): string | undefined {
    const action = ArgoCdRbacValidation.actionProblem(policy.resource, policy.action);
    if (action) return action;
    const object = ArgoCdRbacValidation.tokenProblem(policy.object);
    if (object) return `object ${object}`;
    if (PROJECT_SCOPED.has(policy.resource) && !policy.object.includes('/')) {
      return `object '${policy.object}' of '${policy.resource}' must be '<project>/<name>' or '<project>/<namespace>/<name>' (e.g. '${policy.object}/*' or '*/*')`;
    }
    if (policy.effect !== undefined && policy.effect !== PolicyEffect.ALLOW && policy.effect !== PolicyEffect.DENY) {
      return `unknown effect '${policy.effect}': use PolicyEffect.ALLOW or PolicyEffect.DENY`;
    }
    return undefined;
  }

  /**
   * True when the policy grants an admin-like action (`*`, create, update, delete, override,
   * `update/...`, `delete/...`, or exec) on an object that matches any project or name (`*`,
   * `*\/*`, `**`, or in regex mode `^.*$`, `^.+/.*$`, ...).
   * @param policy the policy
   * @param matchMode how Argo CD matches the object
   * @default matchMode RbacMatchMode.GLOB
   */
  public static isGlobalAdminGrant(policy: ArgoCdPolicy, matchMode: RbacMatchMode = RbacMatchMode.GLOB): boolean {
    if ((policy.effect ?? PolicyEffect.ALLOW) !== PolicyEffect.ALLOW) return false;
    if (!objectMatchesAnything(policy.object, matchMode)) return false;
    const value = policy.action.value;
    if (policy.resource === ArgoCdResource.EXEC) return true;
    return ['*', 'create', 'update', 'delete', 'override'].includes(value)
      || value.startsWith('update/') || value.startsWith('delete/');
  }

  /**
   * Throws the library's standard error when the token is not safe in a policy line.
   * @param scope the construct to name in the error
   * @param property the property to name in the error
   * @param value the token
   */
  public static requireToken(scope: IConstruct, property: string, value: string): void {
    const problem = ArgoCdRbacValidation.tokenProblem(value);
    if (problem) invalid(scope, property, `${problem}: remove those characters`);
  }

  /** Throws the library's standard error when the policy is not valid. */
  public static requirePolicy(scope: IConstruct, property: string, policy: ArgoCdPolicy): void {
    const problem = ArgoCdRbacValidation.policyProblem(policy);
    if (problem) invalid(scope, property, problem);
  }

  private constructor() {}
}

/**
 * Objects no policy names on purpose: an object pattern matching one of them matches whatever
 * project, application or name comes along.
 */
const PROBE_OBJECTS = ['zz-probe-project/zz-probe-app', 'zz-probe-project/zz-probe-ns/zz-probe-app', 'zz-probe-name', 'https://zz-probe.example.com'];

function objectMatchesAnything(object: string, matchMode: RbacMatchMode): boolean {
  let pattern: RegExp;
  try {
    pattern = new RegExp(matchMode === RbacMatchMode.REGEX ? object : `^${globToRegexBody(object)}$`);
  } catch {
    return false;
  }
  return PROBE_OBJECTS.some((probe) => pattern.test(probe));
}

function isKnownAction(value: string): boolean {
  if (['get', 'create', 'update', 'delete', 'sync', 'override', 'invoke', '*'].includes(value)) return true;
  const [verb, ...parts] = value.split('/');
  if (!['action', 'update', 'delete'].includes(verb) || parts.length === 0) return false;
  if (parts.length === 1 && parts[0] === '*') return true;
  const expected = verb === 'action' ? 3 : 4;
  return parts.length === expected && parts.every((p) => ACTION_SEGMENT.test(p));
}

/** Options for a custom {@link ArgoCdRole}. */
export interface ArgoCdRoleOptions {
  /** The role's policies. */
  readonly policies: ArgoCdPolicy[];
  /**
   * Allow admin-like grants (create, update, delete, override or `*`) on objects that match
   * everything (`*`, `*\/*`). Without this, such a policy is refused: prefer
   * `ArgoCdRole.admin()` (the built-in role) or a project-scoped object.
   * @default false
   */
  readonly allowGlobalAdmin?: boolean;
}

/**
 * A role in `argocd-rbac-cm`: `role:<name>` with its policies. Presets follow the seed's roles
 * (admin, developer, readonly, project admin); groups are bound to roles with
 * {@link ArgoCdGroupMapping}.
 */
export class ArgoCdRole {
  /**
   * Argo CD's built-in `role:admin` (everything, including exec and resource updates). Its
   * policies ship with Argo CD and stay current with it; none are written.
   */
  public static admin(): ArgoCdRole {
    return new ArgoCdRole('admin', [], true, true);
  }

  /**
   * Argo CD's built-in `role:readonly` (`get` on every resource). Its policies ship with
   * Argo CD; none are written.
   */
  public static readonly(): ArgoCdRole {
    return new ArgoCdRole('readonly', [], true, false);
  }

  /**
   * A developer: read applications, projects and repositories, read logs, sync and run
   * resource actions (`action/*`) in every project. No create, update, delete, override or exec.
   * @param name the role name (`role:<name>`)
   * @default name 'developer'
   */
  public static developer(name: string = 'developer'): ArgoCdRole {
    const all = '*/*';
    return ArgoCdRole.custom(name, {
      policies: [
        { resource: ArgoCdResource.APPLICATIONS, action: ArgoCdAction.GET, object: all },
        { resource: ArgoCdResource.APPLICATIONS, action: ArgoCdAction.SYNC, object: all },
        { resource: ArgoCdResource.APPLICATIONS, action: ArgoCdAction.action('*', '*'), object: all },
        { resource: ArgoCdResource.LOGS, action: ArgoCdAction.GET, object: all },
        { resource: ArgoCdResource.REPOSITORIES, action: ArgoCdAction.GET, object: '*' },
        { resource: ArgoCdResource.PROJECTS, action: ArgoCdAction.GET, object: '*' },
      ],
    });
  }

  /**
   * Full control of the applications of one project (including their resources), its logs
   * and (when `exec.enabled`) exec into its pods, and read access to the project itself.
   * @param project the AppProject's name
   * @param name the role name
   * @default name '<project>-admin'
   */
  public static projectAdmin(project: string, name?: string): ArgoCdRole {
    const problem = ArgoCdRbacValidation.tokenProblem(project);
    if (problem || project.includes('*') || project.includes('/')) {
      invalid('ArgoCdRole', 'project', `${problem ?? `'${project}' is not a project name`}: use the AppProject's name`);
    }
    const objects = `${project}/*`;
    return ArgoCdRole.custom(name ?? `${project}-admin`, {
      policies: [
        { resource: ArgoCdResource.APPLICATIONS, action: ArgoCdAction.ALL, object: objects },
        { resource: ArgoCdResource.LOGS, action: ArgoCdAction.GET, object: objects },
        { resource: ArgoCdResource.EXEC, action: ArgoCdAction.CREATE, object: objects },
        { resource: ArgoCdResource.PROJECTS, action: ArgoCdAction.GET, object: project },
      ],
    });
  }

  /**
   * A role with your own policies.
   * @param name the role name, written as `role:<name>`
   */
  public static custom(name: string, options: ArgoCdRoleOptions): ArgoCdRole {
    return new ArgoCdRole(name, options.policies ?? [], false, options.allowGlobalAdmin ?? false);
  }

  /** The subject in policy lines: `role:<name>`. */
  public readonly subject: string;

  private constructor(
    /** The role name, without the `role:` prefix. */
    public readonly name: string,
    /** The role's policies (empty for the built-in roles). */
    public readonly policies: ArgoCdPolicy[],
    /** True for Argo CD's built-in `role:admin` and `role:readonly`. */
    public readonly builtIn: boolean,
    /** True when admin-like grants on everything are explicitly allowed. */
    public readonly allowsGlobalAdmin: boolean,
  ) {
    const problem = ArgoCdRbacValidation.tokenProblem(name);
    if (problem || name.startsWith('role:') || /[\s:*]/.test(name)) {
      invalid('ArgoCdRole', 'name', `${problem ?? `'${name}' is not a valid role name`}: use letters, digits, '-', '_' and '.', without the 'role:' prefix`);
    }
    if (!builtIn && (name === 'admin' || name === 'readonly')) {
      invalid('ArgoCdRole', 'name', `'${name}' is a built-in role: use ArgoCdRole.${name}() or another name`);
    }
    this.subject = `role:${name}`;
  }
}

/** Binds an identity provider group (or a user) to an Argo CD role: a `g` line. */
export interface ArgoCdGroupMapping {
  /**
   * The group as the identity provider sends it in a claim listed in `scopes` (e.g.
   * `admin-team`, `my-org:team-alpha`), or a user: with direct OIDC the `sub` claim, with Dex
   * `federated_claims.user_id` (Argo CD v3 takes the subject from there, not from `sub`).
   */
  readonly group: string;
  /** The role the group gets. */
  readonly role: ArgoCdRole;
}

/** The RBAC part of `SecureArgoCD`: roles, group mappings and how Argo CD evaluates them. */
export interface ArgoCdRbacOptions {
  /**
   * Roles to define. Roles referenced only by `groupMappings` or `defaultRole` are defined
   * automatically.
   * @default - none
   */
  readonly roles?: ArgoCdRole[];
  /**
   * Group-to-role bindings.
   * @default - none
   */
  readonly groupMappings?: ArgoCdGroupMapping[];
  /**
   * The role every authenticated user gets (`policy.default`). Upstream examples use
   * `role:readonly`; the default here denies everything not granted explicitly.
   * @default - none: deny
   */
  readonly defaultRole?: ArgoCdRole;
  /**
   * How actions and objects are matched (`policy.matchMode`).
   * @default RbacMatchMode.GLOB
   */
  readonly matchMode?: RbacMatchMode;
  /**
   * The token claims whose values are matched against `g` lines (`scopes`).
   * @default ['groups']
   */
  readonly scopes?: string[];
}

const SCOPE = /^[A-Za-z0-9_.:\/-]+$/;

/**
 * Renders and checks `argocd-rbac-cm` data. Throws the library's standard error naming
 * `scope` on any problem.
 * @internal
 */
export function renderArgoCdRbac(scope: IConstruct, options: ArgoCdRbacOptions): Record<string, string> {
  const matchMode = options.matchMode ?? RbacMatchMode.GLOB;
  if (matchMode !== RbacMatchMode.GLOB && matchMode !== RbacMatchMode.REGEX) {
    invalid(scope, 'rbac.matchMode', `unknown match mode '${matchMode}': use RbacMatchMode.GLOB or RbacMatchMode.REGEX`);
  }
  const roles = new Map<string, ArgoCdRole>();
  const addRole = (role: ArgoCdRole, property: string) => {
    if (!(role instanceof ArgoCdRole)) invalid(scope, property, 'not an ArgoCdRole: use the ArgoCdRole factories');
    const known = roles.get(role.name);
    if (known && known !== role && !(known.builtIn && role.builtIn)) {
      if (JSON.stringify(known.policies) !== JSON.stringify(role.policies)) {
        invalid(scope, property, `two different roles are named '${role.name}': give each role its own name`);
      }
    }
    if (!known) roles.set(role.name, role);
  };
  (options.roles ?? []).forEach((r, i) => addRole(r, `rbac.roles[${i}]`));
  (options.groupMappings ?? []).forEach((m, i) => addRole(m.role, `rbac.groupMappings[${i}].role`));
  if (options.defaultRole) {
    addRole(options.defaultRole, 'rbac.defaultRole');
    // policy.default applies to every user who can log in (and, with Dex, to anyone a connector admits).
    if (options.defaultRole.allowsGlobalAdmin) {
      invalid(scope, 'rbac.defaultRole', `'${options.defaultRole.subject}' grants admin-like actions on everything to every authenticated user: bind it to groups with groupMappings, and use ArgoCdRole.readonly() or a narrower role as defaultRole`);
    }
  }

  const lines: string[] = [];
  // Code-point order, not localeCompare: the output must not depend on the synth machine's locale.
  for (const role of [...roles.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    role.policies.forEach((policy, i) => {
      const property = `rbac role '${role.name}' policies[${i}]`;
      ArgoCdRbacValidation.requirePolicy(scope, property, policy);
      if (matchMode === RbacMatchMode.REGEX) requireAnchoredRegex(scope, `${property}.object`, policy.object);
      if (!role.allowsGlobalAdmin && ArgoCdRbacValidation.isGlobalAdminGrant(policy, matchMode)) {
        invalid(scope, property, `'${policy.resource}, ${policy.action.value}, ${policy.object}' is an admin-like grant on everything: scope the object to a project, bind ArgoCdRole.admin(), or set allowGlobalAdmin: true on the role`);
      }
      // Argo CD does not anchor regexes: unanchored, 'applications' would also match
      // 'applicationsets' and 'update' every 'update/...'. Typed parts are anchored here.
      const regex = matchMode === RbacMatchMode.REGEX;
      const resource = regex ? globToRegex(policy.resource) : policy.resource;
      const action = regex ? globToRegex(policy.action.value) : policy.action.value;
      lines.push(['p', role.subject, resource, action, policy.object, policy.effect ?? PolicyEffect.ALLOW].join(', '));
    });
  }
  const mappings = (options.groupMappings ?? []).map((m, i) => {
    ArgoCdRbacValidation.requireToken(scope, `rbac.groupMappings[${i}].group`, m.group);
    if (m.group.startsWith('role:') || m.group.startsWith('proj:')) {
      invalid(scope, `rbac.groupMappings[${i}].group`, `'${m.group}' is a role, not a group: map identity provider groups or users`);
    }
    return ['g', m.group, m.role.subject].join(', ');
  });
  lines.push(...[...new Set(mappings)].sort());

  const scopes = options.scopes ?? ['groups'];
  if (scopes.length === 0) invalid(scope, 'rbac.scopes', 'is empty: list at least one claim (e.g. groups)');
  scopes.forEach((s, i) => {
    if (!SCOPE.test(s)) invalid(scope, `rbac.scopes[${i}]`, `'${s}' is not a claim name: use letters, digits, '_', '.', ':', '/' and '-'`);
  });

  const data: Record<string, string> = {
    'policy.csv': lines.length > 0 ? `${lines.join('\n')}\n` : '',
    'policy.matchMode': matchMode,
    'scopes': YAML.stringify(scopes, { collectionStyle: 'flow', flowCollectionPadding: false }).trim(),
  };
  if (options.defaultRole) data['policy.default'] = options.defaultRole.subject;
  return data;
}

function requireAnchoredRegex(scope: IConstruct, property: string, value: string): void {
  let compiles = true;
  try {
    new RegExp(value);
  } catch {
    compiles = false;
  }
  if (!compiles || !value.startsWith('^') || !value.endsWith('$')) {
    invalid(scope, property, `'${value}' with policy.matchMode regex must be a regular expression anchored with '^' and '$' (Argo CD does not anchor it, so 'dev/.*' would also match 'notdev/app'): write e.g. '^dev/.*$'`);
  }
}

/** A typed glob (resource or action) as an anchored regular expression. */
function globToRegex(glob: string): string {
  return `^${glob.split('*').map(escapeRegex).join('.*')}$`;
}

/**
 * A policy object glob as the body of a regular expression, the way Argo CD matches it: `*`
 * matches any run (including `/`), `?` one character, `[...]` / `[!...]` a character class.
 */
function globToRegexBody(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    const close = c === '[' ? glob.indexOf(']', i + 2) : -1;
    if (c === '*') {
      out += '.*';
    } else if (c === '?') {
      out += '.';
    } else if (close > 0) {
      const body = glob.slice(i + 1, close);
      out += body.startsWith('!') ? `[^${body.slice(1).replace(/[\\\]^]/g, '\\$&')}]` : `[${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = close;
    } else {
      out += escapeRegex(c);
    }
  }
  return out;
}

function escapeRegex(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\*]/g, '\\$&');
}

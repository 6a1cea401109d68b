import { brand, hasBrand } from './private/brands';
import { ArgoCdAction, ArgoCdPolicy, ArgoCdResource, RbacMatchMode } from './rbac-policy';
import { ArgoCdRbacValidation } from './rbac-validation';
import { reasonProblem, recordFactoryRisk } from '../private/accepted-risks';
import { recordFactoryProblem } from '../private/errors';
import { quoted } from '../private/validate';
import type { Acknowledgement } from '../secrets/acknowledgement';

/** Options for a custom {@link ArgoCdRole}. */
export interface ArgoCdRoleOptions {
  /** The role's policies. */
  readonly policies: ArgoCdPolicy[];
  /**
   * Allow admin-like grants (create, update, delete, override or `*`) on objects that match
   * (nearly) everything (`*`, `*\/*`, `{*}/{*}`, `[!z]*\/*`), for the reason given. Without this, such a
   * policy is refused: prefer `ArgoCdRole.admin()` (the built-in role) or a project-scoped object.
   * The reason is recorded as an accepted risk on `argocd-rbac-cm`.
   * @default - admin-like grants on everything are refused
   */
  readonly allowGlobalAdmin?: Acknowledgement;
}

/**
 * A role in `argocd-rbac-cm`: `role:<name>` with its policies. Presets cover the usual roles
 * (admin, developer, readonly, project admin); groups are bound to roles with
 * {@link ArgoCdGroupMapping}. The factories never throw: a bad name is reported at synth by
 * the `SecureArgoCD` that uses the role.
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
   * and exec into its pods, and read access to the project itself. The `exec, create` line is
   * written only when `SecureArgoCD`'s `enableExec` is set (with a reason).
   * @param project the AppProject's name
   * @param name the role name
   * @default name '<project>-admin'
   */
  public static projectAdmin(project: string, name?: string): ArgoCdRole {
    const problem = ArgoCdRbacValidation.tokenProblem(project);
    const objects = `${project}/*`;
    const role = ArgoCdRole.custom(name ?? `${project}-admin`, {
      policies: [
        { resource: ArgoCdResource.APPLICATIONS, action: ArgoCdAction.ALL, object: objects },
        { resource: ArgoCdResource.LOGS, action: ArgoCdAction.GET, object: objects },
        { resource: ArgoCdResource.EXEC, action: ArgoCdAction.CREATE, object: objects },
        { resource: ArgoCdResource.PROJECTS, action: ArgoCdAction.GET, object: project },
      ],
    });
    if (problem || project.includes('*') || project.includes('/')) {
      recordFactoryProblem(role, 'project', `${problem ?? `${quoted(project)} is not a project name`}: use the AppProject's name`);
    }
    return role;
  }

  /**
   * A role with your own policies.
   * @param name the role name, written as `role:<name>`
   */
  public static custom(name: string, options: ArgoCdRoleOptions): ArgoCdRole {
    const ack = options.allowGlobalAdmin;
    const role = new ArgoCdRole(name, options.policies ?? [], false, ack !== undefined);
    if (ack !== undefined) {
      const problem = reasonProblem(ack?.reason, 'why this role needs admin-like grants on everything');
      if (problem) recordFactoryProblem(role, 'allowGlobalAdmin.reason', problem);
      else recordFactoryRisk(role, 'allowGlobalAdmin', ack.reason);
    }
    return role;
  }

  /** True when `x` is an `ArgoCdRole` (also from another copy of this library). */
  public static isArgoCdRole(x: unknown): x is ArgoCdRole {
    return hasBrand(x, 'ArgoCdRole');
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
    brand(this, 'ArgoCdRole');
    const problem = ArgoCdRbacValidation.tokenProblem(name);
    if (problem || name.startsWith('role:') || /[\s:*]/.test(name)) {
      recordFactoryProblem(this, 'name', `${problem ?? `${quoted(name)} is not a valid role name`}: use letters, digits, '-', '_' and '.', without the 'role:' prefix`);
    } else if (!builtIn && (name === 'admin' || name === 'readonly')) {
      recordFactoryProblem(this, 'name', `'${name}' is a built-in role: use ArgoCdRole.${name}() or another name`);
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
   * Allow a `defaultRole` that can do more than read (sync, run actions, create, update,
   * delete...): every user who can log in gets it, e.g. `ArgoCdRole.developer()` would let
   * anyone sync every application. Give the reason for the review.
   * @default - refused: the default role may only read
   */
  readonly allowWritableDefaultRole?: Acknowledgement;
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

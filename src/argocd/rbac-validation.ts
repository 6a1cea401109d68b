import { IConstruct } from 'constructs';
import { isKnownAction, objectMatchesEverything, PROJECT_SCOPED_RESOURCES, RBAC_RESOURCES, UNSAFE_TOKEN } from './private/rbac-rules';
import { ArgoCdAction, ArgoCdPolicy, ArgoCdResource, PolicyEffect, RbacMatchMode } from './rbac-policy';
import { factoryProblemsOf, invalid } from '../private/errors';
import { quoted } from '../private/validate';

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
    if (value.trim() !== value) return `${quoted(value)} has leading or trailing whitespace`;
    const bad = UNSAFE_TOKEN.exec(value);
    if (bad) {
      return `${quoted(value)} contains ${quoted(bad[0])}: commas, quotes, '#', backslashes and control characters (newlines) could inject policy lines`;
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
    if (!RBAC_RESOURCES.has(resource)) {
      return `unknown resource '${resource}': use one of ${[...RBAC_RESOURCES].join(', ')}`;
    }
    const value = ArgoCdAction.isArgoCdAction(action) ? action.value : String((action as any)?.value ?? action);
    const [made] = ArgoCdAction.isArgoCdAction(action) ? factoryProblemsOf(action) : [];
    if (made) return `action ${made.problem}`;
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
    if (object) return `object ${object}: remove those characters`;
    if (PROJECT_SCOPED_RESOURCES.has(policy.resource) && !policy.object.includes('/')) {
      return `object '${policy.object}' of '${policy.resource}' must be '<project>/<name>' or '<project>/<namespace>/<name>' (e.g. '${policy.object}/*' or '*/*')`;
    }
    if (policy.effect !== undefined && policy.effect !== PolicyEffect.ALLOW && policy.effect !== PolicyEffect.DENY) {
      return `unknown effect '${policy.effect}': use PolicyEffect.ALLOW or PolicyEffect.DENY`;
    }
    return undefined;
  }

  /**
   * True when the policy grants an admin-like action (`*`, create, update, delete, override,
   * `update/...`, `delete/...`, or exec) on an object that matches (nearly) every project or
   * name. The object is judged by what Argo CD's glob matching lets it match, not by how it is
   * spelled: `*`, `*\/*`, `**`, `{*}/{*}` and `[!z]*\/*` all count; in regex mode `^.*$`,
   * `^.+/.*$` and the like.
   * @param policy the policy
   * @param matchMode how Argo CD matches the object
   * @default matchMode RbacMatchMode.GLOB
   */
  public static isGlobalAdminGrant(policy: ArgoCdPolicy, matchMode: RbacMatchMode = RbacMatchMode.GLOB): boolean {
    if ((policy.effect ?? PolicyEffect.ALLOW) !== PolicyEffect.ALLOW) return false;
    if (!objectMatchesEverything(policy.object, matchMode === RbacMatchMode.REGEX)) return false;
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

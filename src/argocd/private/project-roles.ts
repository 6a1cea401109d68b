// AppProject roles: what Argo CD's `AppProject.ValidateProject` accepts, and how a role renders.
import { IConstruct } from 'constructs';
import * as l1 from '../../imports/argocd-argoproj.io';
import { deferredChecks, invalid } from '../../private/errors';
import { groupNameProblem, integerProblem, quoted, safeTextProblem } from '../../private/validate';
import type { ProjectRoleOptions } from '../project-options';
import { ArgoCdAction, ArgoCdPolicy, PolicyEffect } from '../rbac-policy';
import { ArgoCdRbacValidation } from '../rbac-validation';
import { groupCsvField } from './rbac-rules';

/** Project role resources Argo CD accepts. */
const ROLE_RESOURCES = new Set<string>(['applications', 'applicationsets', 'repositories', 'clusters', 'logs', 'exec']);
const ROLE_ACTIONS = new Set(['get', 'create', 'update', 'delete', 'sync', 'override', '*']);
const ROLE_NAME = /^[a-zA-Z0-9]([-_a-zA-Z0-9]*[a-zA-Z0-9])?$/;
/** What follows `<project>` in a project role's object: `/<app>` or `/<namespace>/<app>`. */
const PROJECT_OBJECT_PATH = /^(\/[*\w.-]+){1,2}$/;

/**
 * Checks a role of `project` whose policies must stay inside the project. Problems are reported
 * at synth with every other problem of the app.
 */
export function checkProjectRole(scope: IConstruct, where: string, role: ProjectRoleOptions, project: string, existing: string[]): void {
  const checks = deferredChecks(scope);
  checks.check(`${where}.name`, !ROLE_NAME.test(role.name ?? '')
    ? `${quoted(role.name)} is not a valid role name: use letters, digits, '-' and '_', starting and ending with a letter or digit`
    : existing.includes(role.name) ? `a role '${role.name}' already exists: give each role its own name` : undefined);
  if (role.description !== undefined) checks.check(`${where}.description`, safeTextProblem(role.description, { maxLength: 255 }));
  if (!role.policies || role.policies.length === 0) invalid(scope, `${where}.policies`, `role '${role.name}' has no policies: add at least one`);
  role.policies.forEach((p, i) => {
    const [part, problem] = rolePolicyProblem(p, project) ?? ['', undefined];
    checks.check(`${where}.policies[${i}]${part}`, problem);
  });
  (role.groups ?? []).forEach((g, i) => checks.check(`${where}.groups[${i}]`, roleGroupProblem(g)));
  (role.jwtTokens ?? []).forEach((t, i) => {
    const issued = integerProblem(t.issuedAt, 0);
    checks.check(`${where}.jwtTokens[${i}].issuedAt`, issued && `${issued} (a Unix time in seconds)`);
    if (t.expiresAt !== undefined) {
      const expires = integerProblem(t.expiresAt, 1);
      checks.check(`${where}.jwtTokens[${i}].expiresAt`, expires ? `${expires} (a Unix time in seconds)`
        : issued === undefined && t.expiresAt <= t.issuedAt ? `${t.expiresAt} is not after issuedAt (${t.issuedAt}): give a later Unix time in seconds` : undefined);
    }
    const id = t.id === undefined ? undefined : ArgoCdRbacValidation.tokenProblem(t.id);
    checks.check(`${where}.jwtTokens[${i}].id`, id ? `${id}: remove those characters` : undefined);
  });
}

/** What is wrong with an identity provider group bound to a project role, or undefined. */
export function roleGroupProblem(group: string): string | undefined {
  return groupNameProblem(group)
    ?? (group.startsWith('role:') || group.startsWith('proj:') ? `${quoted(group)} is a role, not a group: list identity provider groups` : undefined);
}

/** What is wrong with a project role's policy (resources and actions Argo CD accepts there, an object inside the project). */
function rolePolicyProblem(policy: ArgoCdPolicy, project: string): [part: string, problem: string] | undefined {
  if (!ROLE_RESOURCES.has(policy.resource)) {
    return ['.resource', `'${policy.resource}' is not allowed in a project role: use applications, applicationsets, repositories, clusters, logs or exec (grant other resources in argocd-rbac-cm)`];
  }
  const action = ArgoCdAction.isArgoCdAction(policy.action) ? policy.action.value : String(policy.action);
  if (!ROLE_ACTIONS.has(action) && !/^(action|update|delete)\//.test(action)) {
    return ['.action', `'${action}' is not allowed in a project role: use get, create, update, delete, sync, override, *, action/..., update/... or delete/...`];
  }
  const problem = ArgoCdRbacValidation.policyProblem(policy);
  if (problem) return ['', problem];
  if (!policy.object.startsWith(`${project}/`)) {
    const other = policy.object.split('/')[0];
    return ['.object', `${quoted(policy.object)} is outside project '${project}'${other && other !== project ? ` (it names ${quoted(other)})` : ''}: a project role reaches only '${project}/<app>' or '${project}/<namespace>/<app>'; grant other projects in their own roles`];
  }
  if (!PROJECT_OBJECT_PATH.test(policy.object.slice(project.length))) {
    // Argo CD's isValidObject: the app and namespace parts are [*\w.-]+.
    return ['.object', `${quoted(policy.object)} is not '${project}/<app>' or '${project}/<namespace>/<app>': use letters, digits, '_', '.', '-' and '*' in the app and namespace (e.g. '${project}/*')`];
  }
  return undefined;
}

/** The role as `spec.roles[]`: its policies as `p` lines with the subject `proj:<project>:<role>`. */
export function renderProjectRole(project: string, role: ProjectRoleOptions): l1.AppProjectSpecRoles {
  const subject = `proj:${project}:${role.name}`;
  return {
    name: role.name,
    description: role.description,
    policies: role.policies.map((p) => ['p', subject, p.resource, p.action.value, p.object, p.effect ?? PolicyEffect.ALLOW].join(', ')),
    groups: role.groups && role.groups.length > 0 ? role.groups.map(groupCsvField) : undefined,
    jwtTokens: role.jwtTokens?.map((t) => ({ iat: t.issuedAt, exp: t.expiresAt, id: t.id })),
  };
}

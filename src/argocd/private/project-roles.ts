// AppProject roles: what Argo CD's `AppProject.ValidateProject` accepts, and how a role renders.
import { IConstruct } from 'constructs';
import * as l1 from '../../imports/argocd-argoproj.io';
import { invalid } from '../../private/errors';
import type { ProjectRoleOptions } from '../project-options';
import { ArgoCdAction, ArgoCdPolicy, PolicyEffect } from '../rbac-policy';
import { ArgoCdRbacValidation } from '../rbac-validation';

/** Project role resources Argo CD accepts. */
const ROLE_RESOURCES = new Set<string>(['applications', 'applicationsets', 'repositories', 'clusters', 'logs', 'exec']);
const ROLE_ACTIONS = new Set(['get', 'create', 'update', 'delete', 'sync', 'override', '*']);
const ROLE_NAME = /^[a-zA-Z0-9]([-_a-zA-Z0-9]*[a-zA-Z0-9])?$/;
/** What follows `<project>` in a project role's object: `/<app>` or `/<namespace>/<app>`. */
const PROJECT_OBJECT_PATH = /^(\/[*\w.-]+){1,2}$/;

/** Checks a role of `project` whose policies must stay inside the project. */
export function checkProjectRole(scope: IConstruct, where: string, role: ProjectRoleOptions, project: string, existing: string[]): void {
  if (!ROLE_NAME.test(role.name ?? '')) {
    invalid(scope, `${where}.name`, `'${role.name}' is not a valid role name: use letters, digits, '-' and '_', starting and ending with a letter or digit`);
  }
  if (existing.includes(role.name)) invalid(scope, `${where}.name`, `a role '${role.name}' already exists: give each role its own name`);
  if (role.description !== undefined && /[\r\n]/.test(role.description)) invalid(scope, `${where}.description`, 'contains a line break: use one line');
  if (!role.policies || role.policies.length === 0) invalid(scope, `${where}.policies`, `role '${role.name}' has no policies: add at least one`);
  role.policies.forEach((p, i) => checkRolePolicy(scope, `${where}.policies[${i}]`, p, project));
  (role.groups ?? []).forEach((g, i) => {
    ArgoCdRbacValidation.requireToken(scope, `${where}.groups[${i}]`, g);
    if (g.startsWith('role:') || g.startsWith('proj:')) invalid(scope, `${where}.groups[${i}]`, `'${g}' is a role, not a group: list identity provider groups`);
  });
  (role.jwtTokens ?? []).forEach((t, i) => {
    if (!Number.isSafeInteger(t.issuedAt) || t.issuedAt < 0) invalid(scope, `${where}.jwtTokens[${i}].issuedAt`, `${t.issuedAt} is not a Unix time in seconds`);
    if (t.expiresAt !== undefined && (!Number.isSafeInteger(t.expiresAt) || t.expiresAt <= t.issuedAt)) {
      invalid(scope, `${where}.jwtTokens[${i}].expiresAt`, `${t.expiresAt} must be a Unix time in seconds after issuedAt`);
    }
    if (t.id !== undefined) ArgoCdRbacValidation.requireToken(scope, `${where}.jwtTokens[${i}].id`, t.id);
  });
}

function checkRolePolicy(scope: IConstruct, property: string, policy: ArgoCdPolicy, project: string): void {
  if (!ROLE_RESOURCES.has(policy.resource)) {
    invalid(scope, `${property}.resource`, `'${policy.resource}' is not allowed in a project role: use applications, applicationsets, repositories, clusters, logs or exec (grant other resources in argocd-rbac-cm)`);
  }
  const action = ArgoCdAction.isArgoCdAction(policy.action) ? policy.action.value : String(policy.action);
  if (!ROLE_ACTIONS.has(action) && !/^(action|update|delete)\//.test(action)) {
    invalid(scope, `${property}.action`, `'${action}' is not allowed in a project role: use get, create, update, delete, sync, override, *, action/..., update/... or delete/...`);
  }
  const problem = ArgoCdRbacValidation.policyProblem(policy);
  if (problem) invalid(scope, property, problem);
  const inProject = policy.object.startsWith(`${project}/`) && PROJECT_OBJECT_PATH.test(policy.object.slice(project.length));
  if (!inProject) {
    const other = policy.object.split('/')[0];
    invalid(scope, `${property}.object`, `'${policy.object}' is outside project '${project}'${other && other !== project ? ` (it names '${other}')` : ''}: a project role reaches only '${project}/<app>' or '${project}/<namespace>/<app>'; grant other projects in their own roles`);
  }
}

/** The role as `spec.roles[]`: its policies as `p` lines with the subject `proj:<project>:<role>`. */
export function renderProjectRole(project: string, role: ProjectRoleOptions): l1.AppProjectSpecRoles {
  const subject = `proj:${project}:${role.name}`;
  return {
    name: role.name,
    description: role.description,
    policies: role.policies.map((p) => ['p', subject, p.resource, p.action.value, p.object, p.effect ?? PolicyEffect.ALLOW].join(', ')),
    groups: role.groups && role.groups.length > 0 ? [...role.groups] : undefined,
    jwtTokens: role.jwtTokens?.map((t) => ({ iat: t.issuedAt, exp: t.expiresAt, id: t.id })),
  };
}

// Kubernetes RBAC, least privilege: no wildcards, no cluster-wide Secret reads, no grants that
// lead to more grants, nothing for anonymous users.
import { PolicyLevel } from '../policy-rule';
import { list, Obj, strings } from '../private/kube';
import { rule, RuleDefinition, violation } from '../private/rule';

const PACK = 'rbac';
const ROLE_KINDS = new Set(['Role', 'ClusterRole']);
const BINDING_KINDS = new Set(['RoleBinding', 'ClusterRoleBinding']);
const READ = ['get', 'list', 'watch', '*'];
/** Built-in ClusterRoles that read Secrets (view does not). */
const BUILTIN_SECRET_READERS = new Set(['cluster-admin', 'admin', 'edit']);

function roleRules(m: Obj): { r: Obj; i: number }[] {
  return ROLE_KINDS.has(m.kind) ? list(m.rules).map((r, i) => ({ r, i })) : [];
}

function grants(r: Obj, verbs: string[], resources: string[], group = ''): boolean {
  const groups = strings(r.apiGroups);
  return (groups.includes(group) || groups.includes('*'))
    && strings(r.resources).some((x) => x === '*' || resources.includes(x))
    && strings(r.verbs).some((v) => v === '*' || verbs.includes(v));
}

export const RBAC_WILDCARD = rule(PACK, {
  id: 'RBAC-WILDCARD',
  title: 'Roles list their API groups, resources and verbs: no *',
  why: 'A wildcard grants today\'s and every future resource and verb, including Secrets, escalate and impersonate.',
  fix: 'Name the API groups, resources and verbs the subject needs.',
  check: (m) => roleRules(m).flatMap(({ r, i }) => ['apiGroups', 'resources', 'verbs']
    .filter((f) => strings(r[f]).includes('*'))
    .map((f) => violation(`rules[${i}].${f}`, `'*' grants every ${f === 'apiGroups' ? 'API group' : f === 'resources' ? 'resource' : 'verb'}`))),
});

export const RBAC_ESCALATION = rule(PACK, {
  id: 'RBAC-ESCALATION',
  title: 'No escalate, bind or impersonate, and no token requests for other accounts',
  why: 'These verbs let a subject grant itself more than it has, act as another user, or mint tokens of other service accounts.',
  fix: 'Remove escalate, bind and impersonate, and create on serviceaccounts/token; let an administrator bind roles.',
  check: (m) => roleRules(m).flatMap(({ r, i }) => {
    const verbs = strings(r.verbs).filter((v) => ['escalate', 'bind', 'impersonate'].includes(v));
    const out = verbs.map((v) => violation(`rules[${i}].verbs`, `grants ${v} on ${strings(r.resources).join(', ') || 'nothing'}`));
    if (grants(r, ['create'], ['serviceaccounts/token'])) out.push(violation(`rules[${i}]`, 'grants create on serviceaccounts/token'));
    return out;
  }),
});

export const RBAC_POD_EXEC = rule(PACK, {
  id: 'RBAC-POD-EXEC',
  level: PolicyLevel.WARNING,
  title: 'No exec, attach or port-forward into pods',
  why: 'A shell in a pod gives its service account token, its mounted Secrets and its network position.',
  fix: 'Remove pods/exec, pods/attach and pods/portforward, or keep them to a break-glass role.',
  check: (m) => roleRules(m).filter(({ r }) => grants(r, ['create', 'get'], ['pods/exec', 'pods/attach', 'pods/portforward']))
    .map(({ i }) => violation(`rules[${i}]`, 'grants exec, attach or port-forward into pods')),
});

/** The ClusterRole a binding refers to, if it is among the objects. */
function boundClusterRole(m: Obj, objects: readonly Obj[]): Obj | undefined {
  if (m.roleRef?.kind !== 'ClusterRole') return undefined;
  return objects.find((o) => o.kind === 'ClusterRole' && o.metadata?.name === m.roleRef.name);
}

export const RBAC_CLUSTER_SECRETS = rule(PACK, {
  id: 'RBAC-CLUSTER-SECRETS',
  title: 'Nobody reads Secrets cluster-wide',
  why: 'Reading Secrets in every namespace is reading every credential of the cluster, including service account tokens of admins.',
  fix: 'Grant Secret reads with a Role and RoleBinding in the one namespace that needs them, limited by resourceNames where possible.',
  check: (m, { objects }) => {
    if (m.kind !== 'ClusterRoleBinding') return [];
    const name = m.roleRef?.name;
    if (m.roleRef?.kind === 'ClusterRole' && BUILTIN_SECRET_READERS.has(name)) {
      return [violation('roleRef', `binds the built-in ClusterRole ${name}, which reads Secrets in every namespace`)];
    }
    const role = boundClusterRole(m, objects);
    if (!role) return [];
    return list(role.rules).some((r) => grants(r, READ, ['secrets']))
      ? [violation('roleRef', `binds ClusterRole ${name}, which reads Secrets, in every namespace`)] : [];
  },
});

export const RBAC_CLUSTER_ADMIN = rule(PACK, {
  id: 'RBAC-CLUSTER-ADMIN',
  title: 'Nothing is bound to cluster-admin',
  why: 'cluster-admin is every permission on every object; a leaked credential of its subject is the whole cluster.',
  fix: 'Bind a role with the permissions the subject needs; for Argo CD, limit the application controller per destination namespace.',
  check: (m) => (BINDING_KINDS.has(m.kind) && m.roleRef?.kind === 'ClusterRole' && m.roleRef?.name === 'cluster-admin'
    ? [violation('roleRef.name', 'binds cluster-admin')] : []),
});

export const RBAC_ANONYMOUS = rule(PACK, {
  id: 'RBAC-ANONYMOUS',
  title: 'No grants to anonymous or to every authenticated user',
  why: 'system:anonymous and system:unauthenticated are anyone who reaches the API server; system:authenticated is any account of any kind.',
  fix: 'Bind named users, groups or service accounts.',
  check: (m) => (BINDING_KINDS.has(m.kind) ? list(m.subjects).map((s, i) => ({ s, i }))
    .filter(({ s }) => ['system:anonymous', 'system:unauthenticated', 'system:authenticated'].includes(s.name))
    .map(({ s, i }) => violation(`subjects[${i}]`, `grants to ${s.name}`)) : []),
});

export const RBAC_DEFAULT_SERVICE_ACCOUNT = rule(PACK, {
  id: 'RBAC-DEFAULT-SERVICE-ACCOUNT',
  level: PolicyLevel.WARNING,
  title: 'No grants to a namespace\'s default service account',
  why: 'Every pod that names no service account runs as default, so a grant to it reaches pods nobody meant to give it.',
  fix: 'Create a service account for the workload and bind that.',
  check: (m) => (BINDING_KINDS.has(m.kind) ? list(m.subjects).map((s, i) => ({ s, i }))
    .filter(({ s }) => s.kind === 'ServiceAccount' && s.name === 'default')
    .map(({ i }) => violation(`subjects[${i}]`, 'grants to the default service account')) : []),
});

export const RBAC_RULES: RuleDefinition[] = [
  RBAC_WILDCARD, RBAC_ESCALATION, RBAC_POD_EXEC, RBAC_CLUSTER_SECRETS, RBAC_CLUSTER_ADMIN, RBAC_ANONYMOUS, RBAC_DEFAULT_SERVICE_ACCOUNT,
];

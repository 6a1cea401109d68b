import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { AuditLevel, AuditPolicy, AuditRule, AuditStage } from '../../src/operations';

// The fields of audit.k8s.io/v1 (k8s.io/apiserver/pkg/apis/audit/v1/types.go).
const POLICY_FIELDS = ['apiVersion', 'kind', 'metadata', 'rules', 'omitStages', 'omitManagedFields'];
const RULE_FIELDS = ['level', 'users', 'userGroups', 'verbs', 'resources', 'namespaces', 'nonResourceURLs', 'omitStages', 'omitManagedFields'];
const GROUP_RESOURCES_FIELDS = ['group', 'resources', 'resourceNames'];
const LEVELS = ['None', 'Metadata', 'Request', 'RequestResponse'];
const STAGES = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'];

function structureProblems(policy: any): string[] {
  const problems: string[] = [];
  const strings = (v: unknown, at: string) => {
    if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) problems.push(`${at}: expected a list of strings`);
  };
  const keys = (o: any, allowed: string[], at: string) => Object.keys(o).filter((k) => !allowed.includes(k)).forEach((k) => problems.push(`${at}.${k}: unknown field`));
  keys(policy, POLICY_FIELDS, 'Policy');
  if (policy.apiVersion !== 'audit.k8s.io/v1' || policy.kind !== 'Policy') problems.push('Policy: wrong apiVersion or kind');
  (policy.omitStages ?? []).forEach((s: string) => STAGES.includes(s) || problems.push(`omitStages: ${s}`));
  policy.rules.forEach((rule: any, i: number) => {
    const at = `rules[${i}]`;
    keys(rule, RULE_FIELDS, at);
    if (!LEVELS.includes(rule.level)) problems.push(`${at}.level: ${rule.level}`);
    for (const f of ['users', 'userGroups', 'verbs', 'namespaces', 'nonResourceURLs', 'omitStages']) if (f in rule) strings(rule[f], `${at}.${f}`);
    if (rule.nonResourceURLs && (rule.resources || rule.namespaces)) problems.push(`${at}: nonResourceURLs with resources`);
    (rule.resources ?? []).forEach((r: any, j: number) => {
      keys(r, GROUP_RESOURCES_FIELDS, `${at}.resources[${j}]`);
      if (typeof r.group !== 'string') problems.push(`${at}.resources[${j}].group: expected a string`);
    });
  });
  return problems;
}

interface Request {
  user: string;
  groups?: string[];
  verb: string;
  group?: string;
  resource?: string;
  namespace?: string;
  name?: string;
  path?: string;
}

/** The API server's rule matching (k8s.io/apiserver/pkg/audit/policy/checker.go): the first match wins. */
function levelOf(policy: any, req: Request): string {
  const rule = policy.rules.find((r: any) => {
    if (r.users && !r.users.includes(req.user)) return false;
    if (r.userGroups && !r.userGroups.some((g: string) => (req.groups ?? []).includes(g))) return false;
    if (r.verbs && !r.verbs.includes('*') && !r.verbs.includes(req.verb)) return false;
    if (req.path !== undefined) {
      if (r.resources || r.namespaces) return false;
      return !r.nonResourceURLs || r.nonResourceURLs.some((u: string) => u === '*' || u === req.path || (u.endsWith('*') && req.path!.startsWith(u.slice(0, -1))));
    }
    if (r.nonResourceURLs) return false;
    if (r.namespaces && !r.namespaces.includes(req.namespace ?? '')) return false;
    if (!r.resources) return true;
    const [res, sub] = req.resource!.split('/');
    return r.resources.some((g: any) => {
      if (g.group !== (req.group ?? '')) return false;
      if (!g.resources) return true;
      const hit = g.resources.some((p: string) => p === '*' || p === req.resource || (sub && (p === `*/${sub}` || p === `${res}/*`)));
      return hit && (!g.resourceNames || g.resourceNames.includes(req.name ?? ''));
    });
  });
  return rule ? rule.level : 'None';
}

describe('AuditPolicy', () => {
  const policy = new AuditPolicy().toJson();

  test('emits a well-formed audit.k8s.io/v1 Policy', () => {
    expect(structureProblems(policy)).toEqual([]);
    expect(policy.omitStages).toEqual(['RequestReceived']);
    expect(policy.omitManagedFields).toBe(true);
    expect(policy.rules[policy.rules.length - 1]).toEqual({ level: 'Metadata' });
  });

  test.each<[string, Request, string]>([
    ['kube-proxy watching endpoints', { user: 'system:kube-proxy', verb: 'watch', resource: 'endpoints', namespace: 'default' }, 'None'],
    ['kubeadm kube-proxy watching endpointslices', { user: 'system:serviceaccount:kube-system:kube-proxy', verb: 'watch', group: 'discovery.k8s.io', resource: 'endpointslices' }, 'None'],
    ['a node reading its node', { user: 'system:node:n1', groups: ['system:nodes'], verb: 'get', resource: 'nodes', name: 'n1' }, 'None'],
    ['health checks', { user: 'system:anonymous', verb: 'get', path: '/readyz' }, 'None'],
    ['a kubelet renewing its node lease', { user: 'system:node:n1', groups: ['system:nodes'], verb: 'update', group: 'coordination.k8s.io', resource: 'leases', namespace: 'kube-node-lease', name: 'n1' }, 'None'],
    ['the scheduler renewing its leader lease', { user: 'system:kube-scheduler', verb: 'update', group: 'coordination.k8s.io', resource: 'leases', namespace: 'kube-system', name: 'kube-scheduler' }, 'None'],
    ['a node writing a lease elsewhere', { user: 'system:node:n1', groups: ['system:nodes'], verb: 'update', group: 'coordination.k8s.io', resource: 'leases', namespace: 'team-a' }, 'Metadata'],
    ['a user deleting a node lease', { user: 'alice', verb: 'delete', group: 'coordination.k8s.io', resource: 'leases', namespace: 'kube-node-lease' }, 'Metadata'],
    ['kube-proxy reading a secret', { user: 'system:kube-proxy', verb: 'get', resource: 'secrets', namespace: 'default' }, 'Metadata'],
    ['an admin patching a secret', { user: 'alice', verb: 'patch', resource: 'secrets', namespace: 'argocd', name: 'argocd-secret' }, 'Metadata'],
    ['an admin editing argocd-cm', { user: 'alice', verb: 'update', resource: 'configmaps', namespace: 'argocd', name: 'argocd-cm' }, 'Metadata'],
    ['a token request', { user: 'kubelet', verb: 'create', resource: 'serviceaccounts/token', namespace: 'argo' }, 'Metadata'],
    ['a token review', { user: 'argo-server', verb: 'create', group: 'authentication.k8s.io', resource: 'tokenreviews' }, 'Metadata'],
    ['a user creating a Workflow', { user: 'alice', verb: 'create', group: 'argoproj.io', resource: 'workflows', namespace: 'team-a' }, 'RequestResponse'],
    ['a user deleting an AppProject', { user: 'alice', verb: 'delete', group: 'argoproj.io', resource: 'appprojects', namespace: 'argocd' }, 'RequestResponse'],
    ['argocd-server updating an Application for a user', { user: 'system:serviceaccount:argocd:argocd-server', verb: 'update', group: 'argoproj.io', resource: 'applications', namespace: 'argocd' }, 'RequestResponse'],
    ['the application controller updating status', { user: 'system:serviceaccount:argocd:argocd-application-controller', verb: 'patch', group: 'argoproj.io', resource: 'applications', namespace: 'argocd' }, 'Metadata'],
    ['the workflow controller updating a Workflow', { user: 'system:serviceaccount:argo:argo', verb: 'update', group: 'argoproj.io', resource: 'workflows', namespace: 'team-a' }, 'Metadata'],
    ['an executor writing task results', { user: 'system:serviceaccount:team-a:wf', verb: 'create', group: 'argoproj.io', resource: 'workflowtaskresults', namespace: 'team-a' }, 'Metadata'],
    ['reading Workflows', { user: 'alice', verb: 'list', group: 'argoproj.io', resource: 'workflows', namespace: 'team-a' }, 'Metadata'],
    ['creating a ClusterRoleBinding', { user: 'alice', verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings' }, 'RequestResponse'],
    ['listing ClusterRoles', { user: 'system:kube-controller-manager', verb: 'list', group: 'rbac.authorization.k8s.io', resource: 'clusterroles' }, 'Metadata'],
    ['anything else', { user: 'bob', verb: 'delete', resource: 'pods', namespace: 'team-a' }, 'Metadata'],
    ['other non-resource requests', { user: 'bob', verb: 'get', path: '/apis' }, 'Metadata'],
  ])('%s is recorded at the right level', (_, request, level) => {
    expect(levelOf(policy, request)).toBe(level);
  });

  test('additional rules come after the credential rules and before the Argo, RBAC and catch-all rules', () => {
    const custom = new AuditPolicy({
      additionalRules: [{ level: AuditLevel.NONE, users: ['system:serviceaccount:ci:bot'], verbs: ['create'], resources: [{ group: 'argoproj.io', resources: ['workflows'] }] }],
    });
    custom.addRule({ level: AuditLevel.REQUEST, resources: [{ group: 'apps', resources: ['deployments'] }], verbs: ['patch'], namespaces: ['prod'], omitStages: [AuditStage.RESPONSE_STARTED] });
    const json = custom.toJson();
    expect(structureProblems(json)).toEqual([]);
    expect(json.rules.slice(6, 8)).toEqual([
      { level: 'None', users: ['system:serviceaccount:ci:bot'], verbs: ['create'], resources: [{ group: 'argoproj.io', resources: ['workflows'] }] },
      { level: 'Request', verbs: ['patch'], resources: [{ group: 'apps', resources: ['deployments'] }], namespaces: ['prod'], omitStages: ['ResponseStarted'] },
    ]);
    expect(levelOf(json, { user: 'system:serviceaccount:ci:bot', verb: 'create', group: 'argoproj.io', resource: 'workflows', namespace: 'ci' })).toBe('None');
    expect(levelOf(json, { user: 'alice', verb: 'create', group: 'argoproj.io', resource: 'workflows', namespace: 'ci' })).toBe('RequestResponse');
    expect(levelOf(json, { user: 'alice', verb: 'patch', group: 'apps', resource: 'deployments', namespace: 'prod' })).toBe('Request');
    // A rule below the credential rule cannot reach secrets.
    const wide = new AuditPolicy({ additionalRules: [{ level: AuditLevel.REQUEST_RESPONSE, resources: [{ group: '', resources: ['*'] }] }] }).toJson();
    expect(levelOf(wide, { user: 'alice', verb: 'update', resource: 'secrets', namespace: 'x' })).toBe('Metadata');
    expect(levelOf(wide, { user: 'alice', verb: 'update', resource: 'pods', namespace: 'x' })).toBe('RequestResponse');
  });

  test('uses the given Argo namespaces for the controllers', () => {
    const json = new AuditPolicy({ argoCdNamespace: 'gitops', argoWorkflowsNamespace: 'workflows' }).toJson();
    expect(levelOf(json, { user: 'system:serviceaccount:gitops:argocd-application-controller', verb: 'patch', group: 'argoproj.io', resource: 'applications', namespace: 'gitops' })).toBe('Metadata');
    expect(levelOf(json, { user: 'system:serviceaccount:argocd:argocd-application-controller', verb: 'patch', group: 'argoproj.io', resource: 'applications', namespace: 'gitops' })).toBe('RequestResponse');
  });

  test('writes YAML to its own file, with a header explaining the order', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-'));
    try {
      const file = new AuditPolicy().writeTo(path.join(dir, 'dist'));
      expect(file).toBe(path.join(dir, 'dist', 'audit-policy.yaml'));
      const text = fs.readFileSync(file, 'utf8');
      expect(text).toMatch(/^# Kubernetes API server audit policy/);
      expect(text).toContain('first rule that matches');
      expect(YAML.parse(text)).toEqual(new AuditPolicy().toJson());
      expect(text).toMatchSnapshot();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test.each<[AuditRule, RegExp]>([
    [{ level: AuditLevel.REQUEST_RESPONSE, resources: [{ group: '', resources: ['secrets'] }] }, /additionalRules\[0\]\.resources\[0\]\.resources: secrets would be recorded with bodies/],
    [{ level: AuditLevel.REQUEST, resources: [{ group: '', resources: ['configmaps'], resourceNames: ['argocd-cm'] }] }, /configmaps would be recorded with bodies/],
    [{ level: AuditLevel.METADATA, nonResourceURLs: ['/metrics'], namespaces: ['x'] }, /nonResourceURLs: cannot be combined with resources or namespaces/],
    [{ level: AuditLevel.NONE, nonResourceURLs: ['/he*lth'] }, /nonResourceURLs: '\/he\*lth' must start with '\/' and may end with '\*'/],
    [{ level: AuditLevel.NONE, verbs: ['GET'] }, /verbs: 'GET' is not a verb/],
    [{ level: AuditLevel.NONE, users: [] }, /users: is empty/],
    [{ level: AuditLevel.NONE, userGroups: ['system: nodes'] }, /additionalRules\[0\]\.userGroups: group name 'system: nodes' contains whitespace/],
    [{ level: AuditLevel.NONE, resources: [{ group: 'apps', resourceNames: ['x'] }] }, /resourceNames: needs resources/],
    [{ level: AuditLevel.NONE, resources: [{ group: 'Apps' }] }, /resources\[0\]\.group: 'Apps' is not an API group/],
    [{ level: 'Everything' as AuditLevel }, /level: 'Everything' is not an audit level/],
  ])('refuses bad rule %#', (rule, message) => {
    expect(() => new AuditPolicy({ additionalRules: [rule] })).toThrow(message);
  });

  test('values YAML 1.1 would misread are quoted (kube-apiserver reads the file as YAML 1.1)', () => {
    const text = new AuditPolicy({ additionalRules: [{ level: AuditLevel.METADATA, namespaces: ['on', 'no'] }] }).toYaml();
    expect(text).toContain('- "on"');
    expect(YAML.parse(text, { version: '1.1' }).rules.some((r: any) => r.namespaces?.includes('no'))).toBe(true);
  });

  test('refuses a file name with a path', () => {
    expect(() => new AuditPolicy().writeTo(os.tmpdir(), '../x.yaml')).toThrow(/fileName: '..\/x.yaml' must be a plain file name/);
  });
});

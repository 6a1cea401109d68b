import { Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { ACCEPTED_RISKS_ANNOTATION } from '../../src/private/accepted-risks';
import { SecretKeyRef } from '../../src/secrets/secret-key-ref';
import { OidcSso } from '../../src/sso/oidc-sso';
import {
  HardenedWorkflowNamespace, HardenedWorkflowNamespaceProps, SecureArgoWorkflows, WorkflowControllerScope,
  WorkflowEgress, WorkflowPodSecurity, WorkflowsAccessRole, WorkflowsSsoRoleMapping,
} from '../../src/workflows';
import { expectRestricted } from '../support/pod-security';
import { findObject, Manifest, synth, testChart } from '../support/synth';
import { expectValid } from '../support/validate';

const WORKFLOW_PODS = { matchExpressions: [{ key: 'workflows.argoproj.io/workflow', operator: 'Exists' }] };
const KUBERNETES_API = { kubernetesApiCidr: '172.20.0.1/32', kubernetesApiPort: 6443 };
const VIEWERS = { role: WorkflowsAccessRole.VIEWER, groups: ['auditors'] };
const ADMINS = { role: WorkflowsAccessRole.ADMIN, groups: ['platform'] };

/** An install (cluster-scoped unless told) whose SSO maps `roles` (auditors view, platform administers). */
function ssoInstall(
  chart = testChart(), controllerScope = WorkflowControllerScope.CLUSTER, roles: WorkflowsSsoRoleMapping[] = [VIEWERS, ADMINS],
): SecureArgoWorkflows {
  return new SecureArgoWorkflows(chart, 'Workflows', {
    controllerScope,
    networkPolicies: { ...KUBERNETES_API, identityProviderEgress: [WorkflowEgress.toCidr('203.0.113.0/24', [443])] },
    sso: {
      provider: OidcSso.oidc({ issuer: 'https://idp.example.com', clientId: 'wf', clientSecret: SecretKeyRef.fromExistingSecret('sso', 'secret') }),
      clientIdRef: SecretKeyRef.fromExistingSecret('sso', 'id'),
      serverUrl: 'https://workflows.example.com',
      roles,
    },
  });
}

/** One namespace `ci` in a fresh cluster-scoped install, with its manifests. */
function build(props: Partial<HardenedWorkflowNamespaceProps> = {}, customize?: (ns: HardenedWorkflowNamespace) => void): Manifest[] {
  const chart = testChart();
  const workflows = props.workflows ?? new SecureArgoWorkflows(chart, 'Workflows', { controllerScope: WorkflowControllerScope.CLUSTER, networkPolicies: KUBERNETES_API });
  const ns = new HardenedWorkflowNamespace(chart, 'Ci', { name: 'ci', ...KUBERNETES_API, ...props, workflows });
  customize?.(ns);
  return synth(chart).filter((m) => m.metadata.namespace === 'ci' || (m.kind === 'Namespace' && m.metadata.name === 'ci'));
}

/** The problems the synth of `build(props)` reports, one per line (none when it synthesizes). */
function buildErrors(props: Partial<HardenedWorkflowNamespaceProps>): string[] {
  try {
    build(props);
  } catch (e) {
    return (e as Error).message.split('\n').slice(1).map((l) => l.trim()).filter((l) => l.length > 0);
  }
  return [];
}

function role(manifests: Manifest[], name: string): Manifest {
  return findObject(manifests, 'Role', name);
}

describe('HardenedWorkflowNamespace', () => {
  const manifests = build();

  test('is valid and enforces the restricted Pod Security Standard', () => {
    expectValid(manifests);
    expectRestricted(manifests);
    expect(findObject(manifests, 'Namespace', 'ci').metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'v1.28',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
    });
  });

  test('BASELINE is an explicit opt-in with a reason, recorded on the Namespace; it still audits and warns on restricted', () => {
    const namespace = findObject(build({ podSecurity: WorkflowPodSecurity.BASELINE, baselineReason: 'the vendor build image runs as root' }), 'Namespace', 'ci');
    const labels = namespace.metadata.labels;
    expect(labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
    expect(labels['pod-security.kubernetes.io/warn']).toBe('restricted');
    expect(labels['pod-security.kubernetes.io/audit']).toBe('restricted');
    expect(namespace.metadata.annotations[ACCEPTED_RISKS_ANNOTATION]).toBe('baselineReason: the vendor build image runs as root');
    // restricted carries no accepted risk
    expect(findObject(manifests, 'Namespace', 'ci').metadata.annotations?.[ACCEPTED_RISKS_ANNOTATION]).toBeUndefined();
  });

  test.each([
    ['missing', undefined, /\[test\/Ci\] .*baselineReason: is required with WorkflowPodSecurity\.BASELINE: say why these workflows cannot run restricted \(or enforce RESTRICTED\)/],
    ['blank', '  ', /\[test\/Ci\] .*baselineReason: .*say in one line why these workflows cannot run restricted/],
    ['multi-line', 'root\npod-security.kubernetes.io/enforce: privileged', /\[test\/Ci\] .*baselineReason: .*say in one line why these workflows cannot run restricted/],
    ['too long', 'x'.repeat(256), /\[test\/Ci\] .*baselineReason: .*say in one line why these workflows cannot run restricted/],
  ])('BASELINE with a %s reason is refused with the path, the property and the fix', (_, baselineReason, error) => {
    expect(() => build({ podSecurity: WorkflowPodSecurity.BASELINE, baselineReason })).toThrow(error);
  });

  test('a reason without BASELINE, or a level that does not exist, is refused', () => {
    expect(() => build({ baselineReason: 'vendor image runs as root' })).toThrow(/\[test\/Ci\] .*baselineReason: is set, but podSecurity is RESTRICTED: remove it/);
    expect(() => build({ podSecurity: 'privileged' as WorkflowPodSecurity, baselineReason: 'x' }))
      .toThrow(/'test\/Ci': podSecurity: 'privileged' is not a level: use WorkflowPodSecurity\.RESTRICTED or BASELINE/);
  });

  test('ResourceQuota and LimitRange defaults, overridable', () => {
    expect(findObject(manifests, 'ResourceQuota').spec.hard).toEqual({
      'limits.cpu': '8',
      'limits.memory': '16Gi',
      'persistentvolumeclaims': 10,
      'pods': 100,
      'requests.cpu': '4',
      'requests.memory': '8Gi',
      'requests.storage': '100Gi',
    });
    expect(findObject(manifests, 'LimitRange').spec.limits).toEqual([{
      type: 'Container', default: { cpu: '500m', memory: '512Mi' }, defaultRequest: { cpu: '100m', memory: '128Mi' },
    }]);
    const custom = build({
      quota: { pods: 20, cpuLimits: '2' },
      defaultContainerResources: {
        cpuRequest: Cpu.millis(50),
        cpuLimit: Cpu.millis(200),
        memoryRequest: Size.mebibytes(64),
        memoryLimit: Size.mebibytes(128),
      },
    });
    expect(findObject(custom, 'ResourceQuota').spec.hard).toMatchObject({ 'pods': 20, 'limits.cpu': '2', 'requests.cpu': '4' });
    expect(findObject(custom, 'LimitRange').spec.limits[0].default).toEqual({ cpu: '200m', memory: '128Mi' });
  });

  test('the default service account mounts no token and has no Role', () => {
    expect(findObject(manifests, 'ServiceAccount', 'default').automountServiceAccountToken).toBe(false);
    expect(manifests.filter((m) => m.kind === 'RoleBinding' && m.subjects.some((s: any) => s.name === 'default'))).toEqual([]);
  });

  test('executor account: workflowtaskresults create/patch only, and its token Secret', () => {
    expect(findObject(manifests, 'ServiceAccount', 'workflow-executor').automountServiceAccountToken).toBe(false);
    expect(role(manifests, 'workflow-sa-workflow-executor').rules).toEqual([
      { apiGroups: ['argoproj.io'], resources: ['workflowtaskresults'], verbs: ['create', 'patch'] },
    ]);
    expect(findObject(manifests, 'RoleBinding', 'workflow-sa-workflow-executor').subjects).toEqual([
      { kind: 'ServiceAccount', name: 'workflow-executor', namespace: 'ci' },
    ]);
    const token = findObject(manifests, 'Secret', 'workflow-executor.service-account-token');
    expect(token.type).toBe('kubernetes.io/service-account-token');
    expect(token.metadata.annotations['kubernetes.io/service-account.name']).toBe('workflow-executor');
    expect(token.data).toBeUndefined();
  });

  test('the controller gets its namespace Role, without reading Secrets beyond the agent CA', () => {
    const controller = role(manifests, 'argo-workflow-controller');
    const secretRules = controller.rules.filter((r: any) => r.resources.includes('secrets'));
    expect(secretRules).toEqual([{ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['argo-workflows-agent-ca-certificates'] }]);
    expect(findObject(manifests, 'RoleBinding', 'argo-workflow-controller').subjects).toEqual([{ kind: 'ServiceAccount', name: 'argo', namespace: 'argo' }]);
  });

  test('minimal, builder and custom service accounts', () => {
    const m = build({}, (ns) => {
      expect(ns.addMinimalServiceAccount()).toBe('workflow-minimal');
      expect(ns.addBuilderServiceAccount({ secretNames: ['git-credentials', 'docker-credentials'] })).toBe('workflow-builder');
      ns.addServiceAccount('deployer', { rules: [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'patch'], resourceNames: ['web'] }] });
    });
    expectValid(m);
    expect(role(m, 'workflow-sa-workflow-minimal').rules).toEqual([
      { apiGroups: ['argoproj.io'], resources: ['workflowtaskresults'], verbs: ['create', 'patch'] },
    ]);
    const builder = role(m, 'workflow-sa-workflow-builder').rules;
    expect(builder).toContainEqual({ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['docker-credentials', 'git-credentials'] });
    expect(builder).toContainEqual({ apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: ['create', 'delete', 'get'] });
    expect(builder).toContainEqual({ apiGroups: [''], resources: ['configmaps'], verbs: ['create', 'get', 'update'] });
    expect(JSON.stringify(builder)).not.toContain('pods/exec');
    expect(role(m, 'workflow-sa-deployer').rules).toContainEqual({ apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'patch'], resourceNames: ['web'] });
    for (const r of m.filter((o) => o.kind === 'Role')) {
      for (const rule of r.rules) expect([...rule.verbs, ...rule.resources, ...rule.apiGroups]).not.toContain('*');
    }
  });

  test('wildcards need an explicit opt-in', () => {
    const wildcard = { rules: [{ apiGroups: ['batch'], resources: ['jobs'], verbs: ['*'] }] };
    expect(() => build({}, (ns) => ns.addServiceAccount('jobs', wildcard))).toThrow(/rules\[0\]\.verbs: contains '\*'/);
    const m = build({}, (ns) => ns.addServiceAccount('jobs', { ...wildcard, allowWildcards: true }));
    expect(role(m, 'workflow-sa-jobs').rules).toContainEqual({ apiGroups: ['batch'], resources: ['jobs'], verbs: ['*'] });
  });

  test('reading every Secret is refused; an empty builder secret list too', () => {
    expect(() => build({}, (ns) => ns.addServiceAccount('reader', { rules: [{ resources: ['secrets'], verbs: ['get'] }] })))
      .toThrow(/rules\[0\]\.resourceNames: the rule reaches every Secret/);
    expect(() => build({}, (ns) => ns.addServiceAccount('reader', { rules: [{ resources: ['secrets'], verbs: ['get'] }], allowWildcards: true })))
      .toThrow(/rules\[0\]\.resourceNames: the rule reaches every Secret/);
    expect(() => build({}, (ns) => ns.addBuilderServiceAccount({ secretNames: [] }))).toThrow(/secretNames: is empty/);
  });

  test('names kept for the default and SSO RBAC accounts', () => {
    expect(() => build({}, (ns) => ns.addMinimalServiceAccount('default'))).toThrow(/serviceAccount: 'default' is kept/);
    expect(() => build({}, (ns) => ns.addMinimalServiceAccount('argo-sso-admin'))).toThrow(/serviceAccount: 'argo-sso-admin': the prefix 'argo-sso-' is kept/);
  });

  test("another account's token Secret is never readable", () => {
    expect(() => build({}, (ns) => ns.addBuilderServiceAccount({ secretNames: ['registry', 'workflow-executor.service-account-token'] })))
      .toThrow(/secretNames: 'workflow-executor\.service-account-token' is a service account token/);
    expect(() => build({}, (ns) => ns.addServiceAccount('reader', {
      rules: [{ resources: ['secrets'], verbs: ['get'], resourceNames: ['argo-sso-admin.service-account-token'] }],
    }))).toThrow(/rules\[0\]\.resourceNames: 'argo-sso-admin\.service-account-token' is a service account token/);
  });

  test('people access: Roles for viewers, submitters and admins; viewers are read-only', () => {
    const viewer = role(manifests, 'argo-workflows-viewer');
    for (const rule of viewer.rules) {
      for (const verb of rule.verbs) expect(['get', 'list', 'watch']).toContain(verb);
    }
    const submitter = role(manifests, 'argo-workflows-submitter');
    // create, and stop/terminate/retry (which update the Workflow; retry deletes the reset nodes' pods
    // with the caller's token); nothing else is written
    const writes = submitter.rules.filter((r: any) => r.verbs.some((v: string) => !['get', 'list', 'watch'].includes(v)));
    expect(writes).toEqual([
      { apiGroups: ['argoproj.io'], resources: ['workflows'], verbs: ['create', 'patch', 'update'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['delete'] },
    ]);
    // submitters never write templates, cron workflows or event bindings: those decide what runs
    expect(JSON.stringify(writes)).not.toMatch(/workflowtemplates|cronworkflows|workfloweventbindings/);
    expect(role(manifests, 'argo-workflows-admin').rules).toContainEqual({ apiGroups: [''], resources: ['pods'], verbs: ['delete'] });
    for (const r of ['viewer', 'submitter', 'admin']) {
      expect(JSON.stringify(role(manifests, `argo-workflows-${r}`).rules)).not.toContain('secrets');
    }
    // no groups, no SSO: Roles exist to bind, but nobody is bound
    expect(manifests.filter((m) => m.kind === 'RoleBinding' && m.metadata.name!.startsWith('argo-workflows-'))).toEqual([]);
  });

  test('people access follows the SSO RBAC mapping: the same groups and the SSO service accounts', () => {
    const chart = testChart();
    const workflows = ssoInstall(chart);
    new HardenedWorkflowNamespace(chart, 'Ci', { workflows, name: 'ci', ...KUBERNETES_API });
    new HardenedWorkflowNamespace(chart, 'Batch', { workflows, name: 'batch', ...KUBERNETES_API, access: { viewers: ['batch-readers'] } });
    const m = synth(chart);
    expectValid(m);
    const binding = (ns: string, name: string) => m.find((o) => o.kind === 'RoleBinding' && o.metadata.namespace === ns && o.metadata.name === name)!;
    expect(binding('ci', 'argo-workflows-viewer').subjects).toEqual([
      { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'auditors' },
      { kind: 'ServiceAccount', name: 'argo-sso-viewer', namespace: 'argo' },
    ]);
    expect(binding('ci', 'argo-workflows-admin').subjects).toEqual([
      { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'platform' },
      { kind: 'ServiceAccount', name: 'argo-sso-admin', namespace: 'argo' },
    ]);
    expect(binding('ci', 'argo-workflows-submitter')).toBeUndefined();
    expect(binding('batch', 'argo-workflows-viewer').subjects).toEqual([
      { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'batch-readers' },
      { kind: 'ServiceAccount', name: 'argo-sso-viewer', namespace: 'argo' },
    ]);
  });

  test('ssoAccess (cluster scope): only the admitted SSO accounts, and only their groups by default, are bound', () => {
    const chart = testChart();
    const workflows = ssoInstall(chart);
    const ops = new HardenedWorkflowNamespace(chart, 'Ops', { workflows, name: 'ops', ...KUBERNETES_API, ssoAccess: [WorkflowsAccessRole.ADMIN] });
    new HardenedWorkflowNamespace(chart, 'Audit', { workflows, name: 'audit', ...KUBERNETES_API, ssoAccess: [WorkflowsAccessRole.ADMIN], access: { viewers: ['auditors'] } });
    new HardenedWorkflowNamespace(chart, 'Closed', { workflows, name: 'closed', ...KUBERNETES_API, ssoAccess: [] });
    const ci = new HardenedWorkflowNamespace(chart, 'Ci', { workflows, name: 'ci', ...KUBERNETES_API });
    const m = synth(chart);
    expectValid(m);
    const binding = (ns: string, name: string) => m.find((o) => o.kind === 'RoleBinding' && o.metadata.namespace === ns && o.metadata.name === name);
    expect(ops.ssoAccess).toEqual([WorkflowsAccessRole.ADMIN]);
    expect(ci.ssoAccess).toEqual([WorkflowsAccessRole.VIEWER, WorkflowsAccessRole.ADMIN]);
    expect(binding('ops', 'argo-workflows-admin')!.subjects).toEqual([
      { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'platform' },
      { kind: 'ServiceAccount', name: 'argo-sso-admin', namespace: 'argo' },
    ]);
    // VIEWER is not admitted: neither its SSO account nor, by default, its groups
    expect(binding('ops', 'argo-workflows-viewer')).toBeUndefined();
    // explicit groups still bind, without the SSO account
    expect(binding('audit', 'argo-workflows-viewer')!.subjects).toEqual([{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'auditors' }]);
    expect(m.filter((o) => o.kind === 'RoleBinding' && o.metadata.namespace === 'closed' && o.metadata.name!.startsWith('argo-workflows-'))).toEqual([]);
    // the default admits every mapped role
    expect(binding('ci', 'argo-workflows-viewer')!.subjects).toContainEqual({ kind: 'ServiceAccount', name: 'argo-sso-viewer', namespace: 'argo' });
    expect(binding('ci', 'argo-workflows-admin')!.subjects).toContainEqual({ kind: 'ServiceAccount', name: 'argo-sso-admin', namespace: 'argo' });
    // the accounts themselves stay in the install namespace, shared by the namespaces that admit them
    expect(m.filter((o) => o.kind === 'ServiceAccount' && o.metadata.name!.startsWith('argo-sso-')).map((o) => o.metadata.namespace)).toEqual(['argo', 'argo']);
  });

  test('ssoAccess (namespace scope): a role left out gets no account, so argo-server denies its users', () => {
    const chart = testChart();
    const workflows = ssoInstall(chart, WorkflowControllerScope.NAMESPACED, [
      VIEWERS,
      { role: WorkflowsAccessRole.SUBMITTER, groups: ['developers'] },
      ADMINS,
    ]);
    new HardenedWorkflowNamespace(chart, 'Ops', { workflows, name: 'ops', ...KUBERNETES_API, ssoAccess: [WorkflowsAccessRole.VIEWER, WorkflowsAccessRole.ADMIN] });
    const m = synth(chart);
    expectValid(m);
    expect(m.filter((o) => o.metadata.name!.startsWith('argo-sso-')).map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`).sort()).toEqual([
      'Secret ops/argo-sso-admin.service-account-token',
      'Secret ops/argo-sso-viewer.service-account-token',
      'ServiceAccount ops/argo-sso-admin',
      'ServiceAccount ops/argo-sso-viewer',
    ]);
    const serverRole = m.find((o) => o.kind === 'Role' && o.metadata.name === 'argo-server' && o.metadata.namespace === 'ops')!;
    expect(serverRole.rules).toContainEqual({
      apiGroups: [''],
      resources: ['secrets'],
      verbs: ['get'],
      resourceNames: ['argo-sso-admin.service-account-token', 'argo-sso-viewer.service-account-token'],
    });
    const binding = (name: string) => m.find((o) => o.kind === 'RoleBinding' && o.metadata.namespace === 'ops' && o.metadata.name === name);
    expect(binding('argo-workflows-submitter')).toBeUndefined();
    expect(binding('argo-workflows-admin')!.subjects).toContainEqual({ kind: 'ServiceAccount', name: 'argo-sso-admin', namespace: 'ops' });
  });

  test('network policies: default deny, DNS over UDP and TCP, the API server; workflow pods selected with Exists', () => {
    const deny = findObject(manifests, 'NetworkPolicy', 'default-deny-all');
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const dns = findObject(manifests, 'NetworkPolicy', 'workflow-pods-dns');
    expect(dns.spec.podSelector).toEqual(WORKFLOW_PODS);
    expect(dns.spec.egress).toEqual([{
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
      ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
    }]);
    const api = findObject(manifests, 'NetworkPolicy', 'workflow-pods-kubernetes-api');
    expect(api.spec.egress).toEqual([{ to: [{ ipBlock: { cidr: '172.20.0.1/32' } }], ports: [{ protocol: 'TCP', port: 6443 }] }]);
    for (const policy of manifests.filter((m) => m.kind === 'NetworkPolicy' && m.metadata.name !== 'default-deny-all')) {
      expect(policy.spec.podSelector).toEqual(WORKFLOW_PODS);
      expect(JSON.stringify(policy.spec.podSelector)).not.toContain('""');
    }
    expect(manifests.filter((m) => m.kind === 'NetworkPolicy').map((m) => m.metadata.name))
      .toEqual(['default-deny-all', 'workflow-pods-dns', 'workflow-pods-kubernetes-api']);
  });

  test('artifact repository, declared egress and pod-to-pod only when asked', () => {
    const m = build({
      kubernetesApiCidr: '192.168.10.4/32', // a managed control plane's endpoint on 443
      kubernetesApiPort: 443,
      artifactRepository: WorkflowEgress.toNamespace('minio', [9000]),
      egress: [WorkflowEgress.toCidr('10.20.0.0/16', [443, 5432]), WorkflowEgress.toNamespace('registry'), WorkflowEgress.toCidr('fd00::/8', [443])],
      allowPodToPod: { reason: 'daemon steps serve the test database' },
    });
    expectValid(m);
    expect(findObject(m, 'NetworkPolicy', 'workflow-pods-kubernetes-api').spec.egress[0].ports).toEqual([{ protocol: 'TCP', port: 443 }]);
    expect(findObject(m, 'NetworkPolicy', 'workflow-pods-artifact-repository').spec.egress).toEqual([{
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'minio' } } }],
      ports: [{ protocol: 'TCP', port: 9000 }],
    }]);
    expect(findObject(m, 'NetworkPolicy', 'workflow-pods-egress').spec.egress).toEqual([
      { to: [{ ipBlock: { cidr: '10.20.0.0/16' } }], ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 5432 }] },
      { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'registry' } } }] },
      // Workflow pods run user code: AWS's IPv6 metadata address inside fd00::/8 stays closed.
      { to: [{ ipBlock: { cidr: 'fd00::/8', except: ['fd00:ec2::254/128'] } }], ports: [{ protocol: 'TCP', port: 443 }] },
    ]);
    expect(findObject(m, 'NetworkPolicy', 'workflow-pods-pod-to-pod').spec).toEqual({
      podSelector: WORKFLOW_PODS,
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: WORKFLOW_PODS }] }],
      egress: [{ to: [{ podSelector: WORKFLOW_PODS }] }],
    });
    expect(findObject(m, 'NetworkPolicy', 'workflow-pods-pod-to-pod').metadata.annotations[ACCEPTED_RISKS_ANNOTATION])
      .toBe('allowPodToPod: daemon steps serve the test database');
  });

  describe('agent and artifact GC roles', () => {
    const AGENT_RESOURCES = ['workflowtasksets/status', 'workflowartifactgctasks/status'];

    test('are off by default: no account may report agent or artifact GC results', () => {
      const rules = manifests.filter((m) => m.kind === 'Role').flatMap((m) => m.rules as Array<{ resources: string[] }>);
      expect(rules.flatMap((r) => r.resources).filter((r) => AGENT_RESOURCES.includes(r))).toEqual([]);
      expect(manifests.filter((m) => ['workflow-agent', 'workflow-artifact-gc'].includes(m.metadata.name ?? ''))).toEqual([]);
    });

    test('when allowed, exactly the agent and GC verbs, bound to the executor account and its token Secret', () => {
      const m = build({ allowAgent: { reason: 'HTTP steps call the ticket API' }, allowArtifactGc: { reason: 'build outputs expire' } });
      expectValid(m);
      expect(role(m, 'workflow-agent').rules).toEqual([
        { apiGroups: ['argoproj.io'], resources: ['workflowtasksets'], verbs: ['list', 'watch'] },
        { apiGroups: ['argoproj.io'], resources: ['workflowtasksets/status'], verbs: ['patch'] },
      ]);
      expect(role(m, 'workflow-artifact-gc').rules).toEqual([
        { apiGroups: ['argoproj.io'], resources: ['workflowartifactgctasks'], verbs: ['list', 'watch'] },
        { apiGroups: ['argoproj.io'], resources: ['workflowartifactgctasks/status'], verbs: ['patch'] },
      ]);
      for (const name of ['workflow-agent', 'workflow-artifact-gc']) {
        const binding = findObject(m, 'RoleBinding', name);
        expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name });
        expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'workflow-executor', namespace: 'ci' }]);
        // the account exists here, with the token Secret the agent pod mounts
        findObject(m, 'ServiceAccount', binding.subjects[0].name);
        expect(findObject(m, 'Secret', 'workflow-executor.service-account-token').metadata.annotations)
          .toMatchObject({ 'kubernetes.io/service-account.name': 'workflow-executor' });
      }
      // nothing else changed: only these two Roles carry the verbs
      const holders = m.filter((o) => o.kind === 'Role' && JSON.stringify(o.rules).match(/workflowtasksets\/status|workflowartifactgctasks\/status/));
      expect(holders.map((o) => o.metadata.name).sort()).toEqual(['workflow-agent', 'workflow-artifact-gc']);
    });

    test('each is independent', () => {
      const agentOnly = build({ allowAgent: { reason: 'HTTP steps call the ticket API' } });
      role(agentOnly, 'workflow-agent');
      expect(agentOnly.filter((o) => o.metadata.name === 'workflow-artifact-gc')).toEqual([]);
      const gcOnly = build({ allowArtifactGc: { reason: 'build outputs expire' } });
      role(gcOnly, 'workflow-artifact-gc');
      expect(gcOnly.filter((o) => o.metadata.name === 'workflow-agent')).toEqual([]);
    });

    test('each reason is recorded on the Role it adds, and nowhere else', () => {
      const m = build({ allowAgent: { reason: 'HTTP steps call the ticket API' }, allowArtifactGc: { reason: 'build outputs expire: see ADR-4' } });
      expect(role(m, 'workflow-agent').metadata.annotations[ACCEPTED_RISKS_ANNOTATION]).toBe('allowAgent: HTTP steps call the ticket API');
      expect(role(m, 'workflow-artifact-gc').metadata.annotations[ACCEPTED_RISKS_ANNOTATION]).toBe('allowArtifactGc: build outputs expire: see ADR-4');
      const carriers = m.filter((o) => o.metadata.annotations?.[ACCEPTED_RISKS_ANNOTATION] !== undefined);
      expect(carriers.map((o) => `${o.kind} ${o.metadata.name}`).sort()).toEqual(['Role workflow-agent', 'Role workflow-artifact-gc']);
    });

    test.each([
      ['no reason', {}],
      ['a boolean (the old form, from JavaScript)', true],
      ['a blank reason', { reason: '  ' }],
      ['a multi-line reason', { reason: 'HTTP steps\ninjected: line' }],
      ['a reason with U+2028', { reason: 'HTTP steps\u2028injected: line' }],
      ['a reason of 256 characters', { reason: 'x'.repeat(256) }],
    ])('%s is refused for both, in one synth, with the fix', (_, ack) => {
      const errors = buildErrors({ allowAgent: ack as any, allowArtifactGc: ack as any });
      expect(errors).toEqual([
        expect.stringMatching(/^\[test\/Ci\] HardenedWorkflowNamespace 'test\/Ci': allowAgent\.reason: .*: say in one line why workflows here run HTTP or plugin steps$/),
        expect.stringMatching(/^\[test\/Ci\] HardenedWorkflowNamespace 'test\/Ci': allowArtifactGc\.reason: .*: say in one line why workflows here delete their artifacts$/),
      ]);
    });
  });

  test('snapshot', () => {
    expect(build({}, (ns) => ns.addBuilderServiceAccount({ secretNames: ['registry'] }))).toMatchSnapshot();
  });
});

describe('HardenedWorkflowNamespace errors at synth', () => {
  test("the controller's own namespace", () => {
    expect(() => build({ name: 'argo' })).toThrow(/name: 'argo' is the controller's install namespace/);
  });

  test('a CIDR that does not parse', () => {
    for (const cidr of ['10.0.0.0', '10.0.0.0/33', '300.1.1.1/8', 'example.com/24', '10.0.0.0/8; rm -rf', 'fd00::/129']) {
      expect(() => build({ kubernetesApiCidr: cidr })).toThrow(/kubernetesApiCidr: .* is not a CIDR/);
    }
    // the factory records the problem; the namespace that uses the destination reports it with its path
    expect(() => WorkflowEgress.toCidr('10.0.0.0/40', [443])).not.toThrow();
    expect(() => build({ egress: [WorkflowEgress.toCidr('10.0.0.0/8', [443]), WorkflowEgress.toCidr('10.0.0.0/40', [443])] }))
      .toThrow(/\[test\/Ci\] HardenedWorkflowNamespace 'test\/Ci': egress\[1\]\.cidr: '10\.0\.0\.0\/40' is not a CIDR/);
  });

  test('egress of workflow pods never reaches loopback, link-local or metadata addresses', () => {
    expect(() => build({ egress: [WorkflowEgress.toCidr('169.254.169.254/32', [80])] }))
      .toThrow(/egress\[0\]\.cidr: '169\.254\.169\.254\/32' is inside 169\.254\.0\.0\/16 \(loopback, link-local or a cloud metadata address/);
    const m = build({ egress: [WorkflowEgress.toCidr('128.0.0.0/1', [80, 443])] });
    expect(findObject(m, 'NetworkPolicy', 'workflow-pods-egress').spec.egress[0].to)
      .toEqual([{ ipBlock: { cidr: '128.0.0.0/1', except: ['169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16'] } }]);
  });

  test('a quota that is not a Kubernetes quantity', () => {
    expect(() => build({ quota: { memoryLimits: '16 GB' } })).toThrow(/quota\.memoryLimits: '16 GB' is not a Kubernetes quantity/);
    expect(() => build({ quota: { pods: -1 } })).toThrow(/quota\.pods: -1 is not a whole number from 0 to \d+: give one in that range/);
  });

  test('a port that does not parse', () => {
    for (const port of [0, 65536, 1.5, -1]) {
      expect(() => build({ kubernetesApiPort: port })).toThrow(/kubernetesApiPort: .* is not a port number/);
      expect(() => build({ artifactRepository: WorkflowEgress.toNamespace('minio', [port]) })).toThrow(/artifactRepository\.ports: .* is not a port number/);
    }
    expect(() => build({ egress: [WorkflowEgress.toCidr('10.0.0.0/8', [])] })).toThrow(/egress\[0\]\.ports: no ports/);
    expect(() => build({ egress: [WorkflowEgress.toNamespace('Minio')] })).toThrow(/egress\[0\]\.namespace: 'Minio' is not a DNS-1123 label/);
  });

  test('one synth lists every format problem of the namespace', () => {
    let message = '';
    try {
      build({ kubernetesApiCidr: '10.0.0.0', kubernetesApiPort: 0, dnsNamespace: 'Kube_System', quota: { memoryLimits: 'lots' } });
    } catch (e) {
      message = (e as Error).message;
    }
    for (const problem of [/kubernetesApiCidr: '10\.0\.0\.0' is not a CIDR/, /kubernetesApiPort: 0/, /dnsNamespace: 'Kube_System'/, /quota\.memoryLimits: 'lots'/]) {
      expect(message).toMatch(problem);
    }
  });

  test('ssoAccess naming a role the install does not map', () => {
    expect(() => build({ workflows: ssoInstall(), ssoAccess: [WorkflowsAccessRole.SUBMITTER] }))
      .toThrow(/ssoAccess: role 'submitter' is not mapped by the install's sso\.roles \(mapped: viewer, admin\)/);
    expect(() => build({ ssoAccess: [WorkflowsAccessRole.ADMIN] })).toThrow(/ssoAccess: role 'admin' is not mapped .*\(mapped: none\)/);
  });

  test('a namespace registered twice, an unsafe group name', () => {
    const chart = testChart();
    const workflows = new SecureArgoWorkflows(chart, 'Workflows', { controllerScope: WorkflowControllerScope.CLUSTER, networkPolicies: KUBERNETES_API });
    new HardenedWorkflowNamespace(chart, 'A', { workflows, name: 'ci', kubernetesApiCidr: '10.0.0.1/32', kubernetesApiPort: 6443 });
    new HardenedWorkflowNamespace(chart, 'B', { workflows, name: 'ci', kubernetesApiCidr: '10.0.0.1/32', kubernetesApiPort: 6443 });
    expect(() => synth(chart)).toThrow(/namespaces: HardenedWorkflowNamespaces 'test\/A' and 'test\/B' both create namespace 'ci'/);
    expect(() => build({ access: { admins: ["ops' team"] } })).toThrow(/access\.admins: group name .* would break out of the quoting/);
  });
});

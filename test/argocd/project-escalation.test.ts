// Escalation paths in a project need an opt-in with a reason, judged by what the patterns match.
import { Chart, Testing } from 'cdk8s';
import { ProjectWithRoles, ProjectWithRolesProps, ResourceKind, SecureArgoCD, SecureArgoWorkflows } from '../../src';
import { IN_CLUSTER_SERVER } from '../../src/argocd/private/names';
import { goPathMatch } from '../../src/private/glob';
import { synthErrors } from '../support/errors';
import { findObject } from '../support/synth';

function errorsOf(props: Partial<ProjectWithRolesProps>, withArgoCd?: string): string[] {
  const app = Testing.app();
  const chart = new Chart(app, 'c');
  new ProjectWithRoles(chart, 'P', { name: 'team-a', sourceRepos: ['https://github.com/myorg/*'], destinations: [{ server: IN_CLUSTER_SERVER, namespace: 'team-a' }], ...props });
  if (withArgoCd) new SecureArgoCD(chart, 'ArgoCd', { namespace: withArgoCd, allowNoInteractiveLogin: { reason: 'API tokens only' }, disableNetworkPolicies: { reason: 'policies managed elsewhere' } });
  return synthErrors(app).filter((e) => e.includes("ProjectWithRoles 'c/P'"));
}

describe('project escalation opt-ins', () => {
  test.each([
    ['cluster', ResourceKind.CLUSTER_ROLE_BINDING, /ClusterRoleBinding/],
    ['cluster', ResourceKind.CLUSTER_ROLE.named('team-a-*'), /admits ClusterRole:/], // a name glob does not help
    ['cluster', ResourceKind.allKindsIn('rbac.authorization.k8s.io'), /ClusterRole, ClusterRoleBinding, Role, RoleBinding/],
    ['cluster', ResourceKind.of('rbac.*', 'Cluster*'), /ClusterRole, ClusterRoleBinding/],
    ['cluster', ResourceKind.of('*', '[A-Z]*Binding'), /ClusterRoleBinding, RoleBinding/],
    ['namespace', ResourceKind.of('rbac.authorization.k8s.io', 'Role?inding'), /RoleBinding/],
    ['namespace', ResourceKind.of('*', '*'), /Role, RoleBinding/],
  ])('RBAC kinds in the %s whitelist are refused without a reason: %s', (list, kind, message) => {
    const property = list === 'cluster' ? 'clusterResourceWhitelist' : 'namespaceResourceWhitelist';
    const errors = errorsOf({
      [property]: [kind], allowAllClusterResources: { reason: 'platform project' }, allowArgoCdResources: { reason: 'not under test' }, allowClusterControlResources: { reason: 'not under test' },
    });
    expect(errors).toEqual([expect.stringMatching(new RegExp(`${property}\\[0\\]: .*${message.source}.*allowRbacResources with a reason`))]);
  });

  test('escaped or unrelated patterns are not RBAC', () => {
    expect(errorsOf({ clusterResourceWhitelist: [ResourceKind.of('rbac.authorization.k8s.io', '\\*'), ResourceKind.of('scheduling.k8s.io', 'PriorityClass')] })).toEqual([]);
    expect(errorsOf({ namespaceResourceWhitelist: [ResourceKind.allKindsIn('apps'), ResourceKind.of('rbac.authorization.k8s.io', 'role')] })).toEqual([]);
  });

  test.each([
    [ResourceKind.NAMESPACE, /admits Namespace:/],
    [ResourceKind.NAMESPACE.named('team-a'), /admits Namespace:/], // the project's own namespace can still be relabelled privileged
    [ResourceKind.of('admissionregistration.k8s.io', '*WebhookConfiguration'), /MutatingWebhookConfiguration, ValidatingWebhookConfiguration/],
    [ResourceKind.allKindsIn('admissionregistration.k8s.io'), /ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding/],
    [ResourceKind.of('apiregistration.k8s.io', 'APIService'), /APIService/],
    [ResourceKind.of('apiextensions.k8s.io', 'CustomResource*'), /CustomResourceDefinition/],
    [ResourceKind.of('*', '[M]utating*'), /MutatingWebhookConfiguration, MutatingAdmissionPolicy, MutatingAdmissionPolicyBinding/],
    [ResourceKind.of('admissionregistration.k8s.io', 'MutatingAdmissionPolicy*'), /see and rewrite every API request/],
    [ResourceKind.of('', 'PersistentVolume'), /admits PersistentVolume: .*mount a node's filesystem/],
    [ResourceKind.of('', 'PersistentVolume').named('team-a-*'), /admits PersistentVolume:/], // a new volume takes any name
    [ResourceKind.of('', 'Persistent*'), /admits PersistentVolume:/],
    [ResourceKind.of('', '[^Z]*'), /admits Namespace, PersistentVolume, Node:/], // filepath.Match negates with '^'
    [ResourceKind.of('', 'Node'), /admits Node: .*untaint nodes/],
    [ResourceKind.of('storage.k8s.io', '*'), /admits StorageClass: .*provisioner/],
    [ResourceKind.of('cert-manager.io', 'ClusterIssuer'), /admits ClusterIssuer: .*issue certificates for any name/],
  ])('cluster-control kinds in the cluster whitelist need a reason: %s', (kind, message) => {
    expect(errorsOf({ clusterResourceWhitelist: [kind] }))
      .toEqual([expect.stringMatching(new RegExp(`clusterResourceWhitelist\\[0\\]: .*${message.source}.*allowClusterControlResources with a reason`))]);
    expect(errorsOf({ clusterResourceWhitelist: [kind], allowClusterControlResources: { reason: 'platform project' } })).toEqual([]);
  });

  test('cluster-scoped kinds shared by teams but reaching no node, Secret or API request need no opt-in', () => {
    expect(errorsOf({
      clusterResourceWhitelist: [
        ResourceKind.of('networking.k8s.io', 'IngressClass'), ResourceKind.of('gateway.networking.k8s.io', 'GatewayClass'),
        ResourceKind.of('node.k8s.io', 'RuntimeClass'), ResourceKind.of('scheduling.k8s.io', 'PriorityClass'), ResourceKind.of('', '[!Z]*'),
      ],
    })).toEqual([]);
  });

  test('RBAC kinds are accepted with a reason, recorded on the AppProject', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    new ProjectWithRoles(chart, 'P', {
      name: 'platform',
      sourceRepos: ['https://github.com/myorg/*'],
      destinations: [{ server: IN_CLUSTER_SERVER, namespace: 'platform' }],
      clusterResourceWhitelist: [ResourceKind.CLUSTER_ROLE],
      allowRbacResources: { reason: 'platform team owns cluster RBAC' },
    });
    const project = findObject(Testing.synth(chart) as any, 'AppProject', 'platform');
    expect(project.metadata.annotations['policy.cdk8s-secure-argo.io/accepted-risks']).toBe('allowRbacResources: platform team owns cluster RBAC');
    expect(errorsOf({ clusterResourceWhitelist: [ResourceKind.CLUSTER_ROLE], allowRbacResources: { reason: 'a\nb' } }))
      .toEqual([expect.stringMatching(/allowRbacResources\.reason: .*say in one line why/)]);
  });

  test.each([
    [ResourceKind.allKindsIn('argoproj.io')],
    [ResourceKind.of('argoproj.io', 'App*')],
    [ResourceKind.of('argoproj.[i]o', 'Application')],
  ])("Argo CD's own kinds in the namespaced whitelist need a reason: %s", (kind) => {
    expect(errorsOf({ namespaceResourceWhitelist: [kind] })).toEqual([expect.stringMatching(/namespaceResourceWhitelist\[0\]: .*Argo CD's own .*allowArgoCdResources with a reason/)]);
    expect(errorsOf({ namespaceResourceWhitelist: [kind], allowArgoCdResources: { reason: 'app of apps' } })).toEqual([]);
    expect(errorsOf({ namespaceResourceWhitelist: [ResourceKind.of('argoproj.io', 'Rollout')] })).toEqual([]);
  });

  test.each([
    ['argocd'], ['*'], ['argo*'], ['arg{o}cd'], ['[a]rgocd'], ['!team-a'], ['ar?ocd'],
  ])("a destination reaching Argo CD's namespace needs a reason: %s", (namespace) => {
    const system = { allowSystemNamespaceDestination: { reason: 'not under test' } };
    expect(errorsOf({ destinations: [{ server: IN_CLUSTER_SERVER, namespace }], ...system }))
      .toEqual([expect.stringMatching(/destinations: \[0\] .* reaches 'argocd', where Argo CD runs.*allowArgoCdNamespaceDestination with a reason/)]);
    expect(errorsOf({ destinations: [{ server: IN_CLUSTER_SERVER, namespace }], allowArgoCdNamespaceDestination: { reason: 'bootstrap' }, ...system })).toEqual([]);
  });

  test("allowAnyDestination still needs a deny entry or a reason for Argo CD's namespace and the system namespaces", () => {
    const any = { server: '*', namespace: '*' };
    expect(errorsOf({ destinations: [any], allowAnyDestination: { reason: 'test cluster' } })).toEqual([
      expect.stringMatching(/destinations: \[0\] '\*' reaches 'argocd', where Argo CD runs.*exclude it with a deny entry \(\{ server: '\*', namespace: '!argocd' \}\).*allowArgoCdNamespaceDestination/),
      expect.stringMatching(/destinations: \[0\] '\*' reaches 'kube-system', a system .*namespace: '!kube-system'.*allowSystemNamespaceDestination/),
    ]);
    const deny = ['argocd', 'kube-system', 'kube-public', 'kube-node-lease'].map((ns) => ({ server: '*', namespace: `!${ns}` }));
    expect(errorsOf({ destinations: [any, ...deny], allowAnyDestination: { reason: 'test cluster' } })).toEqual([]);
    expect(errorsOf({
      destinations: [any],
      allowAnyDestination: { reason: 'test cluster' },
      allowArgoCdNamespaceDestination: { reason: 'bootstrap cluster' },
      allowSystemNamespaceDestination: { reason: 'bootstrap cluster' },
    })).toEqual([]);
  });

  test("Argo CD's namespace is found at synth, wherever SecureArgoCD is added; other clusters and escaped globs are fine", () => {
    expect(errorsOf({ destinations: [{ server: IN_CLUSTER_SERVER, namespace: 'gitops*' }] }, 'gitops-system'))
      .toEqual([expect.stringMatching(/reaches 'gitops-system'/)]);
    expect(errorsOf({ destinations: [{ name: 'in-cluster', namespace: '*' }], allowSystemNamespaceDestination: { reason: 'not under test' } })).toHaveLength(1);
    expect(errorsOf({ destinations: [{ server: 'https://prod.example.com:6443', namespace: 'team-*' }] })).toEqual([]);
    expect(errorsOf({ destinations: [{ server: IN_CLUSTER_SERVER, namespace: 'argocd-apps' }] })).toEqual([]);
    expect(errorsOf({ destinations: [{ server: IN_CLUSTER_SERVER, namespace: '\\argocd-x' }] })).toEqual([]);
    // a negation vetoes what another entry permits, as in Argo CD
    expect(errorsOf({
      destinations: [{ server: IN_CLUSTER_SERVER, namespace: 'team-*' }, { server: IN_CLUSTER_SERVER, namespace: '!argocd' }],
      allowSystemNamespaceDestination: { reason: 'not under test' },
    })).toEqual([]);
  });

  test.each([
    [IN_CLUSTER_SERVER, 'kube-system', 'kube-system'], [IN_CLUSTER_SERVER, 'kube-*', 'kube-system'], ['https://prod.example.com:6443', '!team-a', 'kube-system'],
    ['https://*.example.com', '[k]ube-system', 'kube-system'], ['https://prod.example.com:6443', 'kube-publi?', 'kube-public'], [IN_CLUSTER_SERVER, 'kube-node-*', 'kube-node-lease'],
  ])('a destination reaching a system namespace in any cluster needs a reason: %s %s', (server, namespace, hit) => {
    expect(errorsOf({ destinations: [{ server, namespace }], allowArgoCdNamespaceDestination: { reason: 'not under test' } }))
      .toEqual([expect.stringMatching(new RegExp(`destinations: \\[0\\] .* reaches '${hit}', a system or Argo Workflows install namespace.*allowSystemNamespaceDestination with a reason`))]);
    const app = Testing.app();
    new ProjectWithRoles(new Chart(app, 'c'), 'P', {
      name: 'team-a',
      sourceRepos: ['https://github.com/myorg/*'],
      destinations: [{ server, namespace }],
      allowArgoCdNamespaceDestination: { reason: 'not under test' },
      allowSystemNamespaceDestination: { reason: 'platform: CoreDNS config' },
    });
    expect(synthErrors(app)).toEqual([]);
    expect(findObject(Testing.synth(app.charts[0]) as any[], 'AppProject', 'team-a').metadata.annotations)
      .toMatchObject({ 'policy.cdk8s-secure-argo.io/accepted-risks': expect.stringContaining('allowSystemNamespaceDestination: platform: CoreDNS config') });
  });

  test('the Argo Workflows install namespace is found at synth; negations and other names are fine', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    new ProjectWithRoles(chart, 'P', { name: 'team-a', sourceRepos: ['https://github.com/myorg/*'], destinations: [{ server: IN_CLUSTER_SERVER, namespace: 'arg[o]' }] });
    new SecureArgoWorkflows(chart, 'Workflows', { namespace: 'argo', networkPolicies: { kubernetesApiCidr: '172.20.0.1/32', kubernetesApiPort: 6443 } });
    expect(synthErrors(app).filter((e) => e.includes("ProjectWithRoles 'c/P'")))
      .toEqual([expect.stringMatching(/destinations: \[0\] 'arg\[o\]' reaches 'argo', a system or Argo Workflows install namespace/)]);
    expect(errorsOf({ destinations: [{ server: IN_CLUSTER_SERVER, namespace: 'kube-systems' }, { name: 'prod', namespace: 'team-a' }] })).toEqual([]);
    expect(errorsOf({
      destinations: [{ server: 'https://prod.example.com:6443', namespace: 'team-*' }, { server: 'https://prod.example.com:6443', namespace: '!kube-*' }],
    })).toEqual([]);
  });
});

describe('an unset namespaced whitelist keeps the escalation kinds out', () => {
  const RBAC = [{ group: 'rbac.authorization.k8s.io', kind: 'Role' }, { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' }];
  const ARGO = [{ group: 'argoproj.io', kind: 'Application' }, { group: 'argoproj.io', kind: 'ApplicationSet' }, { group: 'argoproj.io', kind: 'AppProject' }];

  function synthesized(props: Partial<ProjectWithRolesProps>): { project: any; roles: any[] } {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    new ProjectWithRoles(chart, 'P', { name: 'team-a', sourceRepos: ['https://github.com/myorg/*'], destinations: [{ server: IN_CLUSTER_SERVER, namespace: 'team-a' }], ...props });
    new SecureArgoCD(chart, 'ArgoCd', { allowNoInteractiveLogin: { reason: 'API tokens only' }, disableNetworkPolicies: { reason: 'policies managed elsewhere' } });
    const out = Testing.synth(chart) as any[];
    return { project: findObject(out, 'AppProject', 'team-a'), roles: out.filter((m) => m.kind === 'Role' && m.metadata.namespace === 'team-a') };
  }

  /** Argo CD v3.5.1 `IsGroupKindNamePermitted` for a namespaced kind (group and kind as Go filepath.Match patterns). */
  function permitted(spec: any, group: string, kind: string): boolean {
    const inList = (list: any[]) => list.some((e) => goPathMatch(e.group, group) && goPathMatch(e.kind, kind));
    const whitelist = spec.namespaceResourceWhitelist;
    const white = whitelist === undefined || (whitelist.length > 0 && inList(whitelist));
    return white && !inList(spec.namespaceResourceBlacklist ?? []);
  }
  const grantsOf = (roles: any[]) => roles.flatMap((r) => r.rules.flatMap((rule: any) => rule.resources.map((res: string) => `${rule.apiGroups[0]}/${res}`)));

  test('without an opt-in: Role, RoleBinding and Argo CD kinds are blacklisted, and the derived Roles do not grant them', () => {
    const { project, roles } = synthesized({});
    expect(project.spec.namespaceResourceWhitelist).toBeUndefined();
    expect(project.spec.namespaceResourceBlacklist).toEqual([...RBAC, ...ARGO]);
    for (const { group, kind } of [...RBAC, ...ARGO]) expect(permitted(project.spec, group, kind)).toBe(false);
    expect(permitted(project.spec, 'apps', 'Deployment')).toBe(true);
    expect(roles).toHaveLength(2); // controller and server
    const grants = grantsOf(roles);
    expect(grants).toContain('apps/deployments');
    expect(grants.filter((g) => g.startsWith('rbac.authorization.k8s.io/') || g.startsWith('argoproj.io/'))).toEqual([]);
  });

  test("the user's blacklist comes first; a guarded kind it already covers is not repeated", () => {
    const { project } = synthesized({ namespaceResourceBlacklist: [ResourceKind.NETWORK_POLICY, ResourceKind.allKindsIn('rbac.authorization.k8s.io')] });
    expect(project.spec.namespaceResourceBlacklist).toEqual([
      { group: 'networking.k8s.io', kind: 'NetworkPolicy' }, { group: 'rbac.authorization.k8s.io', kind: '*' }, ...ARGO,
    ]);
  });

  test('each opt-in lifts only its kinds; the derived Roles then grant Role and RoleBinding', () => {
    const rbac = synthesized({ allowRbacResources: { reason: 'team manages its own RBAC' } });
    expect(rbac.project.spec.namespaceResourceBlacklist).toEqual(ARGO);
    expect(grantsOf(rbac.roles)).toEqual(expect.arrayContaining(['rbac.authorization.k8s.io/roles', 'rbac.authorization.k8s.io/rolebindings']));
    const argo = synthesized({ allowArgoCdResources: { reason: 'app of apps' } });
    expect(argo.project.spec.namespaceResourceBlacklist).toEqual(RBAC);
    const both = synthesized({ allowRbacResources: { reason: 'r' }, allowArgoCdResources: { reason: 'a' }, namespaceResourceBlacklist: [ResourceKind.LIMIT_RANGE] });
    expect(both.project.spec.namespaceResourceBlacklist).toEqual([{ group: '', kind: 'LimitRange' }]);
    expect(synthesized({ allowRbacResources: { reason: 'r' }, allowArgoCdResources: { reason: 'a' } }).project.spec.namespaceResourceBlacklist).toBeUndefined();
  });

  test('an explicit whitelist (also an empty one) leaves the blacklist as given', () => {
    expect(synthesized({ namespaceResourceWhitelist: [ResourceKind.allKindsIn('apps')] }).project.spec.namespaceResourceBlacklist).toBeUndefined();
    const empty = synthesized({ namespaceResourceWhitelist: [], namespaceResourceBlacklist: [ResourceKind.LIMIT_RANGE] });
    expect(empty.project.spec.namespaceResourceBlacklist).toEqual([{ group: '', kind: 'LimitRange' }]);
  });
});

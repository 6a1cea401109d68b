import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Testing, YamlOutputType } from 'cdk8s';
import {
  ApplicationSource, ArgoCdAction, ArgoCdRelease, ArgoCdResource, ArgoCdRole, ArgoCdSelfManagement, LockedDownDefaultProject, ProjectWithRoles,
  ResourceKind, SecureApplication, SecureArgoCD, SecureArgoCDProps,
} from '../../src';
import { selfManagementRules } from '../../src/argocd/install/private/self-management-rbac';
import { ArgoCdRbac } from '../../src/argocd/rbac-simulator';
import { synthErrors } from '../support/errors';
import { Manifest, synth } from '../support/synth';

const DIGESTS = { argocd: 'sha256:f924e49625fbc942583fc701a28058f183d610e07a035081a273798522147671', dex: 'sha256:2eee2b13303de0c8ccf874bc3958cac9629ba272ff8c38aaddf0bed7850b9c84', redis: 'sha256:d1b957e97b94e706a8e5be50f06c36b7da59120cb2909bfd274de1e81da94c32', haproxy: 'sha256:9b50bb128c60077d781c3b1427e38870cbf04f78e7000783a7efede45f1c50f7' };
const NETWORK = { kubernetesApi: { cidrs: ['10.0.0.1/32'], ports: [6443] } };
const REPO = 'https://github.com/example/gitops.git';
const REASON = 'the platform team reviews every change of dist/platform';
const SELF = ArgoCdSelfManagement.fromGit({ repoUrl: REPO, revision: 'main', path: 'dist/platform', reason: REASON });
const NAMES = ['argocd-platform', 'argocd-self-management'];

function build(app: App, props: Partial<SecureArgoCDProps> = {}, options: { lockDefault?: boolean } = {}): SecureArgoCD {
  const chart = new Chart(app, 'platform');
  const argoCd = new SecureArgoCD(chart, 'ArgoCD', {
    enableLocalAdmin: true,
    networkPolicies: NETWORK,
    install: { release: ArgoCdRelease.V3_5_1.withDigests(DIGESTS) },
    ...props,
  });
  if (options.lockDefault ?? true) new LockedDownDefaultProject(chart, 'DefaultProject');
  const project = new ProjectWithRoles(chart, 'Team', {
    name: 'team-a',
    sourceRepos: [REPO],
    destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'team-a' }],
    namespaceResourceWhitelist: [ResourceKind.of('apps', 'Deployment'), ResourceKind.of('', 'Service')],
  });
  new SecureApplication(chart, 'App', {
    name: 'web', project, source: ApplicationSource.git({ repoUrl: REPO, revision: 'v1.0.0', path: 'web' }), destination: { namespace: 'team-a' },
  });
  return argoCd;
}

/** Every object of the app (all charts), in chart order. */
function all(props: Partial<SecureArgoCDProps> = {}): Manifest[] {
  const app = Testing.app();
  build(app, props);
  return app.charts.flatMap((c) => synth(c));
}

const out = all({ selfManagement: SELF });
const find = (kind: string, name: string, namespace?: string) => out.filter((m) => m.kind === kind && m.metadata.name === name
  && (namespace === undefined || m.metadata.namespace === namespace));
const one = (kind: string, name: string, namespace?: string) => {
  const found = find(kind, name, namespace);
  expect(found).toHaveLength(1);
  return found[0];
};
const group = (m: Manifest) => (m.apiVersion.includes('/') ? m.apiVersion.split('/')[0] : '');
const plural = (kind: string) => (kind.endsWith('y') ? `${kind.slice(0, -1).toLowerCase()}ies` : kind.endsWith('s') ? `${kind.toLowerCase()}es` : `${kind.toLowerCase()}s`);

describe('the AppProject', () => {
  const project = one('AppProject', 'argocd-platform', 'argocd');

  test('admits exactly the repository, the namespaces, the kinds and the cluster-scoped objects of the install', () => {
    expect(project.spec.sourceRepos).toEqual([REPO]);
    const namespaces = [...new Set(out.filter((m) => m.metadata.namespace).map((m) => m.metadata.namespace))].sort();
    expect(project.spec.destinations).toEqual(namespaces.map((namespace) => ({ server: 'https://kubernetes.default.svc', namespace })));
    const kinds = [...new Set(out.filter((m) => m.metadata.namespace).map((m) => `${group(m)}/${m.kind}`))].sort();
    expect(project.spec.namespaceResourceWhitelist.map((k: any) => `${k.group}/${k.kind}`)).toEqual(kinds);
    const clusterObjects = out.filter((m) => !m.metadata.namespace).map((m) => `${group(m)}/${m.kind}/${m.metadata.name}`).sort();
    expect(project.spec.clusterResourceWhitelist.map((k: any) => `${k.group}/${k.kind}/${k.name}`)).toEqual(clusterObjects);
    expect(project.spec.roles).toBeUndefined();
  });

  test('records the reason, also as the opt-ins the project guards ask for', () => {
    expect(project.metadata.annotations['policy.cdk8s-secure-argo.io/accepted-risks'].split('\n')).toEqual(
      ['allowArgoCdNamespaceDestination', 'allowArgoCdResources', 'allowRbacResources', 'selfManagement'].map((optIn) => `${optIn}: ${REASON}`));
  });
});

describe('the Application', () => {
  const application = one('Application', 'argocd-platform', 'argocd');

  test('syncs the committed files of the install charts into the project, server-side, self-healing, never pruning', () => {
    expect(application.spec).toEqual({
      project: 'argocd-platform',
      source: { repoURL: REPO, targetRevision: 'main', path: 'dist/platform', directory: { include: '{0000-platform-crds.k8s.yaml,0001-platform.k8s.yaml}' } },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'argocd' },
      syncPolicy: {
        automated: { prune: false, selfHeal: true },
        syncOptions: ['ServerSideApply=true'],
        retry: { limit: 5, backoff: { duration: '5s', factor: 2, maxDuration: '3m' } },
      },
    });
  });

  test('has no resources finalizer, records the reason and syncs after the install', () => {
    expect(application.metadata.finalizers).toBeUndefined();
    expect(application.metadata.annotations['policy.cdk8s-secure-argo.io/accepted-risks']).toBe(`selfManagement: ${REASON}`);
    const waves = out.filter((m) => m !== application).map((m) => Number(m.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0));
    expect(Number(application.metadata.annotations['argocd.argoproj.io/sync-wave'])).toBeGreaterThanOrEqual(Math.max(...waves));
  });

  test('the file names are the ones cdk8s writes', () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'self-management-')) });
    build(app, { selfManagement: SELF });
    app.synth();
    const include: string = app.charts.flatMap((c) => synth(c)).find((m) => m.kind === 'Application' && m.metadata.name === 'argocd-platform')!.spec.source.directory.include;
    expect(include.slice(1, -1).split(',').sort()).toEqual(fs.readdirSync(app.outdir).sort());
  });
});

describe('the controller RBAC', () => {
  const ruleSets = out.filter((m) => (m.kind === 'Role' || m.kind === 'ClusterRole') && m.metadata.name === 'argocd-self-management');
  const patchable = ruleSets.flatMap((role) => role.rules.filter((r: any) => r.verbs.includes('patch') && r.resourceNames)
    .flatMap((r: any) => r.resourceNames.map((name: string) => `${role.metadata.namespace ?? ''}|${r.apiGroups[0]}|${r.resources[0]}|${name}`)));

  test('patches exactly the objects of the install, by name', () => {
    const objects = out.map((m) => `${m.metadata.namespace ?? ''}|${group(m)}|${plural(m.kind)}|${m.metadata.name}`);
    expect(patchable.sort()).toEqual([...new Set(objects)].sort());
  });

  test('is bound to the application controller alone', () => {
    for (const binding of out.filter((m) => (m.kind === 'RoleBinding' || m.kind === 'ClusterRoleBinding') && m.metadata.name === 'argocd-self-management')) {
      expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'argocd-application-controller', namespace: 'argocd' }]);
    }
    expect(ruleSets.map((r) => r.metadata.namespace ?? '').sort()).toEqual(['', 'argocd', 'team-a']);
  });

  test('no escalate, no bind, no create, and Secrets only by name', () => {
    for (const rule of ruleSets.flatMap((r) => r.rules)) {
      expect(rule.verbs).not.toContain('escalate');
      expect(rule.verbs).not.toContain('bind');
      expect(rule.verbs).not.toContain('*');
      expect(rule.resources ?? []).not.toContain('*');
    }
    const clusterRole = ruleSets.find((r) => r.kind === 'ClusterRole')!;
    expect(clusterRole.rules.some((r: any) => r.resources.includes('secrets'))).toBe(false);
    const teamRole = ruleSets.find((r) => r.metadata.namespace === 'team-a')!;
    expect(teamRole.rules.some((r: any) => r.resources.includes('secrets'))).toBe(false);
  });

  test('holds what the install\'s other roles grant (Kubernetes\' escalation check), except the controller\'s own', () => {
    const server = one('Role', 'argocd-server', 'argocd');
    const role = ruleSets.find((r) => r.metadata.namespace === 'argocd')!;
    for (const rule of server.rules) expect(role.rules).toContainEqual(rule);
    const controller = one('Role', 'argocd-application-controller', 'team-a');
    const team = ruleSets.find((r) => r.metadata.namespace === 'team-a')!;
    for (const rule of controller.rules) expect(team.rules).not.toContainEqual(rule);
  });

  test('the in-cluster cluster Secret lets the controller see Argo CD\'s namespace and cluster-scoped objects', () => {
    const secret = one('Secret', 'argocd-cluster-in-cluster', 'argocd');
    expect(secret.stringData.namespaces).toBe('argocd,team-a');
    expect(secret.stringData.clusterResources).toBe('true');
  });
});

test.each<[string, Partial<SecureArgoCDProps>]>([
  ['defaults', {}],
  ['HA, Dex-less, supplied nothing else', { install: { release: ArgoCdRelease.V3_5_1.withDigests(DIGESTS), highAvailability: true } }],
  ['cluster-wide controller', { install: { release: ArgoCdRelease.V3_5_1.withDigests(DIGESTS), clusterWide: { reason: 'add-ons in every namespace' } } }],
])('removing the opt-in removes every extra grant, and nothing else changes (%s)', (_, props) => {
  const withIt = all({ ...props, selfManagement: SELF });
  const without = all(props);
  const key = (m: Manifest) => `${m.kind}|${m.metadata.namespace ?? ''}|${m.metadata.name}`;
  const extra = withIt.filter((m) => !without.some((w) => key(w) === key(m)));
  expect(extra.every((m) => NAMES.includes(m.metadata.name!))).toBe(true);
  expect(extra.filter((m) => m.kind === 'AppProject' || m.kind === 'Application')).toHaveLength(2);
  const changed = without.filter((w) => JSON.stringify(withIt.find((m) => key(m) === key(w))) !== JSON.stringify(w)).map(key);
  // The in-cluster Secret (namespace-scoped controllers only) widens what the controller watches.
  expect(changed).toEqual(props.install?.clusterWide ? [] : ['Secret|argocd|argocd-cluster-in-cluster']);
  expect(JSON.stringify(without)).not.toMatch(/argocd-platform|argocd-self-management/);
});

test('a project with cluster-scoped kinds: the install\'s ClusterRole rules are held cluster-wide, bound to the controller only by its own role', () => {
  const app = Testing.app();
  const argoCd = build(app, { selfManagement: SELF });
  new ProjectWithRoles(argoCd.node.scope!, 'Infra', {
    name: 'infra',
    sourceRepos: [REPO],
    destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'infra' }],
    clusterResourceWhitelist: [ResourceKind.of('', 'Namespace')],
    allowClusterControlResources: { reason: 'Applications create their namespaces' },
    namespaceResourceWhitelist: [ResourceKind.of('', 'ConfigMap')],
  });
  const manifests = app.charts.flatMap((c) => synth(c));
  const clusterRole = manifests.find((m) => m.kind === 'ClusterRole' && m.metadata.name === 'argocd-self-management')!;
  const server = manifests.find((m) => m.kind === 'ClusterRole' && m.metadata.name === 'argocd-server-cluster-resources')!;
  for (const rule of server.rules) expect(clusterRole.rules).toContainEqual(rule);
  const controller = manifests.find((m) => m.kind === 'ClusterRole' && m.metadata.name === 'argocd-application-controller-cluster-resources')!;
  for (const rule of controller.rules) expect(clusterRole.rules).not.toContainEqual(rule);
  const names = clusterRole.rules.find((r: any) => r.resources[0] === 'clusterroles' && r.resourceNames).resourceNames;
  expect(names).toEqual(['argocd-application-controller-cluster-resources', 'argocd-self-management', 'argocd-server-cluster-resources']);
});

test('objects of the install in another namespace: the controller watches it, the project admits it', () => {
  const app = Testing.app();
  const argoCd = build(app, { selfManagement: SELF });
  new ApiObject(argoCd, 'Extra', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'extra', namespace: 'monitoring' } });
  const manifests = app.charts.flatMap((c) => synth(c));
  const secret = manifests.find((m) => m.kind === 'Secret' && m.metadata.name === 'argocd-cluster-in-cluster')!;
  expect(secret.stringData.namespaces).toBe('argocd,monitoring,team-a');
  const project = manifests.find((m) => m.kind === 'AppProject' && m.metadata.name === 'argocd-platform')!;
  expect(project.spec.destinations.map((d: any) => d.namespace)).toEqual(['argocd', 'monitoring', 'team-a']);
  const role = manifests.find((m) => m.kind === 'Role' && m.metadata.name === 'argocd-self-management' && m.metadata.namespace === 'monitoring')!;
  // The ConfigMap, and the self-management Role and RoleBinding that live there too.
  const rbac = 'rbac.authorization.k8s.io';
  expect(role.rules).toEqual([
    { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: [''], resources: ['configmaps'], resourceNames: ['extra'], verbs: ['patch'] },
    { apiGroups: [rbac], resources: ['rolebindings'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: [rbac], resources: ['rolebindings'], resourceNames: ['argocd-self-management'], verbs: ['patch'] },
    { apiGroups: [rbac], resources: ['roles'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: [rbac], resources: ['roles'], resourceNames: ['argocd-self-management'], verbs: ['patch'] },
  ]);
});

test('the output is deterministic', () => {
  expect(JSON.stringify(all({ selfManagement: SELF }))).toEqual(JSON.stringify(out));
});

describe('errors', () => {
  function errors(props: Partial<SecureArgoCDProps>, options: { app?: App; lockDefault?: boolean } = {}): string[] {
    const app = options.app ?? Testing.app();
    build(app, props, options);
    return synthErrors(app);
  }

  test.each<[string, Partial<Parameters<typeof ArgoCdSelfManagement.fromGit>[0]>, RegExp]>([
    ['blank reason', { reason: ' ' }, /selfManagement\.reason: .*say in one line why Argo CD manages its own installation/],
    ['multi-line reason', { reason: 'a\nb' }, /selfManagement\.reason: /],
    ['bad repository', { repoUrl: 'https://github.com/*' }, /selfManagement\.repoUrl: /],
    ['path leaving the repository', { path: '../dist' }, /selfManagement\.path: .*relative path/],
    ['bad revision', { revision: 'a b' }, /selfManagement\.revision: .*not a Git revision/],
  ])('%s', (_, options, pattern) => {
    const messages = errors({ selfManagement: ArgoCdSelfManagement.fromGit({ repoUrl: REPO, revision: 'main', path: 'dist', reason: REASON, ...options }) });
    expect(messages).toEqual([expect.stringMatching(pattern)]);
  });

  test('not an ArgoCdSelfManagement', () => {
    expect(() => build(Testing.app(), { selfManagement: { repoUrl: REPO, reason: REASON } as any })).toThrow(/selfManagement: is not an ArgoCdSelfManagement: use ArgoCdSelfManagement.fromGit/);
  });

  test('with sync impersonation', () => {
    expect(() => build(Testing.app(), { selfManagement: SELF, syncImpersonation: true })).toThrow(/selfManagement: cannot be combined with syncImpersonation/);
  });

  test('one file for the whole app', () => {
    const messages = errors({ selfManagement: SELF }, { app: Testing.app({ yamlOutputType: YamlOutputType.FILE_PER_APP }) });
    expect(messages).toEqual([expect.stringMatching(/selfManagement: the Application reads the committed files .* FILE_PER_CHART/)]);
  });

  test('a Secret of the install outside Argo CD\'s namespace', () => {
    const app = Testing.app();
    const argoCd = build(app, { selfManagement: SELF });
    new ApiObject(argoCd, 'Stray', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'stray', namespace: 'team-a' } });
    expect(synthErrors(app)).toEqual([expect.stringMatching(/selfManagement: Secret 'team-a\/stray' is outside Argo CD's namespace, .*SealedSecret or ExternalSecret/)]);
  });

  test('Argo CD\'s built-in default project not locked down in Argo CD\'s namespace', () => {
    expect(errors({ selfManagement: SELF }, { lockDefault: false })).toEqual([expect.stringMatching(
      /selfManagement: Argo CD's built-in project 'default' is not locked down in namespace 'argocd': .*new LockedDownDefaultProject\(chart, 'DefaultProject', 'argocd'\)/)]);
    const app = Testing.app();
    build(app, { selfManagement: SELF }, { lockDefault: false });
    new LockedDownDefaultProject(new Chart(app, 'other'), 'DefaultProject', 'argocd-other');
    expect(synthErrors(app)).toEqual([expect.stringMatching(/selfManagement: Argo CD's built-in project 'default' is not locked down in namespace 'argocd'/)]);
    // In a chart of its own, too.
    const separate = Testing.app();
    build(separate, { selfManagement: SELF }, { lockDefault: false });
    new LockedDownDefaultProject(new Chart(separate, 'projects'), 'DefaultProject');
    expect(synthErrors(separate)).toEqual([]);
  });

  test('objects of another product in the install\'s chart: a chart of its own', () => {
    const app = Testing.app();
    const argoCd = build(app, { selfManagement: SELF });
    const chart = argoCd.node.scope!;
    new ApiObject(chart, 'Foreign', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'foreign', namespace: 'argo' } });
    new ApiObject(chart, 'ForeignRole', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'foreign' }, rules: [] });
    // Objects of Argo CD's namespace stay (the test's project and Application, the default project).
    new ApiObject(chart, 'Local', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'local', namespace: 'argocd' } });
    expect(synthErrors(app)).toEqual([expect.stringMatching(new RegExp("selfManagement: the chart holds 2 objects outside Argo CD's namespace that are not part of the install "
      + "\\(ConfigMap 'argo/foreign' \\('platform/Foreign'\\), ClusterRole 'foreign' \\('platform/ForeignRole'\\)\\).*give SecureArgoCD a chart of its own"))]);
  });

  test('a project of the same name', () => {
    const app = Testing.app();
    const argoCd = build(app, { selfManagement: SELF });
    new ProjectWithRoles(argoCd.node.scope!, 'Clash', { name: 'argocd-platform', sourceRepos: [REPO], destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'team-b' }] });
    expect(synthErrors(app)).toEqual([expect.stringMatching(/AppProject 'argocd-platform' in namespace 'argocd' is also written by/)]);
  });
});

describe('who may sync it (Argo CD\'s policy evaluation)', () => {
  function warnings(props: Partial<SecureArgoCDProps>): string[] {
    const app = Testing.app();
    const argoCd = build(app, { selfManagement: SELF, ...props });
    app.synthYaml();
    return argoCd.node.metadata.filter((m) => m.type === 'warning').map((m) => String(m.data));
  }

  test('global admins only: no warning', () => {
    expect(warnings({ rbac: { groupMappings: [{ group: 'platform-admins', role: ArgoCdRole.admin() }, { group: 'auditors', role: ArgoCdRole.readonly() }] } })).toEqual([]);
    const argoCd = build(Testing.app(), { selfManagement: SELF, rbac: { groupMappings: [{ group: 'platform-admins', role: ArgoCdRole.admin() }] } });
    const rbac = ArgoCdRbac.of(argoCd);
    expect(rbac.can('alice', 'applications', 'sync', 'argocd-platform/argocd-platform', ['platform-admins'])).toBe(true);
    expect(rbac.can('bob', 'applications', 'sync', 'argocd-platform/argocd-platform', ['auditors'])).toBe(false);
  });

  test('a group whose role syncs every application is warned about', () => {
    const deployers = ArgoCdRole.custom('deployers', { policies: [{ resource: ArgoCdResource.APPLICATIONS, action: ArgoCdAction.SYNC, object: '*/*' }] });
    expect(warnings({ rbac: { groupMappings: [{ group: 'deployers', role: deployers }] } }))
      .toEqual([expect.stringMatching(/rbac\.groupMappings\[0\] \(group 'deployers'\) may sync applications in the project 'argocd-platform'/)]);
  });

  test('creating, updating or overriding an Application of the project, or creating or updating an ApplicationSet for it, is warned about', () => {
    const policy = (resource: ArgoCdResource, action: ArgoCdAction, object: string) => ({ resource, action, object });
    const A = ArgoCdResource.APPLICATIONS;
    const deployers = ArgoCdRole.custom('deployers', {
      policies: [
        policy(A, ArgoCdAction.CREATE, 'argocd-*/*'), policy(A, ArgoCdAction.UPDATE, 'argocd-*/*'), policy(A, ArgoCdAction.GET, 'argocd-*/*'),
      ],
    });
    const overriders = ArgoCdRole.custom('overriders', { policies: [policy(A, ArgoCdAction.OVERRIDE, 'argocd-platform/argocd-platform')] });
    const generators = ArgoCdRole.custom('generators', {
      policies: [
        policy(ArgoCdResource.APPLICATIONSETS, ArgoCdAction.CREATE, 'argocd-platform/*'), policy(ArgoCdResource.APPLICATIONSETS, ArgoCdAction.UPDATE, 'argocd-*/*'),
      ],
    });
    // Another project's Applications only: nothing to say.
    const team = ArgoCdRole.custom('team', { policies: [policy(A, ArgoCdAction.ALL, 'team-a/*'), policy(ArgoCdResource.APPLICATIONSETS, ArgoCdAction.ALL, 'team-a/*')] });
    expect(warnings({
      rbac: {
        groupMappings: [
          { group: 'deployers', role: deployers }, { group: 'overriders', role: overriders }, { group: 'generators', role: generators }, { group: 'team', role: team },
        ],
      },
    })).toEqual([
      expect.stringMatching(/rbac\.groupMappings\[0\] \(group 'deployers'\) may create applications, update applications in the project 'argocd-platform'/),
      expect.stringMatching(/rbac\.groupMappings\[1\] \(group 'overriders'\) may override applications in the project/),
      expect.stringMatching(/rbac\.groupMappings\[2\] \(group 'generators'\) may create applicationsets, update applicationsets in the project/),
    ]);
  });
});

describe('selfManagementRules (Kubernetes\' escalation check)', () => {
  const controller = { name: 'argocd-application-controller', namespace: 'argocd' };
  const rule = (resource: string) => ({ apiGroups: [''], resources: [resource], verbs: ['get'] });
  const role = (name: string, resource: string) => ({ kind: 'Role', name, namespace: 'argocd', rules: [rule(resource)] });
  const binding = (name: string, ...subjects: string[]) => ({
    kind: 'RoleBinding',
    namespace: 'argocd',
    roleRef: { kind: 'Role', name },
    subjects: subjects.map((s) => ({ kind: 'ServiceAccount', name: s, namespace: 'argocd' })),
  });
  const held = (roles: ReturnType<typeof role>[], bindings: ReturnType<typeof binding>[]) =>
    selfManagementRules([], roles, bindings, controller, (r) => r.name === 'own').namespaces.get('argocd') ?? [];

  test('a role bound to the controller alone is already held; one bound to anyone else, or unbound, is copied', () => {
    expect(held([role('mine', 'pods')], [binding('mine', controller.name)])).toEqual([]);
    expect(held([role('shared', 'pods')], [binding('shared', controller.name, 'argocd-server')])).toEqual([rule('pods')]);
    expect(held([role('unbound', 'pods')], [])).toEqual([rule('pods')]);
    expect(held([role('own', 'pods')], [])).toEqual([]);
  });
});

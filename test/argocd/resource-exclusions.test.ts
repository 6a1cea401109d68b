// SecureArgoCD resourceExclusions, checked as Argo CD v3.5.1 reads them (FilteredResource.Match):
// group globs (gobwas), kinds literal or '*', cluster globs; and exclusions that would hide
// everything, Argo CD's own kinds or RBAC need a reason.
import { App, Chart } from 'cdk8s';
import * as YAML from 'yaml';
import { ArgoCdResourceFilter, SecureArgoCD } from '../../src';
import { excludedGroupProblem } from '../../src/argocd/private/resource-exclusions';
import { ACCEPTED_RISKS_ANNOTATION } from '../../src/private/accepted-risks';
import { argoGlobMatch } from '../../src/private/glob';
import { expectSynthErrors } from '../support/errors';
import { findObject, synth, testChart } from '../support/synth';
import { expectValid } from '../support/validate';

const NETWORK = { kubernetesApi: { cidrs: ['10.0.0.1/32'], ports: [6443] } };

function argoCd(resourceExclusions: ArgoCdResourceFilter[], chart: Chart = testChart()): SecureArgoCD {
  return new SecureArgoCD(chart, 'argocd', { url: 'https://argocd.example.com', enableLocalAdmin: true, networkPolicies: NETWORK, resourceExclusions });
}

/** The user's entries of resource.exclusions and the accepted-risks annotation of argocd-cm. */
function written(resourceExclusions: ArgoCdResourceFilter[]): { entries: unknown[]; risks?: string } {
  const chart = testChart();
  argoCd(resourceExclusions, chart);
  const manifests = synth(chart);
  expectValid(manifests);
  const cm = findObject(manifests, 'ConfigMap', 'argocd-cm');
  // Upstream install.yaml's seven entries come first.
  return { entries: YAML.parse(cm.data['resource.exclusions']).slice(7), risks: cm.metadata.annotations?.[ACCEPTED_RISKS_ANNOTATION] };
}

function problems(resourceExclusions: ArgoCdResourceFilter[], patterns: RegExp[]): string[] {
  const app = new App();
  argoCd(resourceExclusions, new Chart(app, 'test'));
  return expectSynthErrors(app, patterns);
}

describe('apiGroups: globs as Argo CD matches them', () => {
  test.each([
    ['*.example.com', 'backup.example.com', 'example.com'],
    ['{velero,ark}.io', 'ark.io', 'velero.io.evil'],
    ['velero.i?', 'velero.io', 'velero.iox'],
    ['[a-c]*.io', 'bar.io', 'dar.io'],
    ['[!v]*.io', 'ark.io', 'velero.io'],
  ])('%s is written as given and matches %s, not %s', (glob, hit, miss) => {
    expect(excludedGroupProblem(glob)).toBeUndefined();
    expect([argoGlobMatch(glob, hit), argoGlobMatch(glob, miss)]).toEqual([true, false]);
    expect(written([{ apiGroups: [glob], kinds: ['Backup'] }]).entries).toEqual([{ apiGroups: [glob], kinds: ['Backup'] }]);
  });

  test('plain groups are checked as API groups; the core group is \'\'', () => {
    expect(excludedGroupProblem('')).toBeUndefined();
    expect(excludedGroupProblem('velero.io')).toBeUndefined();
    expect(excludedGroupProblem('Velero.io')).toMatch(/is not an API group/);
    expect(excludedGroupProblem('velero_io')).toMatch(/is not an API group/);
  });

  test.each([
    ['[a-', /is not a glob Argo CD can read/],
    ['{velero,ark.io', /is not a glob Argo CD can read/],
    ['velero.io\\', /is not a glob Argo CD can read/],
    ['[a-z0-9]*.io', /is not a glob Argo CD can read/], // gobwas takes one range per class
    ['*.Example.com', /matches 'E' literally, which no API group contains/],
    ['*_io', /matches '_' literally/],
    ['a!*', /matches '!' literally/],
    ['*,x', /matches ',' literally/],
    ['\\**', /matches '\*' literally/],
    ['*\u2028', /matches '\\u2028' literally/],
    [`*.${'a'.repeat(253)}`, /longer than an API group/],
  ])('%j is refused', (glob, message) => {
    expect(excludedGroupProblem(glob)).toMatch(message);
  });

  test('a refused glob names the construct, the property and a fix; every problem in one synth', () => {
    problems([{ apiGroups: ['velero.io', '*.Example.com'], kinds: ['Back*'], clusters: ['https://[x'] }], [
      /\[test\/argocd\] SecureArgoCD 'test\/argocd': resourceExclusions\[0\]\.apiGroups\[1\]: '\*\.Example\.com' matches 'E' literally.*use lower-case/,
      /resourceExclusions\[0\]\.kinds\[0\]: 'Back\*' is not a kind: give a kind/,
      /resourceExclusions\[0\]\.clusters\[0\]: 'https:\/\/\[x' is not a glob Argo CD can read, so the exclusion would apply to no cluster: give/,
    ]);
  });
});

describe('exclusions that hide everything, Argo CD itself or RBAC need a reason', () => {
  test.each([
    [['*'], undefined, 'on every cluster'],
    [['**'], undefined, 'on every cluster'],
    [['?*', ''], undefined, 'on every cluster'],
    [['{*}'], ['*'], 'on every cluster'],
    [['velero.io', '[!x]*'], ['https://*'], 'on every cluster'],
    [['*'], ['https://*.staging.example.com'], 'on the clusters it names'],
  ])('apiGroups %j, kinds *, clusters %j: refused', (apiGroups, clusters, where) => {
    problems([{ apiGroups, kinds: ['*'], ...(clusters ? { clusters } : {}) }], [
      new RegExp(`resourceExclusions\\[0\\]: excludes every kind of every API group ${where}: Argo CD would neither watch nor sync anything there\\. `
        + 'Name the groups and kinds .* or set allowMatchEverything with a reason'),
    ]);
  });

  test('with allowMatchEverything the exclusion is written and the reason recorded on argocd-cm', () => {
    const out = written([{ apiGroups: ['*'], kinds: ['*'], clusters: ['https://*.staging.example.com'], allowMatchEverything: { reason: 'staging is managed by its own Argo CD' } }]);
    expect(out.entries).toEqual([{ apiGroups: ['*'], kinds: ['*'], clusters: ['https://*.staging.example.com'] }]);
    expect(out.risks).toBe('resourceExclusions[0].allowMatchEverything: staging is managed by its own Argo CD');
  });

  test('Argo CD\'s own kinds and RBAC, however the group glob reaches them', () => {
    problems([
      { apiGroups: ['argoproj.io'], kinds: ['*'] },
      { apiGroups: ['*.io'], kinds: ['Application', 'Rollout'] },
      { apiGroups: ['rbac.*'], kinds: ['RoleBinding'] },
      { apiGroups: ['*.k8s.io'], kinds: ['*'], clusters: ['https://*.example.com'] },
      { apiGroups: ['*'], kinds: ['ClusterRole', 'AppProject'] },
    ], [
      /resourceExclusions\[0\]: excludes argoproj\.io\/Application, argoproj\.io\/ApplicationSet, argoproj\.io\/AppProject: .*would no longer be synced or checked for drift\. List only the groups and kinds you mean \(e\.g\. kinds \['Workflow', 'WorkflowTaskResult'\] for argoproj\.io\), or set allowArgoCdResources with a reason/,
      /resourceExclusions\[1\]: excludes argoproj\.io\/Application: .*set allowArgoCdResources/,
      /resourceExclusions\[2\]: excludes rbac\.authorization\.k8s\.io\/RoleBinding: roles and bindings kept in Git would no longer be synced, and a binding changed in the cluster would go unnoticed\. .*set allowRbacResources with a reason/,
      /resourceExclusions\[3\]: excludes rbac\.authorization\.k8s\.io\/ClusterRole, rbac\.authorization\.k8s\.io\/ClusterRoleBinding, rbac\.authorization\.k8s\.io\/Role, rbac\.authorization\.k8s\.io\/RoleBinding: .*allowRbacResources/,
      /resourceExclusions\[4\]: excludes argoproj\.io\/AppProject: .*allowArgoCdResources/,
      /resourceExclusions\[4\]: excludes rbac\.authorization\.k8s\.io\/ClusterRole: .*allowRbacResources/,
    ]);
  });

  test('other kinds of the same groups are fine: Workflows, Rollouts', () => {
    expect(written([{ apiGroups: ['argoproj.io'], kinds: ['Workflow', 'WorkflowTaskResult', 'Rollout'] }]).risks).toBeUndefined();
  });

  test('the opt-ins record their reasons; a blank reason or an opt-in that allows nothing is refused', () => {
    const out = written([
      { apiGroups: ['rbac.authorization.k8s.io'], kinds: ['RoleBinding'], allowRbacResources: { reason: 'Rancher rewrites project bindings' } },
      { apiGroups: ['argoproj.io'], kinds: ['*'], allowArgoCdResources: { reason: 'Applications are managed by the platform team\'s Argo CD' } },
    ]);
    expect(out.risks).toBe([
      'resourceExclusions[0].allowRbacResources: Rancher rewrites project bindings',
      'resourceExclusions[1].allowArgoCdResources: Applications are managed by the platform team\'s Argo CD',
    ].join('\n'));
    problems([
      { apiGroups: ['rbac.authorization.k8s.io'], kinds: ['Role'], allowRbacResources: { reason: ' ' } },
      { apiGroups: ['velero.io'], kinds: ['Backup'], allowMatchEverything: { reason: 'just in case' } },
      // Everything: allowMatchEverything covers Argo CD's kinds and RBAC, so these are not asked for.
      { apiGroups: ['*'], kinds: ['*'], allowMatchEverything: { reason: 'staging' }, allowRbacResources: { reason: 'staging' } },
    ], [
      /resourceExclusions\[0\]\.allowRbacResources\.reason: .*say in one line why Argo CD must not see these resources/,
      /resourceExclusions\[1\]\.allowMatchEverything: is not needed: the exclusion does not hide what it allows; remove it/,
      /resourceExclusions\[2\]\.allowRbacResources: is not needed/,
    ]);
  });

  test('an entry without groups or kinds is refused with the others', () => {
    problems([{ apiGroups: [], kinds: ['Backup'] }, { apiGroups: ['velero.io'], kinds: [] }], [
      /resourceExclusions\[0\]: needs at least one apiGroup and one kind: list them/,
      /resourceExclusions\[1\]: needs at least one apiGroup and one kind/,
    ]);
  });
});

// Hostile input through the AppProject lists the first project suite leaves out: sync window
// namespaces and clusters, the resource blacklists, the orphaned-resources ignore list,
// destination service account servers and signature-verification repos. Each value is refused
// (construct path, property, fix) or reaches the AppProject meaning what was asked: go-yaml reads
// it back exactly, and Argo CD's matcher for that list (filepath.Match, or its glob without
// negation) reads it as the pattern the docs promise.
import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { expectUsefulRefusal, goFilepathPatternValid, hostileText, readGoYamlDocs, RUNS, synthProblems } from './readers';
import { CronSchedule, ProjectWithRoles, ProjectWithRolesProps, ResourceKind, SyncWindowKind } from '../../src';

const IN_CLUSTER = 'https://kubernetes.default.svc';
const BASE: ProjectWithRolesProps = {
  name: 'team-a',
  sourceRepos: ['https://github.com/my-org/*'],
  destinations: [{ server: IN_CLUSTER, namespace: 'team-a' }],
};
const window = (extra: object) => ({ syncWindows: [{ kind: SyncWindowKind.DENY, schedule: CronSchedule.expression('0 22 * * *'), duration: '8h', ...extra }] });

/** Names, globs that match everything, negations and the class and brace forms the matchers read differently. */
const hostileGlob = fc.oneof(hostileText, fc.constantFrom(
  'prod', 'team-*', '!prod', '*', '**', '?*', '[!z]*', '[^z]*', '{a,b}', '{*}', '[a-z0-9]*', '[a-]', '[]', '[', 'a\\', '\\*', 'in-cluster', IN_CLUSTER, 'A',
));
const hostileGroup = fc.oneof(hostileGlob, fc.constantFrom('', 'apps', 'rbac.authorization.k8s.io', 'Apps', '*.k8s.io'));
/** Globs Argo CD reads with its glob (gobwas) where '!' is literal: the pattern must not lean on a negation. */
const NO_NEGATION = (v: string) => !v.startsWith('!');
/** Argo CD's glob and filepath.Match read a pattern alike only without braces and negated classes. */
const SAME_IN_BOTH = (v: string) => goFilepathPatternValid(v) && !/[{}]|\[[!^]/.test(v);

interface Field {
  readonly property: string;
  readonly values: fc.Arbitrary<string>;
  readonly props: (v: string) => Partial<ProjectWithRolesProps>;
  readonly read: (spec: any) => unknown;
  /** What the list's reader requires of an accepted value. */
  readonly valid?: (v: string) => boolean;
}

const FIELDS: Field[] = [
  { property: 'syncWindows[0].namespaces[0]', values: hostileGlob, props: (v) => window({ namespaces: [v] }), read: (s) => s.syncWindows[0].namespaces[0], valid: NO_NEGATION },
  { property: 'syncWindows[0].clusters[0]', values: hostileGlob, props: (v) => window({ clusters: [v] }), read: (s) => s.syncWindows[0].clusters[0], valid: NO_NEGATION },
  { property: 'syncWindows[0].applications[0]', values: hostileGlob, props: (v) => window({ applications: [v] }), read: (s) => s.syncWindows[0].applications[0], valid: NO_NEGATION },
  {
    property: 'clusterResourceBlacklist[0].group',
    values: hostileGroup,
    props: (v) => ({ clusterResourceBlacklist: [ResourceKind.of(v, 'ClusterRole')] }),
    read: (s) => s.clusterResourceBlacklist[0].group,
    valid: goFilepathPatternValid,
  },
  { property: 'clusterResourceBlacklist[0].kind', values: hostileGlob, props: (v) => ({ clusterResourceBlacklist: [ResourceKind.of('', v)] }), read: (s) => s.clusterResourceBlacklist[0].kind, valid: goFilepathPatternValid },
  {
    property: 'clusterResourceBlacklist[0].name',
    values: hostileGlob,
    props: (v) => ({ clusterResourceBlacklist: [ResourceKind.NAMESPACE.named(v)] }),
    read: (s) => s.clusterResourceBlacklist[0].name,
    valid: goFilepathPatternValid,
  },
  {
    property: 'clusterResourceWhitelist[0].kind',
    values: hostileGlob,
    props: (v) => ({ clusterResourceWhitelist: [ResourceKind.of('example.com', v)] }),
    read: (s) => s.clusterResourceWhitelist[0].kind,
    valid: goFilepathPatternValid,
  },
  {
    property: 'namespaceResourceBlacklist[0].group',
    values: hostileGroup,
    props: (v) => ({ namespaceResourceBlacklist: [ResourceKind.of(v, 'Secret')] }),
    read: (s) => s.namespaceResourceBlacklist[0].group,
    valid: goFilepathPatternValid,
  },
  { property: 'namespaceResourceBlacklist[0].kind', values: hostileGlob, props: (v) => ({ namespaceResourceBlacklist: [ResourceKind.of('', v)] }), read: (s) => s.namespaceResourceBlacklist[0].kind, valid: goFilepathPatternValid },
  { property: 'orphanedResources.ignore[0].group', values: hostileGroup, props: (v) => ({ orphanedResources: { ignore: [ResourceKind.of(v, 'ConfigMap')] } }), read: (s) => s.orphanedResources.ignore[0].group, valid: SAME_IN_BOTH },
  { property: 'orphanedResources.ignore[0].kind', values: hostileGlob, props: (v) => ({ orphanedResources: { ignore: [ResourceKind.of('', v)] } }), read: (s) => s.orphanedResources.ignore[0].kind, valid: SAME_IN_BOTH },
  { property: 'orphanedResources.ignore[0].name', values: hostileGlob, props: (v) => ({ orphanedResources: { ignore: [ResourceKind.CONFIG_MAP.named(v)] } }), read: (s) => s.orphanedResources.ignore[0].name, valid: SAME_IN_BOTH },
  {
    property: 'destinationServiceAccounts[0].server',
    values: fc.oneof(hostileGlob, fc.constantFrom('https://*.example.com', '!https://prod.example.com')),
    props: (v) => ({ destinationServiceAccounts: [{ server: v, namespace: 'team-a', serviceAccount: 'deployer' }] }),
    read: (s) => s.destinationServiceAccounts[0].server,
    // ValidateProject refuses any '!' in the server and namespace patterns.
    valid: (v) => !v.includes('!'),
  },
  {
    property: 'gitSignatureVerification.repos[0]',
    values: fc.oneof(hostileGlob, fc.constantFrom('https://github.com/my-org/app', 'https://github.com/my-org/*', '!https://github.com/my-org/x')),
    props: (v) => ({ gitSignatureVerification: { keyIds: ['4AEE18F83AFDEB23'], repos: [v] } }),
    read: (s) => s.sourceIntegrity.git.policies[0].repos[0].url,
  },
];

/** Synthesizes a project with `props`: the problems, or the AppProject's spec as go-yaml reads it. */
function build(props: ProjectWithRolesProps): { problems: string[]; spec?: any } {
  const app = Testing.app();
  const chart = new Chart(app, 'argocd');
  const problems = synthProblems(app, () => new ProjectWithRoles(chart, 'Project', props));
  if (problems.length > 0) return { problems };
  return { problems, spec: readGoYamlDocs(app.synthYaml()).find((d) => d.kind === 'AppProject')?.spec };
}

describe.each(FIELDS)('$property', (field) => {
  test('refused with a fix, or read back exactly', () => {
    fc.assert(fc.property(field.values, (value) => {
      const { problems, spec } = build({ ...BASE, ...field.props(value) });
      if (problems.length > 0) {
        expectUsefulRefusal(problems, 'argocd/Project', field.property);
        return;
      }
      expect(spec).toBeDefined();
      expect(field.read(spec)).toEqual(value);
      if (field.valid) expect([value, field.valid(value)]).toEqual([value, true]);
    }), RUNS);
  });
});

describe('what Argo CD matches', () => {
  test.each([
    ['a sync window namespace', window({ namespaces: ['!prod'] }), 'syncWindows[0].namespaces[0]'],
    ['a sync window cluster', window({ clusters: ['!in-cluster'] }), 'syncWindows[0].clusters[0]'],
    ['a destination service account namespace', { destinationServiceAccounts: [{ server: IN_CLUSTER, namespace: '!kube-system', serviceAccount: 'deployer' }] }, 'destinationServiceAccounts[0].namespace'],
  ])('a negation in %s, which Argo CD reads literally, is refused', (_name, props, property) => {
    expectUsefulRefusal(build({ ...BASE, ...props }).problems, 'argocd/Project', property);
  });

  test.each(['[', '[a-]', 'a\\'])('a blacklisted name %j that filepath.Match cannot read (so it blocks nothing) is refused', (name) => {
    expectUsefulRefusal(build({ ...BASE, clusterResourceBlacklist: [ResourceKind.NAMESPACE.named(name)] }).problems, 'argocd/Project', 'clusterResourceBlacklist[0].name');
  });

  test.each(['{a,b}', '[!z]*', '[^z]*', '[a-z0-9]'])('an orphaned-resources ignore name %j that Argo CD\'s glob reads differently is refused', (name) => {
    expectUsefulRefusal(build({ ...BASE, orphanedResources: { ignore: [ResourceKind.CONFIG_MAP.named(name)] } }).problems, 'argocd/Project', 'orphanedResources.ignore[0]');
  });

  test('a blacklisted name is matched as filepath.Match reads it: braces are literal', () => {
    const chart = new Chart(Testing.app(), 'argocd');
    const project = new ProjectWithRoles(chart, 'Project', {
      ...BASE, clusterResourceWhitelist: [ResourceKind.of('example.com', 'Widget')], clusterResourceBlacklist: [ResourceKind.of('example.com', 'Widget').named('{a,b}')],
    });
    expect(project.isClusterResourcePermitted('example.com', 'Widget', 'a')).toBe(true);
    expect(project.isClusterResourcePermitted('example.com', 'Widget', '{a,b}')).toBe(false);
  });

  test('a destination service account without a namespace applies to every namespace (Argo CD reads an empty pattern as the empty namespace)', () => {
    const { problems, spec } = build({ ...BASE, destinationServiceAccounts: [{ server: IN_CLUSTER, serviceAccount: 'deployer' }] });
    expect(problems).toEqual([]);
    expect(spec.destinationServiceAccounts).toEqual([{ server: IN_CLUSTER, namespace: '*', defaultServiceAccount: 'deployer' }]);
  });

  test.each([[undefined, true], [true, true], [false, false]])('orphanedResources.warn %j lands as %j', (warn, landed) => {
    expect(build({ ...BASE, orphanedResources: { warn } }).spec.orphanedResources).toEqual({ warn: landed });
  });
});

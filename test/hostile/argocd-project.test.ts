// Hostile input through every string and list prop of ProjectWithRoles: each value is refused
// (construct path, property, fix) or reaches the AppProject meaning exactly what was asked, as
// go-yaml (YAML 1.1) reads the manifest, Argo CD's policy loader (Go encoding/csv, then the
// Casbin model) reads the roles, and robfig/cron, Go durations and tzdata read the sync windows.
import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import {
  expectUsefulRefusal, goParsesPositiveDuration, hostileText, hostileUrl, readGoYamlDocs, robfigStandardParses, RUNS,
  synthProblems, YAML11_WORDS,
} from './readers';
import {
  ArgoCdAction, ArgoCdResource, CronSchedule, ProjectWithRoles, ProjectWithRolesProps, ResourceKind, SyncWindowKind,
} from '../../src';
import { projectPoliciesString } from '../../src/argocd/private/rbac-engine';
import { CasbinOracle, loadArgoPolicy } from '../support/casbin-oracle';

const IN_CLUSTER = 'https://kubernetes.default.svc';
const BASE: ProjectWithRolesProps = {
  name: 'team-a',
  sourceRepos: ['https://github.com/my-org/*'],
  destinations: [{ server: IN_CLUSTER, namespace: 'team-a' }],
};
const role = (extra: object) => ({ roles: [{ name: 'deployer', policies: [{ resource: ArgoCdResource.APPLICATIONS, action: ArgoCdAction.GET, object: 'team-a/*' }], ...extra }] });
const window = (extra: object) => ({ syncWindows: [{ kind: SyncWindowKind.DENY, schedule: CronSchedule.expression('0 22 * * *'), duration: '8h', applications: ['*'], ...extra }] });

/** Values aimed at names, globs and URLs: the hostile text plus glob and path shapes. */
const hostileName = fc.oneof(hostileText, fc.constantFrom('team-b', 'team-*', '!team-c', '[!z]*', '{a,b}', 'a/b', '*', '-x', 'A', 'a'.repeat(300), 'team-a\u2028  clusterResourceWhitelist:'));
const hostileRepo = fc.oneof(hostileUrl, hostileText, fc.constantFrom('https://*/*', 'oci://*/*', 'https://github.com/[!z]*/*', 'git@github.com:my-org/x.git', '!https://github.com/my-org/secret', 'https://github.com/my-org/a,b'));
const hostileCron = fc.oneof(hostileText, fc.constantFrom('0 9 * * 1-5', '99 99 * * *', '0 0 0 * *', 'a b c d e', '@daily', 'CRON_TZ=UTC 0 9 * * *', '0 9 * * MON-FRI', '*/0 * * * *', '0 9 * * 7', '0\t9 * * *'));
const hostileDuration = fc.oneof(hostileText, fc.constantFrom('1h', '.5h', '5.h', '1h30m', '9999999h', '-1h', '0s', '1d', '1H', ' 1h', '1h\n'));
const hostileZone = fc.oneof(hostileText, fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York', 'Etc/Utc', 'europe/berlin', 'Local', 'Mars/Olympus', '../etc/passwd', 'UTC\u2028'));

interface Field {
  readonly property: string;
  readonly values: fc.Arbitrary<string>;
  readonly props: (v: string) => Partial<ProjectWithRolesProps>;
  /** Where the value lands in the AppProject. */
  readonly read: (project: any) => unknown;
  /** What the value's reader additionally requires of an accepted value. */
  readonly valid?: (v: string) => boolean;
  /** The output field the value lands in, as the output floor names it. */
  readonly output?: string;
  /** What must land for an accepted value, when the library writes it in a normal form. */
  readonly landed?: (v: string) => string;
}

const spec = (p: any) => p.spec;
const ZONES = new Set([...(Intl as any).supportedValuesOf('timeZone'), 'UTC']);
const FIELDS: Field[] = [
  { property: 'name', values: hostileName, props: (v) => ({ name: v }), read: (p) => p.metadata.name, valid: (v) => /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(v) && v.length <= 253 },
  { property: 'namespace', values: hostileName, props: (v) => ({ namespace: v }), read: (p) => p.metadata.namespace, valid: (v) => /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(v) && v.length <= 63 },
  { property: 'description', values: hostileText, props: (v) => ({ description: v }), read: (p) => spec(p).description, output: 'spec.description', valid: (v) => v.length <= 255 },
  { property: 'sourceRepos[0]', values: hostileRepo, props: (v) => ({ sourceRepos: [v] }), read: (p) => spec(p).sourceRepos[0] },
  { property: 'sourceNamespaces[0]', values: hostileName, props: (v) => ({ sourceNamespaces: [v] }), read: (p) => spec(p).sourceNamespaces[0] },
  { property: 'destinations[0].server', values: hostileUrl, props: (v) => ({ destinations: [{ server: v, namespace: 'team-a' }] }), read: (p) => spec(p).destinations[0].server },
  { property: 'destinations[0].name', values: hostileName, props: (v) => ({ destinations: [{ name: v, namespace: 'team-a' }] }), read: (p) => spec(p).destinations[0].name },
  { property: 'destinations[0].namespace', values: hostileName, props: (v) => ({ destinations: [{ server: IN_CLUSTER, namespace: v }] }), read: (p) => spec(p).destinations[0].namespace },
  {
    property: 'destinationServiceAccounts[0].serviceAccount',
    values: hostileName,
    props: (v) => ({ destinationServiceAccounts: [{ server: IN_CLUSTER, namespace: 'team-a', serviceAccount: v }] }),
    read: (p) => spec(p).destinationServiceAccounts[0].defaultServiceAccount,
  },
  {
    property: 'destinationServiceAccounts[0].namespace',
    values: hostileName,
    props: (v) => ({ destinationServiceAccounts: [{ server: IN_CLUSTER, namespace: v, serviceAccount: 'deployer' }] }),
    read: (p) => spec(p).destinationServiceAccounts[0].namespace,
  },
  { property: 'namespaceResourceWhitelist[0].group', values: hostileName, props: (v) => ({ namespaceResourceWhitelist: [ResourceKind.of(v, 'Deployment')] }), read: (p) => spec(p).namespaceResourceWhitelist[0].group },
  { property: 'namespaceResourceWhitelist[0].kind', values: hostileName, props: (v) => ({ namespaceResourceWhitelist: [ResourceKind.of('apps', v)] }), read: (p) => spec(p).namespaceResourceWhitelist[0].kind },
  { property: 'clusterResourceWhitelist[0].name', values: hostileName, props: (v) => ({ clusterResourceWhitelist: [ResourceKind.NAMESPACE.named(v)], allowClusterControlResources: { reason: 'under test: the name' } }), read: (p) => spec(p).clusterResourceWhitelist[0].name },
  { property: 'roles[0].name', values: hostileName, props: (v) => role({ name: v }), read: (p) => spec(p).roles[0].name, valid: (v) => /^[a-zA-Z0-9]([-_a-zA-Z0-9]*[a-zA-Z0-9])?$/.test(v) },
  { property: 'roles[0].description', values: hostileText, props: (v) => role({ description: v }), read: (p) => spec(p).roles[0].description, output: 'spec.roles[0].description' },
  { property: 'roles[0].groups[0]', values: hostileText, props: (v) => role({ groups: [v] }), read: (p) => spec(p).roles[0].groups[0], output: 'spec.roles[0].groups[0]' },
  {
    property: 'roles[0].policies[0]',
    values: fc.oneof(hostileText, fc.constantFrom('team-a/web', 'team-a/ns/web', 'team-b/*', 'team-a/*, allow\np, x', 'team-a/a,b')).map((v) => `team-a/${v}`),
    props: (v) => role({ policies: [{ resource: ArgoCdResource.APPLICATIONS, action: ArgoCdAction.GET, object: v }] }),
    read: (p) => spec(p).roles[0].policies[0],
  },
  { property: 'roles[0].jwtTokens[0].id', values: hostileText, props: (v) => role({ jwtTokens: [{ issuedAt: 1700000000, id: v }] }), read: (p) => spec(p).roles[0].jwtTokens[0].id, output: 'spec.roles[0].jwtTokens[0].id' },
  { property: 'syncWindows[0].schedule', values: hostileCron, props: (v) => window({ schedule: CronSchedule.expression(v) }), read: (p) => spec(p).syncWindows[0].schedule, valid: robfigStandardParses },
  { property: 'syncWindows[0].duration', values: hostileDuration, props: (v) => window({ duration: v }), read: (p) => spec(p).syncWindows[0].duration, valid: goParsesPositiveDuration },
  { property: 'syncWindows[0].timeZone', values: hostileZone, props: (v) => window({ timeZone: v }), read: (p) => spec(p).syncWindows[0].timeZone, valid: (v) => ZONES.has(v) },
  { property: 'syncWindows[0].applications[0]', values: hostileName, props: (v) => window({ applications: [v] }), read: (p) => spec(p).syncWindows[0].applications[0] },
  { property: 'syncWindows[0].description', values: hostileText, props: (v) => window({ description: v }), read: (p) => spec(p).syncWindows[0].description, output: 'spec.syncWindows[0].description' },
  {
    property: 'gitSignatureVerification.keyIds[0]',
    values: fc.oneof(hostileText, fc.constantFrom('4AEE18F83AFDEB23', 'D56C4FCA57A46444'.toLowerCase())),
    props: (v) => ({ gitSignatureVerification: { keyIds: [v] } }),
    read: (p) => spec(p).sourceIntegrity.git.policies[0].gpg.keys[0],
    // Key IDs are hex: written in upper case, as gpg lists them.
    landed: (v) => v.toUpperCase(),
  },
];

/** Synthesizes a project with `props`: the problems, or the AppProject as go-yaml reads it. */
function build(props: ProjectWithRolesProps): { problems: string[]; project?: any } {
  const app = Testing.app();
  const chart = new Chart(app, 'argocd');
  const problems = synthProblems(app, () => new ProjectWithRoles(chart, 'Project', props));
  if (problems.length > 0) return { problems };
  const docs = readGoYamlDocs(app.synthYaml());
  return { problems, project: docs.find((d) => d.kind === 'AppProject') };
}

describe.each(FIELDS)('$property', (field) => {
  test('refused with a fix, or read back exactly', () => {
    fc.assert(fc.property(field.values, (value) => {
      const { problems, project } = build({ ...BASE, ...field.props(value) });
      if (problems.length > 0) {
        expectUsefulRefusal(problems, 'argocd/Project', field.property, field.output && `output AppProject 'team-a' ${field.output}`);
        return;
      }
      expect(project).toBeDefined();
      if (field.property === 'roles[0].policies[0]') {
        // The policy line Argo CD loads names exactly the object given, in one field.
        const rows = loadArgoPolicy(project.spec.roles[0].policies[0]);
        expect(rows).toEqual([['p', 'proj:team-a:deployer', 'applications', 'get', value, 'allow']]);
      } else if (field.property === 'roles[0].groups[0]') {
        // ProjectPoliciesString turns the group into one `g` line whose group field is the group given.
        const rows = loadArgoPolicy(projectPoliciesString({ name: 'team-a', roles: project.spec.roles }));
        expect(rows instanceof Error ? rows.message : rows.filter((r) => r[0] === 'g')).toEqual([['g', value, 'proj:team-a:deployer']]);
      } else {
        expect(field.read(project)).toEqual(field.landed ? field.landed(value) : value);
      }
      if (field.valid) expect([value, field.valid(value)]).toEqual([value, true]);
    }), RUNS);
  });
});

describe('project role groups through Argo CD\'s policy loader and Casbin', () => {
  // An LDAP DN is one group: written quoted in the AppProject, as ValidateProject requires.
  test.each(['cn=platform,ou=groups,dc=example,dc=com', 'Platform Admins', '\u00e9quipe-ops', 'team#1', 'my-org:team-a'])('%j grants exactly the role', async (group) => {
    const { problems, project } = build({ ...BASE, ...role({ groups: [group] }) });
    expect(problems).toEqual([]);
    const projects = [{ name: 'team-a', roles: project.spec.roles }];
    const oracle = await CasbinOracle.create({}, projects);
    expect(await oracle.can('alice', [group], 'applications', 'get', 'team-a/web')).toBe(true);
    expect(await oracle.can('alice', [group], 'applications', 'sync', 'team-a/web')).toBe(false);
    for (const part of group.split(',')) expect(await oracle.can('bob', [part], 'applications', 'get', 'team-a/web')).toBe(part === group);
  });

  test.each([
    ['a quote', 'team"a'],
    ['a line break that would start a second line', 'team-a\np, proj:team-a:deployer, applications, *, team-a/*, allow'],
    ['a Unicode line break', 'team-a\u2028g, admins, role:admin'],
    ['leading whitespace, which Go trims', ' team-a'],
  ])('a group with %s is refused', (_name, group) => {
    const { problems } = build({ ...BASE, ...role({ groups: [group] }) });
    expectUsefulRefusal(problems, 'argocd/Project', 'roles[0].groups[0]');
  });
});

test('YAML 1.1 words stay strings in every accepted free-text field', () => {
  for (const word of YAML11_WORDS) {
    const props = { ...BASE, description: word, ...role({ description: word, groups: [word] }), ...window({ description: word }) };
    const { problems, project } = build(props);
    if (problems.length > 0) continue;
    const { description, roles, syncWindows } = project.spec;
    expect([description, roles[0].description, roles[0].groups[0], syncWindows[0].description]).toEqual([word, word, word, word]);
  }
});

// Hostile input through the props of the project presets (ProjectWithRoles.production and
// .development) that the plain project suites do not reach: the name the default destinations and
// role policies derive from, the sync windows' time zone, and the groups bound to the preset
// roles. Each value is refused (construct path, property, fix) or reaches the AppProject meaning
// what was asked, as go-yaml reads it and Argo CD's policy loader reads the roles.
import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { expectUsefulRefusal, goLoadsLocation, hostileText, readGoYamlDocs, RUNS, synthProblems } from './readers';
import { ProjectWithRoles } from '../../src';
import { projectPoliciesString } from '../../src/argocd/private/rbac-engine';
import { loadArgoPolicy } from '../support/casbin-oracle';

const REPO = 'https://github.com/my-org/app.git';
const SIGNED = { keyIds: ['4AEE18F83AFDEB23'] };
const hostileName = fc.oneof(hostileText, fc.constantFrom('prod', 'team-a', 'team.a', 'a'.repeat(62), 'a'.repeat(64), 'Prod', '-x', 'x-'));
const hostileZone = fc.oneof(hostileText, fc.constantFrom('UTC', 'Europe/Berlin', 'Etc/Utc', 'europe/berlin', 'Local', '../etc/passwd'));
const hostileRepo = fc.oneof(hostileText, fc.constantFrom(REPO, 'https://github.com/my-org/*', 'https://github.com/my-org/a\u2028b', 'https://github.com/[!z]*/x'));

type Preset = 'production' | 'development';
interface Field {
  readonly preset: Preset;
  readonly property: string;
  readonly values: fc.Arbitrary<string>;
  readonly props: (v: string) => object;
  /** Every place the value lands, and what must be there for it. */
  readonly check: (spec: any, v: string) => void;
  readonly valid?: (v: string) => boolean;
}

/** The `g` lines Argo CD's policy loader reads from the project's roles: group → role. */
const groupRows = (spec: any, name: string) => {
  const rows = loadArgoPolicy(projectPoliciesString({ name, roles: spec.roles }));
  return rows instanceof Error ? rows.message : rows.filter((r) => r[0] === 'g').map((r) => [r[1], r[2]]);
};

const FIELDS: Field[] = (['production', 'development'] as const).flatMap((preset): Field[] => [
  {
    preset,
    property: 'name',
    values: hostileName,
    props: (v) => ({ name: v }),
    check: (spec, v) => {
      // The default destinations are the namespace <name> and <name>-* of the in-cluster server.
      expect(spec.destinations.map((d: any) => d.namespace)).toEqual([v, `${v}-*`]);
      expect(spec.roles.flatMap((r: any) => loadArgoPolicy(r.policies.join('\n')) as string[][]).every((p: string[]) => p[4] === `${v}/*`)).toBe(true);
    },
    // A destination namespace is a DNS label: a name that is not one deploys nowhere.
    valid: (v) => /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(v) && v.length <= 63,
  },
  { preset, property: 'sourceRepos[0]', values: hostileRepo, props: (v) => ({ sourceRepos: [v] }), check: (spec, v) => expect(spec.sourceRepos).toEqual([v]) },
  {
    preset,
    property: 'developerGroups[0]',
    values: hostileText,
    props: (v) => ({ developerGroups: [v] }),
    check: (spec, v) => expect(groupRows(spec, preset)).toContainEqual([v, `proj:${preset}:${preset === 'production' ? 'prod-developer' : 'developer'}`]),
  },
]).concat([
  {
    preset: 'production',
    property: 'adminGroups[0]',
    values: hostileText,
    props: (v) => ({ adminGroups: [v] }),
    check: (spec, v) => expect(groupRows(spec, 'production')).toContainEqual([v, 'proj:production:prod-admin']),
  },
  {
    preset: 'production',
    property: 'timeZone',
    values: hostileZone,
    props: (v) => ({ timeZone: v }),
    check: (spec, v) => expect(spec.syncWindows.map((w: any) => w.timeZone)).toEqual([v, v]),
    valid: goLoadsLocation,
  },
]);

function build(preset: Preset, props: object): { problems: string[]; spec?: any } {
  const app = Testing.app();
  const chart = new Chart(app, 'argocd');
  const problems = synthProblems(app, () => ProjectWithRoles[preset](chart, 'Project', { sourceRepos: [REPO], gitSignatureVerification: SIGNED, ...props }));
  if (problems.length > 0) return { problems };
  return { problems, spec: readGoYamlDocs(app.synthYaml()).find((d) => d.kind === 'AppProject')?.spec };
}

describe.each(FIELDS.map((f) => [`${f.preset} ${f.property}`, f] as const))('%s', (_name, field) => {
  test('refused with a fix, or lands meaning what was asked', () => {
    fc.assert(fc.property(field.values, (value) => {
      const { problems, spec } = build(field.preset, field.props(value));
      if (problems.length > 0) {
        expectUsefulRefusal(problems, 'argocd/Project', field.property);
        return;
      }
      expect(spec).toBeDefined();
      field.check(spec, value);
      if (field.valid) expect([value, field.valid(value)]).toEqual([value, true]);
    }), { ...RUNS, numRuns: 20 });
  });
});

describe('preset props are reported under their own names', () => {
  test.each([
    ['development', { name: 'team.a' }, 'name'],
    ['production', { name: 'a'.repeat(64) }, 'name'],
    ['development', { developerGroups: ['ops\u2028g, admins, role:admin'] }, 'developerGroups[0]'],
    ['production', { adminGroups: ['role:admin'] }, 'adminGroups[0]'],
    ['production', { timeZone: 'Etc/Utc' }, 'timeZone'],
    ['production', { sourceRepos: ['https://github.com/my-org/\u0085*'] }, 'sourceRepos[0]'],
  ] as const)('%s %j', (preset, props, property) => {
    const { problems } = build(preset, props);
    expectUsefulRefusal(problems, 'argocd/Project', property);
    // Once, under the prop the user gave: not again under the roles or windows it becomes.
    expect(problems.filter((p) => /(roles|syncWindows)\[\d+\]/.test(p))).toEqual([]);
  });

  test('a name that is a DNS label, or any name with explicit destinations, is accepted', () => {
    expect(build('development', { name: 'team-a' }).problems).toEqual([]);
    expect(build('development', { name: 'team.a', destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'team-a' }] }).problems).toEqual([]);
  });
});

import { ApiObject } from 'cdk8s';
import { ArgoCdAction, ArgoCdRbac, ArgoCdResource, ArgoCdRole, LockedDownDefaultProject, ProjectWithRoles, SecureArgoCD } from '../../src';
import { IN_CLUSTER_SERVER } from '../../src/argocd/private/names';
import { argoGlobMatch } from '../../src/private/glob';
import { UPSTREAM_RBAC_EXAMPLE } from '../support/rbac-fixtures';
import { synth, testChart } from '../support/synth';

describe('ArgoCdRbac on the upstream example', () => {
  const rbac = ArgoCdRbac.fromConfig({ rbacConfigMapData: UPSTREAM_RBAC_EXAMPLE });

  test('configuration is read', () => {
    expect(rbac.defaultRole).toBe('role:readonly');
    expect(rbac.matchMode).toBe('glob');
    expect(rbac.scopes).toEqual(['cognito:groups', 'email']);
  });

  test.each([
    // policy.default role:readonly: everyone may get applications and projects
    ['alice', [], 'applications', 'get', 'any-project/any-app', true],
    ['alice', [], 'projects', 'get', 'my-project', true],
    ['alice', [], 'applications', 'sync', 'my-project/app', false],
    // team-beta is mapped to role:admin
    ['bob', ['my-org:team-beta'], 'applications', 'delete', 'my-project/app', true],
    ['bob', ['my-org:team-beta'], 'exec', 'create', 'my-project/app', true],
    // v3: role:admin has update/* on resources through the built-in policy
    ['bob', ['my-org:team-beta'], 'applications', 'update/apps/Deployment/ns/web', 'my-project/app', true],
    // team-qa (policy.overlay.csv) gets everything on applications and projects, nothing else
    ['carol', ['my-org:team-qa'], 'applications', 'override', 'p/app', true],
    ['carol', ['my-org:team-qa'], 'projects', 'delete', 'p', true],
    ['carol', ['my-org:team-qa'], 'clusters', 'delete', 'https://c', false],
    // a p line naming a group with no g line is never consulted by the server (issue #7952, #28729)
    ['dave', ['my-org:team-alpha'], 'applications', 'sync', 'my-project/app', false],
    // built-in: the local admin account
    ['admin', [], 'certificates', 'delete', 'anything', true],
  ])('%s %j: %s %s %s -> %s', (subject, groups, resource, action, object, expected) => {
    expect(rbac.can(subject as string, resource as string, action as string, object as string, groups as string[])).toBe(expected);
  });
});

function rbacOf(policy: string, extra: { [key: string]: string } = {}) {
  return ArgoCdRbac.fromConfig({ rbacConfigMapData: { 'policy.csv': policy, ...extra } });
}

describe('Argo CD semantics', () => {
  test('deny overrides allow, also through inherited roles', () => {
    const rbac = rbacOf([
      'p, role:dev, applications, *, team/*, allow',
      'p, role:no-delete, applications, delete, team/*, deny',
      'g, role:dev, role:no-delete',
      'g, alice, role:dev',
    ].join('\n'));
    expect(rbac.can('alice', 'applications', 'sync', 'team/web')).toBe(true);
    expect(rbac.can('alice', 'applications', 'delete', 'team/web')).toBe(false);
    const why = rbac.explain('alice', 'applications', 'delete', 'team/web');
    expect(why.reason).toMatch(/explicit deny/);
    expect(why.lines).toEqual(['p, role:no-delete, applications, delete, team/*, deny  (argocd-rbac-cm policy.csv)']);
  });

  test('the policy.default role is checked first: a deny cannot block what it allows', () => {
    const rbac = rbacOf('p, alice, applications, get, */*, deny\ng, alice, role:none', { 'policy.default': 'role:readonly' });
    expect(rbac.can('alice', 'applications', 'get', 'p/app')).toBe(true);
    expect(rbac.explain('alice', 'applications', 'get', 'p/app').reason).toMatch(/policy.default role 'role:readonly'/);
  });

  test("glob mode: '*' matches '/', so 'p/*' covers apps in other namespaces", () => {
    const rbac = rbacOf('p, alice, applications, get, team/*, allow');
    expect(rbac.can('alice', 'applications', 'get', 'team/ns/web')).toBe(true);
    expect(rbac.can('alice', 'applications', 'get', 'team-b/web')).toBe(false);
  });

  test('glob mode: classes and alternatives', () => {
    // '{a,b}' contains a comma, so the field must be quoted in the CSV
    expect(() => rbacOf('p, alice, applications, get, {dev,qa}/web-[0-9], allow')).toThrow(/6 fields/);
    const rbac = rbacOf('p, alice, applications, get, "{dev,qa}/web-[0-9]", allow');
    expect(rbac.can('alice', 'applications', 'get', 'qa/web-3')).toBe(true);
    expect(rbac.can('alice', 'applications', 'get', 'prod/web-3')).toBe(false);
    expect(rbac.can('alice', 'applications', 'get', 'dev/web-x')).toBe(false);
  });

  test('regex mode is unanchored', () => {
    const rbac = rbacOf('p, alice, applications, get, dev/.*, allow', { 'policy.matchMode': 'regex' });
    expect(rbac.matchMode).toBe('regex');
    expect(rbac.can('alice', 'applications', 'get', 'dev/web')).toBe(true);
    // unanchored: 'notdev/web' contains 'dev/web'
    expect(rbac.can('alice', 'applications', 'get', 'notdev/web')).toBe(true);
    // and the resource 'applications' also matches 'applicationsets'
    expect(rbac.can('alice', 'applicationsets', 'get', 'dev/set')).toBe(true);
  });

  test("regex mode: a pattern Go cannot compile fails the evaluation, so the built-in '*/*' roles break (upstream #13127)", () => {
    const rbac = rbacOf('g, alice, role:admin\np, bob, applications, get, .*/.*, allow', { 'policy.matchMode': 'regex' });
    expect(rbac.can('alice', 'applications', 'get', 'p/a')).toBe(false);
    expect(rbac.explain('alice', 'applications', 'get', 'p/a').reason).toMatch(/not a valid regular expression/);
    expect(rbac.can('bob', 'applications', 'get', 'p/a')).toBe(true);
  });

  test('an unknown match mode means glob', () => {
    expect(rbacOf('', { 'policy.matchMode': 'Regex' }).matchMode).toBe('glob');
  });

  test('v3: update and delete on an application do not cover its resources', () => {
    const rbac = rbacOf('p, alice, applications, update, p/*, allow\np, alice, applications, delete, p/*, allow\ng, alice, role:x');
    expect(rbac.can('alice', 'applications', 'update', 'p/app')).toBe(true);
    expect(rbac.can('alice', 'applications', 'update/apps/Deployment/ns/web', 'p/app')).toBe(false);
    expect(rbac.can('alice', 'applications', 'delete/*/Pod/ns/web-0', 'p/app')).toBe(false);
    const withSub = rbacOf('p, alice, applications, update/*, p/*, allow');
    expect(withSub.can('alice', 'applications', 'update/apps/Deployment/ns/web', 'p/app')).toBe(true);
  });

  test('logs only get, exec only create, extensions only invoke', () => {
    const rbac = rbacOf('p, alice, *, *, *, allow');
    expect(() => rbac.can('alice', 'logs', 'update', 'p/app')).toThrow(/never checks 'update' on 'logs'/);
    expect(() => rbac.can('alice', 'exec', 'get', 'p/app')).toThrow(/exec/);
    expect(() => rbac.can('alice', 'extensions', 'get', 'ext')).toThrow(/extensions/);
    expect(() => rbac.can('alice', 'widgets', 'get', 'x')).toThrow(/unknown resource/);
    expect(rbac.can('alice', 'extensions', 'invoke', 'metrics')).toBe(true);
    // an application grant does not cover logs (v3 enforces logs RBAC always)
    expect(rbacOf('p, alice, applications, *, p/*, allow').can('alice', 'logs', 'get', 'p/app')).toBe(false);
  });

  test("'p' lines need exactly 6 fields and 'g' lines 3: the whole policy is refused", () => {
    expect(() => rbacOf('p, alice, applications, get, p/*')).toThrow(/line 1.*exactly 6 fields/);
    expect(() => rbacOf('p, alice, applications, get, p/*, allow, extra')).toThrow(/6 fields/);
    expect(() => rbacOf('g, alice, role:a, role:b')).toThrow(/'g' lines 3/);
    expect(() => rbacOf('x, alice, role:a')).toThrow(/invalid RBAC policy/);
    expect(() => rbacOf('', { 'policy.team.csv': 'p, a, b' })).toThrow(/policy.team.csv line 1/);
  });

  test('CSV quoting as Go reads it', () => {
    const rbac = rbacOf('p, "alice", applications, get, "p/a,b", allow');
    expect(rbac.can('alice', 'applications', 'get', 'p/a,b')).toBe(true);
    expect(() => rbacOf('p, al"ice, applications, get, p/*, allow')).toThrow(/bare/);
  });

  test('effects other than allow and deny never match', () => {
    expect(rbacOf('p, alice, applications, get, p/*, Allow').can('alice', 'applications', 'get', 'p/a')).toBe(false);
  });

  test('policy.csv first, then policy.<name>.csv keys in sorted order, all joined', () => {
    const rbac = rbacOf('g, alice, role:b', {
      'policy.b.csv': 'p, role:b, applications, get, */*, allow',
      'policy.a.csv': 'p, role:b, applications, sync, */*, deny',
      'policy.default.csv.bak': 'p, role:b, applications, sync, */*, allow',
    });
    expect(rbac.can('alice', 'applications', 'get', 'p/a')).toBe(true);
    expect(rbac.can('alice', 'applications', 'sync', 'p/a')).toBe(false);
  });

  test('groups are checked only when some g line maps them', () => {
    const rbac = rbacOf('p, team-x, applications, get, p/*, allow\np, role:y, applications, sync, p/*, allow\ng, team-y, role:y');
    expect(rbac.can('alice', 'applications', 'get', 'p/a', ['team-x'])).toBe(false);
    expect(rbac.can('team-x', 'applications', 'get', 'p/a')).toBe(true); // as a subject it works
    expect(rbac.can('alice', 'applications', 'sync', 'p/a', ['team-x', 'team-y'])).toBe(true);
    expect(rbac.explain('alice', 'applications', 'sync', 'p/a', ['team-y']).reason).toBe("allowed for the group 'team-y'");
  });

  test('role inheritance stops after 10 hops, as Casbin', () => {
    const chain = (n: number) => [
      ...Array.from({ length: n }, (_, i) => `g, ${i === 0 ? 'alice' : `role:r${i}`}, role:r${i + 1}`),
      `p, role:r${n}, applications, get, */*, allow`,
    ].join('\n');
    expect(rbacOf(chain(10)).can('alice', 'applications', 'get', 'p/a')).toBe(true);
    expect(rbacOf(chain(11)).can('alice', 'applications', 'get', 'p/a')).toBe(false);
  });

  test('a policy line with an empty subject applies to everyone (Argo CD retries with an empty subject)', () => {
    expect(rbacOf('p, "", applications, get, */*, allow').can('anyone', 'applications', 'get', 'p/a')).toBe(true);
  });
});

describe('project roles', () => {
  const projects = [
    {
      name: 'team-a',
      roles: [
        { name: 'deployer', policies: ['p, proj:team-a:deployer, applications, sync, team-a/*, allow'], groups: ['team-a-devs'] },
        { name: 'ci', policies: ['p, proj:team-a:ci, applications, *, team-a/*, allow'] },
      ],
    },
    { name: 'team-b', roles: [{ name: 'deployer', policies: ['p, proj:team-b:deployer, applications, sync, team-b/*, allow'], groups: ['team-b-devs'] }] },
  ];
  const rbac = ArgoCdRbac.fromConfig({ rbacConfigMapData: { 'policy.csv': 'p, role:x, applications, sync, team-b/*, deny\ng, team-b-devs, role:x' }, projects });

  test('groups bound to a project role join for that project only', () => {
    expect(rbac.can('alice', 'applications', 'sync', 'team-a/web', ['team-a-devs'])).toBe(true);
    expect(rbac.can('alice', 'applications', 'sync', 'team-a/other-ns/web', ['team-a-devs'])).toBe(true);
    expect(rbac.can('alice', 'applications', 'sync', 'team-b/web', ['team-a-devs'])).toBe(false);
    expect(rbac.can('alice', 'applications', 'delete', 'team-a/web', ['team-a-devs'])).toBe(false);
  });

  test('project role members get the project itself', () => {
    expect(rbac.can('alice', 'projects', 'get', 'team-a', ['team-a-devs'])).toBe(true);
    expect(rbac.can('alice', 'projects', 'get', 'team-b', ['team-a-devs'])).toBe(false);
  });

  test('a deny in argocd-rbac-cm still wins over a project role', () => {
    expect(rbac.can('bob', 'applications', 'sync', 'team-b/web', ['team-b-devs'])).toBe(false);
  });

  test('a project token is checked only against its own project', () => {
    expect(rbac.can('proj:team-a:ci', 'applications', 'delete', 'team-a/web')).toBe(true);
    expect(rbac.can('proj:team-a:ci', 'applications', 'get', 'team-b/web')).toBe(false);
    expect(rbac.explain('proj:team-a:ci', 'applications', 'get', 'team-b/web').reason).toMatch(/only against its own project/);
    expect(rbac.can('proj:team-a:ci', 'projects', 'get', 'team-a')).toBe(true);
    expect(rbac.can('proj:team-a:nobody', 'applications', 'get', 'team-a/web')).toBe(false);
  });

  test('an invalid project policy falls back to the base policy, as Argo CD does', () => {
    const broken = ArgoCdRbac.fromConfig({
      rbacConfigMapData: {},
      projects: [{ name: 'p', roles: [{ name: 'r', policies: ['p, proj:p:r, applications, get'], groups: ['g'] }] }],
    });
    expect(broken.can('alice', 'projects', 'get', 'p', ['g'])).toBe(false);
  });
});

describe('of, fromManifests, explain and matrix', () => {
  function build() {
    const chart = testChart();
    const project = new ProjectWithRoles(chart, 'Team', {
      name: 'team-a',
      sourceRepos: ['https://github.com/myorg/*'],
      destinations: [{ server: IN_CLUSTER_SERVER, namespace: 'team-a' }],
      roles: [{
        name: 'dev',
        policies: [{ resource: ArgoCdResource.APPLICATIONS, action: ArgoCdAction.SYNC, object: 'team-a/*' }],
        groups: ['devs'],
      }],
    });
    return { chart, project };
  }

  test('of() reads rbacConfigData() and every ProjectWithRoles in the tree', () => {
    const { chart } = build();
    const argoCd = new SecureArgoCD(chart, 'ArgoCd', { allowNoInteractiveLogin: { reason: 'API tokens only' }, disableNetworkPolicies: { reason: 'policies managed elsewhere' }, rbac: { groupMappings: [{ group: 'ops', role: ArgoCdRole.admin() }] } });
    const rbac = ArgoCdRbac.of(argoCd);
    expect(rbac.can('x', 'applications', 'sync', 'team-a/web', ['devs'])).toBe(true);
    expect(rbac.can('x', 'clusters', 'delete', 'https://c', ['ops'])).toBe(true);
    expect(rbac.can('x', 'clusters', 'delete', 'https://c', ['devs'])).toBe(false);
  });

  test('of() sees projects and roles added after it was called, and every AppProject object', () => {
    const chart = testChart();
    const argoCd = new SecureArgoCD(chart, 'ArgoCd', { allowNoInteractiveLogin: { reason: 'API tokens only' }, disableNetworkPolicies: { reason: 'policies managed elsewhere' } });
    const rbac = ArgoCdRbac.of(argoCd);
    expect(rbac.can('x', 'applications', 'sync', 'team-a/web', ['devs'])).toBe(false);
    const project = new ProjectWithRoles(chart, 'Team', {
      name: 'team-a',
      sourceRepos: ['https://github.com/myorg/*'],
      destinations: [{ server: IN_CLUSTER_SERVER, namespace: 'team-a' }],
    });
    expect(rbac.can('x', 'applications', 'sync', 'team-a/web', ['devs'])).toBe(false);
    project.addRole({ name: 'dev', policies: [{ resource: ArgoCdResource.APPLICATIONS, action: ArgoCdAction.SYNC, object: 'team-a/*' }], groups: ['devs'] });
    expect(rbac.can('x', 'applications', 'sync', 'team-a/web', ['devs'])).toBe(true);
    // The locked-down default project and hand-written AppProjects take part too.
    new LockedDownDefaultProject(chart, 'Default');
    new ApiObject(chart, 'Raw', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: 'raw', namespace: 'argocd' },
      spec: { roles: [{ name: 'ci', policies: ['p, proj:raw:ci, applications, sync, raw/*, allow'], groups: ['ci'] }] },
    });
    expect(rbac.can('x', 'applications', 'sync', 'raw/app', ['ci'])).toBe(true);
    // Two AppProjects named 'default' are one too many, whoever wrote them.
    new ApiObject(chart, 'Duplicate', { apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'default', namespace: 'argocd' } });
    expect(() => rbac.can('x', 'applications', 'get', 'default/app')).toThrow(/two AppProjects are named 'default'/);
  });

  test('of() ignores AppProjects in other namespaces', () => {
    const chart = testChart();
    const argoCd = new SecureArgoCD(chart, 'ArgoCd', { allowNoInteractiveLogin: { reason: 'API tokens only' }, disableNetworkPolicies: { reason: 'policies managed elsewhere' } });
    new ProjectWithRoles(chart, 'Elsewhere', {
      name: 'team-a',
      namespace: 'other',
      sourceRepos: ['https://github.com/myorg/*'],
      destinations: [{ server: IN_CLUSTER_SERVER, namespace: 'team-a' }],
      roles: [{ name: 'dev', policies: [{ resource: ArgoCdResource.APPLICATIONS, action: ArgoCdAction.SYNC, object: 'team-a/*' }], groups: ['devs'] }],
    });
    expect(ArgoCdRbac.of(argoCd).can('x', 'applications', 'sync', 'team-a/web', ['devs'])).toBe(false);
  });

  test('fromManifests() reads the synthesized ConfigMap and AppProjects', () => {
    const { chart } = build();
    const manifests: any[] = [
      ...synth(chart),
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-rbac-cm' }, data: { 'policy.default': 'role:readonly' } },
    ];
    const rbac = ArgoCdRbac.fromManifests(manifests);
    expect(rbac.can('x', 'applications', 'sync', 'team-a/web', ['devs'])).toBe(true);
    expect(rbac.can('x', 'applications', 'get', 'other/web')).toBe(true);
    expect(() => ArgoCdRbac.fromManifests([])).toThrow(/argocd-rbac-cm/);
  });

  test('explain lists the deciding lines with their origin', () => {
    const rbac = rbacOf('g, alice, role:admin');
    const d = rbac.explain('alice', 'applications', 'sync', 'p/a');
    expect(d).toEqual({
      allowed: true,
      reason: "allowed for the subject 'alice'",
      lines: ['p, role:admin, applications, sync, */*, allow  (builtin-policy.csv)'],
    });
    expect(rbac.explain('bob', 'applications', 'sync', 'p/a')).toEqual({
      allowed: false,
      reason: "no policy allows 'bob' to sync applications 'p/a'",
      lines: [],
    });
  });

  test('matrix renders a Markdown table', () => {
    const rbac = rbacOf('g, ops, role:admin', { 'policy.default': 'role:readonly' });
    expect(rbac.matrix(
      [{ subject: 'alice' }, { subject: 'bob', groups: ['ops'] }, { subject: 'c|d', label: 'pipe | user' }],
      [{ resource: 'applications', action: 'get', object: 'p/a' }, { resource: 'applications', action: 'delete', object: 'p/a', label: 'delete p/a' }],
    )).toBe([
      '| who | applications get p/a | delete p/a |',
      '| --- | --- | --- |',
      '| alice | yes | no |',
      '| bob [ops] | yes | yes |',
      '| pipe \\| user | yes | no |',
      '',
    ].join('\n'));
  });
});

// The glob dialect Argo CD uses (github.com/gobwas/glob through util/glob), cases from its README.
describe('Argo CD glob matching', () => {
  test.each([
    ['*', 'any/thing', '', true], // without separators '*' crosses '/'
    ['*', 'any/thing', '/', false],
    ['**', 'any/thing', '/', true],
    ['*.github.com', 'api.github.com', '.', true],
    ['*.github.com', 'api.gi.github.com', '.', false],
    ['**.github.com', 'api.gi.github.com', '.', true],
    ['{https,http}://*.github.com', 'http://api.github.com', '', true],
    ['a?c', 'abc', '', true],
    ['a?c', 'a/c', '/', false],
    ['[abc]x', 'bx', '', true],
    ['[!abc]x', 'bx', '', false],
    ['[a-c]x', 'cx', '', true],
    ['[!a-c]x', 'dx', '', true],
    ['\\*x', '*x', '', true],
    ['\\*x', 'ax', '', false],
    ['app-[', 'app-[', '', false], // does not compile: matches nothing
    ['{a,b', 'a', '', false],
  ])('%s ~ %s (separators %j) -> %s', (pattern, value, separators, expected) => {
    expect(argoGlobMatch(pattern, value, separators)).toBe(expected);
  });
});

describe('review: exactness', () => {
  function rbacWith(data: { [key: string]: string }, projects: any[] = []) {
    return ArgoCdRbac.fromConfig({ rbacConfigMapData: data, projects });
  }

  test.each([
    ['[a-z0-9]x', '3x', false], // gobwas reads one range per class: this does not compile
    ['[a-]x', 'ax', false], // a range with no upper bound does not compile
    ['[abc-e]x', '-x', true], // no range here: the set a, b, c, '-', e
    ['[abc-e]x', 'dx', false],
    ['[\\]]x', ']x', true], // escapes work inside a set
    ['[!a-c]', 'b', false],
    ['?', '\u{1F600}', true], // '?' is one character (a rune), even outside the BMP
    ['a\\', 'a', false], // a trailing backslash does not compile
  ])('glob %s ~ %s -> %s', (pattern, value, expected) => {
    expect(argoGlobMatch(pattern, value)).toBe(expected);
  });

  test('regex mode reads Go RE2: leading flags, (?P<name>), \\A and \\z; lookaround and backreferences fail', () => {
    const regex = (obj: string) => rbacWith({ 'policy.matchMode': 'regex', 'policy.csv': `p, alice, applications, get, ${obj}, allow` });
    expect(regex('(?i)^DEV/.*$').can('alice', 'applications', 'get', 'dev/web')).toBe(true);
    expect(regex('^(?P<project>dev)/.*$').can('alice', 'applications', 'get', 'dev/web')).toBe(true);
    expect(regex('\\Adev/web\\z').can('alice', 'applications', 'get', 'dev/web')).toBe(true);
    expect(regex('\\Adev/web\\z').can('alice', 'applications', 'get', 'dev/web-2')).toBe(false);
    // Go's regexp refuses these: Casbin panics and the request is denied
    const lookahead = regex('^(?=dev).*$').explain('alice', 'applications', 'get', 'dev/web');
    expect(lookahead.allowed).toBe(false);
    expect(lookahead.reason).toMatch(/not a valid regular expression/);
    expect(regex('^(dev)/\\1$').can('alice', 'applications', 'get', 'dev/dev')).toBe(false);
    expect(() => regex('^(?i:dev)/.*$').can('alice', 'applications', 'get', 'dev/web')).toThrow(/inline flags/);
  });

  test("a 'proj:' subject that is not proj:<p>:<r> is an ordinary user, as in Argo CD (IsProjectSubject)", () => {
    const rbac = rbacWith({ 'policy.csv': 'p, proj:team-a:ci:x, applications, get, */*, allow' }, [{ name: 'team-a', roles: [] }]);
    const d = rbac.explain('proj:team-a:ci:x', 'applications', 'get', 'team-a/web');
    expect(d.allowed).toBe(true);
    expect(d.reason).toMatch(/allowed for the subject 'proj:team-a:ci:x'/);
    expect(rbac.can('proj:team-a:ci:x', 'applications', 'get', 'other/web')).toBe(true);
    // a three-part subject is a project token: checked only against its own project
    expect(rbacWith({ 'policy.csv': 'p, proj:team-b:ci, applications, get, */*, allow' }, [{ name: 'team-a', roles: [] }])
      .can('proj:team-b:ci', 'applications', 'get', 'team-a/web')).toBe(false);
  });

  test('scopes must be a YAML list of strings (Argo CD exits on anything else)', () => {
    expect(rbacWith({ scopes: '[groups, email]' }).scopes).toEqual(['groups', 'email']);
    expect(rbacWith({ scopes: '' }).scopes).toEqual(['groups']);
    expect(() => rbacWith({ scopes: 'groups' })).toThrow(/scopes 'groups' is not a YAML list/);
    expect(() => rbacWith({ scopes: '[groups, 1]' })).toThrow(/scopes/);
  });

  test('two AppProjects with one name are refused', () => {
    expect(() => rbacWith({}, [{ name: 'p' }, { name: 'p' }])).toThrow(/two AppProjects are named 'p'/);
  });

  test("of() and fromManifests() read only the projects in Argo CD's namespace", () => {
    const chart = testChart();
    const roles = [{ name: 'dev', policies: [{ resource: ArgoCdResource.APPLICATIONS, action: ArgoCdAction.SYNC, object: 'team-a/*' }], groups: ['devs'] }];
    new ProjectWithRoles(chart, 'Mine', { name: 'team-a', sourceRepos: ['https://github.com/myorg/*'], destinations: [{ server: IN_CLUSTER_SERVER, namespace: 'team-a' }], roles });
    new ProjectWithRoles(chart, 'OtherInstance', {
      name: 'team-a',
      namespace: 'argocd-other',
      sourceRepos: ['https://github.com/myorg/*'],
      destinations: [{ server: IN_CLUSTER_SERVER, namespace: 'team-a' }],
      roles: [{ ...roles[0], groups: ['everyone'] }],
    });
    const argoCd = new SecureArgoCD(chart, 'ArgoCd', { allowNoInteractiveLogin: { reason: 'API tokens only' }, disableNetworkPolicies: { reason: 'policies managed elsewhere' } });
    const rbac = ArgoCdRbac.of(argoCd);
    expect(rbac.can('x', 'applications', 'sync', 'team-a/web', ['devs'])).toBe(true);
    expect(rbac.can('x', 'applications', 'sync', 'team-a/web', ['everyone'])).toBe(false);
    const fromYaml = ArgoCdRbac.fromManifests(synth(chart));
    expect(fromYaml.can('x', 'applications', 'sync', 'team-a/web', ['devs'])).toBe(true);
    expect(fromYaml.can('x', 'applications', 'sync', 'team-a/web', ['everyone'])).toBe(false);
  });
});

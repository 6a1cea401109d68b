import { Chart, Testing } from 'cdk8s';
import {
  ArgoCdAction, ArgoCdRbacOptions, ArgoCdRbacValidation, ArgoCdResource, ArgoCdRole, PolicyEffect, RbacMatchMode, SecureArgoCD,
} from '../../src';
import { renderArgoCdRbac } from '../../src/argocd/private/rbac-render';
import { factoryProblemsOf } from '../../src/private/errors';

/** Renders and synthesizes: problems are reported at synth, all of them at once. */
function render(options: ArgoCdRbacOptions, execEnabled: boolean = false): Record<string, string> {
  const chart = new Chart(Testing.app(), 'test');
  const data = renderArgoCdRbac(chart, options, execEnabled).data;
  Testing.synth(chart);
  return data;
}

/** The problems a factory recorded, as `<property>: <problem>` (reported when a construct uses the object). */
const recorded = (obj: object) => factoryProblemsOf(obj).map((p) => `${p.property}: ${p.problem}`);

describe('ArgoCdAction', () => {
  test('verbs and paths', () => {
    expect(ArgoCdAction.GET.value).toBe('get');
    expect(ArgoCdAction.ALL.value).toBe('*');
    expect(ArgoCdAction.action('apps', 'Deployment', 'restart').value).toBe('action/apps/Deployment/restart');
    expect(ArgoCdAction.action('', 'Pod', 'delete').value).toBe('action//Pod/delete');
    expect(ArgoCdAction.action('*', '*').value).toBe('action/*');
    expect(ArgoCdAction.updateResources().value).toBe('update/*');
    expect(ArgoCdAction.updateResources('apps', 'Deployment').value).toBe('update/apps/Deployment/*/*');
    expect(ArgoCdAction.deleteResources('', 'Pod', 'prod', '*').value).toBe('delete//Pod/prod/*');
  });

  test('refuses segments that could break the action or the line', () => {
    expect(recorded(ArgoCdAction.action('apps', 'Deployment/x'))).toEqual([expect.stringMatching(/^action: 'Deployment\/x' is not a valid segment/)]);
    expect(recorded(ArgoCdAction.updateResources('apps, p', 'x'))).toEqual([expect.stringMatching(/^update: 'apps, p'/)]);
    // reported by the construct whose policy uses it, at synth
    const role = ArgoCdRole.custom('x', { policies: [{ resource: ArgoCdResource.APPLICATIONS, action: ArgoCdAction.action('apps', 'Deployment/x'), object: 'p/*' }] });
    expect(() => render({ roles: [role] })).toThrow(/\[test\] Chart 'test': rbac role 'x' policies\[0\]: action 'Deployment\/x' is not a valid segment/);
  });
});

describe('ArgoCdRbacValidation', () => {
  test.each([
    ['', /empty/],
    ['team,role:admin', /contains ','/],
    ['team"x', /contains '"'/],
    ["team'x", /contains '''/],
    ['team\np, evil, *, *, */*, allow', /contains '\\n'/],
    ['team#x', /contains '#'/],
    [' team', /whitespace/],
    ['team ', /whitespace/],
  ])('token %j is injectable', (token, message) => {
    expect(ArgoCdRbacValidation.tokenProblem(token)).toMatch(message);
  });

  test.each(['admin-team', 'my-org:team-alpha', 'alice@example.com', 'production/*'])('token %j is safe', (token) => {
    expect(ArgoCdRbacValidation.tokenProblem(token)).toBeUndefined();
  });

  test('resource and action combinations Argo CD enforces', () => {
    const problem = (r: ArgoCdResource, a: ArgoCdAction) => ArgoCdRbacValidation.actionProblem(r, a);
    expect(problem(ArgoCdResource.LOGS, ArgoCdAction.GET)).toBeUndefined();
    expect(problem(ArgoCdResource.LOGS, ArgoCdAction.SYNC)).toMatch(/'logs' takes only the action 'get'/);
    expect(problem(ArgoCdResource.EXEC, ArgoCdAction.CREATE)).toBeUndefined();
    expect(problem(ArgoCdResource.EXEC, ArgoCdAction.GET)).toMatch(/'exec' takes only the action 'create'/);
    expect(problem(ArgoCdResource.EXTENSIONS, ArgoCdAction.GET)).toMatch(/'extensions' takes only the action 'invoke'/);
    expect(problem(ArgoCdResource.APPLICATIONS, ArgoCdAction.INVOKE)).toMatch(/'invoke' applies only to 'extensions'/);
    expect(problem(ArgoCdResource.PROJECTS, ArgoCdAction.updateResources())).toMatch(/applies only to 'applications'/);
    expect(problem(ArgoCdResource.APPLICATIONS, ArgoCdAction.updateResources())).toBeUndefined();
  });

  test('unknown resources and actions', () => {
    expect(ArgoCdRbacValidation.actionProblem('widgets' as ArgoCdResource, ArgoCdAction.GET)).toMatch(/unknown resource 'widgets'/);
    expect(ArgoCdRbacValidation.actionProblem(ArgoCdResource.APPLICATIONS, { value: 'destroy' } as any)).toMatch(/unknown action 'destroy'/);
  });

  test('admin-like grants on everything', () => {
    const grant = (resource: ArgoCdResource, action: ArgoCdAction, object: string, effect?: PolicyEffect) =>
      ArgoCdRbacValidation.isGlobalAdminGrant({ resource, action, object, effect });
    expect(grant(ArgoCdResource.APPLICATIONS, ArgoCdAction.ALL, '*/*')).toBe(true);
    expect(grant(ArgoCdResource.CLUSTERS, ArgoCdAction.CREATE, '*')).toBe(true);
    expect(grant(ArgoCdResource.APPLICATIONS, ArgoCdAction.deleteResources(), '*/*')).toBe(true);
    expect(grant(ArgoCdResource.EXEC, ArgoCdAction.CREATE, '*/*')).toBe(true);
    expect(grant(ArgoCdResource.APPLICATIONS, ArgoCdAction.ALL, 'production/*')).toBe(false);
    expect(grant(ArgoCdResource.APPLICATIONS, ArgoCdAction.SYNC, '*/*')).toBe(false);
    expect(grant(ArgoCdResource.APPLICATIONS, ArgoCdAction.ALL, '*/*', PolicyEffect.DENY)).toBe(false);
  });
});

describe('ArgoCdRole presets, hardened', () => {
  test('admin and readonly are the built-in roles: no policy lines', () => {
    const data = render({
      groupMappings: [
        { group: 'admin-team', role: ArgoCdRole.admin() },
        { group: 'viewer-team', role: ArgoCdRole.readonly() },
      ],
    });
    expect(data['policy.csv']).toBe('g, admin-team, role:admin\ng, viewer-team, role:readonly\n');
  });

  test('developer: read, sync and resource actions, nothing that changes definitions', () => {
    const csv = render({ roles: [ArgoCdRole.developer()] })['policy.csv'];
    expect(csv.split('\n').filter(Boolean)).toEqual([
      'p, role:developer, applications, get, */*, allow',
      'p, role:developer, applications, sync, */*, allow',
      'p, role:developer, applications, action/*, */*, allow',
      'p, role:developer, logs, get, */*, allow',
      'p, role:developer, repositories, get, *, allow',
      'p, role:developer, projects, get, *, allow',
    ]);
  });

  test('project admin is confined to its project', () => {
    const csv = render({ roles: [ArgoCdRole.projectAdmin('production', 'prod-admin')] }, true)['policy.csv'];
    const lines = csv.split('\n').filter(Boolean);
    expect(lines).toContain('p, role:prod-admin, applications, *, production/*, allow');
    expect(lines).toContain('p, role:prod-admin, exec, create, production/*, allow');
    expect(lines.every((l) => l.endsWith('production/*, allow') || l.endsWith(', production, allow'))).toBe(true);
  });

  test('exec grants are written only when the web terminal is enabled (no dead grants)', () => {
    const roles = [ArgoCdRole.projectAdmin('production', 'prod-admin'), ArgoCdRole.custom('shell', { policies: [{ resource: ArgoCdResource.EXEC, action: ArgoCdAction.CREATE, object: 'dev/*' }] })];
    const off = render({ roles })['policy.csv'];
    expect(off).not.toMatch(/exec/);
    expect(off).toContain('p, role:prod-admin, applications, *, production/*, allow');
    expect(render({ roles }, true)['policy.csv']).toContain('p, role:shell, exec, create, dev/*, allow');
    // end to end: SecureArgoCD passes enableExec through
    const chart = new Chart(Testing.app(), 'e2e');
    const argoCd = new SecureArgoCD(chart, 'ArgoCd', { allowNoInteractiveLogin: { reason: 'API tokens only' }, disableNetworkPolicies: { reason: 'policies managed elsewhere' }, rbac: { roles } });
    expect(argoCd.rbacConfigData()['policy.csv']).not.toMatch(/exec/);
    const withExec = new SecureArgoCD(new Chart(Testing.app(), 'e2e'), 'ArgoCd', { allowNoInteractiveLogin: { reason: 'API tokens only' }, disableNetworkPolicies: { reason: 'policies managed elsewhere' }, enableExec: { reason: 'on-call debugging' }, rbac: { roles } });
    expect(withExec.rbacConfigData()['policy.csv']).toContain('p, role:prod-admin, exec, create, production/*, allow');
  });

  test('project admin refuses a wildcard or injectable project', () => {
    expect(recorded(ArgoCdRole.projectAdmin('*'))).toContainEqual(expect.stringMatching(/^project: '\*' is not a project name/));
    expect(recorded(ArgoCdRole.projectAdmin('prod, x'))).toContainEqual(expect.stringMatching(/^project: .* contains ','/));
    expect(() => render({ roles: [ArgoCdRole.projectAdmin('*')] })).toThrow(/rbac\.roles\[0\]\.project: '\*' is not a project name: use the AppProject's name/);
  });

  test('role names: no prefix, no built-in names, no injection', () => {
    expect(recorded(ArgoCdRole.custom('role:x', { policies: [] }))).toEqual([expect.stringMatching(/^name: 'role:x' is not a valid role name/)]);
    expect(recorded(ArgoCdRole.custom('admin', { policies: [] }))).toEqual([expect.stringMatching(/^name: 'admin' is a built-in role/)]);
    expect(recorded(ArgoCdRole.custom('a,b', { policies: [] }))).toEqual([expect.stringMatching(/^name: .* contains ','/)]);
    expect(() => render({ groupMappings: [{ group: 'ops', role: ArgoCdRole.custom('a,b', { policies: [] }) }] })).toThrow(/rbac\.groupMappings\[0\]\.role\.name/);
  });
});

describe('argocd-rbac-cm data', () => {
  test('secure defaults: no policy.default (deny), glob, groups scope', () => {
    const data = render({});
    expect(data).toEqual({ 'policy.csv': '', 'policy.matchMode': 'glob', 'scopes': '[groups]' });
    expect(data['policy.default']).toBeUndefined();
  });

  test('readonly default is an opt-in', () => {
    expect(render({ defaultRole: ArgoCdRole.readonly() })['policy.default']).toBe('role:readonly');
  });

  test('scopes are rendered as a YAML list', () => {
    expect(render({ scopes: ['groups', 'email'] }).scopes).toBe('[groups, email]');
    expect(() => render({ scopes: ['groups]', 'x'] })).toThrow(/rbac.scopes\[0\]/);
  });

  test('an injectable group is refused', () => {
    expect(() => render({ groupMappings: [{ group: 'dev-team\ng, evil, role:admin', role: ArgoCdRole.readonly() }] }))
      .toThrow(/rbac.groupMappings\[0\].group/);
    expect(() => render({ groupMappings: [{ group: 'role:admin', role: ArgoCdRole.readonly() }] }))
      .toThrow(/is a role, not a group/);
  });

  test('an injectable object is refused', () => {
    const role = ArgoCdRole.custom('x', { policies: [{ resource: ArgoCdResource.CLUSTERS, action: ArgoCdAction.GET, object: '*, allow\np, x, clusters, *' }] });
    expect(() => render({ roles: [role] })).toThrow(/policies\[0\]: object/);
  });

  test('unknown resource or action is refused', () => {
    const bad = (resource: any, action: any) => ArgoCdRole.custom('x', { policies: [{ resource, action, object: '*/*' }] });
    expect(() => render({ roles: [bad('widgets', ArgoCdAction.GET)] })).toThrow(/rbac role 'x' policies\[0\]: unknown resource 'widgets'/);
    expect(() => render({ roles: [bad(ArgoCdResource.APPLICATIONS, { value: 'nuke' })] })).toThrow(/unknown action 'nuke'/);
    expect(() => render({ roles: [bad(ArgoCdResource.LOGS, ArgoCdAction.DELETE)] })).toThrow(/'logs' takes only the action 'get'/);
  });

  test('objects of project-scoped resources need <project>/<name>', () => {
    const role = ArgoCdRole.custom('x', { policies: [{ resource: ArgoCdResource.APPLICATIONS, action: ArgoCdAction.GET, object: 'production' }] });
    expect(() => render({ roles: [role] })).toThrow(/'<project>\/<name>'/);
  });

  test('an admin-like grant on everything needs an explicit opt-in', () => {
    const policies = [{ resource: ArgoCdResource.CLUSTERS, action: ArgoCdAction.ALL, object: '*' }];
    expect(() => render({ roles: [ArgoCdRole.custom('ops', { policies })] })).toThrow(/admin-like grant on everything.*allowGlobalAdmin/);
    expect(render({ roles: [ArgoCdRole.custom('ops', { policies, allowGlobalAdmin: { reason: 'break-glass role of the platform team' } })] })['policy.csv'])
      .toBe('p, role:ops, clusters, *, *, allow\n');
  });

  test('the admin opt-in cannot be bypassed with other patterns that match everything', () => {
    const grant = (object: string) => ArgoCdRole.custom('ops', { policies: [{ resource: ArgoCdResource.APPLICATIONS, action: ArgoCdAction.DELETE, object }] });
    for (const object of ['**/**', '*/**', '*/*/*', '?*/*', '[a-z]*/*']) {
      expect(() => render({ roles: [grant(object)] })).toThrow(/admin-like grant on everything/);
    }
    for (const object of ['^.*/?.*$', '^.+/.*$', '^.*/.*$', '^(.*/.*)$', '^[^/]+/.*$']) {
      expect(() => render({ matchMode: RbacMatchMode.REGEX, roles: [grant(object)] })).toThrow(/admin-like grant on everything/);
    }
    expect(ArgoCdRbacValidation.isGlobalAdminGrant({ resource: ArgoCdResource.APPLICATIONS, action: ArgoCdAction.DELETE, object: '^dev/.*$' }, RbacMatchMode.REGEX)).toBe(false);
    expect(ArgoCdRbacValidation.isGlobalAdminGrant({ resource: ArgoCdResource.APPLICATIONS, action: ArgoCdAction.DELETE, object: 'dev/*' })).toBe(false);
    expect(render({ matchMode: RbacMatchMode.REGEX, roles: [grant('^dev/.*$')] })['policy.csv']).toBe('p, role:ops, ^applications$, ^delete$, ^dev/.*$, allow\n');
  });

  test('brace, class and escape patterns are read by the one glob engine (global admin guard)', () => {
    const del = (object: string) =>
      ArgoCdRbacValidation.isGlobalAdminGrant({ resource: ArgoCdResource.APPLICATIONS, action: ArgoCdAction.DELETE, object });
    // Argo CD reads '{*}' as an alternative of one '*': these match every application.
    for (const object of ['{*}/{*}', '{a,*}/*', '*/{*}', '{*,x}/{y,*}', '{\\*,*}/*', '[!hz]*/*', '[!z]*/*', '?*/{*}']) {
      expect([object, del(object)]).toEqual([object, true]);
      const role = ArgoCdRole.custom('ops', { policies: [{ resource: ArgoCdResource.APPLICATIONS, action: ArgoCdAction.DELETE, object }] });
      // Commas and backslashes cannot be written into policy.csv at all; the rest hit the guard.
      expect(() => render({ roles: [role] })).toThrow(/[,\\]/.test(object)
        ? /contains '[,\\]+'/
        : /admin-like grant on everything: scope the object to a project, bind ArgoCdRole.admin\(\), or set allowGlobalAdmin: \{ reason: '\.\.\.' \}/);
    }
    // Escaped metacharacters are literal: '\*/\*' names only the object '*/*'.
    for (const object of ['\\*/\\*', '\\{*}/x', 'dev/{a,b}', '{dev,stage}/*', '[a-c]/*']) {
      expect([object, del(object)]).toEqual([object, false]);
    }
  });

  test('applications, *, {*}/{*} is refused without allowGlobalAdmin', () => {
    const policies = [{ resource: ArgoCdResource.APPLICATIONS, action: ArgoCdAction.ALL, object: '{*}/{*}' }];
    expect(() => render({ roles: [ArgoCdRole.custom('ops', { policies })] })).toThrow(/'applications, \*, \{\*\}\/\{\*\}' is an admin-like grant on everything/);
    expect(render({ roles: [ArgoCdRole.custom('ops', { policies, allowGlobalAdmin: { reason: 'break-glass role of the platform team' } })] })['policy.csv']).toBe('p, role:ops, applications, *, {*}/{*}, allow\n');
  });

  test('roles are recognised by brand, not instanceof', () => {
    const role = ArgoCdRole.developer();
    expect(ArgoCdRole.isArgoCdRole(role)).toBe(true);
    expect(ArgoCdRole.isArgoCdRole({ ...role })).toBe(false);
    expect(() => render({ roles: [{ ...role } as ArgoCdRole] })).toThrow(/rbac.roles\[0\]: not an ArgoCdRole/);
    expect(ArgoCdAction.isArgoCdAction(ArgoCdAction.GET)).toBe(true);
    expect(ArgoCdAction.isArgoCdAction({ value: 'get' })).toBe(false);
  });

  test('policy.default cannot make every user an admin', () => {
    expect(() => render({ defaultRole: ArgoCdRole.admin() })).toThrow(/rbac.defaultRole: 'role:admin' grants admin-like actions on everything to every authenticated user/);
    const superuser = ArgoCdRole.custom('super', { policies: [{ resource: ArgoCdResource.CLUSTERS, action: ArgoCdAction.ALL, object: '*' }], allowGlobalAdmin: { reason: 'break-glass role of the platform team' } });
    expect(() => render({ defaultRole: superuser })).toThrow(/rbac.defaultRole/);
  });

  test('policy.default may only read unless a reason says otherwise (developer() would let every user sync */*)', () => {
    expect(() => render({ defaultRole: ArgoCdRole.developer() }))
      .toThrow(/rbac\.defaultRole: 'role:developer' can do more than read \(applications, sync, \*\/\*; applications, action\/\*, \*\/\*\).*set allowWritableDefaultRole with a reason/);
    const syncOne = ArgoCdRole.custom('sync-dev', { policies: [{ resource: ArgoCdResource.APPLICATIONS, action: ArgoCdAction.SYNC, object: 'dev/*' }] });
    expect(() => render({ defaultRole: syncOne })).toThrow(/'role:sync-dev' can do more than read/);
    expect(() => render({ defaultRole: ArgoCdRole.projectAdmin('dev') })).toThrow(/can do more than read/);
    // read-only roles and deny lines are fine
    const reader = ArgoCdRole.custom('reader', {
      policies: [
        { resource: ArgoCdResource.APPLICATIONS, action: ArgoCdAction.GET, object: '*/*' },
        { resource: ArgoCdResource.APPLICATIONS, action: ArgoCdAction.SYNC, object: 'prod/*', effect: PolicyEffect.DENY },
      ],
    });
    expect(render({ defaultRole: reader })['policy.default']).toBe('role:reader');
    expect(render({ defaultRole: ArgoCdRole.readonly() })['policy.default']).toBe('role:readonly');
    // accepted with a reason; a blank or multi-line reason is refused
    expect(render({ defaultRole: ArgoCdRole.developer(), allowWritableDefaultRole: { reason: 'lab cluster: every engineer syncs' } })['policy.default']).toBe('role:developer');
    expect(() => render({ defaultRole: ArgoCdRole.developer(), allowWritableDefaultRole: { reason: ' ' } })).toThrow(/allowWritableDefaultRole\.reason/);
    expect(() => render({ defaultRole: ArgoCdRole.developer(), allowWritableDefaultRole: { reason: 'x\u2028policy.default: role:admin' } }))
      .toThrow(/allowWritableDefaultRole\.reason/);
  });

  test('roles are ordered by code point, whatever the locale', () => {
    const roles = ['b', 'B', 'a-b', 'a_b', 'A'].map((n) => ArgoCdRole.custom(n, { policies: [{ resource: ArgoCdResource.PROJECTS, action: ArgoCdAction.GET, object: '*' }] }));
    expect(render({ roles })['policy.csv'].split('\n').filter(Boolean).map((l) => l.split(', ')[1]))
      .toEqual(['role:A', 'role:B', 'role:a-b', 'role:a_b', 'role:b']);
  });

  test('deny effects are written', () => {
    const role = ArgoCdRole.custom('x', { policies: [{ resource: ArgoCdResource.APPLICATIONS, action: ArgoCdAction.DELETE, object: 'production/*', effect: PolicyEffect.DENY }] });
    expect(render({ roles: [role] })['policy.csv']).toBe('p, role:x, applications, delete, production/*, deny\n');
  });

  test('two different roles with one name are refused', () => {
    expect(() => render({ roles: [ArgoCdRole.developer('ops'), ArgoCdRole.projectAdmin('prod', 'ops')] })).toThrow(/two different roles are named 'ops'/);
  });

  test('regex mode requires anchored objects and anchors resources and actions', () => {
    const unanchored = ArgoCdRole.custom('x', { policies: [{ resource: ArgoCdResource.APPLICATIONS, action: ArgoCdAction.GET, object: 'dev/.*' }] });
    expect(() => render({ matchMode: RbacMatchMode.REGEX, roles: [unanchored] })).toThrow(/anchored with '\^' and '\$'/);
    expect(() => render({ matchMode: RbacMatchMode.REGEX, roles: [ArgoCdRole.developer()] })).toThrow(/regular expression/);
    const anchored = ArgoCdRole.custom('x', {
      policies: [
        { resource: ArgoCdResource.APPLICATIONS, action: ArgoCdAction.GET, object: '^dev/.*$' },
        { resource: ArgoCdResource.APPLICATIONS, action: ArgoCdAction.action('apps', 'Deployment', 'restart'), object: '^dev/.*$' },
        { resource: ArgoCdResource.APPLICATIONS, action: ArgoCdAction.updateResources(), object: '^dev/.*$' },
      ],
    });
    expect(render({ matchMode: RbacMatchMode.REGEX, roles: [anchored] })['policy.csv'].split('\n').filter(Boolean)).toEqual([
      'p, role:x, ^applications$, ^get$, ^dev/.*$, allow',
      'p, role:x, ^applications$, ^action/apps/Deployment/restart$, ^dev/.*$, allow',
      'p, role:x, ^applications$, ^update/.*$, ^dev/.*$, allow',
    ]);
  });
});

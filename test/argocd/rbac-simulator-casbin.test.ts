// The simulator evaluates policies synchronously on its own. Here the npm `casbin` package,
// loaded with Argo CD's real model.conf and built-in policy (test/support/casbin-oracle.ts), is the oracle: for every request
// of a large grid, Argo CD's enforcement order (default role, subject, mapped groups, project
// runtime policy, project tokens, empty subject) is replayed on Casbin enforcers and must give
// the same answer.
import { ArgoCdRbac, RbacProjectData } from '../../src/argocd/rbac-simulator';
import { CasbinOracle } from '../support/casbin-oracle';
import { UPSTREAM_RBAC_EXAMPLE } from '../support/rbac-fixtures';

// Upstream's argocd-rbac-cm.yaml example (its policy lines, without comments), plus policies
// from the upstream RBAC documentation (docs/operator-manual/rbac.md) and deny, inheritance and
// project cases.
const DATA = {
  'policy.csv': [
    ...UPSTREAM_RBAC_EXAMPLE['policy.csv'].split('\n').filter((line) => !line.startsWith('#')),
    // rbac.md: an org admin role
    'p, role:org-admin, applications, *, */*, allow',
    'p, role:org-admin, clusters, get, *, allow',
    'p, role:org-admin, repositories, get, *, allow',
    'p, role:org-admin, repositories, create, *, allow',
    'g, your-github-org:your-team, role:org-admin',
    // rbac.md (v3 fine-grained): may delete Pods of prod-app but not the app itself
    'p, example-user, applications, delete, default/prod-app, deny',
    'p, example-user, applications, delete/*/Pod/*/*, default/prod-app, allow',
    'p, example-user, applications, update/*, default/prod-app, allow',
    // rbac.md: resource actions
    'p, role:restarter, applications, action/apps/Deployment/restart, default/*, allow',
    'g, dev-group, role:restarter',
    // exec
    'p, role:shell, exec, create, staging/*, allow',
    'g, sre, role:shell',
    // deny through inheritance
    'p, role:no-prod, applications, *, prod/*, deny',
    'g, role:org-admin, role:no-prod',
    // subjects that start with 'proj:' but are not project tokens: ordinary users
    'p, proj:prod, applications, sync, prod/*, allow',
    'g, proj:prod:ci:extra, role:org-admin',
  ].join('\n'),
  'policy.overlay.csv': UPSTREAM_RBAC_EXAMPLE['policy.overlay.csv'],
  'policy.default': UPSTREAM_RBAC_EXAMPLE['policy.default'],
};

const PROJECTS: RbacProjectData[] = [
  {
    name: 'prod',
    roles: [
      { name: 'deployer', policies: ['p, proj:prod:deployer, applications, sync, prod/*, allow', 'p, proj:prod:deployer, applications, get, prod/*, allow'], groups: ['prod-team'] },
      { name: 'ci', policies: ['p, proj:prod:ci, applications, *, prod/web, allow', 'p, proj:prod:ci, applications, delete, prod/*, deny'] },
    ],
  },
  { name: 'default', roles: [{ name: 'viewer', policies: ['p, proj:default:viewer, logs, get, default/*, allow'], groups: ['viewers'] }] },
];

const SUBJECTS: [string, string[]][] = [
  ['alice', []],
  ['admin', []],
  ['bob', ['my-org:team-beta']],
  ['carol', ['my-org:team-qa']],
  ['dave', ['my-org:team-alpha']],
  ['erin', ['your-github-org:your-team']],
  ['example-user', []],
  ['frank', ['dev-group', 'sre']],
  ['gina', ['prod-team']],
  ['hank', ['viewers', 'prod-team']],
  ['proj:prod:ci', []],
  ['proj:prod:deployer', []],
  ['proj:default:viewer', []],
];

const REQUESTS: [string, string, string][] = [];
for (const object of ['my-project/app', 'prod/web', 'prod/ns/api', 'default/prod-app', 'staging/app', 'default/other']) {
  for (const action of ['get', 'create', 'update', 'delete', 'sync', 'override', 'action/apps/Deployment/restart', 'update/apps/Deployment/ns/web', 'delete//Pod/ns/web-0']) {
    REQUESTS.push(['applications', action, object]);
  }
  REQUESTS.push(['logs', 'get', object], ['exec', 'create', object], ['applicationsets', 'get', object]);
}
for (const object of ['prod', 'default', 'my-project']) {
  REQUESTS.push(['projects', 'get', object], ['projects', 'update', object]);
}
for (const [resource, object] of [['clusters', 'https://kubernetes.default.svc'], ['repositories', 'https://github.com/org/repo'], ['certificates', 'github.com'], ['accounts', 'alice'], ['gpgkeys', 'ABCDEF'], ['extensions', 'metrics']]) {
  for (const action of resource === 'extensions' ? ['invoke'] : ['get', 'create', 'delete']) REQUESTS.push([resource, action, object]);
}

test(`the simulator agrees with Casbin on ${SUBJECTS.length * REQUESTS.length} requests`, async () => {
  const oracle = await CasbinOracle.create(DATA, PROJECTS);
  const rbac = ArgoCdRbac.fromConfig({ rbacConfigMapData: DATA, projects: PROJECTS });
  const disagreements: string[] = [];
  let allowed = 0;
  for (const [subject, groups] of SUBJECTS) {
    for (const [res, act, obj] of REQUESTS) {
      const expected = await oracle.can(subject, groups, res, act, obj);
      if (expected) allowed++;
      if (rbac.can(subject, res, act, obj, groups) !== expected) disagreements.push(`${subject} ${JSON.stringify(groups)} ${res} ${act} ${obj}: casbin says ${expected}`);
    }
  }
  expect(disagreements).toEqual([]);
  // the grid is not trivially all-yes or all-no
  expect(allowed).toBeGreaterThan(100);
  expect(allowed).toBeLessThan(SUBJECTS.length * REQUESTS.length - 100);
});

test('without policy.default the grid still agrees', async () => {
  const data = { ...DATA, 'policy.default': '' };
  const oracle = await CasbinOracle.create(data, PROJECTS);
  const rbac = ArgoCdRbac.fromConfig({ rbacConfigMapData: data, projects: PROJECTS });
  for (const [subject, groups] of SUBJECTS) {
    for (const [res, act, obj] of REQUESTS) {
      const expected = await oracle.can(subject, groups, res, act, obj);
      expect([subject, res, act, obj, rbac.can(subject, res, act, obj, groups)]).toEqual([subject, res, act, obj, expected]);
    }
  }
});

// Hand-derived answers for the documented cases (rbac.md), checked by both.
test.each([
  // example-user: the deny on 'delete' blocks deleting the app ...
  ['example-user', [], 'applications', 'delete', 'default/prod-app', false],
  // ... but 'delete/*/Pod/*/*' is a different action: Pods may be deleted (v3 fine-grained)
  ['example-user', [], 'applications', 'delete//Pod/ns/web-0', 'default/prod-app', true],
  ['example-user', [], 'applications', 'update/apps/Deployment/ns/web', 'default/prod-app', true],
  // role:org-admin inherits role:no-prod, whose deny wins on prod/*
  ['erin', ['your-github-org:your-team'], 'applications', 'sync', 'staging/app', true],
  ['erin', ['your-github-org:your-team'], 'applications', 'sync', 'prod/web', false],
  ['frank', ['dev-group'], 'applications', 'action/apps/Deployment/restart', 'default/other', true],
  ['frank', ['dev-group'], 'applications', 'action/apps/Deployment/scale', 'default/other', false],
  ['frank', ['sre'], 'exec', 'create', 'staging/app', true],
  // project group binding: get + sync in prod, and get on the project itself
  ['gina', ['prod-team'], 'applications', 'sync', 'prod/ns/api', true],
  ['gina', ['prod-team'], 'projects', 'get', 'prod', true],
  // project token: allowed for prod/web, its own deny blocks delete, nothing outside prod
  ['proj:prod:ci', [], 'applications', 'update', 'prod/web', true],
  ['proj:prod:ci', [], 'applications', 'delete', 'prod/web', false],
  // a prod token asking about the default project is checked only against prod: no
  ['proj:prod:ci', [], 'applications', 'sync', 'default/other', false],
  // ... but policy.default (role:readonly) applies to every subject first, tokens included
  ['proj:prod:ci', [], 'applications', 'get', 'default/other', true],
])('%s %j %s %s %s -> %s', async (subject, groups, res, act, obj, expected) => {
  const rbac = ArgoCdRbac.fromConfig({ rbacConfigMapData: DATA, projects: PROJECTS });
  const oracle = await CasbinOracle.create(DATA, PROJECTS);
  const answer = rbac.can(subject as string, res as string, act as string, obj as string, groups as string[]);
  expect(await oracle.can(subject as string, groups as string[], res as string, act as string, obj as string)).toBe(answer);
  expect(answer).toBe(expected);
});

/** A small deterministic generator (Park-Miller), so a failure reproduces. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 48271) % 2147483647;
    return (state - 1) / 2147483646;
  };
}

test('random queries, malformed project subjects included, agree with Casbin', async () => {
  const random = seeded(20261201);
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
  const subjects = [
    ...SUBJECTS.map(([s]) => s),
    // not exactly three parts: users, whatever they look like
    'proj:prod', 'proj:prod:ci:extra', 'proj:', 'proj::', 'proj:prod:', 'proj:default', 'proj:default:viewer:x', 'proj',
    // three parts: project tokens, also for projects that do not exist
    'proj:nope:ci', 'proj:prod:nobody', 'proj::ci',
  ];
  const groups = ['my-org:team-beta', 'your-github-org:your-team', 'dev-group', 'sre', 'prod-team', 'viewers', 'proj:prod:deployer', 'unknown'];
  const oracle = await CasbinOracle.create(DATA, PROJECTS);
  const rbac = ArgoCdRbac.fromConfig({ rbacConfigMapData: DATA, projects: PROJECTS });
  const disagreements: string[] = [];
  const answers = new Set<boolean>();
  for (let i = 0; i < 600; i++) {
    const subject = pick(subjects);
    const claims = groups.filter(() => random() < 0.25);
    const [res, act, obj] = pick(REQUESTS);
    const expected = await oracle.can(subject, claims, res, act, obj);
    answers.add(expected);
    if (rbac.can(subject, res, act, obj, claims) !== expected) disagreements.push(`${subject} ${JSON.stringify(claims)} ${res} ${act} ${obj}: casbin says ${expected}`);
  }
  expect(disagreements).toEqual([]);
  expect([...answers].sort()).toEqual([false, true]);
});

test.each([
  // a user called 'proj:prod' has its own grant, like any user
  ['proj:prod', [], 'applications', 'sync', 'prod/web', true],
  // four parts: an ordinary user whose g line makes it an org admin
  ['proj:prod:ci:extra', [], 'applications', 'sync', 'staging/app', true],
  // an ordinary user's groups count
  ['proj:prod', ['prod-team'], 'applications', 'get', 'prod/web', true],
  ['proj:', ['sre'], 'exec', 'create', 'staging/app', true],
])('a subject starting with proj: that is not a project token is a user: %s %j %s %s %s -> %s', async (subject, claims, res, act, obj, expected) => {
  const rbac = ArgoCdRbac.fromConfig({ rbacConfigMapData: DATA, projects: PROJECTS });
  const oracle = await CasbinOracle.create(DATA, PROJECTS);
  expect(await oracle.can(subject as string, claims as string[], res as string, act as string, obj as string)).toBe(expected);
  expect(rbac.can(subject as string, res as string, act as string, obj as string, claims as string[])).toBe(expected);
});

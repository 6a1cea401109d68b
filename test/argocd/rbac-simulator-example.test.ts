// Who can do what in examples/projects.ts. Each expected answer was derived by hand from Argo CD
// v3.5's documented RBAC semantics (docs/operator-manual/rbac.md, project roles in
// user-guide/projects.md); comments explain the non-obvious ones.
//
// The example's argocd-rbac-cm: 'g, auditors, role:readonly' and 'g, platform-admins, role:admin',
// no policy.default, scopes [groups]. Project roles: production/prod-developer (group
// prod-dev-team: get, sync, logs), production/prod-admin (group prod-admin-team: manage
// applications and their resources, logs; no exec), development/developer (group developers:
// applications '*', logs).
import { Testing } from 'cdk8s';
import { build } from '../../examples/projects';
import { ArgoCdRbac } from '../../src/argocd/rbac-simulator';
import { SecureArgoCD } from '../../src/argocd/secure-argocd';

function simulator(): ArgoCdRbac {
  const app = Testing.app();
  build(app);
  const argoCd = app.node.findAll().find((c): c is SecureArgoCD => c instanceof SecureArgoCD)!;
  return ArgoCdRbac.of(argoCd);
}

const rbac = simulator();
const PROD_WEB = 'production/web';
const DEV_WEB = 'development/web-dev';

test.each<[string, string[], string, string, string, boolean]>([
  // platform-admins -> built-in role:admin
  ['alice', ['platform-admins'], 'applications', 'sync', PROD_WEB, true],
  ['alice', ['platform-admins'], 'clusters', 'delete', 'https://kubernetes.default.svc', true],
  ['alice', ['platform-admins'], 'exec', 'create', PROD_WEB, true], // role:admin includes exec (exec.enabled still gates it)
  ['alice', ['platform-admins'], 'applications', 'update/apps/Deployment/production/web', PROD_WEB, true],
  ['alice', [], 'applications', 'sync', PROD_WEB, false], // the same user without the group claim
  // auditors -> role:readonly
  ['ivan', ['auditors'], 'applications', 'get', PROD_WEB, true],
  ['ivan', ['auditors'], 'applications', 'sync', PROD_WEB, false],
  ['ivan', ['auditors'], 'logs', 'get', DEV_WEB, true], // role:readonly includes logs get
  ['ivan', ['auditors'], 'projects', 'get', 'production', true],
  ['ivan', ['auditors'], 'repositories', 'create', 'https://github.com/myorg/gitops-config.git', false],
  // prod-dev-team -> proj:production:prod-developer
  ['dan', ['prod-dev-team'], 'applications', 'get', PROD_WEB, true],
  ['dan', ['prod-dev-team'], 'applications', 'sync', PROD_WEB, true],
  ['dan', ['prod-dev-team'], 'applications', 'sync', 'production/production-api/api', true], // glob '*' crosses '/': apps in other namespaces too
  ['dan', ['prod-dev-team'], 'logs', 'get', PROD_WEB, true],
  ['dan', ['prod-dev-team'], 'applications', 'delete', PROD_WEB, false],
  ['dan', ['prod-dev-team'], 'applications', 'override', PROD_WEB, false], // syncing local or other revisions needs override
  ['dan', ['prod-dev-team'], 'applications', 'sync', DEV_WEB, false], // the role's policies stay in production
  ['dan', ['prod-dev-team'], 'projects', 'get', 'production', true], // role members get their project implicitly
  ['dan', ['prod-dev-team'], 'projects', 'get', 'development', false],
  ['dan', ['prod-dev-team'], 'exec', 'create', PROD_WEB, false],
  // prod-admin-team -> proj:production:prod-admin
  ['petra', ['prod-admin-team'], 'applications', 'delete', PROD_WEB, true],
  ['petra', ['prod-admin-team'], 'applications', 'update/apps/Deployment/production/web', PROD_WEB, true], // granted explicitly (v3)
  ['petra', ['prod-admin-team'], 'applications', 'action/apps/Deployment/restart', PROD_WEB, true],
  ['petra', ['prod-admin-team'], 'exec', 'create', PROD_WEB, false], // hardened: no exec in production
  ['petra', ['prod-admin-team'], 'applications', 'create', 'development/new-app', false],
  ['petra', ['prod-admin-team'], 'clusters', 'get', 'https://kubernetes.default.svc', false], // no project in the object: project roles do not join
  // developers -> proj:development:developer (applications '*')
  ['devi', ['developers'], 'applications', 'delete', DEV_WEB, true],
  ['devi', ['developers'], 'applications', 'update/apps/Deployment/development/web', DEV_WEB, true], // '*' also matches 'update/...'
  ['devi', ['developers'], 'applications', 'sync', PROD_WEB, false],
  ['devi', ['developers'], 'logs', 'get', DEV_WEB, true],
  ['devi', ['developers'], 'exec', 'create', DEV_WEB, false], // 'applications, *' does not cover the exec resource
  ['devi', ['developers'], 'applicationsets', 'create', 'development/set', false],
  // several groups: each mapped group is tried
  ['max', ['developers', 'prod-dev-team'], 'applications', 'sync', PROD_WEB, true],
  ['max', ['developers', 'prod-dev-team'], 'applications', 'delete', PROD_WEB, false],
  // no groups, no policy.default: nothing
  ['nobody', [], 'applications', 'get', PROD_WEB, false],
  ['nobody', ['unknown-group'], 'projects', 'get', 'production', false],
  // project tokens
  ['proj:production:prod-developer', [], 'applications', 'sync', PROD_WEB, true],
  ['proj:production:prod-developer', [], 'applications', 'get', DEV_WEB, false], // checked only against its own project
  ['proj:development:developer', [], 'applications', 'delete', DEV_WEB, true],
  // the local admin account is bound to role:admin by the built-in policy (disabled here by SecureArgoCD)
  ['admin', [], 'accounts', 'update', 'admin', true],
  // a subject that happens to be named like a group reaches the group's role through its g line
  ['prod-dev-team', [], 'applications', 'sync', PROD_WEB, true],
])('%s %j: %s %s %s -> %s', (subject, groups, resource, action, object, expected) => {
  expect(rbac.can(subject, resource, action, object, groups)).toBe(expected);
});

test('explain names the project role line', () => {
  expect(rbac.explain('dan', 'applications', 'sync', PROD_WEB, ['prod-dev-team'])).toEqual({
    allowed: true,
    reason: "allowed for the group 'prod-dev-team'",
    lines: ['p, proj:production:prod-developer, applications, sync, production/*, allow  (AppProject production)'],
  });
});

test('who-can-do-what matrix', () => {
  expect(rbac.matrix(
    [
      { subject: 'alice', groups: ['platform-admins'] },
      { subject: 'ivan', groups: ['auditors'] },
      { subject: 'dan', groups: ['prod-dev-team'] },
      { subject: 'petra', groups: ['prod-admin-team'] },
      { subject: 'devi', groups: ['developers'] },
    ],
    [
      { resource: 'applications', action: 'get', object: PROD_WEB },
      { resource: 'applications', action: 'sync', object: PROD_WEB },
      { resource: 'applications', action: 'delete', object: PROD_WEB },
      { resource: 'applications', action: 'sync', object: DEV_WEB },
      { resource: 'exec', action: 'create', object: PROD_WEB },
    ],
  )).toMatchSnapshot();
});

// Hostile input through SecureArgoCD's rbac (group mappings, custom roles, scopes) and settings
// passthrough (argocd-cm and argocd-cmd-params-cm keys and values), through the renderers
// SecureArgoCD uses: each value is refused (property and fix) or lands meaning exactly what was
// asked, as go-yaml reads the ConfigMaps and Argo CD's policy loader + Casbin read policy.csv.
// (A whole SecureArgoCD synthesizes in seconds; one end-to-end case at the bottom.)
import { ApiObject, Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import { expectUsefulRefusal, hostileText, readAsGoYaml, readGoYamlDocs, RUNS, synthProblems, YAML11_WORDS } from './readers';
import {
  ArgoCdAction, ArgoCdResource, ArgoCdRole, ArgoCdRbacOptions, ArgoCdSettings, OidcSso, SecretKeyRef, SecureArgoCD,
} from '../../src';
import { renderArgoCdRbac } from '../../src/argocd/private/rbac-render';
import { applySettings } from '../../src/argocd/private/settings-passthrough';
import { deferredChecks } from '../../src/private/errors';
import { registerLibraryConstruct } from '../../src/private/stamp';
import { CasbinOracle, loadArgoPolicy } from '../support/casbin-oracle';

const LDAP_DN = 'cn=platform,ou=groups,dc=example,dc=com';
const hostileGroup = fc.oneof(hostileText, fc.constantFrom(LDAP_DN, 'my-org:team-a', 'role:admin', 'proj:a:b', 'team#1', 'a(b', ' x', 'x '));
const hostileKey = fc.oneof(hostileText, fc.constantFrom('ui.bannercontent', 'kustomize.buildOptions', 'policy.csv', 'url', 'a'.repeat(300), 'a b', 'a/b', 'accounts.ci'));
const get = (object: string) => ({ resource: ArgoCdResource.APPLICATIONS, action: ArgoCdAction.GET, object });

/** Renders `build`'s data into a ConfigMap of a library construct and reads it back as go-yaml does. */
function render(build: (owner: Construct) => Record<string, string>): { problems: string[]; data?: Record<string, string> } {
  const app = Testing.app();
  const chart = new Chart(app, 'argocd');
  const problems = synthProblems(app, () => {
    const owner = new Construct(chart, 'Owner');
    registerLibraryConstruct(owner, 'argocd');
    new ApiObject(owner, 'Cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: build(owner) });
  });
  if (problems.length > 0) return { problems };
  return { problems, data: readGoYamlDocs(app.synthYaml()).find((d) => d.kind === 'ConfigMap').data ?? {} };
}

const rbac = (options: ArgoCdRbacOptions) => render((owner) => renderArgoCdRbac(owner, options, false).data);
const settings = (s: ArgoCdSettings) => render((owner) => {
  const cm: Record<string, string> = { url: 'https://argocd.example.com' };
  applySettings(deferredChecks(owner), s, cm, {}, false);
  return cm;
});
const settingsParams = (s: ArgoCdSettings) => render((owner) => {
  const params: Record<string, string> = {};
  applySettings(deferredChecks(owner), s, {}, params, false);
  return params;
});

type Rendered = { problems: string[]; data?: Record<string, string> };

function refusedOr(result: Rendered, property: string, landed: (data: Record<string, string>) => void): void {
  if (result.problems.length > 0) {
    expectUsefulRefusal(result.problems, 'argocd/Owner', property);
    return;
  }
  landed(result.data!);
}

describe('rbac', () => {
  test('groupMappings[0].group: refused, or one g line whose group is the group given', async () => {
    const accepted: string[] = [];
    fc.assert(fc.property(hostileGroup, (group) => {
      refusedOr(rbac({ groupMappings: [{ group, role: ArgoCdRole.readonly() }] }), 'rbac.groupMappings[0].group', (data) => {
        expect(loadArgoPolicy(data['policy.csv'])).toEqual([['g', group, 'role:readonly']]);
        accepted.push(group);
      });
    }), RUNS);
    // What Casbin grants through the line: exactly the group given, no part of it.
    for (const group of [...new Set([...accepted, LDAP_DN])].slice(0, 8)) {
      const oracle = await CasbinOracle.create(rbac({ groupMappings: [{ group, role: ArgoCdRole.readonly() }] }).data!, []);
      expect([group, await oracle.can('alice', [group], 'applications', 'get', 'p/app')]).toEqual([group, true]);
      for (const part of group.split(',').filter((p) => p !== group)) expect(await oracle.can('bob', [part], 'applications', 'get', 'p/app')).toBe(false);
    }
  });

  test('scopes[0]: refused, or the claim name go-yaml reads from scopes', () => {
    fc.assert(fc.property(fc.oneof(hostileText, fc.constantFrom(...YAML11_WORDS)), (scope) => {
      refusedOr(rbac({ scopes: [scope] }), 'rbac.scopes[0]', (data) => expect(readAsGoYaml(data.scopes)).toEqual([scope]));
    }), RUNS);
  });

  test('a custom role name: refused, or the subject of its p line', () => {
    fc.assert(fc.property(hostileGroup, (name) => {
      const result = rbac({ groupMappings: [{ group: 'ops', role: ArgoCdRole.custom(name, { policies: [get('team-a/*')] }) }] });
      refusedOr(result, 'rbac.groupMappings[0].role', (data) => {
        expect(loadArgoPolicy(data['policy.csv'])).toEqual([['p', `role:${name}`, 'applications', 'get', 'team-a/*', 'allow'], ['g', 'ops', `role:${name}`]]);
      });
    }), RUNS);
  });

  test('a policy object: refused, or the object of the p line', () => {
    fc.assert(fc.property(hostileText.map((v) => `team-a/${v}`), (object) => {
      const result = rbac({ roles: [ArgoCdRole.custom('ops', { policies: [get(object)] })] });
      if (result.problems.length > 0) {
        expect(result.problems.some((p) => p.includes("rbac role 'ops' policies[0]") || p.includes('rbac.roles[0]'))).toBe(true);
        for (const p of result.problems) expect(p).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/);
        return;
      }
      expect(loadArgoPolicy(result.data!['policy.csv'])).toEqual([['p', 'role:ops', 'applications', 'get', object, 'allow']]);
    }), RUNS);
  });
});

describe('settings', () => {
  test.each([
    ['argoCdCm', settings],
    ['cmdParams', settingsParams],
  ] as const)('%s keys: refused, or the key as given', (property, run) => {
    fc.assert(fc.property(hostileKey, (key) => {
      refusedOr(run({ [property]: { [key]: 'x' } }), `settings.${property}`, (data) => {
        expect(data[key]).toBe('x');
        expect(key).toMatch(/^[-._a-zA-Z0-9]{1,253}$/);
      });
    }), RUNS);
  });

  test.each([
    ['argoCdCm', settings],
    ['cmdParams', settingsParams],
  ] as const)('%s values: refused, or read back exactly', (property, run) => {
    fc.assert(fc.property(hostileText, (value) => {
      refusedOr(run({ [property]: { 'ui.bannercontent': value } }), `settings.${property}`, (data) => expect(data['ui.bannercontent']).toBe(value));
    }), RUNS);
  });

  test('weakeningReasons: refused, or recorded', () => {
    fc.assert(fc.property(hostileText, (reason) => {
      const result = settings({ argoCdCm: { 'kustomize.buildOptions': '--enable-helm' }, weakeningReasons: { 'kustomize.buildOptions': reason } });
      refusedOr(result, 'settings.weakeningReasons', (data) => expect(data['kustomize.buildOptions']).toBe('--enable-helm'));
    }), RUNS);
  });
});

test('end to end: a DN group mapping and a hostile one in SecureArgoCD', () => {
  const app = Testing.app();
  const chart = new Chart(app, 'argocd');
  const make = (group: string) => new SecureArgoCD(chart, `A${chart.node.children.length}`, {
    namespace: `argocd-${chart.node.children.length}`,
    url: 'https://argocd.example.com',
    sso: OidcSso.keycloak({ issuer: 'https://keycloak.example.com/realms/argo', clientId: 'argocd', clientSecret: SecretKeyRef.fromExistingSecret('argocd-secret', 'oidc.k') }),
    networkPolicies: { kubernetesApi: { cidrs: ['10.0.0.1/32'], ports: [6443] } },
    rbac: { groupMappings: [{ group, role: ArgoCdRole.readonly() }] },
  });
  const problems = synthProblems(app, () => {
    make(LDAP_DN);
    make('viewers\u2028  policy.default: role:admin');
  });
  expectUsefulRefusal(problems, 'argocd/A1', 'rbac.groupMappings[0].group');
  expect(problems.filter((p) => p.includes('argocd/A0'))).toEqual([]);
});

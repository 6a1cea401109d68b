import {
  ArgoCdGroupMapping, ArgoCdRole, DexConnector, OidcSso, SecretKeyRef, SecureArgoCD,
} from '../../src';
import { synth, testChart } from '../support/synth';

const URL = 'https://argocd.example.com';
const NETWORK = { kubernetesApi: { cidrs: ['10.0.0.1/32'], ports: [6443] } };
const secret = (key: string) => SecretKeyRef.fromExistingSecret('argocd-secret', key);
const github = DexConnector.github({ clientId: 'abc', clientSecret: secret('dex.github.clientSecret'), orgs: [{ name: 'my-org', teams: ['platform'] }] });
const ldap = DexConnector.ldap({
  host: 'ldap.example.com:636',
  bindDn: 'cn=argocd,dc=example,dc=com',
  bindPassword: secret('dex.ldap.bindPW'),
  userSearch: { baseDn: 'ou=users,dc=example,dc=com' },
});

/** The warnings a synth leaves on the SecureArgoCD. */
function warnings(connectors: DexConnector[], groupMappings: ArgoCdGroupMapping[]): string[] {
  const chart = testChart();
  const argocd = new SecureArgoCD(chart, 'argocd', { url: URL, networkPolicies: NETWORK, sso: OidcSso.dex({ connectors }), rbac: { groupMappings } });
  synth(chart);
  return argocd.node.metadata.filter((m) => m.type === 'warning').map((m) => String(m.data));
}

describe('Dex GitHub groups are <org>:<team>', () => {
  test('a bare team name never matches: a warning naming the construct, the group and the fix', () => {
    const found = warnings([github], [{ group: 'platform', role: ArgoCdRole.admin() }, { group: 'other-team', role: ArgoCdRole.readonly() }]);
    expect(found).toEqual([
      expect.stringMatching(/^SecureArgoCD 'test\/argocd': rbac\.groupMappings\[0\]\.group 'platform' never matches: .*Write it as 'my-org:platform'$/),
      expect.stringMatching(/rbac\.groupMappings\[1\]\.group 'other-team' never matches: .*'my-org:other-team'/),
    ]);
  });

  test('org:team, numeric GitHub user ids and e-mails: no warning', () => {
    expect(warnings([github], [
      { group: 'my-org:platform', role: ArgoCdRole.admin() },
      { group: '1234567', role: ArgoCdRole.admin() },
      { group: 'alice@example.com', role: ArgoCdRole.readonly() },
    ])).toEqual([]);
  });

  test('other connectors (alone or beside GitHub) may send bare groups: no warning', () => {
    expect(warnings([ldap], [{ group: 'platform', role: ArgoCdRole.admin() }])).toEqual([]);
    expect(warnings([github, ldap], [{ group: 'platform', role: ArgoCdRole.admin() }])).toEqual([]);
  });

  test('direct OIDC: no warning', () => {
    const chart = testChart();
    const sso = OidcSso.oidc({ issuer: 'https://idp.example.com', clientId: 'argocd', clientSecret: secret('oidc.clientSecret') });
    const argocd = new SecureArgoCD(chart, 'argocd', { url: URL, networkPolicies: NETWORK, sso, rbac: { groupMappings: [{ group: 'platform', role: ArgoCdRole.admin() }] } });
    synth(chart);
    expect(argocd.node.metadata.filter((m) => m.type === 'warning')).toEqual([]);
  });
});

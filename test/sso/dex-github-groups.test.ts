import { App } from 'cdk8s';
import * as YAML from 'yaml';
import {
  ArgoCdGroupMapping, ArgoCdRole, DexConnector, DexGithubTeamNameField, OidcSso, SecretKeyRef, SecureArgoCD,
} from '../../src';
import { factoryProblemsOf } from '../../src/private/errors';
import { findObject, synth, testChart } from '../support/synth';

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
  test('the warning is given once, although cdk8s validates the app again for each chart', () => {
    const chart = testChart();
    const argocd = new SecureArgoCD(chart, 'argocd', {
      url: URL, networkPolicies: NETWORK, sso: OidcSso.dex({ connectors: [github] }), rbac: { groupMappings: [{ group: 'platform', role: ArgoCdRole.admin() }] },
    });
    (chart.node.root as App).synthYaml();
    expect(argocd.node.metadata.filter((m) => m.type === 'warning')).toHaveLength(1);
  });

  test('a bare team or organization name never matches: a warning naming the construct, the group and the fix', () => {
    const found = warnings([github], [
      { group: 'platform', role: ArgoCdRole.admin() },
      { group: 'other-team', role: ArgoCdRole.readonly() },
      { group: 'my-org', role: ArgoCdRole.readonly() },
    ]);
    expect(found).toEqual([
      expect.stringMatching(/^SecureArgoCD 'test\/argocd': rbac\.groupMappings\[0\]\.group 'platform' never matches, so these users get only the default role: .*'<org>:<team name \(teamNameField NAME, Dex's default.*never a bare team name\. Write it as 'my-org:platform'$/),
      expect.stringMatching(/rbac\.groupMappings\[1\]\.group 'other-team' never matches, .*'my-org:other-team'/),
      expect.stringMatching(/rbac\.groupMappings\[2\]\.group 'my-org' never matches, .*never a bare organization name\. Write it as 'my-org:<team>'/),
    ]);
  });

  test('a team of an unlisted organization, or one the organization does not list, never matches', () => {
    const open = DexConnector.github({ clientId: 'abc', clientSecret: secret('dex.github.clientSecret'), orgs: [{ name: 'open-org' }, { name: 'my-org', teams: ['platform'] }] });
    expect(warnings([open], [
      { group: 'other-org:platform', role: ArgoCdRole.admin() },
      { group: 'my-org:sre', role: ArgoCdRole.admin() },
      { group: 'open-org:anything', role: ArgoCdRole.admin() }, // no team list: every team of the org is a group
      { group: 'my-org:platform', role: ArgoCdRole.admin() },
    ])).toEqual([
      expect.stringMatching(/\[0\]\.group 'other-org:platform' never matches, .*listed organizations \('open-org', 'my-org'\), and 'other-org' is none of them/),
      expect.stringMatching(/\[1\]\.group 'my-org:sre' never matches, .*lets only the teams 'platform' log in.*add 'sre' to its teams/),
    ]);
  });

  test('teamNameField: written only when set; with SLUG a display name never matches and is refused in teams', () => {
    const slug = DexConnector.github({
      clientId: 'abc', clientSecret: secret('dex.github.clientSecret'), orgs: [{ name: 'my-org' }], teamNameField: DexGithubTeamNameField.SLUG,
    });
    expect(slug._render((r) => `$${r.key}`).config).toMatchObject({ teamNameField: 'slug' });
    expect(github._render((r) => `$${r.key}`).config).not.toHaveProperty('teamNameField');
    expect(warnings([slug], [{ group: 'my-org:Platform Team', role: ArgoCdRole.admin() }, { group: 'my-org:platform-team', role: ArgoCdRole.admin() }]))
      .toEqual([expect.stringMatching(/'my-org:Platform Team' never matches, .*Dex sends slugs .*e\.g\. 'my-org:platform-team'/)]);
    // With NAME (the default) or BOTH a display name is what Dex sends.
    const both = DexConnector.github({ clientId: 'abc', clientSecret: secret('s'), orgs: [{ name: 'my-org' }], teamNameField: DexGithubTeamNameField.BOTH });
    expect(warnings([both], [{ group: 'my-org:Platform Team', role: ArgoCdRole.admin() }, { group: 'my-org:platform-team', role: ArgoCdRole.admin() }])).toEqual([]);
    const listed = DexConnector.github({
      clientId: 'abc', clientSecret: secret('s'), orgs: [{ name: 'my-org', teams: ['Platform Team', 'sre'] }], teamNameField: DexGithubTeamNameField.SLUG,
    });
    expect(factoryProblemsOf(listed)).toEqual([{ property: 'orgs[0].teams[0]', problem: expect.stringMatching(/'Platform Team' is not a team slug.*Dex compares slugs/) }]);
  });

  test('dex.config carries teamNameField as Dex reads it', () => {
    const chart = testChart();
    const slug = DexConnector.github({ clientId: 'abc', clientSecret: secret('dex.github.clientSecret'), orgs: [{ name: 'my-org' }], teamNameField: DexGithubTeamNameField.SLUG });
    new SecureArgoCD(chart, 'argocd', { url: URL, networkPolicies: NETWORK, sso: OidcSso.dex({ connectors: [slug] }) });
    const dexConfig = YAML.parse(findObject(synth(chart), 'ConfigMap', 'argocd-cm').data['dex.config']);
    expect(dexConfig.connectors[0].config).toEqual({ clientID: 'abc', clientSecret: '$dex.github.clientSecret', orgs: [{ name: 'my-org' }], teamNameField: 'slug' });
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

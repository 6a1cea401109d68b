// Hostile input through every public string and list prop of OidcSso and DexConnector: each
// value is refused (construct path, property, fix) or reaches dex.config / oidc.config meaning
// exactly what was asked, as go-yaml (YAML 1.1), Go's net/url and Go's encoding/pem read it.
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import {
  expectUsefulRefusal, freshChart, goPemBlocks, goReadsHttpsUrlAsWritten, HOSTILE_PIECES, hostileText, hostileUrl,
  readAsGoYaml, RUNS, synthProblems,
} from './readers';
import { toYaml } from '../../src/private/render';
import { SecretKeyRef } from '../../src/secrets';
import { DexConnector, OidcSso } from '../../src/sso';

const ref = (key: string) => SecretKeyRef.fromExistingSecret('argocd-secret', key);
const CA = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUWQAA\nMIIBszCCAVmgAwIBAgIUWQ==\n-----END CERTIFICATE-----';

type Kind = 'text' | 'url' | 'pem';
interface Field {
  /** The property as reported, below `sso`. */
  readonly property: string;
  readonly kind: Kind;
  readonly make: (value: string) => OidcSso;
  /** Where the value lands in the parsed config. */
  readonly read: (config: any) => unknown;
}

const oidc = (extra: object) => OidcSso.oidc({ issuer: 'https://idp.example.com', clientId: 'argocd', clientSecret: ref('oidc.clientSecret'), ...extra });
const dex = (c: DexConnector) => OidcSso.dex({ connectors: [c] });
const github = (extra: object, org: object = {}) => dex(DexConnector.github({ clientId: 'gh', clientSecret: ref('dex.github.clientSecret'), orgs: [{ name: 'my-org', ...org }], ...extra }));
const ldap = (extra: object, userSearch: object = {}, groupSearch?: object) => dex(DexConnector.ldap({
  host: 'ldap.example.com:636',
  bindDn: 'cn=dex,dc=example,dc=com',
  bindPassword: ref('dex.ldap.bindPassword'),
  userSearch: { baseDn: 'ou=users,dc=example,dc=com', ...userSearch },
  ...(groupSearch ? { groupSearch: { baseDn: 'ou=groups,dc=example,dc=com', ...groupSearch } } : {}),
  ...extra,
}));
const saml = (extra: object) => dex(DexConnector.saml({ ssoUrl: 'https://idp.example.com/sso', caPem: CA, ...extra }));
const dexOidc = (extra: object) => dex(DexConnector.oidc({ issuer: 'https://idp.example.com', clientId: 'dex', clientSecret: ref('dex.oidc.clientSecret'), ...extra }));
const microsoft = (extra: object) => dex(DexConnector.microsoft({ clientId: 'ms', clientSecret: ref('dex.ms.clientSecret'), tenant: 'example.onmicrosoft.com', ...extra }));
const google = (extra: object) => dex(DexConnector.google({ clientId: 'g', clientSecret: ref('dex.g.clientSecret'), hostedDomains: ['example.com'], ...extra }));
const conn = (c: any) => c.connectors[0];
const b64 = (s: unknown) => Buffer.from(String(s), 'base64').toString('utf8');

const FIELDS: Field[] = [
  { property: 'name', kind: 'text', make: (v) => oidc({ name: v }), read: (c) => c.name },
  { property: 'issuer', kind: 'url', make: (v) => oidc({ issuer: v }), read: (c) => c.issuer },
  { property: 'clientId', kind: 'text', make: (v) => oidc({ clientId: v }), read: (c) => c.clientID },
  { property: 'cliClientId', kind: 'text', make: (v) => oidc({ cliClientId: v }), read: (c) => c.cliClientID },
  { property: 'requestedScopes[1]', kind: 'text', make: (v) => oidc({ requestedScopes: ['openid', v] }), read: (c) => c.requestedScopes[1] },
  { property: 'allowedAudiences[0]', kind: 'text', make: (v) => oidc({ allowedAudiences: [v] }), read: (c) => c.allowedAudiences[0] },
  { property: 'requestedIdTokenClaims', kind: 'text', make: (v) => oidc({ requestedIdTokenClaims: { groups: { values: [v] } } }), read: (c) => c.requestedIDTokenClaims.groups.values[0] },
  { property: 'logoutUrl', kind: 'url', make: (v) => oidc({ logoutUrl: v }), read: (c) => c.logoutURL },
  { property: 'rootCa', kind: 'pem', make: (v) => oidc({ rootCa: v }), read: (c) => c.rootCA },

  { property: 'connectors[0].id', kind: 'text', make: (v) => github({ id: v }), read: (c) => conn(c).id },
  { property: 'connectors[0].name', kind: 'text', make: (v) => github({ name: v }), read: (c) => conn(c).name },
  { property: 'connectors[0].clientId', kind: 'text', make: (v) => github({ clientId: v }), read: (c) => conn(c).config.clientID },
  { property: 'connectors[0].orgs[0].name', kind: 'text', make: (v) => github({}, { name: v }), read: (c) => conn(c).config.orgs[0].name },
  { property: 'connectors[0].orgs[0].teams[0]', kind: 'text', make: (v) => github({}, { teams: [v] }), read: (c) => conn(c).config.orgs[0].teams[0] },
  { property: 'connectors[0].hostName', kind: 'text', make: (v) => github({ hostName: v }), read: (c) => conn(c).config.hostName },

  { property: 'connectors[0].host', kind: 'text', make: (v) => ldap({ host: v }), read: (c) => conn(c).config.host },
  { property: 'connectors[0].bindDn', kind: 'text', make: (v) => ldap({ bindDn: v }), read: (c) => conn(c).config.bindDN },
  { property: 'connectors[0].rootCa', kind: 'pem', make: (v) => ldap({ rootCa: v }), read: (c) => b64(conn(c).config.rootCAData) },
  { property: 'connectors[0].userSearch.baseDn', kind: 'text', make: (v) => ldap({}, { baseDn: v }), read: (c) => conn(c).config.userSearch.baseDN },
  { property: 'connectors[0].userSearch.filter', kind: 'text', make: (v) => ldap({}, { filter: v }), read: (c) => conn(c).config.userSearch.filter },
  { property: 'connectors[0].userSearch.username', kind: 'text', make: (v) => ldap({}, { username: v }), read: (c) => conn(c).config.userSearch.username },
  { property: 'connectors[0].userSearch.idAttr', kind: 'text', make: (v) => ldap({}, { idAttr: v }), read: (c) => conn(c).config.userSearch.idAttr },
  { property: 'connectors[0].userSearch.emailAttr', kind: 'text', make: (v) => ldap({}, { emailAttr: v }), read: (c) => conn(c).config.userSearch.emailAttr },
  { property: 'connectors[0].userSearch.nameAttr', kind: 'text', make: (v) => ldap({}, { nameAttr: v }), read: (c) => conn(c).config.userSearch.nameAttr },
  { property: 'connectors[0].groupSearch.baseDn', kind: 'text', make: (v) => ldap({}, {}, { baseDn: v }), read: (c) => conn(c).config.groupSearch.baseDN },
  { property: 'connectors[0].groupSearch.filter', kind: 'text', make: (v) => ldap({}, {}, { filter: v }), read: (c) => conn(c).config.groupSearch.filter },
  { property: 'connectors[0].groupSearch.nameAttr', kind: 'text', make: (v) => ldap({}, {}, { nameAttr: v }), read: (c) => conn(c).config.groupSearch.nameAttr },
  { property: 'connectors[0].groupSearch.userMatchers[0].userAttr', kind: 'text', make: (v) => ldap({}, {}, { userMatchers: [{ userAttr: v, groupAttr: 'member' }] }), read: (c) => conn(c).config.groupSearch.userMatchers[0].userAttr },
  { property: 'connectors[0].groupSearch.userMatchers[0].groupAttr', kind: 'text', make: (v) => ldap({}, {}, { userMatchers: [{ userAttr: 'DN', groupAttr: v }] }), read: (c) => conn(c).config.groupSearch.userMatchers[0].groupAttr },

  { property: 'connectors[0].ssoUrl', kind: 'url', make: (v) => saml({ ssoUrl: v }), read: (c) => conn(c).config.ssoURL },
  { property: 'connectors[0].caPem', kind: 'pem', make: (v) => saml({ caPem: v }), read: (c) => b64(conn(c).config.caData) },
  { property: 'connectors[0].usernameAttr', kind: 'text', make: (v) => saml({ usernameAttr: v }), read: (c) => conn(c).config.usernameAttr },
  { property: 'connectors[0].emailAttr', kind: 'text', make: (v) => saml({ emailAttr: v }), read: (c) => conn(c).config.emailAttr },
  { property: 'connectors[0].groupsAttr', kind: 'text', make: (v) => saml({ groupsAttr: v }), read: (c) => conn(c).config.groupsAttr },
  { property: 'connectors[0].entityIssuer', kind: 'text', make: (v) => saml({ entityIssuer: v }), read: (c) => conn(c).config.entityIssuer },
  { property: 'connectors[0].ssoIssuer', kind: 'text', make: (v) => saml({ ssoIssuer: v }), read: (c) => conn(c).config.ssoIssuer },

  { property: 'connectors[0].issuer', kind: 'url', make: (v) => dexOidc({ issuer: v }), read: (c) => conn(c).config.issuer },
  { property: 'connectors[0].scopes[0]', kind: 'text', make: (v) => dexOidc({ scopes: [v] }), read: (c) => conn(c).config.scopes[0] },
  { property: 'connectors[0].tenant', kind: 'text', make: (v) => microsoft({ tenant: v }), read: (c) => conn(c).config.tenant },
  { property: 'connectors[0].groups[0]', kind: 'text', make: (v) => microsoft({ groups: [v] }), read: (c) => conn(c).config.groups[0] },
  { property: 'connectors[0].hostedDomains[0]', kind: 'text', make: (v) => google({ hostedDomains: [v] }), read: (c) => conn(c).config.hostedDomains[0] },

  { property: 'staticClients[0].id', kind: 'text', make: (v) => OidcSso.dex({ connectors: [DexConnector.google({ clientId: 'g', clientSecret: ref('g'), hostedDomains: ['example.com'] })], staticClients: [{ id: v, name: 'Argo', redirectUris: ['https://argo.example.com/oauth2/callback'], secret: ref('wf') }] }), read: (c) => c.staticClients[0].id },
  { property: 'staticClients[0].name', kind: 'text', make: (v) => OidcSso.dex({ connectors: [DexConnector.google({ clientId: 'g', clientSecret: ref('g'), hostedDomains: ['example.com'] })], staticClients: [{ id: 'argo', name: v, redirectUris: ['https://argo.example.com/oauth2/callback'], secret: ref('wf') }] }), read: (c) => c.staticClients[0].name },
  { property: 'staticClients[0].redirectUris[0]', kind: 'url', make: (v) => OidcSso.dex({ connectors: [DexConnector.google({ clientId: 'g', clientSecret: ref('g'), hostedDomains: ['example.com'] })], staticClients: [{ id: 'argo', name: 'Argo', redirectUris: [v], secret: ref('wf') }] }), read: (c) => c.staticClients[0].redirectURIs[0] },
];

/** A CA bundle with a hostile piece somewhere: at a line start or end, inside a line, or around a BEGIN line. */
const hostilePem: fc.Arbitrary<string> = fc.tuple(fc.integer({ min: 0, max: CA.length }), fc.constantFrom(...HOSTILE_PIECES.filter((p) => p.length < 10), '  ', '\n\n'))
  .map(([at, piece]) => `${CA.slice(0, at)}${piece}${CA.slice(at)}`);

/** Refused with a useful message, or read by Dex / Argo CD exactly as given. */
function refusedOrExact(field: Field, value: string): 'refused' | 'exact' {
  const chart = freshChart();
  const owner = new Construct(chart, 'Owner');
  let sso: OidcSso | undefined;
  const problems = synthProblems(chart.node.scope as any, () => {
    sso = field.make(value);
    sso._bind(owner, 'sso');
  });
  if (problems.length > 0) {
    expectUsefulRefusal(problems, 'test/Owner', `sso.${field.property}`);
    return 'refused';
  }
  // The writer SecureArgoCD uses for dex.config and oidc.config.
  const text = toYaml(sso!._argoCdConfig((r) => `$${r.secretName}:${r.key}`));
  const config = readAsGoYaml(text);
  if (config === undefined) throw new Error(`go-yaml refuses the config written for ${JSON.stringify(value)}:\n${text}`);
  const landed = field.read(config);
  if (field.kind === 'pem') {
    // Go's pem reads the same certificates as were given (surrounding blank space aside).
    expect(goPemBlocks(String(landed))).toEqual(goPemBlocks(value.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '')));
    // Every block given is read: none is skipped for an indented or garbled BEGIN line.
    expect(goPemBlocks(String(landed))?.length).toBe((value.match(/-----BEGIN /g) ?? []).length);
    return 'exact';
  }
  expect(landed).toEqual(value);
  if (field.kind === 'url') expect(goReadsHttpsUrlAsWritten(value)).toBe(true);
  return 'exact';
}

test('display names are free text that toYaml quotes: number-, boolean- and null-like names land as written, not refused', () => {
  for (const property of ['name', 'connectors[0].name', 'staticClients[0].name']) {
    const field = FIELDS.find((f) => f.property === property)!;
    for (const value of ['0o17', '0O17', '+0o1_7', '0x1F', 'yes', 'off', '~', '1:20']) expect([property, refusedOrExact(field, value)]).toEqual([property, 'exact']);
  }
});

describe.each(FIELDS.map((f) => [f.property, f] as const))('sso.%s: hostile values are refused or land exactly', (_name, field) => {
  const values = field.kind === 'url' ? hostileUrl : field.kind === 'pem' ? hostilePem : hostileText;
  test('property', () => {
    fc.assert(fc.property(values, (v) => {
      refusedOrExact(field, v);
    }), RUNS);
  });
});

describe('known hostile values, each refused or exact', () => {
  test.each([
    ['connectors[0].orgs[0].name', 'on'],
    ['connectors[0].orgs[0].teams[0]', 'admins\u2028  admin.enabled: "true"'],
    ['connectors[0].orgs[0].teams[0]', '\u0085platform-team'],
    ['connectors[0].groups[0]', 'viewers\u2028  policy.default: role:admin'],
    ['connectors[0].userSearch.filter', '(objectClass=person)\u0085'],
    ['rootCa', CA.replace('UWQAA\n', 'UWQAA\u2028\n')],
    ['connectors[0].caPem', `  ${CA}`],
    ['connectors[0].rootCa', `${CA}\n  ${CA}`],
    ['connectors[0].rootCa', `${CA}\n\u00a0${CA}`],
    ['issuer', 'https://idp.example.com\n'],
    ['issuer', 'https://\uff49dp.example.com'],
    ['issuer', 'https://idp.example.com/%zz'],
  ])('%s = %j', (property, value) => {
    refusedOrExact(FIELDS.find((f) => f.property === property)!, value);
  });
});

describe('valid values are accepted', () => {
  test.each(['Platform Admins', 'my-org:Team Alpha', '\u00e9quipe-ops'])('group %j', (group) => {
    for (const property of ['connectors[0].orgs[0].teams[0]', 'connectors[0].groups[0]']) {
      const chart = freshChart();
      const owner = new Construct(chart, 'Owner');
      const problems = synthProblems(chart.node.scope as any, () => FIELDS.find((f) => f.property === property)!.make(group)._bind(owner, 'sso'));
      expect(problems).toEqual([]);
    }
  });
});

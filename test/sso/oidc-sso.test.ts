import { Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { SecretKeyRef } from '../../src/secrets';
import { DexConnector, OidcSso, SsoKind } from '../../src/sso';
import { testChart } from '../support/synth';

const secret = (key: string) => SecretKeyRef.fromExistingSecret('argocd-secret', key);
const render = (sso: OidcSso) => sso._argoCdConfig((ref) => `$${ref.key}`);
const CA = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUWQ==\n-----END CERTIFICATE-----';

/**
 * The errors reported for a factory's result once a construct binds it (as property `sso` or
 * `connector`): factories run before any construct exists, so their problems carry the path of
 * the construct that uses them.
 */
function problems(make: () => OidcSso | DexConnector): string {
  const chart = testChart();
  const owner = new Construct(chart, 'Owner');
  try {
    const made = make();
    if (OidcSso.isOidcSso(made)) made._bind(owner, 'sso');
    else made._bind(owner, 'connector');
    Testing.synth(chart);
  } catch (e: any) {
    return e.message;
  }
  return '';
}

describe('OidcSso.oidc', () => {
  const base = { issuer: 'https://idp.example.com', clientId: 'argocd', clientSecret: secret('oidc.clientSecret') };

  test('secure defaults: scopes, groups claim essential, no PKCE', () => {
    const sso = OidcSso.oidc(base);
    expect(sso.kind).toBe(SsoKind.OIDC);
    expect(sso.requestedScopes).toEqual(['openid', 'profile', 'email', 'groups']);
    expect(sso.enablePkce).toBe(false);
    expect(render(sso)).toEqual({
      name: 'OIDC',
      issuer: 'https://idp.example.com',
      clientID: 'argocd',
      clientSecret: '$oidc.clientSecret',
      requestedScopes: ['openid', 'profile', 'email', 'groups'],
      requestedIDTokenClaims: { groups: { essential: true } },
    });
  });

  test('every option maps to its oidc.config field', () => {
    const sso = OidcSso.okta({
      ...base,
      cliClientId: 'argocd-cli',
      enablePkce: true,
      allowedAudiences: ['argocd', 'argocd-cli'],
      rootCa: CA,
      logoutUrl: 'https://idp.example.com/logout',
      requestedIdTokenClaims: { groups: { essential: true, values: ['a'] } },
    });
    expect(render(sso)).toMatchObject({
      name: 'Okta',
      cliClientID: 'argocd-cli',
      enablePKCEAuthentication: true,
      allowedAudiences: ['argocd', 'argocd-cli'],
      rootCA: `${CA}\n`,
      logoutURL: 'https://idp.example.com/logout',
      requestedIDTokenClaims: { groups: { essential: true, values: ['a'] } },
    });
  });

  test('an http:// issuer is refused', () => {
    expect(problems(() => OidcSso.oidc({ ...base, issuer: 'http://idp.example.com' }))).toMatch(/sso.issuer: 'http:\/\/idp.example.com' does not use https/);
    expect(problems(() => OidcSso.oidc({ ...base, logoutUrl: 'http://idp.example.com/logout' }))).toMatch(/logoutUrl/);
  });

  test('a literal client secret is refused', () => {
    expect(problems(() => OidcSso.oidc({ ...base, clientSecret: 'hunter2' as any }))).toMatch(/clientSecret: is not a SecretKeyRef/);
  });

  test('openid must be requested', () => {
    expect(problems(() => OidcSso.oidc({ ...base, requestedScopes: ['profile'] }))).toMatch(/requestedScopes: does not contain 'openid'/);
  });

  test('rootCa must be a certificate, never a key', () => {
    expect(problems(() => OidcSso.oidc({ ...base, rootCa: '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----' }))).toMatch(/rootCa: contains a private key/);
    expect(problems(() => OidcSso.oidc({ ...base, rootCa: 'not a pem' }))).toMatch(/rootCa: is not a PEM certificate/);
  });

  test('keycloak needs a realm issuer', () => {
    expect(OidcSso.keycloak({ ...base, issuer: 'https://keycloak.example.com/realms/argo' }).name).toBe('Keycloak');
    expect(problems(() => OidcSso.keycloak(base))).toMatch(/sso.issuer: .* is not a Keycloak realm issuer/);
  });
});

describe('OidcSso.dex and DexConnector', () => {
  test('github needs organizations', () => {
    expect(problems(() => DexConnector.github({ clientId: 'abc', clientSecret: secret('dex.github.clientSecret'), orgs: [] })))
      .toMatch(/connector.orgs: is empty/);
  });

  test('ldap: TLS only, verified', () => {
    const props = {
      host: 'ldap.example.com:636',
      bindDn: 'cn=admin,dc=example,dc=com',
      bindPassword: secret('dex.ldap.bindPW'),
      userSearch: { baseDn: 'ou=users,dc=example,dc=com' },
    };
    const ldap = DexConnector.ldap({ ...props, rootCa: CA })._render((ref) => `$${ref.key}`);
    expect(ldap).toMatchObject({
      type: 'ldap',
      id: 'ldap',
      config: { host: 'ldap.example.com:636', insecureNoSSL: false, insecureSkipVerify: false, startTLS: false, bindPW: '$dex.ldap.bindPW', rootCAData: Buffer.from(`${CA}\n`).toString('base64') },
    });
    expect(problems(() => DexConnector.ldap({ ...props, host: 'ldap.example.com:389' }))).toMatch(/host: port 389 is plain LDAP/);
    expect(DexConnector.ldap({ ...props, host: 'ldap.example.com:389', startTls: true }).id).toBe('ldap');
    expect(problems(() => DexConnector.ldap({ ...props, host: 'ldaps://ldap.example.com' }))).toMatch(/host: .* is not 'host:port'/);
    expect(problems(() => DexConnector.ldap({ ...props, insecureNoSSL: true } as any))).toMatch(/insecureNoSSL: is refused/);
    expect(problems(() => DexConnector.ldap({ ...props, insecureSkipVerify: true } as any))).toMatch(/insecureSkipVerify: is refused/);
    expect(problems(() => DexConnector.ldap({ ...props, bindPassword: 'secret' as any }))).toMatch(/bindPassword: is not a SecretKeyRef/);
  });

  test('saml: https SSO URL, signatures verified', () => {
    const saml = DexConnector.saml({ ssoUrl: 'https://idp.example.com/sso/saml', caPem: CA, groupsAttr: 'groups' })._render(() => 'x');
    expect(saml).toEqual({
      type: 'saml',
      id: 'saml',
      name: 'SAML',
      config: { ssoURL: 'https://idp.example.com/sso/saml', caData: Buffer.from(`${CA}\n`).toString('base64'), usernameAttr: 'name', emailAttr: 'email', groupsAttr: 'groups' },
    });
    expect(problems(() => DexConnector.saml({ ssoUrl: 'http://idp.example.com/sso', caPem: CA }))).toMatch(/ssoUrl/);
    expect(problems(() => DexConnector.saml({ ssoUrl: 'https://idp.example.com/sso', caPem: CA, insecureSkipSignatureValidation: true } as any))).toMatch(/is refused/);
  });

  test('microsoft and google are restricted to a tenant or domains', () => {
    const s = secret('dex.ms.clientSecret');
    expect(problems(() => DexConnector.microsoft({ clientId: 'id', clientSecret: s, tenant: 'common' }))).toMatch(/tenant: 'common' would let accounts of any tenant.*set allowAnyTenant with a reason/);
    expect(problems(() => DexConnector.microsoft({ clientId: 'id', clientSecret: s, tenant: 'organizations', allowAnyTenant: { reason: 'partners sign in; groups restrict access' }, groups: ['argocd-users'] }))).toBe('');
    expect(problems(() => DexConnector.microsoft({ clientId: 'id', clientSecret: s, tenant: 'common', allowAnyTenant: { reason: ' ' } }))).toMatch(/allowAnyTenant\.reason: ' ' is empty/);
    expect(problems(() => DexConnector.google({ clientId: 'id', clientSecret: s, hostedDomains: [] }))).toMatch(/hostedDomains: is empty/);
    expect(DexConnector.microsoft({ clientId: 'id', clientSecret: s, tenant: 'example.onmicrosoft.com' })._render((r) => `$${r.key}`).config)
      .toEqual({ clientID: 'id', clientSecret: '$dex.ms.clientSecret', tenant: 'example.onmicrosoft.com' });
  });

  test('oidc connector: https issuer, groups passed through', () => {
    const c = DexConnector.oidc({ issuer: 'https://idp.example.com', clientId: 'dex', clientSecret: secret('dex.oidc.clientSecret') });
    expect(c._render((r) => `$${r.key}`).config).toMatchObject({ issuer: 'https://idp.example.com', insecureEnableGroups: true, clientSecret: '$dex.oidc.clientSecret' });
    expect(problems(() => DexConnector.oidc({ issuer: 'http://idp.example.com', clientId: 'dex', clientSecret: secret('k') }))).toMatch(/connector.issuer/);
  });

  test('URLs with a query or fragment are refused', () => {
    expect(problems(() => OidcSso.oidc({ issuer: 'https://idp.example.com/?x=1', clientId: 'argocd', clientSecret: secret('k') })))
      .toMatch(/sso.issuer: 'https:\/\/idp.example.com\/\?x=1' has a query/);
    expect(problems(() => DexConnector.oidc({ issuer: 'https://idp.example.com#x', clientId: 'dex', clientSecret: secret('k') })))
      .toMatch(/connector.issuer: .* has a fragment/);
    // Argo CD fills {{token}} and {{logoutRedirectURL}} into the logout URL's query.
    const logoutUrl = 'https://idp.example.com/logout?id_token_hint={{token}}&post_logout_redirect_uri={{logoutRedirectURL}}';
    expect(OidcSso.oidc({ issuer: 'https://idp.example.com', clientId: 'argocd', clientSecret: secret('k'), logoutUrl }).logoutUrl).toBe(logoutUrl);
  });

  test('oidc connector: openid is not listed, as Dex requests it itself', () => {
    const s = secret('dex.oidc.clientSecret');
    expect(DexConnector.oidc({ issuer: 'https://idp.example.com', clientId: 'dex', clientSecret: s })._render((r) => `$${r.key}`).config)
      .toMatchObject({ scopes: ['profile', 'email', 'groups'] });
    expect(DexConnector.oidc({ issuer: 'https://idp.example.com', clientId: 'dex', clientSecret: s, scopes: ['openid', 'email'] })._render((r) => `$${r.key}`).config)
      .toMatchObject({ scopes: ['email'] });
    expect(problems(() => DexConnector.oidc({ issuer: 'https://idp.example.com', clientId: 'dex', clientSecret: s, scopes: ['email groups'] })))
      .toMatch(/connector.scopes\[0\]: 'email groups' is not a valid OAuth scope/);
  });

  test('dex needs connectors with unique ids', () => {
    const gh = () => DexConnector.github({ clientId: 'abc', clientSecret: secret('dex.github.clientSecret'), orgs: [{ name: 'myorg' }] });
    expect(problems(() => OidcSso.dex({ connectors: [] }))).toMatch(/connectors: is empty/);
    expect(problems(() => OidcSso.dex({ connectors: [gh(), gh()] }))).toMatch(/'github' is used twice/);
    const sso = OidcSso.dex({ connectors: [gh()] });
    expect(sso.kind).toBe(SsoKind.DEX);
    expect(sso.issuer).toBeUndefined();
    expect(render(sso)).toEqual({
      connectors: [{ type: 'github', id: 'github', name: 'GitHub', config: { clientID: 'abc', clientSecret: '$dex.github.clientSecret', orgs: [{ name: 'myorg' }] } }],
    });
  });

  test('static clients for other applications (e.g. Argo Workflows)', () => {
    const gh = DexConnector.github({ clientId: 'abc', clientSecret: secret('dex.github.clientSecret'), orgs: [{ name: 'myorg' }] });
    const client = { id: 'argo-workflows', name: 'Argo Workflows', redirectUris: ['https://argo.example.com/oauth2/callback'], secret: secret('dex.argo-workflows.secret') };
    expect(render(OidcSso.dex({ connectors: [gh], staticClients: [client] })).staticClients).toEqual([
      { id: 'argo-workflows', name: 'Argo Workflows', redirectURIs: ['https://argo.example.com/oauth2/callback'], secret: '$dex.argo-workflows.secret' },
    ]);
    expect(problems(() => OidcSso.dex({ connectors: [gh], staticClients: [{ ...client, redirectUris: ['http://argo.example.com/cb'] }] }))).toMatch(/staticClients\[0\]\.redirectUris\[0\]/);
    expect(problems(() => OidcSso.dex({ connectors: [gh], staticClients: [{ ...client, secret: 'x' as any }] }))).toMatch(/secret: is not a SecretKeyRef/);
  });
});

describe('factory problems carry the path of the construct that uses them', () => {
  test('factories do not throw; the binding construct reports the problem with its path', () => {
    expect(() => OidcSso.oidc({ issuer: 'http://idp.example.com', clientId: 'argocd', clientSecret: secret('k') })).not.toThrow();
    expect(() => DexConnector.github({ clientId: 'abc', clientSecret: secret('k'), orgs: [] })).not.toThrow();
    expect(problems(() => OidcSso.oidc({ issuer: 'http://idp.example.com', clientId: 'argocd', clientSecret: secret('k') })))
      .toMatch(/test\/Owner.*sso\.issuer: 'http:\/\/idp\.example\.com' does not use https/);
  });

  test('the problems of a connector are reported under sso.connectors[i]', () => {
    const gh = DexConnector.github({ clientId: 'abc', clientSecret: secret('k'), orgs: [] });
    expect(problems(() => OidcSso.dex({ connectors: [gh] }))).toMatch(/sso\.connectors\[0\]\.orgs: is empty/);
  });

  test('the own problems of a secret reference are reported under the property that holds it', () => {
    const bad = SecretKeyRef.fromExistingSecret('Not_A_Name', 'k');
    expect(problems(() => OidcSso.oidc({ issuer: 'https://idp.example.com', clientId: 'argocd', clientSecret: bad })))
      .toMatch(/sso\.clientSecret\.secretName: 'Not_A_Name' is not a DNS-1123 subdomain/);
    const gh = DexConnector.github({ clientId: 'abc', clientSecret: bad, orgs: [{ name: 'myorg' }] });
    expect(problems(() => OidcSso.dex({ connectors: [gh] }))).toMatch(/sso\.connectors\[0\]\.clientSecret\.secretName/);
  });

  test('brand checks recognise objects of any copy of the library, and nothing else', () => {
    expect(OidcSso.isOidcSso(OidcSso.oidc({ issuer: 'https://idp.example.com', clientId: 'argocd', clientSecret: secret('k') }))).toBe(true);
    expect(OidcSso.isOidcSso({ kind: SsoKind.OIDC })).toBe(false);
    expect(OidcSso.isOidcSso({ [Symbol.for('cdk8s-secure-argo.OidcSso')]: true })).toBe(true);
    expect(DexConnector.isDexConnector({ [Symbol.for('cdk8s-secure-argo.DexConnector')]: true })).toBe(true);
    expect(DexConnector.isDexConnector(undefined)).toBe(false);
    expect(problems(() => OidcSso.dex({ connectors: [{ id: 'x' } as any] }))).toMatch(/sso\.connectors\[0\]: is not a DexConnector/);
  });
});

import { SecretKeyRef } from '../../src/secrets/secret-key-ref';
import { DexConnector, OidcSso, SsoKind } from '../../src/sso/oidc-sso';

const secret = (key: string) => SecretKeyRef.fromExistingSecret('argocd-secret', key);
const render = (sso: OidcSso) => sso._argoCdConfig((ref) => `$${ref.key}`);
const CA = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUW\n-----END CERTIFICATE-----';

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
    expect(() => OidcSso.oidc({ ...base, issuer: 'http://idp.example.com' })).toThrow(/OidcSso.oidc: issuer: 'http:\/\/idp.example.com' is not an https:\/\/ URL/);
    expect(() => OidcSso.oidc({ ...base, logoutUrl: 'http://idp.example.com/logout' })).toThrow(/logoutUrl/);
  });

  test('a literal client secret is refused', () => {
    expect(() => OidcSso.oidc({ ...base, clientSecret: 'hunter2' as any })).toThrow(/clientSecret: is not a SecretKeyRef/);
  });

  test('openid must be requested', () => {
    expect(() => OidcSso.oidc({ ...base, requestedScopes: ['profile'] })).toThrow(/requestedScopes: does not contain 'openid'/);
  });

  test('rootCa must be a certificate, never a key', () => {
    expect(() => OidcSso.oidc({ ...base, rootCa: '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----' })).toThrow(/rootCa: contains a private key/);
    expect(() => OidcSso.oidc({ ...base, rootCa: 'not a pem' })).toThrow(/rootCa: is not a PEM certificate/);
  });

  test('keycloak needs a realm issuer', () => {
    expect(OidcSso.keycloak({ ...base, issuer: 'https://keycloak.example.com/realms/argo' }).name).toBe('Keycloak');
    expect(() => OidcSso.keycloak(base)).toThrow(/OidcSso.keycloak: issuer: .* is not a Keycloak realm issuer/);
  });
});

describe('OidcSso.dex and DexConnector', () => {
  test('github needs organizations', () => {
    expect(() => DexConnector.github({ clientId: 'abc', clientSecret: secret('dex.github.clientSecret'), orgs: [] }))
      .toThrow(/DexConnector.github: orgs: is empty/);
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
    expect(() => DexConnector.ldap({ ...props, host: 'ldap.example.com:389' })).toThrow(/host: port 389 is plain LDAP/);
    expect(DexConnector.ldap({ ...props, host: 'ldap.example.com:389', startTls: true }).id).toBe('ldap');
    expect(() => DexConnector.ldap({ ...props, host: 'ldaps://ldap.example.com' })).toThrow(/host: .* is not 'host:port'/);
    expect(() => DexConnector.ldap({ ...props, insecureNoSSL: true } as any)).toThrow(/insecureNoSSL: is refused/);
    expect(() => DexConnector.ldap({ ...props, insecureSkipVerify: true } as any)).toThrow(/insecureSkipVerify: is refused/);
    expect(() => DexConnector.ldap({ ...props, bindPassword: 'secret' as any })).toThrow(/bindPassword: is not a SecretKeyRef/);
  });

  test('saml: https SSO URL, signatures verified', () => {
    const saml = DexConnector.saml({ ssoUrl: 'https://idp.example.com/sso/saml', caPem: CA, groupsAttr: 'groups' })._render(() => 'x');
    expect(saml).toEqual({
      type: 'saml',
      id: 'saml',
      name: 'SAML',
      config: { ssoURL: 'https://idp.example.com/sso/saml', caData: Buffer.from(`${CA}\n`).toString('base64'), usernameAttr: 'name', emailAttr: 'email', groupsAttr: 'groups' },
    });
    expect(() => DexConnector.saml({ ssoUrl: 'http://idp.example.com/sso', caPem: CA })).toThrow(/ssoUrl/);
    expect(() => DexConnector.saml({ ssoUrl: 'https://idp.example.com/sso', caPem: CA, insecureSkipSignatureValidation: true } as any)).toThrow(/is refused/);
  });

  test('microsoft and google are restricted to a tenant or domains', () => {
    const s = secret('dex.ms.clientSecret');
    expect(() => DexConnector.microsoft({ clientId: 'id', clientSecret: s, tenant: 'common' })).toThrow(/tenant: 'common' would let accounts of any tenant/);
    expect(() => DexConnector.google({ clientId: 'id', clientSecret: s, hostedDomains: [] })).toThrow(/hostedDomains: is empty/);
    expect(DexConnector.microsoft({ clientId: 'id', clientSecret: s, tenant: 'example.onmicrosoft.com' })._render((r) => `$${r.key}`).config)
      .toEqual({ clientID: 'id', clientSecret: '$dex.ms.clientSecret', tenant: 'example.onmicrosoft.com' });
  });

  test('oidc connector: https issuer, groups passed through', () => {
    const c = DexConnector.oidc({ issuer: 'https://idp.example.com', clientId: 'dex', clientSecret: secret('dex.oidc.clientSecret') });
    expect(c._render((r) => `$${r.key}`).config).toMatchObject({ issuer: 'https://idp.example.com', insecureEnableGroups: true, clientSecret: '$dex.oidc.clientSecret' });
    expect(() => DexConnector.oidc({ issuer: 'http://idp.example.com', clientId: 'dex', clientSecret: secret('k') })).toThrow(/DexConnector.oidc: issuer/);
  });

  test('URLs with a query or fragment are refused', () => {
    expect(() => OidcSso.oidc({ issuer: 'https://idp.example.com/?x=1', clientId: 'argocd', clientSecret: secret('k') }))
      .toThrow(/OidcSso.oidc: issuer: 'https:\/\/idp.example.com\/\?x=1' has a query or fragment/);
    expect(() => DexConnector.oidc({ issuer: 'https://idp.example.com#x', clientId: 'dex', clientSecret: secret('k') }))
      .toThrow(/DexConnector.oidc: issuer: .* has a query or fragment/);
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
    expect(() => DexConnector.oidc({ issuer: 'https://idp.example.com', clientId: 'dex', clientSecret: s, scopes: ['email groups'] }))
      .toThrow(/DexConnector.oidc: scopes\[0\]: 'email groups' is not a valid OAuth scope/);
  });

  test('dex needs connectors with unique ids', () => {
    const gh = () => DexConnector.github({ clientId: 'abc', clientSecret: secret('dex.github.clientSecret'), orgs: [{ name: 'myorg' }] });
    expect(() => OidcSso.dex({ connectors: [] })).toThrow(/connectors: is empty/);
    expect(() => OidcSso.dex({ connectors: [gh(), gh()] })).toThrow(/'github' is used twice/);
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
    expect(() => OidcSso.dex({ connectors: [gh], staticClients: [{ ...client, redirectUris: ['http://argo.example.com/cb'] }] })).toThrow(/staticClients\[0\]: redirectUris\[0\]/);
    expect(() => OidcSso.dex({ connectors: [gh], staticClients: [{ ...client, secret: 'x' as any }] })).toThrow(/secret: is not a SecretKeyRef/);
  });
});

import { IConstruct } from 'constructs';
import { invalid } from '../private/errors';
import { SecretKeyRef } from '../secrets/secret-key-ref';

/** How users sign in. */
export enum SsoKind {
  /** Argo CD (or Argo Workflows) talks to an OIDC provider directly. */
  OIDC = 'oidc',
  /** Argo CD's bundled Dex federates one or more upstream connectors. */
  DEX = 'dex',
}

/** A claim requested on the ID token (`requestedIDTokenClaims`). */
export interface OidcClaimRequest {
  /**
   * The provider must include the claim.
   * @default true
   */
  readonly essential?: boolean;
  /**
   * Acceptable values of the claim.
   * @default - any value
   */
  readonly values?: string[];
}

/** Settings for single sign-on through an OIDC provider. */
export interface OidcProviderProps {
  /** The issuer URL (`https://` only), exactly as the provider's discovery document states it. */
  readonly issuer: string;
  /** The client ID registered at the provider. */
  readonly clientId: string;
  /** The client secret, as a reference (never a literal). */
  readonly clientSecret: SecretKeyRef;
  /**
   * The name shown on the login button.
   * @default 'OIDC' ('Keycloak' and 'Okta' for those presets)
   */
  readonly name?: string;
  /**
   * A separate public client ID for the `argocd` CLI.
   * @default - the CLI uses `clientId`
   */
  readonly cliClientId?: string;
  /**
   * Scopes to request. Must contain `openid`.
   * @default ['openid', 'profile', 'email', 'groups']
   */
  readonly requestedScopes?: string[];
  /**
   * Claims to request on the ID token.
   * @default { groups: { essential: true } }
   */
  readonly requestedIdTokenClaims?: { [claim: string]: OidcClaimRequest };
  /**
   * Use PKCE in the login flow. Since Argo CD 3.1 the provider must then allow the redirect
   * URI `<url>/auth/callback`.
   * @default false
   */
  readonly enablePkce?: boolean;
  /**
   * Audiences accepted in tokens (for tokens issued to other clients, e.g. the CLI).
   * @default - only `clientId` (and `cliClientId`)
   */
  readonly allowedAudiences?: string[];
  /**
   * PEM certificate(s) of the CA that signed the provider's TLS certificate, when it is not
   * publicly trusted. Public data: a private key here is refused.
   * @default - the system trust store
   */
  readonly rootCa?: string;
  /**
   * The provider's logout URL (`https://` only), so logging out of Argo CD ends the provider
   * session too.
   * @default - none
   */
  readonly logoutUrl?: string;
}

/**
 * Another application that logs in through Argo CD's Dex (e.g. the Argo Workflows server with
 * issuer `<argocd url>/api/dex`).
 */
export interface DexStaticClient {
  /** The client ID. */
  readonly id: string;
  /** The name shown on Dex's consent page. */
  readonly name: string;
  /** The application's callback URLs (`https://` only), e.g. `https://argo.example.com/oauth2/callback`. */
  readonly redirectUris: string[];
  /** The client secret, as a reference. */
  readonly secret: SecretKeyRef;
}

/** Settings for single sign-on through Argo CD's bundled Dex. */
export interface DexProps {
  /** The upstream identity providers. At least one; ids must be unique. */
  readonly connectors: DexConnector[];
  /**
   * Other applications that log in through this Dex.
   * @default - none
   */
  readonly staticClients?: DexStaticClient[];
}

const DEFAULT_SCOPES = ['openid', 'profile', 'email', 'groups'];
const CLIENT_ID = /^[A-Za-z0-9][A-Za-z0-9._:@\/-]*$/;
/** RFC 6749 scope-token: printable ASCII except space, `"` and `\`. */
const OAUTH_SCOPE = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/**
 * Single sign-on: direct OIDC or Dex with connectors. A value object: `SecureArgoCD` renders
 * it into `oidc.config` or `dex.config`, and the Argo Workflows server reads the OIDC fields.
 * Direct OIDC and Dex are exclusive (Argo CD ignores `dex.config` when `oidc.config` is set),
 * so one `OidcSso` is one or the other.
 */
export class OidcSso {
  /** Direct OIDC with any provider. */
  public static oidc(props: OidcProviderProps): OidcSso {
    return new OidcSso(SsoKind.OIDC, props.name ?? 'OIDC', props, []);
  }

  /**
   * Direct OIDC with Keycloak: the issuer is `https://<host>/realms/<realm>` (or
   * `/auth/realms/<realm>` on old versions). Keycloak sends groups only with a "groups"
   * client scope and mapper configured.
   */
  public static keycloak(props: OidcProviderProps): OidcSso {
    if (typeof props.issuer === 'string' && !/\/realms\/[^/]+\/?$/.test(props.issuer)) {
      invalid('OidcSso.keycloak', 'issuer', `'${props.issuer}' is not a Keycloak realm issuer: use https://<host>/realms/<realm>`);
    }
    return new OidcSso(SsoKind.OIDC, props.name ?? 'Keycloak', props, []);
  }

  /**
   * Direct OIDC with Okta: the issuer is the Okta org or authorization server URL. Okta sends
   * groups only with a groups claim configured on the authorization server.
   */
  public static okta(props: OidcProviderProps): OidcSso {
    return new OidcSso(SsoKind.OIDC, props.name ?? 'Okta', props, []);
  }

  /**
   * Argo CD's bundled Dex with upstream connectors. With Dex, Argo CD v3 takes the RBAC
   * subject of a user from `federated_claims.user_id`, not from `sub`.
   */
  public static dex(props: DexProps): OidcSso {
    const connectors = props.connectors ?? [];
    if (connectors.length === 0) invalid('OidcSso.dex', 'connectors', 'is empty: add at least one DexConnector');
    const ids = new Set<string>();
    connectors.forEach((c, i) => {
      if (!(c instanceof DexConnector)) invalid('OidcSso.dex', `connectors[${i}]`, 'is not a DexConnector: use the DexConnector factories');
      if (ids.has(c.id)) invalid('OidcSso.dex', `connectors[${i}].id`, `'${c.id}' is used twice: give each connector its own id`);
      ids.add(c.id);
    });
    const clients = (props.staticClients ?? []).map((c, i) => {
      const where = `OidcSso.dex: staticClients[${i}]`;
      requireClientId(where, 'id', c.id);
      requireSafeText(where, 'name', c.name);
      if (!c.redirectUris || c.redirectUris.length === 0) invalid(where, 'redirectUris', 'is empty: list the callback URLs of the application');
      c.redirectUris.forEach((u, j) => requireHttpsUrl(where, `redirectUris[${j}]`, u));
      requireSecretRef(where, 'secret', c.secret);
      return { ...c, redirectUris: [...c.redirectUris] };
    });
    return new OidcSso(SsoKind.DEX, 'Dex', undefined, connectors, clients);
  }

  /** Direct OIDC or Dex. */
  public readonly kind: SsoKind;
  /** The name shown on the login button (direct OIDC). */
  public readonly name: string;
  /** The issuer URL (direct OIDC only). */
  public readonly issuer?: string;
  /** The client ID (direct OIDC only). */
  public readonly clientId?: string;
  /** The client secret reference (direct OIDC only). */
  public readonly clientSecret?: SecretKeyRef;
  /** The CLI's client ID, if separate (direct OIDC only). */
  public readonly cliClientId?: string;
  /** Scopes requested from the provider. */
  public readonly requestedScopes: string[];
  /** Claims requested on the ID token (direct OIDC only). */
  public readonly requestedIdTokenClaims: { [claim: string]: OidcClaimRequest };
  /** Whether the login flow uses PKCE. */
  public readonly enablePkce: boolean;
  /** Extra accepted audiences (direct OIDC only). */
  public readonly allowedAudiences: string[];
  /** PEM CA certificate(s) for the provider's TLS certificate (direct OIDC only). */
  public readonly rootCa?: string;
  /** The provider's logout URL (direct OIDC only). */
  public readonly logoutUrl?: string;
  /** Dex connectors (Dex only). */
  public readonly connectors: DexConnector[];
  /** Other applications logging in through Dex (Dex only). */
  public readonly staticClients: DexStaticClient[];

  private constructor(kind: SsoKind, name: string, props: OidcProviderProps | undefined, connectors: DexConnector[],
    staticClients: DexStaticClient[] = []) {
    const where = `OidcSso.${kind}`;
    this.kind = kind;
    this.name = name;
    this.connectors = connectors;
    this.staticClients = staticClients;
    this.requestedScopes = DEFAULT_SCOPES;
    this.requestedIdTokenClaims = {};
    this.enablePkce = false;
    this.allowedAudiences = [];
    if (!props) return;

    requireSafeText(where, 'name', name);
    this.issuer = requireHttpsBaseUrl(where, 'issuer', props.issuer);
    this.clientId = requireClientId(where, 'clientId', props.clientId);
    this.clientSecret = requireSecretRef(where, 'clientSecret', props.clientSecret);
    if (props.cliClientId !== undefined) this.cliClientId = requireClientId(where, 'cliClientId', props.cliClientId);
    const scopes = props.requestedScopes ?? DEFAULT_SCOPES;
    scopes.forEach((s, i) => {
      if (!OAUTH_SCOPE.test(s)) invalid(where, `requestedScopes[${i}]`, `'${s}' is not a valid OAuth scope: use printable characters without spaces, quotes or backslashes`);
    });
    if (!scopes.includes('openid')) invalid(where, 'requestedScopes', "does not contain 'openid', which OIDC login needs: add it");
    this.requestedScopes = [...scopes];
    const claims = props.requestedIdTokenClaims ?? { groups: { essential: true } };
    for (const claim of Object.keys(claims)) {
      if (!/^[A-Za-z0-9_.:\/-]+$/.test(claim)) invalid(where, 'requestedIdTokenClaims', `'${claim}' is not a claim name: use letters, digits, '_', '.', ':', '/' and '-'`);
    }
    this.requestedIdTokenClaims = claims;
    this.enablePkce = props.enablePkce ?? false;
    this.allowedAudiences = (props.allowedAudiences ?? []).map((a, i) => requireClientId(where, `allowedAudiences[${i}]`, a));
    if (props.rootCa !== undefined) this.rootCa = requireCaPem(where, 'rootCa', props.rootCa);
    if (props.logoutUrl !== undefined) this.logoutUrl = requireHttpsUrl(where, 'logoutUrl', props.logoutUrl);
  }

  /**
   * The typed content of `oidc.config` (direct OIDC) or `dex.config` (Dex), with secret
   * references rendered by `secretRef`.
   * @internal
   */
  public _argoCdConfig(secretRef: (ref: SecretKeyRef, property: string) => string): Record<string, unknown> {
    if (this.kind === SsoKind.DEX) {
      const config: Record<string, unknown> = {
        connectors: this.connectors.map((c, i) => c._render((ref, p) => secretRef(ref, `sso.connectors[${i}].${p}`))),
      };
      if (this.staticClients.length > 0) {
        config.staticClients = this.staticClients.map((c, i) => ({
          id: c.id,
          name: c.name,
          redirectURIs: [...c.redirectUris],
          secret: secretRef(c.secret, `sso.staticClients[${i}].secret`),
        }));
      }
      return config;
    }
    const claims: Record<string, unknown> = {};
    for (const claim of Object.keys(this.requestedIdTokenClaims).sort()) {
      const request = this.requestedIdTokenClaims[claim];
      claims[claim] = { essential: request.essential ?? true, ...(request.values ? { values: [...request.values] } : {}) };
    }
    const config: Record<string, unknown> = {
      name: this.name,
      issuer: this.issuer,
      clientID: this.clientId,
      clientSecret: secretRef(this.clientSecret!, 'sso.clientSecret'),
    };
    if (this.cliClientId) config.cliClientID = this.cliClientId;
    config.requestedScopes = [...this.requestedScopes];
    if (Object.keys(claims).length > 0) config.requestedIDTokenClaims = claims;
    if (this.enablePkce) config.enablePKCEAuthentication = true;
    if (this.allowedAudiences.length > 0) config.allowedAudiences = [...this.allowedAudiences];
    if (this.rootCa) config.rootCA = this.rootCa;
    if (this.logoutUrl) config.logoutURL = this.logoutUrl;
    return config;
  }
}

/** Options every Dex connector takes. */
export interface DexConnectorOptions {
  /**
   * The connector id (part of the callback state and of `federated_claims.connector_id`).
   * @default - the connector type (`github`, `ldap`, `saml`, `oidc`, `microsoft`, `google`)
   */
  readonly id?: string;
  /**
   * The name on the login button.
   * @default - the provider's name (`GitHub`, `LDAP`, ...)
   */
  readonly name?: string;
}

/** A GitHub organization, and optionally teams in it, allowed to log in. */
export interface DexGithubOrg {
  /** The organization. */
  readonly name: string;
  /**
   * Teams whose members may log in; their names become groups (`<org>:<team>`).
   * @default - every member of the organization
   */
  readonly teams?: string[];
}

/** Settings for {@link DexConnector.github}. */
export interface DexGithubProps extends DexConnectorOptions {
  /** The OAuth app's client ID (not secret). */
  readonly clientId: string;
  /** The OAuth app's client secret, as a reference. */
  readonly clientSecret: SecretKeyRef;
  /** Organizations (and teams) allowed to log in. At least one: without, any GitHub user could. */
  readonly orgs: DexGithubOrg[];
  /**
   * GitHub Enterprise host name.
   * @default - github.com
   */
  readonly hostName?: string;
}

/** How Dex finds a user in LDAP. */
export interface DexLdapUserSearch {
  /** Where users live, e.g. `ou=users,dc=example,dc=com`. */
  readonly baseDn: string;
  /**
   * An extra LDAP filter, e.g. `(objectClass=person)`.
   * @default - none
   */
  readonly filter?: string;
  /**
   * The attribute matched against the login name.
   * @default 'uid'
   */
  readonly username?: string;
  /**
   * The attribute used as the user id (the RBAC subject through `federated_claims.user_id`).
   * @default 'uid'
   */
  readonly idAttr?: string;
  /**
   * The e-mail attribute.
   * @default 'mail'
   */
  readonly emailAttr?: string;
  /**
   * The display name attribute.
   * @default 'cn'
   */
  readonly nameAttr?: string;
}

/** Matches a user entry to a group entry: user attribute value equals group attribute value. */
export interface DexLdapUserMatcher {
  /** The user's attribute, e.g. `DN`. */
  readonly userAttr: string;
  /** The group's attribute, e.g. `member`. */
  readonly groupAttr: string;
}

/** How Dex finds a user's groups in LDAP. */
export interface DexLdapGroupSearch {
  /** Where groups live, e.g. `ou=groups,dc=example,dc=com`. */
  readonly baseDn: string;
  /**
   * An extra LDAP filter, e.g. `(objectClass=groupOfNames)`.
   * @default - none
   */
  readonly filter?: string;
  /**
   * How users are matched to groups.
   * @default [{ userAttr: 'DN', groupAttr: 'member' }]
   */
  readonly userMatchers?: DexLdapUserMatcher[];
  /**
   * The attribute that becomes the group name.
   * @default 'cn'
   */
  readonly nameAttr?: string;
}

/** Settings for {@link DexConnector.ldap}. TLS is always verified; plain LDAP is refused. */
export interface DexLdapProps extends DexConnectorOptions {
  /** `host:port` of the LDAP server: LDAPS (port 636) or, with `startTls`, port 389. */
  readonly host: string;
  /**
   * Upgrade a plain connection with StartTLS (port 389).
   * @default false
   */
  readonly startTls?: boolean;
  /**
   * PEM CA certificate(s) of the LDAP server (public data).
   * @default - the system trust store
   */
  readonly rootCa?: string;
  /** The DN Dex binds as to search. */
  readonly bindDn: string;
  /** The bind password, as a reference. */
  readonly bindPassword: SecretKeyRef;
  /** How to find users. */
  readonly userSearch: DexLdapUserSearch;
  /**
   * How to find groups.
   * @default - no groups
   */
  readonly groupSearch?: DexLdapGroupSearch;
}

/** Settings for {@link DexConnector.saml}. Argo CD sets the redirect URI to `<url>/api/dex/callback`. */
export interface DexSamlProps extends DexConnectorOptions {
  /** The IdP's SSO URL (`https://` only). */
  readonly ssoUrl: string;
  /** PEM certificate(s) that sign the IdP's responses (public data). */
  readonly caPem: string;
  /**
   * The assertion attribute used as user name.
   * @default 'name'
   */
  readonly usernameAttr?: string;
  /**
   * The assertion attribute with the e-mail address.
   * @default 'email'
   */
  readonly emailAttr?: string;
  /**
   * The assertion attribute with the groups.
   * @default - no groups
   */
  readonly groupsAttr?: string;
  /**
   * The entity issuer Dex sends in requests.
   * @default - none
   */
  readonly entityIssuer?: string;
  /**
   * The issuer the IdP's responses must carry.
   * @default - not checked
   */
  readonly ssoIssuer?: string;
}

/** Settings for {@link DexConnector.oidc}. */
export interface DexOidcProps extends DexConnectorOptions {
  /** The upstream issuer (`https://` only). */
  readonly issuer: string;
  /** The client ID. */
  readonly clientId: string;
  /** The client secret, as a reference. */
  readonly clientSecret: SecretKeyRef;
  /**
   * Scopes to request besides `openid`, which Dex always requests itself.
   * @default ['profile', 'email', 'groups']
   */
  readonly scopes?: string[];
  /**
   * Pass the upstream `groups` claim through (Dex calls this `insecureEnableGroups`, because it
   * trusts the upstream's groups).
   * @default true
   */
  readonly passGroups?: boolean;
}

/** Settings for {@link DexConnector.microsoft}. */
export interface DexMicrosoftProps extends DexConnectorOptions {
  /** The application (client) ID. */
  readonly clientId: string;
  /** The client secret, as a reference. */
  readonly clientSecret: SecretKeyRef;
  /** The Entra ID tenant (ID or domain). `common`, `organizations` and `consumers` are refused. */
  readonly tenant: string;
  /**
   * Only members of these groups may log in.
   * @default - every user of the tenant
   */
  readonly groups?: string[];
}

/** Settings for {@link DexConnector.google}. */
export interface DexGoogleProps extends DexConnectorOptions {
  /** The OAuth client ID. */
  readonly clientId: string;
  /** The client secret, as a reference. */
  readonly clientSecret: SecretKeyRef;
  /** Workspace domains allowed to log in. At least one: without, any Google account could. */
  readonly hostedDomains: string[];
}

/** An upstream identity provider for Dex. */
export class DexConnector {
  /** GitHub (or GitHub Enterprise), restricted to organizations and teams. */
  public static github(props: DexGithubProps): DexConnector {
    const where = 'DexConnector.github';
    requireClientId(where, 'clientId', props.clientId);
    requireSecretRef(where, 'clientSecret', props.clientSecret);
    if (!props.orgs || props.orgs.length === 0) invalid(where, 'orgs', 'is empty: list the organizations allowed to log in (otherwise any GitHub user can)');
    const orgs = props.orgs.map((o, i) => {
      requireSafeText(where, `orgs[${i}].name`, o.name);
      (o.teams ?? []).forEach((t, j) => requireSafeText(where, `orgs[${i}].teams[${j}]`, t));
      return o.teams && o.teams.length > 0 ? { name: o.name, teams: [...o.teams] } : { name: o.name };
    });
    if (props.hostName !== undefined && !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:[0-9]+)?$/.test(props.hostName)) {
      invalid(where, 'hostName', `'${props.hostName}' is not a host name: give the GitHub Enterprise host, e.g. 'github.example.com'`);
    }
    return new DexConnector('github', props, 'GitHub', (ref) => ({
      clientID: props.clientId,
      clientSecret: ref(props.clientSecret, 'clientSecret'),
      ...(props.hostName ? { hostName: props.hostName } : {}),
      orgs,
    }));
  }

  /** LDAP over TLS (LDAPS or StartTLS), with certificate verification always on. */
  public static ldap(props: DexLdapProps): DexConnector {
    const where = 'DexConnector.ldap';
    const untyped = props as any;
    for (const key of ['insecureNoSSL', 'insecureSkipVerify', 'insecureNoSsl']) {
      if (untyped[key]) invalid(where, key, 'is refused: LDAP credentials and directory data must travel over verified TLS');
    }
    const match = /^([A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?):([0-9]{1,5})$/.exec(props.host ?? '');
    if (!match) invalid(where, 'host', `'${props.host}' is not 'host:port' (no scheme): e.g. ldap.example.com:636`);
    const startTls = props.startTls ?? false;
    if (match[3] === '389' && !startTls) {
      invalid(where, 'host', 'port 389 is plain LDAP: use LDAPS on port 636 or set startTls: true');
    }
    requireSafeText(where, 'bindDn', props.bindDn);
    requireSecretRef(where, 'bindPassword', props.bindPassword);
    const rootCa = props.rootCa !== undefined ? requireCaPem(where, 'rootCa', props.rootCa) : undefined;
    const us = props.userSearch;
    if (!us) invalid(where, 'userSearch', 'is required: give at least userSearch.baseDn, where the users live');
    requireSafeText(where, 'userSearch.baseDn', us.baseDn);
    const gs = props.groupSearch;
    if (gs) requireSafeText(where, 'groupSearch.baseDn', gs.baseDn);
    return new DexConnector('ldap', props, 'LDAP', (ref) => ({
      host: props.host,
      insecureNoSSL: false,
      insecureSkipVerify: false,
      startTLS: startTls,
      // Dex reads rootCAData as bytes, i.e. base64 in YAML.
      ...(rootCa ? { rootCAData: Buffer.from(rootCa).toString('base64') } : {}),
      bindDN: props.bindDn,
      bindPW: ref(props.bindPassword, 'bindPassword'),
      userSearch: {
        baseDN: us.baseDn,
        ...(us.filter ? { filter: us.filter } : {}),
        username: us.username ?? 'uid',
        idAttr: us.idAttr ?? 'uid',
        emailAttr: us.emailAttr ?? 'mail',
        nameAttr: us.nameAttr ?? 'cn',
      },
      ...(gs ? {
        groupSearch: {
          baseDN: gs.baseDn,
          ...(gs.filter ? { filter: gs.filter } : {}),
          userMatchers: (gs.userMatchers ?? [{ userAttr: 'DN', groupAttr: 'member' }]).map((m) => ({ userAttr: m.userAttr, groupAttr: m.groupAttr })),
          nameAttr: gs.nameAttr ?? 'cn',
        },
      } : {}),
    }));
  }

  /** SAML 2.0, with response signatures always verified against `caPem`. */
  public static saml(props: DexSamlProps): DexConnector {
    const where = 'DexConnector.saml';
    if ((props as any).insecureSkipSignatureValidation) {
      invalid(where, 'insecureSkipSignatureValidation', 'is refused: unsigned SAML responses can be forged');
    }
    requireHttpsUrl(where, 'ssoUrl', props.ssoUrl);
    const ca = requireCaPem(where, 'caPem', props.caPem);
    return new DexConnector('saml', props, 'SAML', () => ({
      ssoURL: props.ssoUrl,
      caData: Buffer.from(ca).toString('base64'),
      usernameAttr: props.usernameAttr ?? 'name',
      emailAttr: props.emailAttr ?? 'email',
      ...(props.groupsAttr ? { groupsAttr: props.groupsAttr } : {}),
      ...(props.entityIssuer ? { entityIssuer: props.entityIssuer } : {}),
      ...(props.ssoIssuer ? { ssoIssuer: props.ssoIssuer } : {}),
    }));
  }

  /** An upstream OIDC provider behind Dex. */
  public static oidc(props: DexOidcProps): DexConnector {
    const where = 'DexConnector.oidc';
    requireHttpsBaseUrl(where, 'issuer', props.issuer);
    requireClientId(where, 'clientId', props.clientId);
    requireSecretRef(where, 'clientSecret', props.clientSecret);
    // Dex puts `openid` first itself: listing it again would request it twice.
    const scopes = (props.scopes ?? DEFAULT_SCOPES).filter((s) => s !== 'openid');
    scopes.forEach((s, i) => {
      if (!OAUTH_SCOPE.test(s)) invalid(where, `scopes[${i}]`, `'${s}' is not a valid OAuth scope: use printable characters without spaces, quotes or backslashes`);
    });
    return new DexConnector('oidc', props, 'OIDC', (ref) => ({
      issuer: props.issuer,
      clientID: props.clientId,
      clientSecret: ref(props.clientSecret, 'clientSecret'),
      scopes,
      insecureEnableGroups: props.passGroups ?? true,
    }));
  }

  /** Microsoft Entra ID, restricted to one tenant. */
  public static microsoft(props: DexMicrosoftProps): DexConnector {
    const where = 'DexConnector.microsoft';
    requireClientId(where, 'clientId', props.clientId);
    requireSecretRef(where, 'clientSecret', props.clientSecret);
    if (!props.tenant || ['common', 'organizations', 'consumers'].includes(props.tenant)) {
      invalid(where, 'tenant', `'${props.tenant}' would let accounts of any tenant log in: use your tenant ID or domain`);
    }
    requireSafeText(where, 'tenant', props.tenant);
    return new DexConnector('microsoft', props, 'Microsoft', (ref) => ({
      clientID: props.clientId,
      clientSecret: ref(props.clientSecret, 'clientSecret'),
      tenant: props.tenant,
      ...(props.groups && props.groups.length > 0 ? { groups: [...props.groups] } : {}),
    }));
  }

  /** Google, restricted to Workspace domains. */
  public static google(props: DexGoogleProps): DexConnector {
    const where = 'DexConnector.google';
    requireClientId(where, 'clientId', props.clientId);
    requireSecretRef(where, 'clientSecret', props.clientSecret);
    if (!props.hostedDomains || props.hostedDomains.length === 0) {
      invalid(where, 'hostedDomains', 'is empty: list the Workspace domains allowed to log in (otherwise any Google account can)');
    }
    props.hostedDomains.forEach((d, i) => requireSafeText(where, `hostedDomains[${i}]`, d));
    return new DexConnector('google', props, 'Google', (ref) => ({
      clientID: props.clientId,
      clientSecret: ref(props.clientSecret, 'clientSecret'),
      hostedDomains: [...props.hostedDomains],
    }));
  }

  /** The connector type (`github`, `ldap`, ...). */
  public readonly type: string;
  /** The connector id. */
  public readonly id: string;
  /** The name on the login button. */
  public readonly name: string;

  private constructor(
    type: string,
    options: DexConnectorOptions,
    defaultName: string,
    private readonly config: (ref: (secret: SecretKeyRef, property: string) => string) => Record<string, unknown>,
  ) {
    this.type = type;
    this.id = options.id ?? type;
    this.name = options.name ?? defaultName;
    if (!/^[a-z0-9][a-z0-9_-]*$/.test(this.id)) {
      invalid(`DexConnector.${type}`, 'id', `'${this.id}' is not a valid connector id: use lowercase letters, digits, '-' and '_'`);
    }
    requireSafeText(`DexConnector.${type}`, 'name', this.name);
  }

  /**
   * The connector entry of `dex.config`. Argo CD fills in `redirectURI`.
   * @internal
   */
  public _render(secretRef: (ref: SecretKeyRef, property: string) => string): Record<string, unknown> {
    return { type: this.type, id: this.id, name: this.name, config: this.config(secretRef) };
  }
}

/** @internal */
export function requireHttpsUrl(where: IConstruct | string, property: string, value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || url.protocol !== 'https:' || !url.hostname) {
    invalid(where, property, `'${value}' is not an https:// URL: tokens and credentials must not travel in clear text`);
  }
  if (url.username || url.password) invalid(where, property, 'contains credentials: remove user:password@ from the URL');
  return value;
}

/**
 * An https URL that paths are appended to (Argo CD's `url`, an issuer): no query or fragment.
 * @internal
 */
export function requireHttpsBaseUrl(where: IConstruct | string, property: string, value: string): string {
  requireHttpsUrl(where, property, value);
  const url = new URL(value);
  if (url.search || url.hash) {
    invalid(where, property, `'${value}' has a query or fragment, which would end up before the paths appended to it (/auth/callback, /.well-known/openid-configuration): remove it`);
  }
  return value;
}

/** @internal */
export function requireSecretRef(where: string, property: string, value: SecretKeyRef): SecretKeyRef {
  if (!(value instanceof SecretKeyRef)) {
    invalid(where, property, 'is not a SecretKeyRef: pass SecretKeyRef.fromExistingSecret(...) or SealedOrExternalSecret.keyRef(...), never a literal secret');
  }
  return value;
}

function requireClientId(where: string, property: string, value: string): string {
  if (typeof value !== 'string' || !CLIENT_ID.test(value) || value.length > 255) {
    invalid(where, property, `'${value}' is not a valid client ID: use letters, digits and . _ : @ / -`);
  }
  return value;
}

function requireSafeText(where: string, property: string, value: string): void {
  if (typeof value !== 'string' || value.trim().length === 0 || /[\u0000-\u001f\u007f]/.test(value)) {
    invalid(where, property, `${JSON.stringify(value)} must be non-empty text without control characters`);
  }
}

/** @internal */
export function requireCaPem(where: string, property: string, value: string): string {
  if (typeof value !== 'string' || /PRIVATE KEY/.test(value)) {
    invalid(where, property, 'contains a private key: pass only the CA certificate (public)');
  }
  const trimmed = value.trim();
  if (!trimmed.startsWith('-----BEGIN CERTIFICATE-----') || !trimmed.endsWith('-----END CERTIFICATE-----')) {
    invalid(where, property, 'is not a PEM certificate: pass -----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----');
  }
  return `${trimmed}\n`;
}

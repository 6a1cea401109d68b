import { IConstruct } from 'constructs';
import { DexConnector } from './dex-connector';
import { factoryRisksOf, recordFactoryRisk } from '../private/accepted-risks';
import { bindFactoryProblems } from '../private/errors';
import { embeddedTextProblem, httpsUrlProblem, pemProblem, quoted } from '../private/validate';
import { SecretKeyRef } from '../secrets/secret-key-ref';
import { clientIdProblem, DEFAULT_SCOPES, logoutUrlProblem, Problems, scopeProblem } from './private/oauth';

const OIDC_SSO = Symbol.for('cdk8s-secure-argo.OidcSso');

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

/**
 * Single sign-on: direct OIDC or Dex with connectors. A value object: `SecureArgoCD` renders
 * it into `oidc.config` or `dex.config`, and the Argo Workflows server reads the OIDC fields.
 * Direct OIDC and Dex are exclusive (Argo CD ignores `dex.config` when `oidc.config` is set),
 * so one `OidcSso` is one or the other.
 */
export class OidcSso {
  /** True if `x` is an `OidcSso`, also one made by another copy of this library. */
  public static isOidcSso(x: any): x is OidcSso {
    return x !== null && typeof x === 'object' && OIDC_SSO in x;
  }

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
    const p = new Problems();
    if (typeof props.issuer === 'string' && !/\/realms\/[^/]+\/?$/.test(props.issuer)) {
      p.check('issuer', `${quoted(props.issuer)} is not a Keycloak realm issuer: use https://<host>/realms/<realm>`);
    }
    return p.recordOn(new OidcSso(SsoKind.OIDC, props.name ?? 'Keycloak', props, []));
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
    const p = new Problems();
    const given = props.connectors ?? [];
    if (given.length === 0) p.check('connectors', 'is empty: add at least one DexConnector');
    const ids = new Set<string>();
    given.forEach((c, i) => {
      if (!DexConnector.isDexConnector(c)) {
        p.check(`connectors[${i}]`, 'is not a DexConnector: use the DexConnector factories');
      } else if (ids.has(c.id)) {
        p.check(`connectors[${i}].id`, `${quoted(c.id)} is used twice: give each connector its own id`);
      }
      ids.add(c.id);
    });
    const clients = (props.staticClients ?? []).map((c, i) => {
      const where = `staticClients[${i}]`;
      p.check(`${where}.id`, clientIdProblem(c.id));
      p.check(`${where}.name`, embeddedTextProblem(c.name));
      const redirectUris = c.redirectUris ?? [];
      if (redirectUris.length === 0) p.check(`${where}.redirectUris`, 'is empty: list the callback URLs of the application');
      redirectUris.forEach((u, j) => p.check(`${where}.redirectUris[${j}]`, httpsUrlProblem(u, { allowQuery: true })));
      p.check(`${where}.secret`, SecretKeyRef._problem(c.secret));
      return { ...c, redirectUris: [...redirectUris] };
    });
    const connectors = given.filter((c) => DexConnector.isDexConnector(c));
    const sso = p.recordOn(new OidcSso(SsoKind.DEX, 'Dex', undefined, connectors, clients));
    given.forEach((c, i) => {
      if (DexConnector.isDexConnector(c)) for (const [optIn, reason] of factoryRisksOf(c)) recordFactoryRisk(sso, `connectors[${i}].${optIn}`, reason);
    });
    return sso;
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
    Object.defineProperty(this, OIDC_SSO, { value: true });
    this.kind = kind;
    this.name = name;
    this.connectors = connectors;
    this.staticClients = staticClients;
    this.requestedScopes = DEFAULT_SCOPES;
    this.requestedIdTokenClaims = {};
    this.enablePkce = false;
    this.allowedAudiences = [];
    if (!props) return;

    const p = new Problems();
    // Display names in dex.config and oidc.config, which toYaml quotes as needed.
    p.check('name', embeddedTextProblem(name));
    this.issuer = props.issuer;
    p.check('issuer', httpsUrlProblem(props.issuer));
    this.clientId = props.clientId;
    p.check('clientId', clientIdProblem(props.clientId));
    this.clientSecret = props.clientSecret;
    p.check('clientSecret', SecretKeyRef._problem(props.clientSecret));
    if (props.cliClientId !== undefined) {
      this.cliClientId = props.cliClientId;
      p.check('cliClientId', clientIdProblem(props.cliClientId));
    }
    const scopes = props.requestedScopes ?? DEFAULT_SCOPES;
    scopes.forEach((s, i) => p.check(`requestedScopes[${i}]`, scopeProblem(s)));
    if (!scopes.includes('openid')) p.check('requestedScopes', "does not contain 'openid', which OIDC login needs: add it");
    this.requestedScopes = [...scopes];
    const claims = props.requestedIdTokenClaims ?? { groups: { essential: true } };
    for (const claim of Object.keys(claims)) {
      if (!/^[A-Za-z0-9_.:\/-]+$/.test(claim)) {
        p.check('requestedIdTokenClaims', `${quoted(claim)} is not a claim name: use letters, digits, '_', '.', ':', '/' and '-'`);
      }
    }
    this.requestedIdTokenClaims = claims;
    this.enablePkce = props.enablePkce ?? false;
    this.allowedAudiences = [...(props.allowedAudiences ?? [])];
    this.allowedAudiences.forEach((a, i) => p.check(`allowedAudiences[${i}]`, clientIdProblem(a)));
    if (props.rootCa !== undefined) {
      const problem = pemProblem(props.rootCa, { type: 'CERTIFICATE' });
      p.check('rootCa', problem);
      if (!problem) this.rootCa = `${props.rootCa.trim()}\n`;
    }
    if (props.logoutUrl !== undefined) {
      this.logoutUrl = props.logoutUrl;
      p.check('logoutUrl', logoutUrlProblem(props.logoutUrl));
    }
    p.recordOn(this);
  }

  /**
   * Reports the problems of this SSO setting, its connectors and its secret references with
   * the path of the construct that uses it (`property` is that construct's property, e.g. `sso`).
   * @internal
   */
  public _bind(scope: IConstruct, property: string): void {
    bindFactoryProblems(scope, property, this);
    if (SecretKeyRef.isSecretKeyRef(this.clientSecret)) SecretKeyRef._require(scope, `${property}.clientSecret`, this.clientSecret);
    this.connectors.forEach((c, i) => c._bind(scope, `${property}.connectors[${i}]`));
    this.staticClients.forEach((c, i) => {
      if (SecretKeyRef.isSecretKeyRef(c.secret)) SecretKeyRef._require(scope, `${property}.staticClients[${i}].secret`, c.secret);
    });
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

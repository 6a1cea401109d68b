import { IConstruct } from 'constructs';
import { DexGithubTeamNameField } from './dex-github-team-name-field';
import { reasonProblem, recordFactoryRisk } from '../private/accepted-risks';
import { bindFactoryProblems } from '../private/errors';
import { embeddedTextProblem, httpsUrlProblem, oneOfProblem, pemProblem, quoted, safeTextProblem } from '../private/validate';
import type { Acknowledgement } from '../secrets/acknowledgement';
import { SecretKeyRef } from '../secrets/secret-key-ref';
import { githubGroupProblem, GithubGroups, isTeamSlug } from './private/github-groups';
import { clientIdProblem, DEFAULT_SCOPES, Problems, scopeProblem } from './private/oauth';

const DEX_CONNECTOR = Symbol.for('cdk8s-secure-argo.DexConnector');
type SecretRenderer = (secret: SecretKeyRef, property: string) => string;

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
   * Teams whose members may log in, as `teamNameField` identifies them (by default the team's
   * display name, not its slug). Dex then sends only these teams as groups, `<org>:<team>`.
   * @default - every member of the organization (every team of theirs in it becomes a group)
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
  /**
   * Whether teams appear in groups (and in `orgs[].teams`) by display name or slug. Slugs are
   * what GitHub URLs show and never hold spaces or capitals.
   * @default DexGithubTeamNameField.NAME - Dex's default, not written
   */
  readonly teamNameField?: DexGithubTeamNameField;
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
  /**
   * The Entra ID tenant (ID or domain). `common`, `organizations` and `consumers` let accounts
   * of any tenant log in: they are refused unless `allowAnyTenant` gives a reason.
   */
  readonly tenant: string;
  /**
   * Accept `common`, `organizations` or `consumers` as `tenant`, with the reason (then restrict
   * who may log in with `groups`).
   * @default - multi-tenant endpoints are refused
   */
  readonly allowAnyTenant?: Acknowledgement;
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
  /** True if `x` is a `DexConnector`, also one made by another copy of this library. */
  public static isDexConnector(x: any): x is DexConnector {
    return x !== null && typeof x === 'object' && DEX_CONNECTOR in x;
  }

  /**
   * Why the group mapping `group` can never match a user who logs in through these connectors,
   * all of them GitHub, with the fix; undefined when it can (or when a connector is not GitHub).
   * @internal
   */
  public static _githubGroupProblem(group: string, connectors: DexConnector[]): string | undefined {
    if (connectors.length === 0 || !connectors.every((c) => c.github !== undefined)) return undefined;
    return githubGroupProblem(group, connectors.map((c) => c.github!));
  }

  /** GitHub (or GitHub Enterprise), restricted to organizations and teams. */
  public static github(props: DexGithubProps): DexConnector {
    const p = new Problems();
    p.check('clientId', clientIdProblem(props.clientId));
    const teamNameField = props.teamNameField;
    if (teamNameField !== undefined) p.check('teamNameField', oneOfProblem(teamNameField, Object.values(DexGithubTeamNameField)));
    const orgs = (props.orgs ?? []).map((o, i) => {
      p.check(`orgs[${i}].name`, safeTextProblem(o.name));
      (o.teams ?? []).forEach((t, j) => p.check(`orgs[${i}].teams[${j}]`, safeTextProblem(t)
        ?? (teamNameField === DexGithubTeamNameField.SLUG && !isTeamSlug(t)
          ? `${quoted(t)} is not a team slug, and with teamNameField SLUG Dex compares slugs: nobody in it could log in. `
            + "Write the slug from the team's URL (e.g. 'platform-team')"
          : undefined)));
      return o.teams && o.teams.length > 0 ? { name: o.name, teams: [...o.teams] } : { name: o.name };
    });
    if (orgs.length === 0) p.check('orgs', 'is empty: list the organizations allowed to log in (otherwise any GitHub user can)');
    if (props.hostName !== undefined && !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:[0-9]+)?$/.test(props.hostName)) {
      p.check('hostName', `${quoted(props.hostName)} is not a host name: give the GitHub Enterprise host, e.g. 'github.example.com'`);
    }
    const connector = new DexConnector('github', props, 'GitHub', { clientSecret: props.clientSecret }, (ref) => ({
      clientID: props.clientId,
      clientSecret: ref(props.clientSecret, 'clientSecret'),
      ...(props.hostName ? { hostName: props.hostName } : {}),
      orgs,
      ...(teamNameField ? { teamNameField } : {}),
    }));
    connector.github = {
      orgs: orgs.map((o) => ({ name: o.name, teams: o.teams ?? [] })),
      teamNameField: teamNameField ?? DexGithubTeamNameField.NAME,
    };
    return p.recordOn(connector);
  }

  /** LDAP over TLS (LDAPS or StartTLS), with certificate verification always on. */
  public static ldap(props: DexLdapProps): DexConnector {
    const p = new Problems();
    const untyped = props as any;
    for (const key of ['insecureNoSSL', 'insecureSkipVerify', 'insecureNoSsl']) {
      if (untyped[key]) p.check(key, 'is refused: LDAP credentials and directory data must travel over verified TLS');
    }
    const match = /^([A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?):([0-9]{1,5})$/.exec(props.host ?? '');
    const startTls = props.startTls ?? false;
    if (!match) {
      p.check('host', `${quoted(props.host)} is not 'host:port' (no scheme): e.g. ldap.example.com:636`);
    } else if (match[3] === '389' && !startTls) {
      p.check('host', 'port 389 is plain LDAP: use LDAPS on port 636 or set startTls: true');
    }
    p.check('bindDn', safeTextProblem(props.bindDn));
    const rootCaProblem = props.rootCa === undefined ? undefined : pemProblem(props.rootCa, { type: 'CERTIFICATE' });
    p.check('rootCa', rootCaProblem);
    const rootCa = props.rootCa !== undefined && !rootCaProblem ? `${props.rootCa.trim()}\n` : undefined;
    const us = props.userSearch;
    if (!us) {
      p.check('userSearch', 'is required: give at least userSearch.baseDn, where the users live');
    } else {
      p.check('userSearch.baseDn', safeTextProblem(us.baseDn));
    }
    const gs = props.groupSearch;
    if (gs) p.check('groupSearch.baseDn', safeTextProblem(gs.baseDn));
    return p.recordOn(new DexConnector('ldap', props, 'LDAP', { bindPassword: props.bindPassword }, (ref) => ({
      host: props.host,
      insecureNoSSL: false,
      insecureSkipVerify: false,
      startTLS: startTls,
      // Dex reads rootCAData as bytes, i.e. base64 in YAML.
      ...(rootCa ? { rootCAData: Buffer.from(rootCa).toString('base64') } : {}),
      bindDN: props.bindDn,
      bindPW: ref(props.bindPassword, 'bindPassword'),
      userSearch: {
        baseDN: us?.baseDn,
        ...(us?.filter ? { filter: us.filter } : {}),
        username: us?.username ?? 'uid',
        idAttr: us?.idAttr ?? 'uid',
        emailAttr: us?.emailAttr ?? 'mail',
        nameAttr: us?.nameAttr ?? 'cn',
      },
      ...(gs ? {
        groupSearch: {
          baseDN: gs.baseDn,
          ...(gs.filter ? { filter: gs.filter } : {}),
          userMatchers: (gs.userMatchers ?? [{ userAttr: 'DN', groupAttr: 'member' }]).map((m) => ({ userAttr: m.userAttr, groupAttr: m.groupAttr })),
          nameAttr: gs.nameAttr ?? 'cn',
        },
      } : {}),
    })));
  }

  /** SAML 2.0, with response signatures always verified against `caPem`. */
  public static saml(props: DexSamlProps): DexConnector {
    const p = new Problems();
    if ((props as any).insecureSkipSignatureValidation) {
      p.check('insecureSkipSignatureValidation', 'is refused: unsigned SAML responses can be forged');
    }
    p.check('ssoUrl', httpsUrlProblem(props.ssoUrl, { allowQuery: true }));
    const caProblem = pemProblem(props.caPem, { type: 'CERTIFICATE' });
    p.check('caPem', caProblem);
    const ca = caProblem ? '' : `${props.caPem.trim()}\n`;
    return p.recordOn(new DexConnector('saml', props, 'SAML', {}, () => ({
      ssoURL: props.ssoUrl,
      caData: Buffer.from(ca).toString('base64'),
      usernameAttr: props.usernameAttr ?? 'name',
      emailAttr: props.emailAttr ?? 'email',
      ...(props.groupsAttr ? { groupsAttr: props.groupsAttr } : {}),
      ...(props.entityIssuer ? { entityIssuer: props.entityIssuer } : {}),
      ...(props.ssoIssuer ? { ssoIssuer: props.ssoIssuer } : {}),
    })));
  }

  /** An upstream OIDC provider behind Dex. */
  public static oidc(props: DexOidcProps): DexConnector {
    const p = new Problems();
    p.check('issuer', httpsUrlProblem(props.issuer));
    p.check('clientId', clientIdProblem(props.clientId));
    // Dex puts `openid` first itself: listing it again would request it twice.
    const scopes = (props.scopes ?? DEFAULT_SCOPES).filter((s) => s !== 'openid');
    scopes.forEach((s, i) => p.check(`scopes[${i}]`, scopeProblem(s)));
    return p.recordOn(new DexConnector('oidc', props, 'OIDC', { clientSecret: props.clientSecret }, (ref) => ({
      issuer: props.issuer,
      clientID: props.clientId,
      clientSecret: ref(props.clientSecret, 'clientSecret'),
      scopes,
      insecureEnableGroups: props.passGroups ?? true,
    })));
  }

  /** Microsoft Entra ID, restricted to one tenant. */
  public static microsoft(props: DexMicrosoftProps): DexConnector {
    const p = new Problems();
    p.check('clientId', clientIdProblem(props.clientId));
    const anyTenant = ['common', 'organizations', 'consumers'].includes(props.tenant);
    if (!props.tenant || (anyTenant && props.allowAnyTenant === undefined)) {
      p.check('tenant', `${quoted(props.tenant)} would let accounts of any tenant log in: use your tenant ID or domain, or set allowAnyTenant with a reason`);
    } else if (!anyTenant) {
      p.check('tenant', safeTextProblem(props.tenant));
    }
    const reason = props.allowAnyTenant === undefined ? undefined : props.allowAnyTenant?.reason;
    const reasonOk = props.allowAnyTenant !== undefined && p.check('allowAnyTenant.reason', reasonProblem(reason, 'why accounts of any tenant may log in'));
    const connector = p.recordOn(new DexConnector('microsoft', props, 'Microsoft', { clientSecret: props.clientSecret }, (ref) => ({
      clientID: props.clientId,
      clientSecret: ref(props.clientSecret, 'clientSecret'),
      tenant: props.tenant,
      ...(props.groups && props.groups.length > 0 ? { groups: [...props.groups] } : {}),
    })));
    // SecureArgoCD records it on argocd-cm, which holds dex.config.
    if (reasonOk) recordFactoryRisk(connector, 'allowAnyTenant', reason!);
    return connector;
  }

  /** Google, restricted to Workspace domains. */
  public static google(props: DexGoogleProps): DexConnector {
    const p = new Problems();
    p.check('clientId', clientIdProblem(props.clientId));
    const hostedDomains = props.hostedDomains ?? [];
    if (hostedDomains.length === 0) {
      p.check('hostedDomains', 'is empty: list the Workspace domains allowed to log in (otherwise any Google account can)');
    }
    hostedDomains.forEach((d, i) => p.check(`hostedDomains[${i}]`, safeTextProblem(d)));
    return p.recordOn(new DexConnector('google', props, 'Google', { clientSecret: props.clientSecret }, (ref) => ({
      clientID: props.clientId,
      clientSecret: ref(props.clientSecret, 'clientSecret'),
      hostedDomains: [...hostedDomains],
    })));
  }

  /** The connector type (`github`, `ldap`, ...). */
  public readonly type: string;
  /** The connector id. */
  public readonly id: string;
  /** The name on the login button. */
  public readonly name: string;
  /** With GitHub, the organizations and teams allowed to log in and how teams are named. */
  private github?: GithubGroups;

  private constructor(
    type: string,
    options: DexConnectorOptions,
    defaultName: string,
    /** The connector's secret references, by property. */
    private readonly secrets: Record<string, SecretKeyRef>,
    private readonly config: (ref: SecretRenderer) => Record<string, unknown>,
  ) {
    Object.defineProperty(this, DEX_CONNECTOR, { value: true });
    this.type = type;
    this.id = options.id ?? type;
    this.name = options.name ?? defaultName;
    const p = new Problems();
    if (typeof this.id !== 'string' || !/^[a-z0-9][a-z0-9_-]*$/.test(this.id)) {
      p.check('id', `${quoted(this.id)} is not a valid connector id: use lowercase letters, digits, '-' and '_'`);
    }
    // A display name in dex.config, which toYaml quotes as needed.
    p.check('name', embeddedTextProblem(this.name));
    for (const [property, ref] of Object.entries(secrets)) p.check(property, SecretKeyRef._problem(ref));
    p.recordOn(this);
  }

  /**
   * Reports this connector's problems, and those of its secret references, with the path of
   * the construct that uses it.
   * @internal
   */
  public _bind(scope: IConstruct, property: string): void {
    bindFactoryProblems(scope, property, this);
    for (const [p, ref] of Object.entries(this.secrets)) {
      if (SecretKeyRef.isSecretKeyRef(ref)) SecretKeyRef._require(scope, `${property}.${p}`, ref);
    }
  }

  /**
   * The connector entry of `dex.config`. Argo CD fills in `redirectURI`.
   * @internal
   */
  public _render(secretRef: SecretRenderer): Record<string, unknown> {
    return { type: this.type, id: this.id, name: this.name, config: this.config(secretRef) };
  }
}

import { Construct } from 'constructs';
import { LABEL_PART_OF } from '../core/labels';
import { deferredChecks, invalid } from '../private/errors';
import { registerLibraryConstruct } from '../private/stamp';
import { httpsUrlProblem, quoted, requireDns1123Label, requireDns1123Subdomain, requireHttpsUrl, safeTextProblem } from '../private/validate';
import { SealedOrExternalSecret, SecretSource } from '../secrets';

/** The label Argo CD finds declarative repositories, credentials and clusters by. */
const SECRET_TYPE_LABEL = 'argocd.argoproj.io/secret-type';

/** What kind of repository Argo CD reads. */
export enum RepositoryType {
  /** A Git repository. */
  GIT = 'git',
  /** A Helm chart repository (HTTPS). */
  HELM = 'helm',
  /** An OCI registry (`oci://` URLs). */
  OCI = 'oci',
}

/**
 * How Argo CD authenticates to a repository, and so which keys the secret source must
 * provide (the names Argo CD reads).
 */
export enum RepositoryAuth {
  /** HTTPS with `username` and `password` (or an access token as the password). */
  USERNAME_PASSWORD = 'username-password',
  /** HTTPS with a `bearerToken` (Bitbucket Data Center access tokens). */
  BEARER_TOKEN = 'bearer-token',
  /** SSH with `sshPrivateKey`; host keys are checked against argocd-ssh-known-hosts-cm. */
  SSH_PRIVATE_KEY = 'ssh-private-key',
  /**
   * A GitHub App: `githubAppPrivateKey`, with the app ID and optionally the installation ID
   * (without it Argo CD looks the installation up by the repository URL's owner).
   */
  GITHUB_APP = 'github-app',
}

/** Keys Argo CD reads for each authentication method. */
const AUTH_KEYS: { [auth: string]: string[] } = {
  [RepositoryAuth.USERNAME_PASSWORD]: ['password', 'username'],
  [RepositoryAuth.BEARER_TOKEN]: ['bearerToken'],
  [RepositoryAuth.SSH_PRIVATE_KEY]: ['sshPrivateKey'],
  [RepositoryAuth.GITHUB_APP]: ['githubAppPrivateKey'],
};
/** HTTPS client certificate keys, accepted with any HTTPS method (both or neither). */
const TLS_CLIENT_KEYS = ['tlsClientCertData', 'tlsClientCertKey'];
const GITHUB_APP_ID_KEYS = ['githubAppID', 'githubAppInstallationID'];
const GITHUB_APP_INSTALLATION_KEY = 'githubAppInstallationID';
/** Settings that turn off TLS verification or SSH host key checking. */
const INSECURE_KEYS = ['insecure', 'insecureIgnoreHostKey'];

/** Options shared by {@link ArgoCdRepository} and {@link ArgoCdRepositoryCredentials}. */
export interface ArgoCdRepositoryCredentialsOptions {
  /**
   * The repository URL (for credentials: the URL prefix they apply to): `https://...`,
   * `ssh://git@host/org/repo.git` or `git@host:org/repo.git`, or `oci://...` for OCI. No
   * credentials in the URL, no `http://`.
   */
  readonly url: string;
  /** How Argo CD authenticates. */
  readonly auth: RepositoryAuth;
  /**
   * Where the credential values come from. Its keys must be the ones Argo CD reads for `auth`:
   * `username` and `password`; `bearerToken`; `sshPrivateKey`; or `githubAppPrivateKey`
   * (optionally with `githubAppID` and `githubAppInstallationID`), plus `tlsClientCertData`
   * and `tlsClientCertKey` for an HTTPS client certificate.
   */
  readonly source: SecretSource;
  /**
   * The repository type.
   * @default RepositoryType.GIT
   */
  readonly type?: RepositoryType;
  /**
   * The GitHub App ID, for `RepositoryAuth.GITHUB_APP` (not a secret).
   * @default - the source provides `githubAppID`
   */
  readonly githubAppId?: string;
  /**
   * The GitHub App installation ID, for `RepositoryAuth.GITHUB_APP` (not a secret). Without it
   * (and without `githubAppInstallationID` from the source) Argo CD finds the installation itself:
   * it lists the app's installations (on `githubAppEnterpriseBaseUrl` for GitHub Enterprise) and
   * takes the one of the account named by the first path segment of the repository's URL
   * (`https://host/<owner>/<repo>`; for credentials, of each repository they apply to). The app
   * must be installed for that account; an explicit ID pins one installation.
   * @default - the source's `githubAppInstallationID` if it provides one, otherwise found by Argo CD
   */
  readonly githubAppInstallationId?: string;
  /**
   * The GitHub Enterprise Server API URL, for `RepositoryAuth.GITHUB_APP` on GitHub Enterprise,
   * e.g. `https://github.example.com/api/v3`.
   * @default - GitHub.com (`https://api.github.com`)
   */
  readonly githubAppEnterpriseBaseUrl?: string;
  /**
   * The Secret's name.
   * @default - derived from the construct id
   */
  readonly secretName?: string;
}

/** Everything {@link ArgoCdRepository} needs except the namespace. */
export interface ArgoCdRepositoryOptions extends ArgoCdRepositoryCredentialsOptions {
  /**
   * The name Argo CD shows (and, for Helm, the repository alias).
   * @default - none
   */
  readonly displayName?: string;
  /**
   * The AppProject the repository is scoped to.
   * @default - available to every project the AppProject `sourceRepos` allow
   */
  readonly project?: string;
}

/** Props for {@link ArgoCdRepository}. */
export interface ArgoCdRepositoryProps extends ArgoCdRepositoryOptions {
  /** The namespace Argo CD runs in. */
  readonly namespace: string;
}

/** Props for {@link ArgoCdRepositoryCredentials}. */
export interface ArgoCdRepositoryCredentialsProps extends ArgoCdRepositoryCredentialsOptions {
  /** The namespace Argo CD runs in. */
  readonly namespace: string;
}

/**
 * A declarative Argo CD repository: a Secret labelled `argocd.argoproj.io/secret-type:
 * repository`, produced as a SealedSecret or ExternalSecret so that no credential appears in
 * the output. URL, type, name and project are stored as plain (non-secret) values.
 */
export class ArgoCdRepository extends Construct {
  /** The Secret that holds the repository. */
  public readonly secret: SealedOrExternalSecret;

  constructor(scope: Construct, id: string, props: ArgoCdRepositoryProps) {
    super(scope, id);
    registerLibraryConstruct(this, 'argocd');
    const extra: { [key: string]: string } = {};
    if (props.displayName !== undefined) {
      deferredChecks(this).check('displayName', safeTextProblem(props.displayName, { maxLength: 253 }));
      extra.name = props.displayName;
    }
    if (props.project !== undefined) extra.project = requireDns1123Subdomain(this, 'project', props.project);
    this.secret = repositorySecret(this, id, 'repository', props, extra);
  }
}

/**
 * Declarative Argo CD repository credentials: a Secret labelled
 * `argocd.argoproj.io/secret-type: repo-creds`, used for every repository whose URL starts
 * with `url`, produced as a SealedSecret or ExternalSecret.
 */
export class ArgoCdRepositoryCredentials extends Construct {
  /** The Secret that holds the credentials. */
  public readonly secret: SealedOrExternalSecret;

  constructor(scope: Construct, id: string, props: ArgoCdRepositoryCredentialsProps) {
    super(scope, id);
    registerLibraryConstruct(this, 'argocd');
    this.secret = repositorySecret(this, id, 'repo-creds', props, {});
  }
}

/** Everything {@link ArgoCdCluster} needs except the namespace. */
export interface ArgoCdClusterOptions {
  /** The cluster's API server URL, `https://` only. */
  readonly server: string;
  /** The cluster name Applications refer to (`destination.name`). */
  readonly clusterName: string;
  /**
   * Where the cluster's `config` comes from: a JSON document with the credentials
   * (`bearerToken`, `tlsClientConfig` {`caData`, `certData`, `keyData`}, `awsAuthConfig` or
   * `execProviderConfig`). It must be the source's only key; do not set
   * `tlsClientConfig.insecure` in it.
   */
  readonly source: SecretSource;
  /**
   * Restricts Argo CD to these namespaces of the cluster.
   * @default - all namespaces
   */
  readonly namespaces?: string[];
  /**
   * With `namespaces`, whether Argo CD may also manage cluster-scoped resources.
   * @default false
   */
  readonly clusterResources?: boolean;
  /**
   * The AppProject the cluster belongs to (the Secret's `project`). Other projects whose
   * destinations admit the cluster may still deploy to it, unless they set
   * `permitOnlyProjectScopedClusters`.
   * @default - available to every project whose destinations allow it
   */
  readonly project?: string;
  /**
   * The Secret's name.
   * @default - derived from the construct id
   */
  readonly secretName?: string;
}

/** Props for {@link ArgoCdCluster}. */
export interface ArgoCdClusterProps extends ArgoCdClusterOptions {
  /** The namespace Argo CD runs in. */
  readonly namespace: string;
}

/**
 * A declarative Argo CD cluster: a Secret labelled `argocd.argoproj.io/secret-type: cluster`.
 * The cluster's `config` (its credentials) comes only from the secret source; server, name,
 * namespaces and project are stored as plain values.
 */
export class ArgoCdCluster extends Construct {
  /** The Secret that holds the cluster. */
  public readonly secret: SealedOrExternalSecret;

  constructor(scope: Construct, id: string, props: ArgoCdClusterProps) {
    super(scope, id);
    registerLibraryConstruct(this, 'argocd');
    const server = requireHttpsUrl(this, 'server', props.server);
    deferredChecks(this).check('clusterName', safeTextProblem(props.clusterName, { maxLength: 253 }));
    const publicData: { [key: string]: string } = {
      name: props.clusterName,
      server,
    };
    if (props.namespaces !== undefined) {
      if (props.namespaces.length === 0) {
        invalid(this, 'namespaces', 'is empty: list at least one namespace, or leave it unset for all namespaces');
      }
      props.namespaces.forEach((ns, i) => requireDns1123Label(this, `namespaces[${i}]`, ns));
      publicData.namespaces = props.namespaces.join(',');
      publicData.clusterResources = String(props.clusterResources ?? false);
    } else if (props.clusterResources !== undefined) {
      invalid(this, 'clusterResources', 'applies only together with namespaces (without namespaces Argo CD manages cluster-scoped resources anyway): remove it, or list namespaces');
    }
    if (props.project !== undefined) publicData.project = requireDns1123Subdomain(this, 'project', props.project);

    this.secret = new SealedOrExternalSecret(this, 'Secret', {
      namespace: props.namespace,
      name: props.secretName ?? SealedOrExternalSecret._nameFromId(id),
      source: props.source,
      labels: { [SECRET_TYPE_LABEL]: 'cluster', [LABEL_PART_OF]: 'argocd' },
      publicData,
    });
    const keys = secretKeys(this.secret, publicData);
    if (!keys.includes('config')) {
      invalid(this, 'source', 'provides no \'config\' key: the cluster\'s credentials JSON must come from the secret source (declare a dataFrom key in expectedKeys)');
    }
    const unknown = keys.filter((k) => k !== 'config');
    if (unknown.length > 0) {
      invalid(this, 'source', `provides ${unknown.map((k) => `'${k}'`).join(', ')}: a cluster's only secret key is 'config' (server, name, namespaces and project are props)`);
    }
  }
}

function repositorySecret(construct: Construct, id: string, secretType: string, props: ArgoCdRepositoryCredentialsOptions & { namespace: string },
  extra: { [key: string]: string }): SealedOrExternalSecret {
  const type = props.type ?? RepositoryType.GIT;
  if (!Object.values(RepositoryType).includes(type)) {
    invalid(construct, 'type', `${quoted(type)} is not a repository type: use RepositoryType.GIT, HELM or OCI`);
  }
  const auth = props.auth;
  if (!Object.values(RepositoryAuth).includes(auth)) {
    invalid(construct, 'auth', `${quoted(auth)} is not an authentication method: use a RepositoryAuth value`);
  }
  const url = requireRepositoryUrl(construct, props.url, type, auth);

  const publicData: { [key: string]: string } = { type, url, ...extra };
  const githubApp = {
    githubAppId: props.githubAppId,
    githubAppInstallationId: props.githubAppInstallationId,
    githubAppEnterpriseBaseUrl: props.githubAppEnterpriseBaseUrl,
  };
  if (auth === RepositoryAuth.GITHUB_APP) {
    const checks = deferredChecks(construct);
    if (props.githubAppId !== undefined) publicData.githubAppID = props.githubAppId;
    if (props.githubAppInstallationId !== undefined) publicData.githubAppInstallationID = props.githubAppInstallationId;
    if (props.githubAppEnterpriseBaseUrl !== undefined) publicData.githubAppEnterpriseBaseUrl = props.githubAppEnterpriseBaseUrl;
    checks.check('githubAppId', props.githubAppId === undefined ? undefined : githubIdProblem(props.githubAppId));
    checks.check('githubAppInstallationId', props.githubAppInstallationId === undefined ? undefined : githubIdProblem(props.githubAppInstallationId));
    checks.check('githubAppEnterpriseBaseUrl', props.githubAppEnterpriseBaseUrl === undefined ? undefined : httpsUrlProblem(props.githubAppEnterpriseBaseUrl));
  } else {
    const set = Object.entries(githubApp).find(([, v]) => v !== undefined);
    if (set) invalid(construct, set[0], `applies only with RepositoryAuth.GITHUB_APP: remove ${Object.keys(githubApp).join(', ')}, or use that auth`);
  }

  // Checked here so the problem names this construct's property, not the inner Secret's.
  if (props.secretName !== undefined) requireDns1123Subdomain(construct, 'secretName', props.secretName);
  const secret = new SealedOrExternalSecret(construct, 'Secret', {
    namespace: props.namespace,
    name: props.secretName ?? SealedOrExternalSecret._nameFromId(id),
    source: props.source,
    labels: { [SECRET_TYPE_LABEL]: secretType, [LABEL_PART_OF]: 'argocd' },
    publicData,
  });

  const keys = secretKeys(secret, publicData);
  const insecure = keys.filter((k) => INSECURE_KEYS.includes(k));
  if (insecure.length > 0) {
    invalid(construct, 'source', `provides '${insecure[0]}': turning off TLS verification or host key checking is refused; add the CA to argocd-tls-certs-cm or the host key to argocd-ssh-known-hosts-cm`);
  }
  const required = AUTH_KEYS[auth];
  const missing = required.filter((k) => !keys.includes(k));
  if (missing.length > 0) {
    invalid(construct, 'source', `lacks ${missing.map((k) => `'${k}'`).join(', ')}, which Argo CD reads for ${auth} authentication (a dataFrom key must be declared in expectedKeys)`);
  }
  if (auth === RepositoryAuth.GITHUB_APP) {
    // Argo CD uses GitHub App credentials only when the app ID is set (Repository.GetGitCreds).
    if (!keys.includes('githubAppID') && !('githubAppID' in publicData)) {
      invalid(construct, 'githubAppId', 'is required for a GitHub App: set the prop, or provide \'githubAppID\' from the source');
    }
    const installation = keys.includes(GITHUB_APP_INSTALLATION_KEY) || GITHUB_APP_INSTALLATION_KEY in publicData;
    if (!installation && secretType === 'repository') {
      deferredChecks(construct).check('url', githubOwnerProblem(url));
    }
  }
  const allowed = [...required, ...(auth === RepositoryAuth.SSH_PRIVATE_KEY ? [] : TLS_CLIENT_KEYS),
    ...(auth === RepositoryAuth.GITHUB_APP ? GITHUB_APP_ID_KEYS : [])];
  const unknown = keys.filter((k) => !allowed.includes(k));
  if (unknown.length > 0) {
    invalid(construct, 'source', `provides ${unknown.map((k) => `'${k}'`).join(', ')}, which Argo CD does not read for ${auth} authentication: the keys are ${allowed.join(', ')} (url, type, name and project are props)`);
  }
  const tls = TLS_CLIENT_KEYS.filter((k) => keys.includes(k));
  if (tls.length === 1) {
    invalid(construct, 'source', `provides '${tls[0]}' alone: a client certificate needs both tlsClientCertData and tlsClientCertKey`);
  }
  return secret;
}

/** The keys the secret source provides (the Secret's keys without the public values). */
function secretKeys(secret: SealedOrExternalSecret, publicData: { [key: string]: string }): string[] {
  return secret.keys.filter((k) => !(k in publicData));
}

const SCP_LIKE = /^([A-Za-z0-9._-]+)@([A-Za-z0-9.-]+):([A-Za-z0-9._~-][A-Za-z0-9._~/-]*)?$/;

function requireRepositoryUrl(construct: Construct, url: string, type: RepositoryType, auth: RepositoryAuth): string {
  if (!url || /\s/.test(url)) {
    invalid(construct, 'url', `${quoted(url ?? '')} is empty or contains whitespace: give the repository URL`);
  }
  const ssh = auth === RepositoryAuth.SSH_PRIVATE_KEY;
  if (url.startsWith('http://')) {
    invalid(construct, 'url', `${quoted(url)} uses http: credentials and manifests would cross the network in clear text; use https://`);
  }
  if (SCP_LIKE.test(url)) {
    if (!ssh) invalid(construct, 'url', `${quoted(url)} is an SSH URL: use RepositoryAuth.SSH_PRIVATE_KEY, or an https:// URL`);
    if (type !== RepositoryType.GIT) invalid(construct, 'url', `${quoted(url)} is an SSH URL, but only Git repositories are reached over SSH: use an https:// (or oci://) URL`);
    return url;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return invalid(construct, 'url', `${quoted(url)} is not a URL: use https://host/path, ssh://git@host/path, git@host:path or oci://registry/path`);
  }
  const scheme = { [RepositoryType.GIT]: ssh ? 'ssh:' : 'https:', [RepositoryType.HELM]: 'https:', [RepositoryType.OCI]: 'oci:' }[type];
  if (parsed.protocol !== scheme) {
    invalid(construct, 'url', `${quoted(url)} must use ${scheme.slice(0, -1)}:// for a ${type} repository with ${auth} authentication`);
  }
  if (parsed.password || (parsed.username && scheme !== 'ssh:')) {
    invalid(construct, 'url', `${quoted(url)} embeds credentials: remove them from the URL; they come from the secret source`);
  }
  if (!parsed.hostname || parsed.search || parsed.hash) {
    invalid(construct, 'url', `${quoted(url)} has no host, or has a query or fragment: give the plain repository URL`);
  }
  // Git and Helm read https URLs with Go's net/url: whatever it would rewrite is refused.
  if (scheme === 'https:') deferredChecks(construct).check('url', httpsUrlProblem(url));
  return url;
}

/**
 * Why Argo CD cannot find a GitHub App's installation from a repository URL, or undefined. Without
 * an installation ID it takes the owner from the URL's path (`ExtractOrgFromRepoURL`: the decoded
 * path without surrounding `/` and a `.git` suffix must be `<owner>/<repo>...`) and fails to fetch
 * otherwise.
 */
function githubOwnerProblem(url: string): string | undefined {
  let path: string;
  try {
    path = decodeURIComponent(new URL(url).pathname);
  } catch {
    return undefined; // the URL check reports it
  }
  path = path.replace(/^\/+|\/+$/g, '').replace(/\.git$/, '');
  return path.indexOf('/') > 0 ? undefined
    : `${quoted(url)} names no owner, by which Argo CD finds the GitHub App's installation when githubAppInstallationId is not set `
      + '(https://host/<owner>/<repo>): give the repository\'s full URL, or set githubAppInstallationId';
}

const MAX_INT64 = BigInt('9223372036854775807');

/**
 * What is wrong with a GitHub App or installation ID, or undefined. Argo CD parses it with
 * strconv.ParseInt(10, 64) and takes 0 for "not set": a positive int64, written as GitHub shows it.
 */
function githubIdProblem(value: string): string | undefined {
  return typeof value === 'string' && /^[1-9][0-9]*$/.test(value) && BigInt(value) <= MAX_INT64 ? undefined
    : `${quoted(value)} is not a GitHub ID: give the number GitHub shows for the app or installation (digits, no sign or leading zeros, at most ${MAX_INT64})`;
}

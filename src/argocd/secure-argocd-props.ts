import {
  ArgoCdHealthCheck, ArgoCdLocalAccount, ArgoCdResourceFilter, ArgoCdSettings, RepoServerTlsOptions, ResourceTrackingMethod, RespectRbac, TlsVersion,
} from './argocd-settings';
import { ArgoCdExposure } from './exposure';
import { GpgPublicKey } from './gpg-keys';
import { ArgoCdInstallOptions } from './install/argocd-install-options';
import { ArgoCdNetworkPoliciesOptions } from './network-policies';
import { ArgoCdAuditNotificationsOptions } from './notifications';
import { ArgoCdRbacOptions } from './rbac';
import { ArgoCdSelfManagement } from './self-management';
import { ArgoCdVaultPluginOptions } from './vault-plugin';
import type { Acknowledgement } from '../secrets/acknowledgement';
import { OidcSso } from '../sso';

/** Props for {@link SecureArgoCD}. */
export interface SecureArgoCDProps {
  /**
   * The namespace Argo CD runs in, written as a Namespace (first sync wave) that enforces the
   * restricted Pod Security Standard. The install's bindings name the service accounts in it.
   * @default 'argocd'
   */
  readonly namespace?: string;
  /**
   * Argo CD's external URL (`https://` only, no query or fragment). Required with SSO and for
   * PKCE redirects.
   * @default - `https://<host>` of `exposure` when set, otherwise unset (then SSO is refused)
   */
  readonly url?: string;
  /**
   * More external URLs (`https://` only).
   * @default - none
   */
  readonly additionalUrls?: string[];
  /**
   * Single sign-on: `OidcSso.oidc/keycloak/okta(...)` or `OidcSso.dex(...)` (one, never both).
   * @default - no SSO
   */
  readonly sso?: OidcSso;
  /**
   * Keep the local `admin` account (upstream enables it). Off by default: with SSO, an
   * always-on password account only widens the attack surface.
   * @default false
   */
  readonly enableLocalAdmin?: boolean;
  /**
   * Accept that nobody can log in interactively (no SSO, no local admin, no account with
   * login), for the reason given, e.g. an API-token-only installation. The reason is recorded on
   * `argocd-cm`.
   * @default - an install nobody can log in to is refused
   */
  readonly allowNoInteractiveLogin?: Acknowledgement;
  /**
   * Local accounts, each with only the capabilities it needs.
   * @default - none
   */
  readonly accounts?: ArgoCdLocalAccount[];
  /**
   * Enable the web terminal (`exec.enabled`), for the reason given: a shell in any pod RBAC
   * grants `exec, create` on. Such grants are left out of `argocd-rbac-cm` while this is unset.
   * The reason is recorded on `argocd-cm`.
   * @default - the web terminal is off
   */
  readonly enableExec?: Acknowledgement;
  /**
   * Enable status badges (`statusbadge.enabled`), which disclose sync and health status to
   * anyone who knows an application's name.
   * @default false
   */
  readonly enableStatusBadge?: boolean;
  /**
   * RBAC: roles, group mappings, default role, match mode and scopes.
   * @default - no roles; everything not granted is denied
   */
  readonly rbac?: ArgoCdRbacOptions;
  /**
   * Ordinary Argo CD settings without a prop of their own: reconciliation timeouts, session
   * duration, and raw `argocd-cm` / `argocd-cmd-params-cm` keys (not the ones the library
   * manages; weakening ones only with a reason).
   * @default - none
   */
  readonly settings?: ArgoCdSettings;
  /**
   * Lua health checks per resource kind.
   * @default - none
   */
  readonly healthChecks?: ArgoCdHealthCheck[];
  /**
   * Resource kinds Argo CD ignores, in addition to those upstream install.yaml excludes
   * (Endpoints, EndpointSlices, Leases, access reviews, certificate requests, Cilium and
   * Kyverno internals), which are always kept.
   * @default - only upstream install.yaml's exclusions
   */
  readonly resourceExclusions?: ArgoCdResourceFilter[];
  /**
   * How resources are tracked.
   * @default ResourceTrackingMethod.ANNOTATION
   */
  readonly resourceTrackingMethod?: ResourceTrackingMethod;
  /**
   * Watch only resources the controller may list (`resource.respectRBAC`).
   * @default - off (upstream default)
   */
  readonly respectRbac?: RespectRbac;
  /**
   * Sync with each AppProject's `destinationServiceAccounts` instead of the controller's
   * service account (`application.sync.impersonation.enabled`), enforced: a destination
   * without a service account fails to sync.
   * @default false
   */
  readonly syncImpersonation?: boolean;
  /**
   * Minimum TLS version of argocd-server.
   * @default TlsVersion.TLS_1_2
   */
  readonly serverTlsMinVersion?: TlsVersion;
  /**
   * Minimum TLS version of the repo-server.
   * @default TlsVersion.TLS_1_2
   */
  readonly repoServerTlsMinVersion?: TlsVersion;
  /**
   * Repo-server certificate verification and mTLS.
   * @default - TLS without verification (upstream default)
   */
  readonly repoServerTls?: RepoServerTlsOptions;
  /**
   * argocd-server verifies Dex's certificate (`server.dex.server.strict.tls`): it loads
   * `tls.crt` and `ca.crt` of Secret `argocd-dex-server-tls` at startup (and exits without
   * them), so this needs Dex and the install's internal TLS, which issues that certificate.
   * Strict mode pins the leaf argocd-server loaded, and Dex serves the one it loaded, so a
   * `certificate-watch` container in both pods (sharing the pod's process namespace) restarts
   * them when cert-manager renews it; false drops the watchers and the verification.
   * @default - true with Dex and internal TLS, otherwise not written
   */
  readonly dexServerStrictTls?: boolean;
  /**
   * The Argo CD install itself (release, sizing, HA, Redis password, internal TLS, access).
   * @default - the v3.5.1 install, small, namespace-scoped, internal TLS
   */
  readonly install?: ArgoCdInstallOptions;
  /**
   * Argo CD manages its own installation from the GitOps repository: an AppProject and an
   * Application `argocd-platform` over the committed files of this install's charts, and
   * controller RBAC that names each object of the install. The first install (and any change
   * that adds objects or widens RBAC) is still applied from CI with `kubectl apply
   * --server-side`.
   * @default - not managed by Argo CD: upgrade from CI
   */
  readonly selfManagement?: ArgoCdSelfManagement;
  /**
   * Audit notifications: `argocd-notifications-cm` sending a record of each sync and health change to a webhook.
   * @default - argocd-notifications-cm is not written
   */
  readonly auditNotifications?: ArgoCdAuditNotificationsOptions;
  /**
   * NetworkPolicies for every Argo CD component: default deny, then only the paths Argo CD
   * needs. Required unless `disableNetworkPolicies` is set, because the Kubernetes API address
   * cannot be guessed.
   * @default - required
   */
  readonly networkPolicies?: ArgoCdNetworkPoliciesOptions;
  /**
   * Write no NetworkPolicies, for the reason given (e.g. the cluster's network plugin does not
   * enforce them or they are managed elsewhere): every Argo CD component is then reachable from,
   * and reaches, anything the cluster's network allows. The reason is recorded on the install's
   * Namespace.
   * @default - NetworkPolicies are written (`networkPolicies` is required)
   */
  readonly disableNetworkPolicies?: Acknowledgement;
  /**
   * How users reach argocd-server: `ArgoCdExposure.ingressNginx()`, `.gatewayRoute()` or
   * `.gatewayPassthrough()`. When set, `url` defaults to `https://<host>`.
   * @default - not exposed
   */
  readonly exposure?: ArgoCdExposure;
  /**
   * argocd-vault-plugin as a config management plugin. Prefer `SealedOrExternalSecret`: the
   * plugin's rendered secrets are cached in Redis and the repo-server.
   * @default - no plugin
   */
  readonly vaultPlugin?: ArgoCdVaultPluginOptions;
  /**
   * GnuPG public keys for Argo CD's keyring (`argocd-gpg-keys-cm`), whose signatures projects'
   * `gitSignatureVerification` can trust. A project that lists a key not in the keyring fails
   * at synth.
   * @default - an empty keyring
   */
  readonly gpgKeys?: GpgPublicKey[];
}

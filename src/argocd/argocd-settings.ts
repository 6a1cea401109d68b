import { Duration } from 'cdk8s';
import { SecretSource } from '../secrets';
import type { Acknowledgement } from '../secrets/acknowledgement';

/** TLS protocol versions Argo CD may require as a minimum. Below 1.2 is not offered. */
export enum TlsVersion {
  /** TLS 1.2 (Argo CD's default minimum). */
  TLS_1_2 = '1.2',
  /** TLS 1.3: only clients that speak TLS 1.3. */
  TLS_1_3 = '1.3',
}

/** How Argo CD tracks which resources belong to an Application. */
export enum ResourceTrackingMethod {
  /** An annotation with the app, group, kind, namespace and name (the default since 3.0). */
  ANNOTATION = 'annotation',
  /** The annotation, plus the `app.kubernetes.io/instance` label for other tools. */
  ANNOTATION_AND_LABEL = 'annotation+label',
  /** Only the label: other tools copying the label can make Argo CD prune their resources. */
  LABEL = 'label',
}

/** Whether the controller watches only resources it is allowed to list. */
export enum RespectRbac {
  /** Checks with a SelfSubjectAccessReview-free heuristic (list calls). */
  NORMAL = 'normal',
  /** Checks every resource type with a SelfSubjectAccessReview: most accurate, more API calls. */
  STRICT = 'strict',
}

/** What a local account may do. */
export enum AccountCapability {
  /** Generate API tokens (for CI and automation). */
  API_KEY = 'apiKey',
  /** Log in to the UI and CLI with a password. */
  LOGIN = 'login',
}

/** A local Argo CD account (`accounts.<name>`). Its password or tokens live in argocd-secret. */
export interface ArgoCdLocalAccount {
  /** The account name (lowercase letters, digits, `-`, `_`; not `admin`). */
  readonly name: string;
  /** What the account may do. At least one. */
  readonly capabilities: AccountCapability[];
  /**
   * Whether the account is enabled.
   * @default true
   */
  readonly enabled?: boolean;
}

/** A Lua health check for a resource kind (`resource.customizations.health.<group>_<kind>`). */
export interface ArgoCdHealthCheck {
  /**
   * The API group (`''` for the core group). No globs: the group becomes part of a ConfigMap
   * key, where `*` is not allowed.
   */
  readonly group: string;
  /** The kind (no globs, for the same reason). */
  readonly kind: string;
  /** The Lua script: it receives `obj` and returns a table with `status` and `message`. */
  readonly script: string;
}

/**
 * Resource kinds Argo CD ignores (`resource.exclusions`): it neither watches nor syncs a resource
 * whose group matches one of `apiGroups`, whose kind is one of `kinds` and whose cluster matches
 * one of `clusters`. Such a resource in Git is left out of the Application's desired state.
 */
export interface ArgoCdResourceFilter {
  /**
   * API groups: `''` for the core group, a name such as `velero.io`, or a glob as Argo CD
   * matches it (`*` any run of characters, `?` one, `[a-z]` a range, `{velero,ark}.io`
   * alternatives), e.g. `*.example.com`. A glob Argo CD cannot compile, or one with characters no
   * group contains, is refused.
   */
  readonly apiGroups: string[];
  /** Kinds, each a kind name or `*` for any (Argo CD compares kinds literally: no other globs). */
  readonly kinds: string[];
  /**
   * Cluster URLs (globs, e.g. `https://*.example.com`); at least one when given.
   * @default - every cluster
   */
  readonly clusters?: string[];
  /**
   * Accept, for the reason given, an exclusion of every kind of every group (`*` / `*`, or any
   * group glob that matches every group), on every cluster or on those in `clusters`: Argo CD
   * then manages nothing there. The reason is recorded on `argocd-cm`.
   * @default - refused
   */
  readonly allowMatchEverything?: Acknowledgement;
  /**
   * Accept, for the reason given, an exclusion that hides Argo CD's own kinds (Application,
   * ApplicationSet, AppProject of `argoproj.io`): those kept in Git would no longer be synced or
   * checked for drift. The reason is recorded on `argocd-cm`.
   * @default - refused
   */
  readonly allowArgoCdResources?: Acknowledgement;
  /**
   * Accept, for the reason given, an exclusion that hides RBAC (ClusterRole, ClusterRoleBinding,
   * Role, RoleBinding): roles and bindings kept in Git would no longer be synced, and one changed
   * in the cluster would go unnoticed. The reason is recorded on `argocd-cm`.
   * @default - refused
   */
  readonly allowRbacResources?: Acknowledgement;
}

/** Repo-server TLS settings (the v3.5 way). */
export interface RepoServerTlsOptions {
  /**
   * Every client verifies the repo-server's certificate against `ca.crt` of Secret
   * `argocd-repo-server-tls` (`*.repo.server.ca.cert.path`). That Secret must then hold a
   * certificate for `argocd-repo-server` and its CA, e.g. from cert-manager; without it the
   * repo-server's self-signed certificate fails verification.
   * @default false (upstream: TLS without verification)
   */
  readonly verifyCertificate?: boolean;
  /**
   * Mutual TLS: Secret `argocd-repo-server-mtls` with keys `client-ca.crt` (the repo-server
   * trusts clients signed by it), `client.crt` and `client.key` (the clients' certificate),
   * produced from this source. Implies `verifyCertificate`.
   * @default - no mTLS
   */
  readonly mtlsSecret?: SecretSource;
}

/**
 * Ordinary Argo CD settings the library has no dedicated prop for: a typed subset, and raw
 * `argocd-cm` / `argocd-cmd-params-cm` keys. Keys the library manages are refused (use their
 * props); keys that weaken security need a reason in `weakeningReasons`.
 */
export interface ArgoCdSettings {
  /**
   * How often every Application's source is compared again (`timeout.reconciliation`); zero
   * turns periodic reconciliation off (then only webhooks and manual refreshes trigger it).
   * @default - Argo CD's default (120s)
   */
  readonly reconciliationTimeout?: Duration;
  /**
   * A random delay added to each reconciliation (`timeout.reconciliation.jitter`).
   * @default - Argo CD's default (60s)
   */
  readonly reconciliationJitter?: Duration;
  /**
   * Reconcile with a refresh of the cached manifests at least this often
   * (`timeout.hard.reconciliation`).
   * @default - Argo CD's default (off)
   */
  readonly hardReconciliationTimeout?: Duration;
  /**
   * How long a login session lasts (`users.session.duration`).
   * @default - Argo CD's default (24h)
   */
  readonly sessionDuration?: Duration;
  /**
   * More `argocd-cm` keys, e.g. `{ 'ui.bannercontent': 'Maintenance on Friday' }`. Values are
   * written as given (one ConfigMap string each); they cannot start with `$` (a secret reference).
   * @default - none
   */
  readonly argoCdCm?: { [key: string]: string };
  /**
   * More `argocd-cmd-params-cm` keys, e.g. `{ 'controller.status.processors': '50' }`.
   * @default - none
   */
  readonly cmdParams?: { [key: string]: string };
  /**
   * For each raw key that weakens security (e.g. `users.anonymous.enabled`,
   * `kustomize.buildOptions.<version>`, `resource.customizations.useOpenLibs.<group_kind>`, or
   * `server.insecure` behind a TLS-terminating proxy of your own: not with `exposure`, which speaks
   * TLS to argocd-server), why it is acceptable here. Without a reason such a key is refused.
   * @default - none
   */
  readonly weakeningReasons?: { [key: string]: string };
}

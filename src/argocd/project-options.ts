import { ArgoCdPolicy } from './rbac-policy';
import { ResourceKind } from './resource-kind';
import { CronSchedule } from '../core/cron-schedule';

/** A place Applications of a project may deploy to. */
export interface ProjectDestination {
  /**
   * The cluster's API server URL (a glob; `!` negates).
   * @default - match by `name` only
   */
  readonly server?: string;
  /**
   * The cluster's name in Argo CD (a glob; `!` negates), e.g. `in-cluster`.
   * @default - match by `server` only
   */
  readonly name?: string;
  /** The namespace (a glob; `!` negates), e.g. `team-a-*`. */
  readonly namespace: string;
}

/** The service account Argo CD impersonates when syncing to a destination. */
export interface DestinationServiceAccount {
  /** The cluster's API server URL (a glob). */
  readonly server: string;
  /**
   * The destination namespace (a glob).
   * @default - every namespace of the server
   */
  readonly namespace?: string;
  /** The service account to impersonate, `name` or `namespace:name`. */
  readonly serviceAccount: string;
}

/** Monitoring of resources in a destination namespace that no Application manages. */
export interface OrphanedResourcesOptions {
  /**
   * Raise a warning condition on Applications with orphaned resources.
   * @default true
   */
  readonly warn?: boolean;
  /**
   * Resources never reported as orphaned (group, kind and optional name glob).
   * @default - none
   */
  readonly ignore?: ResourceKind[];
}

/** How strictly commits must be signed. */
export enum GpgVerificationMode {
  /**
   * The target commit and all its history, back to the first commit or to the most recent
   * signed "seal" commits (a trailer `Argocd-gpg-seal:`), must be signed by a listed key. A
   * repository with any unsigned commit needs a seal commit first, or every sync fails.
   */
  STRICT = 'strict',
  /** Only the target commit (or annotated tag) must be signed by a listed key. */
  HEAD = 'head',
}

/** Verification of Git commit signatures before Argo CD uses a revision. */
export interface GitSignatureVerification {
  /**
   * GnuPG key IDs (16 hex digits, or 40-digit fingerprints) whose signatures are trusted: the
   * ID of the key or subkey that signs. The keys must be in Argo CD's keyring (SecureArgoCD's
   * `gpgKeys`); a key missing from a keyring in the same app fails at synth.
   */
  readonly keyIds: string[];
  /**
   * How many commits are checked. `STRICT` also refuses unsigned history unless it is sealed.
   * @default GpgVerificationMode.HEAD
   */
  readonly mode?: GpgVerificationMode;
  /**
   * The repository URL globs the policy applies to (`!` negates). Argo CD matches them against
   * the repository URL exactly as an Application spells it: each listed URL is also written with
   * its other `.git` spelling, but an Application that spells a listed repository in another
   * case (`https://GitHub.com/...`) is not verified, while the project's `sourceRepos` (compared
   * in lower case) still admit it. Prefer the default.
   * @default - every repository (`*`): the project's `sourceRepos` limit which ones can be used
   */
  readonly repos?: string[];
}

/** Whether a sync window opens or blocks syncs. */
export enum SyncWindowKind {
  /** Syncs are allowed only while some allow window is active. */
  ALLOW = 'allow',
  /** Syncs are blocked while the window is active. */
  DENY = 'deny',
}

/** A time window that allows or blocks syncs of matching Applications. */
export interface SyncWindowOptions {
  /** Allow or deny. */
  readonly kind: SyncWindowKind;
  /**
   * When the window opens, e.g. `CronSchedule.weekdays(9)` or
   * `CronSchedule.expression('0 22 * * MON-FRI')`: five fields (Argo CD reads no `@daily`-style
   * descriptors here).
   */
  readonly schedule: CronSchedule;
  /** How long the window stays open: a Go duration such as `1h`, `30m` or `1h30m`. */
  readonly duration: string;
  /**
   * Application name globs the window applies to.
   * @default - none (at least one of applications, namespaces or clusters is required)
   */
  readonly applications?: string[];
  /**
   * Destination namespace globs the window applies to.
   * @default - none
   */
  readonly namespaces?: string[];
  /**
   * Destination cluster name globs the window applies to.
   * @default - none
   */
  readonly clusters?: string[];
  /**
   * Allow manual syncs while the window blocks automated ones.
   * @default false
   */
  readonly manualSync?: boolean;
  /**
   * The IANA time zone of the schedule, e.g. `Europe/Berlin`.
   * @default 'UTC'
   */
  readonly timeZone?: string;
  /**
   * Apply the window only to Applications matching all of applications, namespaces and
   * clusters (instead of any).
   * @default false
   */
  readonly andOperator?: boolean;
  /**
   * Let a sync that started before the window closes (allow) or opens (deny) run on.
   * @default false
   */
  readonly syncOverrun?: boolean;
  /**
   * A description.
   * @default - none
   */
  readonly description?: string;
}

/**
 * A JWT token issued for a project role. Argo CD accepts a project token only while its ID (or
 * issued-at time) is listed on the role.
 */
export interface ProjectJwtToken {
  /** Issued-at time, seconds since the epoch. */
  readonly issuedAt: number;
  /**
   * Expiry, seconds since the epoch.
   * @default - never expires
   */
  readonly expiresAt?: number;
  /**
   * The token ID.
   * @default - none
   */
  readonly id?: string;
}

/** A project role: its subject is `proj:<project>:<role>`. */
export interface ProjectRoleOptions {
  /** The role name: letters, digits, `-` and `_`. */
  readonly name: string;
  /**
   * A description.
   * @default - none
   */
  readonly description?: string;
  /**
   * The role's policies. Objects must be inside this project: `<project>/<app>` or
   * `<project>/<namespace>/<app>` (globs allowed after the project). Resources are limited to
   * applications, applicationsets, repositories, clusters, logs and exec.
   */
  readonly policies: ArgoCdPolicy[];
  /**
   * Identity provider groups bound to the role.
   * @default - none
   */
  readonly groups?: string[];
  /**
   * Issued JWT tokens. Argo CD also records tokens in `status.jwtTokensByRole` and merges that
   * list back into the spec, so deleting an entry here does not revoke a token: revoke with
   * `argocd proj role delete-token`.
   * @default - none
   */
  readonly jwtTokens?: ProjectJwtToken[];
}

import { Duration } from 'cdk8s';
import * as l1 from '../imports/argocd-argoproj.io';

/** How Kubernetes deletes a pruned resource's dependents (`PrunePropagationPolicy`). */
export enum PrunePropagationPolicy {
  /** Dependents first, then the resource (Argo CD's default). */
  FOREGROUND = 'foreground',
  /** The resource at once; the garbage collector deletes dependents afterwards. */
  BACKGROUND = 'background',
  /** The resource only; dependents stay, without owner. */
  ORPHAN = 'orphan',
}

/** Sync options (`spec.syncPolicy.syncOptions`). Unset options keep Argo CD's behaviour. */
export interface SyncOptions {
  /**
   * Create the destination namespace if missing (needs Namespace in the project's cluster
   * whitelist).
   * @default - not set (false)
   */
  readonly createNamespace?: boolean;
  /**
   * Validate manifests with the API server's schema.
   * @default - not set (true)
   */
  readonly validate?: boolean;
  /**
   * Prune after every other resource is synced and healthy.
   * @default - not set (false)
   */
  readonly pruneLast?: boolean;
  /**
   * Leave fields listed in ignoreDifferences alone when syncing.
   * @default - not set (false)
   */
  readonly respectIgnoreDifferences?: boolean;
  /**
   * Use server-side apply.
   * @default - not set (false)
   */
  readonly serverSideApply?: boolean;
  /**
   * Use `kubectl replace`/`create` instead of apply (for objects too large for the
   * last-applied annotation). Replace deletes and recreates on conflicts: prefer serverSideApply.
   * @default - not set (false)
   */
  readonly replace?: boolean;
  /**
   * Apply only the resources that are out of sync (faster syncs of large Applications).
   * @default - not set (false)
   */
  readonly applyOutOfSyncOnly?: boolean;
  /**
   * How pruned resources' dependents are deleted.
   * @default - not set (PrunePropagationPolicy.FOREGROUND)
   */
  readonly prunePropagationPolicy?: PrunePropagationPolicy;
  /**
   * Fail the sync when a resource is already managed by another Application, instead of taking
   * it over.
   * @default - not set (false)
   */
  readonly failOnSharedResource?: boolean;
  /**
   * Skip the dry run for resources whose CRD is not in the cluster yet (installed by another
   * Application).
   * @default - not set (false)
   */
  readonly skipDryRunOnMissingResource?: boolean;
}

/** Retries of failed syncs, with exponential backoff. */
export interface RetryOptions {
  /** How many times to retry (0 means no retry). */
  readonly limit: number;
  /**
   * The first backoff, in whole seconds.
   * @default Duration.seconds(5)
   */
  readonly backoffDuration?: Duration;
  /**
   * The factor each backoff is multiplied by.
   * @default 2
   */
  readonly backoffFactor?: number;
  /**
   * The longest backoff, in whole seconds, at least `backoffDuration`.
   * @default Duration.minutes(3)
   */
  readonly backoffMaxDuration?: Duration;
}

/** Options for an automated sync policy. */
export interface AutomatedSyncOptions {
  /**
   * Delete resources that are no longer in Git.
   * @default true
   */
  readonly prune?: boolean;
  /**
   * Revert changes made in the cluster.
   * @default true
   */
  readonly selfHeal?: boolean;
  /**
   * Allow a sync that would delete every resource.
   * @default false
   */
  readonly allowEmpty?: boolean;
}

/** When and how an Application syncs. */
export class SyncPolicy {
  /** Automated sync with prune and self-heal, for development. */
  public static development(): SyncPolicy {
    return SyncPolicy.automated({ prune: true, selfHeal: true });
  }

  /**
   * Manual sync, for production: changes wait for an operator. Pruning still happens on
   * the syncs an operator starts when `prune` is requested there.
   */
  public static production(): SyncPolicy {
    return SyncPolicy.manual();
  }

  /** Automated sync. */
  public static automated(options: AutomatedSyncOptions = {}): SyncPolicy {
    return new SyncPolicy({ prune: options.prune ?? true, selfHeal: options.selfHeal ?? true, allowEmpty: options.allowEmpty });
  }

  /** Manual sync only. */
  public static manual(): SyncPolicy {
    return new SyncPolicy(undefined);
  }

  private constructor(private readonly automatedSpec: l1.ApplicationSpecSyncPolicyAutomated | undefined) {}

  /** True when Argo CD syncs by itself. */
  public get isAutomated(): boolean {
    return this.automatedSpec !== undefined;
  }

  /** @internal */
  public _automated(): l1.ApplicationSpecSyncPolicyAutomated | undefined {
    return this.automatedSpec;
  }
}

import { ApplicationSource } from './application-source';
import { brand, hasBrand } from './private/brands';

/** Where the committed synth output of the Argo CD platform lives, and why Argo CD may manage it. */
export interface SelfManagementGitOptions {
  /** The GitOps repository the synth output is committed to (https://, ssh:// or user@host:path). */
  readonly repoUrl: string;
  /** The revision Argo CD follows: a tag, branch or commit SHA. */
  readonly revision: string;
  /** The directory the synth output is committed to (cdk8s's outdir, one file per chart). */
  readonly path: string;
  /**
   * Why Argo CD manages its own installation (one line, recorded on the Application and its
   * AppProject). Required: whoever may change that directory or sync that Application changes
   * Argo CD's own RBAC.
   */
  readonly reason: string;
}

/**
 * Argo CD managing its own installation from the GitOps repository (`SecureArgoCD`
 * `selfManagement`): an AppProject `argocd-platform` that admits exactly the install's
 * namespaces, kinds and cluster-scoped objects, an Application `argocd-platform` over the
 * committed files of the install's charts, and controller RBAC that names every object of the
 * install. Kubernetes still refuses what the install does not already grant: creating objects
 * and widening RBAC stay with the first `kubectl apply --server-side` from CI.
 */
export class ArgoCdSelfManagement {
  /** The synth output committed to a Git repository. */
  public static fromGit(options: SelfManagementGitOptions): ArgoCdSelfManagement {
    return new ArgoCdSelfManagement(options);
  }

  /** True when `x` is an `ArgoCdSelfManagement` (also from another copy of this library). */
  public static isArgoCdSelfManagement(x: unknown): x is ArgoCdSelfManagement {
    return hasBrand(x, 'ArgoCdSelfManagement');
  }

  /** The repository URL. */
  public readonly repoUrl: string;
  /** Why Argo CD manages its own installation. */
  public readonly reason: string;
  /**
   * The source, validated like a SecureApplication's.
   * @internal
   */
  public readonly _source: ApplicationSource;

  private constructor(options: SelfManagementGitOptions) {
    brand(this, 'ArgoCdSelfManagement');
    this.repoUrl = options.repoUrl;
    this.reason = options.reason;
    this._source = ApplicationSource.git({ repoUrl: options.repoUrl, revision: options.revision, path: options.path });
  }
}

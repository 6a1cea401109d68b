import { GitSignatureVerification, ProjectDestination } from './project-options';
import { ResourceKind } from './resource-kind';

/** Options shared by the production and development presets. */
export interface ProjectPresetProps {
  /**
   * The AppProject name.
   * @default 'production' or 'development'
   */
  readonly name?: string;
  /**
   * The namespace Argo CD runs in.
   * @default 'argocd'
   */
  readonly namespace?: string;
  /** Repository URLs (or narrow globs) the project may use. */
  readonly sourceRepos: string[];
  /**
   * Where the project may deploy.
   * @default - the in-cluster server, namespaces `<name>` and `<name>-*`
   */
  readonly destinations?: ProjectDestination[];
  /**
   * Namespaced kinds the project may manage.
   * @default - core, apps, batch and autoscaling kinds, Ingress, PodDisruptionBudget, Argo Rollouts
   */
  readonly namespaceResourceWhitelist?: ResourceKind[];
  /**
   * Git commit signature verification.
   * @default - none (required for production)
   */
  readonly gitSignatureVerification?: GitSignatureVerification;
  /**
   * The time zone of the sync windows.
   * @default 'UTC'
   */
  readonly timeZone?: string;
}

/** Props for {@link ProjectWithRoles.production}. */
export interface ProductionProjectProps extends ProjectPresetProps {
  /**
   * Groups bound to the `prod-developer` role (get and sync applications, read logs).
   * @default ['prod-dev-team']
   */
  readonly developerGroups?: string[];
  /**
   * Groups bound to the `prod-admin` role (manage applications, read logs; no exec).
   * @default ['prod-admin-team']
   */
  readonly adminGroups?: string[];
}

/** Props for {@link ProjectWithRoles.development}. */
export interface DevelopmentProjectProps extends ProjectPresetProps {
  /**
   * Groups bound to the `developer` role (everything on the project's applications).
   * @default ['developers']
   */
  readonly developerGroups?: string[];
}


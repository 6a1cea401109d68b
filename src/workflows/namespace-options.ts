/** One RBAC rule for a workflow service account. */
export interface WorkflowRbacRule {
  /**
   * API groups (`''` for the core group).
   * @default ['']
   */
  readonly apiGroups?: string[];
  /** Resources, e.g. `configmaps`. */
  readonly resources: string[];
  /** Verbs, e.g. `get`. */
  readonly verbs: string[];
  /**
   * Limit the rule to these object names.
   * @default - every object of the resources
   */
  readonly resourceNames?: string[];
}

/** Options for {@link HardenedWorkflowNamespace.addServiceAccount}. */
export interface WorkflowServiceAccountOptions {
  /** The Role's rules. */
  readonly rules: WorkflowRbacRule[];
  /**
   * Allow `*` in verbs, resources or API groups.
   * @default false
   */
  readonly allowWildcards?: boolean;
}

/** Options for {@link HardenedWorkflowNamespace.addBuilderServiceAccount}. */
export interface BuilderServiceAccountOptions {
  /** The Secrets (registry, git credentials) builds may read, by name. At least one. */
  readonly secretNames: string[];
  /**
   * The service account name.
   * @default 'workflow-builder'
   */
  readonly name?: string;
}

/** The IdP / Kubernetes groups that get each role in a namespace. */
export interface WorkflowNamespaceAccess {
  /**
   * Groups that may read workflows, templates and logs.
   * @default - the groups SSO RBAC maps to VIEWER, if `ssoAccess` admits VIEWER
   */
  readonly viewers?: string[];
  /**
   * Groups that may also submit workflows.
   * @default - the groups SSO RBAC maps to SUBMITTER, if `ssoAccess` admits SUBMITTER
   */
  readonly submitters?: string[];
  /**
   * Groups that manage workflows, templates and cron workflows.
   * @default - the groups SSO RBAC maps to ADMIN, if `ssoAccess` admits ADMIN
   */
  readonly admins?: string[];
}

/** The Pod Security Standard a workflow namespace enforces. */
export enum WorkflowPodSecurity {
  /** Enforce `restricted` (and audit and warn on it). */
  RESTRICTED = 'restricted',
  /**
   * Opt-in for workloads that must run as root: enforce `baseline`, still audit and warn on
   * `restricted`. Templates may then relax their security context. Needs `baselineReason`.
   */
  BASELINE = 'baseline',
}

/** The namespace's ResourceQuota (totals over all pods and claims of the namespace). */
export interface WorkflowNamespaceQuota {
  /**
   * Total CPU requests (`requests.cpu`).
   * @default '4'
   */
  readonly cpuRequests?: string;
  /**
   * Total CPU limits (`limits.cpu`).
   * @default '8'
   */
  readonly cpuLimits?: string;
  /**
   * Total memory requests (`requests.memory`).
   * @default '8Gi'
   */
  readonly memoryRequests?: string;
  /**
   * Total memory limits (`limits.memory`).
   * @default '16Gi'
   */
  readonly memoryLimits?: string;
  /**
   * Number of pods (`pods`).
   * @default 100
   */
  readonly pods?: number;
  /**
   * Number of PersistentVolumeClaims (`persistentvolumeclaims`).
   * @default 10
   */
  readonly persistentVolumeClaims?: number;
  /**
   * Total storage requested by PersistentVolumeClaims (`requests.storage`).
   * @default '100Gi'
   */
  readonly storageRequests?: string;
}

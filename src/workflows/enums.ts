/** How argo-server authenticates callers (`--auth-mode`). */
export enum ArgoServerAuthMode {
  /** Callers present a Kubernetes bearer token; Kubernetes RBAC decides (upstream's default). */
  CLIENT = 'client',
  /** Single sign-on through an OIDC provider, mapped to service accounts by SSO RBAC. */
  SSO = 'sso',
  /**
   * Always refused: every caller would act with argo-server's own service account, so anyone
   * who can reach the UI or API could run workflows without being authenticated.
   */
  SERVER = 'server',
}

/** Where the workflow controller and argo-server look for workflows. */
export enum WorkflowControllerScope {
  /**
   * `--namespaced --managed-namespace <ns>`: one workflow namespace, Roles only, no
   * ClusterRole. Upstream takes exactly one managed namespace; argo-server then looks for the
   * SSO RBAC service accounts there, so they are created in that namespace.
   */
  NAMESPACED = 'namespaced',
  /**
   * All namespaces: ClusterRoles with only list and watch for the informers of the controller
   * and argo-server; the rights to create pods and update workflows are granted only in each
   * `HardenedWorkflowNamespace`. SSO RBAC service accounts live in the install namespace.
   */
  CLUSTER = 'cluster',
}

/** `workflowRestrictions.templateReferencing`: which workflows the controller will run. */
export enum TemplateReferencing {
  /** Only workflows that use `workflowTemplateRef`. */
  STRICT = 'Strict',
  /**
   * Like STRICT, and a workflow fails if its WorkflowTemplate changes while it runs (the
   * library's default).
   */
  SECURE = 'Secure',
}

/** What a group of people may do with workflows, through SSO RBAC and namespace Roles. */
export enum WorkflowsAccessRole {
  /** Read workflows, templates, cron workflows, pods and logs. */
  VIEWER = 'viewer',
  /**
   * VIEWER, plus submit workflows from WorkflowTemplates, and stop, terminate, resubmit and retry
   * workflows (retry deletes the reset nodes' pods). Under `templateReferencing` (the default) the
   * controller runs nothing but WorkflowTemplate references; with `allowInlineWorkflows` a
   * submitter can run any workflow in the namespace, as any of its service accounts and with its
   * Secrets mounted.
   */
  SUBMITTER = 'submitter',
  /**
   * Manage workflows, WorkflowTemplates, cron workflows and event bindings of the namespace. Who
   * writes WorkflowTemplates decides what runs: any pod spec, as any service account of the namespace.
   */
  ADMIN = 'admin',
}

/** The pods of an install that get a NetworkPolicy from {@link SecureArgoWorkflows}. */
export enum ArgoWorkflowsComponent {
  /** The workflow-controller pods (`app: workflow-controller`). */
  WORKFLOW_CONTROLLER = 'workflow-controller',
  /** The argo-server pods (`app: argo-server`, port 2746). */
  ARGO_SERVER = 'argo-server',
}

import { IConstruct } from 'constructs';
import { ArgoServerAuthMode, WorkflowControllerScope } from './enums';
import { WorkflowsSsoAccount } from './sso';

/**
 * An Argo Workflows install that workflow namespaces bind to, such as {@link SecureArgoWorkflows}.
 * A `HardenedWorkflowNamespace` reads everything it needs from here: who runs the controller and
 * argo-server, where they look for workflows, and how SSO maps people to service accounts.
 */
export interface IArgoWorkflowsInstall extends IConstruct {
  /** The install namespace of the controller and argo-server. */
  readonly namespace: string;
  /** Namespace-scoped or cluster-scoped. */
  readonly controllerScope: WorkflowControllerScope;
  /** argo-server's authentication modes. */
  readonly authModes: ArgoServerAuthMode[];
  /** The service account of the init and wait containers that every workflow namespace provides. */
  readonly executorServiceAccountName: string;
  /** The user and group ID workflow pods run as. */
  readonly runAsUser: number;
  /** The workflow-controller's service account, in the install namespace. */
  readonly controllerServiceAccountName: string;
  /** argo-server's service account, in the install namespace. */
  readonly serverServiceAccountName: string;
  /** The SSO RBAC accounts, one per mapped role (none without SSO roles). */
  readonly ssoAccounts: WorkflowsSsoAccount[];
}

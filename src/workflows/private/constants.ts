// Names and labels of the Argo Workflows install that the constructs of this folder share.
import { standardLabels } from '../../core/labels';
import { SecretKeyRef } from '../../secrets';

/** The workflow pod label every workflow pod carries (its value is the workflow's name). */
export const WORKFLOW_POD_LABEL = 'workflows.argoproj.io/workflow';
/** The SSO RBAC annotation argo-server evaluates against the user's claims. */
export const RBAC_RULE_ANNOTATION = 'workflows.argoproj.io/rbac-rule';
/** The SSO RBAC annotation that orders service accounts when several rules match. */
export const RBAC_RULE_PRECEDENCE_ANNOTATION = 'workflows.argoproj.io/rbac-rule-precedence';

/** The service accounts of upstream's `manifests/base`. */
export const CONTROLLER_SERVICE_ACCOUNT = 'argo';
export const SERVER_SERVICE_ACCOUNT = 'argo-server';
export const CONTROLLER_CONFIGMAP = 'workflow-controller-configmap';
export const CONTROLLER_POD_LABELS = { app: 'workflow-controller' };
export const SERVER_POD_LABELS = { app: 'argo-server' };
export const METRICS_PORT = 9090;
export const SERVER_PORT = 2746;
/** argo-server keeps its SSO signing key in this Secret of its own namespace and creates it on first start. */
export const SERVER_SSO_KEY_SECRET = 'sso';
/** The controller reads this Secret in workflow namespaces to trust the agent's certificate. */
export const AGENT_CA_SECRET = 'argo-workflows-agent-ca-certificates';

/** The standard labels of every object of an Argo Workflows install and its namespaces. */
export function workflowsLabels(component: string): Record<string, string> {
  return standardLabels({ name: 'argo-workflows', partOf: 'argo-workflows', component });
}

/** A `{ name, key }` Secret selector as the controller config takes it. */
export function secretSelector(ref: SecretKeyRef): { name: string; key: string } {
  return { name: ref.secretName, key: ref.key };
}

// The RBAC rules of Argo Workflows' components and of people, inside and outside workflow namespaces.
import { k8s } from 'cdk8s-plus-28';
import { AGENT_CA_SECRET } from './constants';
import { WorkflowsAccessRole } from '../enums';

/** What the wait container needs to report outputs (emissary, since 3.4). */
export const TASK_RESULTS_RULE: k8s.PolicyRule = { apiGroups: ['argoproj.io'], resources: ['workflowtaskresults'], verbs: ['create', 'patch'] };

/**
 * What the agent pod (HTTP and plugin templates) does with its account's token: watch the
 * workflow's WorkflowTaskSet and patch its status with the results (argoexec `agent`).
 */
export const AGENT_RULES: k8s.PolicyRule[] = [
  { apiGroups: ['argoproj.io'], resources: ['workflowtasksets'], verbs: ['list', 'watch'] },
  { apiGroups: ['argoproj.io'], resources: ['workflowtasksets/status'], verbs: ['patch'] },
];

/**
 * What an artifact garbage collection pod does: watch its WorkflowArtifactGCTasks and patch their
 * status with what it deleted (argoexec `artifact delete`).
 */
export const ARTIFACT_GC_RULES: k8s.PolicyRule[] = [
  { apiGroups: ['argoproj.io'], resources: ['workflowartifactgctasks'], verbs: ['list', 'watch'] },
  { apiGroups: ['argoproj.io'], resources: ['workflowartifactgctasks/status'], verbs: ['patch'] },
];

/**
 * What the controller does inside a workflow namespace (upstream's `argo-role` with the
 * unrestricted secret read cut to the agent CA, pods/exec cut to what signalling needs).
 */
export const CONTROLLER_NAMESPACE_RULES: k8s.PolicyRule[] = [
  { apiGroups: [''], resources: ['pods'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] },
  // emissary: the controller signals containers through exec
  { apiGroups: [''], resources: ['pods/exec'], verbs: ['create', 'get'] },
  { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [''], resources: ['persistentvolumeclaims', 'persistentvolumeclaims/finalizers'], verbs: ['create', 'delete', 'get', 'update'] },
  { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['get', 'list'] },
  { apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: [AGENT_CA_SECRET] },
  { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
  {
    apiGroups: ['argoproj.io'],
    resources: ['workflows', 'workflows/finalizers', 'workflowtasksets', 'workflowtasksets/finalizers', 'workflowartifactgctasks'],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  },
  { apiGroups: ['argoproj.io'], resources: ['workflowtemplates', 'workflowtemplates/finalizers'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['argoproj.io'], resources: ['workflowtaskresults'], verbs: ['deletecollection', 'list', 'watch'] },
  { apiGroups: ['argoproj.io'], resources: ['cronworkflows', 'cronworkflows/finalizers'], verbs: ['delete', 'get', 'list', 'patch', 'update', 'watch'] },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: ['create', 'delete', 'get'] },
];

/**
 * argo-server's own informers (since 3.6 it lists workflows from a cache, and it blocks at
 * startup until its workflow template cache has synced).
 */
export const SERVER_INFORMER_RULE: k8s.PolicyRule = { apiGroups: ['argoproj.io'], resources: ['workflows', 'workflowtemplates'], verbs: ['list', 'watch'] };

/**
 * argo-server starts its ClusterWorkflowTemplate informer only when a SelfSubjectAccessReview
 * allows all three verbs cluster-wide; otherwise it serves an empty list without an error
 * (v4.1.2 server/apiserver/argoserver.go 275-282, util/rbac/rbac.go).
 */
export const SERVER_CLUSTER_TEMPLATES_RULE: k8s.PolicyRule = {
  apiGroups: ['argoproj.io'], resources: ['clusterworkflowtemplates'], verbs: ['get', 'list', 'watch'],
};

/**
 * argo-server records `WorkflowEventBindingError` events in the namespace an event was posted to
 * (the bindings' namespace) with its own account; client-go's recorder patches repeated events
 * (v4.1.2 server/event/dispatch/operation.go 78, workflow/events/event_recorder_manager.go).
 */
export const SERVER_EVENTS_RULE: k8s.PolicyRule = { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] };

/**
 * argo-server reads a namespace's artifact repository ConfigMaps with its own account to show
 * artifacts and resolve submissions (v4.1.2 workflow/artifactrepositories/artifactrepositories.go
 * 86-90, server/artifacts/artifact_server.go 716); by name only.
 */
export function serverArtifactRepositoriesRule(configMaps: string[]): k8s.PolicyRule {
  return { apiGroups: [''], resources: ['configmaps'], verbs: ['get'], resourceNames: [...new Set(configMaps)].sort() };
}

/**
 * People read ClusterWorkflowTemplates with their own token (client mode) or their SSO account's:
 * argo-server checks `get` per template and lists with the caller's client
 * (v4.1.2 server/clusterworkflowtemplate/cluster_workflow_template_server.go 56, 90).
 */
export const PEOPLE_CLUSTER_TEMPLATES_READ_RULE: k8s.PolicyRule = {
  apiGroups: ['argoproj.io'], resources: ['clusterworkflowtemplates'], verbs: ['get', 'list'],
};

/** Cluster scope: the controller's informers watch every namespace; no write verbs, no secrets. */
export const CONTROLLER_CLUSTER_WATCH_RULES: k8s.PolicyRule[] = [
  { apiGroups: [''], resources: ['pods', 'configmaps', 'namespaces'], verbs: ['get', 'list', 'watch'] },
  {
    apiGroups: ['argoproj.io'],
    resources: ['workflows', 'workflowtasksets', 'workflowartifactgctasks', 'workflowtemplates', 'clusterworkflowtemplates', 'cronworkflows', 'workflowtaskresults'],
    verbs: ['get', 'list', 'watch'],
  },
];

export const ROLES = [WorkflowsAccessRole.VIEWER, WorkflowsAccessRole.SUBMITTER, WorkflowsAccessRole.ADMIN];
const ARGO_READ: k8s.PolicyRule = {
  apiGroups: ['argoproj.io'],
  resources: ['cronworkflows', 'workfloweventbindings', 'workflows', 'workflowtemplates'],
  verbs: ['get', 'list', 'watch'],
};
const POD_READ: k8s.PolicyRule[] = [
  { apiGroups: [''], resources: ['events', 'pods'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
];

/** People's Roles; none of them reads Secrets or creates pods directly. */
export const PEOPLE_RULES: Record<WorkflowsAccessRole, k8s.PolicyRule[]> = {
  // the read-only argo-server example of the upstream security docs
  [WorkflowsAccessRole.VIEWER]: [ARGO_READ, ...POD_READ],
  // submits workflows; under templateReferencing (the default) the controller runs only template references
  [WorkflowsAccessRole.SUBMITTER]: [
    ARGO_READ,
    // stop, terminate, resubmit and retry update the Workflow (argo-server's workflow_server.go)
    { apiGroups: ['argoproj.io'], resources: ['workflows'], verbs: ['create', 'patch', 'update'] },
    ...POD_READ,
    // retry deletes the pods of the nodes it resets, with the caller's token (v4.1.2
    // server/workflow/workflow_server.go RetryWorkflow, workflow/util/util.go FormulateRetryWorkflow)
    { apiGroups: [''], resources: ['pods'], verbs: ['delete'] },
  ],
  [WorkflowsAccessRole.ADMIN]: [
    {
      apiGroups: ['argoproj.io'],
      resources: ['cronworkflows', 'workfloweventbindings', 'workflows', 'workflowtemplates'],
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    },
    ...POD_READ,
    // retry deletes the pods of the failed nodes
    { apiGroups: [''], resources: ['pods'], verbs: ['delete'] },
  ],
};

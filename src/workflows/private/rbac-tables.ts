// The RBAC rules of Argo Workflows' components and of people, inside and outside workflow namespaces.
import { k8s } from 'cdk8s-plus-28';
import { AGENT_CA_SECRET } from './constants';
import { WorkflowsAccessRole } from '../enums';

/** What the wait container needs to report outputs (emissary, since 3.4). */
export const TASK_RESULTS_RULE: k8s.PolicyRule = { apiGroups: ['argoproj.io'], resources: ['workflowtaskresults'], verbs: ['create', 'patch'] };

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
  // submits workflows; with templateReferencing the controller runs only template references
  [WorkflowsAccessRole.SUBMITTER]: [
    ARGO_READ,
    // stop, terminate, resubmit and retry update the Workflow (argo-server's workflow_server.go)
    { apiGroups: ['argoproj.io'], resources: ['workflows'], verbs: ['create', 'patch', 'update'] },
    ...POD_READ,
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

import { Duration } from 'cdk8s';
import { WorkflowPersistenceOptions } from './database';
import { WorkflowsNetworkPolicyOptions } from './egress';
import { ArgoServerAuthMode, TemplateReferencing, WorkflowControllerScope } from './enums';
import { ArgoWorkflowsInstallOptions } from './install/install-options';
import { WorkflowsSsoOptions } from './sso';
import { ContainerResources } from '../core/container-resources';
import type { Acknowledgement } from '../secrets/acknowledgement';

/** Properties of {@link SecureArgoWorkflows}. */
export interface SecureArgoWorkflowsProps {
  /**
   * The install namespace of the controller and argo-server. Workflows never run here.
   * @default 'argo'
   */
  readonly namespace?: string;
  /**
   * Install into the namespace of an Argo CD install of the app. Refused by default (at synth):
   * argo-server may create Secrets in its namespace, and Argo CD reads Secrets of its namespace
   * as cluster and repository credentials. With it, set `createNamespace: false` (the Argo CD
   * install creates the namespace).
   * @default - refused
   */
  readonly allowArgoCdNamespace?: Acknowledgement;
  /**
   * Emit the install Namespace, labelled to enforce the restricted Pod Security Standard.
   * @default true
   */
  readonly createNamespace?: boolean;
  /**
   * Namespace-scoped install (one managed namespace) or cluster-scoped.
   * @default WorkflowControllerScope.NAMESPACED
   */
  readonly controllerScope?: WorkflowControllerScope;
  /**
   * argo-server authentication modes. `SERVER` is refused.
   * @default [SSO] when `sso` is set, otherwise [CLIENT]
   */
  readonly authModes?: ArgoServerAuthMode[];
  /**
   * Single sign-on; required when `authModes` includes SSO.
   * @default - no SSO
   */
  readonly sso?: WorkflowsSsoOptions;
  /**
   * The service account of the init and wait containers in every workflow pod, created by
   * each `HardenedWorkflowNamespace` with only `workflowtaskresults` create and patch.
   * @default 'workflow-executor'
   */
  readonly executorServiceAccountName?: string;
  /**
   * User and group ID of workflow pods (`workflowDefaults.spec.securityContext`). Must not be 0.
   * @default 65532
   */
  readonly runAsUser?: number;
  /**
   * Resources of main containers that do not set their own.
   * @default 100m/500m CPU, 128Mi/512Mi memory
   */
  readonly mainContainerResources?: ContainerResources;
  /**
   * Resources of the init and wait containers.
   * @default 50m/250m CPU, 64Mi/256Mi memory
   */
  readonly executorResources?: ContainerResources;
  /**
   * Default `activeDeadlineSeconds` of workflows.
   * @default Duration.hours(1)
   */
  readonly activeDeadline?: Duration;
  /**
   * How long a succeeded workflow is kept.
   * @default Duration.hours(1)
   */
  readonly ttlAfterSuccess?: Duration;
  /**
   * How long a failed workflow is kept.
   * @default Duration.days(2)
   */
  readonly ttlAfterFailure?: Duration;
  /**
   * Maximum running workflows (`parallelism`).
   * @default 50
   */
  readonly parallelism?: number;
  /**
   * Maximum running workflows per namespace (`namespaceParallelism`).
   * @default 10
   */
  readonly namespaceParallelism?: number;
  /**
   * Pods created per second (`resourceRateLimit.limit`).
   * @default 10
   */
  readonly podCreationRateLimit?: number;
  /**
   * Burst of pod creations (`resourceRateLimit.burst`).
   * @default 25
   */
  readonly podCreationBurst?: number;
  /**
   * Run only workflows that reference a WorkflowTemplate (`workflowRestrictions.templateReferencing`).
   * Without it anyone who may create a workflow runs any pod spec, as any service account of the
   * namespace and with any of its Secrets mounted. Workflows then set little next to
   * `workflowTemplateRef` (arguments, entrypoint, deadlines, pod GC, metadata).
   * @default TemplateReferencing.SECURE
   */
  readonly templateReferencing?: TemplateReferencing;
  /**
   * Turn the template-referencing restriction off, with the reason: submitters may then run
   * inline workflows, i.e. any pod spec as any service account of the namespace.
   * @default - not allowed: `templateReferencing` applies
   */
  readonly allowInlineWorkflows?: Acknowledgement;
  /**
   * Workflow archive in a database.
   * @default - no persistence
   */
  readonly persistence?: WorkflowPersistenceOptions;
  /**
   * The namespace of the Prometheus that scrapes controller metrics (port 9090, HTTPS).
   * @default 'monitoring'
   */
  readonly monitoringNamespace?: string;
  /**
   * NetworkPolicies of the install namespace: a default deny, and for the controller and
   * argo-server only the traffic they need. Required unless `disableNetworkPolicies` is set:
   * the Kubernetes API address cannot be selected by labels.
   * @default - none, which is an error unless `disableNetworkPolicies` is set
   */
  readonly networkPolicies?: WorkflowsNetworkPolicyOptions;
  /**
   * Emit no NetworkPolicies in the install namespace except the metrics one, for the reason given
   * (e.g. the cluster's CNI does not enforce them, or they are managed elsewhere): argo-server and
   * the controller are then reachable from, and reach, anything the cluster's network allows. The
   * reason is recorded on the install Namespace (on `workflow-controller-configmap` with
   * `createNamespace: false`).
   * @default - NetworkPolicies are written (`networkPolicies` is required)
   */
  readonly disableNetworkPolicies?: Acknowledgement;
  /**
   * The installation itself: release and image digests, sizing, high availability, argo-server's
   * certificate and Ingress, CRD schemas.
   * @default - v4.1.2 pinned by tag, SMALL sizing, one replica each, internal TLS, not exposed, full CRDs
   */
  readonly install?: ArgoWorkflowsInstallOptions;
  /**
   * Further controller config, one entry per top-level key (e.g. `links`, `columns`,
   * `artifactRepository`, `retentionPolicy`). Keys must be v4.1 config keys not managed here.
   * @default - none
   */
  readonly additionalConfig?: { [key: string]: any };
}

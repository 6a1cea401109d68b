// Building blocks shared by the operations CronWorkflows (compliance checks, secret rotation).
// Not exported from the package: the constructs hide them behind their props.
import { Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { ContainerImage } from '../../core/container-image';
import { ContainerResources } from '../../core/container-resources';
import { bindCronSchedule, CronSchedule } from '../../core/cron-schedule';
import { CronWorkflow, WorkflowTemplate } from '../../imports/workflows-argoproj.io';
import { wholeSecondsProblem } from '../../private/duration';
import { ConfigurationError, deferredChecks, invalid } from '../../private/errors';
import { installsOf } from '../../private/install-namespaces';
import { boundRole, serviceAccountTokenSecret } from '../../private/kube';
import { renderResources, restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../../private/pod-security';
import { dns1123LabelProblem, ianaTimeZoneProblem, INT32_MAX, quoted, requireInteger } from '../../private/validate';
import { workflowNamespacesOf } from '../../private/workflow-namespaces';
import { SecretKeyRef } from '../../secrets';
import { IArgoWorkflowsInstall } from '../../workflows/argo-workflows-install';
import { HardenedWorkflowNamespace } from '../../workflows/hardened-workflow-namespace';
import { SecureArgoWorkflows } from '../../workflows/secure-argo-workflows';

/**
 * Creates the Role and RoleBinding an Argo Workflows v4 executor (emissary) needs to report a
 * step's results: `create` and `patch` on workflowtaskresults, in the workflow's namespace.
 */
export function grantTaskResults(scope: Construct, serviceAccountName: string, namespace: string, labels: Record<string, string>): void {
  boundRole(scope, {
    roleId: 'TaskResultsRole',
    bindingId: 'TaskResultsRoleBinding',
    name: `${serviceAccountName}-taskresults`,
    namespace,
    labels,
    rules: [{ apiGroups: ['argoproj.io'], resources: ['workflowtaskresults'], verbs: ['create', 'patch'] }],
    subjects: [{ kind: 'ServiceAccount', name: serviceAccountName, namespace }],
  });
}

/**
 * The identity of Argo's executor for a workflow whose pods mount no token
 * (`automountServiceAccountToken: false` needs `executor.serviceAccountName`): a service
 * account that may only write workflowtaskresults, and the token Secret Argo mounts into its
 * init and wait containers (it looks for `<name>.service-account-token`; Kubernetes fills it).
 */
export function executorIdentity(
  scope: Construct, workflowName: string, namespace: string, labels: Record<string, string>,
): { serviceAccountName: string } {
  const serviceAccountName = `${workflowName}-executor`;
  new k8s.KubeServiceAccount(scope, 'ExecutorServiceAccount', {
    metadata: { name: serviceAccountName, namespace, labels },
    automountServiceAccountToken: false,
  });
  serviceAccountTokenSecret(scope, 'ExecutorToken', serviceAccountName, namespace, labels);
  grantTaskResults(scope, serviceAccountName, namespace, labels);
  return { serviceAccountName };
}

/**
 * The expressions of a CronWorkflow's schedules (five fields or a descriptor such as `@daily`,
 * as Argo Workflows reads them); problems are reported at synth with the others.
 */
export function cronSchedules(scope: Construct, schedules: CronSchedule[]): string[] {
  if (schedules.length === 0) invalid(scope, 'schedules', 'is empty: give at least one schedule, e.g. CronSchedule.daily(6)');
  return schedules.map((schedule, i) => bindCronSchedule(scope, `schedules[${i}]`, schedule));
}

/** Checks a CronWorkflow name: a DNS-1123 label Argo can still append a run timestamp to. */
export function requireCronWorkflowName(scope: Construct, name: string): string {
  const checks = deferredChecks(scope);
  if (checks.check('name', dns1123LabelProblem(name)) && name.length > 52) {
    checks.check('name', `${quoted(name)} is longer than 52 characters: Argo appends a timestamp to each run's name`);
  }
  return name;
}

/** When and how often an operations CronWorkflow runs, and how many runs it keeps. */
export interface OperationsSchedule {
  /** Checked with {@link cronSchedules}. */
  readonly schedules: string[];
  /** Checked with {@link requireTimeZone}. */
  readonly timeZone: string;
  /** @default Duration.minutes(10) */
  readonly startingDeadline?: Duration;
  /** @default 3 */
  readonly successfulJobsHistoryLimit?: number;
  /** @default 3 */
  readonly failedJobsHistoryLimit?: number;
}

/**
 * An operations job as Argo Workflows runs it under `templateReferencing: Secure`: a
 * WorkflowTemplate holding the whole workflow spec (identity, volumes, restricted pods, at most 30
 * minutes a run), and a CronWorkflow that only references it. Under Strict or Secure the
 * controller refuses a workflow with inline templates, and one that sets anything but a short
 * allow-list next to `workflowTemplateRef` (v4.1.2 `workflow/util/merge.go`: arguments,
 * entrypoint, deadlines, pod GC, metadata... but not the service account, volumes or security
 * context). So the CronWorkflow sets nothing else, and both are named `name`.
 */
export function operationsCronWorkflow(
  scope: Construct, name: string, namespace: string, labels: Record<string, string>, schedule: OperationsSchedule, workflowSpec: object,
): { template: WorkflowTemplate; cron: CronWorkflow } {
  const template = new WorkflowTemplate(scope, 'Template', {
    metadata: { name, namespace, labels },
    spec: {
      ...workflowSpec,
      securityContext: restrictedPodSecurityContext(),
      activeDeadlineSeconds: 1800,
      // Keep the pods of failed steps (their logs explain the failure) until the workflow is
      // deleted by the history limits; overrides a controller-wide OnPodCompletion default.
      podGC: { strategy: 'OnPodSuccess' },
    },
  });
  const cron = new CronWorkflow(scope, 'Resource', {
    metadata: { name, namespace, labels },
    spec: {
      schedules: schedule.schedules,
      timezone: schedule.timeZone,
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: wholeSeconds(scope, 'startingDeadline', schedule.startingDeadline ?? Duration.minutes(10)),
      // int32 fields
      successfulJobsHistoryLimit: requireInteger(scope, 'successfulJobsHistoryLimit', schedule.successfulJobsHistoryLimit ?? 3, 0, INT32_MAX),
      failedJobsHistoryLimit: requireInteger(scope, 'failedJobsHistoryLimit', schedule.failedJobsHistoryLimit ?? 3, 0, INT32_MAX),
      workflowSpec: { workflowTemplateRef: { name } },
    },
  });
  return { template, cron };
}

/** Checks an IANA time zone name (reported at synth). */
export function requireTimeZone(scope: Construct, timeZone: string): string {
  deferredChecks(scope).check('timeZone', ianaTimeZoneProblem(timeZone));
  return timeZone;
}

/** A duration in whole seconds, zero or more (`startingDeadlineSeconds`, an int64). */
function wholeSeconds(scope: Construct, prop: string, duration: Duration): number {
  const problem = wholeSecondsProblem(duration, 0, Number.MAX_SAFE_INTEGER);
  if (problem) invalid(scope, prop, problem);
  return duration.toSeconds({ integral: false });
}

/** An env var from a Secret key, or undefined when there is no reference. */
export function secretEnv(name: string, ref: SecretKeyRef | undefined): { name: string; valueFrom: object } | undefined {
  return ref ? { name, valueFrom: { secretKeyRef: { name: ref.secretName, key: ref.key } } } : undefined;
}

/** Options for {@link scriptTemplateContainer}. */
export interface ScriptContainerOptions {
  readonly image: ContainerImage;
  readonly source: string;
  readonly env: object[];
  readonly resources: ContainerResources;
  /** The workflow volume mounted at /tmp (the root filesystem is read-only). */
  readonly volume: string;
  /** Further volume mounts (of workflow volumes). */
  readonly extraMounts?: object[];
}

/** The `script` of an Argo template: sh, restricted, with requests, limits and a scratch /tmp. */
export function scriptTemplateContainer(scope: IConstruct, options: ScriptContainerOptions): object {
  const resources = renderResources(scope, 'resources', options.resources);
  return {
    image: options.image.reference,
    command: ['sh'],
    source: options.source,
    env: options.env,
    resources: {
      requests: { cpu: resources.cpuRequest, memory: resources.memoryRequest },
      limits: { cpu: resources.cpuLimit, memory: resources.memoryLimit },
    },
    securityContext: restrictedContainerSecurityContext(),
    volumeMounts: [{ name: options.volume, mountPath: '/tmp' }, ...options.extraMounts ?? []],
  };
}

/**
 * Refuses, when the app is synthesized, a namespace where no Argo Workflows controller runs the
 * CronWorkflow's workflows: the install namespace (its default-deny NetworkPolicies cut workflow
 * pods off the API server), or any namespace that is not a `HardenedWorkflowNamespace` bound to
 * the install (a namespace-scoped controller watches only that one; a cluster-scoped one may
 * create pods only where such a namespace grants it). The installs are `install` when given,
 * else every `SecureArgoWorkflows` of the app (none: nothing to check against).
 */
export function refuseUnmanagedNamespace(scope: Construct, namespace: string, install: IArgoWorkflowsInstall | undefined): void {
  scope.node.addValidation({
    validate: () => {
      const installs: IArgoWorkflowsInstall[] = install ? [install]
        : installsOf(scope, 'Argo Workflows').filter((c): c is SecureArgoWorkflows => SecureArgoWorkflows.isSecureArgoWorkflows(c));
      if (installs.length === 0) return [];
      const own = installs.find((i) => i.namespace === namespace);
      if (own) {
        return [new ConfigurationError(scope, 'namespace', `${quoted(namespace)} is the install namespace of the Argo Workflows install `
          + `'${own.node.path}': workflows never run there (its NetworkPolicies deny workflow pods). Use a HardenedWorkflowNamespace bound to it`).message];
      }
      const managed = installs.flatMap((i) => workflowNamespacesOf(i).filter(HardenedWorkflowNamespace.isHardenedWorkflowNamespace))
        .map((ns) => ns.name);
      if (managed.includes(namespace)) return [];
      const where = installs.map((i) => `'${i.node.path}'`).join(', ');
      return [new ConfigurationError(scope, 'namespace', `${quoted(namespace)} is not a workflow namespace of the Argo Workflows install ${where}, `
        + 'so the CronWorkflow would never run (the controller runs workflows only in its HardenedWorkflowNamespaces): '
        + `${managed.length > 0 ? `use ${managed.map((n) => `'${n}'`).join(' or ')}, or ` : ''}bind a HardenedWorkflowNamespace named ${quoted(namespace)} to it`).message];
    },
  });
}

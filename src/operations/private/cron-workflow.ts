// Building blocks shared by the operations CronWorkflows (compliance checks, secret rotation).
// Not exported from the package: the constructs hide them behind their props.
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ContainerImage, ContainerResources } from '../../core/container-image';
import { applySyncWave, SyncWave } from '../../core/sync-wave';
import { invalid } from '../../private/errors';
import { boundRole } from '../../private/kube';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../../private/pod-security';
import { isIanaTimeZone, requireDns1123Label } from '../../private/validate';
import { SecretKeyRef } from '../../secrets';

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
  const sa = new k8s.KubeServiceAccount(scope, 'ExecutorServiceAccount', {
    metadata: { name: serviceAccountName, namespace, labels },
    automountServiceAccountToken: false,
  });
  const token = new k8s.KubeSecret(scope, 'ExecutorToken', {
    metadata: {
      name: `${serviceAccountName}.service-account-token`,
      namespace,
      labels,
      annotations: { 'kubernetes.io/service-account.name': serviceAccountName },
    },
    type: 'kubernetes.io/service-account-token',
  });
  // The token controller deletes a token Secret whose service account does not exist yet.
  applySyncWave(sa, SyncWave.SERVICE_ACCOUNTS_AND_RBAC);
  applySyncWave(token, SyncWave.STORAGE_AND_SECRETS);
  grantTaskResults(scope, serviceAccountName, namespace, labels);
  return { serviceAccountName };
}

// Argo Workflows parses schedules with robfig/cron: no Quartz extensions such as '#', 'L' or 'W'.
const CRON_FIELD = /^[0-9A-Za-z*?,/-]+$/;
const CRON_DESCRIPTOR = /^@(yearly|annually|monthly|weekly|daily|midnight|hourly|every [0-9]+(ns|us|ms|s|m|h)([0-9]+(ns|us|ms|s|m|h))*)$/;

/** Validates cron schedules: five fields each, or a descriptor such as `@daily`. */
export function cronSchedules(scope: Construct, schedules: string[]): string[] {
  if (schedules.length === 0) invalid(scope, 'schedules', 'is empty: give at least one cron schedule, e.g. "0 6 * * *"');
  for (const schedule of schedules) {
    const fields = schedule.trim().split(/\s+/);
    const ok = CRON_DESCRIPTOR.test(schedule) || (fields.length === 5 && fields.every((f) => CRON_FIELD.test(f)));
    if (!ok) invalid(scope, 'schedules', `'${schedule}' is not a cron schedule: use five fields (minute hour day month weekday) or a descriptor such as @daily; set the time zone with 'timezone'`);
  }
  return schedules;
}

/** Validates a whole number >= 0 (history limits, deadlines). */
function nonNegativeInteger(scope: Construct, prop: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) invalid(scope, prop, `${value} is not a whole number >= 0`);
  return value;
}

/** Validates a CronWorkflow name: a DNS-1123 label Argo can still append a run timestamp to. */
export function requireCronWorkflowName(scope: Construct, name: string): string {
  requireDns1123Label(scope, 'name', name);
  if (name.length > 52) invalid(scope, 'name', `'${name}' is longer than 52 characters: Argo appends a timestamp to each run's name`);
  return name;
}

/** When and how often an operations CronWorkflow runs, and how many runs it keeps. */
export interface OperationsSchedule {
  /** Validated with {@link cronSchedules}. */
  readonly schedules: string[];
  /** Validated with {@link requireTimezone}. */
  readonly timezone: string;
  /** @default 600 */
  readonly startingDeadlineSeconds?: number;
  /** @default 3 */
  readonly successfulJobsHistoryLimit?: number;
  /** @default 3 */
  readonly failedJobsHistoryLimit?: number;
}

/**
 * The `spec` of an operations CronWorkflow: one run at a time, bounded history, restricted pods,
 * at most 30 minutes a run. `workflowSpec` adds the entrypoint, identity, volumes and templates.
 */
export function operationsCronSpec(scope: Construct, schedule: OperationsSchedule, workflowSpec: object): object {
  return {
    schedules: schedule.schedules,
    timezone: schedule.timezone,
    concurrencyPolicy: 'Forbid',
    startingDeadlineSeconds: nonNegativeInteger(scope, 'startingDeadlineSeconds', schedule.startingDeadlineSeconds ?? 600),
    successfulJobsHistoryLimit: nonNegativeInteger(scope, 'successfulJobsHistoryLimit', schedule.successfulJobsHistoryLimit ?? 3),
    failedJobsHistoryLimit: nonNegativeInteger(scope, 'failedJobsHistoryLimit', schedule.failedJobsHistoryLimit ?? 3),
    workflowSpec: {
      ...workflowSpec,
      securityContext: restrictedPodSecurityContext(),
      activeDeadlineSeconds: 1800,
      // Keep the pods of failed steps (their logs explain the failure) until the workflow is
      // deleted by the history limits; overrides a controller-wide OnPodCompletion default.
      podGC: { strategy: 'OnPodSuccess' },
    },
  };
}

/** Validates an IANA time zone name. */
export function requireTimezone(scope: Construct, timezone: string): string {
  if (!isIanaTimeZone(timezone)) {
    invalid(scope, 'timezone', `'${timezone}' is not an IANA time zone name (exact letter case), e.g. 'UTC' or 'Europe/Berlin'`);
  }
  return timezone;
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
}

/** The `script` of an Argo template: sh, restricted, with requests, limits and a scratch /tmp. */
export function scriptTemplateContainer(options: ScriptContainerOptions): object {
  return {
    image: options.image.reference,
    command: ['sh'],
    source: options.source,
    env: options.env,
    resources: {
      requests: { cpu: options.resources.cpuRequest, memory: options.resources.memoryRequest },
      limits: { cpu: options.resources.cpuLimit, memory: options.resources.memoryLimit },
    },
    securityContext: restrictedContainerSecurityContext(),
    volumeMounts: [{ name: options.volume, mountPath: '/tmp' }],
  };
}

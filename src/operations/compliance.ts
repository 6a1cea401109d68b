import { Duration, Size } from 'cdk8s';
import { Cpu, k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ComplianceCheck } from './compliance-check';
import { checkScript, FINDINGS_BUDGET_BYTES, FINDINGS_PATH, REPORT_SCRIPT } from './private/compliance-scripts';
import {
  cronSchedules, executorIdentity, operationsCronWorkflow, refuseUnmanagedNamespace, requireCronWorkflowName, requireTimeZone,
  scriptTemplateContainer, secretEnv,
} from './private/cron-workflow';
import { ContainerImage } from '../core/container-image';
import { ContainerResources } from '../core/container-resources';
import { CronSchedule } from '../core/cron-schedule';
import { standardLabels } from '../core/labels';
import { bindFactoryProblems, invalid } from '../private/errors';
import { boundRole, grantRules } from '../private/kube';
import { registerLibraryConstruct } from '../private/stamp';
import { quoted, requireDns1123Label, safeTextProblem } from '../private/validate';
import { SecretKeyRef } from '../secrets';
import { IArgoWorkflowsInstall } from '../workflows/argo-workflows-install';

/** Properties of a {@link ComplianceCronWorkflow}. */
export interface ComplianceCronWorkflowProps {
  /** The namespace the CronWorkflow, its service accounts and pods live in (managed by Argo Workflows). */
  readonly namespace: string;
  /**
   * The Argo Workflows install whose controller runs this CronWorkflow. At synth, `namespace` is
   * refused when it is the install namespace or not one of the install's
   * HardenedWorkflowNamespaces (the CronWorkflow would never run).
   * @default - every SecureArgoWorkflows of the app (none: not checked)
   */
  readonly workflows?: IArgoWorkflowsInstall;
  /**
   * The CronWorkflow's name (at most 52 characters: Argo appends a timestamp to each run).
   * @default 'compliance-check'
   */
  readonly name?: string;
  /**
   * The image of the built-in checks, pinned by digest. It must contain sh, kubectl, jq 1.6+,
   * mktemp, cat and rm (curl for `secretMetadata`, openssl and base64 for `tlsCertificateExpiry`).
   */
  readonly checkImage: ContainerImage;
  /** The image of the report step, pinned by digest. It must contain sh, jq 1.6+, curl, mktemp and rm. */
  readonly reportImage: ContainerImage;
  /** The webhook the report is POSTed to (an `https://` URL), from a Secret in `namespace`. */
  readonly webhookUrl: SecretKeyRef;
  /**
   * A bearer token for the webhook, from a Secret in `namespace`.
   * @default - no Authorization header (the URL itself carries the credential, as for Slack)
   */
  readonly webhookToken?: SecretKeyRef;
  /**
   * The checks to run, in parallel; the report step runs after all of them (as the exit handler).
   * @default ComplianceCheck.defaults()
   */
  readonly checks?: ComplianceCheck[];
  /**
   * When the checks run (five-field expressions or descriptors such as `@daily`, as Argo
   * Workflows reads them).
   * @default [CronSchedule.daily(6)] - 06:00 every day
   */
  readonly schedules?: CronSchedule[];
  /**
   * IANA time zone of the schedules, e.g. `Europe/Berlin`.
   * @default 'UTC'
   */
  readonly timeZone?: string;
  /**
   * How late a missed run may still start (whole seconds).
   * @default Duration.minutes(10)
   */
  readonly startingDeadline?: Duration;
  /**
   * Completed workflows kept.
   * @default 3
   */
  readonly successfulJobsHistoryLimit?: number;
  /**
   * Failed workflows kept (a failed run means ERROR findings: keep them for investigation).
   * @default 3
   */
  readonly failedJobsHistoryLimit?: number;
  /**
   * A name for the cluster, shown in the report (one line, at most 63 characters).
   * @default - none
   */
  readonly clusterName?: string;
  /**
   * CPU and memory of each step.
   * @default 50m/500m CPU, 64Mi/256Mi memory
   */
  readonly resources?: ContainerResources;
}

/**
 * A daily compliance check for Argo Workflows: a WorkflowTemplate with a DAG of read-only checks
 * and an exit handler that POSTs the findings as JSON to a webhook and fails the workflow when
 * any finding is an ERROR (so `argo` and your alerts see it), and a CronWorkflow that runs it by
 * `workflowTemplateRef` (so it runs under `templateReferencing: Secure`). The report is sent
 * whatever became of the checks: a check that did not finish (image not pulled, out of memory,
 * evicted, deadline exceeded) is an ERROR finding that names the check and Argo's reason.
 *
 * The checks run as one service account whose ClusterRole and Roles list exactly what the
 * checks read (read verbs only: `list`, `get` by name), with no secret read unless an opt-in
 * check needs it. Only the check pods mount its token; the report step and Argo's executor run
 * as a second service account that may only write workflowtaskresults. Findings pass as output parameters (no
 * artifact repository), bounded to 40 KB in total.
 */
export class ComplianceCronWorkflow extends Construct {
  /** The name of the CronWorkflow and of the WorkflowTemplate it runs. */
  public readonly name: string;
  /** The namespace it runs in. */
  public readonly namespace: string;
  /** The service account the checks run as. */
  public readonly checksServiceAccountName: string;
  /** The service account of the report step and of Argo's executor. */
  public readonly executorServiceAccountName: string;

  public constructor(scope: Construct, id: string, props: ComplianceCronWorkflowProps) {
    super(scope, id);
    registerLibraryConstruct(this);
    this.namespace = requireDns1123Label(this, 'namespace', props.namespace);
    refuseUnmanagedNamespace(this, this.namespace, props.workflows);
    this.name = requireCronWorkflowName(this, props.name ?? 'compliance-check');
    const checks = props.checks ?? ComplianceCheck.defaults();
    if (checks.length === 0) invalid(this, 'checks', 'is empty: give at least one check');
    const seen = new Set<string>();
    for (const check of checks) {
      if (seen.has(check.name)) invalid(this, 'checks', `two checks are named '${check.name}': names must be unique`);
      seen.add(check.name);
    }
    for (const [prop, ref] of [['webhookUrl', props.webhookUrl], ['webhookToken', props.webhookToken]] as const) {
      if (ref !== undefined) SecretKeyRef._require(this, prop, ref);
      if (ref?.namespace !== undefined && ref.namespace !== this.namespace) {
        invalid(this, prop, `Secret ${ref} is in another namespace: the report pod can only read Secrets in '${this.namespace}'`);
      }
    }
    const clusterName = props.clusterName ?? '';
    if (clusterName !== '') {
      const problem = safeTextProblem(clusterName, { maxLength: 63 })
        ?? (clusterName.includes('{{') ? `${quoted(clusterName)} contains '{{', which Argo Workflows would read as a template variable: remove it` : undefined);
      if (problem) invalid(this, 'clusterName', problem);
    }
    const schedules = cronSchedules(this, props.schedules ?? [CronSchedule.daily(6)]);
    const timeZone = requireTimeZone(this, props.timeZone ?? 'UTC');
    const resources = props.resources ?? {
      cpuRequest: Cpu.millis(50),
      cpuLimit: Cpu.millis(500),
      memoryRequest: Size.mebibytes(64),
      memoryLimit: Size.mebibytes(256),
    };
    const labels = standardLabels({ name: this.name, component: 'compliance-check' });

    this.checksServiceAccountName = `${this.name}-checks`;
    const executor = executorIdentity(this, this.name, this.namespace, labels);
    this.executorServiceAccountName = executor.serviceAccountName;
    this.createChecksRbac(checks, labels);

    const maxBytes = Math.floor(FINDINGS_BUDGET_BYTES / checks.length);
    const readsSecrets = checks.some((check) => check._grants.some((g) => g.apiGroup === '' && g.resources.includes('secrets')));
    const envName = (check: ComplianceCheck) => `FINDINGS_${check.name.toUpperCase().replace(/-/g, '_')}`;
    const findingsOutput = (check: ComplianceCheck) => `findings-${check.name}`;
    bindFactoryProblems(this, 'checkImage', props.checkImage);
    bindFactoryProblems(this, 'reportImage', props.reportImage);
    checks.forEach((check, i) => {
      bindFactoryProblems(this, `checks[${i}]`, check);
      bindFactoryProblems(this, `checks[${i}].image`, check._image);
    });
    const checkTemplates = checks.map((check) => ({
      name: `check-${check.name}`,
      serviceAccountName: this.checksServiceAccountName,
      // Only the checks talk to the API server, so only their pods mount a token.
      automountServiceAccountToken: true,
      // Exported to the workflow's outputs, where the exit handler reads them: a check that
      // never finished leaves its global output unset instead of blocking the report.
      outputs: { parameters: [{ name: 'findings', globalName: findingsOutput(check), valueFrom: { path: FINDINGS_PATH } }] },
      // A check reports its own failures as findings and exits 0: a failed pod means a crash,
      // eviction or lost node, so try again; the report names the checks that never finished.
      retryStrategy: { limit: 2, retryPolicy: 'Always', backoff: { duration: '30s', factor: 2 } },
      script: scriptTemplateContainer(this, {
        image: check._image ?? props.checkImage,
        source: checkScript(check._body),
        env: [
          { name: 'CHECK_NAME', value: check.name },
          { name: 'MAX_FINDINGS_BYTES', value: String(maxBytes) },
          ...Object.keys(check._env).sort().map((name) => ({ name, value: check._env[name] })),
        ],
        resources,
        volume: 'tmp',
      }),
    }));
    // The exit handler: it runs whatever became of the checks (failed, evicted, image not
    // pulled, deadline exceeded), with the findings they exported and Argo's list of failed steps.
    const reportTemplate = {
      name: 'report',
      // Exit 2 means the webhook did not take the report: try again. Exit 1 (ERROR findings,
      // report sent) is final, or the report would be sent again.
      retryStrategy: { limit: 2, retryPolicy: 'OnFailure', expression: 'asInt(lastRetry.exitCode) == 2', backoff: { duration: '1m', factor: 2 } },
      script: scriptTemplateContainer(this, {
        image: props.reportImage,
        source: REPORT_SCRIPT,
        env: [
          { name: 'CHECKS', value: checks.map((check) => check.name).join(' ') },
          { name: 'CLUSTER_NAME', value: clusterName },
          { name: 'FAILED_STEPS', value: '{{workflow.failures}}' },
          ...checks.map((check) => ({ name: envName(check), value: `{{workflow.outputs.parameters.${findingsOutput(check)}}}` })),
          secretEnv('WEBHOOK_TOKEN', props.webhookToken),
          secretEnv('WEBHOOK_URL', props.webhookUrl),
          { name: 'WORKFLOW_NAME', value: '{{workflow.name}}' },
          { name: 'WORKFLOW_STATUS', value: '{{workflow.status}}' },
        ].filter((e): e is { name: string; value: string } => e !== undefined),
        resources,
        volume: 'report-tmp',
      }),
    };

    operationsCronWorkflow(this, this.name, this.namespace, labels, { ...props, schedules, timeZone }, {
      entrypoint: 'compliance',
      onExit: 'report',
      // Pods run as the executor identity with no token, unless a template says otherwise.
      serviceAccountName: executor.serviceAccountName,
      automountServiceAccountToken: false,
      executor: { serviceAccountName: executor.serviceAccountName },
      volumes: [
        // Memory-backed when a check may read secret values: what it fetches must not reach disk.
        { name: 'tmp', emptyDir: readsSecrets ? { medium: 'Memory', sizeLimit: '128Mi' } : { sizeLimit: '256Mi' } },
        // Memory-backed: the webhook token passes through a file here.
        { name: 'report-tmp', emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } },
      ],
      templates: [
        { name: 'compliance', dag: { tasks: checks.map((check) => ({ name: check.name, template: `check-${check.name}` })) } },
        ...checkTemplates,
        reportTemplate,
      ],
    });
  }

  private createChecksRbac(checks: ComplianceCheck[], labels: Record<string, string>): void {
    new k8s.KubeServiceAccount(this, 'ChecksServiceAccount', {
      metadata: { name: this.checksServiceAccountName, namespace: this.namespace, labels },
    });
    const subjects = [{ kind: 'ServiceAccount', name: this.checksServiceAccountName, namespace: this.namespace }];
    const grants = checks.flatMap((check) => check._grants);
    const clusterGrants = grants.filter((g) => g.namespace === undefined);
    // Prefixed with our namespace: cluster-scoped names are shared, and two workflows may grant
    // in the same foreign namespace.
    const roleName = `${this.namespace}-${this.name}-checks`;
    if (clusterGrants.length > 0) {
      new k8s.KubeClusterRole(this, 'ChecksClusterRole', { metadata: { name: roleName, labels }, rules: grantRules(clusterGrants) });
      new k8s.KubeClusterRoleBinding(this, 'ChecksClusterRoleBinding', {
        metadata: { name: roleName, labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
        subjects,
      });
    }
    const namespaces = [...new Set(grants.flatMap((g) => (g.namespace === undefined ? [] : [g.namespace])))].sort();
    for (const namespace of namespaces) {
      boundRole(this, {
        roleId: `ChecksRole-${namespace}`,
        bindingId: `ChecksRoleBinding-${namespace}`,
        name: roleName,
        namespace,
        labels,
        rules: grantRules(grants.filter((g) => g.namespace === namespace)),
        subjects,
      });
    }
  }
}

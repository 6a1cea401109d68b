import { Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { HardenedWorkflowNamespace } from './hardened-workflow-namespace';
import { WorkflowPodSecurity } from './namespace-options';
import { workflowsLabels } from './private/constants';
import { positiveSeconds } from './private/controller-config';
import { templateExpressionProblem } from './private/template-expressions';
import { ContainerImage } from '../core/container-image';
import { ContainerResources } from '../core/container-resources';
import { applySyncWave, SyncWave } from '../core/sync-wave';
import { WorkflowTemplate } from '../imports/workflows-argoproj.io';
import { reasonProblem, recordAcceptedRisk } from '../private/accepted-risks';
import { bindFactoryProblems, ConfigurationError, deferredChecks, invalid } from '../private/errors';
import { resourceRequirements, restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../private/pod-security';
import { registerLibraryConstruct } from '../private/stamp';
import { dns1123SubdomainProblem, goNumberProblem, INT32_MAX, manifestStringProblem, quoted, requireInteger } from '../private/validate';
import type { Acknowledgement } from '../secrets/acknowledgement';

/**
 * Changes to a step's restricted security context. Running as root or allowing privilege
 * escalation breaks the restricted Pod Security Standard and is accepted only in a namespace
 * that opted into `WorkflowPodSecurity.BASELINE`. Privileged containers and added capabilities
 * are not offered.
 */
export interface WorkflowStepSecurity {
  /**
   * User ID of the container.
   * @default - the workflow's user
   */
  readonly runAsUser?: number;
  /**
   * Group ID of the container.
   * @default - the workflow's group
   */
  readonly runAsGroup?: number;
  /**
   * Let the container run as root (`runAsNonRoot: false`), for the reason given: only in a
   * `WorkflowPodSecurity.BASELINE` namespace, and needed with `runAsUser: 0`. The reason is
   * recorded on the WorkflowTemplate.
   * @default - the container must run as a non-root user
   */
  readonly allowRunAsRoot?: Acknowledgement;
  /**
   * Allow setuid binaries to gain privileges, for the reason given. The reason is recorded on
   * the WorkflowTemplate.
   * @default - privilege escalation is not allowed
   */
  readonly allowPrivilegeEscalation?: Acknowledgement;
  /**
   * Let the container write to its root filesystem (`readOnlyRootFilesystem: false`), for the
   * reason given: a compromised step can then replace the image's binaries. `/tmp` is always a
   * writable emptyDir, so most tools need no such opt-in. The reason is recorded on the
   * WorkflowTemplate.
   * @default - the root filesystem is read-only
   */
  readonly allowWritableRootFilesystem?: Acknowledgement;
}

/** One container step; steps run one after the other. */
export interface WorkflowContainerStep {
  /** Step name (lowercase letters, digits, `-`). */
  readonly name: string;
  /** The image, pinned by digest. */
  readonly image: ContainerImage;
  /**
   * The command.
   * @default - the image's entrypoint
   */
  readonly command?: string[];
  /**
   * Arguments; `{{workflow.parameters.<name>}}` refers to a parameter, as a plain argument of a
   * program that is not an interpreter (`echo`, `kubectl`). Refused anywhere in the command line
   * when it runs a shell or interpreter (`sh -c`, `python3 -c`, `node -e`) or a program that runs
   * another (`env`, `timeout`, `busybox`), however nested: pass parameters through `env` instead.
   * @default - none
   */
  readonly args?: string[];
  /**
   * Environment variables (plain values or `{{workflow.parameters.<name>}}`; use Secrets for
   * secrets).
   * @default - none
   */
  readonly env?: { [name: string]: string };
  /**
   * CPU and memory.
   * @default 100m/500m CPU, 128Mi/512Mi memory
   */
  readonly resources?: ContainerResources;
  /**
   * Security context changes.
   * @default - the restricted context unchanged
   */
  readonly securityContext?: WorkflowStepSecurity;
}

/** A workflow parameter users fill in when they submit the template. */
export interface WorkflowTemplateParameter {
  /** Parameter name. */
  readonly name: string;
  /**
   * Default value.
   * @default - the submitter must give a value
   */
  readonly defaultValue?: string;
  /**
   * Allowed values (a drop-down in the UI).
   * @default - any value
   */
  readonly allowedValues?: string[];
  /**
   * Description shown in the UI.
   * @default - none
   */
  readonly description?: string;
}

/** Properties of {@link HardenedWorkflowTemplate}. */
export interface HardenedWorkflowTemplateProps {
  /** The workflow namespace the template lives in. */
  readonly namespace: HardenedWorkflowNamespace;
  /** The template name. */
  readonly name: string;
  /** The steps, run in order. At least one. */
  readonly steps: WorkflowContainerStep[];
  /**
   * Parameters.
   * @default - none
   */
  readonly parameters?: WorkflowTemplateParameter[];
  /**
   * The pods' service account; must be one the namespace construct added.
   * @default - the namespace's `default` account, which has no permissions and no token
   */
  readonly serviceAccountName?: string;
  /**
   * Mount the service account token into the main containers (for steps that call the API
   * with `serviceAccountName`'s permissions).
   * @default false
   */
  readonly mountServiceAccountToken?: boolean;
  /**
   * Deadline of workflows submitted from this template.
   * @default - the install's default
   */
  readonly activeDeadline?: Duration;
}

const STEP_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PARAMETER_NAME = /^[A-Za-z0-9_][-A-Za-z0-9_]*$/;
const DEFAULT_STEP_RESOURCES: ContainerResources = {
  cpuRequest: Cpu.millis(100),
  cpuLimit: Cpu.millis(500),
  memoryRequest: Size.mebibytes(128),
  memoryLimit: Size.mebibytes(512),
};

/**
 * A WorkflowTemplate whose pods meet the restricted Pod Security Standard on their own (pod and
 * container security contexts, resources, no service account token, the executor account, a
 * writable `/tmp`), so users who may only submit from templates run nothing else.
 */
export class HardenedWorkflowTemplate extends Construct {
  /** The template name. */
  public readonly name: string;

  public constructor(scope: Construct, id: string, props: HardenedWorkflowTemplateProps) {
    super(scope, id);
    registerLibraryConstruct(this, 'argo-workflows');
    const ns = props.namespace;
    this.name = props.name;
    deferredChecks(this).check('name', dns1123SubdomainProblem(this.name));
    if (props.steps.length === 0) invalid(this, 'steps', 'is empty: add at least one step');
    const serviceAccount = props.serviceAccountName;
    if (serviceAccount !== undefined) {
      // accounts may be added to the namespace after the template: check the final set
      this.node.addValidation({
        validate: () => ns.serviceAccountNames.includes(serviceAccount) ? [] : [
          new ConfigurationError(this, 'serviceAccountName', `${quoted(serviceAccount)} is not a service account of HardenedWorkflowNamespace '${ns.name}': add it there (addServiceAccount, addBuilderServiceAccount or addMinimalServiceAccount)`).message,
        ],
      });
    }
    const mountToken = props.mountServiceAccountToken ?? false;
    if (mountToken && props.serviceAccountName === undefined) {
      invalid(this, 'mountServiceAccountToken', 'needs serviceAccountName: the default account has no permissions');
    }

    const names = new Set<string>();
    const stepTemplates = props.steps.map((step, i) => {
      if (!STEP_NAME.test(step.name) || step.name === 'main') {
        invalid(this, `steps[${i}].name`, `${quoted(step.name)} is not a step name: use lowercase letters, digits and '-' (not 'main')`);
      }
      deferredChecks(this).check(`steps[${i}].name`, goNumberProblem(step.name));
      if (names.has(step.name)) invalid(this, `steps[${i}].name`, `${quoted(step.name)} is used twice: give each step its own name`);
      names.add(step.name);
      return this.stepTemplate(`steps[${i}]`, step, ns.podSecurity);
    });

    const spec: Record<string, unknown> = {
      entrypoint: 'main',
      ...(props.parameters?.length ? { arguments: { parameters: props.parameters.map((p, i) => this.parameter(i, p)) } } : {}),
      ...(props.serviceAccountName ? { serviceAccountName: props.serviceAccountName } : {}),
      automountServiceAccountToken: mountToken,
      executor: { serviceAccountName: ns.workflows.executorServiceAccountName },
      securityContext: restrictedPodSecurityContext(ns.workflows.runAsUser),
      ...(props.activeDeadline ? { activeDeadlineSeconds: positiveSeconds(this, 'activeDeadline', props.activeDeadline, Number.MAX_SAFE_INTEGER) } : {}),
      volumes: [{ name: 'tmp', emptyDir: {} }],
      templates: [
        { name: 'main', steps: props.steps.map((s) => [{ name: s.name, template: s.name }]) },
        ...stepTemplates,
      ],
    };
    const template = new WorkflowTemplate(this, 'Resource', {
      metadata: { name: this.name, namespace: ns.name, labels: workflowsLabels('workflow-template') },
      spec,
    });
    applySyncWave(template, SyncWave.WORKLOADS);
    const optIns: [keyof WorkflowStepSecurity, string][] = [
      ['allowPrivilegeEscalation', 'why the step must gain privileges'],
      ['allowRunAsRoot', 'why the step must run as root'],
      ['allowWritableRootFilesystem', 'why the step must write outside /tmp'],
    ];
    props.steps.forEach((step, i) => {
      for (const [optIn, why] of optIns) {
        const ack = step.securityContext?.[optIn] as Acknowledgement | undefined;
        const prop = `steps[${i}].securityContext.${optIn}`;
        if (ack !== undefined && deferredChecks(this).check(`${prop}.reason`, reasonProblem(ack?.reason, why))) {
          recordAcceptedRisk(template, prop, ack.reason);
        }
      }
    });
  }

  private parameter(index: number, p: WorkflowTemplateParameter): Record<string, unknown> {
    const where = `parameters[${index}]`;
    if (!PARAMETER_NAME.test(p.name)) invalid(this, `${where}.name`, `${quoted(p.name)} is not a parameter name: use letters, digits, '-' and '_'`);
    const checks = deferredChecks(this);
    checks.check(`${where}.name`, goNumberProblem(p.name));
    if (p.defaultValue !== undefined) checks.check(`${where}.defaultValue`, manifestStringProblem(p.defaultValue));
    p.allowedValues?.forEach((v) => checks.check(`${where}.allowedValues`, manifestStringProblem(v)));
    if (p.description !== undefined) checks.check(`${where}.description`, manifestStringProblem(p.description));
    if (p.allowedValues && p.defaultValue !== undefined && !p.allowedValues.includes(p.defaultValue)) {
      invalid(this, `${where}.defaultValue`, `${quoted(p.defaultValue)} is not one of the allowedValues: add it there or give another default`);
    }
    return {
      name: p.name,
      ...(p.defaultValue !== undefined ? { value: p.defaultValue } : {}),
      ...(p.allowedValues ? { enum: [...p.allowedValues] } : {}),
      ...(p.description ? { description: p.description } : {}),
    };
  }

  /**
   * Argo substitutes `{{...}}` into the container spec before the container starts, so a value in
   * code (a shell script, `python3 -c`) or in the program's place becomes what runs: a submitter
   * could run anything with the step's identity.
   */
  private checkTemplateExpressions(where: string, step: WorkflowContainerStep): void {
    const found = templateExpressionProblem(step.command, step.args);
    if (found) deferredChecks(this).check(`${where}.${found.property}`, found.problem);
  }

  private stepTemplate(where: string, step: WorkflowContainerStep, podSecurity: WorkflowPodSecurity): Record<string, unknown> {
    this.checkTemplateExpressions(where, step);
    bindFactoryProblems(this, `${where}.image`, step.image);
    const checks = deferredChecks(this);
    step.command?.forEach((word) => checks.check(`${where}.command`, manifestStringProblem(word)));
    step.args?.forEach((word) => checks.check(`${where}.args`, manifestStringProblem(word)));
    const env = Object.keys(step.env ?? {}).sort().map((name) => {
      if (!ENV_NAME.test(name)) invalid(this, `${where}.env`, `${quoted(name)} is not an environment variable name: use letters, digits and '_', not starting with a digit`);
      checks.check(`${where}.env`, manifestStringProblem(step.env![name]));
      return { name, value: step.env![name] };
    });
    const r = resourceRequirements(this, `${where}.resources`, step.resources ?? DEFAULT_STEP_RESOURCES);
    return {
      name: step.name,
      container: {
        image: step.image.reference,
        ...(step.command ? { command: [...step.command] } : {}),
        ...(step.args ? { args: [...step.args] } : {}),
        ...(env.length > 0 ? { env } : {}),
        resources: {
          requests: { cpu: r.requests!.cpu.value, memory: r.requests!.memory.value },
          limits: { cpu: r.limits!.cpu.value, memory: r.limits!.memory.value },
        },
        securityContext: this.securityContext(`${where}.securityContext`, step.securityContext ?? {}, podSecurity),
        volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
      },
    };
  }

  private securityContext(where: string, s: WorkflowStepSecurity, podSecurity: WorkflowPodSecurity): Record<string, unknown> {
    const context: Record<string, unknown> = { ...restrictedContainerSecurityContext() };
    // Kubernetes takes user and group IDs from 0 to 2^31-1
    if (s.runAsUser !== undefined) context.runAsUser = requireInteger(this, where, s.runAsUser, 0, INT32_MAX);
    if (s.runAsGroup !== undefined) context.runAsGroup = requireInteger(this, where, s.runAsGroup, 0, INT32_MAX);
    // The booleans these replaced, from JavaScript callers: refused rather than ignored.
    for (const [old, now] of [['runAsNonRoot', 'allowRunAsRoot'], ['readOnlyRootFilesystem', 'allowWritableRootFilesystem']]) {
      if (old in s) invalid(this, `${where}.${old}`, `was replaced: use ${now}: { reason: '...' } to relax it, or remove it (the default is ${old}: true)`);
    }
    if (s.allowRunAsRoot !== undefined) context.runAsNonRoot = false;
    if (s.allowPrivilegeEscalation !== undefined) context.allowPrivilegeEscalation = true;
    if (s.allowWritableRootFilesystem !== undefined) context.readOnlyRootFilesystem = false;

    const breaks: string[] = [];
    if (s.runAsUser === 0) breaks.push('runAsUser 0 (root)');
    if (s.allowRunAsRoot !== undefined) breaks.push('allowRunAsRoot');
    if (s.allowPrivilegeEscalation !== undefined) breaks.push('allowPrivilegeEscalation');
    if (breaks.length > 0 && podSecurity === WorkflowPodSecurity.RESTRICTED) {
      invalid(this, where, `${breaks.join(', ')} breaks the restricted Pod Security Standard the namespace enforces: remove it, or opt the namespace in with podSecurity: WorkflowPodSecurity.BASELINE and a baselineReason`);
    }
    if (s.runAsUser === 0 && s.allowRunAsRoot === undefined) {
      invalid(this, where, 'runAsUser 0 needs allowRunAsRoot with a reason: without it the container must run as non-root and the kubelet would refuse to start it');
    }
    return context;
  }
}

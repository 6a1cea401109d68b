// The workflow controller ConfigMap: the hardened defaults, the archive, SSO, and what users may add.
import { Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { METRICS_PORT, secretSelector, SERVER_SSO_KEY_SECRET } from './constants';
import { requireGroupName } from './sso-accounts';
import { ContainerResources } from '../../core/container-resources';
import { compactDuration, wholeSecondsProblem } from '../../private/duration';
import { deferredChecks, invalid } from '../../private/errors';
import { resourceRequirements, restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../../private/pod-security';
import { toYaml } from '../../private/render';
import { httpsUrlProblem, INT32_MAX, requireInteger } from '../../private/validate';
import { SecretKeyRef } from '../../secrets';
import { OidcSso, SsoKind } from '../../sso';
import { WorkflowPersistenceOptions } from '../database';
import { ArgoServerAuthMode, TemplateReferencing, WorkflowsAccessRole } from '../enums';
import { SecureArgoWorkflowsProps } from '../secure-argo-workflows-props';
import { WorkflowsSsoAccount, WorkflowsSsoOptions } from '../sso';

/**
 * The top-level keys of the workflow controller's `Config` struct in Argo Workflows v4.1
 * (`config/config.go`). The controller and argo-server parse the ConfigMap strictly: any
 * other key stops them at startup.
 */
export const WORKFLOW_CONTROLLER_CONFIG_KEYS: readonly string[] = [
  'nodeEvents', 'workflowEvents', 'executor', 'mainContainer', 'kubeConfig', 'artifactRepository',
  'namespace', 'instanceID', 'metricsConfig', 'telemetryConfig', 'parallelism', 'namespaceParallelism',
  'resourceRateLimit', 'persistence', 'links', 'columns', 'workflowDefaults', 'podSpecLogStrategy',
  'podGCGracePeriodSeconds', 'podGCDeleteDelayDuration', 'workflowRestrictions', 'initialDelay', 'images',
  'retentionPolicy', 'navColor', 'sso', 'synchronization', 'artifactDrivers', 'failedPodRestart',
  'disableAgentPodCreation', 'initlessPod',
];

/** Keys this construct owns; `additionalConfig` may not replace them (they carry the hardening). */
const MANAGED_CONFIG_KEYS = [
  'executor', 'mainContainer', 'workflowDefaults', 'sso', 'persistence', 'metricsConfig', 'workflowRestrictions',
  'parallelism', 'namespaceParallelism', 'resourceRateLimit',
  // placement is decided by `controllerScope`; a label-selector namespace filter would contradict it
  'namespace',
];

const DEFAULT_MAIN_RESOURCES: ContainerResources = {
  cpuRequest: Cpu.millis(100),
  cpuLimit: Cpu.millis(500),
  memoryRequest: Size.mebibytes(128),
  memoryLimit: Size.mebibytes(512),
};
const DEFAULT_EXECUTOR_RESOURCES: ContainerResources = {
  cpuRequest: Cpu.millis(50),
  cpuLimit: Cpu.millis(250),
  memoryRequest: Size.mebibytes(64),
  memoryLimit: Size.mebibytes(256),
};
const DEFAULT_PRECEDENCE: Record<WorkflowsAccessRole, number> = {
  [WorkflowsAccessRole.VIEWER]: 10,
  [WorkflowsAccessRole.SUBMITTER]: 20,
  [WorkflowsAccessRole.ADMIN]: 30,
};

/** What the install passes to {@link controllerConfig}. */
export interface ControllerConfigContext {
  readonly namespace: string;
  readonly runAsUser: number;
  readonly executorServiceAccountName: string;
  readonly authModes: ArgoServerAuthMode[];
}

/**
 * The YAML of one config value, as the controller's parser (YAML 1.1) reads it, keys sorted.
 */
export function configYaml(value: unknown): string {
  return toYaml(sortedKeys(value));
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  return Object.fromEntries(Object.keys(record).sort().map((key) => [key, sortedKeys(record[key])]));
}

/** The ConfigMap values, and what the controller and argo-server must read. */
export interface ControllerConfig {
  /** Top-level key to value (rendered as YAML by the install). */
  readonly values: Record<string, unknown>;
  /** Secrets of the install namespace the controller reads. */
  readonly controllerSecrets: string[];
  /** Secrets of the install namespace argo-server reads. */
  readonly serverSecrets: string[];
  /** The SSO RBAC accounts, validated, in the order given. */
  readonly ssoAccounts: WorkflowsSsoAccount[];
}

/** The controller config of an install, validated. */
export function controllerConfig(scope: Construct, props: SecureArgoWorkflowsProps, context: ControllerConfigContext): ControllerConfig {
  const values: Record<string, unknown> = {
    ...validatedAdditionalConfig(scope, props.additionalConfig ?? {}),
    ...hardenedConfig(scope, props, context),
    metricsConfig: { enabled: true, path: '/metrics', port: METRICS_PORT, secure: true },
  };
  const controllerSecrets: string[] = [];
  const serverSecrets: string[] = [];
  if (props.persistence) {
    values.persistence = persistenceConfig(scope, props.persistence, context.namespace);
    for (const ref of props.persistence.database!.credentials) {
      controllerSecrets.push(ref.secretName);
      serverSecrets.push(ref.secretName);
    }
  }
  const ssoMode = context.authModes.includes(ArgoServerAuthMode.SSO);
  if (props.sso && !ssoMode) {
    invalid(scope, 'authModes', 'sso is configured but authModes does not include SSO: add ArgoServerAuthMode.SSO or remove sso');
  }
  let ssoAccounts: WorkflowsSsoAccount[] = [];
  if (props.sso) {
    const sso = ssoConfig(scope, props.sso, context.namespace);
    values.sso = sso.config;
    serverSecrets.push(...sso.secretNames);
    ssoAccounts = sso.accounts;
  } else if (ssoMode) {
    invalid(scope, 'sso', 'authModes includes SSO but no sso options are given: set sso.provider and sso.serverUrl');
  }
  if (ssoMode) serverSecrets.push(SERVER_SSO_KEY_SECRET);
  return { values, controllerSecrets, serverSecrets, ssoAccounts };
}

/** A container's resources as the controller config (and a Deployment patch) takes them. */
export function resourceRequirementsJson(scope: IConstruct, property: string, resources: ContainerResources): unknown {
  const r = resourceRequirements(scope, property, resources);
  return {
    requests: { cpu: r.requests!.cpu.value, memory: r.requests!.memory.value },
    limits: { cpu: r.limits!.cpu.value, memory: r.limits!.memory.value },
  };
}

function validatedAdditionalConfig(scope: Construct, extra: Record<string, any>): Record<string, unknown> {
  for (const key of Object.keys(extra)) {
    if (!WORKFLOW_CONTROLLER_CONFIG_KEYS.includes(key)) {
      invalid(scope, `additionalConfig.${key}`, `'${key}' is not a workflow controller config key in Argo Workflows v4.1 (unknown keys stop the controller at startup); valid keys: ${WORKFLOW_CONTROLLER_CONFIG_KEYS.join(', ')}`);
    }
    if (MANAGED_CONFIG_KEYS.includes(key)) {
      invalid(scope, `additionalConfig.${key}`, `'${key}' is managed by SecureArgoWorkflows: use its typed properties instead`);
    }
    if (extra[key] === undefined || extra[key] === null) {
      invalid(scope, `additionalConfig.${key}`, 'has no value: remove the key or give a value');
    }
  }
  return extra;
}

function hardenedConfig(scope: Construct, props: SecureArgoWorkflowsProps, context: ControllerConfigContext): Record<string, unknown> {
  const container = (property: string, resources: ContainerResources) => ({
    resources: resourceRequirementsJson(scope, property, resources),
    securityContext: restrictedContainerSecurityContext(),
  });
  const config: Record<string, unknown> = {
    workflowDefaults: {
      spec: {
        securityContext: restrictedPodSecurityContext(context.runAsUser),
        automountServiceAccountToken: false,
        executor: { serviceAccountName: context.executorServiceAccountName },
        activeDeadlineSeconds: positiveSeconds(scope, 'activeDeadline', props.activeDeadline ?? Duration.hours(1), Number.MAX_SAFE_INTEGER),
        ttlStrategy: {
          // int32 fields
          secondsAfterSuccess: positiveSeconds(scope, 'ttlAfterSuccess', props.ttlAfterSuccess ?? Duration.hours(1), INT32_MAX),
          secondsAfterFailure: positiveSeconds(scope, 'ttlAfterFailure', props.ttlAfterFailure ?? Duration.days(2), INT32_MAX),
        },
        podGC: { strategy: 'OnPodCompletion' },
      },
    },
    mainContainer: container('mainContainerResources', props.mainContainerResources ?? DEFAULT_MAIN_RESOURCES),
    executor: container('executorResources', props.executorResources ?? DEFAULT_EXECUTOR_RESOURCES),
    parallelism: requireInteger(scope, 'parallelism', props.parallelism ?? 50, 1),
    namespaceParallelism: requireInteger(scope, 'namespaceParallelism', props.namespaceParallelism ?? 10, 1),
    resourceRateLimit: {
      limit: requireInteger(scope, 'podCreationRateLimit', props.podCreationRateLimit ?? 10, 1),
      burst: requireInteger(scope, 'podCreationBurst', props.podCreationBurst ?? 25, 1),
    },
  };
  const restriction = templateReferencing(scope, props);
  if (restriction) config.workflowRestrictions = { templateReferencing: restriction };
  return config;
}

/**
 * `Secure` unless inline workflows are allowed with a reason: without a restriction anyone who may
 * create a workflow runs any pod spec, as any service account of the namespace and with any of
 * its Secrets mounted (v4.1.2 workflow/controller/operator.go setExecWorkflow).
 */
function templateReferencing(scope: Construct, props: SecureArgoWorkflowsProps): TemplateReferencing | undefined {
  const checks = deferredChecks(scope);
  if (props.allowInlineWorkflows === undefined) return props.templateReferencing ?? TemplateReferencing.SECURE;
  if (props.templateReferencing !== undefined) {
    checks.check('templateReferencing', 'is set together with allowInlineWorkflows: choose one (allowInlineWorkflows removes the restriction)');
  }
  return undefined;
}

function persistenceConfig(scope: Construct, persistence: WorkflowPersistenceOptions, namespace: string): Record<string, unknown> {
  const archive = persistence.archive ?? true;
  if (!persistence.database) {
    invalid(scope, 'persistence.database', 'the workflow archive needs a database (the controller stops at startup on archive without postgresql or mysql): set database: WorkflowDatabase.postgresql({...}) or WorkflowDatabase.mysql({...})');
  }
  const database = persistence.database;
  for (const ref of database.credentials) requireLocalSecret(scope, 'persistence.database', ref, namespace);
  if (database.caCertificate) requireLocalSecret(scope, 'persistence.database.caCertificate', database.caCertificate, namespace);
  const config: Record<string, unknown> = {
    archive,
    nodeStatusOffLoad: persistence.nodeStatusOffload ?? false,
    [database.engine]: database._render(scope),
  };
  if (archive) {
    const ttl = positiveSeconds(scope, 'persistence.archiveTtl', persistence.archiveTtl ?? Duration.days(30));
    // Argo's TTL parser accepts days
    config.archiveTTL = compactDuration(Duration.seconds(ttl), true);
  }
  return config;
}

function ssoConfig(scope: Construct, sso: WorkflowsSsoOptions, namespace: string):
{ config: Record<string, unknown>; secretNames: string[]; accounts: WorkflowsSsoAccount[] } {
  const provider = sso.provider;
  if (OidcSso.isOidcSso(provider)) provider._bind(scope, 'sso.provider');
  if (provider.kind === SsoKind.DEX || !provider.issuer || !provider.clientSecret) {
    invalid(scope, 'sso.provider', "Argo Workflows has no Dex integration of its own: it needs a direct OIDC issuer. To log in through Argo CD's Dex, use OidcSso.oidc({ issuer: 'https://<argocd-host>/api/dex', ... }) with a static client registered in dex.config");
  }
  const serverUrl = sso.serverUrl;
  deferredChecks(scope).check('sso.serverUrl', httpsUrlProblem(serverUrl));
  const clientIdRef = sso.clientIdRef;
  if (!SecretKeyRef.isSecretKeyRef(clientIdRef)) {
    invalid(scope, 'sso.clientIdRef', 'argo-server reads the OIDC client ID only from a Secret: set clientIdRef: SecretKeyRef.fromExistingSecret(...)');
  }
  const clientSecretRef = provider.clientSecret;
  requireLocalSecret(scope, 'sso.clientIdRef', clientIdRef, namespace);
  requireLocalSecret(scope, 'sso.provider.clientSecret', clientSecretRef, namespace);
  const sessionSeconds = positiveSeconds(scope, 'sso.sessionExpiry', sso.sessionExpiry ?? Duration.hours(8));

  // argo-server always adds `openid`; the other scopes come from the provider.
  const scopes = [...new Set(provider.requestedScopes.filter((s) => s !== 'openid'))];
  const config: Record<string, unknown> = {
    issuer: provider.issuer,
    clientId: secretSelector(clientIdRef),
    clientSecret: secretSelector(clientSecretRef),
    redirectUrl: `${serverUrl.replace(/\/+$/, '')}/oauth2/callback`,
    scopes,
    rbac: { enabled: true },
    sessionExpiry: compactDuration(Duration.seconds(sessionSeconds), false),
  };
  if (provider.rootCa) config.rootCA = provider.rootCa;

  const accounts: WorkflowsSsoAccount[] = [];
  for (const [index, mapping] of (sso.roles ?? []).entries()) {
    const where = `sso.roles[${index}]`;
    if (accounts.some((a) => a.role === mapping.role)) {
      invalid(scope, where, `role '${mapping.role}' is mapped twice: list all its groups in one mapping`);
    }
    if (mapping.groups.length === 0) invalid(scope, `${where}.groups`, 'is empty: name at least one IdP group');
    const groups = [...new Set(mapping.groups)].sort();
    for (const group of groups) requireGroupName(scope, `${where}.groups`, group);
    // argo-server reads it with strconv.Atoi and takes 0 for anything else
    const precedence = requireInteger(scope, `${where}.precedence`, mapping.precedence ?? DEFAULT_PRECEDENCE[mapping.role], 0);
    const tie = accounts.find((a) => a.precedence === precedence);
    if (tie) {
      invalid(scope, `${where}.precedence`, `${precedence} is also the precedence of '${tie.role}': argo-server would pick either account for a user in both; give each role its own precedence`);
    }
    accounts.push({ role: mapping.role, serviceAccountName: `argo-sso-${mapping.role}`, groups, precedence });
  }
  return { config, secretNames: [clientIdRef.secretName, clientSecretRef.secretName], accounts };
}

function requireLocalSecret(scope: Construct, property: string, ref: SecretKeyRef, namespace: string): void {
  SecretKeyRef._require(scope, property, ref);
  if (ref.namespace !== undefined && ref.namespace !== namespace) {
    invalid(scope, property, `Secret ${ref} is in namespace '${ref.namespace}', but Argo Workflows reads it from its install namespace '${namespace}': create the Secret there`);
  }
}

/**
 * A whole, positive number of seconds, at most `max`: the field's type (int32, int64) or, by
 * default, the longest Go duration (durations the controller parses, such as Argo's TTLs).
 */
export function positiveSeconds(scope: IConstruct, property: string, duration: Duration, max?: number): number {
  const problem = wholeSecondsProblem(duration, 1, max);
  if (problem) invalid(scope, property, problem);
  return duration.toSeconds({ integral: false });
}


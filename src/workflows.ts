import { ApiObject, Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as YAML from 'yaml';
import {
  applySyncWave, invalid, requireDns1123Label, requireDns1123Subdomain, sortedRecord, standardLabels, SyncWave,
} from './common';
import { OidcSso, SsoKind } from './oidc-sso';
import {
  ContainerResources, DEFAULT_RUN_AS_USER, resourceRequirements, restrictedContainerSecurityContext,
  restrictedPodSecurityContext,
} from './pod-security';
import { SecretKeyRef } from './secret-ref';

/**
 * The top-level keys of the workflow controller's `Config` struct in Argo Workflows v4.1
 * (`config/config.go`). The controller and argo-server parse the ConfigMap strictly: any
 * other key stops them at startup.
 * @internal
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

/** The workflow pod label every workflow pod carries (its value is the workflow's name). */
export const WORKFLOW_POD_LABEL = 'workflows.argoproj.io/workflow';
/** The SSO RBAC annotation argo-server evaluates against the user's claims. */
export const RBAC_RULE_ANNOTATION = 'workflows.argoproj.io/rbac-rule';
/** The SSO RBAC annotation that orders service accounts when several rules match. */
export const RBAC_RULE_PRECEDENCE_ANNOTATION = 'workflows.argoproj.io/rbac-rule-precedence';

const CONTROLLER_SERVICE_ACCOUNT = 'argo';
const SERVER_SERVICE_ACCOUNT = 'argo-server';
const CONTROLLER_CONFIGMAP = 'workflow-controller-configmap';
const CONTROLLER_POD_LABELS = { app: 'workflow-controller' };
const METRICS_PORT = 9090;
/** argo-server keeps its SSO signing key in this Secret of its own namespace and creates it on first start. */
const SERVER_SSO_KEY_SECRET = 'sso';
/** The controller reads this Secret in workflow namespaces to trust the agent's certificate. */
const AGENT_CA_SECRET = 'argo-workflows-agent-ca-certificates';
const PART_OF = 'argo-workflows';

/**
 * IdP group names that can be quoted safely into an rbac-rule expression (no quotes, backslashes
 * or spaces); a leading `/` allows Keycloak's full group paths.
 */
const GROUP_NAME = /^[A-Za-z0-9/][A-Za-z0-9._:@/-]{0,127}$/;

/** How argo-server authenticates callers (`--auth-mode`). */
export enum ArgoServerAuthMode {
  /** Callers present a Kubernetes bearer token; Kubernetes RBAC decides (upstream's default). */
  CLIENT = 'client',
  /** Single sign-on through an OIDC provider, mapped to service accounts by SSO RBAC. */
  SSO = 'sso',
  /**
   * Always refused: every caller would act with argo-server's own service account, so anyone
   * who can reach the UI or API could run workflows without being authenticated.
   */
  SERVER = 'server',
}

/** Where the workflow controller and argo-server look for workflows. */
export enum WorkflowControllerScope {
  /**
   * `--namespaced --managed-namespace <ns>`: one workflow namespace, Roles only, no
   * ClusterRole. Upstream takes exactly one managed namespace.
   */
  NAMESPACED = 'namespaced',
  /**
   * All namespaces: a read-only ClusterRole for the controller's watches; the rights to
   * create pods and update workflows are granted only in each `HardenedWorkflowNamespace`.
   */
  CLUSTER = 'cluster',
}

/** `workflowRestrictions.templateReferencing`: which workflows the controller will run. */
export enum TemplateReferencing {
  /** Only workflows that use `workflowTemplateRef`. */
  STRICT = 'Strict',
  /** Like STRICT, and the referenced template must not change while the workflow runs. */
  SECURE = 'Secure',
}

/** What a group of people may do with workflows, through SSO RBAC and namespace Roles. */
export enum WorkflowsAccessRole {
  /** Read workflows, templates, cron workflows, pods and logs. */
  VIEWER = 'viewer',
  /** VIEWER, plus create workflows (from templates when `templateReferencing` is set). */
  SUBMITTER = 'submitter',
  /** Manage workflows, templates, cron workflows and event bindings of the namespace. */
  ADMIN = 'admin',
}

/** `sslMode` of a PostgreSQL connection (never `disable`). */
export enum PostgresSslMode {
  /** Encrypted, server certificate not verified. */
  REQUIRE = 'require',
  /** Encrypted, server certificate signed by a trusted CA. */
  VERIFY_CA = 'verify-ca',
  /** Encrypted, certificate trusted and matching the host name. */
  VERIFY_FULL = 'verify-full',
}

/** Connection settings shared by the PostgreSQL and MySQL archive databases. */
export interface WorkflowDatabaseOptions {
  /** Database host name. */
  readonly host: string;
  /**
   * Database port.
   * @default 5432 for PostgreSQL, 3306 for MySQL
   */
  readonly port?: number;
  /** Database name. */
  readonly database: string;
  /**
   * Table for archived workflows.
   * @default 'argo_workflows'
   */
  readonly tableName?: string;
  /** User name, from a Secret in the controller's namespace. */
  readonly username: SecretKeyRef;
  /** Password, from a Secret in the controller's namespace. */
  readonly password: SecretKeyRef;
}

/** Options for {@link WorkflowDatabase.postgresql}. */
export interface PostgresqlDatabaseOptions extends WorkflowDatabaseOptions {
  /**
   * TLS verification of the database connection.
   * @default PostgresSslMode.REQUIRE
   */
  readonly sslMode?: PostgresSslMode;
}

/** The database that holds the workflow archive (and offloaded node status). */
export class WorkflowDatabase {
  /** A PostgreSQL database; the connection always uses TLS. */
  public static postgresql(options: PostgresqlDatabaseOptions): WorkflowDatabase {
    return new WorkflowDatabase('postgresql', options, {
      ssl: true,
      sslMode: options.sslMode ?? PostgresSslMode.REQUIRE,
    }, 5432);
  }

  /** A MySQL database. */
  public static mysql(options: WorkflowDatabaseOptions): WorkflowDatabase {
    return new WorkflowDatabase('mysql', options, {}, 3306);
  }

  private constructor(
    /** `postgresql` or `mysql`: the key of the block under `persistence`. */
    public readonly engine: string,
    private readonly options: WorkflowDatabaseOptions,
    private readonly tls: Record<string, unknown>,
    private readonly defaultPort: number,
  ) {}

  /** The credential Secrets this database reads. */
  public get credentials(): SecretKeyRef[] {
    return [this.options.username, this.options.password];
  }

  /** @internal */
  public _render(scope: Construct): Record<string, unknown> {
    const port = this.options.port ?? this.defaultPort;
    requirePort(scope, 'persistence.database.port', port);
    if (!/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(this.options.host)) {
      invalid(scope, 'persistence.database.host', `'${this.options.host}' is not a host name or IP address`);
    }
    return {
      host: this.options.host,
      port,
      database: this.options.database,
      tableName: this.options.tableName ?? 'argo_workflows',
      userNameSecret: secretSelector(this.options.username),
      passwordSecret: secretSelector(this.options.password),
      ...this.tls,
    };
  }
}

/** The workflow archive and node-status offloading (`persistence`). */
export interface WorkflowPersistenceOptions {
  /**
   * The database. Required: the controller stops at startup when `archive` is on without one.
   * @default - none, which is an error
   */
  readonly database?: WorkflowDatabase;
  /**
   * Save completed workflows to the archive.
   * @default true
   */
  readonly archive?: boolean;
  /**
   * How long archived workflows are kept.
   * @default Duration.days(30)
   */
  readonly archiveTtl?: Duration;
  /**
   * Keep node status in the database instead of the Workflow object (for very large workflows).
   * @default false
   */
  readonly nodeStatusOffload?: boolean;
}

/** Maps one IdP group list to one access role through SSO RBAC. */
export interface WorkflowsSsoRoleMapping {
  /** The role members of these groups get. */
  readonly role: WorkflowsAccessRole;
  /**
   * IdP group names (`groups` claim). Letters, digits and `. _ : @ / -` only: they are quoted
   * into the rbac-rule expression, so anything else is refused.
   */
  readonly groups: string[];
  /**
   * The rbac-rule precedence; when several rules match, argo-server uses the highest.
   * @default 30 for ADMIN, 20 for SUBMITTER, 10 for VIEWER
   */
  readonly precedence?: number;
}

/** Single sign-on for argo-server (the `sso` key of the controller ConfigMap). */
export interface WorkflowsSsoOptions {
  /**
   * The OIDC provider. Argo Workflows speaks OIDC directly: a Dex-kind provider is refused (use
   * Argo CD's Dex as a plain OIDC issuer, `https://<argocd>/api/dex`, with `OidcSso.oidc`).
   */
  readonly provider: OidcSso;
  /** The browser-facing https URL of argo-server; the redirect URL is `<serverUrl>/oauth2/callback`. */
  readonly serverUrl: string;
  /**
   * The provider's client ID (`provider.clientId`), stored in a Secret of the install namespace:
   * argo-server reads the client ID only from a Secret.
   */
  readonly clientIdRef: SecretKeyRef;
  /**
   * How long a login lasts.
   * @default Duration.hours(8)
   */
  readonly sessionExpiry?: Duration;
  /**
   * Which IdP groups get which role. A user matching no rule is denied.
   * @default - nobody is allowed in through SSO
   */
  readonly roles?: WorkflowsSsoRoleMapping[];
}

/** Properties of {@link SecureArgoWorkflows}. */
export interface SecureArgoWorkflowsProps {
  /**
   * The install namespace of the controller and argo-server. Workflows never run here.
   * @default 'argo'
   */
  readonly namespace?: string;
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
   * Run only workflows that reference a WorkflowTemplate.
   * @default - any workflow runs
   */
  readonly templateReferencing?: TemplateReferencing;
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
   * Resources of the workflow-controller container (in the Deployment patch).
   * @default 100m/1 CPU, 256Mi/1Gi memory
   */
  readonly controllerResources?: ContainerResources;
  /**
   * Resources of the argo-server container (in the Deployment patch).
   * @default 100m/500m CPU, 128Mi/512Mi memory
   */
  readonly serverResources?: ContainerResources;
  /**
   * Further controller config, one entry per top-level key (e.g. `links`, `columns`,
   * `artifactRepository`, `retentionPolicy`). Keys must be v4.1 config keys not managed here.
   * @default - none
   */
  readonly additionalConfig?: { [key: string]: any };
}

const DEFAULT_MAIN_RESOURCES: ContainerResources = { cpuRequest: '100m', cpuLimit: '500m', memoryRequest: '128Mi', memoryLimit: '512Mi' };
const DEFAULT_EXECUTOR_RESOURCES: ContainerResources = { cpuRequest: '50m', cpuLimit: '250m', memoryRequest: '64Mi', memoryLimit: '256Mi' };
const DEFAULT_CONTROLLER_RESOURCES: ContainerResources = { cpuRequest: '100m', cpuLimit: '1', memoryRequest: '256Mi', memoryLimit: '1Gi' };
const DEFAULT_SERVER_RESOURCES: ContainerResources = { cpuRequest: '100m', cpuLimit: '500m', memoryRequest: '128Mi', memoryLimit: '512Mi' };
const DEFAULT_PRECEDENCE: Record<WorkflowsAccessRole, number> = {
  [WorkflowsAccessRole.VIEWER]: 10,
  [WorkflowsAccessRole.SUBMITTER]: 20,
  [WorkflowsAccessRole.ADMIN]: 30,
};

/**
 * Argo Workflows v4.1 locked down, for an install made from the upstream `manifests/base`
 * (workflow-controller and argo-server Deployments and service accounts) without upstream's
 * RBAC: this construct emits the controller ConfigMap, the RBAC each placement needs, the SSO
 * RBAC service accounts, the metrics Service and its NetworkPolicy. The command-line flags
 * (`--auth-mode`, `--namespaced`, `--managed-namespace`, `--secure`) and pod hardening of the two
 * Deployments come as a strategic-merge patch ({@link deploymentPatches}) for kustomize.
 *
 * Workflows run in `HardenedWorkflowNamespace`s, never in the install namespace.
 */
export class SecureArgoWorkflows extends Construct {
  /** The install namespace. */
  public readonly namespace: string;
  /** Namespace-scoped or cluster-scoped. */
  public readonly controllerScope: WorkflowControllerScope;
  /** The executor service account name every workflow namespace provides. */
  public readonly executorServiceAccountName: string;
  /** argo-server's authentication modes. */
  public readonly authModes: ArgoServerAuthMode[];
  /** The user and group ID workflow pods run as. */
  public readonly runAsUser: number;
  /** The controller ConfigMap's data, key by key (YAML strings). */
  public readonly config: { [key: string]: string };

  /** Names of the registered workflow namespaces, in registration order. */
  private readonly managed: string[] = [];
  private readonly ssoAccounts = new Map<WorkflowsAccessRole, string>();
  private readonly ssoGroups = new Map<WorkflowsAccessRole, string[]>();
  private readonly controllerResources: ContainerResources;
  private readonly serverResources: ContainerResources;

  public constructor(scope: Construct, id: string, props: SecureArgoWorkflowsProps = {}) {
    super(scope, id);
    this.namespace = requireDns1123Label(this, 'namespace', props.namespace ?? 'argo');
    this.controllerScope = props.controllerScope ?? WorkflowControllerScope.NAMESPACED;
    this.executorServiceAccountName = requireDns1123Subdomain(this, 'executorServiceAccountName',
      props.executorServiceAccountName ?? 'workflow-executor');
    this.authModes = this.resolveAuthModes(props);
    this.runAsUser = props.runAsUser ?? DEFAULT_RUN_AS_USER;
    if (!Number.isInteger(this.runAsUser) || this.runAsUser <= 0) {
      invalid(this, 'runAsUser', `${this.runAsUser} breaks the restricted Pod Security Standard (workflow pods must not run as root): use a positive user ID`);
    }
    this.controllerResources = props.controllerResources ?? DEFAULT_CONTROLLER_RESOURCES;
    this.serverResources = props.serverResources ?? DEFAULT_SERVER_RESOURCES;
    const monitoringNamespace = requireDns1123Label(this, 'monitoringNamespace', props.monitoringNamespace ?? 'monitoring');

    if (props.createNamespace ?? true) {
      const ns = new k8s.KubeNamespace(this, 'Namespace', {
        metadata: { name: this.namespace, labels: { ...this.labels('namespace'), ...restrictedNamespaceLabels() } },
      });
      applySyncWave(ns, SyncWave.NAMESPACES_AND_CRDS);
    }

    const configValues: Record<string, unknown> = {
      ...this.validatedAdditionalConfig(props.additionalConfig ?? {}),
      ...this.hardenedConfig(props),
      metricsConfig: { enabled: true, path: '/metrics', port: METRICS_PORT, secure: true },
    };
    const controllerSecrets: string[] = [];
    const serverSecrets: string[] = [];
    if (props.persistence) {
      configValues.persistence = this.persistenceConfig(props.persistence);
      for (const ref of props.persistence.database!.credentials) {
        controllerSecrets.push(ref.secretName);
        serverSecrets.push(ref.secretName);
      }
    }
    if (props.sso && !this.authModes.includes(ArgoServerAuthMode.SSO)) {
      invalid(this, 'authModes', 'sso is configured but authModes does not include SSO: add ArgoServerAuthMode.SSO or remove sso');
    }
    if (props.sso) {
      const sso = this.ssoConfig(props.sso);
      configValues.sso = sso.config;
      serverSecrets.push(...sso.secretNames);
    } else if (this.authModes.includes(ArgoServerAuthMode.SSO)) {
      invalid(this, 'sso', 'authModes includes SSO but no sso options are given: set sso.provider and sso.serverUrl');
    }
    if (this.authModes.includes(ArgoServerAuthMode.SSO)) serverSecrets.push(SERVER_SSO_KEY_SECRET);

    this.config = {};
    for (const key of Object.keys(configValues).sort()) {
      const text = YAML.stringify(configValues[key], { sortMapEntries: true });
      // scalars (parallelism: "50") stay one-line strings; maps and lists are YAML documents
      this.config[key] = typeof configValues[key] === 'object' ? text : text.trimEnd();
    }
    const configMap = new k8s.KubeConfigMap(this, 'ControllerConfig', {
      metadata: { name: CONTROLLER_CONFIGMAP, namespace: this.namespace, labels: this.labels('workflow-controller') },
      data: this.config,
    });
    applySyncWave(configMap, SyncWave.STORAGE_AND_SECRETS);

    this.controllerRbac(controllerSecrets);
    this.serverRbac(serverSecrets);
    this.metrics(monitoringNamespace);

    this.node.addValidation({
      validate: () => this.controllerScope === WorkflowControllerScope.NAMESPACED && this.managed.length === 0
        ? [`${this.constructor.name} '${this.node.path}': controllerScope: a namespace-scoped install needs one HardenedWorkflowNamespace to manage: create one with workflows: this install`]
        : [],
    });
  }

  /** The names of the workflow namespaces registered with this install, sorted. */
  public get managedNamespaces(): string[] {
    return [...this.managed].sort();
  }

  /** The workflow-controller container's arguments. */
  public get controllerArgs(): string[] {
    return this.placementArgs();
  }

  /** The argo-server container's arguments (`server` first). */
  public get serverArgs(): string[] {
    const args = ['server', '--secure=true'];
    for (const mode of this.authModes) args.push(`--auth-mode=${mode}`);
    return [...args, ...this.placementArgs()];
  }

  /**
   * Strategic-merge patches for the upstream `workflow-controller` and `argo-server`
   * Deployments, as a multi-document YAML string for a kustomize `patches:` entry. They set the
   * arguments (which replace upstream's list), pod seccomp (so the restricted namespace admits the
   * pods) and resources. Call after every `HardenedWorkflowNamespace` has been added.
   */
  public deploymentPatches(): string {
    const patch = (name: string, container: string, args: string[], resources: ContainerResources) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: this.namespace },
      spec: {
        template: {
          spec: {
            securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [{ name: container, args, resources: resourceRequirementsJson(resources) }],
          },
        },
      },
    });
    return [
      patch('workflow-controller', 'workflow-controller', this.controllerArgs, this.controllerResources),
      patch('argo-server', 'argo-server', this.serverArgs, this.serverResources),
    ].map((doc) => YAML.stringify(doc)).join('---\n');
  }

  /**
   * Registers a workflow namespace; called by `HardenedWorkflowNamespace`.
   * @internal
   */
  public _registerNamespace(scope: Construct, name: string): void {
    if (name === this.namespace) {
      invalid(scope, 'name', `'${name}' is the controller's install namespace: users who can create workflows there can modify the controller; use another namespace`);
    }
    if (this.managed.includes(name)) {
      invalid(scope, 'name', `a HardenedWorkflowNamespace '${name}' is already registered with this install`);
    }
    if (this.controllerScope === WorkflowControllerScope.NAMESPACED && this.managed.length > 0) {
      invalid(scope, 'workflows', `the install '${this.node.path}' is namespace-scoped and already manages '${this.managed[0]}' (--managed-namespace takes one namespace): use controllerScope: WorkflowControllerScope.CLUSTER, or a second install`);
    }
    this.managed.push(name);
  }

  /**
   * The SSO service account for a role, if SSO maps any group to it.
   * @internal
   */
  public _ssoServiceAccount(role: WorkflowsAccessRole): string | undefined {
    return this.ssoAccounts.get(role);
  }

  /**
   * The groups mapped to a role by SSO RBAC.
   * @internal
   */
  public _ssoGroups(role: WorkflowsAccessRole): string[] {
    return [...(this.ssoGroups.get(role) ?? [])];
  }

  /**
   * The rules the controller needs inside a workflow namespace.
   * @internal
   */
  public _controllerNamespaceRules(): k8s.PolicyRule[] {
    return CONTROLLER_NAMESPACE_RULES;
  }

  /**
   * The controller's service account, as an RBAC subject.
   * @internal
   */
  public _controllerSubject(): k8s.Subject {
    return { kind: 'ServiceAccount', name: CONTROLLER_SERVICE_ACCOUNT, namespace: this.namespace };
  }

  /** @internal */
  public _labels(component: string): Record<string, string> {
    return this.labels(component);
  }

  private labels(component: string): Record<string, string> {
    return standardLabels({ name: 'argo-workflows', partOf: PART_OF, component });
  }

  private placementArgs(): string[] {
    if (this.controllerScope === WorkflowControllerScope.CLUSTER) return [];
    return ['--namespaced', ...this.managed.length > 0 ? [`--managed-namespace=${this.managed[0]}`] : []];
  }

  private resolveAuthModes(props: SecureArgoWorkflowsProps): ArgoServerAuthMode[] {
    const modes = props.authModes ?? [props.sso ? ArgoServerAuthMode.SSO : ArgoServerAuthMode.CLIENT];
    if (modes.length === 0) {
      invalid(this, 'authModes', 'no authentication mode given: use SSO, CLIENT or both');
    }
    if (modes.includes(ArgoServerAuthMode.SERVER)) {
      invalid(this, 'authModes', "'server' mode is refused: argo-server would run every request with its own service account, so anyone who reaches the UI or API could run workflows unauthenticated. Use SSO (with SSO RBAC) and/or CLIENT (Kubernetes tokens)");
    }
    return [...new Set(modes)];
  }

  private validatedAdditionalConfig(extra: Record<string, any>): Record<string, unknown> {
    for (const key of Object.keys(extra)) {
      if (!WORKFLOW_CONTROLLER_CONFIG_KEYS.includes(key)) {
        invalid(this, `additionalConfig.${key}`, `'${key}' is not a workflow controller config key in Argo Workflows v4.1 (unknown keys stop the controller at startup); valid keys: ${WORKFLOW_CONTROLLER_CONFIG_KEYS.join(', ')}`);
      }
      if (MANAGED_CONFIG_KEYS.includes(key)) {
        invalid(this, `additionalConfig.${key}`, `'${key}' is managed by SecureArgoWorkflows: use its typed properties instead`);
      }
      if (extra[key] === undefined || extra[key] === null) {
        invalid(this, `additionalConfig.${key}`, 'has no value: remove the key or give a value');
      }
    }
    return extra;
  }

  private hardenedConfig(props: SecureArgoWorkflowsProps): Record<string, unknown> {
    const runAsUser = this.runAsUser;
    const container = (resources: ContainerResources) => ({
      resources: resourceRequirementsJson(resources),
      securityContext: restrictedContainerSecurityContext(),
    });
    const config: Record<string, unknown> = {
      workflowDefaults: {
        spec: {
          securityContext: restrictedPodSecurityContext(runAsUser),
          automountServiceAccountToken: false,
          executor: { serviceAccountName: this.executorServiceAccountName },
          activeDeadlineSeconds: positiveSeconds(this, 'activeDeadline', props.activeDeadline ?? Duration.hours(1)),
          ttlStrategy: {
            secondsAfterSuccess: positiveSeconds(this, 'ttlAfterSuccess', props.ttlAfterSuccess ?? Duration.hours(1)),
            secondsAfterFailure: positiveSeconds(this, 'ttlAfterFailure', props.ttlAfterFailure ?? Duration.days(2)),
          },
          podGC: { strategy: 'OnPodCompletion' },
        },
      },
      mainContainer: container(props.mainContainerResources ?? DEFAULT_MAIN_RESOURCES),
      executor: container(props.executorResources ?? DEFAULT_EXECUTOR_RESOURCES),
      parallelism: positiveInteger(this, 'parallelism', props.parallelism ?? 50),
      namespaceParallelism: positiveInteger(this, 'namespaceParallelism', props.namespaceParallelism ?? 10),
      resourceRateLimit: {
        limit: positiveInteger(this, 'podCreationRateLimit', props.podCreationRateLimit ?? 10),
        burst: positiveInteger(this, 'podCreationBurst', props.podCreationBurst ?? 25),
      },
    };
    if (props.templateReferencing) {
      config.workflowRestrictions = { templateReferencing: props.templateReferencing };
    }
    return config;
  }

  private persistenceConfig(persistence: WorkflowPersistenceOptions): Record<string, unknown> {
    const archive = persistence.archive ?? true;
    if (!persistence.database) {
      invalid(this, 'persistence.database', 'the workflow archive needs a database (the controller stops at startup on archive without postgresql or mysql): set database: WorkflowDatabase.postgresql({...}) or WorkflowDatabase.mysql({...})');
    }
    const database = persistence.database;
    for (const ref of database.credentials) this.requireLocalSecret('persistence.database', ref);
    const config: Record<string, unknown> = {
      archive,
      nodeStatusOffLoad: persistence.nodeStatusOffload ?? false,
      [database.engine]: database._render(this),
    };
    if (archive) config.archiveTTL = goDuration(persistence.archiveTtl ?? Duration.days(30), true);
    return config;
  }

  private ssoConfig(sso: WorkflowsSsoOptions): { config: Record<string, unknown>; secretNames: string[] } {
    const provider = sso.provider;
    if (provider.kind === SsoKind.DEX || !provider.issuer || !provider.clientSecret) {
      invalid(this, 'sso.provider', "Argo Workflows has no Dex integration of its own: it needs a direct OIDC issuer. To log in through Argo CD's Dex, use OidcSso.oidc({ issuer: 'https://<argocd-host>/api/dex', ... }) with a static client registered in dex.config");
    }
    const serverUrl = httpsUrl(this, 'sso.serverUrl', sso.serverUrl);
    const clientIdRef = sso.clientIdRef;
    if (!(clientIdRef instanceof SecretKeyRef)) {
      invalid(this, 'sso.clientIdRef', 'argo-server reads the OIDC client ID only from a Secret: set clientIdRef: SecretKeyRef.fromExistingSecret(...)');
    }
    const clientSecretRef = provider.clientSecret;
    if (!clientSecretRef) return invalid(this, 'sso.provider', 'has no client secret');
    this.requireLocalSecret('sso.clientIdRef', clientIdRef);
    this.requireLocalSecret('sso.provider.clientSecret', clientSecretRef);
    const sessionSeconds = positiveSeconds(this, 'sso.sessionExpiry', sso.sessionExpiry ?? Duration.hours(8));

    // argo-server always adds `openid`; the other scopes come from the provider.
    const scopes = [...new Set(provider.requestedScopes.filter((s) => s !== 'openid'))];
    const config: Record<string, unknown> = {
      issuer: provider.issuer,
      clientId: secretSelector(clientIdRef),
      clientSecret: secretSelector(clientSecretRef),
      redirectUrl: `${serverUrl.replace(/\/+$/, '')}/oauth2/callback`,
      scopes,
      rbac: { enabled: true },
      sessionExpiry: goDuration(Duration.seconds(sessionSeconds), false),
    };
    if (provider.rootCa) config.rootCA = provider.rootCa;

    const secretNames = [clientIdRef.secretName, clientSecretRef.secretName];
    const seen = new Set<WorkflowsAccessRole>();
    for (const [index, mapping] of (sso.roles ?? []).entries()) {
      const where = `sso.roles[${index}]`;
      if (seen.has(mapping.role)) {
        invalid(this, where, `role '${mapping.role}' is mapped twice: list all its groups in one mapping`);
      }
      seen.add(mapping.role);
      const account = this.ssoServiceAccount(where, mapping);
      secretNames.push(tokenSecretName(account));
    }
    return { config, secretNames };
  }

  private ssoServiceAccount(where: string, mapping: WorkflowsSsoRoleMapping): string {
    if (mapping.groups.length === 0) invalid(this, `${where}.groups`, 'is empty: name at least one IdP group');
    const groups = [...new Set(mapping.groups)].sort();
    for (const group of groups) requireGroupName(this, `${where}.groups`, group);
    const precedence = mapping.precedence ?? DEFAULT_PRECEDENCE[mapping.role];
    if (!Number.isInteger(precedence) || precedence < 0) {
      invalid(this, `${where}.precedence`, `${precedence} is not a non-negative integer`);
    }
    const name = `argo-sso-${mapping.role}`;
    const sa = new k8s.KubeServiceAccount(this, `Sso${mapping.role}`, {
      metadata: {
        name,
        namespace: this.namespace,
        labels: this.labels('sso-rbac'),
        annotations: {
          [RBAC_RULE_ANNOTATION]: rbacRule(groups),
          [RBAC_RULE_PRECEDENCE_ANNOTATION]: String(precedence),
        },
      },
      // argo-server reads the token from the Secret below; nothing mounts it.
      automountServiceAccountToken: false,
    });
    applySyncWave(sa, SyncWave.SERVICE_ACCOUNTS_AND_RBAC);
    serviceAccountTokenSecret(this, `Sso${mapping.role}Token`, name, this.namespace, this.labels('sso-rbac'));
    this.ssoAccounts.set(mapping.role, name);
    this.ssoGroups.set(mapping.role, groups);
    return name;
  }

  private requireLocalSecret(property: string, ref: SecretKeyRef): void {
    if (ref.namespace !== undefined && ref.namespace !== this.namespace) {
      invalid(this, property, `Secret ${ref} is in namespace '${ref.namespace}', but Argo Workflows reads it from its install namespace '${this.namespace}': create the Secret there`);
    }
  }

  private controllerRbac(secretNames: string[]): void {
    const installRules: k8s.PolicyRule[] = [
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create', 'get', 'update'] },
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] },
    ];
    if (secretNames.length > 0) {
      installRules.push({ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: [...new Set(secretNames)].sort() });
    }
    this.role('ControllerRole', 'argo-workflow-controller', installRules, CONTROLLER_SERVICE_ACCOUNT, 'workflow-controller');

    if (this.controllerScope === WorkflowControllerScope.CLUSTER) {
      const labels = this.labels('workflow-controller');
      const clusterRole = new k8s.KubeClusterRole(this, 'ControllerClusterRole', {
        metadata: { name: `argo-workflow-controller-${this.namespace}`, labels },
        rules: CONTROLLER_CLUSTER_WATCH_RULES,
      });
      const binding = new k8s.KubeClusterRoleBinding(this, 'ControllerClusterRoleBinding', {
        metadata: { name: `argo-workflow-controller-${this.namespace}`, labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRole.name },
        subjects: [this._controllerSubject()],
      });
      applySyncWave(clusterRole, SyncWave.SERVICE_ACCOUNTS_AND_RBAC);
      applySyncWave(binding, SyncWave.SERVICE_ACCOUNTS_AND_RBAC);
    }
  }

  /**
   * argo-server acts with the caller's token (client mode) or the matched SSO service account's
   * token (SSO RBAC), so its own account needs only its namespace: the config, the SSO service
   * accounts and their token Secrets, its SSO key and the archive credentials.
   */
  private serverRbac(secretNames: string[]): void {
    const rules: k8s.PolicyRule[] = [
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] },
    ];
    if (this.authModes.includes(ArgoServerAuthMode.SSO)) {
      rules.push({ apiGroups: [''], resources: ['serviceaccounts'], verbs: ['get', 'list', 'watch'] });
      // creates its `sso` key Secret on first start; `create` cannot be limited by name
      rules.push({ apiGroups: [''], resources: ['secrets'], verbs: ['create'] });
    }
    if (secretNames.length > 0) {
      rules.push({ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: [...new Set(secretNames)].sort() });
    }
    this.role('ServerRole', 'argo-server', rules, SERVER_SERVICE_ACCOUNT, 'argo-server');
  }

  private role(id: string, name: string, rules: k8s.PolicyRule[], serviceAccount: string, component: string): void {
    const labels = this.labels(component);
    const role = new k8s.KubeRole(this, id, { metadata: { name, namespace: this.namespace, labels }, rules });
    const binding = new k8s.KubeRoleBinding(this, `${id}Binding`, {
      metadata: { name, namespace: this.namespace, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name: serviceAccount, namespace: this.namespace }],
    });
    applySyncWave(role, SyncWave.SERVICE_ACCOUNTS_AND_RBAC);
    applySyncWave(binding, SyncWave.SERVICE_ACCOUNTS_AND_RBAC);
  }

  /** Upstream ships no metrics Service since 3.4; metrics are served over HTTPS on 9090. */
  private metrics(monitoringNamespace: string): void {
    const labels = this.labels('workflow-controller-metrics');
    new k8s.KubeService(this, 'MetricsService', {
      metadata: { name: 'workflow-controller-metrics', namespace: this.namespace, labels },
      spec: {
        selector: CONTROLLER_POD_LABELS,
        ports: [{ name: 'metrics', port: METRICS_PORT, targetPort: k8s.IntOrString.fromNumber(METRICS_PORT), protocol: 'TCP', appProtocol: 'https' }],
      },
    });
    const policy = new k8s.KubeNetworkPolicy(this, 'MetricsNetworkPolicy', {
      metadata: { name: 'workflow-controller-metrics', namespace: this.namespace, labels },
      spec: {
        podSelector: { matchLabels: CONTROLLER_POD_LABELS },
        policyTypes: ['Ingress'],
        ingress: [{
          from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': monitoringNamespace } } }],
          ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(METRICS_PORT) }],
        }],
      },
    });
    applySyncWave(policy, SyncWave.SERVICE_ACCOUNTS_AND_RBAC);
  }
}

/**
 * What the controller does inside a workflow namespace (upstream's `argo-role` with the
 * unrestricted secret read cut to the agent CA, pods/exec cut to what signalling needs).
 */
const CONTROLLER_NAMESPACE_RULES: k8s.PolicyRule[] = [
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

/** Cluster scope: the controller's informers watch every namespace; no write verbs, no secrets. */
const CONTROLLER_CLUSTER_WATCH_RULES: k8s.PolicyRule[] = [
  { apiGroups: [''], resources: ['pods', 'configmaps', 'namespaces'], verbs: ['get', 'list', 'watch'] },
  {
    apiGroups: ['argoproj.io'],
    resources: ['workflows', 'workflowtasksets', 'workflowartifactgctasks', 'workflowtemplates', 'clusterworkflowtemplates', 'cronworkflows', 'workflowtaskresults'],
    verbs: ['get', 'list', 'watch'],
  },
];

/**
 * The Pod Security Admission labels that enforce, audit and warn on the restricted profile.
 * @internal
 */
export function restrictedNamespaceLabels(): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const mode of ['audit', 'enforce', 'warn']) {
    labels[`pod-security.kubernetes.io/${mode}`] = 'restricted';
    labels[`pod-security.kubernetes.io/${mode}-version`] = 'v1.28';
  }
  return sortedRecord(labels);
}

/**
 * An rbac-rule expression (`'a' in groups || 'b' in groups`) from group names that were checked
 * against a strict character set, so the quotes cannot be broken out of.
 * @internal
 */
export function rbacRule(groups: string[]): string {
  for (const group of groups) {
    if (!GROUP_NAME.test(group)) throw new Error(`unsafe group name '${group}'`);
  }
  return groups.map((g) => `'${g}' in groups`).join(' || ');
}

/** @internal */
export function requireGroupName(scope: Construct, property: string, group: string): string {
  if (!GROUP_NAME.test(group)) {
    invalid(scope, property, `group name '${group}' is not safe to use in an rbac-rule or RoleBinding: use 1-128 letters, digits and '. _ : @ / -', starting with a letter, digit or '/'`);
  }
  return group;
}

/** The name argo-server and the controller look for: `<sa>.service-account-token`. @internal */
export function tokenSecretName(serviceAccount: string): string {
  return `${serviceAccount}.service-account-token`;
}

/**
 * A `kubernetes.io/service-account-token` Secret with no data: Kubernetes fills in the token.
 * Since 1.24 these are no longer created automatically.
 * @internal
 */
export function serviceAccountTokenSecret(scope: Construct, id: string, serviceAccount: string, namespace: string,
  labels: Record<string, string>): ApiObject {
  const secret = new k8s.KubeSecret(scope, id, {
    metadata: {
      name: tokenSecretName(serviceAccount),
      namespace,
      labels,
      annotations: { 'kubernetes.io/service-account.name': serviceAccount },
    },
    type: 'kubernetes.io/service-account-token',
  });
  applySyncWave(secret, SyncWave.STORAGE_AND_SECRETS);
  return secret;
}

/** @internal */
export function requirePort(scope: Construct | string, property: string, port: number): number {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    invalid(scope, property, `${port} is not a port number: use an integer from 1 to 65535`);
  }
  return port;
}

function secretSelector(ref: SecretKeyRef): { name: string; key: string } {
  return { name: ref.secretName, key: ref.key };
}

function resourceRequirementsJson(resources: ContainerResources): unknown {
  const r = resourceRequirements(resources);
  return {
    requests: { cpu: r.requests!.cpu.value, memory: r.requests!.memory.value },
    limits: { cpu: r.limits!.cpu.value, memory: r.limits!.memory.value },
  };
}

function positiveInteger(scope: Construct, property: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) invalid(scope, property, `${value} is not a positive integer`);
  return value;
}

function positiveSeconds(scope: Construct, property: string, duration: Duration): number {
  const seconds = duration.toSeconds();
  if (!Number.isInteger(seconds) || seconds <= 0) invalid(scope, property, 'must be a positive whole number of seconds');
  return seconds;
}

/** A Go duration (`8h`, `90m`), or `<n>d` where Argo's TTL parser accepts days. */
function goDuration(duration: Duration, allowDays: boolean): string {
  const s = duration.toSeconds();
  if (allowDays && s % 86400 === 0) return `${s / 86400}d`;
  if (s % 3600 === 0) return `${s / 3600}h`;
  if (s % 60 === 0) return `${s / 60}m`;
  return `${s}s`;
}

function httpsUrl(scope: Construct, property: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return invalid(scope, property, `'${value}' is not a URL: give the https URL browsers use to reach argo-server`);
  }
  if (url.protocol !== 'https:' || url.search || url.hash || url.username || url.password) {
    invalid(scope, property, `'${value}' must be a plain https URL (no query, fragment or credentials): SSO cookies and tokens travel over it`);
  }
  return value;
}

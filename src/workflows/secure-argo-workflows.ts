import { ApiObject, Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as YAML from 'yaml';
import { ContainerResources } from '../core/container-image';
import { standardLabels } from '../core/labels';
import { applySyncWave, SyncWave } from '../core/sync-wave';
import { invalid } from '../private/errors';
import { boundRole } from '../private/kube';
import { DEFAULT_RUN_AS_USER, resourceRequirements, restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../private/pod-security';
import { sortedRecord } from '../private/render';
import { requireCidr, requireDns1123Label, requireDns1123Subdomain, requirePort } from '../private/validate';
import { SecretKeyRef } from '../secrets';
import { OidcSso, requireHttpsBaseUrl, SsoKind } from '../sso';

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
const SERVER_POD_LABELS = { app: 'argo-server' };
const METRICS_PORT = 9090;
const SERVER_PORT = 2746;
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
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
   * ClusterRole. Upstream takes exactly one managed namespace; argo-server then looks for the
   * SSO RBAC service accounts there, so they are created in that namespace.
   */
  NAMESPACED = 'namespaced',
  /**
   * All namespaces: ClusterRoles with only list and watch for the informers of the controller
   * and argo-server; the rights to create pods and update workflows are granted only in each
   * `HardenedWorkflowNamespace`. SSO RBAC service accounts live in the install namespace.
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
  /**
   * VIEWER, plus create workflows. Only with `templateReferencing` does the controller run
   * nothing but WorkflowTemplate references; without it a submitter can run any workflow in the
   * namespace, as any of its service accounts and with its Secrets mounted.
   */
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

/** TLS of a MySQL connection (the driver's `tls` parameter; never unencrypted). */
export enum MysqlTlsMode {
  /** Encrypted, server certificate not verified (`tls=skip-verify`). */
  REQUIRE = 'skip-verify',
  /** Encrypted, certificate signed by a CA the controller trusts and matching the host name (`tls=true`). */
  VERIFY_FULL = 'true',
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

/** Options for {@link WorkflowDatabase.mysql}. */
export interface MysqlDatabaseOptions extends WorkflowDatabaseOptions {
  /**
   * TLS of the database connection.
   * @default MysqlTlsMode.REQUIRE
   */
  readonly tlsMode?: MysqlTlsMode;
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

  /**
   * A MySQL database; the connection always uses TLS (the driver's default is plaintext, which
   * would expose the credentials and workflow data).
   */
  public static mysql(options: MysqlDatabaseOptions): WorkflowDatabase {
    return new WorkflowDatabase('mysql', options, { options: { tls: options.tlsMode ?? MysqlTlsMode.REQUIRE } }, 3306);
  }

  private constructor(
    /** `postgresql` or `mysql`: the key of the block under `persistence`. */
    public readonly engine: string,
    private readonly options: WorkflowDatabaseOptions,
    private readonly tls: Record<string, unknown>,
    private readonly defaultPort: number,
  ) {}

  /** The database port. */
  public get port(): number {
    return this.options.port ?? this.defaultPort;
  }

  /** The credential Secrets this database reads. */
  public get credentials(): SecretKeyRef[] {
    return [this.options.username, this.options.password];
  }

  /** @internal */
  public _render(scope: Construct): Record<string, unknown> {
    const port = requirePort(scope, 'persistence.database.port', this.port);
    if (!/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(this.options.host)) {
      invalid(scope, 'persistence.database.host', `'${this.options.host}' is not a host name or IP address`);
    }
    // both end up in the connection string and in SQL: plain identifiers only
    if (!/^[A-Za-z_][A-Za-z0-9_-]{0,62}$/.test(this.options.database)) {
      invalid(scope, 'persistence.database.database', `'${this.options.database}' is not a database name: use up to 63 letters, digits, '_' and '-', starting with a letter or '_'`);
    }
    const tableName = this.options.tableName ?? 'argo_workflows';
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(tableName)) {
      invalid(scope, 'persistence.database.tableName', `'${tableName}' is not a table name: use up to 63 letters, digits and '_', starting with a letter or '_'`);
    }
    return {
      host: this.options.host,
      port,
      database: this.options.database,
      tableName,
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

/** One SSO RBAC mapping, validated. */
interface SsoAccount {
  readonly role: WorkflowsAccessRole;
  /** The service account name. */
  readonly name: string;
  /** Sorted, deduplicated, checked group names. */
  readonly groups: string[];
  readonly precedence: number;
}

/**
 * A destination pods may open connections to: workflow pods (`HardenedWorkflowNamespace`), or the
 * workflow-controller and argo-server (`SecureArgoWorkflows.networkPolicies`).
 */
export class WorkflowEgress {
  /**
   * Pods of another namespace, selected by `kubernetes.io/metadata.name`.
   * @param namespace the namespace name
   * @param ports TCP ports; empty means every port
   */
  public static toNamespace(namespace: string, ports: number[] = []): WorkflowEgress {
    requireDns1123Label('WorkflowEgress.toNamespace', 'namespace', namespace);
    return new WorkflowEgress(namespace, { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } } }, ports);
  }

  /**
   * An IP range (IPv4 or IPv6 CIDR), on the given TCP ports.
   * @param cidr e.g. `10.20.0.0/16`
   * @param ports at least one TCP port
   */
  public static toCidr(cidr: string, ports: number[]): WorkflowEgress {
    requireCidr('WorkflowEgress.toCidr', 'cidr', cidr);
    if (ports.length === 0) {
      invalid('WorkflowEgress.toCidr', 'ports', `no ports for ${cidr}: list the TCP ports needed there`);
    }
    return new WorkflowEgress(cidr, { ipBlock: { cidr } }, ports);
  }

  private constructor(
    /** The namespace or CIDR, for messages. */
    public readonly description: string,
    private readonly peer: k8s.NetworkPolicyPeer,
    /** The TCP ports; empty means every port. */
    public readonly ports: number[],
  ) {
    for (const port of ports) requirePort(`WorkflowEgress(${description})`, 'ports', port);
  }

  /** @internal */
  public _rule(): k8s.NetworkPolicyEgressRule {
    const ports = [...new Set(this.ports)].sort((a, b) => a - b);
    return {
      to: [this.peer],
      ...(ports.length > 0 ? { ports: ports.map((port) => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) })) } : {}),
    };
  }
}

/** The pods of an install that get a NetworkPolicy from {@link SecureArgoWorkflows}. */
export enum ArgoWorkflowsComponent {
  /** The workflow-controller pods (`app: workflow-controller`). */
  WORKFLOW_CONTROLLER = 'workflow-controller',
  /** The argo-server pods (`app: argo-server`, port 2746). */
  ARGO_SERVER = 'argo-server',
}

/** NetworkPolicies of the install namespace (see {@link SecureArgoWorkflowsProps.networkPolicies}). */
export interface WorkflowsNetworkPolicyOptions {
  /**
   * The Kubernetes API server's endpoint addresses (`kubectl get endpoints kubernetes`): policies
   * see traffic after the `kubernetes` Service is translated. Both components need it.
   */
  readonly kubernetesApiCidr: string;
  /** The API server's endpoint port: usually 6443 (kubeadm), 443 on several managed services. */
  readonly kubernetesApiPort: number;
  /**
   * The cluster DNS namespace (pods labelled `k8s-app: kube-dns` there).
   * @default 'kube-system'
   */
  readonly dnsNamespace?: string;
  /**
   * The namespace of the ingress controller that forwards browser and API traffic to argo-server
   * (port 2746), matched by `kubernetes.io/metadata.name`.
   * @default 'ingress-nginx'
   */
  readonly ingressControllerNamespace?: string;
  /**
   * Where the archive database is, for the controller and argo-server. Required with
   * `persistence` (its ports must include the database port); refused without it.
   * @default - none
   */
  readonly databaseEgress?: WorkflowEgress[];
  /**
   * Where the OIDC issuer is, for argo-server (discovery, keys, token exchange). Required with
   * `sso` (its ports must include the issuer URL's port); refused without it.
   * @default - none
   */
  readonly identityProviderEgress?: WorkflowEgress[];
  /**
   * Where artifacts are stored, for argo-server, which reads them when the UI or API shows an
   * artifact.
   * @default - none: argo-server cannot show artifacts
   */
  readonly artifactRepositoryEgress?: WorkflowEgress[];
  /**
   * Deny all ingress and egress of every pod in the install namespace that no other policy
   * admits. Turn off only if other workloads share the namespace and you write their policies.
   * @default true
   */
  readonly defaultDeny?: boolean;
  /**
   * Components that get no policy of their own (with the default deny they then reach nothing:
   * write a policy for each component you exclude).
   * @default - both components get a policy
   */
  readonly excludeComponents?: ArgoWorkflowsComponent[];
}

/** A destination a configured feature needs (see `checkedEgress`). */
interface EgressRequirement {
  /** The property that turns the feature on. */
  readonly feature: string;
  /** The port the destination listens on; undefined when the feature is off. */
  readonly port: number | undefined;
  /** Who connects, for messages. */
  readonly client: string;
  /** What is reached, for messages. */
  readonly target: string;
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
   * NetworkPolicies of the install namespace: a default deny, and for the controller and
   * argo-server only the traffic they need. Required unless `disableNetworkPolicies` is set:
   * the Kubernetes API address cannot be selected by labels.
   * @default - none, which is an error unless `disableNetworkPolicies` is set
   */
  readonly networkPolicies?: WorkflowsNetworkPolicyOptions;
  /**
   * Emit no NetworkPolicies in the install namespace except the metrics one (for clusters whose
   * CNI does not enforce them, or that manage them elsewhere).
   * @default false
   */
  readonly disableNetworkPolicies?: boolean;
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
 * RBAC service accounts (in the managed namespace, through its `HardenedWorkflowNamespace`, when
 * namespace-scoped), the metrics Service and the install namespace's NetworkPolicies. The command-line flags
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
  /** The same names, for O(1) duplicate checks (a fleet registers hundreds of namespaces). */
  private readonly managedNames = new Set<string>();
  /** The validated SSO RBAC mappings, in the order given. */
  private readonly ssoAccounts: SsoAccount[] = [];
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
    // A cluster-scoped argo-server looks for SSO RBAC accounts in its own namespace; a
    // namespace-scoped one in its managed namespace, where HardenedWorkflowNamespace creates them.
    if (this.controllerScope === WorkflowControllerScope.CLUSTER) {
      serverSecrets.push(...this.createSsoAccounts(this, this.namespace, this.ssoAccounts.map((a) => a.role)));
    }

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
    if (props.disableNetworkPolicies) {
      if (props.networkPolicies) invalid(this, 'disableNetworkPolicies', 'is set together with networkPolicies: choose one');
    } else {
      if (!props.networkPolicies) {
        invalid(this, 'networkPolicies', 'is required (NetworkPolicies are on by default and need the Kubernetes API address): give networkPolicies: { kubernetesApiCidr, kubernetesApiPort }, or set disableNetworkPolicies: true');
      }
      this.networkPolicies(props.networkPolicies, props);
    }

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
    if (this.managedNames.has(name)) {
      invalid(scope, 'name', `a HardenedWorkflowNamespace '${name}' is already registered with this install`);
    }
    if (this.controllerScope === WorkflowControllerScope.NAMESPACED && this.managed.length > 0) {
      invalid(scope, 'workflows', `the install '${this.node.path}' is namespace-scoped and already manages '${this.managed[0]}' (--managed-namespace takes one namespace): use controllerScope: WorkflowControllerScope.CLUSTER, or a second install`);
    }
    this.managed.push(name);
    this.managedNames.add(name);
  }

  /**
   * The SSO service account for a role as an RBAC subject, if SSO maps any group to it.
   * @internal
   */
  public _ssoSubject(role: WorkflowsAccessRole): k8s.Subject | undefined {
    const account = this.ssoAccounts.find((a) => a.role === role);
    return account ? { kind: 'ServiceAccount', name: account.name, namespace: this.ssoNamespace() } : undefined;
  }

  /**
   * The groups mapped to a role by SSO RBAC.
   * @internal
   */
  public _ssoGroups(role: WorkflowsAccessRole): string[] {
    return [...(this.ssoAccounts.find((a) => a.role === role)?.groups ?? [])];
  }

  /**
   * What argo-server needs in a workflow namespace of a namespace-scoped install: its informers
   * (workflows, workflow templates) and, with SSO, the SSO RBAC service accounts of the roles the
   * namespace admits, which argo-server looks for in its managed namespace (a role left out has
   * no account, so its users are denied). A cluster-scoped argo-server watches through its
   * ClusterRole instead. Called by `HardenedWorkflowNamespace`.
   * @internal
   */
  public _grantServerNamespaceAccess(scope: Construct, namespace: string, ssoRoles: WorkflowsAccessRole[]): void {
    if (this.controllerScope !== WorkflowControllerScope.NAMESPACED) return;
    const rules: k8s.PolicyRule[] = [SERVER_INFORMER_RULE];
    if (this.authModes.includes(ArgoServerAuthMode.SSO)) {
      rules.push({ apiGroups: [''], resources: ['serviceaccounts'], verbs: ['list', 'watch'] });
      const tokens = this.createSsoAccounts(scope, namespace, ssoRoles);
      if (tokens.length > 0) rules.push({ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: tokens.sort() });
    }
    boundRole(scope, {
      roleId: 'ServerRole',
      bindingId: 'ServerRoleBinding',
      name: SERVER_SERVICE_ACCOUNT,
      namespace,
      labels: this.labels('argo-server'),
      rules,
      subjects: [this.serverSubject()],
    });
  }

  /**
   * Creates the SSO RBAC service accounts of `roles` and their token Secrets in `namespace`.
   * @returns the token Secret names
   */
  private createSsoAccounts(scope: Construct, namespace: string, roles: WorkflowsAccessRole[]): string[] {
    const labels = this.labels('sso-rbac');
    return this.ssoAccounts.filter((account) => roles.includes(account.role)).map((account) => {
      const sa = new k8s.KubeServiceAccount(scope, `Sso${account.role}`, {
        metadata: {
          name: account.name,
          namespace,
          labels,
          annotations: {
            [RBAC_RULE_ANNOTATION]: rbacRule(account.groups),
            [RBAC_RULE_PRECEDENCE_ANNOTATION]: String(account.precedence),
          },
        },
        // argo-server reads the token from the Secret below; nothing mounts it.
        automountServiceAccountToken: false,
      });
      applySyncWave(sa, SyncWave.SERVICE_ACCOUNTS_AND_RBAC);
      serviceAccountTokenSecret(scope, `Sso${account.role}Token`, account.name, namespace, labels);
      return tokenSecretName(account.name);
    });
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

  private serverSubject(): k8s.Subject {
    return { kind: 'ServiceAccount', name: SERVER_SERVICE_ACCOUNT, namespace: this.namespace };
  }

  /** `--managed-namespace` of a namespace-scoped argo-server, else its own namespace (upstream's `ssoNamespace`). */
  private ssoNamespace(): string {
    return this.controllerScope === WorkflowControllerScope.NAMESPACED && this.managed.length > 0 ? this.managed[0] : this.namespace;
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
    if (archive) {
      const ttl = positiveSeconds(this, 'persistence.archiveTtl', persistence.archiveTtl ?? Duration.days(30));
      config.archiveTTL = goDuration(Duration.seconds(ttl), true);
    }
    return config;
  }

  private ssoConfig(sso: WorkflowsSsoOptions): { config: Record<string, unknown>; secretNames: string[] } {
    const provider = sso.provider;
    if (OidcSso.isOidcSso(provider)) provider._bind(this, 'sso.provider');
    if (provider.kind === SsoKind.DEX || !provider.issuer || !provider.clientSecret) {
      invalid(this, 'sso.provider', "Argo Workflows has no Dex integration of its own: it needs a direct OIDC issuer. To log in through Argo CD's Dex, use OidcSso.oidc({ issuer: 'https://<argocd-host>/api/dex', ... }) with a static client registered in dex.config");
    }
    const serverUrl = requireHttpsBaseUrl(this, 'sso.serverUrl', sso.serverUrl);
    const clientIdRef = sso.clientIdRef;
    if (!SecretKeyRef.isSecretKeyRef(clientIdRef)) {
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
    for (const [index, mapping] of (sso.roles ?? []).entries()) {
      const where = `sso.roles[${index}]`;
      if (this.ssoAccounts.some((a) => a.role === mapping.role)) {
        invalid(this, where, `role '${mapping.role}' is mapped twice: list all its groups in one mapping`);
      }
      if (mapping.groups.length === 0) invalid(this, `${where}.groups`, 'is empty: name at least one IdP group');
      const groups = [...new Set(mapping.groups)].sort();
      for (const group of groups) requireGroupName(this, `${where}.groups`, group);
      const precedence = mapping.precedence ?? DEFAULT_PRECEDENCE[mapping.role];
      if (!Number.isInteger(precedence) || precedence < 0) {
        invalid(this, `${where}.precedence`, `${precedence} is not a non-negative integer`);
      }
      const tie = this.ssoAccounts.find((a) => a.precedence === precedence);
      if (tie) {
        invalid(this, `${where}.precedence`, `${precedence} is also the precedence of '${tie.role}': argo-server would pick either account for a user in both; give each role its own precedence`);
      }
      this.ssoAccounts.push({ role: mapping.role, name: `argo-sso-${mapping.role}`, groups, precedence });
    }
    return { config, secretNames };
  }

  private requireLocalSecret(property: string, ref: SecretKeyRef): void {
    SecretKeyRef._require(this, property, ref);
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
    boundRole(this, {
      roleId: 'ControllerRole',
      bindingId: 'ControllerRoleBinding',
      name: 'argo-workflow-controller',
      namespace: this.namespace,
      labels: this.labels('workflow-controller'),
      rules: installRules,
      subjects: [this._controllerSubject()],
    });
    if (this.controllerScope === WorkflowControllerScope.CLUSTER) {
      this.clusterRole('ControllerClusterRole', `argo-workflow-controller-${this.namespace}`, CONTROLLER_CLUSTER_WATCH_RULES,
        this._controllerSubject(), 'workflow-controller');
    }
  }

  /**
   * argo-server acts with the caller's token (client mode) or the matched SSO service account's
   * token (SSO RBAC). Its own account reads, in its namespace, the config, its SSO key, the OIDC
   * client and archive credentials (and, cluster-scoped, the SSO token Secrets), and runs
   * informers on workflows and workflow templates (and, with SSO, service accounts) in the
   * namespaces it serves: every namespace when cluster-scoped (a ClusterRole with list and watch
   * only), else the managed namespace (a Role there, see `_grantServerNamespaceAccess`).
   */
  private serverRbac(secretNames: string[]): void {
    const rules: k8s.PolicyRule[] = [
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] },
    ];
    if (this.authModes.includes(ArgoServerAuthMode.SSO)) {
      // creates its `sso` key Secret on first start; `create` cannot be limited by name
      rules.push({ apiGroups: [''], resources: ['secrets'], verbs: ['create'] });
    }
    if (secretNames.length > 0) {
      rules.push({ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: [...new Set(secretNames)].sort() });
    }
    boundRole(this, {
      roleId: 'ServerRole',
      bindingId: 'ServerRoleBinding',
      name: SERVER_SERVICE_ACCOUNT,
      namespace: this.namespace,
      labels: this.labels('argo-server'),
      rules,
      subjects: [this.serverSubject()],
    });
    if (this.controllerScope === WorkflowControllerScope.CLUSTER) {
      const watches: k8s.PolicyRule[] = [SERVER_INFORMER_RULE];
      if (this.authModes.includes(ArgoServerAuthMode.SSO)) {
        // SSO RBAC: argo-server caches service accounts of every namespace it serves
        watches.push({ apiGroups: [''], resources: ['serviceaccounts'], verbs: ['list', 'watch'] });
      }
      this.clusterRole('ServerClusterRole', `argo-server-${this.namespace}`, watches, this.serverSubject(), 'argo-server');
    }
  }

  private clusterRole(id: string, name: string, rules: k8s.PolicyRule[], subject: k8s.Subject, component: string): void {
    const labels = this.labels(component);
    const clusterRole = new k8s.KubeClusterRole(this, id, { metadata: { name, labels }, rules });
    const binding = new k8s.KubeClusterRoleBinding(this, `${id}Binding`, {
      metadata: { name, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRole.name },
      subjects: [subject],
    });
    applySyncWave(clusterRole, SyncWave.SERVICE_ACCOUNTS_AND_RBAC);
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

  /**
   * Default deny, then per component only what it needs: both reach DNS, the API server and the
   * archive database; argo-server also takes traffic from the ingress controller and reaches the
   * OIDC issuer and the artifact store. The controller's ingress is the metrics policy above.
   */
  private networkPolicies(options: WorkflowsNetworkPolicyOptions, props: SecureArgoWorkflowsProps): void {
    requireCidr(this, 'networkPolicies.kubernetesApiCidr', options.kubernetesApiCidr);
    const apiPort = requirePort(this, 'networkPolicies.kubernetesApiPort', options.kubernetesApiPort);
    const dnsNamespace = requireDns1123Label(this, 'networkPolicies.dnsNamespace', options.dnsNamespace ?? 'kube-system');
    const ingressNamespace = requireDns1123Label(this, 'networkPolicies.ingressControllerNamespace',
      options.ingressControllerNamespace ?? 'ingress-nginx');
    const database = this.checkedEgress('databaseEgress', options.databaseEgress, {
      feature: 'persistence', port: props.persistence?.database?.port, client: 'the controller and argo-server', target: 'the archive database',
    });
    const issuer = props.sso?.provider.issuer;
    const identityProvider = this.checkedEgress('identityProviderEgress', options.identityProviderEgress, {
      feature: 'sso', port: issuer === undefined ? undefined : urlPort(issuer), client: 'argo-server', target: `the OIDC issuer ${issuer}`,
    });
    const artifactRepository = this.checkedEgress('artifactRepositoryEgress', options.artifactRepositoryEgress);
    const excluded = new Set(options.excludeComponents ?? []);
    for (const component of excluded) {
      if (!Object.values(ArgoWorkflowsComponent).includes(component)) {
        invalid(this, 'networkPolicies.excludeComponents', `'${component}' is not a component: use ArgoWorkflowsComponent values`);
      }
    }

    const common = [dnsEgressRule(dnsNamespace), WorkflowEgress.toCidr(options.kubernetesApiCidr, [apiPort])._rule(), ...database];
    if (options.defaultDeny ?? true) {
      this.networkPolicy('DefaultDenyNetworkPolicy', 'default-deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    }
    if (!excluded.has(ArgoWorkflowsComponent.WORKFLOW_CONTROLLER)) {
      this.networkPolicy('ControllerNetworkPolicy', 'workflow-controller-egress', {
        podSelector: { matchLabels: CONTROLLER_POD_LABELS },
        policyTypes: ['Egress'],
        egress: common,
      });
    }
    if (!excluded.has(ArgoWorkflowsComponent.ARGO_SERVER)) {
      this.networkPolicy('ServerNetworkPolicy', 'argo-server', {
        podSelector: { matchLabels: SERVER_POD_LABELS },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{
          from: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: ingressNamespace } } }],
          ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(SERVER_PORT) }],
        }],
        egress: [...common, ...identityProvider, ...artifactRepository],
      });
    }
  }

  /**
   * Egress destinations; with a requirement, needed exactly when its feature is configured (port
   * set), and each destination that lists ports must include that port.
   */
  private checkedEgress(property: string, egress: WorkflowEgress[] | undefined, requirement?: EgressRequirement): k8s.NetworkPolicyEgressRule[] {
    const where = `networkPolicies.${property}`;
    const list = egress ?? [];
    if (requirement?.port === undefined) {
      if (requirement && list.length > 0) invalid(this, where, `is set but ${requirement.feature} is not configured: remove it`);
      return list.map((e) => e._rule());
    }
    const { feature, port, client, target } = requirement;
    if (list.length === 0) {
      invalid(this, where, `${feature} is configured, so ${client} must reach ${target}: give ${property}: [WorkflowEgress.toNamespace('<namespace>', [${port}])] for an in-cluster service, or [WorkflowEgress.toCidr('<cidr>', [${port}])]`);
    }
    list.forEach((e, i) => {
      if (e.ports.length > 0 && !e.ports.includes(port)) {
        invalid(this, `${where}[${i}]`, `ports ${e.ports.join(', ')} of ${e.description} do not include port ${port} of ${target}: add it`);
      }
    });
    return list.map((e) => e._rule());
  }

  private networkPolicy(id: string, name: string, spec: k8s.NetworkPolicySpec): void {
    const policy = new k8s.KubeNetworkPolicy(this, id, {
      metadata: { name, namespace: this.namespace, labels: this.labels('network-policy') },
      spec,
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

/**
 * argo-server's own informers (since 3.6 it lists workflows from a cache, and it blocks at
 * startup until its workflow template cache has synced).
 */
const SERVER_INFORMER_RULE: k8s.PolicyRule = { apiGroups: ['argoproj.io'], resources: ['workflows', 'workflowtemplates'], verbs: ['list', 'watch'] };

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

/**
 * DNS over UDP and TCP 53 to the cluster DNS pods.
 * @internal
 */
export function dnsEgressRule(dnsNamespace: string): k8s.NetworkPolicyEgressRule {
  return {
    to: [{
      namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: dnsNamespace } },
      podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
    }],
    ports: [
      { protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) },
      { protocol: 'TCP', port: k8s.IntOrString.fromNumber(53) },
    ],
  };
}

/** The TCP port a URL connects to. */
function urlPort(url: string): number {
  const parsed = new URL(url);
  return parsed.port ? Number(parsed.port) : parsed.protocol === 'http:' ? 80 : 443;
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
  const seconds = duration.toSeconds({ integral: false });
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


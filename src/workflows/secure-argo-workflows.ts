import { ApiObject, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { IArgoWorkflowsInstall } from './argo-workflows-install';
import { ArgoServerAuthMode, WorkflowControllerScope } from './enums';
import { HardenedWorkflowNamespace } from './hardened-workflow-namespace';
import { ArgoWorkflowsInstall } from './install/private/install';
import { CONTROLLER_CONFIGMAP, CONTROLLER_SERVICE_ACCOUNT, SERVER_SERVICE_ACCOUNT, workflowsLabels } from './private/constants';
import { configYaml, controllerConfig } from './private/controller-config';
import { installNetworkPolicies, metricsService } from './private/install-network';
import {
  CONTROLLER_CLUSTER_WATCH_RULES, PEOPLE_CLUSTER_TEMPLATES_READ_RULE, SERVER_CLUSTER_TEMPLATES_RULE, SERVER_INFORMER_RULE,
} from './private/rbac-tables';
import { createSsoAccounts } from './private/sso-accounts';
import { SecureArgoWorkflowsProps } from './secure-argo-workflows-props';
import { WorkflowsSsoAccount } from './sso';
import { applySyncWave, SyncWave } from '../core/sync-wave';
import { reasonProblem, recordAcceptedRisk } from '../private/accepted-risks';
import { ConfigurationError, deferredChecks, invalid } from '../private/errors';
import { otherInstallsIn, registerInstallNamespace } from '../private/install-namespaces';
import { boundRole, restrictedNamespace } from '../private/kube';
import { DEFAULT_RUN_AS_USER } from '../private/pod-security';
import { registerLibraryConstruct } from '../private/stamp';
import { dns1123LabelProblem, dns1123SubdomainProblem, INT32_MAX, integerProblem } from '../private/validate';
import { workflowNamespacesOf } from '../private/workflow-namespaces';

const BRAND = Symbol.for('cdk8s-secure-argo.SecureArgoWorkflows');

/**
 * Argo Workflows v4.1.2, the whole installation, locked down: the workflow-controller and
 * argo-server built from the vendored upstream install with their flags, pinned images and
 * restricted pods (see `ArgoWorkflowsInstallOptions`), the CRDs in a chart of their own
 * (`<chart id>-crds`), the controller ConfigMap, the RBAC each placement needs, the SSO RBAC
 * service accounts (in the managed namespace, through its `HardenedWorkflowNamespace`, when
 * namespace-scoped), argo-server's certificate, the metrics Service and the install namespace's
 * NetworkPolicies. Every upstream object is emitted hardened or left out for a documented reason.
 *
 * Workflows run in `HardenedWorkflowNamespace`s, never in the install namespace. The namespaces
 * bound to an install are found when the app is synthesized, so they may be created before or
 * after it, in any chart of the app.
 */
export class SecureArgoWorkflows extends Construct implements IArgoWorkflowsInstall {
  /** Whether `x` is a `SecureArgoWorkflows` (also from another copy of this library). */
  public static isSecureArgoWorkflows(x: any): x is SecureArgoWorkflows {
    return x !== null && typeof x === 'object' && BRAND in x;
  }

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
  /** The workflow-controller's service account (upstream's `argo`). */
  public readonly controllerServiceAccountName: string = CONTROLLER_SERVICE_ACCOUNT;
  /** argo-server's service account (upstream's `argo-server`). */
  public readonly serverServiceAccountName: string = SERVER_SERVICE_ACCOUNT;
  /** The SSO RBAC accounts, one per mapped role, in the order of `sso.roles`. */
  public readonly ssoAccounts: WorkflowsSsoAccount[];
  /** The controller ConfigMap's data, key by key (YAML strings). */
  public readonly config: { [key: string]: string };
  /** Whether Argo CD may share the install namespace (`allowArgoCdNamespace`; its reason is checked with the others). */
  private readonly argoCdNamespaceAllowed: boolean;


  public constructor(scope: Construct, id: string, props: SecureArgoWorkflowsProps = {}) {
    super(scope, id);
    registerLibraryConstruct(this, 'argo-workflows');
    Object.defineProperty(this, BRAND, { value: true });
    const checks = deferredChecks(this);
    this.namespace = props.namespace ?? 'argo';
    checks.check('namespace', dns1123LabelProblem(this.namespace));
    registerInstallNamespace(this, 'Argo Workflows', this.namespace);
    this.argoCdNamespaceAllowed = props.allowArgoCdNamespace !== undefined;
    // Each opt-in's reason, checked once here; one that passes is recorded on the controller ConfigMap below
    // (disableNetworkPolicies and networkPolicies.disableDefaultDeny on the install Namespace when this writes it).
    const acceptedRisks: [string, string][] = [];
    const optIn = (property: 'allowInlineWorkflows' | 'allowArgoCdNamespace' | 'disableNetworkPolicies', why: string) => {
      const reason = props[property]?.reason;
      if (props[property] !== undefined && checks.check(`${property}.reason`, reasonProblem(reason, why))) acceptedRisks.push([property, reason!]);
    };
    optIn('allowInlineWorkflows', 'why submitters may run workflows that reference no WorkflowTemplate');
    optIn('allowArgoCdNamespace', 'why Argo Workflows shares Argo CD\'s namespace');
    optIn('disableNetworkPolicies', 'why Argo Workflows runs without NetworkPolicies');
    const noDefaultDeny = props.networkPolicies?.disableDefaultDeny;
    if (noDefaultDeny !== undefined
      && checks.check('networkPolicies.disableDefaultDeny.reason', reasonProblem(noDefaultDeny?.reason, 'why the install namespace admits what no policy names'))) {
      acceptedRisks.push(['networkPolicies.disableDefaultDeny', noDefaultDeny.reason]);
    }
    this.controllerScope = props.controllerScope ?? WorkflowControllerScope.NAMESPACED;
    this.executorServiceAccountName = props.executorServiceAccountName ?? 'workflow-executor';
    checks.check('executorServiceAccountName', dns1123SubdomainProblem(this.executorServiceAccountName));
    this.authModes = this.resolveAuthModes(props);
    this.runAsUser = props.runAsUser ?? DEFAULT_RUN_AS_USER;
    // Kubernetes takes user IDs from 0 to 2^31-1; 0 is root, which the restricted Pod Security Standard refuses.
    const runAsUserProblem = integerProblem(this.runAsUser, 1, INT32_MAX);
    if (runAsUserProblem) {
      invalid(this, 'runAsUser', this.runAsUser === 0
        ? '0 breaks the restricted Pod Security Standard (workflow pods must not run as root): use a positive user ID' : runAsUserProblem);
    }
    const monitoringNamespace = props.monitoringNamespace ?? 'monitoring';
    checks.check('monitoringNamespace', dns1123LabelProblem(monitoringNamespace));

    if (props.createNamespace ?? true) {
      const namespace = restrictedNamespace(this, 'Namespace', this.namespace, workflowsLabels('namespace'));
      // Without policies, the namespace is what is left open; the controller ConfigMap carries it otherwise.
      for (const property of ['disableNetworkPolicies', 'networkPolicies.disableDefaultDeny']) {
        const open = acceptedRisks.findIndex(([p]) => p === property);
        if (open >= 0) recordAcceptedRisk(namespace, ...acceptedRisks.splice(open, 1)[0]);
      }
    }

    const config = controllerConfig(this, props, this);
    this.ssoAccounts = config.ssoAccounts;
    const serverSecrets = [...config.serverSecrets];
    // A cluster-scoped argo-server looks for SSO RBAC accounts in its own namespace; a
    // namespace-scoped one in its managed namespace, where HardenedWorkflowNamespace creates them.
    if (this.controllerScope === WorkflowControllerScope.CLUSTER) {
      serverSecrets.push(...createSsoAccounts(this, this.ssoAccounts, this.namespace, this.ssoAccounts.map((a) => a.role)));
    }

    this.config = {};
    for (const key of Object.keys(config.values).sort()) {
      const text = configYaml(config.values[key]);
      // scalars (parallelism: "50") stay one-line strings; maps and lists are YAML documents
      this.config[key] = typeof config.values[key] === 'object' ? text : text.trimEnd();
    }
    const configMap = new k8s.KubeConfigMap(this, 'ControllerConfig', {
      metadata: { name: CONTROLLER_CONFIGMAP, namespace: this.namespace, labels: workflowsLabels('workflow-controller') },
      data: this.config,
    });
    // the opt-outs' reasons stay with the config they weaken, for reviewers of the output
    for (const [property, reason] of acceptedRisks) recordAcceptedRisk(configMap, property, reason);
    applySyncWave(configMap, SyncWave.STORAGE_AND_SECRETS);

    new ArgoWorkflowsInstall(this, 'Install', {
      ...props.install,
      namespace: this.namespace,
      namespaced: this.controllerScope === WorkflowControllerScope.NAMESPACED,
      controllerArgs: () => this.controllerArgs,
      serverArgs: () => this.serverArgs,
      labels: workflowsLabels,
      ingressControllerNamespace: props.disableNetworkPolicies !== undefined ? undefined : props.networkPolicies?.ingressControllerNamespace ?? 'ingress-nginx',
      networkPolicies: props.disableNetworkPolicies === undefined,
      databaseCa: props.persistence?.database?.caCertificate,
    });
    this.controllerRbac(config.controllerSecrets);
    this.serverRbac(serverSecrets);
    metricsService(this, this.namespace, monitoringNamespace);
    if (props.disableNetworkPolicies !== undefined) {
      if (props.networkPolicies) invalid(this, 'disableNetworkPolicies', 'is set together with networkPolicies: choose one');
    } else {
      if (!props.networkPolicies) {
        invalid(this, 'networkPolicies', 'is required (NetworkPolicies are on by default and need the Kubernetes API address): give networkPolicies: { kubernetesApiCidr, kubernetesApiPort }, or set disableNetworkPolicies with a reason');
      }
      installNetworkPolicies(this, this.namespace, props.networkPolicies, props);
    }

    this.node.addValidation({ validate: () => this.validateNamespaces() });
  }

  /** The names of the workflow namespaces bound to this install, sorted. */
  public get managedNamespaces(): string[] {
    return this.boundNamespaces().map((ns) => ns.name).sort();
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

  /** The `HardenedWorkflowNamespace`s of the app bound to this install, in the order they were created. */
  private boundNamespaces(): HardenedWorkflowNamespace[] {
    return workflowNamespacesOf(this).filter(HardenedWorkflowNamespace.isHardenedWorkflowNamespace);
  }

  /** Problems that only the whole app shows: where workflows run. */
  private validateNamespaces(): string[] {
    const problems: string[] = [];
    const report = (property: string, problem: string) => problems.push(new ConfigurationError(this, property, problem).message);
    // argo-server may create Secrets in its namespace (its SSO key; `create` cannot be limited by
    // name), and Argo CD reads Secrets of its namespace as cluster and repository credentials.
    if (!this.argoCdNamespaceAllowed) {
      for (const argoCd of otherInstallsIn(this, 'Argo Workflows', this.namespace)) {
        report('namespace', `'${this.namespace}' is also the namespace of the Argo CD install '${argoCd.install.node.path}': argo-server may create `
          + 'Secrets there, and Argo CD reads Secrets of its namespace as cluster and repository credentials. Install Argo Workflows in a '
          + 'namespace of its own (the default is \'argo\'), or set allowArgoCdNamespace with a reason');
      }
    }
    const namespaces = this.boundNamespaces();
    const byName = new Map<string, string[]>();
    for (const ns of namespaces) byName.set(ns.name, [...byName.get(ns.name) ?? [], ns.node.path]);
    for (const [name, paths] of byName) {
      if (paths.length > 1) {
        report('namespaces', `HardenedWorkflowNamespaces ${paths.map((p) => `'${p}'`).join(' and ')} both create namespace '${name}': keep one`);
      }
    }
    if (this.controllerScope === WorkflowControllerScope.NAMESPACED) {
      if (namespaces.length === 0) {
        report('controllerScope', 'a namespace-scoped install needs one HardenedWorkflowNamespace to manage: create one with workflows: this install');
      } else if (byName.size > 1) {
        report('controllerScope', `the install is namespace-scoped, so it manages one namespace (--managed-namespace takes one), but ${[...byName.keys()].sort().map((n) => `'${n}'`).join(', ')} are bound to it: use controllerScope: WorkflowControllerScope.CLUSTER, or a second install`);
      }
    }
    return problems;
  }

  /** `--namespaced --managed-namespace <ns>` for a namespace-scoped install. */
  private placementArgs(): string[] {
    if (this.controllerScope === WorkflowControllerScope.CLUSTER) return [];
    const managed = this.boundNamespaces()[0]?.name;
    return ['--namespaced', ...managed !== undefined ? [`--managed-namespace=${managed}`] : []];
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

  private controllerRbac(secretNames: string[]): void {
    const installRules: k8s.PolicyRule[] = [
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create', 'get', 'update'] },
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] },
    ];
    if (secretNames.length > 0) {
      installRules.push({ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: [...new Set(secretNames)].sort() });
    }
    const subject = { kind: 'ServiceAccount', name: this.controllerServiceAccountName, namespace: this.namespace };
    boundRole(this, {
      roleId: 'ControllerRole',
      bindingId: 'ControllerRoleBinding',
      name: 'argo-workflow-controller',
      namespace: this.namespace,
      labels: workflowsLabels('workflow-controller'),
      rules: installRules,
      subjects: [subject],
    });
    if (this.controllerScope === WorkflowControllerScope.CLUSTER) {
      this.clusterRole('ControllerClusterRole', `argo-workflow-controller-${this.namespace}`, CONTROLLER_CLUSTER_WATCH_RULES,
        [subject], 'workflow-controller');
    }
  }

  /**
   * argo-server acts with the caller's token (client mode) or the matched SSO service account's
   * token (SSO RBAC). Its own account reads, in its namespace, the config, its SSO key, the OIDC
   * client and archive credentials (and, cluster-scoped, the SSO token Secrets), and runs
   * informers on workflows and workflow templates (and, with SSO, service accounts) in the
   * namespaces it serves: every namespace when cluster-scoped (a ClusterRole with list and watch
   * only), else the managed namespace (a Role there, created by its `HardenedWorkflowNamespace`).
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
    const subject = { kind: 'ServiceAccount', name: this.serverServiceAccountName, namespace: this.namespace };
    boundRole(this, {
      roleId: 'ServerRole',
      bindingId: 'ServerRoleBinding',
      name: SERVER_SERVICE_ACCOUNT,
      namespace: this.namespace,
      labels: workflowsLabels('argo-server'),
      rules,
      subjects: [subject],
    });
    if (this.controllerScope === WorkflowControllerScope.CLUSTER) {
      const watches: k8s.PolicyRule[] = [SERVER_INFORMER_RULE, SERVER_CLUSTER_TEMPLATES_RULE];
      if (this.authModes.includes(ArgoServerAuthMode.SSO)) {
        // SSO RBAC: argo-server caches service accounts of every namespace it serves
        watches.push({ apiGroups: [''], resources: ['serviceaccounts'], verbs: ['list', 'watch'] });
      }
      this.clusterRole('ServerClusterRole', `argo-server-${this.namespace}`, watches, [subject], 'argo-server');
      this.peopleClusterTemplatesAccess();
    }
  }

  /**
   * Cluster scope: everyone with a role in some workflow namespace (its groups, and the SSO RBAC
   * accounts) reads ClusterWorkflowTemplates, which workflows of every namespace may reference.
   * Namespace-scoped installs use none: upstream's namespace install gives no component access.
   * The groups are known once every namespace of the app exists, so the subjects are lazy.
   */
  private peopleClusterTemplatesAccess(): void {
    const name = `argo-workflows-clusterworkflowtemplates-read-${this.namespace}`;
    const labels = workflowsLabels('rbac');
    new k8s.KubeClusterRole(this, 'PeopleClusterTemplatesRole', { metadata: { name, labels }, rules: [PEOPLE_CLUSTER_TEMPLATES_READ_RULE] });
    const subjects = (): k8s.Subject[] | undefined => {
      const groups = [...new Set(this.boundNamespaces().flatMap((ns) => ns._accessGroups))].sort();
      const all: k8s.Subject[] = [
        ...groups.map((group) => ({ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: group })),
        ...this.ssoAccounts.map((a) => ({ kind: 'ServiceAccount', name: a.serviceAccountName, namespace: this.namespace })),
      ];
      return all.length > 0 ? all : undefined;
    };
    // a plain ApiObject: the generated binding class cannot carry lazy subjects
    new ApiObject(this, 'PeopleClusterTemplatesRoleBinding', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: Lazy.any({ produce: subjects }),
    });
  }

  private clusterRole(id: string, name: string, rules: k8s.PolicyRule[], subjects: k8s.Subject[], component: string): void {
    const labels = workflowsLabels(component);
    const clusterRole = new k8s.KubeClusterRole(this, id, { metadata: { name, labels }, rules });
    const binding = new k8s.KubeClusterRoleBinding(this, `${id}Binding`, {
      metadata: { name, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRole.name },
      subjects,
    });
    applySyncWave(clusterRole, SyncWave.SERVICE_ACCOUNTS_AND_RBAC);
    applySyncWave(binding, SyncWave.SERVICE_ACCOUNTS_AND_RBAC);
  }
}

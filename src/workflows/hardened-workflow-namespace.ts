import { ApiObject, Size } from 'cdk8s';
import { Cpu, k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { IArgoWorkflowsInstall } from './argo-workflows-install';
import { WorkflowEgress } from './egress';
import { ArgoServerAuthMode, WorkflowControllerScope, WorkflowsAccessRole } from './enums';
import {
  BuilderServiceAccountOptions, WorkflowNamespaceAccess, WorkflowNamespaceQuota, WorkflowPodSecurity, WorkflowRbacRule, WorkflowServiceAccountOptions,
} from './namespace-options';
import { WORKFLOW_POD_LABEL, workflowsLabels } from './private/constants';
import {
  AGENT_RULES, ARTIFACT_GC_RULES, CONTROLLER_NAMESPACE_RULES, PEOPLE_RULES, ROLES, SERVER_EVENTS_RULE, SERVER_INFORMER_RULE,
  serverArtifactRepositoriesRule, TASK_RESULTS_RULE,
} from './private/rbac-tables';
import { createSsoAccounts, requireGroupName } from './private/sso-accounts';
import { ContainerResources } from '../core/container-resources';
import { applySyncWave, SyncWave } from '../core/sync-wave';
import { reasonProblem, recordAcceptedRisk } from '../private/accepted-risks';
import { deferredChecks, invalid } from '../private/errors';
import { boundRole, dnsEgressRule, kubernetesServiceAddressProblem, networkPolicy, restrictedNamespace, serviceAccountTokenSecret } from '../private/kube';
import { resourceRequirements } from '../private/pod-security';
import { registerLibraryConstruct } from '../private/stamp';
import {
  apiGroupProblem, cidrProblem, dns1123LabelProblem, dns1123SubdomainProblem, portProblem, quantityProblem, quoted, requireDns1123Subdomain,
  requireInteger,
} from '../private/validate';
import { bindWorkflowNamespace } from '../private/workflow-namespaces';
import type { Acknowledgement } from '../secrets/acknowledgement';

/** Selects every workflow pod: the label's value is the workflow name, so `Exists`, never `""`. */
const WORKFLOW_PODS: k8s.LabelSelector = {
  matchExpressions: [{ key: WORKFLOW_POD_LABEL, operator: 'Exists' }],
};

/** Properties of {@link HardenedWorkflowNamespace}. */
export interface HardenedWorkflowNamespaceProps {
  /** The install whose controller runs this namespace's workflows. */
  readonly workflows: IArgoWorkflowsInstall;
  /** The namespace name; never the controller's namespace. */
  readonly name: string;
  /**
   * The Kubernetes API server's endpoint addresses (`kubectl get endpoints kubernetes`): policies
   * see traffic after the `kubernetes` Service is translated. The wait container reports
   * results through the API, so workflows fail without it.
   */
  readonly kubernetesApiCidr: string;
  /**
   * The API server's endpoint port: usually 6443 (kubeadm), 443 on several managed services.
   */
  readonly kubernetesApiPort: number;
  /**
   * Where artifacts are stored (S3, MinIO, GCS...).
   * @default - no artifact repository egress
   */
  readonly artifactRepository?: WorkflowEgress;
  /**
   * The ConfigMaps that hold this namespace's artifact repository configuration: argo-server may
   * read these (and no other ConfigMap) here to show artifacts. Add the names your workflows give
   * in `artifactRepositoryRef.configMap`; `[]` when the namespace has none (the controller
   * config's `artifactRepository` is used).
   * @default ['artifact-repositories'] (Argo's name when a workflow gives none)
   */
  readonly artifactRepositoryConfigMaps?: string[];
  /**
   * Further destinations workflow pods may reach.
   * @default - none
   */
  readonly egress?: WorkflowEgress[];
  /**
   * Let workflow pods of this namespace talk to each other (daemon steps, sidecar services), for
   * the reason given: a compromised step then reaches every other workflow pod here. The reason
   * is recorded on the NetworkPolicy `workflow-pods-pod-to-pod`.
   * @default - workflow pods do not reach each other
   */
  readonly allowPodToPod?: Acknowledgement;
  /**
   * Let the executor account (`executorServiceAccountName`) run the agent of HTTP and plugin
   * templates, for the reason given: a Role `workflow-agent` with `workflowtasksets` list/watch
   * and `workflowtasksets/status` patch. The agent pod runs as the workflow's
   * `serviceAccountName` with that account's token Secret, so templates with HTTP or plugin steps
   * set `serviceAccountName` to the executor account, which has both. The executor token, which
   * the init and wait containers of every workflow pod here hold, may then also set the results
   * of HTTP and plugin steps of any workflow here. Without it those steps never finish (the agent
   * cannot report results). The reason is recorded on the Role `workflow-agent`.
   * @default - no agent rights: HTTP and plugin steps never report a result
   */
  readonly allowAgent?: Acknowledgement;
  /**
   * Let the executor account (`executorServiceAccountName`) collect artifact garbage, for the
   * reason given: a Role `workflow-artifact-gc` with `workflowartifactgctasks` list/watch and
   * `workflowartifactgctasks/status` patch. The garbage collection pod runs as
   * `artifactGC.serviceAccountName`, else as the workflow's account: set one of them to the
   * executor account. Without it workflows with an `artifactGC` strategy keep their artifacts and
   * wait on the GC pods, which fail. The reason is recorded on the Role `workflow-artifact-gc`.
   * @default - no artifact garbage collection rights
   */
  readonly allowArtifactGc?: Acknowledgement;
  /**
   * The cluster DNS namespace (pods labelled `k8s-app: kube-dns` there).
   * @default 'kube-system'
   */
  readonly dnsNamespace?: string;
  /**
   * The Pod Security Standard enforced. BASELINE is an explicit opt-in: it needs `baselineReason`.
   * @default WorkflowPodSecurity.RESTRICTED
   */
  readonly podSecurity?: WorkflowPodSecurity;
  /**
   * Why the workflows here cannot run restricted; required with `WorkflowPodSecurity.BASELINE`
   * and recorded in the Namespace's `policy.cdk8s-secure-argo.io/accepted-risks` annotation.
   * @default - none
   */
  readonly baselineReason?: string;
  /**
   * ResourceQuota limits.
   * @default - see WorkflowNamespaceQuota
   */
  readonly quota?: WorkflowNamespaceQuota;
  /**
   * LimitRange defaults for containers that set no resources.
   * @default 100m/500m CPU, 128Mi/512Mi memory
   */
  readonly defaultContainerResources?: ContainerResources;
  /**
   * Which groups get which role here (Kubernetes Group subjects, for client auth mode). The
   * SSO RBAC service accounts admitted by `ssoAccess` are bound to the same Roles.
   * @default - the groups of the install's SSO RBAC mapping, for the roles `ssoAccess` admits
   */
  readonly access?: WorkflowNamespaceAccess;
  /**
   * The SSO RBAC roles admitted here: their `argo-sso-<role>` accounts are bound to this
   * namespace's Roles (and their groups are the default `access`). SSO RBAC gives each user one
   * account for every namespace (the matching rule with the highest precedence), so a user whose
   * role is not admitted gets nothing here through SSO, not a lower role. Admit fewer roles in
   * sensitive namespaces, e.g. `[WorkflowsAccessRole.ADMIN]` where CronWorkflows run with
   * powerful service accounts: a submitter can run any workflow as any account of the namespace.
   * @default - every role the install's `sso.roles` maps
   */
  readonly ssoAccess?: WorkflowsAccessRole[];
}

/** A Kubernetes resource quantity (`resource.Quantity`). */
const BRAND = Symbol.for('cdk8s-secure-argo.HardenedWorkflowNamespace');
const DEFAULT_LIMIT_RESOURCES: ContainerResources = {
  cpuRequest: Cpu.millis(100),
  cpuLimit: Cpu.millis(500),
  memoryRequest: Size.mebibytes(128),
  memoryLimit: Size.mebibytes(512),
};

/**
 * A namespace where workflows run, locked down: the restricted Pod Security Standard enforced,
 * a ResourceQuota and LimitRange, least-privilege service accounts, Roles for people bound to
 * groups and SSO RBAC, and NetworkPolicies that deny everything but DNS, the API server, the
 * artifact repository and declared destinations.
 */
export class HardenedWorkflowNamespace extends Construct {
  /** Whether `x` is a `HardenedWorkflowNamespace` (also from another copy of this library). */
  public static isHardenedWorkflowNamespace(x: any): x is HardenedWorkflowNamespace {
    return x !== null && typeof x === 'object' && BRAND in x;
  }

  /** The namespace name. */
  public readonly name: string;
  /** The install this namespace belongs to. */
  public readonly workflows: IArgoWorkflowsInstall;
  /** The Pod Security Standard enforced. */
  public readonly podSecurity: WorkflowPodSecurity;
  /** The SSO RBAC roles admitted here, sorted. */
  public readonly ssoAccess: WorkflowsAccessRole[];

  /**
   * The Kubernetes groups bound to any role here, sorted.
   * @internal
   */
  public readonly _accessGroups: string[] = [];

  private readonly serviceAccounts = new Set<string>();

  public constructor(scope: Construct, id: string, props: HardenedWorkflowNamespaceProps) {
    super(scope, id);
    registerLibraryConstruct(this, 'argo-workflows');
    Object.defineProperty(this, BRAND, { value: true });
    this.name = props.name;
    deferredChecks(this).check('name', dns1123LabelProblem(this.name));
    this.workflows = props.workflows;
    bindWorkflowNamespace(this.workflows, this);
    if (this.name === this.workflows.namespace) {
      invalid(this, 'name', `'${this.name}' is the controller's install namespace: users who can create workflows there can modify the controller; use another namespace`);
    }
    this.ssoAccess = this.admittedSsoRoles(props.ssoAccess);

    this.podSecurity = props.podSecurity ?? WorkflowPodSecurity.RESTRICTED;
    if (!Object.values(WorkflowPodSecurity).includes(this.podSecurity)) {
      invalid(this, 'podSecurity', `${quoted(this.podSecurity)} is not a level: use WorkflowPodSecurity.RESTRICTED or BASELINE`);
    }
    let baselineReasonOk = false;
    if (this.podSecurity === WorkflowPodSecurity.BASELINE) {
      baselineReasonOk = deferredChecks(this).check('baselineReason', props.baselineReason === undefined
        ? 'is required with WorkflowPodSecurity.BASELINE: say why these workflows cannot run restricted (or enforce RESTRICTED)'
        : reasonProblem(props.baselineReason, 'why these workflows cannot run restricted'));
    } else if (props.baselineReason !== undefined) {
      deferredChecks(this).check('baselineReason', 'is set, but podSecurity is RESTRICTED: remove it');
    }
    const namespace = restrictedNamespace(this, 'Namespace', this.name, workflowsLabels('workflow-namespace'),
      { 'pod-security.kubernetes.io/enforce': this.podSecurity });
    if (baselineReasonOk) recordAcceptedRisk(namespace, 'baselineReason', props.baselineReason!);
    this.limits(props);

    // The namespace's default account keeps no token: pods that do not name an account get none.
    this.serviceAccount('DefaultServiceAccount', 'default', false);
    this.controllerAccess();
    this.serverAccess(props.artifactRepositoryConfigMaps ?? ['artifact-repositories']);
    // Its token reaches only the init and wait containers, through the Secret below; pods that
    // name this account as their own get no token.
    this.addServiceAccountWithRules('Executor', this.workflows.executorServiceAccountName, [TASK_RESULTS_RULE], false);
    serviceAccountTokenSecret(this, 'ExecutorToken', this.workflows.executorServiceAccountName, this.name, workflowsLabels('executor'));
    this.executorExtras(props);
    this.peopleAccess(props.access ?? {});
    this.networkPolicies(props);
  }

  /**
   * Adds `workflow-minimal`, the least a workflow's own account needs on Argo Workflows v4. The
   * old executors needed pod get/watch/list, logs and ConfigMaps; since 3.4 the wait container
   * needs only to create and patch `workflowtaskresults`. For workflows that run with their own token instead of the
   * executor account.
   * @returns the service account name
   */
  public addMinimalServiceAccount(name: string = 'workflow-minimal'): string {
    return this.addServiceAccountWithRules('Minimal', name, [TASK_RESULTS_RULE]);
  }

  /**
   * Adds a build account: reads only the named Secrets, and manages the PersistentVolumeClaims and
   * ConfigMaps builds use for caches and outputs. Workflows using it must set
   * `automountServiceAccountToken: true`.
   * @returns the service account name
   */
  public addBuilderServiceAccount(options: BuilderServiceAccountOptions): string {
    if (options.secretNames.length === 0) {
      invalid(this, 'secretNames', 'is empty: name the Secrets builds need (reads are limited to them)');
    }
    const secretNames = [...new Set(options.secretNames)].sort();
    secretNames.forEach((s) => this.requireReadableSecret('secretNames', s));
    return this.addServiceAccountWithRules('Builder', options.name ?? 'workflow-builder', [
      TASK_RESULTS_RULE,
      { apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: secretNames },
      { apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: ['create', 'delete', 'get'] },
      { apiGroups: [''], resources: ['configmaps'], verbs: ['create', 'get', 'update'] },
    ]);
  }

  /**
   * Adds a service account with a Role of your rules (plus `workflowtaskresults` create/patch).
   * Wildcards need `allowWildcards`; reading every Secret needs `resourceNames`.
   * @returns the service account name
   */
  public addServiceAccount(name: string, options: WorkflowServiceAccountOptions): string {
    const rules = options.rules.map((rule, i) => this.checkedRule(`rules[${i}]`, rule, options.allowWildcards ?? false));
    return this.addServiceAccountWithRules(`Custom-${name}`, name, [TASK_RESULTS_RULE, ...rules]);
  }

  /** The service accounts this construct created here, sorted. */
  public get serviceAccountNames(): string[] {
    return [...this.serviceAccounts].sort();
  }

  private checkedRule(where: string, rule: WorkflowRbacRule, allowWildcards: boolean): k8s.PolicyRule {
    const apiGroups = rule.apiGroups ?? [''];
    if (rule.resources.length === 0 || rule.verbs.length === 0) {
      invalid(this, where, 'needs at least one resource and one verb');
    }
    for (const [field, values] of [['apiGroups', apiGroups], ['resources', rule.resources], ['verbs', rule.verbs]] as const) {
      if (values.includes('*') && !allowWildcards) {
        invalid(this, `${where}.${field}`, "contains '*': list what the workflow needs, or set allowWildcards: true if you really mean everything");
      }
      for (const value of values) {
        const problem = field === 'apiGroups' ? apiGroupProblem(value, allowWildcards)
          : value !== '*' && !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(\/[a-z]+)?$/.test(value) ? `${quoted(value)} is not a valid RBAC ${field.slice(0, -1)}` : undefined;
        if (problem) invalid(this, `${where}.${field}`, problem);
      }
    }
    // naming `secrets` without names is refused even with allowWildcards; `*` was opted into above
    const namesSecrets = (apiGroups.includes('') || apiGroups.includes('*')) && rule.resources.includes('secrets');
    if (namesSecrets && !rule.resourceNames?.length) {
      invalid(this, `${where}.resourceNames`, 'the rule reaches every Secret of the namespace: list the Secrets in resourceNames');
    }
    if (namesSecrets) rule.resourceNames!.forEach((name) => this.requireReadableSecret(`${where}.resourceNames`, name));
    return {
      apiGroups: [...apiGroups],
      resources: [...rule.resources],
      verbs: [...rule.verbs],
      ...(rule.resourceNames?.length ? { resourceNames: [...rule.resourceNames].sort() } : {}),
    };
  }

  /** A Secret name a workflow account may read: never another account's token (the executor's, SSO RBAC's). */
  private requireReadableSecret(property: string, name: string): void {
    requireDns1123Subdomain(this, property, name);
    if (name.endsWith('.service-account-token')) {
      invalid(this, property, `'${name}' is a service account token: reading it lets the workflow act as that account; grant the rights the workflow needs instead`);
    }
  }

  private addServiceAccountWithRules(id: string, name: string, rules: k8s.PolicyRule[], automount?: boolean): string {
    // deferred: the executor account's name comes from the install, which reports it under its own property too
    deferredChecks(this).check('serviceAccount', dns1123SubdomainProblem(name));
    if (name === 'default') invalid(this, 'serviceAccount', "'default' is kept without permissions: choose another name");
    if (name.startsWith('argo-sso-')) invalid(this, 'serviceAccount', `${quoted(name)}: the prefix 'argo-sso-' is kept for SSO RBAC accounts: choose another name`);
    this.serviceAccount(`${id}ServiceAccount`, name, automount);
    this.roleWithBinding(id, `workflow-sa-${name}`, rules, [{ kind: 'ServiceAccount', name, namespace: this.name }]);
    return name;
  }

  private serviceAccount(id: string, name: string, automount: boolean | undefined): void {
    if (this.serviceAccounts.has(name)) invalid(this, 'serviceAccount', `${quoted(name)} is added twice: add each account once`);
    this.serviceAccounts.add(name);
    const sa = new k8s.KubeServiceAccount(this, id, {
      metadata: { name, namespace: this.name, labels: this.labels('workflow-service-account') },
      ...(automount === undefined ? {} : { automountServiceAccountToken: automount }),
    });
    applySyncWave(sa, SyncWave.SERVICE_ACCOUNTS_AND_RBAC);
  }

  private roleWithBinding(id: string, name: string, rules: k8s.PolicyRule[], subjects: k8s.Subject[]): ApiObject {
    return boundRole(this, { roleId: `${id}Role`, bindingId: `${id}RoleBinding`, name, namespace: this.name, labels: this.labels('rbac'), rules, subjects });
  }

  /**
   * The opt-in Roles of the executor account: the agent (HTTP and plugin templates) and artifact
   * garbage collection run as the workflow's account, not in the wait container, so they need
   * their own rights; this account already has the token Secret the agent pod mounts.
   */
  private executorExtras(props: HardenedWorkflowNamespaceProps): void {
    const executor: k8s.Subject[] = [{ kind: 'ServiceAccount', name: this.workflows.executorServiceAccountName, namespace: this.name }];
    const extras = [
      ['allowAgent', 'Agent', 'workflow-agent', AGENT_RULES, 'why workflows here run HTTP or plugin steps'],
      ['allowArtifactGc', 'ArtifactGc', 'workflow-artifact-gc', ARTIFACT_GC_RULES, 'why workflows here delete their artifacts'],
    ] as const;
    for (const [optIn, id, name, rules, why] of extras) {
      const ack = props[optIn];
      if (ack === undefined) continue;
      const role = this.roleWithBinding(id, name, rules, executor);
      // the Role is what the opt-in adds: its reason stays on it for reviewers of the output
      if (deferredChecks(this).check(`${optIn}.reason`, reasonProblem(ack?.reason, why))) recordAcceptedRisk(role, optIn, ack.reason);
    }
  }

  /** The controller's rights here (in both placements: the cluster role only watches). */
  private controllerAccess(): void {
    this.roleWithBinding('Controller', 'argo-workflow-controller', CONTROLLER_NAMESPACE_RULES,
      [{ kind: 'ServiceAccount', name: this.workflows.controllerServiceAccountName, namespace: this.workflows.namespace }]);
  }

  /**
   * What argo-server's own account needs here: the artifact repository ConfigMaps by name and
   * events (for event-binding errors) in both placements; when namespace-scoped also its
   * informers (workflows, workflow templates) and, with SSO, the SSO RBAC service accounts of the
   * roles this namespace admits, which argo-server looks for in its managed namespace (a role left
   * out has no account, so its users are denied). A cluster-scoped argo-server watches through
   * its ClusterRole instead.
   */
  private serverAccess(artifactConfigMaps: string[]): void {
    const checks = deferredChecks(this);
    artifactConfigMaps.forEach((name, i) => checks.check(`artifactRepositoryConfigMaps[${i}]`, dns1123SubdomainProblem(name)));
    const rules: k8s.PolicyRule[] = [];
    if (this.workflows.controllerScope === WorkflowControllerScope.NAMESPACED) {
      rules.push(SERVER_INFORMER_RULE);
      if (this.workflows.authModes.includes(ArgoServerAuthMode.SSO)) {
        rules.push({ apiGroups: [''], resources: ['serviceaccounts'], verbs: ['list', 'watch'] });
        const tokens = createSsoAccounts(this, this.workflows.ssoAccounts, this.name, this.ssoAccess);
        if (tokens.length > 0) rules.push({ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: tokens.sort() });
      }
    }
    if (artifactConfigMaps.length > 0) rules.push(serverArtifactRepositoriesRule(artifactConfigMaps));
    rules.push(SERVER_EVENTS_RULE);
    boundRole(this, {
      roleId: 'ServerRole',
      bindingId: 'ServerRoleBinding',
      name: this.workflows.serverServiceAccountName,
      namespace: this.name,
      labels: workflowsLabels('argo-server'),
      rules,
      subjects: [{ kind: 'ServiceAccount', name: this.workflows.serverServiceAccountName, namespace: this.workflows.namespace }],
    });
  }

  /**
   * The SSO RBAC account of a role as an RBAC subject, if SSO maps any group to it. argo-server
   * looks for the accounts in its managed namespace (this one) when namespace-scoped, else in
   * its own namespace.
   */
  private ssoSubject(role: WorkflowsAccessRole): k8s.Subject | undefined {
    const account = this.workflows.ssoAccounts.find((a) => a.role === role);
    if (!account) return undefined;
    const namespace = this.workflows.controllerScope === WorkflowControllerScope.NAMESPACED ? this.name : this.workflows.namespace;
    return { kind: 'ServiceAccount', name: account.serviceAccountName, namespace };
  }

  private admittedSsoRoles(requested: WorkflowsAccessRole[] | undefined): WorkflowsAccessRole[] {
    const mapped = ROLES.filter((role) => this.ssoSubject(role) !== undefined);
    for (const role of requested ?? []) {
      if (!mapped.includes(role)) {
        invalid(this, 'ssoAccess', `role '${role}' is not mapped by the install's sso.roles (mapped: ${mapped.join(', ') || 'none'}): map it there or remove it here`);
      }
    }
    return requested === undefined ? mapped : ROLES.filter((role) => requested.includes(role));
  }

  private peopleAccess(access: WorkflowNamespaceAccess): void {
    const groupsFor: Record<WorkflowsAccessRole, string[] | undefined> = {
      [WorkflowsAccessRole.VIEWER]: access.viewers,
      [WorkflowsAccessRole.SUBMITTER]: access.submitters,
      [WorkflowsAccessRole.ADMIN]: access.admins,
    };
    for (const role of ROLES) {
      const admitted = this.ssoAccess.includes(role);
      const ssoGroups = this.workflows.ssoAccounts.find((a) => a.role === role)?.groups ?? [];
      const groups = [...new Set(groupsFor[role] ?? (admitted ? ssoGroups : []))].sort();
      const subjects: k8s.Subject[] = groups.map((g) => ({
        kind: 'Group',
        apiGroup: 'rbac.authorization.k8s.io',
        name: requireGroupName(this, `access.${role}s`, g),
      }));
      this._accessGroups.push(...groups.filter((g) => !this._accessGroups.includes(g)));
      if (admitted) subjects.push(this.ssoSubject(role)!);
      this.roleWithBinding(`People${role}`, `argo-workflows-${role}`, PEOPLE_RULES[role], subjects);
    }
    this._accessGroups.sort();
  }

  private limits(props: HardenedWorkflowNamespaceProps): void {
    const q = props.quota ?? {};
    const labels = workflowsLabels('workflow-namespace');
    const count = (property: string, value: number) => k8s.Quantity.fromNumber(requireInteger(this, `quota.${property}`, value, 0));
    const quantity = (property: string, value: string) => {
      deferredChecks(this).check(`quota.${property}`, quantityProblem(value));
      return k8s.Quantity.fromString(value);
    };
    const quota = new k8s.KubeResourceQuota(this, 'ResourceQuota', {
      metadata: { name: 'workflows', namespace: this.name, labels },
      spec: {
        hard: {
          'limits.cpu': quantity('cpuLimits', q.cpuLimits ?? '8'),
          'limits.memory': quantity('memoryLimits', q.memoryLimits ?? '16Gi'),
          'persistentvolumeclaims': count('persistentVolumeClaims', q.persistentVolumeClaims ?? 10),
          'pods': count('pods', q.pods ?? 100),
          'requests.cpu': quantity('cpuRequests', q.cpuRequests ?? '4'),
          'requests.memory': quantity('memoryRequests', q.memoryRequests ?? '8Gi'),
          'requests.storage': quantity('storageRequests', q.storageRequests ?? '100Gi'),
        },
      },
    });
    const r = resourceRequirements(this, 'defaultContainerResources', props.defaultContainerResources ?? DEFAULT_LIMIT_RESOURCES);
    const limitRange = new k8s.KubeLimitRange(this, 'LimitRange', {
      metadata: { name: 'workflows', namespace: this.name, labels },
      spec: {
        limits: [{
          type: 'Container',
          defaultRequest: r.requests,
          default: r.limits,
        }],
      },
    });
    applySyncWave(quota, SyncWave.SERVICE_ACCOUNTS_AND_RBAC);
    applySyncWave(limitRange, SyncWave.SERVICE_ACCOUNTS_AND_RBAC);
  }

  private networkPolicies(props: HardenedWorkflowNamespaceProps): void {
    const checks = deferredChecks(this);
    checks.check('kubernetesApiCidr', cidrProblem(props.kubernetesApiCidr) ?? kubernetesServiceAddressProblem(props.kubernetesApiCidr, [props.kubernetesApiPort]));
    const apiPort = props.kubernetesApiPort;
    checks.check('kubernetesApiPort', portProblem(apiPort));
    const dnsNamespace = props.dnsNamespace ?? 'kube-system';
    checks.check('dnsNamespace', dns1123LabelProblem(dnsNamespace));
    props.artifactRepository?._bind(this, 'artifactRepository');
    props.egress?.forEach((e, i) => e._bind(this, `egress[${i}]`));

    this.networkPolicy('DefaultDeny', 'default-deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    this.networkPolicy('Dns', 'workflow-pods-dns', {
      podSelector: WORKFLOW_PODS,
      policyTypes: ['Egress'],
      egress: [dnsEgressRule(dnsNamespace)],
    });
    this.networkPolicy('KubernetesApi', 'workflow-pods-kubernetes-api', {
      podSelector: WORKFLOW_PODS,
      policyTypes: ['Egress'],
      egress: [WorkflowEgress.toCidr(props.kubernetesApiCidr, [apiPort])._rule()],
    });
    if (props.artifactRepository) {
      this.networkPolicy('ArtifactRepository', 'workflow-pods-artifact-repository', {
        podSelector: WORKFLOW_PODS,
        policyTypes: ['Egress'],
        egress: [props.artifactRepository._rule()],
      });
    }
    if (props.egress && props.egress.length > 0) {
      this.networkPolicy('Egress', 'workflow-pods-egress', {
        podSelector: WORKFLOW_PODS,
        policyTypes: ['Egress'],
        egress: props.egress.map((e) => e._rule()),
      });
    }
    const podToPod = props.allowPodToPod;
    if (podToPod !== undefined) {
      const peers = [{ podSelector: WORKFLOW_PODS }];
      const policy = this.networkPolicy('PodToPod', 'workflow-pods-pod-to-pod', {
        podSelector: WORKFLOW_PODS,
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: peers }],
        egress: [{ to: peers }],
      });
      if (checks.check('allowPodToPod.reason', reasonProblem(podToPod?.reason, 'why workflow pods must reach each other'))) {
        recordAcceptedRisk(policy, 'allowPodToPod', podToPod.reason);
      }
    }
  }

  private networkPolicy(id: string, name: string, spec: k8s.NetworkPolicySpec): ApiObject {
    return networkPolicy(this, id, { name, namespace: this.name, labels: this.labels('network-policy'), spec });
  }

  private labels(component: string): Record<string, string> {
    return workflowsLabels(component);
  }
}

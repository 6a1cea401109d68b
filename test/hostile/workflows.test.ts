// Hostile input through the public string, number and list props of SecureArgoWorkflows,
// HardenedWorkflowNamespace, HardenedWorkflowTemplate and WorkflowEgress: each value is refused
// (construct path, property, fix) or reaches the synthesized objects meaning exactly what was
// asked, as kubectl's go-yaml (YAML 1.1), the controller's config parser (go-yaml, then
// encoding/json into Go types), Kubernetes validation, Go's net/url, strconv and time read it.
import { Chart, Duration, Size, Yaml } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import {
  expectUsefulRefusal, freshChart, goAtoi, goParseDuration, goReadsHttpsUrlAsWritten, goReadsInteger, goYamlDocuments, HostileField, hostileNumber,
  hostileText, hostileUrl, k8sNames, k8sQuantity, readAsGoYaml, RUNS, synthProblems,
} from './readers';
import { ContainerImage } from '../../src/core';
import { ACCEPTED_RISKS_ANNOTATION, parseAcceptedRisks } from '../../src/private/accepted-risks';
import { SecretKeyRef } from '../../src/secrets';
import { OidcSso } from '../../src/sso';
import {
  ArgoServerAuthMode, ArgoWorkflowsCrdSchemas, HardenedWorkflowNamespace, HardenedWorkflowNamespaceProps, HardenedWorkflowTemplate,
  HardenedWorkflowTemplateProps,
  SecureArgoWorkflows, SecureArgoWorkflowsProps, WorkflowContainerStep, WorkflowDatabase, WorkflowEgress, WorkflowPodSecurity,
  WorkflowControllerScope, WorkflowsAccessRole,
} from '../../src/workflows';
import { IArgoWorkflowsInstall } from '../../src/workflows/argo-workflows-install';

const IMAGE = ContainerImage.fromDigest('ghcr.io/example/tool', 'sha256:485170fd8a452b91169b8c91352eddb3671d94266b85b70e385b2710d60013fc');
const API = { kubernetesApiCidr: '10.96.0.1/32', kubernetesApiPort: 6443 };
const ref = (key: string) => SecretKeyRef.fromExistingSecret('argo-workflows-sso', key);
const db = (extra: object = {}) => WorkflowDatabase.postgresql({
  host: 'postgres.db.svc', database: 'argo', username: SecretKeyRef.fromExistingSecret('pg', 'u'), password: SecretKeyRef.fromExistingSecret('pg', 'p'), ...extra,
});
const sso = (extra: object = {}, mapping: object = {}): SecureArgoWorkflowsProps => ({
  sso: {
    provider: OidcSso.oidc({ issuer: 'https://idp.example.com', clientId: 'wf', clientSecret: ref('secret') }),
    clientIdRef: ref('id'),
    serverUrl: 'https://workflows.example.com',
    roles: [{ role: WorkflowsAccessRole.ADMIN, groups: ['platform'], ...mapping }],
    ...extra,
  },
});

interface Built {
  readonly workflows: SecureArgoWorkflows;
  readonly namespace: HardenedWorkflowNamespace;
}

/** What a HardenedWorkflowNamespace reads from its install, without synthesizing a whole install per value. */
class StubInstall extends Construct implements IArgoWorkflowsInstall {
  public readonly namespace = 'argo';
  public readonly controllerScope = WorkflowControllerScope.NAMESPACED;
  public readonly authModes = [ArgoServerAuthMode.CLIENT];
  public readonly executorServiceAccountName = 'workflow-executor';
  public readonly runAsUser = 65532;
  public readonly controllerServiceAccountName = 'argo';
  public readonly serverServiceAccountName = 'argo-server';
  public readonly ssoAccounts = [];
}

/** A workflow namespace of a stub install. */
function namespace(chart: Chart, ns: Partial<HardenedWorkflowNamespaceProps> = {}): HardenedWorkflowNamespace {
  return new HardenedWorkflowNamespace(chart, 'Ns', { workflows: new StubInstall(chart, 'Install'), name: 'team-a', ...API, ...ns });
}

/** An install with its one workflow namespace; `props` and `ns` replace the defaults. */
function install(chart: Chart, props: SecureArgoWorkflowsProps = {}, ns: Partial<HardenedWorkflowNamespaceProps> = {}): Built {
  const workflows = new SecureArgoWorkflows(chart, 'Workflows', {
    ...props,
    install: { crdSchemas: ArgoWorkflowsCrdSchemas.MINIMAL, ...props.install },
    networkPolicies: {
      ...API,
      ...(props.sso ? { identityProviderEgress: [WorkflowEgress.toCidr('203.0.113.0/24', [443])] } : {}),
      ...(props.persistence ? { databaseEgress: [WorkflowEgress.toNamespace('db', [props.persistence.database?.port ?? 5432])] } : {}),
      ...props.networkPolicies,
    },
  });
  return { workflows, namespace: new HardenedWorkflowNamespace(chart, 'Ns', { workflows, name: 'team-a', ...API, ...ns }) };
}

const step = (extra: Partial<WorkflowContainerStep> = {}): WorkflowContainerStep => ({ name: 'build', image: IMAGE, command: ['make'], ...extra });
const template = (chart: Chart, extra: Partial<HardenedWorkflowTemplateProps> = {}, ns: Partial<HardenedWorkflowNamespaceProps> = {}) =>
  new HardenedWorkflowTemplate(chart, 'Template', { namespace: namespace(chart, ns), name: 'build', steps: [step()], ...extra });
const templateStep = (chart: Chart, extra: Partial<WorkflowContainerStep>) => template(chart, { steps: [step(extra)] });

/** The synthesized objects and the controller config (each data value parsed as the controller parses it). */
interface Output {
  readonly docs: any[];
  readonly config: Record<string, any>;
}

const find = (o: Output, kind: string, name?: string) => o.docs.find((d) => d?.kind === kind && (name === undefined || d.metadata.name === name));
const container = (o: Output) => find(o, 'WorkflowTemplate').spec.templates[1].container;
const policy = (o: Output, name: string) => find(o, 'NetworkPolicy', name).spec;
const annotations = (o: Output, name: string) => find(o, 'ServiceAccount', name).metadata.annotations;
/** The reason an object's accepted-risks annotation gives for `optIn`, as a reviewer reads it back. */
const acceptedRisk = (obj: any, optIn: string) =>
  parseAcceptedRisks(obj?.metadata.annotations?.[ACCEPTED_RISKS_ANNOTATION]).find(([o]) => o === optIn)?.[1];

type Field<T> = HostileField<Output, T>;

const text = (f: Omit<Field<string>, 'kind'>): Field<any> => ({ kind: 'text', ...f });
const url = (f: Omit<Field<string>, 'kind'>): Field<any> => ({ kind: 'url', valid: goReadsHttpsUrlAsWritten, ...f });
const number = (f: Omit<Field<number>, 'kind'>): Field<any> => ({ kind: 'number', ...f });
const seconds = (n: number) => Duration.seconds(n);
const positive = (type: 'int32' | 'int64', min = 1) => (n: number) => goReadsInteger(n, type) && n >= min;
/** Resources with the amount under test as the request (the limit is at least as large). */
const cpu = (n: number) => ({
  cpuRequest: Cpu.millis(n),
  cpuLimit: Cpu.millis(Number.isFinite(n) && n > 500 ? n : 500),
  memoryRequest: Size.mebibytes(64),
  memoryLimit: Size.mebibytes(256),
});
const memory = (n: number) => ({
  cpuRequest: Cpu.millis(50),
  cpuLimit: Cpu.millis(500),
  memoryRequest: Size.mebibytes(n),
  memoryLimit: Size.mebibytes(Number.isFinite(n) && n > 256 ? n : 256),
});

/** The fields under test. Numbers given as Durations are seconds. */
const FIELDS: Field<any>[] = [
  // SecureArgoWorkflows
  text({ property: 'namespace', owner: 'Workflows', build: (c, v) => install(c, { namespace: v }), read: (o) => find(o, 'Deployment').metadata.namespace, valid: k8sNames.dnsLabel }),
  text({ property: 'executorServiceAccountName', owner: 'Workflows', build: (c, v) => install(c, { executorServiceAccountName: v }), read: (o) => o.config.workflowDefaults.spec.executor.serviceAccountName, valid: k8sNames.dnsSubdomain }),
  text({ property: 'monitoringNamespace', owner: 'Workflows', build: (c, v) => install(c, { monitoringNamespace: v }), valid: k8sNames.dnsLabel }),
  text({ property: 'allowInlineWorkflows.reason', owner: 'Workflows', build: (c, v) => install(c, { allowInlineWorkflows: { reason: v } }), read: (o) => find(o, 'ConfigMap', 'workflow-controller-configmap').metadata.annotations?.[ACCEPTED_RISKS_ANNOTATION]?.replace(/^allowInlineWorkflows: /, '') }),
  text({ property: 'allowArgoCdNamespace.reason', owner: 'Workflows', build: (c, v) => install(c, { allowArgoCdNamespace: { reason: v } }) }),
  url({ property: 'sso.serverUrl', owner: 'Workflows', build: (c, v) => install(c, sso({ serverUrl: v })), read: (o) => o.config.sso.redirectUrl, meaning: (v) => `${v.replace(/\/+$/, '')}/oauth2/callback` }),
  text({
    property: 'sso.roles[0].groups',
    owner: 'Workflows',
    build: (c, v) => install(c, sso({}, { groups: [v] })),
    // argo-server reads the rule as an expr-lang expression: a single-quoted literal, then ` in groups`
    read: (o) => /^'((?:[^'\\]|\\.)*)' in groups$/.exec(annotations(o, 'argo-sso-admin')['workflows.argoproj.io/rbac-rule'])?.[1].replace(/\\(.)/g, '$1'),
  }),
  number({ property: 'sso.roles[0].precedence', owner: 'Workflows', build: (c, v) => install(c, sso({}, { precedence: v })), read: (o) => goAtoi(annotations(o, 'argo-sso-admin')['workflows.argoproj.io/rbac-rule-precedence']) }),
  number({ property: 'sso.sessionExpiry', owner: 'Workflows', build: (c, v) => install(c, sso({ sessionExpiry: seconds(v) })), read: (o) => goParseDuration(o.config.sso.sessionExpiry), meaning: (v) => v * 1000 }),
  text({ property: 'persistence.database.host', owner: 'Workflows', build: (c, v) => install(c, { persistence: { database: db({ host: v }) } }), read: (o) => o.config.persistence.postgresql.host, valid: (v) => k8sNames.dnsSubdomain(v.toLowerCase()) }),
  text({ property: 'persistence.database.database', owner: 'Workflows', build: (c, v) => install(c, { persistence: { database: db({ database: v }) } }), read: (o) => o.config.persistence.postgresql.database }),
  text({ property: 'persistence.database.tableName', owner: 'Workflows', build: (c, v) => install(c, { persistence: { database: db({ tableName: v }) } }), read: (o) => o.config.persistence.postgresql.tableName }),
  number({ property: 'persistence.database.port', owner: 'Workflows', build: (c, v) => install(c, { persistence: { database: db({ port: v }) } }), read: (o) => o.config.persistence.postgresql.port, valid: (v) => positive('int32')(v) && v <= 65535 }),
  number({
    property: 'persistence.archiveTtl',
    owner: 'Workflows',
    build: (c, v) => install(c, { persistence: { database: db(), archiveTtl: seconds(v) } }),
    // Argo's TTL: '<n>d' | '<n>h' | '<n>m' | '<n>s' by strconv.Atoi, multiplied into an int64 of nanoseconds
    read: (o) => {
      const m = /^(.*)([dhms])$/.exec(o.config.persistence.archiveTTL);
      const n = m ? goAtoi(m[1]) : undefined;
      const ms = n === undefined ? undefined : n * { d: 864e5, h: 36e5, m: 6e4, s: 1e3 }[m![2] as 'd']!;
      return ms !== undefined && ms * 1e6 <= 2 ** 63 - 1 ? ms : undefined;
    },
    meaning: (v) => v * 1000,
  }),
  number({ property: 'activeDeadline', owner: 'Workflows', build: (c, v) => install(c, { activeDeadline: seconds(v) }), read: (o) => o.config.workflowDefaults.spec.activeDeadlineSeconds, valid: positive('int64') }),
  number({ property: 'ttlAfterSuccess', owner: 'Workflows', build: (c, v) => install(c, { ttlAfterSuccess: seconds(v) }), read: (o) => o.config.workflowDefaults.spec.ttlStrategy.secondsAfterSuccess, valid: positive('int32') }),
  number({ property: 'ttlAfterFailure', owner: 'Workflows', build: (c, v) => install(c, { ttlAfterFailure: seconds(v) }), read: (o) => o.config.workflowDefaults.spec.ttlStrategy.secondsAfterFailure, valid: positive('int32') }),
  // Kubernetes validates user and group IDs as 0..2147483647 (IsValidUserID); 0 is root
  number({ property: 'runAsUser', owner: 'Workflows', build: (c, v) => install(c, { runAsUser: v }), read: (o) => o.config.workflowDefaults.spec.securityContext.runAsUser, valid: positive('int32') }),
  number({ property: 'parallelism', owner: 'Workflows', build: (c, v) => install(c, { parallelism: v }), read: (o) => o.config.parallelism, valid: positive('int64') }),
  number({ property: 'namespaceParallelism', owner: 'Workflows', build: (c, v) => install(c, { namespaceParallelism: v }), read: (o) => o.config.namespaceParallelism, valid: positive('int64') }),
  number({ property: 'podCreationRateLimit', owner: 'Workflows', build: (c, v) => install(c, { podCreationRateLimit: v }), read: (o) => o.config.resourceRateLimit.limit, valid: (v) => Number.isFinite(v) && v > 0 }),
  number({ property: 'podCreationBurst', owner: 'Workflows', build: (c, v) => install(c, { podCreationBurst: v }), read: (o) => o.config.resourceRateLimit.burst, valid: positive('int64') }),
  number({ property: 'mainContainerResources.cpuRequest', owner: 'Workflows', build: (c, v) => install(c, { mainContainerResources: cpu(v) }), read: (o) => k8sQuantity(o.config.mainContainer.resources.requests.cpu), meaning: (v) => v / 1000 }),
  number({ property: 'executorResources.memoryRequest', owner: 'Workflows', build: (c, v) => install(c, { executorResources: memory(v) }), read: (o) => k8sQuantity(o.config.executor.resources.requests.memory), meaning: (v) => v * 2 ** 20 }),
  text({ property: 'networkPolicies.kubernetesApiCidr', owner: 'Workflows', build: (c, v) => install(c, { networkPolicies: { ...API, kubernetesApiCidr: v } }) }),
  number({ property: 'networkPolicies.kubernetesApiPort', owner: 'Workflows', build: (c, v) => install(c, { networkPolicies: { ...API, kubernetesApiPort: v } }), valid: (v) => positive('int32')(v) && v <= 65535 }),
  text({ property: 'networkPolicies.dnsNamespace', owner: 'Workflows', build: (c, v) => install(c, { networkPolicies: { ...API, dnsNamespace: v } }), valid: k8sNames.dnsLabel }),
  text({ property: 'networkPolicies.ingressControllerNamespace', owner: 'Workflows', build: (c, v) => install(c, { networkPolicies: { ...API, ingressControllerNamespace: v } }), valid: k8sNames.dnsLabel }),
  text({ property: 'networkPolicies.artifactRepositoryEgress[0].namespace', owner: 'Workflows', build: (c, v) => install(c, { networkPolicies: { ...API, artifactRepositoryEgress: [WorkflowEgress.toNamespace(v)] } }), valid: k8sNames.dnsLabel }),
  text({ property: 'networkPolicies.artifactRepositoryEgress[0].cidr', owner: 'Workflows', build: (c, v) => install(c, { networkPolicies: { ...API, artifactRepositoryEgress: [WorkflowEgress.toCidr(v, [443])] } }) }),
  number({ property: 'networkPolicies.artifactRepositoryEgress[0].ports', owner: 'Workflows', build: (c, v) => install(c, { networkPolicies: { ...API, artifactRepositoryEgress: [WorkflowEgress.toCidr('10.1.0.0/16', [v])] } }), valid: (v) => positive('int32')(v) && v <= 65535 }),
  text({ property: 'install.ingress.host', owner: 'Workflows', build: (c, v) => install(c, { install: { ingress: { host: v } } }), read: (o) => find(o, 'Ingress').spec.rules[0].host, valid: k8sNames.dnsSubdomain }),
  text({ property: 'additionalConfig.links', owner: 'Workflows', build: (c, v) => install(c, { additionalConfig: { links: [{ name: v, scope: 'workflow', url: 'https://logs.example.com' }] } }), read: (o) => o.config.links[0].name }),

  // HardenedWorkflowNamespace
  text({ property: 'name', owner: 'Ns', build: (c, v) => namespace(c, { name: v }), read: (o) => o.docs.filter((d) => d.kind === 'Namespace').map((d) => d.metadata.name).find((n) => n !== 'argo'), valid: k8sNames.dnsLabel }),
  text({ property: 'kubernetesApiCidr', owner: 'Ns', build: (c, v) => namespace(c, { kubernetesApiCidr: v }), read: (o) => policy(o, 'workflow-pods-kubernetes-api').egress[0].to[0].ipBlock.cidr }),
  number({ property: 'kubernetesApiPort', owner: 'Ns', build: (c, v) => namespace(c, { kubernetesApiPort: v }), read: (o) => policy(o, 'workflow-pods-kubernetes-api').egress[0].ports[0].port, valid: (v) => positive('int32')(v) && v <= 65535 }),
  text({ property: 'dnsNamespace', owner: 'Ns', build: (c, v) => namespace(c, { dnsNamespace: v }), valid: k8sNames.dnsLabel }),
  text({ property: 'artifactRepository.namespace', owner: 'Ns', build: (c, v) => namespace(c, { artifactRepository: WorkflowEgress.toNamespace(v, [9000]) }), valid: k8sNames.dnsLabel }),
  text({ property: 'egress[0].cidr', owner: 'Ns', build: (c, v) => namespace(c, { egress: [WorkflowEgress.toCidr(v, [443])] }), read: (o) => policy(o, 'workflow-pods-egress').egress[0].to[0].ipBlock.cidr }),
  number({ property: 'egress[0].ports', owner: 'Ns', build: (c, v) => namespace(c, { egress: [WorkflowEgress.toNamespace('cache', [v])] }), read: (o) => policy(o, 'workflow-pods-egress').egress[0].ports[0].port, valid: (v) => positive('int32')(v) && v <= 65535 }),
  text({ property: 'artifactRepositoryConfigMaps[0]', owner: 'Ns', build: (c, v) => namespace(c, { artifactRepositoryConfigMaps: [v] }), valid: k8sNames.dnsSubdomain }),
  text({ property: 'quota.cpuRequests', owner: 'Ns', build: (c, v) => namespace(c, { quota: { cpuRequests: v } }), read: (o) => k8sQuantity(find(o, 'ResourceQuota').spec.hard['requests.cpu']), meaning: k8sQuantity }),
  text({ property: 'quota.memoryLimits', owner: 'Ns', build: (c, v) => namespace(c, { quota: { memoryLimits: v } }), read: (o) => k8sQuantity(find(o, 'ResourceQuota').spec.hard['limits.memory']), meaning: k8sQuantity }),
  number({ property: 'quota.pods', owner: 'Ns', build: (c, v) => namespace(c, { quota: { pods: v } }), read: (o) => k8sQuantity(find(o, 'ResourceQuota').spec.hard.pods), valid: (v) => Number.isSafeInteger(v) && v >= 0 }),
  number({ property: 'defaultContainerResources.cpuRequest', owner: 'Ns', build: (c, v) => namespace(c, { defaultContainerResources: cpu(v) }), read: (o) => k8sQuantity(find(o, 'LimitRange').spec.limits[0].defaultRequest.cpu), meaning: (v) => v / 1000 }),
  text({ property: 'allowPodToPod.reason', owner: 'Ns', build: (c, v) => namespace(c, { allowPodToPod: { reason: v } }), read: (o) => acceptedRisk(find(o, 'NetworkPolicy', 'workflow-pods-pod-to-pod'), 'allowPodToPod') }),
  text({ property: 'allowAgent.reason', owner: 'Ns', build: (c, v) => namespace(c, { allowAgent: { reason: v } }), read: (o) => acceptedRisk(find(o, 'Role', 'workflow-agent'), 'allowAgent') }),
  text({ property: 'allowArtifactGc.reason', owner: 'Ns', build: (c, v) => namespace(c, { allowArtifactGc: { reason: v } }), read: (o) => acceptedRisk(find(o, 'Role', 'workflow-artifact-gc'), 'allowArtifactGc') }),
  text({
    property: 'baselineReason',
    owner: 'Ns',
    build: (c, v) => namespace(c, { podSecurity: WorkflowPodSecurity.BASELINE, baselineReason: v }),
    read: (o) => acceptedRisk(o.docs.find((d) => d.kind === 'Namespace' && d.metadata.name === 'team-a'), 'baselineReason'),
  }),
  text({ property: 'access.viewers', owner: 'Ns', build: (c, v) => namespace(c, { access: { viewers: [v] } }), read: (o) => find(o, 'RoleBinding', 'argo-workflows-viewer').subjects[0].name }),

  // HardenedWorkflowTemplate
  text({ property: 'name', owner: 'Template', build: (c, v) => template(c, { name: v }), read: (o) => find(o, 'WorkflowTemplate').metadata.name, valid: k8sNames.dnsSubdomain }),
  text({ property: 'steps[0].name', owner: 'Template', build: (c, v) => templateStep(c, { name: v }), read: (o) => find(o, 'WorkflowTemplate').spec.templates[1].name, valid: k8sNames.dnsLabel }),
  text({ property: 'steps[0].command', owner: 'Template', build: (c, v) => templateStep(c, { command: ['make', v] }), read: (o) => container(o).command[1] }),
  text({ property: 'steps[0].args', owner: 'Template', build: (c, v) => templateStep(c, { args: [v] }), read: (o) => container(o).args[0] }),
  text({ property: 'steps[0].env', owner: 'Template', build: (c, v) => templateStep(c, { env: { MODE: v } }), read: (o) => container(o).env[0].value }),
  text({ property: 'steps[0].env', owner: 'Template', build: (c, v) => templateStep(c, { env: { [v]: 'x' } }), read: (o) => container(o).env[0].name, valid: (v) => /^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(v) }),
  text({ property: 'steps[0].image', owner: 'Template', build: (c, v) => templateStep(c, { image: ContainerImage.fromReference(v) }), read: (o) => container(o).image }),
  text({
    property: 'steps[0].securityContext.allowWritableRootFilesystem.reason',
    owner: 'Template',
    build: (c, v) => templateStep(c, { securityContext: { allowWritableRootFilesystem: { reason: v } } }),
    read: (o) => acceptedRisk(find(o, 'WorkflowTemplate'), 'steps[0].securityContext.allowWritableRootFilesystem'),
  }),
  text({
    property: 'steps[0].securityContext.allowRunAsRoot.reason',
    owner: 'Template',
    build: (c, v) => template(c, { steps: [step({ securityContext: { allowRunAsRoot: { reason: v } } })] }, { podSecurity: WorkflowPodSecurity.BASELINE, baselineReason: 'legacy build tools' }),
    read: (o) => acceptedRisk(find(o, 'WorkflowTemplate'), 'steps[0].securityContext.allowRunAsRoot'),
  }),
  number({ property: 'steps[0].securityContext', owner: 'Template', build: (c, v) => templateStep(c, { securityContext: { runAsUser: v } }), read: (o) => container(o).securityContext.runAsUser, valid: positive('int32') }),
  number({ property: 'steps[0].securityContext', owner: 'Template', build: (c, v) => templateStep(c, { securityContext: { runAsGroup: v } }), read: (o) => container(o).securityContext.runAsGroup, valid: positive('int32', 0) }),
  number({ property: 'steps[0].resources.memoryRequest', owner: 'Template', build: (c, v) => templateStep(c, { resources: memory(v) }), read: (o) => k8sQuantity(container(o).resources.requests.memory), meaning: (v) => v * 2 ** 20 }),
  text({ property: 'parameters[0].name', owner: 'Template', build: (c, v) => template(c, { parameters: [{ name: v }] }), read: (o) => find(o, 'WorkflowTemplate').spec.arguments.parameters[0].name }),
  text({ property: 'parameters[0].defaultValue', owner: 'Template', build: (c, v) => template(c, { parameters: [{ name: 'p', defaultValue: v }] }), read: (o) => find(o, 'WorkflowTemplate').spec.arguments.parameters[0].value }),
  text({ property: 'parameters[0].allowedValues', owner: 'Template', build: (c, v) => template(c, { parameters: [{ name: 'p', allowedValues: [v] }] }), read: (o) => find(o, 'WorkflowTemplate').spec.arguments.parameters[0].enum[0] }),
  text({ property: 'parameters[0].description', owner: 'Template', build: (c, v) => template(c, { parameters: [{ name: 'p', description: v }] }), read: (o) => find(o, 'WorkflowTemplate').spec.arguments.parameters[0].description }),
  text({ property: 'serviceAccountName', owner: 'Template', build: (c, v) => template(c, { serviceAccountName: v }), valid: k8sNames.dnsSubdomain }),
  number({ property: 'activeDeadline', owner: 'Template', build: (c, v) => template(c, { activeDeadline: seconds(v) }), read: (o) => find(o, 'WorkflowTemplate').spec.activeDeadlineSeconds, valid: positive('int64') }),
];

/** Refused with a useful message, or read by its readers exactly as given. */
function refusedOrExact(field: Field<any>, value: any): void {
  const chart = freshChart();
  let yaml = '';
  const problems = synthProblems(chart.node.scope as any, () => {
    field.build(chart, value);
    yaml = synthChart(chart);
  });
  // cdk8s's Duration and Size factories throw at the caller's line for negative amounts
  if (problems.length === 1 && /amounts cannot be negative/.test(problems[0])) return;
  if (problems.length > 0) {
    expectUsefulRefusal(problems, `test/${field.owner}`, field.property);
    return;
  }
  if (field.valid) expect([value, field.valid(value)]).toEqual([value, true]);
  if (field.kind === 'url') expect(goReadsHttpsUrlAsWritten(value)).toBe(true);
  const docs = goYamlDocuments(yaml);
  if (docs === undefined) throw new Error(`go-yaml refuses the output written for ${JSON.stringify(value)}:\n${yaml}`);
  const data = docs.find((d) => d?.kind === 'ConfigMap' && d.metadata.name === 'workflow-controller-configmap')?.data ?? {};
  const config: Record<string, any> = {};
  for (const [key, raw] of Object.entries<string>(data)) {
    config[key] = readAsGoYaml(raw);
    if (config[key] === undefined) throw new Error(`the controller refuses config key ${key} written for ${JSON.stringify(value)}:\n${raw}`);
  }
  if (field.read) expect(field.read({ docs, config })).toEqual(field.meaning ? field.meaning(value) : value);
}

/**
 * The YAML of the test chart, after the whole app's validations (as `cdk8s synth` runs them): the
 * CRD chart of an install is the same for every value and left out, to stay within the time budget.
 */
function synthChart(chart: Chart): string {
  const errors = chart.node.root.node.findAll().flatMap((c) => c.node.validate().map((e) => `[${c.node.path}] ${e}`));
  if (errors.length > 0) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
  return Yaml.stringify(...chart.toJson());
}

/** Hostile values every run includes, besides the random ones. */
const EXAMPLES: Record<Field<unknown>['kind'], any[]> = {
  number: [NaN, Infinity, 1e21, -1, 0.5, 2 ** 31, 2 ** 53],
  text: ['a\u2028  b: c', '\u0085x', 'on', '017', '0o17', 'x'.repeat(300)],
  url: ['https://example.com\n', 'https://example.com:99999', 'https://\uff45xample.com'],
};

describe.each(FIELDS.map((f, i) => [`${f.owner}.${f.property} (${i})`, f] as const))('%s: hostile values are refused or land exactly', (_name, field) => {
  test('property', () => {
    const values: fc.Arbitrary<any> = field.kind === 'number' ? hostileNumber : field.kind === 'url' ? hostileUrl : hostileText;
    // A whole install per value is slow: fewer random runs where one is built.
    const numRuns = field.owner === 'Workflows' ? 4 : 12;
    fc.assert(fc.property(values, (v) => refusedOrExact(field, v)), { ...RUNS, numRuns, examples: EXAMPLES[field.kind].map((v) => [v]) });
  });
});

const field = (owner: string, property: string, index = 0) => FIELDS.filter((f) => f.owner === owner && f.property === property)[index];

describe('known hostile strings, each refused or exact', () => {
  test.each([
    ['Workflows', 'sso.roles[0].groups', 'admins\u2028  - system:masters'],
    ['Workflows', 'persistence.database.host', 'on'],
    ['Workflows', 'persistence.database.host', '017'],
    ['Workflows', 'persistence.database.database', '0o17'],
    ['Workflows', 'allowInlineWorkflows.reason', 'legacy\u0085'],
    ['Ns', 'quota.cpuRequests', '017'],
    ['Ns', 'quota.cpuRequests', '1_000'],
    ['Ns', 'access.viewers', '\u0085team'],
    ['Template', 'steps[0].args', 'yes'],
    ['Template', 'steps[0].env', '0o17'],
    ['Template', 'parameters[0].description', 'line\u2028  value: injected'],
    ['Template', 'parameters[0].defaultValue', '\u009b31m'],
  ])('%s %s = %j', (owner, property, value) => refusedOrExact(field(owner, property), value));
});

test('SSO groups with spaces, colons and non-ASCII letters are accepted, with the archive and SSO RBAC', () => {
  const chart = freshChart();
  const groups = ['Platform Admins', 'my-org:Team Alpha', '\u00e9quipe-ops'];
  expect(synthProblems(chart.node.scope as any, () => {
    const props = { ...sso({}, { groups }), authModes: [ArgoServerAuthMode.SSO], persistence: { database: db() } };
    install(chart, props, { podSecurity: WorkflowPodSecurity.RESTRICTED });
    synthChart(chart);
  })).toEqual([]);
});

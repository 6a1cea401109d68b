// Every opt-in that weakens a secure default leaves its reason on the object it weakens, in one
// annotation (`<opt-in>: <reason>` lines, sorted), and the posture report lists them all.
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import {
  ApplicationNamespace, ApplicationPodSecurity, ArgoCdAction, ArgoCdExposure, ArgoCdResource, ArgoCdRole, ArgoCdServerExposure, ContainerImage,
  DexConnector, ExternalDataFrom, HardenedWorkflowNamespace, HardenedWorkflowTemplate, OidcSso, PostureReport, ProjectWithRoles, ResourceKind,
  SealedOrExternalSecret, SealedValue, SealingCertificate, SealingScope, SecretKeyRef, SecretSource, SecretStoreRef, SecureArgoCD,
  SecureArgoWorkflows, WorkflowPodSecurity,
} from '../../src';
import { IN_CLUSTER_SERVER } from '../../src/argocd/private/names';
import { ACCEPTED_RISKS_ANNOTATION, parseAcceptedRisks } from '../../src/private/accepted-risks';
import { expectSynthErrors } from '../support/errors';
import { findObject, Manifest, synthApp } from '../support/synth';
import { expectValid } from '../support/validate';

const GATEWAY = { name: 'public', namespace: 'gateway', sectionName: 'https' };
const WORKFLOWS_NETWORK = { kubernetesApiCidr: '10.0.0.1/32', kubernetesApiPort: 6443 };
const NETWORK = { kubernetesApi: { cidrs: ['10.0.0.1/32'], ports: [6443] } };
const IMAGE = ContainerImage.fromDigest('docker.io/library/alpine', 'sha256:daf95eed18ae640ea0a3151b1ecbe68dfaf22bf4f2c07449e4ed7c83fa2a1e4e', '3.20');
const CERT = SealingCertificate.fromFile(path.join(__dirname, '..', 'fixtures', 'sealing', 'test-only-sealing-cert.pem'));

/** A syntactically valid sealed value (2048-bit RSA block), as kubeseal would print. */
function preSealed(): SealedValue {
  const header = Buffer.alloc(2);
  header.writeUInt16BE(256);
  return SealedValue.preSealed(Buffer.concat([header, Buffer.alloc(256 + 32, 7)]).toString('base64'));
}

/** A platform with every opt-in that takes a reason, each given `reason(optIn)`. */
function platform(reason: (optIn: string) => string): App {
  const app = new App();
  const chart = new Chart(app, 'platform');
  new SecureArgoCD(chart, 'ArgoCD', {
    enableLocalAdmin: true,
    enableExec: { reason: reason('exec') },
    allowNoInteractiveLogin: { reason: reason('noInteractiveLogin') },
    networkPolicies: { ...NETWORK, allowAnyRepositoryHost: { reason: reason('anyRepositoryHost') } },
    url: 'https://argocd.example.com',
    sso: OidcSso.dex({
      connectors: [DexConnector.microsoft({
        clientId: 'argocd',
        clientSecret: SecretKeyRef.fromExistingSecret('argocd-secret', 'dex.microsoft.clientSecret'),
        tenant: 'organizations',
        allowAnyTenant: { reason: reason('anyTenant') },
        groups: ['argocd-users'],
      })],
    }),
    install: { clusterWide: { reason: reason('clusterWide') } },
    rbac: {
      defaultRole: ArgoCdRole.developer(),
      allowWritableDefaultRole: { reason: reason('writableDefaultRole') },
      roles: [ArgoCdRole.custom('break-glass', {
        policies: [{ resource: ArgoCdResource.CLUSTERS, action: ArgoCdAction.ALL, object: '*' }],
        allowGlobalAdmin: { reason: reason('globalAdmin') },
      })],
    },
    settings: {
      argoCdCm: { 'kustomize.buildOptions': '--enable-helm' },
      cmdParams: { 'server.insecure': 'true' },
      weakeningReasons: { 'kustomize.buildOptions': reason('buildOptions'), 'server.insecure': reason('insecure') },
    },
  });
  new ProjectWithRoles(chart, 'Project', {
    name: 'platform',
    sourceRepos: ['https://github.com/myorg/*'],
    destinations: [{ server: IN_CLUSTER_SERVER, namespace: 'argocd' }],
    clusterResourceWhitelist: [ResourceKind.CLUSTER_ROLE],
    allowArgoCdNamespaceDestination: { reason: reason('argoCdNamespaceDestination') },
    allowRbacResources: { reason: reason('rbacResources') },
    allowAnySourceRepo: { reason: reason('anySourceRepo') },
    allowAnyDestination: { reason: reason('anyDestination') },
    allowAllClusterResources: { reason: reason('allClusterResources') },
    // Argo Workflows shares the namespace here, so the destination reaches an install namespace too.
    allowSystemNamespaceDestination: { reason: reason('systemNamespaceDestination') },
  });
  new ArgoCdServerExposure(chart, 'Exposure', {
    namespace: 'argocd',
    exposure: ArgoCdExposure.gatewayRoute({ host: '*.example.com', gateway: GATEWAY, allowWildcardHost: { reason: reason('argoCdWildcardHost') } }),
  });
  new SealedOrExternalSecret(chart, 'Weak', {
    namespace: 'apps',
    name: 'weak',
    source: SecretSource.sealed({ values: { pin: preSealed() }, certificate: CERT, acknowledgeLowEntropy: { reason: reason('lowEntropy') } }),
  });
  new SealedOrExternalSecret(chart, 'Shared', {
    namespace: 'apps',
    name: 'shared',
    source: SecretSource.sealed({ values: { token: preSealed() }, scope: SealingScope.CLUSTER_WIDE, allowClusterWide: { reason: reason('clusterWideSealing') } }),
  });
  new SealedOrExternalSecret(chart, 'Everything', {
    namespace: 'apps',
    name: 'everything',
    source: SecretSource.external({
      store: SecretStoreRef.existingCluster('vault'),
      dataFrom: [ExternalDataFrom.find({ nameRegexp: '.*', allowMatchEverything: { reason: reason('matchEverything') } })],
    }),
  });
  new ApplicationNamespace(chart, 'Legacy', { name: 'legacy', podSecurity: ApplicationPodSecurity.BASELINE, baselineReason: reason('baseline') });
  const workflowsChart = new Chart(app, 'workflows');
  const workflows = new SecureArgoWorkflows(workflowsChart, 'Workflows', {
    namespace: 'argocd',
    allowArgoCdNamespace: { reason: reason('argoCdNamespace') },
    allowInlineWorkflows: { reason: reason('inlineWorkflows') },
    networkPolicies: { kubernetesApiCidr: '10.0.0.1/32', kubernetesApiPort: 6443 },
    install: { gateway: { host: '*.workflows.example.com', gateway: GATEWAY, allowWildcardHost: { reason: reason('workflowsWildcardHost') } } },
  });
  const ci = new HardenedWorkflowNamespace(workflowsChart, 'Ci', {
    workflows,
    name: 'ci',
    kubernetesApiCidr: '10.0.0.1/32',
    kubernetesApiPort: 6443,
    podSecurity: WorkflowPodSecurity.BASELINE,
    baselineReason: reason('workflowsBaseline'),
    allowPodToPod: { reason: reason('podToPod') },
    allowAgent: { reason: reason('agent') },
    allowArtifactGc: { reason: reason('artifactGc') },
  });
  new HardenedWorkflowTemplate(workflowsChart, 'Sudo', {
    namespace: ci,
    name: 'sudo',
    steps: [{
      name: 'build',
      image: IMAGE,
      securityContext: {
        runAsUser: 0,
        allowRunAsRoot: { reason: reason('runAsRoot') },
        allowPrivilegeEscalation: { reason: reason('privilegeEscalation') },
        allowWritableRootFilesystem: { reason: reason('writableRootFilesystem') },
      },
    }],
  });
  return app;
}

function risks(manifests: Manifest[], kind: string, name: string): string | undefined {
  return findObject(manifests, kind, name).metadata.annotations?.[ACCEPTED_RISKS_ANNOTATION];
}

describe('accepted risks', () => {
  const app = platform((optIn) => `we accept ${optIn}: see ADR-7`);
  const charts = synthApp(app);
  const all = Object.values(charts).flat();

  test('each reason is on the object its opt-in weakens, one sorted line per opt-in', () => {
    expectValid(all);
    expect(risks(all, 'ConfigMap', 'argocd-cm')).toBe([
      'allowNoInteractiveLogin: we accept noInteractiveLogin: see ADR-7',
      'enableExec: we accept exec: see ADR-7',
      "settings.weakeningReasons['kustomize.buildOptions']: we accept buildOptions: see ADR-7",
      'sso.connectors[0].allowAnyTenant: we accept anyTenant: see ADR-7',
    ].join('\n'));
    expect(risks(all, 'SealedSecret', 'weak')).toBe('source.acknowledgeLowEntropy: we accept lowEntropy: see ADR-7');
    expect(risks(all, 'SealedSecret', 'shared')).toBe('source.allowClusterWide: we accept clusterWideSealing: see ADR-7');
    expect(risks(all, 'ExternalSecret', 'everything')).toBe('source.dataFrom[0].allowMatchEverything: we accept matchEverything: see ADR-7');
    expect(risks(all, 'ConfigMap', 'argocd-cmd-params-cm')).toBe("settings.weakeningReasons['server.insecure']: we accept insecure: see ADR-7");
    expect(risks(all, 'ConfigMap', 'argocd-rbac-cm')).toBe([
      'rbac.allowWritableDefaultRole: we accept writableDefaultRole: see ADR-7',
      'rbac.roles[0].allowGlobalAdmin: we accept globalAdmin: see ADR-7',
    ].join('\n'));
    for (const role of ['argocd-application-controller-managed-resources', 'argocd-server-managed-resources']) {
      expect(risks(all, 'ClusterRole', role)).toBe('install.clusterWide: we accept clusterWide: see ADR-7');
    }
    expect(risks(all, 'AppProject', 'platform')).toBe([
      'allowAllClusterResources: we accept allClusterResources: see ADR-7',
      'allowAnyDestination: we accept anyDestination: see ADR-7',
      'allowAnySourceRepo: we accept anySourceRepo: see ADR-7',
      'allowArgoCdNamespaceDestination: we accept argoCdNamespaceDestination: see ADR-7',
      'allowRbacResources: we accept rbacResources: see ADR-7',
      'allowSystemNamespaceDestination: we accept systemNamespaceDestination: see ADR-7',
    ].join('\n'));
    expect(risks(all, 'Namespace', 'legacy')).toBe('baselineReason: we accept baseline: see ADR-7');
    expect(risks(all, 'Namespace', 'ci')).toBe('baselineReason: we accept workflowsBaseline: see ADR-7');
    expect(risks(all, 'NetworkPolicy', 'argocd-repo-server-network-policy')).toBe('allowAnyRepositoryHost: we accept anyRepositoryHost: see ADR-7');
    expect(risks(all, 'ConfigMap', 'workflow-controller-configmap')).toBe([
      'allowArgoCdNamespace: we accept argoCdNamespace: see ADR-7',
      'allowInlineWorkflows: we accept inlineWorkflows: see ADR-7',
    ].join('\n'));
    expect(risks(all, 'WorkflowTemplate', 'sudo')).toBe([
      'steps[0].securityContext.allowPrivilegeEscalation: we accept privilegeEscalation: see ADR-7',
      'steps[0].securityContext.allowRunAsRoot: we accept runAsRoot: see ADR-7',
      'steps[0].securityContext.allowWritableRootFilesystem: we accept writableRootFilesystem: see ADR-7',
    ].join('\n'));
    expect(risks(all, 'HTTPRoute', 'argocd-server')).toBe('exposure.allowWildcardHost: we accept argoCdWildcardHost: see ADR-7');
    expect(risks(all, 'HTTPRoute', 'argo-server')).toBe('install.gateway.allowWildcardHost: we accept workflowsWildcardHost: see ADR-7');
    expect(risks(all, 'NetworkPolicy', 'workflow-pods-pod-to-pod')).toBe('allowPodToPod: we accept podToPod: see ADR-7');
    expect(risks(all, 'Role', 'workflow-agent')).toBe('allowAgent: we accept agent: see ADR-7');
    expect(risks(all, 'Role', 'workflow-artifact-gc')).toBe('allowArtifactGc: we accept artifactGc: see ADR-7');
    // nothing else carries the annotation
    expect(all.filter((m) => m.metadata.annotations?.[ACCEPTED_RISKS_ANNOTATION] !== undefined)).toHaveLength(19);
  });

  test('the annotation reads back as written (reasons may contain ": ")', () => {
    expect(parseAcceptedRisks(risks(all, 'AppProject', 'platform'))).toEqual([
      ['allowAllClusterResources', 'we accept allClusterResources: see ADR-7'],
      ['allowAnyDestination', 'we accept anyDestination: see ADR-7'],
      ['allowAnySourceRepo', 'we accept anySourceRepo: see ADR-7'],
      ['allowArgoCdNamespaceDestination', 'we accept argoCdNamespaceDestination: see ADR-7'],
      ['allowRbacResources', 'we accept rbacResources: see ADR-7'],
      ['allowSystemNamespaceDestination', 'we accept systemNamespaceDestination: see ADR-7'],
    ]);
  });

  test('the posture report lists every accepted risk with its object', () => {
    const report = PostureReport.fromManifests(all).render();
    const section = report.slice(report.indexOf('## Accepted risks'), report.indexOf('## Policy findings'));
    expect(section).toContain("| ConfigMap argocd/argocd-cmd-params-cm | settings.weakeningReasons['server.insecure'] | we accept insecure: see ADR-7 |");
    expect(section).toContain('| ClusterRole argocd-server-managed-resources | install.clusterWide | we accept clusterWide: see ADR-7 |');
    expect(section).toContain('| Namespace legacy | baselineReason | we accept baseline: see ADR-7 |');
    expect(section).toContain('| Namespace ci | baselineReason | we accept workflowsBaseline: see ADR-7 |');
    expect(section).toContain('| ExternalSecret apps/everything | source.dataFrom[0].allowMatchEverything | we accept matchEverything: see ADR-7 |');
    expect(section).toContain(
      '| WorkflowTemplate ci/sudo | steps[0].securityContext.allowPrivilegeEscalation | we accept privilegeEscalation: see ADR-7 |',
    );
    expect(section).toContain('| WorkflowTemplate ci/sudo | steps[0].securityContext.allowRunAsRoot | we accept runAsRoot: see ADR-7 |');
    expect(section).toContain(
      '| WorkflowTemplate ci/sudo | steps[0].securityContext.allowWritableRootFilesystem | we accept writableRootFilesystem: see ADR-7 |',
    );
    expect(section).toContain('| HTTPRoute argocd/argo-server | install.gateway.allowWildcardHost | we accept workflowsWildcardHost: see ADR-7 |');
    expect(section).toContain('| NetworkPolicy ci/workflow-pods-pod-to-pod | allowPodToPod | we accept podToPod: see ADR-7 |');
    expect(section).toContain('| SealedSecret apps/shared | source.allowClusterWide | we accept clusterWideSealing: see ADR-7 |');
    expect(section).toContain('| Role ci/workflow-agent | allowAgent | we accept agent: see ADR-7 |');
    expect(section).toContain('| Role ci/workflow-artifact-gc | allowArtifactGc | we accept artifactGc: see ADR-7 |');
    expect(section.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| object') && !l.startsWith('| ---'))).toHaveLength(31);
  });

  test.each(['\n', '\u2028', '\u0085', '\t'])('a reason with %j is refused for every opt-in, in one synth', (ch) => {
    expectSynthErrors(platform((optIn) => `accept ${optIn}${ch}injected: line`), [
      /install\.clusterWide\.reason: .*say in one line why the controller needs every namespace/,
      /rbac\.allowWritableDefaultRole\.reason: .*say in one line why every user needs it/,
      /rbac\.roles\[0\]\.allowGlobalAdmin\.reason: .*say in one line why this role needs admin-like grants on everything/,
      /settings\.weakeningReasons\['kustomize\.buildOptions'\]: .*say in one line why/,
      /settings\.weakeningReasons\['server\.insecure'\]: .*say in one line why/,
      /allowAllClusterResources\.reason: .*say in one line why the project needs it/,
      /allowAnyDestination\.reason: .*say in one line why the project needs it/,
      /allowAnySourceRepo\.reason: .*say in one line why the project needs it/,
      /allowArgoCdNamespaceDestination\.reason: .*say in one line why the project needs it/,
      /allowRbacResources\.reason: .*say in one line why the project needs it/,
      /allowSystemNamespaceDestination\.reason: .*say in one line why the project needs it/,
      /allowAnyRepositoryHost\.reason: .*say in one line why the repo-server may reach any public host/,
      /enableExec\.reason: .*say in one line why users need a shell in pods/,
      /allowNoInteractiveLogin\.reason: .*say in one line why nobody logs in interactively/,
      /baselineReason: .*say in one line why these workloads cannot run restricted/,
      /baselineReason: .*say in one line why these workflows cannot run restricted/,
      /allowArgoCdNamespace\.reason: .*say in one line why Argo Workflows shares/,
      /allowInlineWorkflows\.reason: .*say in one line why submitters/,
      /steps\[0\]\.securityContext\.allowPrivilegeEscalation\.reason: .*say in one line why the step must gain privileges/,
      /steps\[0\]\.securityContext\.allowRunAsRoot\.reason: .*say in one line why the step must run as root/,
      /steps\[0\]\.securityContext\.allowWritableRootFilesystem\.reason: .*say in one line why the step must write outside \/tmp/,
      /sso\.connectors\[0\]\.allowAnyTenant\.reason: .*say in one line why accounts of any tenant may log in/,
      /source\.acknowledgeLowEntropy\.reason: .*say in one line why a weak value is acceptable/,
      /source\.allowClusterWide\.reason: .*say in one line why any namespace may unseal the values/,
      /exposure\.allowWildcardHost\.reason: .*say in one line why every name under the domain reaches argocd-server/,
      /install\.gateway\.allowWildcardHost\.reason: .*say in one line why every name under the domain reaches argo-server/,
      /allowPodToPod\.reason: .*say in one line why workflow pods must reach each other/,
      /allowAgent\.reason: .*say in one line why workflows here run HTTP or plugin steps/,
      /allowArtifactGc\.reason: .*say in one line why workflows here delete their artifacts/,
      /source\.dataFrom\[0\]\.allowMatchEverything\.reason: .*say in one line why the store may be copied whole/,
    ]);
  });
});

/** Installs and an application namespace without NetworkPolicies, each opt-out given `reason(optOut)`. */
function withoutNetworkPolicies(reason: (optOut: string) => string): App {
  const app = new App();
  const chart = new Chart(app, 'open');
  new SecureArgoCD(chart, 'ArgoCD', { allowNoInteractiveLogin: { reason: 'API tokens only' }, disableNetworkPolicies: { reason: reason('argoCdPolicies') } });
  const workflows = new SecureArgoWorkflows(chart, 'Workflows', { disableNetworkPolicies: { reason: reason('workflowsPolicies') } });
  new HardenedWorkflowNamespace(chart, 'Ci', { workflows, name: 'ci', kubernetesApiCidr: '10.0.0.1/32', kubernetesApiPort: 6443 });
  new ApplicationNamespace(chart, 'Shop', { name: 'shop', disableDefaultDeny: { reason: reason('defaultDeny') } });
  const shared = new Chart(app, 'shared');
  const sharedWorkflows = new SecureArgoWorkflows(shared, 'Workflows', {
    namespace: 'argo-shared',
    networkPolicies: { ...WORKFLOWS_NETWORK, disableDefaultDeny: { reason: reason('workflowsDefaultDeny') } },
  });
  new HardenedWorkflowNamespace(shared, 'Ci', { workflows: sharedWorkflows, name: 'ci-shared', ...WORKFLOWS_NETWORK });
  return app;
}

describe('accepted risks of NetworkPolicy opt-outs', () => {
  const all = Object.values(synthApp(withoutNetworkPolicies((optOut) => `we accept ${optOut}: see ADR-9`))).flat();

  test('each reason is on the Namespace left without policies', () => {
    expect(risks(all, 'Namespace', 'argocd')).toBe('disableNetworkPolicies: we accept argoCdPolicies: see ADR-9');
    expect(risks(all, 'Namespace', 'argo')).toBe('disableNetworkPolicies: we accept workflowsPolicies: see ADR-9');
    expect(risks(all, 'Namespace', 'shop')).toBe('disableDefaultDeny: we accept defaultDeny: see ADR-9');
    expect(risks(all, 'Namespace', 'argo-shared')).toBe('networkPolicies.disableDefaultDeny: we accept workflowsDefaultDeny: see ADR-9');
    // Argo Workflows keeps its metrics policy
    const installPolicies = all.filter((m) => m.kind === 'NetworkPolicy' && ['argocd', 'argo', 'shop'].includes(m.metadata.namespace!));
    expect(installPolicies.map((m) => m.metadata.name)).toEqual(['workflow-controller-metrics']);
  });

  test('the posture report lists them', () => {
    const report = PostureReport.fromManifests(all).render();
    const section = report.slice(report.indexOf('## Accepted risks'), report.indexOf('## Policy findings'));
    expect(section).toContain('| Namespace argocd | disableNetworkPolicies | we accept argoCdPolicies: see ADR-9 |');
    expect(section).toContain('| Namespace argo | disableNetworkPolicies | we accept workflowsPolicies: see ADR-9 |');
    expect(section).toContain('| Namespace shop | disableDefaultDeny | we accept defaultDeny: see ADR-9 |');
    expect(section).toContain('| Namespace argo-shared | networkPolicies.disableDefaultDeny | we accept workflowsDefaultDeny: see ADR-9 |');
  });

  test.each(['\n', '\u2028', ''])('a reason %j is refused for every opt-out, in one synth', (text) => {
    expectSynthErrors(withoutNetworkPolicies((optOut) => text && `accept ${optOut}${text}injected: line`), [
      /\[open\/ArgoCD\] .*disableNetworkPolicies\.reason: .*say in one line why Argo CD runs without NetworkPolicies/,
      /\[open\/Workflows\] .*disableNetworkPolicies\.reason: .*say in one line why Argo Workflows runs without NetworkPolicies/,
      /\[open\/Shop\] .*disableDefaultDeny\.reason: .*say in one line why pods here need no default deny/,
      /\[shared\/Workflows\] .*networkPolicies\.disableDefaultDeny\.reason: .*say in one line why the install namespace admits what no policy names/,
    ]);
  });
});

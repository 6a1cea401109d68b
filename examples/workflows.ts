// Argo Workflows v4.1 locked down: the security configuration of the install and its namespaces.
//
// Four charts: `workflows-argo` (the whole install: workflow-controller and argo-server, their
// config, RBAC, SSO RBAC, certificate, Ingress, metrics and NetworkPolicies), `workflows-argo-crds`
// (the CRDs, applied first and server-side), `workflows-ci` (builds, with a builder account and a
// sample WorkflowTemplate) and `workflows-batch` (jobs with the minimal account).
//
// Choices made on purpose (and how they differ from the usual published examples):
// - no `containerRuntimeExecutor`, top-level `securityContext` or `podSecurityContext`: v4.1 parses
//   its config strictly and would stop; the security contexts live in workflowDefaults,
//   mainContainer and executor.
// - the archive has its PostgreSQL database (archive without one is fatal), credentials by reference.
// - workflows run in `ci` and `batch`, never in the controller's namespace `argo`.
// - the minimal account has only `workflowtaskresults` create/patch (what emissary needs); the
//   builder loses `pods/exec` and the `*` verbs; every pod runs without a service account token.
// - network policies select workflow pods with `Exists` (a `""` value selects nothing), add
//   TCP DNS, the API server and a default deny.
// - the SSO client ID and secret stay in a Secret created outside this app; no literal Secret.
// - two namespaces need the cluster-scoped controller (`--managed-namespace` takes one).
// - the install namespace has NetworkPolicies too: default deny; the controller reaches DNS, the
//   API server and the archive database; argo-server also takes traffic from the ingress
//   controller and reaches the OIDC issuer.
// - `batch` admits only SSO admins and viewers: SSO submitters run workflows in `ci` only.
import { createHash } from 'crypto';
import { App, Chart } from 'cdk8s';
import {
  ArgoServerAuthMode, ContainerImage, HardenedWorkflowNamespace, HardenedWorkflowTemplate, OidcSso,
  PolicySuppressions, PostgresSslMode, SecretKeyRef, SecureArgoWorkflows, WorkflowControllerScope, WorkflowDatabase, WorkflowEgress,
  WorkflowsAccessRole,
} from '../src';
import { acceptTagPinnedWorkflowsImages, WORKFLOWS_RELEASE } from './common/releases';

/** The API server endpoint as pods reach it (`kubectl get endpoints kubernetes`). */
const KUBERNETES_API = { kubernetesApiCidr: '10.0.0.10/32', kubernetesApiPort: 6443 };
/** Where Keycloak answers (the issuer's addresses, outside the cluster). */
const KEYCLOAK_CIDR = '192.0.2.10/32';

/**
 * An EXAMPLE digest: the sha256 of the text 'example-image-<name>'. It is a well-formed digest so the
 * example synthesizes, but no registry holds an image with it: mirror the image into your registry
 * and pin the digest you reviewed (`crane digest <image>:<tag>`).
 */
function exampleDigest(name: string): string {
  return `sha256:${createHash('sha256').update(`example-image-${name}`).digest('hex')}`;
}
/** The step image, alpine 3.20 mirrored into your registry (example digest). */
const ALPINE = ContainerImage.fromDigest('registry.example.com/mirror/alpine', exampleDigest('alpine'), '3.20');

export function build(app: App): void {
  const install = new Chart(app, 'workflows-argo');
  const sso = (key: string) => SecretKeyRef.fromExistingSecret('argo-workflows-sso', key);
  const workflows = new SecureArgoWorkflows(install, 'Workflows', {
    namespace: 'argo',
    controllerScope: WorkflowControllerScope.CLUSTER,
    authModes: [ArgoServerAuthMode.SSO, ArgoServerAuthMode.CLIENT],
    sso: {
      provider: OidcSso.keycloak({
        issuer: 'https://keycloak.example.com/realms/argo',
        clientId: 'argo-workflows',
        clientSecret: sso('client-secret'),
      }),
      clientIdRef: sso('client-id'),
      serverUrl: 'https://argo-workflows.example.com',
      roles: [
        { role: WorkflowsAccessRole.ADMIN, groups: ['platform-admins'] },
        { role: WorkflowsAccessRole.SUBMITTER, groups: ['developers'] },
        { role: WorkflowsAccessRole.VIEWER, groups: ['auditors'] },
      ],
    },
    persistence: {
      database: WorkflowDatabase.postgresql({
        host: 'postgres.databases.svc.cluster.local',
        database: 'argo_workflows',
        username: SecretKeyRef.fromExistingSecret('argo-postgres', 'username'),
        password: SecretKeyRef.fromExistingSecret('argo-postgres', 'password'),
        sslMode: PostgresSslMode.VERIFY_FULL,
        // the CA that signed the database's certificate (public, but kept where the server's is)
        caCertificate: SecretKeyRef.fromExistingSecret('argo-postgres-ca', 'ca.crt'),
      }),
    },
    install: {
      release: WORKFLOWS_RELEASE,
      // TLS at the ingress with a public certificate, and from the ingress to argo-server
      // verified against the install's private CA
      ingress: { host: 'argo-workflows.example.com', clusterIssuer: 'letsencrypt-prod' },
    },
    networkPolicies: {
      ...KUBERNETES_API,
      ingressControllerNamespace: 'ingress-nginx',
      databaseEgress: [WorkflowEgress.toNamespace('databases', [5432])],
      identityProviderEgress: [WorkflowEgress.toCidr(KEYCLOAK_CIDR, [443])],
      artifactRepositoryEgress: [WorkflowEgress.toNamespace('minio', [9000])],
    },
  });

  const ciChart = new Chart(app, 'workflows-ci');
  const ci = new HardenedWorkflowNamespace(ciChart, 'Namespace', {
    workflows,
    name: 'ci',
    ...KUBERNETES_API,
    artifactRepository: WorkflowEgress.toNamespace('minio', [9000]),
    egress: [WorkflowEgress.toCidr('10.0.0.0/8', [443])],
  });
  ci.addBuilderServiceAccount({ secretNames: ['docker-credentials', 'git-credentials'] });
  new HardenedWorkflowTemplate(ciChart, 'CheckTemplate', {
    namespace: ci,
    name: 'check',
    parameters: [{ name: 'message', defaultValue: 'hello', description: 'what the step prints' }],
    steps: [
      { name: 'print', image: ALPINE, command: ['echo'], args: ['{{workflow.parameters.message}}'] },
      { name: 'scratch', image: ALPINE, command: ['sh', '-c'], args: ['date > /tmp/stamp && cat /tmp/stamp'] },
    ],
  });

  const batchChart = new Chart(app, 'workflows-batch');
  const batch = new HardenedWorkflowNamespace(batchChart, 'Namespace', {
    workflows,
    name: 'batch',
    ...KUBERNETES_API,
    egress: [WorkflowEgress.toNamespace('internal-services', [8080])],
    quota: { pods: 50, cpuLimits: '16', memoryLimits: '32Gi' },
    ssoAccess: [WorkflowsAccessRole.ADMIN, WorkflowsAccessRole.VIEWER],
    // HTTP steps calling internal-services: their agent reports results as the executor account
    allowAgent: { reason: 'batch jobs call internal-services through HTTP steps' },
  });
  batch.addMinimalServiceAccount();

  // Findings accepted on purpose; the reasons land in the objects' suppressions annotation.
  PolicySuppressions.add(app, 'RBAC-POD-EXEC', 'the workflow controller signals and stops workflow pods through pods/exec, as upstream\'s controller role grants',
    { kind: 'Role', name: 'argo-workflow-controller' });
  acceptTagPinnedWorkflowsImages(install);
}

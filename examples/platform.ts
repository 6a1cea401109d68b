// The whole platform in one app: the security recommendations commonly given for the Argo stack, built for Argo CD v3.5
// and Argo Workflows v4.1, secure by default. Read this file first; docs/security-model.md maps
// every recommendation to the construct and default that implements it.
//
// Charts (one YAML file each in dist/platform/, numbered in apply order):
//   platform-argocd            Argo CD: Keycloak SSO, RBAC, TLS Ingress, network policies, audit
//                              notifications, the vault plugin, repositories, locked `default` project
//   platform-argocd-crds       the Argo CD CRDs (applied first, server-side)
//   platform-production        the production project, its namespace, secrets and applications
//   platform-development       the development project, its namespace and applications
//   platform-workflows         Argo Workflows: the install (namespace `argo`), SSO, archive, RBAC
//   platform-workflows-crds    the Argo Workflows CRDs (applied first, server-side)
//   platform-workflows-ci      workflow namespace `ci`: builder account, a sample template
//   platform-workflows-batch   workflow namespace `batch`: minimal account
//   platform-operations        workflow namespace `ops`: daily compliance checks, monthly rotation
// Files that are not manifests to apply:
//   apiserver/platform-audit-policy.yaml                 kube-apiserver --audit-policy-file
//
// Groups come from Keycloak (realm `argo`): admin-team, ops-team, dev-team, prod-dev-team and
// viewer-team. Nothing is granted to a user outside them (no policy.default).
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import {
  ApplicationNamespace, ArgoCdExposure, ArgoCdSelfManagement, ApplicationSource, ArgoCdAction, ArgoCdRepository, ArgoCdResource,
  ArgoCdRole, ArgoCdServerTls,
  ArgoServerAuthMode, AuditPolicy, ComplianceCheck, ComplianceCronWorkflow, ContainerImage, ExternalSecretCreationPolicy,
  GpgPublicKey, HardenedWorkflowNamespace, HardenedWorkflowTemplate, LockedDownDefaultProject, OidcSso, PolicySuppressions, PostgresSslMode,
  ProjectWithRoles, RepositoryAuth, SealedOrExternalSecret, SealedValue, SecretRotation, SecretRotationCronWorkflow, SecretSource, SecretStore,
  SecretStoreProvider, SecureApplication, SecureArgoCD, SecureArgoWorkflows, SyncPolicy, WorkflowControllerScope,
  WorkflowDatabase, WorkflowEgress, WorkflowsAccessRole,
} from '../src';
import { acceptTagPinnedWorkflowsImages, ARGOCD_RELEASE, WORKFLOWS_RELEASE } from './common/releases';

// --- The environment: replace these with your own -------------------------------------------

/** Keycloak realm that signs in people to Argo CD and Argo Workflows. */
const KEYCLOAK = 'https://keycloak.example.com/realms/argo';
/** Vault: External Secrets, the vault plugin and the rotation workflow all use it. */
const VAULT = 'https://vault.example.com:8200';
/** The API server's endpoint as pods reach it (`kubectl get endpoints kubernetes`). */
const KUBERNETES_API = { cidr: '10.0.0.10/32', port: 6443 };
/** Addresses NetworkPolicies open, by what lives there. */
const CIDRS = {
  github: '140.82.112.0/20',
  keycloak: '198.51.100.20/32',
  vault: '198.51.100.40/32',
  audit: '203.0.113.10/32',
  complianceWebhook: '203.0.113.20/32',
};
const CONFIG_REPO = 'https://github.com/myorg/gitops-config.git';
const CHARTS_REPO = 'https://github.com/myorg/helm-charts.git';
/** The GnuPG public key that signs production release commits (an example key: replace it with yours). */
const RELEASE_SIGNING_KEY = GpgPublicKey.fromFile(path.join(__dirname, 'keys', 'release-signing.asc'));

/**
 * An EXAMPLE digest: the sha256 of the text 'example-image-<name>'. It is a well-formed digest so the
 * example synthesizes, but no registry holds an image with it: mirror the image into your registry
 * and pin the digest you reviewed (`crane digest <image>:<tag>`).
 */
function exampleDigest(name: string): string {
  return `sha256:${createHash('sha256').update(`example-image-${name}`).digest('hex')}`;
}
/** The vault plugin sidecar: argocd-vault-plugin 1.18 (example digest). */
const AVP_IMAGE = ContainerImage.fromDigest('registry.example.com/argocd/argocd-vault-plugin', exampleDigest('argocd-vault-plugin'), '1.18.1');
/** Workflow steps of the sample template (example digest). */
const ALPINE = ContainerImage.fromDigest('registry.example.com/mirror/alpine', exampleDigest('alpine'), '3.20');
/** sh, kubectl, jq: the compliance checks (example digest). */
const KUBECTL_JQ = ContainerImage.fromDigest('registry.example.com/ops/kubectl-jq', exampleDigest('kubectl-jq'), '1.31');
/** sh, jq, curl: the compliance report (example digest). */
const CURL_JQ = ContainerImage.fromDigest('registry.example.com/ops/curl-jq', exampleDigest('curl-jq'), '8.11');
/** sh, kubectl, jq, curl: the secret rotation (example digest). */
const ROTATOR = ContainerImage.fromDigest('registry.example.com/ops/kubectl-curl-jq', exampleDigest('kubectl-curl-jq'), '1.31');

/** Values sealed beforehand with `kubeseal --raw` (see examples/platform/README.md). */
const SEALED = path.join(__dirname, 'platform');

/**
 * A namespaced Vault store: each namespace logs in with its own Vault role, so it reads only the
 * paths that role's policy grants (instead of one ClusterSecretStore that reads everything).
 */
function vaultStore(chart: Chart, namespace: string): SecretStore {
  return new SecretStore(chart, 'Vault', {
    namespace,
    name: 'vault',
    provider: SecretStoreProvider.vault({ server: VAULT, path: 'secret', role: namespace }),
  });
}


export function build(app: App, outdir: string = app.outdir): void {
  const argoCd = buildArgoCd(new Chart(app, 'platform-argocd'));
  buildProduction(new Chart(app, 'platform-production'));
  buildDevelopment(new Chart(app, 'platform-development'), argoCd.vaultPlugin!.pluginName);
  const workflows = buildWorkflows(app);
  buildOperations(new Chart(app, 'platform-operations'), workflows);
  acceptFindings(app);

  // Not a manifest: the API server's audit policy.
  new AuditPolicy({ argoCdNamespace: 'argocd', argoWorkflowsNamespace: 'argo' })
    .writeTo(path.join(outdir, 'apiserver'), 'platform-audit-policy.yaml');
}

// --- Argo CD ----------------------------------------------------------------------------------

function buildArgoCd(chart: Chart): SecureArgoCD {
  const namespace = 'argocd';
  const vault = vaultStore(chart, namespace);
  // Argo CD resolves `$argocd-oidc-keycloak:clientSecret` in oidc.config only from Secrets
  // labelled part-of argocd; the value itself never leaves Vault and the cluster.
  const oidcClient = new SealedOrExternalSecret(chart, 'KeycloakClient', {
    namespace,
    name: 'argocd-oidc-keycloak',
    labels: { 'app.kubernetes.io/part-of': 'argocd' },
    source: SecretSource.external({ store: vault, data: { clientSecret: { key: 'argocd/keycloak', property: 'client-secret' } } }),
  });
  // The audit webhook token merges into argocd-notifications-secret (created by the install),
  // the only Secret the notifications controller reads.
  const notifications = new SealedOrExternalSecret(chart, 'NotificationsSecret', {
    namespace,
    name: 'argocd-notifications-secret',
    labels: { 'app.kubernetes.io/part-of': 'argocd' },
    source: SecretSource.external({
      store: vault,
      creationPolicy: ExternalSecretCreationPolicy.MERGE,
      data: { 'audit-token': { key: 'argocd/notifications', property: 'audit-token' } },
    }),
  });

  const argoCd = new SecureArgoCD(chart, 'ArgoCD', {
    // The nodes run NodeLocal DNSCache on its usual link-local address.
    install: { release: ARGOCD_RELEASE, nodeLocalDnsCidrs: ['169.254.20.10/32'] },
    namespace,
    // The keyring the production project's signature verification trusts.
    gpgKeys: [RELEASE_SIGNING_KEY],
    // Direct OIDC only (with both oidc.config and dex.config, Argo CD would ignore Dex), with
    // PKCE: register https://argocd.example.com/auth/callback as a redirect URI in Keycloak.
    sso: OidcSso.keycloak({ issuer: KEYCLOAK, clientId: 'argocd', clientSecret: oidcClient.keyRef('clientSecret'), enablePkce: true }),
    // TLS from cert-manager, passed through to argocd-server (the CLI keeps gRPC).
    exposure: ArgoCdExposure.ingressNginx({ host: 'argocd.example.com', tls: ArgoCdServerTls.fromClusterIssuer('letsencrypt-prod') }),
    rbac: {
      // No policy.default: a user outside these groups sees nothing. Deploy rights live in the
      // projects' roles (below), so they cannot reach beyond their project.
      groupMappings: [
        { group: 'admin-team', role: ArgoCdRole.admin() },
        { group: 'viewer-team', role: ArgoCdRole.readonly() },
        {
          group: 'dev-team',
          role: ArgoCdRole.custom('developer', {
            policies: [
              { resource: ArgoCdResource.APPLICATIONS, action: ArgoCdAction.GET, object: '*/*' },
              { resource: ArgoCdResource.PROJECTS, action: ArgoCdAction.GET, object: '*' },
              { resource: ArgoCdResource.REPOSITORIES, action: ArgoCdAction.GET, object: '*' },
            ],
          }),
        },
      ],
    },
    auditNotifications: { webhookUrl: 'https://audit.example.com', bearerToken: notifications.keyRef('audit-token') },
    networkPolicies: {
      kubernetesApi: { cidrs: [KUBERNETES_API.cidr], ports: [KUBERNETES_API.port] },
      monitoringNamespace: 'monitoring',
      // GitHub for the repositories, Vault for the vault plugin in the repo-server.
      repositoryHosts: [{ cidrs: [CIDRS.github], ports: [443] }, { cidrs: [CIDRS.vault], ports: [8200] }],
      identityProviders: [{ cidrs: [CIDRS.keycloak], ports: [443] }],
      notificationTargets: [{ cidrs: [CIDRS.audit], ports: [443] }],
    },
    // For applications still written with <placeholders>; new ones use External Secrets, since the
    // plugin's rendered secrets sit in Argo CD's cache.
    vaultPlugin: { image: AVP_IMAGE, vaultAddress: VAULT, vaultRole: 'argocd-repo-server', tokenAudience: 'vault' },
    // After the first `kubectl apply --server-side` from CI, Argo CD keeps its own install in
    // sync with the committed output (the Application `argocd-platform`). Creating objects and
    // widening RBAC stay with CI: the controller may only patch the objects it finds here.
    selfManagement: ArgoCdSelfManagement.fromGit({
      repoUrl: CONFIG_REPO,
      revision: 'main',
      path: 'dist/platform',
      reason: 'the platform team reviews every change of dist/platform; only admin-team may sync it',
    }),
  });

  // Argo CD's built-in `default` project allows every repository and destination: close it.
  new LockedDownDefaultProject(chart, 'DefaultProject', namespace);

  // Declarative repositories, one credential per repository. The config repository's token was
  // sealed with kubeseal; the charts repository uses a GitHub App whose key stays in Vault.
  const sealed = JSON.parse(fs.readFileSync(path.join(SEALED, 'repo-gitops-config.sealed.json'), 'utf8'));
  new ArgoCdRepository(chart, 'GitopsConfig', {
    namespace,
    secretName: 'repo-gitops-config',
    url: CONFIG_REPO,
    auth: RepositoryAuth.USERNAME_PASSWORD,
    source: SecretSource.sealed({
      values: { username: SealedValue.preSealed(sealed.username), password: SealedValue.preSealed(sealed.password) },
    }),
  });
  new ArgoCdRepository(chart, 'HelmCharts', {
    namespace,
    secretName: 'repo-helm-charts',
    url: CHARTS_REPO,
    auth: RepositoryAuth.GITHUB_APP,
    githubAppId: '123456',
    githubAppInstallationId: '7890123',
    source: SecretSource.external({ store: vault, data: { githubAppPrivateKey: { key: 'argocd/github-app', property: 'private-key' } } }),
  });
  return argoCd;
}

// --- Projects and applications ------------------------------------------------------------------

function buildProduction(chart: Chart): void {
  // Pre-created with its Pod Security labels: the project may not create namespaces.
  new ApplicationNamespace(chart, 'Namespace', { name: 'production' });
  // Listed repositories, signed commits, weekday sync window, nothing cluster-scoped.
  const production = ProjectWithRoles.production(chart, 'Project', {
    namespace: 'argocd',
    sourceRepos: [CONFIG_REPO, CHARTS_REPO],
    gitSignatureVerification: { keyIds: [RELEASE_SIGNING_KEY.keyId] },
    developerGroups: ['prod-dev-team'],
    adminGroups: ['ops-team'],
    timeZone: 'Europe/Berlin',
  });

  // The web app's secrets come from Vault. The database password changes only together with
  // the database (Vault's database engine or the DBA's runbook); the cookie-signing key belongs to
  // the app alone, so platform-operations rotates it.
  const productionStore = vaultStore(chart, 'production');
  new SealedOrExternalSecret(chart, 'WebDatabase', {
    namespace: 'production',
    name: 'web-db',
    source: SecretSource.external({ store: productionStore, data: { password: { key: 'apps/web/db', property: 'password' } } }),
    publicData: { username: 'web' },
  });
  new SealedOrExternalSecret(chart, 'WebCookie', {
    namespace: 'production',
    name: 'web-cookie',
    source: SecretSource.external({ store: productionStore, data: { 'signing-key': { key: 'apps/web/cookie', property: 'signing-key' } } }),
  });

  // Manual sync: a person approves each production change.
  new SecureApplication(chart, 'Web', {
    name: 'web',
    project: production,
    source: ApplicationSource.kustomize({ repoUrl: CONFIG_REPO, revision: 'v1.4.2', path: 'apps/web/overlays/production' }),
    destination: { namespace: 'production' },
    syncPolicy: SyncPolicy.production(),
    syncOptions: { pruneLast: true },
  });
  new SecureApplication(chart, 'Api', {
    name: 'api',
    project: production,
    source: ApplicationSource.git({ repoUrl: CHARTS_REPO, revision: 'api-2.3.0', path: 'charts/api' }),
    destination: { namespace: 'production' },
    syncPolicy: SyncPolicy.production(),
  });
}

function buildDevelopment(chart: Chart, vaultPluginName: string): void {
  new ApplicationNamespace(chart, 'Namespace', { name: 'development' });
  // The team's repositories only (not '*'); dev-team has every action on this project's apps.
  const development = ProjectWithRoles.development(chart, 'Project', {
    namespace: 'argocd',
    sourceRepos: ['https://github.com/myorg/*'],
    developerGroups: ['dev-team'],
  });
  // Automated sync with prune and self-heal: fast iteration, and drift is undone.
  new SecureApplication(chart, 'Web', {
    name: 'web-dev',
    project: development,
    source: ApplicationSource.kustomize({ repoUrl: CONFIG_REPO, revision: 'main', path: 'apps/web/overlays/development' }),
    destination: { namespace: 'development' },
    syncPolicy: SyncPolicy.development(),
  });
  // A legacy app whose manifests hold <vault:...> placeholders, rendered by the vault plugin.
  new SecureApplication(chart, 'Legacy', {
    name: 'legacy-dev',
    project: development,
    source: ApplicationSource.plugin({ repoUrl: 'https://github.com/myorg/legacy-app.git', revision: 'main', path: 'k8s', name: vaultPluginName }),
    destination: { namespace: 'development' },
    syncPolicy: SyncPolicy.development(),
  });
}

// --- Argo Workflows -------------------------------------------------------------------------------

function buildWorkflows(app: App): SecureArgoWorkflows {
  const chart = new Chart(app, 'platform-workflows');
  const vault = vaultStore(chart, 'argo');
  const sso = new SealedOrExternalSecret(chart, 'SsoClient', {
    namespace: 'argo',
    name: 'argo-workflows-sso',
    source: SecretSource.external({
      store: vault,
      data: {
        'client-id': { key: 'argo-workflows/sso', property: 'client-id' },
        'client-secret': { key: 'argo-workflows/sso', property: 'client-secret' },
      },
    }),
  });
  const database = new SealedOrExternalSecret(chart, 'ArchiveDatabase', {
    namespace: 'argo',
    name: 'argo-postgres',
    source: SecretSource.external({
      store: vault,
      data: {
        'username': { key: 'argo-workflows/postgres', property: 'username' },
        'password': { key: 'argo-workflows/postgres', property: 'password' },
        // the CA that signed the database's certificate, for sslMode VERIFY_FULL
        'ca.crt': { key: 'argo-workflows/postgres', property: 'ca.crt' },
      },
    }),
  });

  const workflows = new SecureArgoWorkflows(chart, 'Workflows', {
    namespace: 'argo',
    // Three workflow namespaces: one cluster-scoped controller that only watches cluster-wide.
    controllerScope: WorkflowControllerScope.CLUSTER,
    // SSO for the UI; client mode lets people submit with their own Kubernetes identity, bound
    // per namespace (below), so SSO grants no submit right that would reach every namespace.
    authModes: [ArgoServerAuthMode.SSO, ArgoServerAuthMode.CLIENT],
    sso: {
      provider: OidcSso.keycloak({ issuer: KEYCLOAK, clientId: 'argo-workflows', clientSecret: sso.keyRef('client-secret') }),
      clientIdRef: sso.keyRef('client-id'),
      serverUrl: 'https://argo-workflows.example.com',
      roles: [
        { role: WorkflowsAccessRole.ADMIN, groups: ['admin-team'] },
        { role: WorkflowsAccessRole.VIEWER, groups: ['viewer-team', 'dev-team', 'ops-team'] },
      ],
    },
    // The archive needs its database; TLS with certificate and host name checks.
    persistence: {
      database: WorkflowDatabase.postgresql({
        host: 'postgres.databases.svc.cluster.local',
        database: 'argo_workflows',
        username: database.keyRef('username'),
        password: database.keyRef('password'),
        sslMode: PostgresSslMode.VERIFY_FULL,
        caCertificate: database.keyRef('ca.crt'),
      }),
    },
    install: {
      // pinned by tag: add the images' digests in examples/common/releases.ts before deploying
      release: WORKFLOWS_RELEASE,
      ingress: { host: 'argo-workflows.example.com', clusterIssuer: 'letsencrypt-prod' },
    },
    // Default deny in `argo`; the controller and argo-server reach only what they need.
    networkPolicies: {
      kubernetesApiCidr: KUBERNETES_API.cidr,
      kubernetesApiPort: KUBERNETES_API.port,
      databaseEgress: [WorkflowEgress.toNamespace('databases', [5432])],
      identityProviderEgress: [WorkflowEgress.toCidr(CIDRS.keycloak, [443])],
      artifactRepositoryEgress: [WorkflowEgress.toNamespace('minio', [9000])],
    },
  });

  const ciChart = new Chart(app, 'platform-workflows-ci');
  const ci = new HardenedWorkflowNamespace(ciChart, 'Namespace', {
    workflows,
    name: 'ci',
    kubernetesApiCidr: KUBERNETES_API.cidr,
    kubernetesApiPort: KUBERNETES_API.port,
    artifactRepository: WorkflowEgress.toNamespace('minio', [9000]),
    egress: [WorkflowEgress.toCidr('10.0.0.0/8', [443])],
    access: { submitters: ['dev-team'] },
  });
  // Reads only the two Secrets builds need; no pods/exec, no wildcards.
  ci.addBuilderServiceAccount({ secretNames: ['docker-credentials', 'git-credentials'] });
  new HardenedWorkflowTemplate(ciChart, 'CheckTemplate', {
    namespace: ci,
    name: 'check',
    parameters: [{ name: 'message', defaultValue: 'hello', description: 'what the step prints' }],
    steps: [
      { name: 'print', image: ALPINE, command: ['echo'], args: ['{{workflow.parameters.message}}'] },
      // The root filesystem is read-only; /tmp is an emptyDir.
      { name: 'scratch', image: ALPINE, command: ['sh', '-c'], args: ['date > /tmp/stamp && cat /tmp/stamp'] },
    ],
  });

  const batch = new HardenedWorkflowNamespace(new Chart(app, 'platform-workflows-batch'), 'Namespace', {
    workflows,
    name: 'batch',
    kubernetesApiCidr: KUBERNETES_API.cidr,
    kubernetesApiPort: KUBERNETES_API.port,
    egress: [WorkflowEgress.toNamespace('internal-services', [8080])],
    access: { submitters: ['dev-team'] },
  });
  batch.addMinimalServiceAccount();
  return workflows;
}

// --- Operations ---------------------------------------------------------------------------------

function buildOperations(chart: Chart, workflows: SecureArgoWorkflows): void {
  // A namespace of its own: whoever may submit workflows in a namespace may use its service
  // accounts, and these read cluster RBAC and rotate production secrets. Only ops-team (client
  // mode) and admin-team (SSO) may submit here, and only SSO admins get in through SSO at all.
  new HardenedWorkflowNamespace(chart, 'Namespace', {
    workflows,
    name: 'ops',
    ssoAccess: [WorkflowsAccessRole.ADMIN],
    kubernetesApiCidr: KUBERNETES_API.cidr,
    kubernetesApiPort: KUBERNETES_API.port,
    egress: [WorkflowEgress.toCidr(CIDRS.complianceWebhook, [443]), WorkflowEgress.toCidr(CIDRS.vault, [8200])],
    access: { viewers: ['viewer-team'], submitters: [], admins: ['ops-team'] },
  });
  const webhook = new SealedOrExternalSecret(chart, 'ComplianceWebhook', {
    namespace: 'ops',
    name: 'compliance-webhook',
    source: SecretSource.external({
      store: vaultStore(chart, 'ops'),
      data: {
        url: { key: 'ops/compliance-webhook', property: 'url' },
        token: { key: 'ops/compliance-webhook', property: 'token' },
      },
    }),
  });

  // Daily at 06:00: RBAC, network policies, Argo CD and argo-server settings. No check reads
  // Secrets; the run fails on an ERROR finding, after the report is sent.
  new ComplianceCronWorkflow(chart, 'Compliance', {
    namespace: 'ops',
    clusterName: 'prod-eu-1',
    checkImage: KUBECTL_JQ,
    reportImage: CURL_JQ,
    webhookUrl: webhook.keyRef('url'),
    webhookToken: webhook.keyRef('token'),
    timeZone: 'Europe/Berlin',
    checks: ComplianceCheck.defaults(),
  });

  // Monthly: a new cookie-signing key goes to Vault, External Secrets refreshes `web-cookie`,
  // then `web` restarts. Nothing patches a Secret that GitOps manages.
  new SecretRotationCronWorkflow(chart, 'Rotation', {
    namespace: 'ops',
    image: ROTATOR,
    vault: { address: VAULT, role: 'secret-rotation' },
    rotations: [
      SecretRotation.vaultExternalSecret('web-cookie-key', {
        namespace: 'production',
        externalSecretName: 'web-cookie',
        vaultPath: 'apps/web/cookie',
        vaultProperty: 'signing-key',
        restartDeployments: ['web'],
      }),
    ],
    timeZone: 'Europe/Berlin',
  });
}

// --- Policy: findings accepted on purpose, each with its reason -------------------------------
// The reasons land in the objects' policy.cdk8s-secure-argo.io/suppressions annotation, so they
// show up in review; docs/posture/platform.md lists them.

function acceptFindings(app: App): void {
  acceptTagPinnedWorkflowsImages(app);
  PolicySuppressions.add(app, 'POD-SERVICE-ACCOUNT-TOKEN',
    'the compliance checks and the rotation steps call the API server, with their own least-privilege accounts', { kind: 'WorkflowTemplate' });
  PolicySuppressions.add(app, 'RBAC-POD-EXEC',
    'the workflow controller signals and stops workflow pods through pods/exec, as upstream\'s controller role grants',
    { kind: 'Role', name: 'argo-workflow-controller' });
}

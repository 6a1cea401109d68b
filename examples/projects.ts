// A production and a development AppProject, hardened, with their
// Applications, a locked-down `default` project, and the Argo CD whose RBAC the simulator reads
// (test/rbac-simulator-example.test.ts).
//
// Changed from the usual published examples on purpose:
// - development: listed repositories instead of '*'; production: signed commits required
//   (sourceIntegrity, head commit) instead of the deprecated signatureKeys, with the signing
//   key's public half in Argo CD's keyring (argocd-gpg-keys-cm).
// - no ClusterRole/ClusterRoleBinding for the production team (privilege escalation), nothing
//   cluster-scoped at all; namespaced kinds are an explicit list instead of '<group>/*' for all
//   of argoproj.io (which would include Applications and AppProjects).
// - NetworkPolicy is blacklisted in its real group, networking.k8s.io (the usual example's core-group
//   entry matched nothing).
// - the allow window is '0 9 * * MON-FRI' for 9h (the usual example's '0 9-18 * * 1-5' opened a 9h
//   window every hour, i.e. until 03:00).
// - the development blacklist entry for Secrets named '*-production-*' is not expressible
//   (namespaced lists have no name in v3.5): the development project simply cannot reach the
//   production namespaces.
// - prod-admin has no exec.
import * as path from 'path';
import { App, Chart, Duration } from 'cdk8s';
import {
  ApplicationSource, ArgoCdRole, GpgPublicKey, LockedDownDefaultProject, OidcSso, ProjectWithRoles,
  PrunePropagationPolicy, SealedOrExternalSecret, SecretSource, SecretStoreRef, SecureApplication, SecureArgoCD, SyncPolicy,
} from '../src';
import { ARGOCD_RELEASE } from './common/releases';

const NAMESPACE = 'argocd';
const CONFIG_REPO = 'https://github.com/myorg/gitops-config.git';
const CHARTS_REPO = 'https://github.com/myorg/helm-charts.git';
/** The public key that signs release commits (an example key: replace it with yours). */
const RELEASE_SIGNING_KEY = GpgPublicKey.fromFile(path.join(__dirname, 'keys', 'release-signing.asc'));

export function build(app: App): void {
  const argoChart = new Chart(app, 'projects-argocd');
  const oidcClient = new SealedOrExternalSecret(argoChart, 'OidcClient', {
    namespace: NAMESPACE,
    name: 'argocd-oidc',
    labels: { 'app.kubernetes.io/part-of': 'argocd' },
    source: SecretSource.external({
      store: SecretStoreRef.existingCluster('vault'),
      data: { clientSecret: { key: 'argocd/oidc', property: 'client-secret' } },
    }),
  });
  new SecureArgoCD(argoChart, 'ArgoCD', {
    install: { release: ARGOCD_RELEASE },
    namespace: NAMESPACE,
    url: 'https://argocd.example.com',
    sso: OidcSso.oidc({ issuer: 'https://sso.example.com', clientId: 'argocd', clientSecret: oidcClient.keyRef('clientSecret') }),
    rbac: {
      groupMappings: [
        { group: 'platform-admins', role: ArgoCdRole.admin() },
        { group: 'auditors', role: ArgoCdRole.readonly() },
      ],
    },
    gpgKeys: [RELEASE_SIGNING_KEY],
    networkPolicies: {
      kubernetesApi: { cidrs: ['10.0.0.1/32'], ports: [6443] },
      repositoryHosts: [{ cidrs: ['140.82.112.0/20'], ports: [443] }],
      identityProviders: [{ cidrs: ['198.51.100.20/32'], ports: [443] }],
    },
  });
  new LockedDownDefaultProject(argoChart, 'DefaultProject', NAMESPACE);

  const prodChart = new Chart(app, 'projects-production');
  const production = ProjectWithRoles.production(prodChart, 'Project', {
    namespace: NAMESPACE,
    sourceRepos: [CONFIG_REPO, CHARTS_REPO],
    gitSignatureVerification: { keyIds: [RELEASE_SIGNING_KEY.keyId] },
    timeZone: 'Europe/Berlin',
  });
  new SecureApplication(prodChart, 'Web', {
    name: 'web',
    project: production,
    source: ApplicationSource.kustomize({ repoUrl: CONFIG_REPO, revision: 'v1.4.2', path: 'apps/web/overlays/production' }),
    destination: { namespace: 'production' },
    syncPolicy: SyncPolicy.production(),
    syncOptions: { pruneLast: true, validate: true },
  });
  new SecureApplication(prodChart, 'Api', {
    name: 'api',
    project: production,
    source: ApplicationSource.git({ repoUrl: CHARTS_REPO, revision: 'api-2.3.0', path: 'charts/api' }),
    destination: { namespace: 'production-api' },
    syncPolicy: SyncPolicy.production(),
    syncOptions: { serverSideApply: true },
  });

  const devChart = new Chart(app, 'projects-development');
  const development = ProjectWithRoles.development(devChart, 'Project', {
    namespace: NAMESPACE,
    sourceRepos: ['https://github.com/myorg/*'],
  });
  new SecureApplication(devChart, 'Web', {
    name: 'web-dev',
    project: development,
    source: ApplicationSource.kustomize({ repoUrl: CONFIG_REPO, revision: 'main', path: 'apps/web/overlays/development' }),
    destination: { namespace: 'development' },
    syncPolicy: SyncPolicy.development(),
    syncOptions: { pruneLast: true, respectIgnoreDifferences: true },
    // The HorizontalPodAutoscaler owns the replica count: syncs leave it alone.
    ignoreDifferences: [{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] }],
  });
  new SecureApplication(devChart, 'Api', {
    name: 'api-dev',
    project: development,
    source: ApplicationSource.git({ repoUrl: CHARTS_REPO, revision: 'main', path: 'charts/api' }),
    destination: { namespace: 'development-api' },
    syncPolicy: SyncPolicy.development(),
    syncOptions: { applyOutOfSyncOnly: true, prunePropagationPolicy: PrunePropagationPolicy.BACKGROUND, failOnSharedResource: true },
    retry: { limit: 10, backoffDuration: Duration.seconds(10), backoffMaxDuration: Duration.minutes(5) },
  });
}

// Argo CD deploying to two remote clusters, with least privilege on each.
//
// Charts:
//   clusters-argocd       Argo CD (namespace `argocd`), the projects, and one cluster Secret per
//                         remote cluster; apply it to Argo CD's cluster
//   clusters-prod-eks     for the EKS cluster `prod`: Roles for exactly what the projects deploy
//                         there, bound to the IAM role's access entry user; apply it to that cluster
//   clusters-edge         for the on-premises cluster `edge`: the `argocd-manager` account, its
//                         token Secret and Roles; apply it to that cluster
//
// Nothing here holds a credential: Argo CD reaches `prod` through IAM (`awsAuthConfig`, a
// short-lived token for an assumed role), and `edge` through a token that stays in Vault.
// Argo CD runs on EKS and gets its management role by EKS Pod Identity: the install lets only the
// application controller and argocd-server (the components that dial clusters) reach the Pod
// Identity agent and AWS STS; every other pod keeps the node's addresses closed.
// Each remote chart grants only the namespaces and kinds the projects deploy to that cluster;
// a project that deploys nowhere there brings nothing there.
import { App, Chart } from 'cdk8s';
import {
  ArgoCdDestinationCluster, ClusterCredentials, OidcSso, ProjectWithRoles, ResourceKind, SealedOrExternalSecret,
  SecretSource, SecretStoreRef, SecureArgoCD,
} from '../src';
import { ARGOCD_RELEASE } from './common/releases';

/** The EKS cluster's CA certificate (public): `aws eks describe-cluster --query cluster.certificateAuthority.data | base64 -d`. */
const PROD_CA = `-----BEGIN CERTIFICATE-----
MIIBljCCAT2gAwIBAgIUQaHQXoUXlXLnJxbD2lZYrohGM54wCgYIKoZIzj0EAwIw
ITEfMB0GA1UEAwwWRXhhbXBsZSBJZFAgc2lnbmluZyBDQTAeFw0yNjExMjMxODUw
MjlaFw0zNjExMjAxODUwMjlaMCExHzAdBgNVBAMMFkV4YW1wbGUgSWRQIHNpZ25p
bmcgQ0EwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAASkRbYqTRAEJka52+oJsqRg
mihOwa0WFPvYK9Kip/YA1vqPLK+6zhtrm+XEBM4BbmzMCP2QGEUi3TYv/hSibEvn
o1MwUTAdBgNVHQ4EFgQUGTgDj6OknKu/p1uDc38Ir6cLm24wHwYDVR0jBBgwFoAU
GTgDj6OknKu/p1uDc38Ir6cLm24wDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQD
AgNHADBEAiA5ChSvmumOeyWJe6lZq0s9OkFi1N0vSuJPNEJToazcCAIgYf4QHWwy
VA2or8hIqRsVRVxOya1t/Kaktb/MtL/ZprI=
-----END CERTIFICATE-----`;

export function build(app: App): void {
  const chart = new Chart(app, 'clusters-argocd');
  const vault = SecretStoreRef.existingCluster('vault');
  const oidcClient = new SealedOrExternalSecret(chart, 'KeycloakClient', {
    namespace: 'argocd',
    name: 'argocd-oidc-keycloak',
    labels: { 'app.kubernetes.io/part-of': 'argocd' },
    source: SecretSource.external({ store: vault, data: { clientSecret: { key: 'argocd/keycloak', property: 'client-secret' } } }),
  });
  new SecureArgoCD(chart, 'ArgoCD', {
    install: { release: ARGOCD_RELEASE },
    url: 'https://argocd.example.com',
    sso: OidcSso.keycloak({ issuer: 'https://keycloak.example.com/realms/argo', clientId: 'argocd', clientSecret: oidcClient.keyRef('clientSecret'), enablePkce: true }),
    networkPolicies: {
      identityProviders: [{ cidrs: ['198.51.100.20/32'], ports: [443] }],
      kubernetesApi: { cidrs: ['10.0.0.1/32'], ports: [6443] },
      repositoryHosts: [{ cidrs: ['140.82.112.0/20'], ports: [443] }],
      // Remote API servers known by host name, for the application controller and argocd-server
      // (prod's public EKS endpoint is covered by the public HTTPS egress its identity opens).
      managedClusters: [{ cidrs: ['192.0.2.50/32'], ports: [6443] }],
    },
  });

  const prod = new ArgoCdDestinationCluster(chart, 'Prod', {
    remoteChart: new Chart(app, 'clusters-prod-eks'),
    server: 'https://0123456789ABCDEF0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com',
    clusterName: 'prod',
    // The access entry of this role on the cluster: user name `argocd-manager`, no access policy.
    // The management role that assumes it is associated with the argocd-application-controller
    // and argocd-server service accounts (`aws eks create-pod-identity-association`); with IRSA
    // instead, give it as `irsaRoleArn` and the service accounts are annotated with it.
    credentials: ClusterCredentials.eksIam({ clusterName: 'prod', roleArn: 'arn:aws:iam::123456789012:role/argocd-prod', caCertificate: PROD_CA }),
  });
  const edge = new ArgoCdDestinationCluster(chart, 'Edge', {
    remoteChart: new Chart(app, 'clusters-edge'),
    server: 'https://edge.k8s.example.com:6443',
    clusterName: 'edge',
    // {"bearerToken": ..., "tlsClientConfig": {"insecure": false, "caData": ...}} from the
    // argocd-manager token Secret of that cluster, stored in Vault.
    credentials: ClusterCredentials.serviceAccountToken(SecretSource.external({
      store: vault,
      data: { config: { key: 'argocd/clusters/edge', property: 'config' } },
    })),
  });

  // Payments runs on prod; the sensors team on edge, with their namespaces created by Argo CD.
  new ProjectWithRoles(chart, 'Payments', {
    name: 'payments',
    sourceRepos: ['https://github.com/myorg/payments.git'],
    destinations: [prod.destination('payments'), prod.destination('payments-batch')],
    namespaceResourceWhitelist: [
      ResourceKind.of('apps', 'Deployment'), ResourceKind.of('', 'Service'), ResourceKind.CONFIG_MAP, ResourceKind.of('batch', 'CronJob'),
    ],
  });
  new ProjectWithRoles(chart, 'Sensors', {
    name: 'sensors',
    sourceRepos: ['https://github.com/myorg/sensors.git'],
    destinations: [edge.destination('sensors')],
    clusterResourceWhitelist: [ResourceKind.NAMESPACE],
    // The edge cluster has no platform repository of its own: its Applications create their namespace (CreateNamespace).
    allowClusterControlResources: { reason: 'edge sensor apps create their own namespace on the edge cluster' },
    namespaceResourceWhitelist: [ResourceKind.of('apps', 'DaemonSet'), ResourceKind.CONFIG_MAP],
  });
}

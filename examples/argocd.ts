// Argo CD's security configuration and audit notifications, hardened.
//
// A common recipe sets both oidc.config (Keycloak) and dex.config (GitHub, LDAP, SAML). Argo CD then
// uses oidc.config alone and never offers the Dex connectors, so the two are shown here as two
// alternative installations, each an app of its own (`variants`, synthesized into
// dist/argocd-keycloak/ and dist/argocd-dex/): `keycloak` (direct OIDC) and `dex` (Dex with three
// connectors), for two clusters (both in namespace `argocd`; one app refuses two installs there). Installing into namespace `argo`
// would need the upstream install's ClusterRoleBindings patched: they name service accounts in
// `argocd`.
//
// Differences from the common recipe, each on purpose:
// - policy.default is unset (deny) instead of role:readonly: access is granted by group only.
// - admin and readonly are Argo CD's built-in roles (kept current by Argo CD, v3 semantics).
// - scopes is [groups]: the usual example's extra `email` scope would let e-mail claims match `g` lines.
// - secrets come from Vault through External Secrets, never from a literal argocd-secret.
// - the admin account is off, TLS 1.2+ everywhere, Dex connector failures fail the login.
import { App, Chart, Duration } from 'cdk8s';
import {
  ArgoCdExposure, ArgoCdRole, ArgoCdServerTls, ArgoCdServerTlsMode, DexConnector, ExternalSecretCreationPolicy, OidcSso,
  SealedOrExternalSecret, SecretSource, SecretStoreRef, SecureArgoCD, SecureArgoCDProps,
} from '../src';
import { ARGOCD_RELEASE } from './common/releases';

const NAMESPACE = 'argocd';
const vault = SecretStoreRef.existingCluster('vault');

/** The Okta SAML signing certificate (public). Replace it with your IdP's. */
const OKTA_SAML_CA = `-----BEGIN CERTIFICATE-----
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

/** Settings both installations share: the four roles, exposure, audit trail, network. */
type Groups = { admin: string; developer: string; ops: string; viewer: string };

function common(chart: Chart, exposure: ArgoCdExposure, groups: Groups): SecureArgoCDProps {
  // The audit token merges into argocd-notifications-secret, which install.yaml creates empty;
  // it is the only Secret the notifications controller reads `$<key>` from.
  const notificationsSecret = new SealedOrExternalSecret(chart, 'NotificationsSecret', {
    namespace: NAMESPACE,
    name: 'argocd-notifications-secret',
    labels: { 'app.kubernetes.io/part-of': 'argocd' },
    source: SecretSource.external({
      store: vault,
      creationPolicy: ExternalSecretCreationPolicy.MERGE,
      data: { 'audit-token': { key: 'argocd/notifications', property: 'audit-token' } },
    }),
  });
  return {
    namespace: NAMESPACE,
    exposure,
    rbac: {
      groupMappings: [
        { group: groups.admin, role: ArgoCdRole.admin() },
        { group: groups.developer, role: ArgoCdRole.developer() },
        { group: groups.ops, role: ArgoCdRole.projectAdmin('production', 'prod-admin') },
        { group: groups.viewer, role: ArgoCdRole.readonly() },
      ],
    },
    auditNotifications: {
      webhookUrl: 'https://audit.example.com',
      bearerToken: notificationsSecret.keyRef('audit-token'),
    },
    networkPolicies: {
      kubernetesApi: { cidrs: ['10.0.0.1/32'], ports: [6443] },
      monitoringNamespace: 'monitoring',
      repositoryHosts: [{ cidrs: ['140.82.112.0/20'], ports: [443] }],
      notificationTargets: [{ cidrs: ['203.0.113.10/32'], ports: [443] }],
    },
  };
}

/** The alternatives, each an app of its own. */
export const variants = { keycloak: keycloakInstall, dex: dexInstall };

/** Direct OIDC with Keycloak (oidc.config). */
function keycloakInstall(app: App): void {
  const keycloakChart = new Chart(app, 'argocd-keycloak');
  const keycloakClient = new SealedOrExternalSecret(keycloakChart, 'KeycloakClient', {
    namespace: NAMESPACE,
    name: 'argocd-oidc-keycloak',
    // Argo CD resolves `$argocd-oidc-keycloak:clientSecret` only in Secrets with this label.
    labels: { 'app.kubernetes.io/part-of': 'argocd' },
    source: SecretSource.external({ store: vault, data: { clientSecret: { key: 'argocd/keycloak', property: 'client-secret' } } }),
  });
  // Through the cluster's shared Gateway: it terminates TLS for the host (its listener holds the
  // public certificate) and verifies argocd-server's internal certificate on the way in.
  const gatewayRoute = ArgoCdExposure.gatewayRoute({
    host: 'argocd.example.com',
    gateway: { name: 'public', namespace: 'gateway', sectionName: 'https' },
  });
  const keycloak = common(keycloakChart, gatewayRoute, { admin: 'admin-team', developer: 'dev-team', ops: 'ops-team', viewer: 'viewer-team' });
  new SecureArgoCD(keycloakChart, 'ArgoCD', {
    install: { release: ARGOCD_RELEASE },
    ...keycloak,
    sso: OidcSso.keycloak({
      issuer: 'https://keycloak.example.com/realms/argo',
      clientId: 'argocd',
      clientSecret: keycloakClient.keyRef('clientSecret'),
      // PKCE: register https://argocd.example.com/auth/callback as a redirect URI in Keycloak.
      enablePkce: true,
    }),
    networkPolicies: { ...keycloak.networkPolicies!, identityProviders: [{ cidrs: ['198.51.100.20/32'], ports: [443] }] },
    // Ordinary settings: Git webhooks announce changes, so poll less often.
    settings: {
      reconciliationTimeout: Duration.minutes(5),
      sessionDuration: Duration.hours(8),
      argoCdCm: { 'ui.bannercontent': 'Production Argo CD: changes go through Git' },
    },
  });
}

/**
 * Dex with GitHub, LDAP and SAML (dex.config). With Dex, a user's RBAC subject is
 * federated_claims.user_id; groups are `<org>:<team>` (GitHub), LDAP group cn, SAML `groups`.
 */
function dexInstall(app: App): void {
  const dexChart = new Chart(app, 'argocd-dex');
  const dexSecrets = new SealedOrExternalSecret(dexChart, 'DexConnectors', {
    namespace: NAMESPACE,
    name: 'argocd-dex-connectors',
    labels: { 'app.kubernetes.io/part-of': 'argocd' },
    source: SecretSource.external({
      store: vault,
      data: {
        'github.clientSecret': { key: 'argocd/dex', property: 'github-client-secret' },
        'ldap.bindPW': { key: 'argocd/dex', property: 'ldap-bind-password' },
      },
    }),
  });
  // Through ingress-nginx, which terminates TLS and re-encrypts, verifying argocd-server's certificate.
  const ingress = ArgoCdExposure.ingressNginx({
    host: 'argocd-dex.example.com',
    tls: ArgoCdServerTls.fromClusterIssuer('letsencrypt-prod'),
    mode: ArgoCdServerTlsMode.REENCRYPT,
  });
  const dex = common(dexChart, ingress, { admin: 'myorg:admin-team', developer: 'myorg:dev-team', ops: 'ops-team', viewer: 'viewer-team' });
  new SecureArgoCD(dexChart, 'ArgoCD', {
    install: { release: ARGOCD_RELEASE },
    ...dex,
    sso: OidcSso.dex({
      connectors: [
        DexConnector.github({
          clientId: 'Iv1.0123456789abcdef',
          clientSecret: dexSecrets.keyRef('github.clientSecret'),
          orgs: [{ name: 'myorg', teams: ['admin-team', 'dev-team'] }],
        }),
        DexConnector.ldap({
          host: 'ldap.example.com:636',
          bindDn: 'cn=argocd,ou=services,dc=example,dc=com',
          bindPassword: dexSecrets.keyRef('ldap.bindPW'),
          userSearch: { baseDn: 'ou=users,dc=example,dc=com', filter: '(objectClass=person)' },
          groupSearch: { baseDn: 'ou=groups,dc=example,dc=com', filter: '(objectClass=groupOfNames)' },
        }),
        DexConnector.saml({
          id: 'okta',
          name: 'Okta',
          ssoUrl: 'https://mycompany.okta.com/app/example/sso/saml',
          caPem: OKTA_SAML_CA,
          usernameAttr: 'email',
          groupsAttr: 'groups',
        }),
      ],
    }),
    networkPolicies: {
      ...dex.networkPolicies!,
      // GitHub, the LDAP server and Okta, reached by Dex.
      identityProviders: [
        { cidrs: ['140.82.112.0/20'], ports: [443] },
        { cidrs: ['192.0.2.10/32'], ports: [636] },
        { cidrs: ['198.51.100.30/32'], ports: [443] },
      ],
    },
  });
}

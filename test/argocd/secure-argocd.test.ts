import { Chart } from 'cdk8s';
import * as YAML from 'yaml';
import {
  AccountCapability, ArgoCdRole, ArgoCdExposure, ArgoCdServerTls, ContainerImage, DexConnector, OidcSso, RespectRbac, ResourceTrackingMethod,
  SealedValue, SecretKeyRef, SecretSource, SecureArgoCD, SecureArgoCDProps, TlsVersion,
} from '../../src';
import { findObject, Manifest, synth, testChart } from '../support/synth';
import { expectValid } from '../support/validate';

const URL = 'https://argocd.example.com';
const NETWORK = { kubernetesApi: { cidrs: ['10.0.0.1/32'], ports: [6443] } };
const SEALED = (() => {
  const raw = Buffer.alloc(2 + 256 + 32, 7);
  raw.writeUInt16BE(256, 0);
  return raw.toString('base64');
})();

function keycloak(clientSecret = SecretKeyRef.fromExistingSecret('argocd-secret', 'oidc.keycloak.clientSecret')): OidcSso {
  return OidcSso.keycloak({ issuer: 'https://keycloak.example.com/realms/argo', clientId: 'argocd', clientSecret });
}

function build(props: SecureArgoCDProps = {}, chart: Chart = testChart()) {
  const argocd = new SecureArgoCD(chart, 'argocd', { url: URL, sso: keycloak(), networkPolicies: NETWORK, ...props });
  const manifests = synth(chart);
  expectValid(manifests);
  const data = (name: string) => findObject(manifests, 'ConfigMap', name).data as Record<string, string>;
  return { argocd, manifests, data };
}

/** Keys Argo CD v3.5.1 reads, from docs/operator-manual/argocd-cm.yaml. */
const ARGOCD_CM_KEYS = /^(url|additionalUrls|admin\.enabled|users\.anonymous\.enabled|exec\.enabled|statusbadge\.enabled|oidc\.tls\.insecure\.skip\.verify|oidc\.config|dex\.config|application\.sync\.requireOverridePrivilegeForRevisionSync|application\.resourceTrackingMethod|resource\.respectRBAC|application\.sync\.impersonation\.(enabled|enforced)|resource\.exclusions|accounts\.[a-z0-9_-]+(\.enabled)?|resource\.customizations\.(health|ignoreResourceUpdates)\.[A-Za-z0-9._-]+)$/;
/** Keys of argocd-cmd-params-cm that install.yaml v3.5.1 passes to the components. */
const CMD_PARAMS_KEYS = /^(server\.(insecure|disable\.auth|tls\.minversion|dex\.server\.(plaintext|strict\.tls))|reposerver\.(disable\.tls|tls\.minversion|client\.ca\.path)|dexserver\.(disable\.tls|connector\.failure\.continue)|(server|controller|applicationsetcontroller|notificationscontroller)\.repo\.server\.(plaintext|ca\.cert\.path|client\.cert\.path|client\.cert\.key\.path))$/;

describe('SecureArgoCD secure defaults', () => {
  const { argocd, manifests, data } = build();
  const cm = data('argocd-cm');
  const params = data('argocd-cmd-params-cm');

  test('upstream ConfigMap names, labels and namespace', () => {
    for (const name of ['argocd-cm', 'argocd-rbac-cm', 'argocd-cmd-params-cm']) {
      const m = findObject(manifests, 'ConfigMap', name);
      expect(m.metadata.namespace).toBe('argocd');
      expect(m.metadata.labels).toMatchObject({ 'app.kubernetes.io/part-of': 'argocd', 'app.kubernetes.io/name': name });
    }
    expect(argocd.namespace).toBe('argocd');
  });

  test('writes its namespace first, with restricted Pod Security: the first apply needs it', () => {
    const namespaces = manifests.filter((m) => m.kind === 'Namespace');
    expect(namespaces.map((m) => m.metadata.name)).toEqual(['argocd']);
    expect(namespaces[0].metadata.labels).toMatchObject({
      'app.kubernetes.io/part-of': 'argocd',
      'app.kubernetes.io/component': 'namespace',
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'v1.28',
    });
    expect(namespaces[0].metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('0');
    const { manifests: other } = build({ namespace: 'gitops' });
    expect(other.filter((m) => m.kind === 'Namespace').map((m) => m.metadata.name)).toEqual(['gitops']);
  });

  test('local admin is off with SSO', () => expect(cm['admin.enabled']).toBe('false'));
  test('anonymous users are off', () => expect(cm['users.anonymous.enabled']).toBe('false'));
  test('exec is off', () => expect(cm['exec.enabled']).toBe('false'));
  test('status badges are off', () => expect(cm['statusbadge.enabled']).toBe('false'));
  test('OIDC certificate verification stays on', () => expect(cm['oidc.tls.insecure.skip.verify']).toBe('false'));
  test('syncing another revision needs override', () => expect(cm['application.sync.requireOverridePrivilegeForRevisionSync']).toBe('true'));
  test('annotation tracking', () => expect(cm['application.resourceTrackingMethod']).toBe('annotation'));
  test('no local accounts, no Dex next to OIDC', () => {
    expect(Object.keys(cm).filter((k) => k.startsWith('accounts.'))).toEqual([]);
    expect(cm['dex.config']).toBeUndefined();
  });

  test('oidc.config is YAML from the typed object with a $key reference', () => {
    expect(YAML.parse(cm['oidc.config'])).toEqual({
      name: 'Keycloak',
      issuer: 'https://keycloak.example.com/realms/argo',
      clientID: 'argocd',
      clientSecret: '$oidc.keycloak.clientSecret',
      requestedScopes: ['openid', 'profile', 'email', 'groups'],
      requestedIDTokenClaims: { groups: { essential: true } },
    });
  });

  test('policy.default is not set: everything not granted is denied', () => {
    expect(data('argocd-rbac-cm')['policy.default']).toBeUndefined();
    expect(argocd.rbacConfigData()).toEqual(data('argocd-rbac-cm'));
  });

  test('server TLS on, 1.2 minimum, auth on', () => {
    expect(params['server.insecure']).toBe('false');
    expect(params['server.disable.auth']).toBe('false');
    expect(params['server.tls.minversion']).toBe('1.2');
    expect(params['reposerver.tls.minversion']).toBe('1.2');
    expect(params['reposerver.disable.tls']).toBe('false');
  });

  test('Dex: TLS on, failing connectors fail the login', () => {
    expect(params['server.dex.server.plaintext']).toBe('false');
    // Without Dex and its certificate, strict TLS would make argocd-server exit at startup.
    expect(params['server.dex.server.strict.tls']).toBeUndefined();
    expect(params['dexserver.disable.tls']).toBe('false');
    expect(params['dexserver.connector.failure.continue']).toBe('false');
  });

  test('no client talks to the repo-server in plaintext', () => {
    for (const c of ['server', 'controller', 'applicationsetcontroller', 'notificationscontroller']) {
      expect(params[`${c}.repo.server.plaintext`]).toBe('false');
    }
  });

  test('network policies are on', () => {
    expect(manifests.filter((m) => m.kind === 'NetworkPolicy').length).toBeGreaterThan(1);
  });

  test('every key is one Argo CD v3.5 reads', () => {
    const full = build({
      accounts: [{ name: 'ci', capabilities: [AccountCapability.API_KEY], enabled: false }],
      additionalUrls: ['https://argocd2.example.com'],
      respectRbac: RespectRbac.STRICT,
      syncImpersonation: true,
      healthChecks: [{ group: 'cert-manager.io', kind: 'Certificate', script: 'hs = {}\nreturn hs' }],
      resourceExclusions: [{ apiGroups: ['velero.io'], kinds: ['Backup'] }],
      repoServerTls: { mtlsSecret: SecretSource.sealed({ values: { 'client-ca.crt': SealedValue.preSealed(SEALED), 'client.crt': SealedValue.preSealed(SEALED), 'client.key': SealedValue.preSealed(SEALED) } }) },
    });
    expect(Object.keys(full.data('argocd-cm')).filter((k) => !ARGOCD_CM_KEYS.test(k))).toEqual([]);
    expect(Object.keys(full.data('argocd-cmd-params-cm')).filter((k) => !CMD_PARAMS_KEYS.test(k))).toEqual([]);
  });
});

describe('SecureArgoCD options', () => {
  test('namespace', () => {
    const { manifests } = build({ namespace: 'argo' });
    expect(manifests.filter((m) => m.kind === 'ConfigMap').every((m) => m.metadata.namespace === 'argo')).toBe(true);
  });

  test('re-enabling local admin is explicit', () => {
    expect(build({ enableLocalAdmin: true }).data('argocd-cm')['admin.enabled']).toBe('true');
  });

  test('local accounts get only the capabilities asked for', () => {
    const cm = build({
      accounts: [
        { name: 'ci', capabilities: [AccountCapability.API_KEY] },
        { name: 'alice', capabilities: [AccountCapability.LOGIN, AccountCapability.API_KEY], enabled: false },
      ],
    }).data('argocd-cm');
    expect(cm['accounts.ci']).toBe('apiKey');
    expect(cm['accounts.ci.enabled']).toBeUndefined();
    expect(cm['accounts.alice']).toBe('apiKey, login');
    expect(cm['accounts.alice.enabled']).toBe('false');
  });

  test('opt-ins: exec, status badge, impersonation, strict respectRBAC, tracking', () => {
    const cm = build({
      enableExec: { reason: 'on-call debugging' },
      enableStatusBadge: true,
      syncImpersonation: true,
      respectRbac: RespectRbac.STRICT,
      resourceTrackingMethod: ResourceTrackingMethod.ANNOTATION_AND_LABEL,
    }).data('argocd-cm');
    expect(cm).toMatchObject({
      'exec.enabled': 'true',
      'statusbadge.enabled': 'true',
      'application.sync.impersonation.enabled': 'true',
      'application.sync.impersonation.enforced': 'true',
      'resource.respectRBAC': 'strict',
      'application.resourceTrackingMethod': 'annotation+label',
    });
  });

  test('Lua health checks and resource exclusions', () => {
    const script = 'hs = {}\nhs.status = "Healthy"\nreturn hs\n';
    const cm = build({
      healthChecks: [{ group: 'cert-manager.io', kind: 'Certificate', script }, { group: '', kind: 'PersistentVolumeClaim', script }],
      resourceExclusions: [{ apiGroups: ['velero.io'], kinds: ['Backup', 'Restore'], clusters: ['https://kubernetes.default.svc'] }],
    }).data('argocd-cm');
    expect(cm['resource.customizations.health.cert-manager.io_Certificate']).toBe(script);
    expect(cm['resource.customizations.health.PersistentVolumeClaim']).toBe(script);
    const exclusions = YAML.parse(cm['resource.exclusions']);
    expect(exclusions).toHaveLength(8);
    expect(exclusions[7]).toEqual({ apiGroups: ['velero.io'], kinds: ['Backup', 'Restore'], clusters: ['https://kubernetes.default.svc'] });
    expect(() => build({ healthChecks: [{ group: 'x', kind: 'Y', script: 'hs = {}' }] })).toThrow(/healthChecks\[0\].script/);
    expect(() => build({ healthChecks: [{ group: 'Bad_Group', kind: 'Y', script: 'return hs' }] })).toThrow(/healthChecks\[0\].group/);
  });

  test('health checks cannot use globs, which are not allowed in ConfigMap keys', () => {
    const script = 'hs = {}\nreturn hs';
    expect(() => build({ healthChecks: [{ group: '*', kind: 'Certificate', script }] })).toThrow(/healthChecks\[0\].group: '\*' is not an API group: .*\(no '\*'\)/);
    expect(() => build({ healthChecks: [{ group: 'cert-manager.io', kind: '*', script }] })).toThrow(/healthChecks\[0\].kind: '\*' .*ConfigMap key/);
  });

  test('keeps the resource exclusions and update filters of upstream install.yaml, which argocd-cm replaces', () => {
    const cm = build().data('argocd-cm');
    // Every data key must be a valid ConfigMap key.
    expect(Object.keys(cm).filter((k) => !/^[-._a-zA-Z0-9]+$/.test(k))).toEqual([]);
    const excluded = (YAML.parse(cm['resource.exclusions']) as Array<{ apiGroups: string[]; kinds: string[] }>)
      .flatMap((e) => e.apiGroups.flatMap((g) => e.kinds.map((k) => `${g}/${k}`)));
    for (const kind of ['/Endpoints', 'discovery.k8s.io/EndpointSlice', 'coordination.k8s.io/Lease', 'authorization.k8s.io/SubjectAccessReview',
      'certificates.k8s.io/CertificateSigningRequest', 'cert-manager.io/CertificateRequest', 'cilium.io/CiliumIdentity', 'kyverno.io/UpdateRequest']) {
      expect(excluded).toContain(kind);
    }
    expect(YAML.parse(cm['resource.customizations.ignoreResourceUpdates.all'])).toEqual({ jsonPointers: ['/status'] });
    expect(Object.keys(cm).filter((k) => k.startsWith('resource.customizations.ignoreResourceUpdates.')).sort()).toEqual([
      'ConfigMap', 'Endpoints', 'all', 'apps_ReplicaSet', 'argoproj.io_Application', 'argoproj.io_Rollout',
      'autoscaling_HorizontalPodAutoscaler', 'discovery.k8s.io_EndpointSlice',
    ].map((k) => `resource.customizations.ignoreResourceUpdates.${k}`));
  });

  test('TLS 1.3 is selectable', () => {
    const params = build({ serverTlsMinVersion: TlsVersion.TLS_1_3, repoServerTlsMinVersion: TlsVersion.TLS_1_3 }).data('argocd-cmd-params-cm');
    expect(params['server.tls.minversion']).toBe('1.3');
    expect(params['reposerver.tls.minversion']).toBe('1.3');
  });

  test('repo-server certificate verification the v3.5 way', () => {
    const params = build({ repoServerTls: { verifyCertificate: true } }).data('argocd-cmd-params-cm');
    expect(params['server.repo.server.ca.cert.path']).toBe('/app/config/server/tls/ca.crt');
    expect(params['controller.repo.server.ca.cert.path']).toBe('/app/config/controller/tls/ca.crt');
    expect(params['applicationsetcontroller.repo.server.ca.cert.path']).toBe('/app/config/reposerver/tls/ca.crt');
    expect(params['notificationscontroller.repo.server.ca.cert.path']).toBe('/app/config/reposerver/tls/ca.crt');
    expect(Object.keys(params).some((k) => k.endsWith('strict.tls') && k.includes('repo.server'))).toBe(false);
  });

  test('repo-server mTLS: argocd-repo-server-mtls through SealedOrExternalSecret', () => {
    const { manifests, data } = build({
      repoServerTls: { mtlsSecret: SecretSource.sealed({ values: { 'client-ca.crt': SealedValue.preSealed(SEALED), 'client.crt': SealedValue.preSealed(SEALED), 'client.key': SealedValue.preSealed(SEALED) } }) },
    });
    const sealed = findObject(manifests, 'SealedSecret', 'argocd-repo-server-mtls');
    expect(sealed.metadata.namespace).toBe('argocd');
    expect(Object.keys(sealed.spec.encryptedData).sort()).toEqual(['client-ca.crt', 'client.crt', 'client.key']);
    expect(sealed.spec.template.metadata.labels).toMatchObject({ 'app.kubernetes.io/part-of': 'argocd' });
    const params = data('argocd-cmd-params-cm');
    expect(params['reposerver.client.ca.path']).toBe('/app/config/reposerver/mtls/client-ca.crt');
    expect(params['server.repo.server.client.cert.path']).toBe('/app/config/reposerver/mtls/client.crt');
    expect(params['controller.repo.server.client.cert.key.path']).toBe('/app/config/reposerver/mtls/client.key');
    expect(params['server.repo.server.ca.cert.path']).toBe('/app/config/server/tls/ca.crt');
  });

  test('repo-server mTLS needs every key install.yaml mounts', () => {
    expect(() => build({ repoServerTls: { mtlsSecret: SecretSource.sealed({ values: { 'client.crt': SealedValue.preSealed(SEALED), 'client.key': SealedValue.preSealed(SEALED) } }) } }))
      .toThrow(/SecureArgoCD 'test\/argocd': repoServerTls.mtlsSecret: lacks 'client-ca.crt'/);
  });

  test('Dex: dex.config from typed connectors, no oidc.config', () => {
    const sso = OidcSso.dex({
      connectors: [DexConnector.github({ clientId: 'abc', clientSecret: SecretKeyRef.fromExistingSecret('argocd-secret', 'dex.github.clientSecret'), orgs: [{ name: 'myorg', teams: ['admin-team'] }] })],
    });
    const cm = build({ sso }).data('argocd-cm');
    expect(cm['oidc.config']).toBeUndefined();
    expect(YAML.parse(cm['dex.config'])).toEqual({
      connectors: [{ type: 'github', id: 'github', name: 'GitHub', config: { clientID: 'abc', clientSecret: '$dex.github.clientSecret', orgs: [{ name: 'myorg', teams: ['admin-team'] }] } }],
    });
  });

  test('$<secret>:<key> for a labelled Secret in the Argo CD namespace', () => {
    const ref = SecretKeyRef.fromExistingSecret('keycloak-client', 'secret', { namespace: 'argocd', labels: { 'app.kubernetes.io/part-of': 'argocd' } });
    expect(YAML.parse(build({ sso: keycloak(ref) }).data('argocd-cm')['oidc.config']).clientSecret).toBe('$keycloak-client:secret');
  });

  test('PKCE redirect URI', () => {
    const sso = OidcSso.oidc({ issuer: 'https://idp.example.com', clientId: 'argocd', clientSecret: SecretKeyRef.fromExistingSecret('argocd-secret', 'k'), enablePkce: true });
    expect(build({ sso, url: 'https://argocd.example.com/' }).argocd.pkceRedirectUri).toBe('https://argocd.example.com/auth/callback');
  });

  test('exposure: TLS ingress, url from its host', () => {
    const { manifests, argocd, data } = build({ url: undefined, exposure: ArgoCdExposure.ingressNginx({ host: 'argocd.example.com', tls: ArgoCdServerTls.fromExistingSecret('argocd-server-tls') }) });
    expect(findObject(manifests, 'Ingress').spec.tls[0].hosts).toEqual(['argocd.example.com']);
    expect(argocd.url).toBe('https://argocd.example.com');
    expect(data('argocd-cm').url).toBe('https://argocd.example.com');
    expect(() => build({ url: 'https://other.example.com', exposure: ArgoCdExposure.ingressNginx({ host: 'argocd.example.com', tls: ArgoCdServerTls.fromExistingSecret('argocd-server-tls') }) }))
      .toThrow(/url: .* is not served by the exposure's host/);
  });

  test('vault plugin in the Argo CD namespace', () => {
    const image = ContainerImage.fromReference('registry.example.com/argocd-vault-plugin:1.18.1@sha256:f924e49625fbc942583fc701a28058f183d610e07a035081a273798522147671');
    const { argocd, manifests } = build({ vaultPlugin: { image, vaultAddress: 'https://vault.example.com:8200', vaultRole: 'argocd' } });
    expect(argocd.vaultPlugin).toBeDefined();
    expect(manifests.filter((m) => m.kind === 'ConfigMap' && m.metadata.namespace === 'argocd').length).toBeGreaterThanOrEqual(4);
  });

  test('network policies can be opted out explicitly', () => {
    const chart = testChart();
    new SecureArgoCD(chart, 'argocd', { url: URL, sso: keycloak(), disableNetworkPolicies: { reason: 'policies managed elsewhere' } });
    expect(synth(chart).filter((m: Manifest) => m.kind === 'NetworkPolicy')).toEqual([]);
  });
});

describe('SecureArgoCD errors at synth', () => {
  const make = (props: SecureArgoCDProps) => () => new SecureArgoCD(testChart(), 'argocd', { networkPolicies: NETWORK, ...props });
  // Problems of values made by factories (OidcSso, SecretKeyRef) are reported at synth, with the path.
  const synthOf = (props: SecureArgoCDProps) => () => synth(make(props)().node.scope as Chart);

  test('no SSO and local admin disabled, unless accepted', () => {
    expect(make({ url: URL })).toThrow(/SecureArgoCD 'test\/argocd': sso: no SSO, local admin disabled and no account with login: nobody could log in/);
    expect(make({ url: URL, allowNoInteractiveLogin: { reason: 'API tokens only' }, accounts: [{ name: 'ci', capabilities: [AccountCapability.API_KEY] }] })).not.toThrow();
    expect(make({ url: URL, enableLocalAdmin: true })).not.toThrow();
    expect(make({ url: URL, accounts: [{ name: 'ops', capabilities: [AccountCapability.LOGIN] }] })).not.toThrow();
  });

  test('an http:// URL or issuer', () => {
    expect(make({ url: 'http://argocd.example.com', sso: keycloak() })).toThrow(/url: 'http:\/\/argocd.example.com' does not use https/);
    expect(synthOf({ url: URL, additionalUrls: ['http://x.example.com'], sso: keycloak() })).toThrow(/additionalUrls\[0\]/);
    const httpIssuer = OidcSso.oidc({ issuer: 'http://idp.example.com', clientId: 'a', clientSecret: SecretKeyRef.fromExistingSecret('argocd-secret', 'k') });
    expect(synthOf({ url: URL, sso: httpIssuer })).toThrow(/test\/argocd.*sso\.issuer: 'http:\/\/idp\.example\.com' does not use https/);
  });

  test('a url with a query or fragment, to which Argo CD would append its callback paths', () => {
    expect(make({ url: 'https://argocd.example.com/?x=1', sso: keycloak() })).toThrow(/SecureArgoCD 'test\/argocd': url: .* has a query/);
    expect(synthOf({ url: URL, additionalUrls: ['https://x.example.com#a'], sso: keycloak() })).toThrow(/additionalUrls\[0\]: .* has a fragment/);
  });

  test('free text starting with $, which Argo CD would replace with a secret, is refused in oidc.config and dex.config', () => {
    const clientSecret = SecretKeyRef.fromExistingSecret('argocd-secret', 'oidc.clientSecret');
    expect(make({ url: URL, sso: OidcSso.oidc({ name: '$server.secretkey', issuer: 'https://idp.example.com', clientId: 'argocd', clientSecret }) }))
      .toThrow(/SecureArgoCD 'test\/argocd': sso.name: '\$server.secretkey' starts with '\$'.*remove the '\$'/);
    const ldap = DexConnector.ldap({
      host: 'ldap.example.com:636',
      bindDn: 'cn=argocd,dc=example,dc=com',
      bindPassword: SecretKeyRef.fromExistingSecret('argocd-secret', 'dex.ldap.bindPW'),
      userSearch: { baseDn: 'ou=users,dc=example,dc=com', filter: '$server.secretkey' },
    });
    expect(make({ url: URL, sso: OidcSso.dex({ connectors: [ldap] }) })).toThrow(/sso.connectors\[0\].config.userSearch.filter: '\$server.secretkey' starts with '\$'/);
    // The references themselves are still written.
    const plainLdap = DexConnector.ldap({
      host: 'ldap.example.com:636',
      bindDn: 'cn=argocd,dc=example,dc=com',
      bindPassword: SecretKeyRef.fromExistingSecret('argocd-secret', 'dex.ldap.bindPW'),
      userSearch: { baseDn: 'ou=users,dc=example,dc=com' },
    });
    const ok = OidcSso.dex({ connectors: [plainLdap] });
    expect(YAML.parse(build({ sso: ok }).data('argocd-cm')['dex.config']).connectors[0].config.bindPW).toBe('$dex.ldap.bindPW');
  });

  test('SSO needs a url', () => {
    expect(make({ sso: keycloak() })).toThrow(/url: is required with SSO/);
  });

  test('an unknown RBAC resource or action', () => {
    const role = (resource: any, action: any) => ArgoCdRole.custom('x', { policies: [{ resource, action, object: '*/*' }] });
    expect(synthOf({ url: URL, sso: keycloak(), rbac: { roles: [role('widgets', { value: 'get' })] } })).toThrow(/SecureArgoCD 'test\/argocd': rbac role 'x' policies\[0\]: unknown resource 'widgets'/);
    expect(synthOf({ url: URL, sso: keycloak(), rbac: { roles: [role('applications', { value: 'destroy' })] } })).toThrow(/unknown action 'destroy'/);
  });

  test('a subject with a comma is one quoted CSV field, not a second role', () => {
    const manifests = synthOf({ url: URL, sso: keycloak(), rbac: { groupMappings: [{ group: 'dev-team, role:admin', role: ArgoCdRole.readonly() }] } })();
    const csv = findObject(manifests, 'ConfigMap', 'argocd-rbac-cm').data['policy.csv'] as string;
    expect(csv).toContain('g, "dev-team, role:admin", role:readonly');
    expect(csv).not.toMatch(/^g, dev-team, role:admin/m);
  });

  test('TLS below 1.2', () => {
    expect(make({ url: URL, sso: keycloak(), serverTlsMinVersion: '1.1' as TlsVersion })).toThrow(/serverTlsMinVersion: '1.1' is not allowed/);
    expect(make({ url: URL, sso: keycloak(), repoServerTlsMinVersion: '1.0' as TlsVersion })).toThrow(/repoServerTlsMinVersion/);
  });

  test('a secret given as anything but a reference', () => {
    expect(synthOf({ url: URL, sso: keycloak('s3cr3t' as any) })).toThrow(/sso\.clientSecret: is not a SecretKeyRef/);
    expect(make({ url: URL, sso: keycloak(), repoServerTls: { mtlsSecret: 'pem' as any } })).toThrow(/repoServerTls.mtlsSecret: is not a SecretSource/);
  });

  test('a reference Argo CD could not resolve', () => {
    const unlabelled = SecretKeyRef.fromExistingSecret('keycloak-client', 'secret');
    expect(make({ url: URL, sso: keycloak(unlabelled) })).toThrow(/sso.clientSecret: Secret 'keycloak-client' is not known to carry the label app.kubernetes.io\/part-of: argocd/);
    const elsewhere = SecretKeyRef.fromExistingSecret('argocd-secret', 'k', { namespace: 'other' });
    expect(make({ url: URL, sso: keycloak(elsewhere) })).toThrow(/sso.clientSecret: .* is in namespace 'other'/);
  });

  test('group mappings without a groups claim', () => {
    const sso = OidcSso.oidc({ issuer: 'https://idp.example.com', clientId: 'a', clientSecret: SecretKeyRef.fromExistingSecret('argocd-secret', 'k'), requestedScopes: ['openid'], requestedIdTokenClaims: {} });
    expect(make({ url: URL, sso, rbac: { groupMappings: [{ group: 'g', role: ArgoCdRole.readonly() }] } })).toThrow(/rbac.groupMappings: map groups, but/);
  });

  test('network policies are required unless disabled', () => {
    expect(() => new SecureArgoCD(testChart(), 'argocd', { url: URL, sso: keycloak() })).toThrow(/networkPolicies: is required/);
  });

  test('local accounts: valid names, not admin, with capabilities', () => {
    expect(make({ url: URL, sso: keycloak(), accounts: [{ name: 'admin', capabilities: [AccountCapability.LOGIN] }] })).toThrow(/accounts\[0\].name/);
    // accounts.ci.enabled would read as the enabled flag of account 'ci'.
    expect(make({ url: URL, sso: keycloak(), accounts: [{ name: 'ci.enabled', capabilities: [AccountCapability.API_KEY] }] }))
      .toThrow(/accounts\[0\].name: 'ci.enabled' is not a valid account name: .*no '\.'/);
    expect(make({ url: URL, sso: keycloak(), accounts: [{ name: 'ci', capabilities: [] }] })).toThrow(/accounts\[0\].capabilities: is empty/);
  });
});

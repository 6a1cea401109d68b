// Every rule of every pack, in pairs: an object that complies and one that does not.
import { PolicyCheck, PolicyLevel, PolicyPack } from '../../src';

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;
const IMAGE = `registry.example.com/app:1.0.0@${DIGEST}`;

function deployment(mutate: (pod: any, container: any) => void = () => undefined, namespace = 'shop'): any {
  const d: any = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } },
          volumes: [{ name: 'tmp', emptyDir: {} }],
          containers: [{
            name: 'web',
            image: IMAGE,
            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
            resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } },
          }],
        },
      },
    },
  };
  mutate(d.spec.template.spec, d.spec.template.spec.containers[0]);
  return d;
}

const DENY_ALL = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'shop' }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } };
const cm = (name: string, data: Record<string, string>, namespace = 'argocd') => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data });
const role = (rules: object[], kind = 'Role') => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata: { name: 'r', ...(kind === 'Role' ? { namespace: 'shop' } : {}) }, rules });
const binding = (kind: string, roleRef: object, subjects: object[]) => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind,
  metadata: { name: 'b', ...(kind === 'RoleBinding' ? { namespace: 'shop' } : {}) },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef },
  subjects,
});
const policy = (spec: object) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace: 'shop' }, spec });
const workflow = (spec: object) => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { name: 'w', namespace: 'ci' }, spec });
const argoServer = (args: string[]) => deployment((_pod, c) => { c.args = args; c.image = `quay.io/argoproj/argocli:v4.1.2@${DIGEST}`; });

interface Pair {
  readonly compliant: object[];
  readonly nonCompliant: object[];
  /** Text of the finding's `location: message`. */
  readonly finding: string;
}

const PAIRS: Record<string, Pair> = {
  'POD-HOST-NAMESPACES': { compliant: [deployment()], nonCompliant: [deployment((p) => { p.hostPID = true; })], finding: 'spec.template.spec.hostPID: must not be true' },
  'POD-PRIVILEGED': { compliant: [deployment((_p, c) => { c.securityContext.privileged = false; })], nonCompliant: [deployment((_p, c) => { c.securityContext.privileged = true; })], finding: 'containers[0].securityContext.privileged: must not be true' },
  'POD-PRIVILEGE-ESCALATION': { compliant: [deployment()], nonCompliant: [deployment((_p, c) => { delete c.securityContext.allowPrivilegeEscalation; })], finding: 'allowPrivilegeEscalation: must be false' },
  'POD-RUN-AS-NON-ROOT': { compliant: [deployment()], nonCompliant: [deployment((p) => { p.securityContext.runAsUser = 0; })], finding: 'spec.template.spec.securityContext.runAsUser: must not be 0 (root)' },
  'POD-CAPABILITIES': { compliant: [deployment((_p, c) => { c.securityContext.capabilities.add = ['NET_BIND_SERVICE']; })], nonCompliant: [deployment((_p, c) => { c.securityContext.capabilities.add = ['NET_ADMIN']; })], finding: 'may only add NET_BIND_SERVICE, not "NET_ADMIN"' },
  'POD-SECCOMP': { compliant: [deployment((_p, c) => { c.securityContext.seccompProfile = { type: 'Localhost', localhostProfile: 'p.json' }; })], nonCompliant: [deployment((p) => { p.securityContext.seccompProfile = { type: 'Unconfined' }; })], finding: 'must be RuntimeDefault or Localhost, got "Unconfined"' },
  'POD-SELINUX': { compliant: [deployment((p) => { p.securityContext.seLinuxOptions = { level: 's0:c1' }; })], nonCompliant: [deployment((p) => { p.securityContext.seLinuxOptions = { type: 'spc_t' }; })], finding: 'seLinuxOptions.type: must be one of' },
  'POD-APPARMOR': {
    compliant: [{ ...deployment(), spec: { ...deployment().spec, template: { ...deployment().spec.template, metadata: { labels: { app: 'web' }, annotations: { 'container.apparmor.security.beta.kubernetes.io/web': 'runtime/default' } } } } }],
    nonCompliant: [{ ...deployment(), spec: { ...deployment().spec, template: { ...deployment().spec.template, metadata: { labels: { app: 'web' }, annotations: { 'container.apparmor.security.beta.kubernetes.io/web': 'unconfined' } } } } }],
    finding: 'spec.template.metadata.annotations["container.apparmor.security.beta.kubernetes.io/web"]: "unconfined" is not runtime/default',
  },
  'POD-HOST-PROCESS': { compliant: [deployment()], nonCompliant: [deployment((p) => { p.securityContext.windowsOptions = { hostProcess: true }; })], finding: 'windowsOptions.hostProcess: must not be true' },
  'POD-PROC-MOUNT': { compliant: [deployment((_p, c) => { c.securityContext.procMount = 'Default'; })], nonCompliant: [deployment((_p, c) => { c.securityContext.procMount = 'Unmasked'; })], finding: 'procMount: must be Default' },
  'POD-SYSCTLS': { compliant: [deployment((p) => { p.securityContext.sysctls = [{ name: 'net.ipv4.ip_local_port_range', value: '1024 65535' }]; })], nonCompliant: [deployment((p) => { p.securityContext.sysctls = [{ name: 'kernel.msgmax', value: '1' }]; })], finding: '"kernel.msgmax" is not a safe sysctl' },
  'POD-VOLUME-TYPES': { compliant: [deployment()], nonCompliant: [deployment((p) => { p.volumes.push({ name: 'sock', hostPath: { path: '/var/run/docker.sock' } }); })], finding: 'volumes[1].hostPath: hostPath volumes are not allowed' },
  'POD-HOST-PORTS': { compliant: [deployment((_p, c) => { c.ports = [{ containerPort: 8080 }]; })], nonCompliant: [deployment((_p, c) => { c.ports = [{ containerPort: 8080, hostPort: 80 }]; })], finding: 'ports[0].hostPort: host ports are not allowed' },
  'POD-READ-ONLY-ROOT-FS': { compliant: [deployment()], nonCompliant: [deployment((_p, c) => { c.securityContext.readOnlyRootFilesystem = false; })], finding: 'readOnlyRootFilesystem: must be true' },
  'POD-RESOURCES': { compliant: [deployment()], nonCompliant: [deployment((_p, c) => { delete c.resources.limits; })], finding: 'resources.limits.memory: must be set' },
  'POD-SERVICE-ACCOUNT-TOKEN': { compliant: [deployment()], nonCompliant: [deployment((p) => { delete p.automountServiceAccountToken; })], finding: 'spec.template.spec.automountServiceAccountToken: must be false' },
  'IMG-NO-LATEST': { compliant: [deployment()], nonCompliant: [deployment((_p, c) => { c.image = 'nginx:latest'; })], finding: '"nginx:latest" uses the latest tag and no digest' },
  'IMG-DIGEST': { compliant: [deployment()], nonCompliant: [deployment((_p, c) => { c.image = 'nginx:1.27'; })], finding: '"nginx:1.27" is not pinned by digest' },
  'IMG-PLACEHOLDER-DIGEST': { compliant: [deployment()], nonCompliant: [deployment((_p, c) => { c.image = `nginx:1.27@sha256:${'0'.repeat(60)}1234`; })], finding: 'is a placeholder digest (16 or more identical characters in a row)' },
  'RBAC-WILDCARD': { compliant: [role([{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }])], nonCompliant: [role([{ apiGroups: [''], resources: ['pods'], verbs: ['*'] }])], finding: "rules[0].verbs: '*' grants every verb" },
  'RBAC-ESCALATION': { compliant: [role([{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['get'] }])], nonCompliant: [role([{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['escalate'] }])], finding: 'grants escalate on roles' },
  'RBAC-POD-EXEC': { compliant: [role([{ apiGroups: [''], resources: ['pods/log'], verbs: ['get'] }])], nonCompliant: [role([{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }])], finding: 'grants exec, attach or port-forward into pods' },
  'RBAC-CLUSTER-SECRETS': {
    compliant: [role([{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }], 'ClusterRole'), binding('RoleBinding', { kind: 'ClusterRole', name: 'r' }, [{ kind: 'ServiceAccount', name: 'app', namespace: 'shop' }])],
    nonCompliant: [role([{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }], 'ClusterRole'), binding('ClusterRoleBinding', { kind: 'ClusterRole', name: 'r' }, [{ kind: 'ServiceAccount', name: 'app', namespace: 'shop' }])],
    finding: 'roleRef: binds ClusterRole r, which reads Secrets, in every namespace',
  },
  'RBAC-CLUSTER-ADMIN': { compliant: [binding('RoleBinding', { kind: 'ClusterRole', name: 'view' }, [{ kind: 'Group', name: 'dev' }])], nonCompliant: [binding('RoleBinding', { kind: 'ClusterRole', name: 'cluster-admin' }, [{ kind: 'Group', name: 'dev' }])], finding: 'roleRef.name: binds cluster-admin' },
  'RBAC-ANONYMOUS': { compliant: [binding('RoleBinding', { kind: 'Role', name: 'r' }, [{ kind: 'Group', name: 'dev' }])], nonCompliant: [binding('RoleBinding', { kind: 'Role', name: 'r' }, [{ kind: 'Group', name: 'system:unauthenticated' }])], finding: 'subjects[0]: grants to system:unauthenticated' },
  'RBAC-DEFAULT-SERVICE-ACCOUNT': { compliant: [binding('RoleBinding', { kind: 'Role', name: 'r' }, [{ kind: 'ServiceAccount', name: 'app' }])], nonCompliant: [binding('RoleBinding', { kind: 'Role', name: 'r' }, [{ kind: 'ServiceAccount', name: 'default' }])], finding: 'grants to the default service account' },
  'SEC-LITERAL-DATA': { compliant: [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'shop' }, type: 'kubernetes.io/service-account-token' }], nonCompliant: [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'shop' }, stringData: { password: 'hunter2' } }], finding: 'stringData: literal secret values (password)' },
  'SEC-ENV-LITERAL': { compliant: [deployment((_p, c) => { c.env = [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }, { name: 'EXTERNAL_SECRET', value: 'web-db' }]; })], nonCompliant: [deployment((_p, c) => { c.env = [{ name: 'DB_PASSWORD', value: 'hunter2' }]; })], finding: 'env[0].value: DB_PASSWORD has a literal value' },
  'SEC-CONFIGMAP-CREDENTIAL': { compliant: [cm('app', { 'oidc.clientSecret': '$oidc:clientSecret', 'log.level': 'info' })], nonCompliant: [cm('app', { api_key: 'abc123' })], finding: 'api_key looks like a credential with a literal value' },
  'SEC-SEALED-CLUSTER-WIDE': {
    compliant: [{ apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata: { name: 's', namespace: 'shop' }, spec: { encryptedData: { a: 'AgB=' } } }],
    nonCompliant: [{ apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata: { name: 's', namespace: 'shop', annotations: { 'sealedsecrets.bitnami.com/cluster-wide': 'true' } }, spec: { encryptedData: { a: 'AgB=' } } }],
    finding: 'sealed cluster-wide',
  },
  'NET-DEFAULT-DENY': { compliant: [deployment(), DENY_ALL], nonCompliant: [deployment(), { ...DENY_ALL, spec: { podSelector: {}, policyTypes: ['Ingress'] } }], finding: 'namespace shop has no default-deny NetworkPolicy for egress' },
  'NET-ALLOW-ALL': { compliant: [policy({ podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }] }] })], nonCompliant: [policy({ podSelector: {}, ingress: [{ ports: [{ port: 80 }] }] })], finding: 'spec.ingress[0].from: no peers: allows every source' },
  'ARGOCD-ADMIN-ENABLED': { compliant: [cm('argocd-cm', { 'admin.enabled': 'false' })], nonCompliant: [cm('argocd-cm', {})], finding: 'the local admin account is enabled' },
  'ARGOCD-ANONYMOUS': { compliant: [cm('argocd-cm', { 'admin.enabled': 'false', 'users.anonymous.enabled': 'false' })], nonCompliant: [cm('argocd-cm', { 'admin.enabled': 'false', 'users.anonymous.enabled': 'true' })], finding: 'anonymous users are enabled' },
  'ARGOCD-EXEC': { compliant: [cm('argocd-cm', { 'admin.enabled': 'false', 'exec.enabled': 'false' })], nonCompliant: [cm('argocd-cm', { 'admin.enabled': 'false', 'exec.enabled': 'true' })], finding: 'the web terminal is enabled' },
  'ARGOCD-OIDC-INSECURE': { compliant: [cm('argocd-cm', { 'admin.enabled': 'false', 'oidc.tls.insecure.skip.verify': '1' })], nonCompliant: [cm('argocd-cm', { 'admin.enabled': 'false', 'oidc.tls.insecure.skip.verify': 'true' })], finding: 'certificate verification is off' },
  'ARGOCD-DISABLE-AUTH': { compliant: [cm('argocd-cmd-params-cm', { 'server.disable.auth': 'false' })], nonCompliant: [cm('argocd-cmd-params-cm', { 'server.disable.auth': 'true' })], finding: 'authentication is disabled' },
  'ARGOCD-INSECURE-SERVER': { compliant: [cm('argocd-cmd-params-cm', { 'server.insecure': 'false' })], nonCompliant: [cm('argocd-cmd-params-cm', { 'server.insecure': 'true' })], finding: 'the server serves plain HTTP' },
  'ARGOCD-PLAINTEXT': { compliant: [cm('argocd-cmd-params-cm', { 'server.repo.server.plaintext': 'false' })], nonCompliant: [cm('argocd-cmd-params-cm', { 'server.repo.server.plaintext': 'true' })], finding: 'data["server.repo.server.plaintext"]: TLS is off' },
  'ARGOCD-DEFAULT-ADMIN': { compliant: [cm('argocd-rbac-cm', { 'policy.csv': '' })], nonCompliant: [cm('argocd-rbac-cm', { 'policy.default': 'role:admin' })], finding: 'everyone is admin' },
  'ARGOCD-DEFAULT-ROLE': { compliant: [cm('argocd-rbac-cm', { 'policy.default': '' })], nonCompliant: [cm('argocd-rbac-cm', { 'policy.default': 'role:readonly' })], finding: 'everyone who signs in gets role:readonly' },
  'WF-TEMPLATE-REFERENCING': { compliant: [cm('workflow-controller-configmap', { workflowRestrictions: 'templateReferencing: Secure\n' }, 'argo')], nonCompliant: [cm('workflow-controller-configmap', { config: 'parallelism: 5\n' }, 'argo')], finding: 'templateReferencing is not Strict or Secure' },
  'WF-SSO-INSECURE': { compliant: [cm('workflow-controller-configmap', { sso: 'issuer: https://idp\n' }, 'argo')], nonCompliant: [cm('workflow-controller-configmap', { sso: 'issuer: https://idp\ninsecureSkipVerify: true\n' }, 'argo')], finding: 'insecureSkipVerify is true' },
  'WF-SERVER-AUTH-MODE': { compliant: [argoServer(['server', '--auth-mode=sso', '--auth-mode=client'])], nonCompliant: [argoServer(['server', '--auth-mode', 'server'])], finding: 'args: --auth-mode=server' },
  'WF-SERVER-INSECURE': { compliant: [argoServer(['server', '--secure=true'])], nonCompliant: [argoServer(['server', '--secure=false'])], finding: 'args: --secure=false' },
  'WF-POD-SPEC-PATCH': { compliant: [workflow({ workflowTemplateRef: { name: 't' } })], nonCompliant: [workflow({ workflowTemplateRef: { name: 't' }, podSpecPatch: '{}' })], finding: 'spec.podSpecPatch: podSpecPatch is not allowed' },
  'SCHEMA-STRICT': { compliant: [deployment()], nonCompliant: [deployment((_p, c) => { c.securityContext.readOnlyRootFileSystem = true; })], finding: 'containers[0].securityContext.readOnlyRootFileSystem: unknown field' },
};

function found(objects: object[], ruleId: string): string[] {
  return PolicyCheck.ofManifests(objects).findings.filter((f) => f.ruleId === ruleId).map((f) => `${f.location}: ${f.message}`);
}

describe('every rule, compliant and non-compliant', () => {
  const rules = PolicyPack.all().flatMap((p) => p.rules);

  test('every rule has a pair, ids are unique, and each rule says why and how to fix', () => {
    expect(Object.keys(PAIRS).sort()).toEqual(rules.map((r) => r.id).sort());
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
    for (const r of rules) {
      expect(r.why.length).toBeGreaterThan(30);
      expect(r.fix.length).toBeGreaterThan(15);
      expect([PolicyLevel.ERROR, PolicyLevel.WARNING]).toContain(r.level);
    }
  });

  test.each(Object.entries(PAIRS))('%s', (ruleId, pair) => {
    expect(found(pair.compliant, ruleId)).toEqual([]);
    const findings = found(pair.nonCompliant, ruleId);
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.join('\n')).toContain(pair.finding);
  });

  test('upstream API clients may mount a token; a look-alike with another image may not', () => {
    const server = (image: string) => deployment((p, c) => {
      delete p.automountServiceAccountToken;
      c.image = image;
    });
    const labelled = (d: any) => {
      d.spec.template.metadata.labels = { 'app.kubernetes.io/name': 'argocd-server' };
      return d;
    };
    expect(found([labelled(server(`quay.io/argoproj/argocd:v3.5.1@${DIGEST}`))], 'POD-SERVICE-ACCOUNT-TOKEN')).toEqual([]);
    expect(found([labelled(server(IMAGE))], 'POD-SERVICE-ACCOUNT-TOKEN')).toHaveLength(1);
    expect(found([server(`quay.io/argoproj/argocd:v3.5.1@${DIGEST}`)], 'POD-SERVICE-ACCOUNT-TOKEN')).toHaveLength(1);
  });

  test('Argo CD\'s in-cluster cluster Secret holds no credential; any other key makes it one', () => {
    const cluster = (stringData: object) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'in-cluster', namespace: 'argocd', labels: { 'argocd.argoproj.io/secret-type': 'cluster' } },
      stringData: { name: 'in-cluster', server: 'https://kubernetes.default.svc', config: '{"tlsClientConfig":{"insecure":false}}', ...stringData },
    });
    expect(found([cluster({})], 'SEC-LITERAL-DATA')).toEqual([]);
    expect(found([cluster({ config: '{"bearerToken":"abc","tlsClientConfig":{"insecure":false}}' })], 'SEC-LITERAL-DATA')).toHaveLength(1);
    expect(found([cluster({ password: 'x' })], 'SEC-LITERAL-DATA')).toHaveLength(1);
  });

  test('a remote cluster Secret holds no credential only when its config names a cloud identity', () => {
    const remote = (config: object, extra: object = {}) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'cluster-prod', namespace: 'argocd', labels: { 'argocd.argoproj.io/secret-type': 'cluster' } },
      stringData: { name: 'prod', server: 'https://prod.example.com', namespaces: 'a', clusterResources: 'false', config: JSON.stringify(config), ...extra },
    });
    const tls = { insecure: false, caData: 'Q0E=' };
    const gcp = { command: 'argocd-k8s-auth', args: ['gcp'], apiVersion: 'client.authentication.k8s.io/v1beta1' };
    const azure = (env: object) => ({ command: 'argocd-k8s-auth', args: ['azure'], env: { AAD_LOGIN_METHOD: 'workloadidentity', AZURE_CLIENT_ID: 'c', ...env } });
    for (const ok of [
      { awsAuthConfig: { clusterName: 'c', roleARN: 'arn:aws:iam::123456789012:role/r' }, tlsClientConfig: tls },
      { execProviderConfig: gcp, tlsClientConfig: tls },
      { execProviderConfig: azure({ AZURE_TENANT_ID: 't' }), tlsClientConfig: tls },
    ]) expect(found([remote(ok)], 'SEC-LITERAL-DATA')).toEqual([]);
    for (const leaking of [
      { bearerToken: 'abc', tlsClientConfig: tls },
      { username: 'u', password: 'p', tlsClientConfig: tls },
      { tlsClientConfig: { ...tls, keyData: 'a2V5', certData: 'Y2VydA==' } },
      { execProviderConfig: azure({ AZURE_CLIENT_SECRET: 's', AAD_LOGIN_METHOD: 'spn' }), tlsClientConfig: tls },
      { execProviderConfig: azure({ AAD_USER_PRINCIPAL_PASSWORD: 'p' }), tlsClientConfig: tls },
      { execProviderConfig: { ...gcp, env: { GOOGLE_APPLICATION_CREDENTIALS_JSON: '{}' } }, tlsClientConfig: tls },
      { execProviderConfig: { ...gcp, command: 'sh', args: ['-c', 'echo token'] }, tlsClientConfig: tls },
      { awsAuthConfig: { clusterName: 'c', roleARN: 'r', secretAccessKey: 'k' }, tlsClientConfig: tls },
      { execProviderConfig: gcp, tlsClientConfig: { insecure: true } },
    ]) expect([leaking, found([remote(leaking)], 'SEC-LITERAL-DATA')]).toEqual([leaking, [expect.anything()]]);
    expect(found([remote({ execProviderConfig: gcp, tlsClientConfig: tls }, { token: 'x' })], 'SEC-LITERAL-DATA')).toHaveLength(1);
  });

  test('values are read the way Argo CD reads them', () => {
    // argocd-cm switches are on only for exactly "true"; admin.enabled stays on unless ParseBool says false.
    expect(found([cm('argocd-cm', { 'admin.enabled': 'false', 'exec.enabled': 'True' })], 'ARGOCD-EXEC')).toEqual([]);
    expect(found([cm('argocd-cm', { 'admin.enabled': 'F' })], 'ARGOCD-ADMIN-ENABLED')).toEqual([]);
    expect(found([cm('argocd-cm', { 'admin.enabled': 'no' })], 'ARGOCD-ADMIN-ENABLED')).toHaveLength(1);
    // argocd-cmd-params-cm values are parsed with strconv.ParseBool.
    expect(found([cm('argocd-cmd-params-cm', { 'server.insecure': 'T' })], 'ARGOCD-INSECURE-SERVER')).toHaveLength(1);
  });

  test('the compliant Deployment passes every pack', () => {
    expect(PolicyCheck.ofManifests([deployment(), DENY_ALL]).toText()).toBe('');
  });
});

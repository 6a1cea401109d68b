import * as fs from 'fs';
import * as path from 'path';
import { Duration } from 'cdk8s';
import * as YAML from 'yaml';
import { DexConnector, OidcSso } from '../src/oidc-sso';
import { SecretKeyRef } from '../src/secret-ref';
import { HardenedWorkflowNamespace } from '../src/workflow-namespace';
import {
  ArgoServerAuthMode, PostgresSslMode, SecureArgoWorkflows, SecureArgoWorkflowsProps, TemplateReferencing,
  WorkflowControllerScope, WorkflowDatabase, WorkflowsAccessRole,
} from '../src/workflows';
import { expectRestricted } from './support/pod-security';
import { findObject, Manifest, synth, testChart } from './support/synth';
import { expectValid } from './support/validate';

/** The 31 top-level fields of `Config` in Argo Workflows v4.1.2 `config/config.go`. */
const V41_CONFIG_KEYS = [
  'nodeEvents', 'workflowEvents', 'executor', 'mainContainer', 'kubeConfig', 'artifactRepository', 'namespace',
  'instanceID', 'metricsConfig', 'telemetryConfig', 'parallelism', 'namespaceParallelism', 'resourceRateLimit',
  'persistence', 'links', 'columns', 'workflowDefaults', 'podSpecLogStrategy', 'podGCGracePeriodSeconds',
  'podGCDeleteDelayDuration', 'workflowRestrictions', 'initialDelay', 'images', 'retentionPolicy', 'navColor',
  'sso', 'synchronization', 'artifactDrivers', 'failedPodRestart', 'disableAgentPodCreation', 'initlessPod',
];

/**
 * Nested keys we emit below the top-level keys whose values are not Kubernetes types
 * (workflowDefaults, mainContainer and executor are checked against the Workflow CRD instead).
 * Each is checked against upstream's documented ConfigMap below.
 */
const EMITTED_NESTED_KEYS = [
  'metricsConfig.enabled', 'metricsConfig.path', 'metricsConfig.port', 'metricsConfig.secure',
  'resourceRateLimit.limit', 'resourceRateLimit.burst',
  'workflowRestrictions.templateReferencing',
  'persistence.archive', 'persistence.archiveTTL', 'persistence.nodeStatusOffLoad',
  'persistence.postgresql.host', 'persistence.postgresql.port', 'persistence.postgresql.database',
  'persistence.postgresql.tableName', 'persistence.postgresql.userNameSecret.name',
  'persistence.postgresql.userNameSecret.key', 'persistence.postgresql.passwordSecret.name',
  'persistence.postgresql.passwordSecret.key', 'persistence.postgresql.ssl', 'persistence.postgresql.sslMode',
  'persistence.mysql.host', 'persistence.mysql.port', 'persistence.mysql.database', 'persistence.mysql.tableName',
  'persistence.mysql.userNameSecret.name', 'persistence.mysql.userNameSecret.key',
  'persistence.mysql.passwordSecret.name', 'persistence.mysql.passwordSecret.key',
  'sso.issuer', 'sso.clientId.name', 'sso.clientId.key', 'sso.clientSecret.name', 'sso.clientSecret.key',
  'sso.redirectUrl', 'sso.scopes', 'sso.rbac.enabled', 'sso.sessionExpiry', 'sso.rootCA',
];

const DOCS = path.join(__dirname, 'fixtures', 'argo-workflow-controller-configmap.yaml');

function keyPaths(value: unknown, prefix: string, out: Set<string>): Set<string> {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) {
      const p = prefix ? `${prefix}.${k}` : k;
      if (v && typeof v === 'object' && !Array.isArray(v)) keyPaths(v, p, out);
      else out.add(p);
    }
  }
  return out;
}

/** Every nested key path of the emitted config (values parsed back from their YAML strings). */
function emittedPaths(data: Record<string, string>): Set<string> {
  const out = new Set<string>();
  for (const [key, text] of Object.entries(data)) {
    if (['workflowDefaults', 'mainContainer', 'executor'].includes(key)) continue;
    const value = YAML.parse(text);
    if (value && typeof value === 'object') keyPaths(value, key, out);
  }
  return out;
}

const CERT = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUexample\n-----END CERTIFICATE-----';

function keycloak(): OidcSso {
  return OidcSso.keycloak({
    issuer: 'https://keycloak.example.com/realms/argo',
    clientId: 'argo-workflows',
    clientSecret: SecretKeyRef.fromExistingSecret('argo-workflows-sso', 'client-secret'),
    rootCa: CERT,
  });
}

function ssoProps(): SecureArgoWorkflowsProps {
  return {
    authModes: [ArgoServerAuthMode.SSO, ArgoServerAuthMode.CLIENT],
    sso: {
      provider: keycloak(),
      clientIdRef: SecretKeyRef.fromExistingSecret('argo-workflows-sso', 'client-id'),
      serverUrl: 'https://workflows.example.com/',
      roles: [
        { role: WorkflowsAccessRole.ADMIN, groups: ['/platform-admins'] },
        { role: WorkflowsAccessRole.SUBMITTER, groups: ['developers', 'ci-bots'] },
        { role: WorkflowsAccessRole.VIEWER, groups: ['auditors'] },
      ],
    },
  };
}

function postgres(): WorkflowDatabase {
  return WorkflowDatabase.postgresql({
    host: 'postgres.db.svc',
    database: 'argo',
    username: SecretKeyRef.fromExistingSecret('argo-postgres', 'username'),
    password: SecretKeyRef.fromExistingSecret('argo-postgres', 'password'),
    sslMode: PostgresSslMode.VERIFY_FULL,
  });
}

/** An install with one managed namespace, synthesized. */
function build(props: SecureArgoWorkflowsProps = {}, namespaces: string[] = ['ci']): { manifests: Manifest[]; workflows: SecureArgoWorkflows } {
  const chart = testChart();
  const workflows = new SecureArgoWorkflows(chart, 'Workflows', props);
  for (const name of namespaces) {
    new HardenedWorkflowNamespace(chart, `Ns-${name}`, { workflows, name, kubernetesApiCidr: '10.96.0.1/32', kubernetesApiPort: 6443 });
  }
  return { manifests: synth(chart), workflows };
}

function configData(manifests: Manifest[]): Record<string, string> {
  return findObject(manifests, 'ConfigMap', 'workflow-controller-configmap').data;
}

describe('SecureArgoWorkflows controller config', () => {
  const { manifests } = build({ ...ssoProps(), persistence: { database: postgres() }, templateReferencing: TemplateReferencing.SECURE });
  const data = configData(manifests);

  test('is valid Kubernetes, with one data key per v4.1 config key', () => {
    expectValid(manifests);
    expectRestricted(manifests);
    for (const key of Object.keys(data)) expect(V41_CONFIG_KEYS).toContain(key);
    expect(Object.keys(data)).not.toContain('config');
    expect(Object.keys(data)).toEqual([...Object.keys(data)].sort());
  });

  test('never emits keys v4.1 does not have', () => {
    const text = JSON.stringify(data);
    for (const removed of ['containerRuntimeExecutor', 'podSecurityContext', 'semaphoreLimitCacheSeconds']) {
      expect(text).not.toContain(removed);
    }
    expect(Object.keys(data)).not.toContain('securityContext');
  });

  test('the nested keys it emits are exactly the allowed list, and upstream documents each', () => {
    const mysql = build({ persistence: { database: WorkflowDatabase.mysql({ host: 'mysql', database: 'argo', username: SecretKeyRef.fromExistingSecret('db', 'u'), password: SecretKeyRef.fromExistingSecret('db', 'p') }) } });
    const emitted = new Set([...emittedPaths(data), ...emittedPaths(configData(mysql.manifests))]);
    for (const p of emitted) expect(EMITTED_NESTED_KEYS).toContain(p);

    const docs = YAML.parse(fs.readFileSync(DOCS, 'utf8'));
    const documented = new Set<string>();
    for (const [key, value] of Object.entries<any>(docs.data)) {
      keyPaths(typeof value === 'string' ? YAML.parse(value) : value, key, documented);
    }
    const docsText = fs.readFileSync(DOCS, 'utf8');
    for (const p of EMITTED_NESTED_KEYS) {
      if (p.startsWith('persistence.mysql.')) {
        // upstream documents the mysql block commented out, with the same fields as postgresql
        expect(docsText).toContain('# mysql:');
        expect(documented).toContain(p.replace('persistence.mysql.', 'persistence.postgresql.'));
      } else {
        expect(documented).toContain(p);
      }
    }
  });

  test('workflowDefaults.spec, mainContainer and executor validate against the full Workflow CRD and are restricted', () => {
    const defaults = YAML.parse(data.workflowDefaults);
    const main = YAML.parse(data.mainContainer);
    const executor = YAML.parse(data.executor);
    const image = `busybox@sha256:${'0'.repeat(64)}`;
    const workflow = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Workflow',
      metadata: { name: 'defaults', namespace: 'ci' },
      spec: {
        ...defaults.spec,
        entrypoint: 'main',
        templates: [
          { name: 'main', container: { image, ...main } },
          { name: 'executor-like', container: { image, ...executor } },
        ],
      },
    };
    expectValid([workflow]);
    expectRestricted([workflow]);
    expect(defaults.spec).toMatchObject({
      automountServiceAccountToken: false,
      executor: { serviceAccountName: 'workflow-executor' },
      podGC: { strategy: 'OnPodCompletion' },
      activeDeadlineSeconds: 3600,
      ttlStrategy: { secondsAfterSuccess: 3600, secondsAfterFailure: 172800 },
      securityContext: { runAsNonRoot: true, runAsUser: 65532, fsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } },
    });
    for (const container of [main, executor]) {
      expect(container.securityContext).toMatchObject({
        allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, runAsNonRoot: true,
      });
      expect(container.resources.limits).toBeDefined();
    }
  });

  test('limits, restrictions, metrics and persistence', () => {
    expect(data.parallelism).toBe('50');
    expect(data.namespaceParallelism).toBe('10');
    expect(YAML.parse(data.resourceRateLimit)).toEqual({ limit: 10, burst: 25 });
    expect(YAML.parse(data.workflowRestrictions)).toEqual({ templateReferencing: 'Secure' });
    expect(YAML.parse(data.metricsConfig)).toEqual({ enabled: true, path: '/metrics', port: 9090, secure: true });
    expect(YAML.parse(data.persistence)).toEqual({
      archive: true,
      archiveTTL: '30d',
      nodeStatusOffLoad: false,
      postgresql: {
        host: 'postgres.db.svc',
        port: 5432,
        database: 'argo',
        tableName: 'argo_workflows',
        userNameSecret: { name: 'argo-postgres', key: 'username' },
        passwordSecret: { name: 'argo-postgres', key: 'password' },
        ssl: true,
        sslMode: 'verify-full',
      },
    });
  });

  test('additionalConfig takes further v4.1 keys', () => {
    const { manifests: m } = build({ additionalConfig: { navColor: 'red', retentionPolicy: { completed: 10 } } });
    const d = configData(m);
    expect(d.navColor).toBe('red');
    expect(YAML.parse(d.retentionPolicy)).toEqual({ completed: 10 });
  });

  test('metrics Service on 9090 (HTTPS) and a NetworkPolicy admitting only the monitoring namespace', () => {
    const { manifests: m } = build({ monitoringNamespace: 'prometheus' });
    const service = findObject(m, 'Service', 'workflow-controller-metrics');
    expect(service.spec.ports).toEqual([{ name: 'metrics', port: 9090, targetPort: 9090, protocol: 'TCP', appProtocol: 'https' }]);
    expect(service.spec.selector).toEqual({ app: 'workflow-controller' });
    const policy = findObject(m, 'NetworkPolicy', 'workflow-controller-metrics');
    expect(policy.spec.ingress).toEqual([{
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'prometheus' } } }],
      ports: [{ protocol: 'TCP', port: 9090 }],
    }]);
  });
});

describe('SecureArgoWorkflows argo-server and SSO', () => {
  const { manifests, workflows } = build(ssoProps());
  const sso = YAML.parse(configData(manifests).sso);

  test('sso block: secret refs, https redirect, RBAC on, no insecureSkipVerify', () => {
    expectValid(manifests);
    expect(sso).toEqual({
      issuer: 'https://keycloak.example.com/realms/argo',
      clientId: { name: 'argo-workflows-sso', key: 'client-id' },
      clientSecret: { name: 'argo-workflows-sso', key: 'client-secret' },
      redirectUrl: 'https://workflows.example.com/oauth2/callback',
      scopes: ['profile', 'email', 'groups'],
      rbac: { enabled: true },
      sessionExpiry: '8h',
      rootCA: `${CERT}\n`,
    });
  });

  test('SSO RBAC service accounts with safe rules, precedence and token Secrets without data', () => {
    const admin = findObject(manifests, 'ServiceAccount', 'argo-sso-admin');
    expect(admin.metadata.namespace).toBe('argo');
    expect(admin.metadata.annotations['workflows.argoproj.io/rbac-rule']).toBe("'/platform-admins' in groups");
    expect(admin.metadata.annotations['workflows.argoproj.io/rbac-rule-precedence']).toBe('30');
    const submitter = findObject(manifests, 'ServiceAccount', 'argo-sso-submitter');
    expect(submitter.metadata.annotations['workflows.argoproj.io/rbac-rule']).toBe("'ci-bots' in groups || 'developers' in groups");
    expect(findObject(manifests, 'ServiceAccount', 'argo-sso-viewer').metadata.annotations['workflows.argoproj.io/rbac-rule-precedence']).toBe('10');
    for (const role of ['admin', 'submitter', 'viewer']) {
      const secret = findObject(manifests, 'Secret', `argo-sso-${role}.service-account-token`);
      expect(secret.type).toBe('kubernetes.io/service-account-token');
      expect(secret.metadata.annotations['kubernetes.io/service-account.name']).toBe(`argo-sso-${role}`);
      expect(secret.data).toBeUndefined();
      expect(secret.stringData).toBeUndefined();
    }
  });

  test('server args: chosen auth modes, TLS on, namespaced to the managed namespace', () => {
    expect(workflows.serverArgs).toEqual(['server', '--secure=true', '--auth-mode=sso', '--auth-mode=client', '--namespaced', '--managed-namespace=ci']);
    expect(workflows.controllerArgs).toEqual(['--namespaced', '--managed-namespace=ci']);
    const patches = YAML.parseAllDocuments(workflows.deploymentPatches()).map((d) => d.toJS());
    expect(patches.map((p) => p.metadata.name)).toEqual(['workflow-controller', 'argo-server']);
    expect(patches[1].spec.template.spec.containers[0].args).toEqual(workflows.serverArgs);
    expect(patches[0].spec.template.spec.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    expect(workflows.deploymentPatches()).toMatchSnapshot();
  });

  test("argo-server's own Role stays in its namespace and reads only named Secrets", () => {
    const role = findObject(manifests, 'Role', 'argo-server');
    expect(role.metadata.namespace).toBe('argo');
    const secretGets = role.rules.filter((r: any) => r.resources.includes('secrets') && r.verbs.includes('get'));
    expect(secretGets).toEqual([{
      apiGroups: [''],
      resources: ['secrets'],
      verbs: ['get'],
      resourceNames: ['argo-sso-admin.service-account-token', 'argo-sso-submitter.service-account-token',
        'argo-sso-viewer.service-account-token', 'argo-workflows-sso', 'sso'],
    }]);
    expect(manifests.filter((m) => m.kind === 'ClusterRole' || m.kind === 'ClusterRoleBinding')).toEqual([]);
  });

  test('client-only install has no SSO objects and a minimal server Role', () => {
    const { manifests: m, workflows: w } = build();
    expect(w.serverArgs).toEqual(['server', '--secure=true', '--auth-mode=client', '--namespaced', '--managed-namespace=ci']);
    expect(configData(m).sso).toBeUndefined();
    expect(findObject(m, 'Role', 'argo-server').rules).toEqual([{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] }]);
  });
});

describe('SecureArgoWorkflows controller placement', () => {
  test('namespace-scoped: Roles only, controller rights in the managed namespace', () => {
    const { manifests } = build();
    expectValid(manifests);
    expect(manifests.some((m) => m.kind.startsWith('Cluster'))).toBe(false);
    const installRole = manifests.find((m) => m.kind === 'Role' && m.metadata.name === 'argo-workflow-controller' && m.metadata.namespace === 'argo')!;
    expect(installRole.rules.map((r: any) => r.resources).flat()).toEqual(['leases', 'configmaps']);
    const nsRole = manifests.find((m) => m.kind === 'Role' && m.metadata.name === 'argo-workflow-controller' && m.metadata.namespace === 'ci')!;
    const secretRules = nsRole.rules.filter((r: any) => r.resources.includes('secrets'));
    expect(secretRules).toEqual([{ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['argo-workflows-agent-ca-certificates'] }]);
  });

  test('cluster-scoped: a watch-only ClusterRole without secrets or write verbs, several namespaces', () => {
    const { manifests, workflows } = build({ controllerScope: WorkflowControllerScope.CLUSTER }, ['ci', 'batch']);
    expectValid(manifests);
    expect(workflows.controllerArgs).toEqual([]);
    expect(workflows.managedNamespaces).toEqual(['batch', 'ci']);
    const clusterRole = findObject(manifests, 'ClusterRole');
    for (const rule of clusterRole.rules) {
      expect(rule.verbs).toEqual(['get', 'list', 'watch']);
      expect(rule.resources).not.toContain('secrets');
      expect(rule.resources).not.toContain('*');
    }
    expect(findObject(manifests, 'ClusterRoleBinding').subjects).toEqual([{ kind: 'ServiceAccount', name: 'argo', namespace: 'argo' }]);
    expect(manifests.filter((m) => m.kind === 'Role' && m.metadata.name === 'argo-workflow-controller').map((m) => m.metadata.namespace).sort())
      .toEqual(['argo', 'batch', 'ci']);
  });

  test('archive credentials: the controller reads only those Secrets in its namespace', () => {
    const { manifests } = build({ persistence: { database: postgres(), archiveTtl: Duration.days(7) } });
    const installRole = manifests.find((m) => m.kind === 'Role' && m.metadata.name === 'argo-workflow-controller' && m.metadata.namespace === 'argo')!;
    expect(installRole.rules).toContainEqual({ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['argo-postgres'] });
    expect(YAML.parse(configData(manifests).persistence).archiveTTL).toBe('7d');
  });

  test('snapshot of a namespace-scoped SSO install', () => {
    const { manifests } = build({ ...ssoProps(), persistence: { database: postgres() } });
    expect(manifests).toMatchSnapshot();
  });
});

describe('SecureArgoWorkflows errors at synth', () => {
  test('server auth mode is refused with the reason', () => {
    expect(() => build({ authModes: [ArgoServerAuthMode.CLIENT, ArgoServerAuthMode.SERVER] })).toThrow(/authModes: 'server' mode is refused: .*unauthenticated/);
  });

  test('SSO mode without sso options, sso options without SSO mode', () => {
    expect(() => build({ authModes: [ArgoServerAuthMode.SSO] })).toThrow(/sso: authModes includes SSO/);
    expect(() => build({ ...ssoProps(), authModes: [ArgoServerAuthMode.CLIENT] })).toThrow(/authModes: sso is configured but authModes does not include SSO/);
  });

  test('archive without a database', () => {
    expect(() => build({ persistence: { archive: true } })).toThrow(/persistence\.database: the workflow archive needs a database/);
  });

  test('a config key v4.1 does not know', () => {
    expect(() => build({ additionalConfig: { containerRuntimeExecutor: 'emissary' } })).toThrow(/additionalConfig\.containerRuntimeExecutor: 'containerRuntimeExecutor' is not a workflow controller config key/);
    expect(() => build({ additionalConfig: { securityContext: { runAsNonRoot: true } } })).toThrow(/additionalConfig\.securityContext/);
  });

  test('a managed config key through additionalConfig', () => {
    expect(() => build({ additionalConfig: { workflowDefaults: {} } })).toThrow(/additionalConfig\.workflowDefaults: 'workflowDefaults' is managed/);
  });

  test('an rbac-rule built from unsafe text', () => {
    const props = ssoProps();
    for (const group of ["admins' || true || '", 'a b', 'x"y', '', "it's"]) {
      expect(() => build({ ...props, sso: { ...props.sso!, roles: [{ role: WorkflowsAccessRole.ADMIN, groups: [group] }] } }))
        .toThrow(/sso\.roles\[0\]\.groups: group name .* is not safe/);
    }
  });

  test('a role mapped twice, an empty group list', () => {
    const props = ssoProps();
    expect(() => build({ ...props, sso: { ...props.sso!, roles: [{ role: WorkflowsAccessRole.ADMIN, groups: ['a'] }, { role: WorkflowsAccessRole.ADMIN, groups: ['b'] }] } }))
      .toThrow(/sso\.roles\[1\]: role 'admin' is mapped twice/);
    expect(() => build({ ...props, sso: { ...props.sso!, roles: [{ role: WorkflowsAccessRole.VIEWER, groups: [] }] } }))
      .toThrow(/sso\.roles\[0\]\.groups: is empty/);
  });

  test('Dex-kind SSO points to Argo CD Dex as a plain OIDC issuer', () => {
    const props = ssoProps();
    const dex = OidcSso.dex({
      connectors: [DexConnector.github({ clientId: 'gh', clientSecret: SecretKeyRef.fromExistingSecret('gh', 'secret'), orgs: [{ name: 'acme' }] })],
    });
    expect(() => build({ ...props, sso: { ...props.sso!, provider: dex } })).toThrow(/sso\.provider: .*https:\/\/<argocd-host>\/api\/dex/);
  });

  test('plain-http server URL', () => {
    const props = ssoProps();
    expect(() => build({ ...props, sso: { ...props.sso!, serverUrl: 'http://workflows.example.com' } })).toThrow(/sso\.serverUrl: .* must be a plain https URL/);
  });

  test('secret references in another namespace', () => {
    const props = ssoProps();
    expect(() => build({ ...props, sso: { ...props.sso!, clientIdRef: SecretKeyRef.fromExistingSecret('sso', 'id', { namespace: 'other' }) } }))
      .toThrow(/sso\.clientIdRef: Secret other\/sso:id is in namespace 'other'/);
  });

  test('root user for workflow pods', () => {
    expect(() => build({ runAsUser: 0 })).toThrow(/runAsUser: 0 breaks the restricted Pod Security Standard/);
  });

  test('a second namespace in a namespace-scoped install', () => {
    expect(() => build({}, ['ci', 'batch'])).toThrow(/workflows: the install .* is namespace-scoped and already manages 'ci'/);
  });

  test('a namespace-scoped install with no namespace', () => {
    expect(() => build({}, [])).toThrow(/controllerScope: a namespace-scoped install needs one HardenedWorkflowNamespace/);
  });
});

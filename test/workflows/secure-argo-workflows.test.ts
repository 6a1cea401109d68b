import * as fs from 'fs';
import * as path from 'path';
import { Chart, Duration, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { ACCEPTED_RISKS_ANNOTATION } from '../../src/private/accepted-risks';
import { SecretKeyRef } from '../../src/secrets/secret-key-ref';
import { DexConnector, OidcSso } from '../../src/sso';
import {
  ArgoServerAuthMode, ArgoWorkflowsComponent, HardenedWorkflowNamespace, MysqlTlsMode, PostgresSslMode,
  SecureArgoWorkflows, SecureArgoWorkflowsProps, TemplateReferencing, WorkflowControllerScope, WorkflowDatabase,
  WorkflowEgress, WorkflowsAccessRole,
} from '../../src/workflows';
import { expectRestricted, restrictedViolations } from '../support/pod-security';
import { findObject, Manifest, synth, testChart } from '../support/synth';
import { expectValid } from '../support/validate';

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
  'persistence.mysql.passwordSecret.name', 'persistence.mysql.passwordSecret.key', 'persistence.mysql.options.tls',
  'sso.issuer', 'sso.clientId.name', 'sso.clientId.key', 'sso.clientSecret.name', 'sso.clientSecret.key',
  'sso.redirectUrl', 'sso.scopes', 'sso.rbac.enabled', 'sso.sessionExpiry', 'sso.rootCA',
];

const DOCS = path.join(__dirname, '..', 'fixtures', 'argo-workflow-controller-configmap.yaml');

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

const CERT = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUexample=\n-----END CERTIFICATE-----';

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
    caCertificate: SecretKeyRef.fromExistingSecret('postgres-ca', 'ca.crt'),
  });
}

const API = { kubernetesApiCidr: '10.96.0.1/32', kubernetesApiPort: 6443 };
const OPEN = { reason: 'policies managed elsewhere' };
const IDP = WorkflowEgress.toCidr('203.0.113.0/24', [443]);
const DB = WorkflowEgress.toNamespace('db', [5432, 3306]);

/** The install NetworkPolicies the props need (the database and issuer when configured), unless the test sets its own. */
function withNetworkPolicies(props: SecureArgoWorkflowsProps): SecureArgoWorkflowsProps {
  if (props.networkPolicies || props.disableNetworkPolicies) return props;
  return {
    ...props,
    networkPolicies: {
      ...API,
      ...(props.persistence ? { databaseEgress: [DB] } : {}),
      ...(props.sso ? { identityProviderEgress: [IDP] } : {}),
    },
  };
}

/** An install with one managed namespace, synthesized. */
function build(props: SecureArgoWorkflowsProps = {}, namespaces: string[] = ['ci']): { manifests: Manifest[]; workflows: SecureArgoWorkflows } {
  const chart = testChart();
  const workflows = new SecureArgoWorkflows(chart, 'Workflows', withNetworkPolicies(props));
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
    // the workflow-controller and argo-server call the API; without digests their images are pinned by tag
    expect(restrictedViolations(manifests, { apiClients: ['workflow-controller', 'argo-server'] })
      .filter((p) => !/quay\.io\/argoproj\/\S+:v4\.1\.2" is not pinned by digest/.test(p))).toEqual([]);
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
      if (p === 'persistence.mysql.options.tls') {
        // `MySQLConfig.Options` (config/config.go): driver DSN parameters; the docs leave it out
        expect(docsText).toContain('# mysql:');
      } else if (p.startsWith('persistence.mysql.')) {
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

  test('MySQL connections always use TLS', () => {
    const mysql = (tlsMode?: MysqlTlsMode) => YAML.parse(configData(build({
      persistence: {
        database: WorkflowDatabase.mysql({
          host: 'mysql.db.svc',
          database: 'argo',
          tlsMode,
          username: SecretKeyRef.fromExistingSecret('db', 'u'),
          password: SecretKeyRef.fromExistingSecret('db', 'p'),
        }),
      },
    }).manifests).persistence).mysql;
    expect(mysql()).toMatchObject({ host: 'mysql.db.svc', port: 3306, options: { tls: 'skip-verify' } });
    expect(mysql(MysqlTlsMode.VERIFY_FULL).options).toEqual({ tls: 'true' });
  });

  test('additionalConfig takes further v4.1 keys', () => {
    const { manifests: m } = build({ additionalConfig: { navColor: 'red', retentionPolicy: { completed: 10 } } });
    const d = configData(m);
    expect(d.navColor).toBe('red');
    expect(YAML.parse(d.retentionPolicy)).toEqual({ completed: 10 });
  });

  test('config strings that YAML 1.1 would read as booleans or numbers are quoted', () => {
    const { manifests: m } = build({ additionalConfig: { navColor: 'on', links: [{ name: 'no', scope: 'workflow', url: 'https://x.example.com/0x1F' }] } });
    const d = configData(m);
    expect(d.navColor).toBe('"on"');
    expect(d.links).toContain('name: "no"');
    expect(YAML.parse(d.links, { version: '1.1' })[0].name).toBe('no');
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

const ARTIFACT_REPOSITORIES_RULE = { apiGroups: [''], resources: ['configmaps'], verbs: ['get'], resourceNames: ['artifact-repositories'] };
const EVENTS_RULE = { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] };
const CWFT_WATCH_RULE = { apiGroups: ['argoproj.io'], resources: ['clusterworkflowtemplates'], verbs: ['get', 'list', 'watch'] };

describe('templateReferencing', () => {
  const restrictions = (m: Manifest[]) => configData(m).workflowRestrictions;

  test('Secure by default: only workflows that reference a WorkflowTemplate run', () => {
    expect(YAML.parse(restrictions(build().manifests))).toEqual({ templateReferencing: 'Secure' });
    expect(YAML.parse(restrictions(build({ templateReferencing: TemplateReferencing.STRICT }).manifests))).toEqual({ templateReferencing: 'Strict' });
  });

  test('allowInlineWorkflows turns it off, with the reason recorded on the controller ConfigMap', () => {
    const { manifests: m } = build({ allowInlineWorkflows: { reason: 'migration: legacy pipelines still submit inline workflows until Q3' } });
    expectValid(m);
    expect(restrictions(m)).toBeUndefined();
    expect(findObject(m, 'ConfigMap', 'workflow-controller-configmap').metadata.annotations)
      .toMatchObject({ 'policy.cdk8s-secure-argo.io/accepted-risks': 'allowInlineWorkflows: migration: legacy pipelines still submit inline workflows until Q3' });
    // the default has no such annotation
    expect(findObject(build().manifests, 'ConfigMap', 'workflow-controller-configmap').metadata.annotations ?? {})
      .not.toHaveProperty('policy.cdk8s-secure-argo.io/accepted-risks');
  });

  test('the opt-out needs a reason and excludes templateReferencing', () => {
    const attempt = (props: SecureArgoWorkflowsProps) => () => build(props);
    expect(attempt({ allowInlineWorkflows: { reason: '  ' } })).toThrow(/'test\/Workflows': allowInlineWorkflows\.reason: .*say in one line why submitters may run workflows/);
    expect(attempt({ allowInlineWorkflows: { reason: 'ok\u2028policy: x' } })).toThrow(/allowInlineWorkflows\.reason/);
    expect(attempt({ allowInlineWorkflows: { reason: 'legacy' }, templateReferencing: TemplateReferencing.SECURE }))
      .toThrow(/templateReferencing: is set together with allowInlineWorkflows: choose one/);
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
    // a namespace-scoped argo-server looks for them in its managed namespace
    expect(admin.metadata.namespace).toBe('ci');
    expect(admin.metadata.annotations['workflows.argoproj.io/rbac-rule']).toBe("'/platform-admins' in groups");
    expect(admin.metadata.annotations['workflows.argoproj.io/rbac-rule-precedence']).toBe('30');
    const submitter = findObject(manifests, 'ServiceAccount', 'argo-sso-submitter');
    expect(submitter.metadata.annotations['workflows.argoproj.io/rbac-rule']).toBe("'ci-bots' in groups || 'developers' in groups");
    expect(findObject(manifests, 'ServiceAccount', 'argo-sso-viewer').metadata.annotations['workflows.argoproj.io/rbac-rule-precedence']).toBe('10');
    for (const role of ['admin', 'submitter', 'viewer']) {
      const secret = findObject(manifests, 'Secret', `argo-sso-${role}.service-account-token`);
      expect(secret.metadata.namespace).toBe('ci');
      expect(secret.type).toBe('kubernetes.io/service-account-token');
      expect(secret.metadata.annotations['kubernetes.io/service-account.name']).toBe(`argo-sso-${role}`);
      expect(secret.data).toBeUndefined();
      expect(secret.stringData).toBeUndefined();
    }
  });

  test('server args: chosen auth modes, TLS on, namespaced to the managed namespace', () => {
    expect(workflows.serverArgs).toEqual(['server', '--secure=true', '--auth-mode=sso', '--auth-mode=client', '--namespaced', '--managed-namespace=ci']);
    expect(workflows.controllerArgs).toEqual(['--namespaced', '--managed-namespace=ci']);
    // the flags are part of the synthesized Deployments (with argo-server's certificate and the pinned executor)
    const server = findObject(manifests, 'Deployment', 'argo-server').spec.template.spec;
    expect(server.containers[0].args).toEqual([...workflows.serverArgs, '--tls-certificate-secret-name=argo-server-tls']);
    expect(server.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    expect(findObject(manifests, 'Deployment', 'workflow-controller').spec.template.spec.containers[0].args)
      .toEqual([...workflows.controllerArgs, '--executor-image=quay.io/argoproj/argoexec:v4.1.2']);
  });

  test('namespace-scoped argo-server: Roles in its namespace and the managed one, Secrets only by name', () => {
    const role = (ns: string) => manifests.find((m) => m.kind === 'Role' && m.metadata.name === 'argo-server' && m.metadata.namespace === ns)!;
    expect(role('argo').rules).toEqual([
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
      { apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['argo-workflows-sso', 'sso'] },
    ]);
    // its workflow and template informers, and the SSO RBAC accounts with their tokens
    expect(role('ci').rules).toEqual([
      { apiGroups: ['argoproj.io'], resources: ['workflows', 'workflowtemplates'], verbs: ['list', 'watch'] },
      { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['list', 'watch'] },
      {
        apiGroups: [''],
        resources: ['secrets'],
        verbs: ['get'],
        resourceNames: ['argo-sso-admin.service-account-token',
          'argo-sso-submitter.service-account-token', 'argo-sso-viewer.service-account-token'],
      },
      ARTIFACT_REPOSITORIES_RULE,
      EVENTS_RULE,
    ]);
    for (const ns of ['argo', 'ci']) {
      const binding = manifests.find((m) => m.kind === 'RoleBinding' && m.metadata.name === 'argo-server' && m.metadata.namespace === ns)!;
      expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'argo-server', namespace: 'argo' }]);
    }
    expect(manifests.filter((m) => m.kind === 'ClusterRole' || m.kind === 'ClusterRoleBinding')).toEqual([]);
  });

  test('the people Roles of the managed namespace bind the SSO accounts there', () => {
    const binding = manifests.find((m) => m.kind === 'RoleBinding' && m.metadata.name === 'argo-workflows-admin')!;
    expect(binding.subjects).toContainEqual({ kind: 'ServiceAccount', name: 'argo-sso-admin', namespace: 'ci' });
  });

  test('cluster-scoped argo-server: SSO accounts in its namespace, a list/watch ClusterRole for its informers', () => {
    const { manifests: m } = build({ ...ssoProps(), controllerScope: WorkflowControllerScope.CLUSTER }, ['ci', 'batch']);
    expectValid(m);
    for (const role of ['admin', 'submitter', 'viewer']) {
      expect(findObject(m, 'ServiceAccount', `argo-sso-${role}`).metadata.namespace).toBe('argo');
      expect(findObject(m, 'Secret', `argo-sso-${role}.service-account-token`).metadata.namespace).toBe('argo');
    }
    expect(findObject(m, 'ClusterRole', 'argo-server-argo').rules).toEqual([
      { apiGroups: ['argoproj.io'], resources: ['workflows', 'workflowtemplates'], verbs: ['list', 'watch'] },
      CWFT_WATCH_RULE,
      { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['list', 'watch'] },
    ]);
    expect(findObject(m, 'ClusterRoleBinding', 'argo-server-argo').subjects).toEqual([{ kind: 'ServiceAccount', name: 'argo-server', namespace: 'argo' }]);
    const installRole = m.find((o) => o.kind === 'Role' && o.metadata.name === 'argo-server' && o.metadata.namespace === 'argo')!;
    expect(installRole.rules).toContainEqual({
      apiGroups: [''],
      resources: ['secrets'],
      verbs: ['get'],
      resourceNames: ['argo-sso-admin.service-account-token', 'argo-sso-submitter.service-account-token',
        'argo-sso-viewer.service-account-token', 'argo-workflows-sso', 'sso'],
    });
    for (const ns of ['ci', 'batch']) {
      const binding = m.find((o) => o.kind === 'RoleBinding' && o.metadata.name === 'argo-workflows-viewer' && o.metadata.namespace === ns)!;
      expect(binding.subjects).toContainEqual({ kind: 'ServiceAccount', name: 'argo-sso-viewer', namespace: 'argo' });
    }
  });

  test('client-only install has no SSO objects and a minimal server Role', () => {
    const { manifests: m, workflows: w } = build();
    expect(w.serverArgs).toEqual(['server', '--secure=true', '--auth-mode=client', '--namespaced', '--managed-namespace=ci']);
    expect(configData(m).sso).toBeUndefined();
    expect(m.filter((o) => o.kind === 'ServiceAccount' && o.metadata.name!.startsWith('argo-sso-'))).toEqual([]);
    const role = (ns: string) => m.find((o) => o.kind === 'Role' && o.metadata.name === 'argo-server' && o.metadata.namespace === ns)!;
    expect(role('argo').rules).toEqual([{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] }]);
    expect(role('ci').rules).toEqual([
      { apiGroups: ['argoproj.io'], resources: ['workflows', 'workflowtemplates'], verbs: ['list', 'watch'] },
      ARTIFACT_REPOSITORIES_RULE,
      EVENTS_RULE,
    ]);
    const { manifests: cluster } = build({ controllerScope: WorkflowControllerScope.CLUSTER });
    expect(findObject(cluster, 'ClusterRole', 'argo-server-argo').rules).toEqual([
      { apiGroups: ['argoproj.io'], resources: ['workflows', 'workflowtemplates'], verbs: ['list', 'watch'] },
      CWFT_WATCH_RULE,
    ]);
  });
});

describe('argo-server\'s own permissions in workflow namespaces (v4.1.2)', () => {
  const serverRole = (m: Manifest[], ns: string) => m.find((o) => o.kind === 'Role' && o.metadata.name === 'argo-server' && o.metadata.namespace === ns);
  const serverBinding = (m: Manifest[], ns: string) =>
    m.find((o) => o.kind === 'RoleBinding' && o.metadata.name === 'argo-server' && o.metadata.namespace === ns);

  test('artifact repository ConfigMaps: get by name in every managed namespace, both placements', () => {
    for (const scope of [WorkflowControllerScope.NAMESPACED, WorkflowControllerScope.CLUSTER]) {
      const namespaces = scope === WorkflowControllerScope.CLUSTER ? ['ci', 'batch'] : ['ci'];
      const { manifests: m } = build({ controllerScope: scope }, namespaces);
      for (const ns of namespaces) {
        expect(serverRole(m, ns)!.rules).toContainEqual(ARTIFACT_REPOSITORIES_RULE);
        // only by name: no list, no watch, no other ConfigMap of the namespace
        const configMapRules = serverRole(m, ns)!.rules.filter((r: any) => r.resources.includes('configmaps'));
        expect(configMapRules).toEqual([ARTIFACT_REPOSITORIES_RULE]);
        expect(serverBinding(m, ns)!.subjects).toEqual([{ kind: 'ServiceAccount', name: 'argo-server', namespace: 'argo' }]);
      }
    }
  });

  test('artifact repository ConfigMaps named by the namespace; none when it has none', () => {
    const chart = testChart();
    const workflows = new SecureArgoWorkflows(chart, 'Workflows', withNetworkPolicies({ controllerScope: WorkflowControllerScope.CLUSTER }));
    new HardenedWorkflowNamespace(chart, 'Ci', { workflows, name: 'ci', ...API, artifactRepositoryConfigMaps: ['team-artifacts', 'artifact-repositories'] });
    new HardenedWorkflowNamespace(chart, 'Batch', { workflows, name: 'batch', ...API, artifactRepositoryConfigMaps: [] });
    const m = synth(chart);
    expect(serverRole(m, 'ci')!.rules).toContainEqual({ ...ARTIFACT_REPOSITORIES_RULE, resourceNames: ['artifact-repositories', 'team-artifacts'] });
    expect(serverRole(m, 'batch')!.rules).toEqual([EVENTS_RULE]);
  });

  test('artifact repository ConfigMap names are checked', () => {
    const chart = testChart();
    const workflows = new SecureArgoWorkflows(chart, 'Workflows', withNetworkPolicies({}));
    new HardenedWorkflowNamespace(chart, 'Ci', { workflows, name: 'ci', ...API, artifactRepositoryConfigMaps: ['Bad Name'] });
    expect(() => synth(chart)).toThrow(/artifactRepositoryConfigMaps\[0\]: 'Bad Name'/);
  });

  test('events create and patch in every managed namespace (event-binding errors), not in the install namespace', () => {
    const { manifests: m } = build({ controllerScope: WorkflowControllerScope.CLUSTER }, ['ci', 'batch']);
    for (const ns of ['ci', 'batch']) expect(serverRole(m, ns)!.rules).toContainEqual(EVENTS_RULE);
    expect(serverRole(m, 'argo')!.rules.some((r: any) => r.resources.includes('events'))).toBe(false);
  });

  test('ClusterWorkflowTemplates: cluster-scoped argo-server watches them (all three verbs, by resource, no wildcard)', () => {
    const { manifests: m } = build({ controllerScope: WorkflowControllerScope.CLUSTER });
    const rules = findObject(m, 'ClusterRole', 'argo-server-argo').rules;
    expect(rules).toContainEqual(CWFT_WATCH_RULE);
    for (const rule of rules) {
      expect(rule.resources).not.toContain('*');
      expect(rule.apiGroups).not.toContain('*');
      expect(rule.verbs).not.toContain('*');
    }
    // the controller resolves them too (templateRef.clusterScope), with the same three verbs
    expect(findObject(m, 'ClusterRole', 'argo-workflow-controller-argo').rules
      .some((r: any) => r.resources.includes('clusterworkflowtemplates') && ['get', 'list', 'watch'].every((v) => r.verbs.includes(v)))).toBe(true);
  });

  test('namespace-scoped: no ClusterWorkflowTemplate access for anyone (as upstream\'s namespace install)', () => {
    const { manifests: m } = build(ssoProps());
    expect(m.filter((o) => o.kind === 'ClusterRole' || o.kind === 'ClusterRoleBinding')).toEqual([]);
  });

  test('cluster-scoped: people read ClusterWorkflowTemplates (SSO accounts and every namespace\'s groups), get and list only', () => {
    const chart = testChart();
    const workflows = new SecureArgoWorkflows(chart, 'Workflows', withNetworkPolicies({ ...ssoProps(), controllerScope: WorkflowControllerScope.CLUSTER }));
    new HardenedWorkflowNamespace(chart, 'Ci', { workflows, name: 'ci', ...API });
    new HardenedWorkflowNamespace(chart, 'Batch', { workflows, name: 'batch', ...API, access: { viewers: ['auditors', 'ops-oncall'] } });
    const m = synth(chart);
    expectValid(m);
    const name = 'argo-workflows-clusterworkflowtemplates-read-argo';
    expect(findObject(m, 'ClusterRole', name).rules).toEqual([
      { apiGroups: ['argoproj.io'], resources: ['clusterworkflowtemplates'], verbs: ['get', 'list'] },
    ]);
    const binding = findObject(m, 'ClusterRoleBinding', name);
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name });
    const group = (g: string) => ({ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: g });
    expect(binding.subjects).toEqual([
      group('/platform-admins'), group('auditors'), group('ci-bots'), group('developers'), group('ops-oncall'),
      ...['admin', 'submitter', 'viewer'].map((r) => ({ kind: 'ServiceAccount', name: `argo-sso-${r}`, namespace: 'argo' })),
    ]);
  });

  test('cluster-scoped without people: the binding has no subjects', () => {
    const { manifests: m } = build({ controllerScope: WorkflowControllerScope.CLUSTER });
    expect(findObject(m, 'ClusterRoleBinding', 'argo-workflows-clusterworkflowtemplates-read-argo').subjects).toBeUndefined();
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
    const clusterRole = findObject(manifests, 'ClusterRole', 'argo-workflow-controller-argo');
    for (const rule of clusterRole.rules) {
      expect(rule.verbs).toEqual(['get', 'list', 'watch']);
      expect(rule.resources).not.toContain('secrets');
      expect(rule.resources).not.toContain('*');
    }
    expect(findObject(manifests, 'ClusterRoleBinding', 'argo-workflow-controller-argo').subjects).toEqual([{ kind: 'ServiceAccount', name: 'argo', namespace: 'argo' }]);
    for (const role of manifests.filter((m) => m.kind === 'ClusterRole')) {
      for (const rule of role.rules) expect(rule.verbs.filter((v: string) => !['get', 'list', 'watch'].includes(v))).toEqual([]);
    }
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

describe('SecureArgoWorkflows install NetworkPolicies', () => {
  const policies = (m: Manifest[]) => m.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === 'argo');
  const policy = (m: Manifest[], name: string) => findObject(policies(m), 'NetworkPolicy', name);
  const dns = (namespace = 'kube-system') => ({
    to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
    ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
  });
  const api = { to: [{ ipBlock: { cidr: '10.96.0.1/32' } }], ports: [{ protocol: 'TCP', port: 6443 }] };
  const db = { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'db' } } }], ports: [{ protocol: 'TCP', port: 3306 }, { protocol: 'TCP', port: 5432 }] };
  const idp = { to: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ protocol: 'TCP', port: 443 }] };

  test('default deny, the controller and argo-server each reach only what they need', () => {
    const { manifests } = build({
      ...ssoProps(),
      persistence: { database: postgres() },
      networkPolicies: {
        ...API,
        databaseEgress: [DB],
        identityProviderEgress: [IDP],
        artifactRepositoryEgress: [WorkflowEgress.toNamespace('minio', [9000])],
      },
    });
    expectValid(manifests);
    expect(policies(manifests).map((p) => p.metadata.name)).toEqual(['workflow-controller-metrics', 'default-deny-all', 'workflow-controller-egress', 'argo-server']);
    expect(policy(manifests, 'default-deny-all').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    // the controller: ingress is the metrics policy (9090 from monitoring); egress DNS, API, database
    expect(policy(manifests, 'workflow-controller-metrics').spec.podSelector).toEqual({ matchLabels: { app: 'workflow-controller' } });
    expect(policy(manifests, 'workflow-controller-egress').spec).toEqual({
      podSelector: { matchLabels: { app: 'workflow-controller' } },
      policyTypes: ['Egress'],
      egress: [dns(), api, db],
    });
    expect(policy(manifests, 'argo-server').spec).toEqual({
      podSelector: { matchLabels: { app: 'argo-server' } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: [{ protocol: 'TCP', port: 2746 }] }],
      egress: [dns(), api, db, idp, { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'minio' } } }], ports: [{ protocol: 'TCP', port: 9000 }] }],
    });
  });

  test('without SSO or an archive: DNS and the API only; ingress controller and DNS namespaces configurable', () => {
    const { manifests } = build({ networkPolicies: { ...API, ingressControllerNamespace: 'traefik', dnsNamespace: 'dns' } });
    expectValid(manifests);
    expect(policy(manifests, 'workflow-controller-egress').spec.egress).toEqual([dns('dns'), api]);
    const server = policy(manifests, 'argo-server').spec;
    expect(server.egress).toEqual([dns('dns'), api]);
    expect(server.ingress[0].from).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'traefik' } } }]);
  });

  test('each policy can be left out; disableNetworkPolicies keeps only the metrics policy', () => {
    const names = (props: SecureArgoWorkflowsProps) => policies(build(props).manifests).map((p) => p.metadata.name);
    expect(names({ networkPolicies: { ...API, disableDefaultDeny: { reason: 'shared with the metrics stack' } } })).toEqual(['workflow-controller-metrics', 'workflow-controller-egress', 'argo-server']);
    expect(names({ networkPolicies: { ...API, excludeComponents: [ArgoWorkflowsComponent.ARGO_SERVER] } }))
      .toEqual(['workflow-controller-metrics', 'default-deny-all', 'workflow-controller-egress']);
    expect(names({ networkPolicies: { ...API, excludeComponents: [ArgoWorkflowsComponent.WORKFLOW_CONTROLLER] } }))
      .toEqual(['workflow-controller-metrics', 'default-deny-all', 'argo-server']);
    expect(names({ ...ssoProps(), persistence: { database: postgres() }, disableNetworkPolicies: OPEN })).toEqual(['workflow-controller-metrics']);
  });

  test('disableNetworkPolicies records its reason on the install Namespace, or on the controller ConfigMap when none is written', () => {
    const risk = (props: SecureArgoWorkflowsProps, kind: string, name: string) => build({ disableNetworkPolicies: OPEN, ...props }).manifests
      .find((m) => m.kind === kind && m.metadata.name === name)?.metadata.annotations?.[ACCEPTED_RISKS_ANNOTATION];
    expect(risk({}, 'Namespace', 'argo')).toBe('disableNetworkPolicies: policies managed elsewhere');
    expect(risk({}, 'ConfigMap', 'workflow-controller-configmap')).toBeUndefined();
    expect(risk({ createNamespace: false }, 'ConfigMap', 'workflow-controller-configmap')).toBe('disableNetworkPolicies: policies managed elsewhere');
  });

  test('networkPolicies.disableDefaultDeny records its reason on the install Namespace, or on the controller ConfigMap when none is written', () => {
    const networkPolicies = { ...API, disableDefaultDeny: { reason: 'shared with the metrics stack' } };
    const risk = (props: SecureArgoWorkflowsProps, kind: string, name: string) => build({ networkPolicies, ...props }).manifests
      .find((m) => m.kind === kind && m.metadata.name === name)?.metadata.annotations?.[ACCEPTED_RISKS_ANNOTATION];
    expect(risk({}, 'Namespace', 'argo')).toBe('networkPolicies.disableDefaultDeny: shared with the metrics stack');
    expect(risk({}, 'ConfigMap', 'workflow-controller-configmap')).toBeUndefined();
    expect(risk({ createNamespace: false }, 'ConfigMap', 'workflow-controller-configmap')).toBe('networkPolicies.disableDefaultDeny: shared with the metrics stack');
  });

  test('errors: missing or contradictory options, CIDRs and ports that do not parse', () => {
    expect(() => new SecureArgoWorkflows(testChart(), 'Workflows')).toThrow(/networkPolicies: is required .*disableNetworkPolicies with a reason/);
    expect(() => build({ networkPolicies: API, disableNetworkPolicies: OPEN })).toThrow(/disableNetworkPolicies: is set together with networkPolicies/);
    expect(() => build({ networkPolicies: { ...API, kubernetesApiCidr: '10.96.0.1' } })).toThrow(/networkPolicies\.kubernetesApiCidr: '10\.96\.0\.1' is not a CIDR/);
    expect(() => build({ networkPolicies: { ...API, kubernetesApiPort: 70000 } })).toThrow(/networkPolicies\.kubernetesApiPort: 70000 is not a port number/);
    expect(() => build({ networkPolicies: { ...API, ingressControllerNamespace: 'Ingress_NGINX' } })).toThrow(/networkPolicies\.ingressControllerNamespace/);
    expect(() => build({ networkPolicies: { ...API, excludeComponents: ['redis' as ArgoWorkflowsComponent] } })).toThrow(/networkPolicies\.excludeComponents: 'redis' is not a component/);
  });

  test('errors: the archive database and the OIDC issuer must be reachable, on their ports', () => {
    expect(() => build({ persistence: { database: postgres() }, networkPolicies: API }))
      .toThrow(/networkPolicies\.databaseEgress: persistence is configured, so the controller and argo-server must reach the archive database: .*\[5432\]/);
    expect(() => build({ persistence: { database: postgres() }, networkPolicies: { ...API, databaseEgress: [WorkflowEgress.toCidr('10.5.0.0/24', [5433])] } }))
      .toThrow(/networkPolicies\.databaseEgress\[0\]: ports 5433 of 10\.5\.0\.0\/24 do not include port 5432 of the archive database/);
    expect(() => build({ networkPolicies: { ...API, databaseEgress: [DB] } })).toThrow(/networkPolicies\.databaseEgress: is set but persistence is not configured/);
    expect(() => build({ ...ssoProps(), networkPolicies: API }))
      .toThrow(/networkPolicies\.identityProviderEgress: sso is configured, so argo-server must reach the OIDC issuer https:\/\/keycloak\.example\.com\/realms\/argo/);
    expect(() => build({ networkPolicies: { ...API, identityProviderEgress: [IDP] } })).toThrow(/networkPolicies\.identityProviderEgress: is set but sso is not configured/);
    // the issuer's port comes from its URL
    const props = ssoProps();
    const provider = OidcSso.oidc({ issuer: 'https://idp.example.com:8443/realms/argo', clientId: 'wf', clientSecret: SecretKeyRef.fromExistingSecret('argo-workflows-sso', 's') });
    expect(() => build({ ...props, sso: { ...props.sso!, provider }, networkPolicies: { ...API, identityProviderEgress: [IDP] } }))
      .toThrow(/identityProviderEgress\[0\]: ports 443 of 203\.0\.113\.0\/24 do not include port 8443/);
    expect(() => build({ ...props, sso: { ...props.sso!, provider }, networkPolicies: { ...API, identityProviderEgress: [WorkflowEgress.toNamespace('keycloak')] } })).not.toThrow();
  });
});

describe('archive database CA bundle', () => {
  const database = (options: { sslMode?: PostgresSslMode; caCertificate?: SecretKeyRef }) => WorkflowDatabase.postgresql({
    host: 'postgres.db.svc',
    database: 'argo',
    username: SecretKeyRef.fromExistingSecret('argo-postgres', 'username'),
    password: SecretKeyRef.fromExistingSecret('argo-postgres', 'password'),
    ...options,
  });

  test('mounted read-only into workflow-controller and argo-server, PGSSLROOTCERT names the mounted file', () => {
    const { manifests } = build({
      ...ssoProps(),
      persistence: { database: database({ sslMode: PostgresSslMode.VERIFY_CA, caCertificate: SecretKeyRef.fromExistingSecret('pg-ca', 'root.pem') }) },
    });
    for (const name of ['workflow-controller', 'argo-server']) {
      const pod = findObject(manifests, 'Deployment', name).spec.template.spec;
      const container = pod.containers.find((c: any) => c.name === name);
      const env = container.env.find((e: any) => e.name === 'PGSSLROOTCERT');
      const mount = container.volumeMounts.find((m: any) => m.mountPath !== '/tmp');
      expect(mount.readOnly).toBe(true);
      const volume = pod.volumes.find((v: any) => v.name === mount.name);
      expect(volume.secret.secretName).toBe('pg-ca');
      expect(volume.secret.items).toEqual([{ key: 'root.pem', path: 'ca.crt' }]);
      // the env var points at the file the volume projects
      expect(env.value).toBe(`${mount.mountPath}/${volume.secret.items[0].path}`);
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
    }
    expectValid(manifests);
    // without digests the images are pinned by tag
    expect(restrictedViolations(manifests, { apiClients: ['workflow-controller', 'argo-server'] })
      .filter((p) => !/quay\.io\/argoproj\/\S+:v4\.1\.2" is not pinned by digest/.test(p))).toEqual([]);
    // the kubelet mounts it: no Secret read is granted for the CA
    expect(JSON.stringify(manifests.filter((m) => m.kind === 'Role' || m.kind === 'ClusterRole'))).not.toContain('pg-ca');
  });

  test('without a CA nothing is mounted (sslMode require)', () => {
    const { manifests } = build({ persistence: { database: database({}) } });
    for (const name of ['workflow-controller', 'argo-server']) {
      const pod = findObject(manifests, 'Deployment', name).spec.template.spec;
      expect(JSON.stringify(pod)).not.toContain('PGSSLROOTCERT');
    }
  });

  test('verify-ca and verify-full without a CA are refused, naming the path, the property and the fix', () => {
    for (const sslMode of [PostgresSslMode.VERIFY_CA, PostgresSslMode.VERIFY_FULL]) {
      expect(() => build({ persistence: { database: database({ sslMode }) } }))
        .toThrow(new RegExp(`Workflows.*persistence\\.database\\.caCertificate: sslMode ${sslMode} checks the server certificate against a CA.*set caCertificate`));
    }
  });

  test('the CA Secret must be in the install namespace', () => {
    const caCertificate = SecretKeyRef.fromExistingSecret('pg-ca', 'ca.crt', { namespace: 'db' });
    expect(() => build({ persistence: { database: database({ sslMode: PostgresSslMode.VERIFY_FULL, caCertificate }) } }))
      .toThrow(/persistence\.database\.caCertificate: Secret db\/pg-ca:ca\.crt is in namespace 'db'/);
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

  test('durations that are not a positive whole number of seconds', () => {
    expect(() => build({ persistence: { database: postgres(), archiveTtl: Duration.seconds(0) } })).toThrow(/persistence\.archiveTtl: must be a positive whole number/);
    expect(() => build({ activeDeadline: Duration.millis(500) })).toThrow(/activeDeadline: must be a positive whole number/);
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
    // Spaces and non-ASCII letters are accepted (test/hostile/accepted-inputs.test.ts).
    for (const group of ["admins' || true || '", 'a\\b', 'x"y', '', "it's", 'x\u2028y', ' padded']) {
      expect(() => build({ ...props, sso: { ...props.sso!, roles: [{ role: WorkflowsAccessRole.ADMIN, groups: [group] }] } }))
        .toThrow(/sso\.roles\[0\]\.groups: group name .*(break out of the quoting|empty|line break|whitespace)/);
    }
  });

  test('a role mapped twice, an empty group list', () => {
    const props = ssoProps();
    expect(() => build({ ...props, sso: { ...props.sso!, roles: [{ role: WorkflowsAccessRole.ADMIN, groups: ['a'] }, { role: WorkflowsAccessRole.ADMIN, groups: ['b'] }] } }))
      .toThrow(/sso\.roles\[1\]: role 'admin' is mapped twice/);
    expect(() => build({ ...props, sso: { ...props.sso!, roles: [{ role: WorkflowsAccessRole.VIEWER, groups: [] }] } }))
      .toThrow(/sso\.roles\[0\]\.groups: is empty/);
  });

  test('two roles with the same precedence', () => {
    const props = ssoProps();
    expect(() => build({
      ...props,
      sso: {
        ...props.sso!,
        roles: [
          { role: WorkflowsAccessRole.ADMIN, groups: ['a'], precedence: 5 },
          { role: WorkflowsAccessRole.VIEWER, groups: ['b'], precedence: 5 },
        ],
      },
    })).toThrow(/sso\.roles\[1\]\.precedence: 5 is also the precedence of 'admin'/);
  });

  test('database and table names that are not plain identifiers', () => {
    const db = (database: string, tableName?: string) => WorkflowDatabase.postgresql({
      host: 'pg',
      database,
      tableName,
      username: SecretKeyRef.fromExistingSecret('db', 'u'),
      password: SecretKeyRef.fromExistingSecret('db', 'p'),
    });
    expect(() => build({ persistence: { database: db('argo sslmode=disable') } })).toThrow(/persistence\.database\.database: 'argo sslmode=disable' is not a database name/);
    expect(() => build({ persistence: { database: db('argo', 'wf; drop table x') } })).toThrow(/persistence\.database\.tableName: .* is not a table name/);
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
    expect(() => build({ ...props, sso: { ...props.sso!, serverUrl: 'http://workflows.example.com' } })).toThrow(/sso\.serverUrl: 'http:\/\/workflows\.example\.com' does not use https/);
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
    expect(() => build({}, ['ci', 'batch'])).toThrow(/controllerScope: the install is namespace-scoped, so it manages one namespace .* but 'batch', 'ci' are bound to it/);
  });

  test('the managed namespace may be created after the install: the Deployments still name it', () => {
    const chart = testChart();
    const workflows = new SecureArgoWorkflows(chart, 'Workflows', withNetworkPolicies({}));
    expect(workflows.controllerArgs).not.toContain('--managed-namespace=ci');
    new HardenedWorkflowNamespace(chart, 'Ci', { workflows, name: 'ci', kubernetesApiCidr: '10.96.0.1/32', kubernetesApiPort: 6443 });
    expect(findObject(synth(chart), 'Deployment', 'workflow-controller').spec.template.spec.containers[0].args).toContain('--managed-namespace=ci');
  });

  test('a namespace-scoped install with no namespace', () => {
    expect(() => build({}, [])).toThrow(/controllerScope: a namespace-scoped install needs one HardenedWorkflowNamespace/);
  });
});

describe('SecureArgoWorkflows and its namespaces, in any order', () => {
  test('namespaces in charts created before the install\'s chart, flags and RBAC as if created after', () => {
    const app = Testing.app();
    const nsChart = new Chart(app, 'a-namespaces');
    const installChart = new Chart(app, 'b-install');
    const workflows = new SecureArgoWorkflows(installChart, 'Workflows', withNetworkPolicies(ssoProps()));
    new HardenedWorkflowNamespace(nsChart, 'Ci', { workflows, name: 'ci', kubernetesApiCidr: '10.96.0.1/32', kubernetesApiPort: 6443 });
    expect(workflows.controllerArgs).toEqual(['--namespaced', '--managed-namespace=ci']);
    expect(workflows.managedNamespaces).toEqual(['ci']);
    const reference = build(ssoProps());
    expect(workflows.serverArgs).toEqual(reference.workflows.serverArgs);
    expect(synth(nsChart).length + synth(installChart).length).toBe(reference.manifests.length);
  });

  test('brand checks instead of instanceof', () => {
    const { workflows } = build({ controllerScope: WorkflowControllerScope.CLUSTER }, ['ci']);
    const ns = workflows.node.scope!.node.findChild('Ns-ci');
    expect(SecureArgoWorkflows.isSecureArgoWorkflows(workflows)).toBe(true);
    expect(SecureArgoWorkflows.isSecureArgoWorkflows(ns)).toBe(false);
    expect(HardenedWorkflowNamespace.isHardenedWorkflowNamespace(ns)).toBe(true);
    expect(HardenedWorkflowNamespace.isHardenedWorkflowNamespace({})).toBe(false);
  });
});


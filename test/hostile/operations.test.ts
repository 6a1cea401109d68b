// Hostile input through the public string, number and list props of the operations constructs
// (ComplianceCronWorkflow and its ComplianceCheck factories, SecretRotationCronWorkflow and its
// SecretRotation factories, CronSchedule, AuditPolicy): each value is refused (construct path,
// property, fix) or reaches the output meaning exactly what was asked, as kubectl's go-yaml
// (YAML 1.1), Kubernetes validation, robfig/cron, Go's time zone lookup and the scripts'
// shell read it.
import { Chart, Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import {
  expectUsefulRefusal, freshChart, goAtoi, goLoadsLocation, goReadsHttpsUrlAsWritten, goReadsInteger, HostileField, hostileNumber,
  hostileText, hostileUrl, k8sNames, readAsGoYaml, refusedOrGoYamlDocs, robfigCron, RUNS, synthProblems, YAML11_WORDS,
} from './readers';
import { ContainerImage, CronSchedule, DayOfWeek } from '../../src/core';
import {
  AuditLevel, AuditPolicy, AuditRule, ComplianceCheck, ComplianceCronWorkflow, ComplianceCronWorkflowProps, SecretRotation,
  SecretRotationCronWorkflow, SecretRotationCronWorkflowProps, VaultConnection,
} from '../../src/operations';
import { SecretKeyRef } from '../../src/secrets';

const IMAGE = ContainerImage.fromDigest('ghcr.io/example/ops', 'sha256:b496426afc46b54cb2ee387bb31d56fdbda9a3d1ab2139760e95c5d5bd3807f9');

const compliance = (chart: Chart, extra: Partial<ComplianceCronWorkflowProps> = {}) => new ComplianceCronWorkflow(chart, 'Compliance', {
  namespace: 'ops', checkImage: IMAGE, reportImage: IMAGE, webhookUrl: SecretKeyRef.fromExistingSecret('webhook', 'url'), ...extra,
});
const checks = (chart: Chart, check: ComplianceCheck) => compliance(chart, { checks: [check] });
const custom = (extra: object = {}, read: object = {}) => ComplianceCheck.custom({
  name: 'images', script: 'run_check() { :; }', reads: [{ apiGroup: 'apps', resources: ['deployments'], ...read }], ...extra,
});
const VAULT: VaultConnection = { address: 'https://vault.example.com:8200', role: 'rotation' };
const vaultRotation = (extra: object = {}) => SecretRotation.vaultExternalSecret('web-db', {
  namespace: 'web', externalSecretName: 'web-db', vaultPath: 'apps/web/db', vaultProperty: 'password', ...extra,
});
const rotation = (chart: Chart, extra: Partial<SecretRotationCronWorkflowProps> = {}) => new SecretRotationCronWorkflow(chart, 'Rotation', {
  namespace: 'ops', image: IMAGE, rotations: [vaultRotation()], vault: VAULT, ...extra,
});

interface Output {
  readonly docs: any[];
}
const cron = (o: Output) => o.docs.find((d) => d.kind === 'CronWorkflow').spec;
const scriptEnv = (o: Output, name: string) => {
  const templates = o.docs.find((d) => d.kind === 'WorkflowTemplate').spec.templates;
  return templates.flatMap((t: any) => t.script?.env ?? []).find((e: any) => e.name === name)?.value;
};
/** The words a POSIX shell splits an unquoted `$VAR` into (default IFS), as the scripts loop over lists. */
const shellWords = (text: string | undefined) => (text ?? '').split(/[ \t\n]+/).filter((w) => w !== '');
const roleNames = (o: Output, kind: string) =>
  o.docs.filter((d) => d.kind === kind).flatMap((d) => d.rules.flatMap((r: any) => r.resourceNames ?? []));

type Field<T> = HostileField<Output, T>;
const text = (f: Omit<Field<string>, 'kind'>): Field<any> => ({ kind: 'text', ...f });
const url = (f: Omit<Field<string>, 'kind'>): Field<any> => ({ kind: 'url', ...f });
const number = (f: Omit<Field<number>, 'kind'>): Field<any> => ({ kind: 'number', ...f });
const int32 = (min: number, max = 2 ** 31 - 1) => (n: number) => goReadsInteger(n, 'int32') && n >= min && n <= max;

const FIELDS: Field<any>[] = [
  // ComplianceCronWorkflow
  text({ property: 'namespace', owner: 'Compliance', build: (c, v) => compliance(c, { namespace: v }), read: (o) => cron(o) && o.docs.find((d) => d.kind === 'CronWorkflow').metadata.namespace, valid: k8sNames.dnsLabel }),
  text({ property: 'name', owner: 'Compliance', build: (c, v) => compliance(c, { name: v }), read: (o) => o.docs.find((d) => d.kind === 'CronWorkflow').metadata.name, valid: (v) => k8sNames.dnsLabel(v) && v.length <= 52 }),
  text({ property: 'clusterName', owner: 'Compliance', build: (c, v) => compliance(c, { clusterName: v }), read: (o) => scriptEnv(o, 'CLUSTER_NAME') }),
  text({ property: 'timeZone', owner: 'Compliance', build: (c, v) => compliance(c, { timeZone: v }), read: (o) => cron(o).timezone, valid: goLoadsLocation }),
  text({ property: 'schedules[0].expression', owner: 'Compliance', build: (c, v) => compliance(c, { schedules: [CronSchedule.expression(v)] }), read: (o) => cron(o).schedules[0], valid: (v) => robfigCron(v) !== undefined }),
  number({ property: 'schedules[0].hour', owner: 'Compliance', build: (c, v) => compliance(c, { schedules: [CronSchedule.daily(v)] }), read: (o) => robfigCron(cron(o).schedules[0]), meaning: (v) => [[0], [v], range(1, 31), range(1, 12), range(0, 6)] }),
  number({ property: 'schedules[0].minute', owner: 'Compliance', build: (c, v) => compliance(c, { schedules: [CronSchedule.weekdays(6, v)] }), read: (o) => robfigCron(cron(o).schedules[0]), meaning: (v) => [[v], [6], range(1, 31), range(1, 12), range(1, 5)] }),
  number({ property: 'schedules[0].dayOfMonth', owner: 'Compliance', build: (c, v) => compliance(c, { schedules: [CronSchedule.monthly(v, 3)] }), read: (o) => robfigCron(cron(o).schedules[0]), meaning: (v) => [[0], [3], [v], range(1, 12), range(0, 6)] }),
  text({ property: 'schedules[0].day', owner: 'Compliance', build: (c, v) => compliance(c, { schedules: [CronSchedule.weekly(v as DayOfWeek, 6)] }), read: (o) => robfigCron(cron(o).schedules[0]) }),
  number({ property: 'startingDeadline', owner: 'Compliance', build: (c, v) => compliance(c, { startingDeadline: Duration.seconds(v) }), read: (o) => cron(o).startingDeadlineSeconds, valid: (n) => goReadsInteger(n, 'int64') && n >= 0 }),
  number({ property: 'successfulJobsHistoryLimit', owner: 'Compliance', build: (c, v) => compliance(c, { successfulJobsHistoryLimit: v }), read: (o) => cron(o).successfulJobsHistoryLimit, valid: int32(0) }),
  number({ property: 'failedJobsHistoryLimit', owner: 'Compliance', build: (c, v) => compliance(c, { failedJobsHistoryLimit: v }), read: (o) => cron(o).failedJobsHistoryLimit, valid: int32(0) }),
  number({ property: 'resources.cpuLimit', owner: 'Compliance', build: (c, v) => compliance(c, { resources: { cpuRequest: Cpu.millis(1), cpuLimit: Cpu.millis(v), memoryRequest: Size.mebibytes(64), memoryLimit: Size.mebibytes(64) } }) }),

  // ComplianceCheck factories, reported by the workflow under checks[0]
  text({ property: 'checks[0].allowedClusterAdminBindings[0]', owner: 'Compliance', build: (c, v) => checks(c, ComplianceCheck.rbac({ allowedClusterAdminBindings: [v] })), read: (o) => JSON.parse(scriptEnv(o, 'ALLOWED_CLUSTER_ADMIN_BINDINGS'))[0], valid: k8sNames.pathSegment }),
  text({ property: 'checks[0].excludedNamespaces[0]', owner: 'Compliance', build: (c, v) => checks(c, ComplianceCheck.networkPolicies({ excludedNamespaces: [v] })), read: (o) => JSON.parse(scriptEnv(o, 'EXCLUDED_NAMESPACES'))[0], valid: k8sNames.dnsLabel }),
  text({ property: 'checks[0].namespace', owner: 'Compliance', build: (c, v) => checks(c, ComplianceCheck.argoCd({ namespace: v })), read: (o) => scriptEnv(o, 'ARGOCD_NAMESPACE'), valid: k8sNames.dnsLabel }),
  text({ property: 'checks[0].deploymentName', owner: 'Compliance', build: (c, v) => checks(c, ComplianceCheck.argoWorkflowsServer({ deploymentName: v })), read: (o) => scriptEnv(o, 'ARGO_SERVER_DEPLOYMENT'), valid: k8sNames.dnsSubdomain }),
  text({ property: 'checks[0].namespaces[0]', owner: 'Compliance', build: (c, v) => checks(c, ComplianceCheck.secretMetadata({ namespaces: [v] })), read: (o) => shellWords(scriptEnv(o, 'NAMESPACES')), meaning: (v) => [v], valid: k8sNames.dnsLabel }),
  number({ property: 'checks[0].maxAge', owner: 'Compliance', build: (c, v) => checks(c, ComplianceCheck.secretMetadata({ namespaces: ['web'], maxAge: Duration.days(v) })), read: (o) => goAtoi(scriptEnv(o, 'MAX_AGE_DAYS')) }),
  number({ property: 'checks[0].warnBefore', owner: 'Compliance', build: (c, v) => checks(c, ComplianceCheck.tlsCertificateExpiry({ namespaces: ['web'], warnBefore: Duration.days(v) })), read: (o) => goAtoi(scriptEnv(o, 'WARN_DAYS')) }),
  text({ property: 'checks[0].name', owner: 'Compliance', build: (c, v) => checks(c, custom({ name: v })), read: (o) => scriptEnv(o, 'CHECK_NAME'), valid: (v) => k8sNames.dnsLabel(v) && v.length <= 40 }),
  text({ property: 'checks[0].script', owner: 'Compliance', build: (c, v) => checks(c, custom({ script: `run_check() { echo '${v}'; }` })), read: (o) => o.docs.find((d) => d.kind === 'WorkflowTemplate').spec.templates[1].script.source.includes(`run_check() { echo '${''}`) }),
  text({ property: 'checks[0].reads[0].apiGroup', owner: 'Compliance', build: (c, v) => checks(c, custom({}, { apiGroup: v })), read: (o) => o.docs.find((d) => d.kind === 'ClusterRole').rules[0].apiGroups[0], valid: (v) => v === '' || k8sNames.dnsSubdomain(v) }),
  text({ property: 'checks[0].reads[0].resources[0]', owner: 'Compliance', build: (c, v) => checks(c, custom({}, { resources: [v] })), read: (o) => o.docs.find((d) => d.kind === 'ClusterRole').rules[0].resources[0], valid: k8sNames.pathSegment }),
  text({ property: 'checks[0].reads[0].namespace', owner: 'Compliance', build: (c, v) => checks(c, custom({}, { namespace: v })), read: (o) => o.docs.find((d) => d.kind === 'Role' && d.metadata.name.endsWith('-checks')).metadata.namespace, valid: k8sNames.dnsLabel }),
  text({ property: 'checks[0].reads[0].resourceNames', owner: 'Compliance', build: (c, v) => checks(c, custom({}, { resourceNames: [v] })), read: (o) => roleNames(o, 'ClusterRole')[0], valid: k8sNames.pathSegment }),

  // SecretRotationCronWorkflow and SecretRotation factories
  text({ property: 'namespace', owner: 'Rotation', build: (c, v) => rotation(c, { namespace: v }), valid: k8sNames.dnsLabel }),
  text({ property: 'name', owner: 'Rotation', build: (c, v) => rotation(c, { name: v }), read: (o) => o.docs.find((d) => d.kind === 'CronWorkflow').metadata.name, valid: (v) => k8sNames.dnsLabel(v) && v.length <= 52 }),
  text({ property: 'timeZone', owner: 'Rotation', build: (c, v) => rotation(c, { timeZone: v }), read: (o) => cron(o).timezone, valid: goLoadsLocation }),
  url({ property: 'vault.address', owner: 'Rotation', build: (c, v) => rotation(c, { vault: { ...VAULT, address: v } }), read: (o) => new URL(scriptEnv(o, 'VAULT_ADDR')).origin, meaning: (v) => new URL(v).origin, valid: goReadsHttpsUrlAsWritten }),
  text({ property: 'vault.role', owner: 'Rotation', build: (c, v) => rotation(c, { vault: { ...VAULT, role: v } }), read: (o) => scriptEnv(o, 'VAULT_ROLE') }),
  text({ property: 'vault.authMountPath', owner: 'Rotation', build: (c, v) => rotation(c, { vault: { ...VAULT, authMountPath: v } }), read: (o) => scriptEnv(o, 'VAULT_AUTH_PATH'), valid: (v) => v.split('/').every((s) => s !== '' && s !== '.' && s !== '..') }),
  text({ property: 'vault.kvMountPath', owner: 'Rotation', build: (c, v) => rotation(c, { vault: { ...VAULT, kvMountPath: v } }), read: (o) => scriptEnv(o, 'VAULT_KV_MOUNT'), valid: (v) => v.split('/').every((s) => s !== '' && s !== '.' && s !== '..') }),
  text({ property: 'rotations[0].name', owner: 'Rotation', build: (c, v) => rotation(c, { rotations: [SecretRotation.vaultExternalSecret(v, { namespace: 'web', externalSecretName: 'db', vaultPath: 'a/b', vaultProperty: 'p' })] }), read: (o) => scriptEnv(o, 'ROTATION_NAME'), valid: k8sNames.dnsLabel }),
  text({ property: 'rotations[0].namespace', owner: 'Rotation', build: (c, v) => rotation(c, { rotations: [vaultRotation({ namespace: v })] }), read: (o) => scriptEnv(o, 'TARGET_NAMESPACE'), valid: k8sNames.dnsLabel }),
  text({ property: 'rotations[0].externalSecretName', owner: 'Rotation', build: (c, v) => rotation(c, { rotations: [vaultRotation({ externalSecretName: v })] }), read: (o) => scriptEnv(o, 'EXTERNAL_SECRET'), valid: k8sNames.dnsSubdomain }),
  text({ property: 'rotations[0].vaultPath', owner: 'Rotation', build: (c, v) => rotation(c, { rotations: [vaultRotation({ vaultPath: v })] }), read: (o) => scriptEnv(o, 'VAULT_PATH'), valid: (v) => v.split('/').every((s) => s !== '' && s !== '.' && s !== '..') }),
  text({ property: 'rotations[0].vaultProperty', owner: 'Rotation', build: (c, v) => rotation(c, { rotations: [vaultRotation({ vaultProperty: v })] }), read: (o) => scriptEnv(o, 'VAULT_PROPERTY') }),
  number({ property: 'rotations[0].length', owner: 'Rotation', build: (c, v) => rotation(c, { rotations: [vaultRotation({ length: v })] }), read: (o) => goAtoi(scriptEnv(o, 'VALUE_LENGTH')), valid: (n) => Number.isInteger(n) && n >= 16 }),
  text({ property: 'rotations[0].restartDeployments[0]', owner: 'Rotation', build: (c, v) => rotation(c, { rotations: [vaultRotation({ restartDeployments: [v] })] }), read: (o) => shellWords(scriptEnv(o, 'RESTART_DEPLOYMENTS')), meaning: (v) => [v], valid: k8sNames.dnsSubdomain }),
  text({ property: 'rotations[0].secret.key', owner: 'Rotation', build: (c, v) => rotation(c, { rotations: [SecretRotation.kubernetesSecret('s', { secret: SecretKeyRef.fromExistingSecret('app', v, { namespace: 'web' }) })], vault: undefined }), read: (o) => scriptEnv(o, 'SECRET_KEY'), valid: (v) => /^[-._a-zA-Z0-9]+$/.test(v) }),
];

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

function refusedOrExact(field: Field<any>, value: any): void {
  const docs = refusedOrGoYamlDocs(field, value, /amounts cannot be negative/);
  if (docs === undefined) return;
  if (field.read) expect(field.read({ docs })).toEqual(field.meaning ? field.meaning(value) : field.property === 'checks[0].script' ? true : value);
}

describe.each(FIELDS.map((f, i) => [`${f.owner}.${f.property} (${i})`, f] as const))('%s: hostile values are refused or land exactly', (_name, field) => {
  test('property', () => {
    const values: fc.Arbitrary<any> = field.kind === 'number' ? hostileNumber : field.kind === 'url' ? hostileUrl : hostileText;
    fc.assert(fc.property(values, (v) => refusedOrExact(field, v)), { ...RUNS, numRuns: 15 });
  });
});

describe('known hostile values, each refused or exact', () => {
  const at = (owner: string, property: string, index = 0) => FIELDS.filter((f) => f.owner === owner && f.property === property)[index];
  test.each([
    ['Compliance', 'clusterName', 'prod\u2028cluster', 0],
    ['Compliance', 'clusterName', 'prod\u0085', 0],
    ['Compliance', 'timeZone', 'europe/berlin', 0],
    ['Compliance', 'schedules[0].expression', '0 0 0 * *', 0],
    ['Compliance', 'schedules[0].expression', 'a b c d e', 0],
    ['Compliance', 'schedules[0].expression', 'CRON_TZ=UTC 0 0 * * *', 0],
    ['Compliance', 'schedules[0].expression', ' @daily', 0],
    ['Compliance', 'schedules[0].expression', '@every 1h ', 0],
    ['Compliance', 'schedules[0].expression', '0\u00a00 * * *', 0],
    ['Compliance', 'schedules[0].hour', 24, 0],
    ['Compliance', 'schedules[0].hour', 1e21, 0],
    ['Compliance', 'schedules[0].dayOfMonth', 29, 0],
    ['Compliance', 'schedules[0].day', 'MON; rm -rf /', 0],
    ['Compliance', 'startingDeadline', 1e21, 0],
    ['Compliance', 'successfulJobsHistoryLimit', 2 ** 31, 0],
    ['Compliance', 'checks[0].allowedClusterAdminBindings[0]', 'admin\u0085', 0],
    ['Compliance', 'checks[0].maxAge', 1e21, 0],
    ['Compliance', 'checks[0].script', "x' \u2028 y", 0],
    ['Rotation', 'vault.address', 'https://vault.example.com:8200/v1', 0],
    ['Rotation', 'vault.address', 'https://vault.example.com\n', 0],
    ['Rotation', 'vault.role', '..', 0],
    ['Rotation', 'rotations[0].vaultPath', 'apps/../../sys', 0],
    ['Rotation', 'rotations[0].length', 1e21, 0],
  ] as [string, string, any, number][])('%s %s = %j', (owner, property, value, index) => refusedOrExact(at(owner, property, index), value));
});

describe('AuditPolicy: refused with the property, or read by kube-apiserver (go-yaml) as given', () => {
  const rule = (extra: Partial<AuditRule>): AuditRule => ({ level: AuditLevel.METADATA, ...extra });
  const AUDIT: [string, (v: string) => AuditPolicy, (policy: any) => unknown][] = [
    ['argoCdNamespace', (v) => new AuditPolicy({ argoCdNamespace: v }), (p) => p.rules.find((r: any) => r.verbs?.includes('patch') && r.users)?.users[0].split(':')[2]],
    ['argoWorkflowsNamespace', (v) => new AuditPolicy({ argoWorkflowsNamespace: v }), (p) => p.rules.find((r: any) => r.verbs?.includes('patch') && r.users)?.users[1].split(':')[2]],
    ['additionalRules[0].users', (v) => new AuditPolicy({ additionalRules: [rule({ users: [v] })] }), (p) => p.rules[6].users[0]],
    ['additionalRules[0].userGroups', (v) => new AuditPolicy({ additionalRules: [rule({ userGroups: [v] })] }), (p) => p.rules[6].userGroups[0]],
    ['additionalRules[0].verbs', (v) => new AuditPolicy({ additionalRules: [rule({ verbs: [v] })] }), (p) => p.rules[6].verbs[0]],
    ['additionalRules[0].namespaces', (v) => new AuditPolicy({ additionalRules: [rule({ namespaces: [v] })] }), (p) => p.rules[6].namespaces[0]],
    ['additionalRules[0].nonResourceURLs', (v) => new AuditPolicy({ additionalRules: [rule({ nonResourceURLs: [v] })] }), (p) => p.rules[6].nonResourceURLs[0]],
    ['additionalRules[0].resources[0].group', (v) => new AuditPolicy({ additionalRules: [rule({ resources: [{ group: v }] })] }), (p) => p.rules[6].resources[0].group],
    ['additionalRules[0].resources[0].resources', (v) => new AuditPolicy({ additionalRules: [rule({ resources: [{ group: 'apps', resources: [v] }] })] }), (p) => p.rules[6].resources[0].resources[0]],
    ['additionalRules[0].resources[0].resourceNames', (v) => new AuditPolicy({ additionalRules: [rule({ resources: [{ group: 'apps', resources: ['deployments'], resourceNames: [v] }] })] }), (p) => p.rules[6].resources[0].resourceNames[0]],
  ];
  const check = (property: string, make: (v: string) => AuditPolicy, read: (p: any) => unknown, value: string) => {
    let policy: AuditPolicy;
    try {
      policy = make(value);
    } catch (e) {
      // AuditPolicy is no construct: its errors name it without a path
      expectUsefulRefusal([(e as Error).message.replace(/^AuditPolicy: /, "AuditPolicy 'AuditPolicy': ")], 'AuditPolicy', property);
      return;
    }
    const parsed = readAsGoYaml(policy.toYaml());
    if (parsed === undefined) throw new Error(`kube-apiserver refuses the policy written for ${JSON.stringify(value)}:\n${policy.toYaml()}`);
    expect(read(parsed)).toEqual(value);
  };
  test.each(AUDIT)('%s', (property, make, read) => {
    fc.assert(fc.property(fc.oneof(hostileText, fc.constantFrom(...YAML11_WORDS)), (v) => check(property, make, read, v)), RUNS);
  });
  test.each([
    ['additionalRules[0].users', 'system:serviceaccount:ops:bot\u0085'],
    ['additionalRules[0].userGroups', 'on'],
    ['additionalRules[0].nonResourceURLs', '/healthz\u2028'],
    ['additionalRules[0].resources[0].resourceNames', 'a\u2028b'],
  ])('%s = %j', (property, value) => {
    const [, make, read] = AUDIT.find(([p]) => p === property)!;
    check(property, make, read, value);
  });
});

test('the fixtures synthesize (so refusals above come from the value under test)', () => {
  for (const build of [(c: Chart) => compliance(c), (c: Chart) => rotation(c), (c: Chart) => checks(c, custom())]) {
    const chart = freshChart();
    expect(synthProblems(chart.node.scope as any, () => build(chart))).toEqual([]);
  }
});

test('valid values keep their meaning: a CronSchedule factory is the schedule robfig reads', () => {
  expect(robfigCron('0 6 * * MON-FRI')).toEqual([[0], [6], range(1, 31), range(1, 12), range(1, 5)]);
  expect(goLoadsLocation('Europe/Berlin')).toBe(true);
  expect(goLoadsLocation('europe/berlin')).toBe(false);
});

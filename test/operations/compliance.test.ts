import { App, Duration } from 'cdk8s';
import { ContainerImage } from '../../src/core/container-image';
import { CronSchedule } from '../../src/core/cron-schedule';
import { ComplianceCheck, ComplianceCronWorkflow, ComplianceCronWorkflowProps } from '../../src/operations';
import { factoryProblemsOf } from '../../src/private/errors';
import { SecretKeyRef } from '../../src/secrets/secret-key-ref';
import { expectSynthErrors } from '../support/errors';
import { expectRestricted } from '../support/pod-security';
import { findObject, Manifest, synth, testChart } from '../support/synth';
import { expectValid } from '../support/validate';

const image = (name: string) => ContainerImage.fromDigest(`registry.example.com/${name}`, 'sha256:daf95eed18ae640ea0a3151b1ecbe68dfaf22bf4f2c07449e4ed7c83fa2a1e4e', '1.0.0');
const baseProps: ComplianceCronWorkflowProps = {
  namespace: 'ops',
  checkImage: image('kubectl-jq'),
  reportImage: image('curl-jq'),
  webhookUrl: SecretKeyRef.fromExistingSecret('compliance-webhook', 'url'),
  webhookToken: SecretKeyRef.fromExistingSecret('compliance-webhook', 'token'),
};

function build(props: Partial<ComplianceCronWorkflowProps> = {}): Manifest[] {
  const chart = testChart();
  new ComplianceCronWorkflow(chart, 'Compliance', { ...baseProps, ...props });
  return synth(chart);
}

const templateOf = (workflowTemplate: Manifest, name: string) => workflowTemplate.spec.templates.find((t: any) => t.name === name);

describe('ComplianceCronWorkflow', () => {
  const manifests = build();
  const cron = findObject(manifests, 'CronWorkflow', 'compliance-check');
  const wt = findObject(manifests, 'WorkflowTemplate', 'compliance-check');

  test('is valid and every pod is restricted (only the checks mount a token)', () => {
    expectValid(manifests);
    expectRestricted(manifests, { apiClients: ['compliance-check'] });
  });

  test('schedules with Argo Workflows v4 fields', () => {
    expect(cron.spec).toMatchObject({
      schedules: ['0 6 * * *'],
      timezone: 'UTC',
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 600,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
    });
    expect(cron.spec.schedule).toBeUndefined();
  });

  test('the CronWorkflow only references the WorkflowTemplate (templateReferencing: Secure allows nothing else that matters)', () => {
    expect(cron.spec.workflowSpec).toEqual({ workflowTemplateRef: { name: 'compliance-check' } });
    expect(wt.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('3');
    expect(cron.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('4');
  });

  test('runs the default checks in parallel, then the report as the exit handler, whatever became of them', () => {
    expect(wt.spec).toMatchObject({ entrypoint: 'compliance', onExit: 'report' });
    expect(templateOf(wt, 'compliance').dag.tasks.map((t: any) => t.name)).toEqual(['rbac', 'network-policies', 'argocd', 'argo-server']);
    // Findings reach the exit handler as workflow outputs; a check that never finished leaves its unset.
    expect(templateOf(wt, 'check-rbac').outputs.parameters).toEqual([
      { name: 'findings', globalName: 'findings-rbac', valueFrom: { path: '/tmp/findings.json' } },
    ]);
    const env = templateOf(wt, 'report').script.env;
    expect(env).toContainEqual({ name: 'FINDINGS_RBAC', value: '{{workflow.outputs.parameters.findings-rbac}}' });
    expect(env).toContainEqual({ name: 'FAILED_STEPS', value: '{{workflow.failures}}' });
    expect(env).toContainEqual({ name: 'WORKFLOW_STATUS', value: '{{workflow.status}}' });
  });

  test('passes findings as bounded output parameters, with no artifact repository', () => {
    const check = templateOf(wt, 'check-rbac');
    expect(check.outputs).toEqual({ parameters: [{ name: 'findings', globalName: 'findings-rbac', valueFrom: { path: '/tmp/findings.json' } }] });
    expect(check.script.env).toContainEqual({ name: 'MAX_FINDINGS_BYTES', value: '10000' });
    expect(JSON.stringify(wt)).not.toMatch(/artifact/i);
  });

  test('mounts the checks\' token only in check pods; the report and executor use a token-less identity', () => {
    const spec = wt.spec;
    expect(spec).toMatchObject({
      serviceAccountName: 'compliance-check-executor',
      automountServiceAccountToken: false,
      executor: { serviceAccountName: 'compliance-check-executor' },
    });
    for (const name of ['check-rbac', 'check-network-policies', 'check-argocd', 'check-argo-server']) {
      expect(templateOf(wt, name)).toMatchObject({ serviceAccountName: 'compliance-check-checks', automountServiceAccountToken: true });
    }
    // Failed steps keep their pods (and logs) until the history limits delete the workflow.
    expect(spec.podGC).toEqual({ strategy: 'OnPodSuccess' });
    const report = templateOf(wt, 'report');
    expect(report.automountServiceAccountToken).toBeUndefined();
    expect(report.serviceAccountName).toBeUndefined();
    expect(findObject(manifests, 'Secret', 'compliance-check-executor.service-account-token')).toMatchObject({
      type: 'kubernetes.io/service-account-token',
      metadata: { annotations: { 'kubernetes.io/service-account.name': 'compliance-check-executor' } },
    });
    expect(findObject(manifests, 'Role', 'compliance-check-executor-taskresults').rules).toEqual([
      { apiGroups: ['argoproj.io'], resources: ['workflowtaskresults'], verbs: ['create', 'patch'] },
    ]);
  });

  test('the report template stays below the 128 KiB limit of one environment variable at the full findings budget', () => {
    // Argo passes the template, with variables substituted, to its executor as ARGO_TEMPLATE.
    const report = JSON.parse(JSON.stringify(templateOf(wt, 'report')));
    const finding = JSON.stringify({ check: 'argo-server', severity: 'WARNING', resource: 'clusterrolebinding/x', message: 'has "quoted" text' });
    const full = (bytes: number) => `[${Array(Math.floor(bytes / (finding.length + 1))).fill(finding).join(',')}]`;
    const value = full(10000);
    expect(Buffer.byteLength(value)).toBeLessThanOrEqual(10000);
    report.script.env.forEach((e: any) => { if (e.value?.startsWith('{{workflow.outputs.parameters.')) e.value = value; });
    expect(report.script.env.filter((e: any) => e.value === value)).toHaveLength(4);
    expect(Buffer.byteLength(JSON.stringify(report))).toBeLessThan(128 * 1024);
  });

  test('retries crashed checks, and the report only when it was not delivered (exit 2)', () => {
    expect(templateOf(wt, 'check-rbac').retryStrategy).toEqual({ limit: 2, retryPolicy: 'Always', backoff: { duration: '30s', factor: 2 } });
    expect(templateOf(wt, 'report').retryStrategy).toMatchObject({ retryPolicy: 'OnFailure', expression: 'asInt(lastRetry.exitCode) == 2' });
  });

  test('no script contains an Argo template variable', () => {
    for (const t of wt.spec.templates.filter((x: any) => x.script)) expect(t.script.source).not.toContain('{{');
  });

  test('the webhook URL and token come from Secrets through env, never literally', () => {
    const env = templateOf(wt, 'report').script.env;
    expect(env).toContainEqual({ name: 'WEBHOOK_URL', valueFrom: { secretKeyRef: { name: 'compliance-webhook', key: 'url' } } });
    expect(env).toContainEqual({ name: 'WEBHOOK_TOKEN', valueFrom: { secretKeyRef: { name: 'compliance-webhook', key: 'token' } } });
    expect(env).toContainEqual({ name: 'FINDINGS_NETWORK_POLICIES', value: '{{workflow.outputs.parameters.findings-network-policies}}' });
  });

  test('grants exactly what the default checks read: list (get by name), no secrets, namespaced where possible', () => {
    expect(findObject(manifests, 'ClusterRole', 'ops-compliance-check-checks').rules).toEqual([
      { apiGroups: [''], resources: ['namespaces', 'pods'], verbs: ['list'] },
      { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['list'] },
      { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterrolebindings', 'clusterroles', 'rolebindings', 'roles'], verbs: ['list'] },
    ]);
    expect(manifests.filter((m) => m.kind === 'Role' && m.metadata.name === 'ops-compliance-check-checks').map((m) => [m.metadata.namespace, m.rules])).toEqual([
      ['argo', [{ apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['argo-server'], verbs: ['get'] }]],
      ['argocd', [
        { apiGroups: [''], resources: ['configmaps'], resourceNames: ['argocd-cm', 'argocd-cmd-params-cm'], verbs: ['get'] },
        { apiGroups: ['argoproj.io'], resources: ['appprojects'], verbs: ['list'] },
      ]],
    ]);
    expect(findObject(manifests, 'ClusterRoleBinding', 'ops-compliance-check-checks').subjects).toEqual([
      { kind: 'ServiceAccount', name: 'compliance-check-checks', namespace: 'ops' },
    ]);
    const rules = manifests.filter((m) => m.kind === 'ClusterRole' || (m.kind === 'Role' && m.metadata.name!.endsWith('-checks'))).flatMap((m) => m.rules);
    expect(JSON.stringify(rules)).not.toMatch(/secrets|\*/);
  });
});

describe('ComplianceCheck', () => {
  test('opt-in secret checks get list on secrets only in the namespaces they are given', () => {
    const manifests = build({
      checks: [ComplianceCheck.secretMetadata({ namespaces: ['team-b', 'team-a'] }), ComplianceCheck.tlsCertificateExpiry({ namespaces: ['team-a'], warnBefore: Duration.days(14) })],
    });
    expectValid(manifests);
    expect(manifests.filter((m) => m.kind === 'ClusterRole')).toEqual([]);
    const roles = manifests.filter((m) => m.kind === 'Role' && m.metadata.name === 'ops-compliance-check-checks');
    expect(roles.map((r) => [r.metadata.namespace, r.rules])).toEqual([
      ['team-a', [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }]],
      ['team-b', [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }]],
    ]);
    const wt = findObject(manifests, 'WorkflowTemplate');
    expect(templateOf(wt, 'check-secret-metadata').script.env).toContainEqual({ name: 'NAMESPACES', value: 'team-a team-b' });
    expect(templateOf(wt, 'check-tls-expiry').script.env).toContainEqual({ name: 'WARN_DAYS', value: '14' });
  });

  test('custom checks add exactly their reads, and may use their own image', () => {
    const custom = ComplianceCheck.custom({
      name: 'ingress-tls',
      image: image('custom-check'),
      script: 'run_check() { fetch ing \'.items\' ingresses --all-namespaces || return 1; }',
      reads: [
        { apiGroup: 'networking.k8s.io', resources: ['ingresses'] },
        { apiGroup: '', resources: ['secrets'], namespace: 'team-a', resourceNames: ['web-tls'] },
      ],
    });
    const manifests = build({ checks: [ComplianceCheck.rbac(), custom] });
    expectValid(manifests);
    expect(findObject(manifests, 'ClusterRole').rules).toEqual([
      { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: ['get', 'list'] },
      { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterrolebindings', 'clusterroles', 'rolebindings', 'roles'], verbs: ['list'] },
    ]);
    expect(findObject(manifests, 'Role', 'ops-compliance-check-checks').rules).toEqual([
      { apiGroups: [''], resources: ['secrets'], resourceNames: ['web-tls'], verbs: ['get'] },
    ]);
    const template = templateOf(findObject(manifests, 'WorkflowTemplate'), 'check-ingress-tls');
    expect(template.script.image).toBe('registry.example.com/custom-check:1.0.0@sha256:daf95eed18ae640ea0a3151b1ecbe68dfaf22bf4f2c07449e4ed7c83fa2a1e4e');
    expect(template.script.source).toContain('ingresses --all-namespaces');
  });

  // A factory records what is wrong; the workflow that uses the check reports it at synth, with
  // its own path and the check's place in `checks`.
  const refusedAt = (checks: ComplianceCheck[], patterns: RegExp[]) => {
    const chart = testChart();
    new ComplianceCronWorkflow(chart, 'Compliance', { ...baseProps, checks: [ComplianceCheck.rbac(), ...checks] });
    return expectSynthErrors(chart.node.root as App, patterns);
  };

  test.each([
    [{ name: 'Bad_Name', script: 'run_check() { :; }', reads: [{ apiGroup: '', resources: ['pods'] }] }, /checks\[1\]\.name: 'Bad_Name' is not a DNS-1123 label/],
    [{ name: 'report', script: 'run_check() { :; }', reads: [{ apiGroup: '', resources: ['pods'] }] }, /checks\[1\]\.name: 'report' is the name of the report step/],
    [{ name: 'x', script: 'echo hi', reads: [{ apiGroup: '', resources: ['pods'] }] }, /checks\[1\]\.script: must define a function run_check/],
    [{ name: 'x', script: 'run_check() { :; }', reads: [] }, /checks\[1\]\.reads: is empty/],
    [{ name: 'x', script: 'run_check() { echo "{{workflow.name}}"; }', reads: [{ apiGroup: '', resources: ['pods'] }] }, /checks\[1\]\.script: contains '\{\{', which Argo Workflows would treat as a template variable/],
    [{ name: 'x', script: 'run_check() { :; }', reads: [{ apiGroup: '*', resources: ['pods'] }] }, /checks\[1\]\.reads\[0\]\.apiGroup: '\*' is not an API group/],
    [{ name: 'x', script: 'run_check() { :; }', reads: [{ apiGroup: '', resources: ['pods', '*'] }] }, /checks\[1\]\.reads\[0\]\.resources\[1\]: '\*' is not a resource name/],
    [{ name: 'x', script: 'run_check() { :; }', reads: [{ apiGroup: '', resources: ['secrets'] }] }, /checks\[1\]\.reads\[0\]: reads secrets cluster-wide: give a namespace/],
  ])('custom check %# is refused at synth with the workflow path and the check\'s place', (props, message) => {
    expect(() => ComplianceCheck.custom(props)).not.toThrow();
    const [error] = refusedAt([ComplianceCheck.custom(props)], [message]);
    expect(error).toMatch(/^\[test\/Compliance\] ComplianceCronWorkflow 'test\/Compliance': checks\[1\]/);
  });

  test('one synth reports every problem of every check', () => {
    refusedAt([
      ComplianceCheck.custom({ name: 'x', script: 'echo {{x}}', reads: [{ apiGroup: '*', resources: ['*'] }] }),
      ComplianceCheck.argoCd({ namespace: 'argo cd' }),
    ], [
      /checks\[1\]\.script: must define a function run_check/, /checks\[1\]\.script: contains '\{\{'/,
      /checks\[1\]\.reads\[0\]\.apiGroup/, /checks\[1\]\.reads\[0\]\.resources\[0\]/, /checks\[2\]\.namespace: 'argo cd' is not a DNS-1123 label/,
    ]);
  });

  test('rbac: allowed binding names are checked (no template variables reach the workflow)', () => {
    const chart = testChart();
    new ComplianceCronWorkflow(chart, 'Compliance', { ...baseProps, checks: [ComplianceCheck.rbac({ allowedClusterAdminBindings: ['ok', '{{workflow.name}}', 'a/b'] })] });
    expectSynthErrors(chart.node.root as App, [
      /checks\[0\]\.allowedClusterAdminBindings\[1\]: '\{\{workflow.name\}\}' contains '\{\{'/,
      /checks\[0\]\.allowedClusterAdminBindings\[2\]: 'a\/b' is not/,
    ]);
    expect(factoryProblemsOf(ComplianceCheck.rbac({ allowedClusterAdminBindings: ['kubeadm:cluster-admins'] }))).toEqual([]);
  });

  test('scratch space is memory-backed when a check may read secret values, disk otherwise', () => {
    const volumes = (checks: ComplianceCheck[]) => findObject(build({ checks }), 'WorkflowTemplate').spec.volumes;
    expect(volumes([ComplianceCheck.tlsCertificateExpiry({ namespaces: ['team-a'] })])[0]).toEqual({ name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: '128Mi' } });
    expect(volumes([ComplianceCheck.rbac()])[0]).toEqual({ name: 'tmp', emptyDir: { sizeLimit: '256Mi' } });
  });

  test('opt-in checks need namespaces and sane numbers', () => {
    const problems = (check: ComplianceCheck) => factoryProblemsOf(check).map((p) => `${p.property}: ${p.problem}`);
    expect(problems(ComplianceCheck.secretMetadata({ namespaces: [] }))).toEqual([expect.stringMatching(/^namespaces: is empty/)]);
    expect(problems(ComplianceCheck.secretMetadata({ namespaces: ['a'], maxAge: Duration.hours(36) })))
      .toEqual([expect.stringMatching(/^maxAge: 1 day 12 hours is not a positive whole number of days/)]);
    expect(problems(ComplianceCheck.tlsCertificateExpiry({ namespaces: ['a', 'Team'] }))).toEqual([expect.stringMatching(/^namespaces\[1\]: 'Team' is not a DNS-1123 label/)]);
    expect(problems(ComplianceCheck.argoCd({ namespace: 'argo cd' }))).toEqual([expect.stringMatching(/^namespace: 'argo cd' is not a DNS-1123 label/)]);
    expect(problems(ComplianceCheck.networkPolicies({ excludedNamespaces: ['kube-system', 'Kube'] }))).toEqual([expect.stringMatching(/^excludedNamespaces\[1\]/)]);
  });
});

describe('ComplianceCronWorkflow validation', () => {
  test.each([
    [{ schedules: [CronSchedule.expression('0 6 * *')] }, /schedules\[0\]\.expression: '0 6 \* \*' has 4 fields/],
    [{ schedules: ['0 6 * * *' as any] }, /schedules\[0\]: is not a CronSchedule: write CronSchedule\.expression\('0 6 \* \* \*'\)/],
    [{ schedules: [CronSchedule.expression('0 6 * * *'), CronSchedule.expression('99 99 * * *')] }, /schedules\[1\].expression: '99 99 \* \* \*': '99' in the minute field is outside 0-59/],
    [{ schedules: [CronSchedule.expression('0 0 0 * *')] }, /schedules\[0\].expression: '0 0 0 \* \*': '0' in the day of month field is outside 1-31/],
    [{ schedules: [] }, /schedules: is empty/],
    [{ timeZone: 'Mars/Olympus' }, /timeZone: 'Mars\/Olympus' is not an IANA time zone/],
    [{ name: 'a'.repeat(53) }, /name: '.*' is longer than 52 characters/],
    [{ checks: [] }, /checks: is empty/],
    [{ checks: [ComplianceCheck.rbac(), ComplianceCheck.rbac()] }, /checks: two checks are named 'rbac'/],
    [{ webhookUrl: SecretKeyRef.fromExistingSecret('hook', 'url', { namespace: 'elsewhere' }) }, /webhookUrl: Secret elsewhere\/hook:url is in another namespace/],
    [{ failedJobsHistoryLimit: -1 }, /failedJobsHistoryLimit: -1 is not a whole number from 0 to 2147483647/],
    [{ schedules: [CronSchedule.expression('0 6 * * 1#2')] }, /schedules\[0\].expression: '0 6 \* \* 1#2': '1#2' in the day of week field/],
    [{ timeZone: 'europe/berlin' }, /timeZone: 'europe\/berlin' is not an IANA time zone: .* \(case matters\)/],
    [{ startingDeadline: Duration.millis(1500) }, /startingDeadline: must be a whole number of seconds from 0 up to \d+ \(got 1.5\)/],
    [{ clusterName: 'prod-{{workflow.name}}' }, /clusterName: .* contains '\{\{'/],
    [{ clusterName: 'prod\n1' }, /clusterName: 'prod\\n1' contains '\\n', a line break/],
  ])('refuses invalid props %#', (props, message) => {
    expect(() => build(props as Partial<ComplianceCronWorkflowProps>)).toThrow(message);
  });

  test('accepts descriptors, several schedules and a time zone', () => {
    const cron = findObject(build({ schedules: [CronSchedule.expression('@daily'), CronSchedule.expression('30 18 * * 1-5')], timeZone: 'Europe/Berlin', startingDeadline: Duration.minutes(2) }), 'CronWorkflow');
    expect(cron.spec.schedules).toEqual(['@daily', '30 18 * * 1-5']);
    expect(cron.spec.timezone).toBe('Europe/Berlin');
    expect(cron.spec.startingDeadlineSeconds).toBe(120);
  });

  test('one synth reports every format problem', () => {
    const chart = testChart();
    new ComplianceCronWorkflow(chart, 'Compliance', { ...baseProps, schedules: [CronSchedule.expression('99 99 * * *'), CronSchedule.expression('@often')], timeZone: 'Mars/Olympus', name: 'Bad_Name' });
    expect(() => synth(chart)).toThrow(/schedules\[0\][^]*schedules\[1\]\.expression: '@often' is not a known descriptor[^]*timeZone: 'Mars\/Olympus'/);
  });
});

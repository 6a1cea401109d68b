// Runs the compliance workflow's shell scripts, exactly as synthesized, against recorded
// `kubectl -o json` fixtures with stub kubectl and curl on PATH (test/fixtures/kubectl/bin).
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Duration } from 'cdk8s';
import { ContainerImage } from '../../src/core/container-image';
import { ComplianceCheck, ComplianceCronWorkflow } from '../../src/operations';
import { ROTATE_SCRIPT } from '../../src/operations/private/secret-rotation-scripts';
import { SecretKeyRef } from '../../src/secrets/secret-key-ref';
import { findObject, synth, testChart } from '../support/synth';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'kubectl');
const STUBS = path.join(FIXTURES, 'bin');

function tool(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}
if (!tool('jq')) throw new Error('the compliance script tests need jq 1.6+ on PATH (apt-get install -y jq)');

const image = ContainerImage.fromDigest('registry.example.com/tools', 'sha256:daf95eed18ae640ea0a3151b1ecbe68dfaf22bf4f2c07449e4ed7c83fa2a1e4e');
const chart = testChart();
new ComplianceCronWorkflow(chart, 'Compliance', {
  namespace: 'ops',
  checkImage: image,
  reportImage: image,
  webhookUrl: SecretKeyRef.fromExistingSecret('hook', 'url'),
  webhookToken: SecretKeyRef.fromExistingSecret('hook', 'token'),
  clusterName: 'prod-1',
  checks: [
    ...ComplianceCheck.defaults(),
    ComplianceCheck.secretMetadata({ namespaces: ['team-a'], maxAge: Duration.days(90) }),
    ComplianceCheck.tlsCertificateExpiry({ namespaces: ['team-a'], warnBefore: Duration.days(30) }),
  ],
});
const templates: any[] = findObject(synth(chart), 'WorkflowTemplate').spec.templates;

interface Finding { check: string; severity: string; resource: string; message: string }
interface Run { status: number | null; stdout: string; stderr: string; findings: Finding[]; calls: any[] }

/** Runs a template's script as its pod would, with literal env values from the template plus `env`. */
function run(templateName: string, env: Record<string, string>, options: { fixtures?: string; routes?: object; shell?: string[] } = {}): Run {
  const template = templates.find((t) => t.name === templateName);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compliance-'));
  try {
    const literal = Object.fromEntries(template.script.env.filter((e: any) => 'value' in e).map((e: any) => [e.name, e.value]));
    fs.writeFileSync(path.join(dir, 'routes.json'), JSON.stringify(options.routes ?? {}));
    const [shell, ...shellArgs] = options.shell ?? ['sh'];
    const result = spawnSync(shell, [...shellArgs, '-c', template.script.source], {
      encoding: 'utf8',
      env: {
        PATH: `${STUBS}:${process.env.PATH}`,
        ...literal,
        FINDINGS_FILE: path.join(dir, 'findings.json'),
        KUBECTL_FIXTURES: path.join(FIXTURES, options.fixtures ?? 'empty'),
        CURL_FIXTURES: dir,
        STUB_LOG: path.join(dir, 'calls.jsonl'),
        ...env,
      },
    });
    const read = (f: string) => (fs.existsSync(path.join(dir, f)) ? fs.readFileSync(path.join(dir, f), 'utf8') : '');
    return {
      status: result.status,
      stdout: result.stdout,
      stderr: result.stderr,
      findings: read('findings.json') ? JSON.parse(read('findings.json')) : [],
      calls: read('calls.jsonl').split('\n').filter(Boolean).map((l) => JSON.parse(l)),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const template = (name: string) => templates.find((t) => t.name === name);
const summary = (r: Run) => r.findings.map((f) => `${f.severity} ${f.resource}: ${f.message}`);

describe.each(['rbac', 'network-policies', 'argocd', 'argo-server'])('check %s', (check) => {
  test('finds nothing on a fresh, hardened cluster', () => {
    const r = run(`check-${check}`, {}, { fixtures: 'empty' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.findings).toEqual([]);
  });

  test('reports an ERROR instead of passing when it cannot read the cluster', () => {
    const r = run(`check-${check}`, { KUBECTL_FORBID: '1' });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/Forbidden/);
    expect(r.findings).toEqual([{ check, severity: 'ERROR', resource: '', message: 'the check could not run to completion: see the log of this step' }]);
  });
});

describe('checks on a noisy cluster', () => {
  test('rbac: cluster-admin bindings are ERRORs, system objects are ignored', () => {
    const r = run('check-rbac', {}, { fixtures: 'noisy' });
    expect(summary(r)).toEqual([
      'ERROR clusterrolebinding/ci-admin: grants cluster-admin to ServiceAccount ci/deployer',
      'ERROR clusterrolebinding/kubeadm:cluster-admins: grants cluster-admin to Group kubeadm:cluster-admins',
      'WARNING rolebinding/team-a/admin-all: grants cluster-admin within namespace team-a to User alice@example.com',
      'WARNING clusterrole/argocd-application-controller: has rules with "*" in apiGroups, resources, verbs: list what it needs',
      'WARNING role/team-b/do-anything: has rules with "*" in verbs: list what it needs',
      'INFO serviceaccount/ci/deployer: bound to ClusterRole cluster-admin cluster-wide by clusterrolebinding/ci-admin',
      'INFO serviceaccount/argocd/argocd-application-controller: bound to ClusterRole argocd-application-controller cluster-wide by clusterrolebinding/argocd-application-controller',
      'INFO serviceaccount/team-a/app: bound to Role reader in namespace team-a by rolebinding/team-a/app-reader',
    ]);
    expect(r.findings.every((f) => f.check === 'rbac')).toBe(true);
  });

  test('rbac: allowed cluster-admin bindings are not reported', () => {
    const r = run('check-rbac', { ALLOWED_CLUSTER_ADMIN_BINDINGS: '["cluster-admin","kubeadm:cluster-admins"]' }, { fixtures: 'noisy' });
    expect(summary(r).filter((s) => s.startsWith('ERROR'))).toEqual(['ERROR clusterrolebinding/ci-admin: grants cluster-admin to ServiceAccount ci/deployer']);
  });

  test('network-policies: pods without any policy are an ERROR, missing default deny a WARNING', () => {
    const r = run('check-network-policies', {}, { fixtures: 'noisy' });
    expect(summary(r)).toEqual([
      'ERROR namespace/team-a: has pods but no NetworkPolicy: all traffic to and from its pods is allowed',
      'WARNING namespace/argocd: has no default-deny NetworkPolicy for ingress and egress',
      'WARNING namespace/default: has no default-deny NetworkPolicy for ingress and egress',
      'WARNING namespace/empty-ns: has no default-deny NetworkPolicy for ingress and egress',
      'WARNING namespace/team-b: has no default-deny NetworkPolicy for ingress and egress',
    ]);
  });

  test('network-policies: asks for one pod per namespace, never for every pod in the cluster', () => {
    const r = run('check-network-policies', {}, { fixtures: 'noisy' });
    const gets = r.calls.map((c) => c.args.join(' '));
    expect(gets.filter((a) => a.includes('pods'))).toEqual(expect.arrayContaining(['get --raw /api/v1/namespaces/team-a/pods?limit=1']));
    expect(gets.every((a) => !a.startsWith('get pods'))).toBe(true);
  });

  test('a finding with an unknown or missing severity counts as an ERROR', () => {
    const custom = ComplianceCheck.custom({
      name: 'typo',
      reads: [{ apiGroup: '', resources: ['pods'] }],
      script: 'run_check() { echo \'{"severity": "warning", "resource": "a", "message": "lowercase"}\'; echo \'{"resource": "b", "message": "none"}\'; }',
    });
    const c = testChart();
    new ComplianceCronWorkflow(c, 'Typo', { namespace: 'ops', checkImage: image, reportImage: image, webhookUrl: SecretKeyRef.fromExistingSecret('hook', 'url'), checks: [custom] });
    const source = findObject(synth(c), 'WorkflowTemplate').spec.templates.find((t: any) => t.name === 'check-typo').script.source;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'typo-'));
    try {
      spawnSync('sh', ['-c', source], { env: { PATH: process.env.PATH, CHECK_NAME: 'typo', FINDINGS_FILE: path.join(dir, 'f.json') } });
      expect(JSON.parse(fs.readFileSync(path.join(dir, 'f.json'), 'utf8')).map((f: Finding) => f.severity)).toEqual(['ERROR', 'ERROR']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('argocd: anonymous access and disabled auth are ERRORs', () => {
    const r = run('check-argocd', {}, { fixtures: 'noisy' });
    expect(summary(r)).toEqual([
      'ERROR configmap/argocd/argocd-cm: anonymous access is enabled (users.anonymous.enabled)',
      'ERROR configmap/argocd/argocd-cmd-params-cm: authentication is disabled (server.disable.auth)',
      'WARNING configmap/argocd/argocd-cm: the local admin user is enabled: set admin.enabled to "false" once SSO works',
      'WARNING appproject/argocd/default: allows any source repository, any destination namespace, any destination cluster, every cluster-scoped kind: list what the project needs',
    ]);
  });

  test('argocd and argo-server: a missing installation is INFO, not a failure', () => {
    expect(summary(run('check-argocd', { ARGOCD_NAMESPACE: 'gitops' }, { fixtures: 'noisy' }))).toEqual([
      'INFO configmap/gitops/argocd-cm: not found: is Argo CD installed in namespace gitops?',
    ]);
    expect(summary(run('check-argo-server', { ARGO_NAMESPACE: 'workflows' }, { fixtures: 'noisy' }))).toEqual([
      'INFO deployment/workflows/argo-server: not found: is argo-server installed in namespace workflows?',
    ]);
  });

  test('argo-server: --auth-mode server (in any spelling) is an ERROR', () => {
    expect(summary(run('check-argo-server', {}, { fixtures: 'noisy' }))).toEqual([
      'ERROR deployment/argo/argo-server: runs with --auth-mode=server: every request acts as the server service account, with no user authentication',
      'WARNING deployment/argo/argo-server: runs with --secure=false: the UI and API are served over plain HTTP',
    ]);
  });

  test('double braces from cluster data cannot become Argo template variables', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'braces-'));
    try {
      for (const f of fs.readdirSync(path.join(FIXTURES, 'empty'))) fs.copyFileSync(path.join(FIXTURES, 'empty', f), path.join(dir, f));
      const crbs = JSON.parse(fs.readFileSync(path.join(dir, 'clusterrolebindings.json'), 'utf8'));
      crbs.items.push({ metadata: { name: 'sneaky' }, roleRef: { kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'User', name: '{{workflow.name}}' }, { kind: 'User', name: '{{{=sprig.env("X")}}' }] });
      fs.writeFileSync(path.join(dir, 'clusterrolebindings.json'), JSON.stringify(crbs));
      const r = run('check-rbac', { KUBECTL_FIXTURES: dir });
      expect(summary(r)).toEqual(['ERROR clusterrolebinding/sneaky: grants cluster-admin to User { {workflow.name}}, User { { {=sprig.env("X")}}']);
      expect(JSON.stringify(r.findings)).not.toContain('{{');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('findings are bounded: ERRORs first, then a note of what was left out', () => {
    const r = run('check-rbac', { MAX_FINDINGS_BYTES: '900' }, { fixtures: 'noisy' });
    expect(Buffer.byteLength(JSON.stringify(r.findings))).toBeLessThanOrEqual(900);
    expect(r.findings[0].severity).toBe('ERROR');
    expect(r.findings[r.findings.length - 1].message).toMatch(/^\d+ more findings were left out to stay within 900 bytes/);
  });
});

describe('secret-metadata check (opt-in)', () => {
  const tableUrl = 'https://kubernetes.default.svc/api/v1/namespaces/team-a/secrets?includeObject=Metadata';
  const serviceAccountDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sa-'));
  fs.writeFileSync(path.join(serviceAccountDir, 'token'), 'stub-service-account-token\n');
  fs.writeFileSync(path.join(serviceAccountDir, 'ca.crt'), 'stub-ca\n');
  afterAll(() => fs.rmSync(serviceAccountDir, { recursive: true, force: true }));
  const table = (fixture: string) => JSON.parse(fs.readFileSync(path.join(FIXTURES, fixture, 'secrets-table.team-a.json'), 'utf8'));

  test('asks the API server for a metadata-only Table and reports old secrets and long-lived tokens', () => {
    const r = run('check-secret-metadata', { SERVICE_ACCOUNT_DIR: serviceAccountDir }, { routes: { [`GET ${tableUrl}`]: { status: 200, body: table('noisy') } } });
    const findings = summary(r);
    expect(findings).toHaveLength(2);
    expect(findings[0]).toMatch(/^WARNING secret\/team-a\/db-password: \(Opaque\) has not changed for \d+ days \(limit 90\): rotate it$/);
    expect(findings[1]).toBe('INFO secret/team-a/builder-token: is a long-lived service account token: prefer projected tokens unless a tool needs one');
    const [call] = r.calls;
    expect(call.headers).toContain('Accept: application/json;as=Table;g=meta.k8s.io;v=v1');
    expect(call.headers).toContain('Authorization: Bearer stub-service-account-token');
    // The token reaches curl as a config on stdin: not in argv, and never written to /tmp (a disk-backed volume).
    expect(call.args.join(' ')).toContain('--proto =https');
    expect(call.args.join(' ')).toContain('-K -');
    expect(template('check-secret-metadata').script.source).not.toMatch(/>\s*"\$work\/auth/);
    expect(JSON.stringify(call.args)).not.toContain('stub-service-account-token');
    expect(r.stdout + r.stderr).not.toContain('stub-service-account-token');
  });

  test('finds nothing in an empty namespace, and an ERROR when the API refuses', () => {
    expect(run('check-secret-metadata', { SERVICE_ACCOUNT_DIR: serviceAccountDir }, { routes: { [`GET ${tableUrl}`]: { status: 200, body: table('empty') } } }).findings).toEqual([]);
    const r = run('check-secret-metadata', { SERVICE_ACCOUNT_DIR: serviceAccountDir }, { routes: { [`GET ${tableUrl}`]: { status: 403, body: {} } } });
    expect(summary(r)).toEqual(['ERROR : the check could not run to completion: see the log of this step']);
  });
});

(tool('openssl') ? describe : describe.skip)('tls-expiry check (opt-in)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tls-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const cert = (days: number) => {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', String(days), '-subj', '/CN=test'], { stdio: 'ignore' });
    return fs.readFileSync(path.join(dir, 'cert.pem')).toString('base64');
  };
  const secret = (name: string, crt: string) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'team-a' }, type: 'kubernetes.io/tls', data: { 'tls.crt': crt, 'tls.key': Buffer.from('PRIVATE KEY MATERIAL').toString('base64') } });

  test('reports certificates that expire soon or cannot be read, and never prints key material', () => {
    const fixtures = path.join(dir, 'cluster');
    fs.mkdirSync(fixtures, { recursive: true });
    fs.writeFileSync(path.join(fixtures, 'secrets.team-a.json'), JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        secret('fresh', cert(400)),
        secret('expiring', cert(5)),
        secret('broken', Buffer.from('not a certificate').toString('base64')),
        { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'opaque', namespace: 'team-a' }, type: 'Opaque', data: { password: 'c2VjcmV0' } },
      ],
    }));
    const r = run('check-tls-expiry', {}, { fixtures: path.relative(FIXTURES, fixtures) });
    const findings = summary(r);
    expect(findings).toHaveLength(2);
    expect(findings[0]).toBe('ERROR secret/team-a/broken: holds an expired or unreadable certificate');
    expect(findings[1]).toMatch(/^WARNING secret\/team-a\/expiring: certificate expires within 30 days \(.+\)$/);
    expect(r.calls[0].args).toEqual(['get', 'secrets', '-n', 'team-a', '--field-selector', 'type=kubernetes.io/tls', '-o', 'json']);
    expect(r.stdout + r.stderr).not.toMatch(/PRIVATE KEY|c2VjcmV0/);
  });

  test('an image without openssl fails the check instead of calling every certificate unreadable', () => {
    // A PATH with every tool the script calls except openssl.
    const bin = path.join(dir, 'no-openssl');
    fs.mkdirSync(bin, { recursive: true });
    for (const t of ['sh', 'jq', 'node', 'mktemp', 'cat', 'rm', 'base64']) {
      fs.symlinkSync(execFileSync('sh', ['-c', `command -v ${t}`], { encoding: 'utf8' }).trim(), path.join(bin, t));
    }
    const r = run('check-tls-expiry', { PATH: `${STUBS}:${bin}` });
    expect(r.stderr).toContain('openssl is not in the check image');
    expect(summary(r)).toEqual(['ERROR : the check could not run to completion: see the log of this step']);
  });
});

describe('report step', () => {
  const findings = (check: string, ...severities: string[]) => JSON.stringify(severities.map((severity, i) => ({ check, severity, resource: `thing/${i}`, message: 'a "quoted" message with $(dollar) and `ticks`' })));
  const hookUrl = 'https://hooks.example.com/services/T000/B000/XXXX';
  const routes = { [`POST ${hookUrl}`]: { status: 200, body: 'ok' } };
  const base = {
    WEBHOOK_URL: `${hookUrl}\n`,
    WEBHOOK_TOKEN: 'super-secret-token',
    WORKFLOW_NAME: 'compliance-check-1700000000',
    FINDINGS_RBAC: findings('rbac', 'WARNING', 'INFO'),
    FINDINGS_NETWORK_POLICIES: findings('network-policies'),
    FINDINGS_ARGOCD: '[]',
    FINDINGS_ARGO_SERVER: '[]',
    FINDINGS_SECRET_METADATA: '[]',
    FINDINGS_TLS_EXPIRY: '[]',
  };

  test('sends valid JSON with the token in a header, never in argv or the log, and passes without ERRORs', () => {
    const r = run('report', base, { routes });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('report sent (HTTP 200)');
    const [call] = r.calls;
    expect(call.url).toBe(hookUrl);
    expect(call.args.join(' ')).toContain('--proto =https');
    expect(call.headers).toEqual(['Authorization: Bearer super-secret-token', 'Content-Type: application/json']);
    expect(JSON.stringify(call.args)).not.toMatch(/super-secret-token|hooks\.example\.com/);
    expect(r.stdout + r.stderr).not.toMatch(/super-secret-token|hooks\.example\.com/);
    const report = JSON.parse(call.body);
    expect(report).toMatchObject({
      text: 'Compliance report compliance-check-1700000000 on prod-1: 0 errors, 1 warnings, 1 info',
      workflow: 'compliance-check-1700000000',
      cluster: 'prod-1',
      summary: { errors: 0, warnings: 1, info: 1 },
    });
    expect(report.findings[0].message).toBe('a "quoted" message with $(dollar) and `ticks`');
  });

  test('fails the workflow after sending when a check found an ERROR', () => {
    const r = run('report', { ...base, FINDINGS_ARGOCD: findings('argocd', 'ERROR') }, { routes });
    expect(r.status).toBe(1);
    expect(r.calls).toHaveLength(1);
    expect(r.stderr).toContain('1 ERROR findings: failing the workflow');
  });

  test('malformed or missing findings count as an ERROR', () => {
    const r = run('report', { ...base, FINDINGS_ARGOCD: 'not json', FINDINGS_TLS_EXPIRY: '' }, { routes });
    expect(r.status).toBe(1);
    const report = JSON.parse(r.calls[0].body);
    expect(report.findings).toContainEqual({ check: 'argocd', severity: 'ERROR', resource: '', message: 'the check produced malformed findings' });
    expect(report.findings).toContainEqual({
      check: 'tls-expiry', severity: 'ERROR', resource: '', message: 'the check did not finish (no reason recorded): see the workflow',
    });
  });

  // As the exit handler sees them: Argo leaves the reference of an output that was never set in
  // place, and passes workflow.failures as a quoted JSON string ("null" when nothing failed).
  test('reports the checks that did not finish (image pull, OOM, eviction), with Argo\'s reasons, and fails', () => {
    const failures = [
      { displayName: 'argocd(0)', message: 'ImagePullBackOff: Back-off pulling image', templateName: 'check-argocd', phase: 'Error', podName: 'p0' },
      { displayName: 'argocd(1)', message: 'OOMKilled (exit code 137)', templateName: 'check-argocd', phase: 'Failed', podName: 'p1' },
      { displayName: 'argocd', message: 'No more retries left', templateName: 'check-argocd', phase: 'Failed', podName: 'p2' },
      { displayName: 'rbac(0)', message: 'Pod was evicted', templateName: 'check-rbac', phase: 'Failed', podName: 'p3' },
    ];
    const r = run('report', {
      ...base,
      FINDINGS_ARGOCD: '{{workflow.outputs.parameters.findings-argocd}}',
      FAILED_STEPS: JSON.stringify(JSON.stringify(failures)),
      WORKFLOW_STATUS: 'Failed',
    }, { routes });
    expect(r.status).toBe(1);
    const report = JSON.parse(r.calls[0].body);
    expect(report.status).toBe('Failed');
    expect(report.findings.filter((f: Finding) => f.check === 'argocd')).toEqual([{
      check: 'argocd',
      severity: 'ERROR',
      resource: '',
      message: 'the check did not finish (Error: ImagePullBackOff: Back-off pulling image; Failed: No more retries left; '
        + 'Failed: OOMKilled (exit code 137)): see the workflow',
    }]);
    // rbac failed once and then finished: its findings count, not the failed attempt.
    expect(report.findings.filter((f: Finding) => f.check === 'rbac').map((f: Finding) => f.severity)).toEqual(['WARNING', 'INFO']);
    expect(report.summary.errors).toBe(1);
  });

  test('with nothing failed (workflow.failures is "null") the report passes', () => {
    const r = run('report', { ...base, FAILED_STEPS: '"null"', WORKFLOW_STATUS: 'Succeeded' }, { routes });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.calls[0].body).summary).toEqual({ errors: 0, warnings: 1, info: 1 });
  });

  test('works without a token (the URL carries the credential)', () => {
    const r = run('report', { ...base, WEBHOOK_TOKEN: '' }, { routes });
    expect(r.status).toBe(0);
    expect(r.calls[0].headers).toEqual(['Content-Type: application/json']);
  });

  test('exits 2 when the report cannot be delivered, or the URL is not https', () => {
    expect(run('report', base, { routes: {} }).status).toBe(2);
    const plain = run('report', { ...base, WEBHOOK_URL: 'http://hooks.example.com/x' }, { routes });
    expect(plain.status).toBe(2);
    expect(plain.calls).toEqual([]);
    expect(plain.stderr).toContain('must start with https://');
    const quoted = run('report', { ...base, WEBHOOK_TOKEN: 'a"b' }, { routes });
    expect(quoted.status).toBe(2);
    expect(quoted.calls).toEqual([]);
  });
});

// The images run the scripts with `sh`: dash (Debian) or busybox ash (Alpine, distroless
// debug). Check them under each shell installed here (CI may have only one).
const SHELLS = [['dash'], ['busybox', 'sh']].filter(([shell, ...args]) => spawnSync(shell, [...args, '-c', 'exit 0']).status === 0);

describe.each(SHELLS.map((s) => [s.join(' '), s]))('under %s', (_, shell) => {
  test('every script parses', () => {
    const sources = [...templates.filter((t) => t.script).map((t) => [t.name, t.script.source]), ['rotate', ROTATE_SCRIPT]];
    for (const [name, source] of sources) {
      const r = spawnSync(shell[0], [...shell.slice(1), '-n', '-c', source], { encoding: 'utf8' });
      expect(`${name}: ${r.status} ${r.stderr}`).toBe(`${name}: 0 `);
    }
  });

  test.each(['rbac', 'network-policies', 'argocd', 'argo-server'])('check %s finds the same on the noisy cluster as under sh', (check) => {
    const r = run(`check-${check}`, {}, { fixtures: 'noisy', shell });
    expect(r.status).toBe(0);
    expect(r.findings).toEqual(run(`check-${check}`, {}, { fixtures: 'noisy' }).findings);
    expect(r.findings.length).toBeGreaterThan(0);
  });
});

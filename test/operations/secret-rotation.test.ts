import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { ContainerImage } from '../../src/core/container-image';
import { CronSchedule } from '../../src/core/cron-schedule';
import { SecretRotation, SecretRotationCronWorkflow, SecretRotationCronWorkflowProps } from '../../src/operations';
import { SecretKeyRef, SecretOrigin } from '../../src/secrets/secret-key-ref';
import { expectSynthErrors } from '../support/errors';
import { expectRestricted } from '../support/pod-security';
import { findObject, Manifest, synth, testChart } from '../support/synth';
import { expectValid } from '../support/validate';

const STUBS = path.join(__dirname, '..', 'fixtures', 'kubectl', 'bin');
const image = ContainerImage.fromDigest('registry.example.com/rotate', 'sha256:7970a3adb0f82046f05828b8a13ea0c75e936d93722ed1402fe1ce78ae003853', '1.0.0');
const vault = { address: 'https://vault.example.com:8200', role: 'secret-rotation', caCertificate: SecretKeyRef.fromExistingSecret('vault-ca', 'ca.crt') };
const dbRotation = SecretRotation.vaultExternalSecret('web-db', {
  namespace: 'team-a', externalSecretName: 'web-db', vaultPath: 'apps/web/db', vaultProperty: 'password', restartDeployments: ['web', 'worker'],
});
const sessionRotation = SecretRotation.kubernetesSecret('session-key', {
  secret: SecretKeyRef.fromExistingSecret('app-session', 'key', { namespace: 'team-a' }), length: 64, restartDeployments: ['web'],
});

function build(props: Partial<SecretRotationCronWorkflowProps> = {}): Manifest[] {
  const chart = testChart();
  new SecretRotationCronWorkflow(chart, 'Rotation', { namespace: 'ops', image, vault, rotations: [dbRotation, sessionRotation], ...props });
  return synth(chart);
}

describe('SecretRotationCronWorkflow', () => {
  const manifests = build();
  const cron = findObject(manifests, 'CronWorkflow', 'secret-rotation');
  const workflowTemplate = findObject(manifests, 'WorkflowTemplate', 'secret-rotation');
  const template = (name: string) => workflowTemplate.spec.templates.find((t: any) => t.name === name);

  test('is valid and restricted (its pods talk to the API, so they mount the token)', () => {
    expectValid(manifests);
    expectRestricted(manifests, { apiClients: ['secret-rotation'] });
  });

  test('runs each rotation as a DAG task, monthly by default, never two at once', () => {
    expect(cron.spec).toMatchObject({ schedules: ['0 3 1 * *'], timezone: 'UTC', concurrencyPolicy: 'Forbid' });
    expect(template('rotate').dag.tasks).toEqual([
      { name: 'web-db', template: 'rotate-web-db' },
      { name: 'session-key', template: 'rotate-session-key' },
    ]);
    expect(cron.spec.workflowSpec).toEqual({ workflowTemplateRef: { name: 'secret-rotation' } });
    expect(workflowTemplate.spec).toMatchObject({
      serviceAccountName: 'secret-rotation',
      // Explicit, so a controller-wide workflowDefaults (automount false, another executor) cannot take the token away.
      automountServiceAccountToken: true,
      executor: { serviceAccountName: 'secret-rotation' },
      podGC: { strategy: 'OnPodSuccess' },
    });
    expect(workflowTemplate.spec.volumes[0]).toEqual({ name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } });
  });

  test('Vault steps log in with a projected token for the audience vault; kubectl keeps the API token', () => {
    const vaultStep = template('rotate-web-db');
    expect(workflowTemplate.spec.volumes[1]).toEqual({
      name: 'vault-token',
      projected: { sources: [{ serviceAccountToken: { path: 'token', audience: 'vault', expirationSeconds: 600 } }] },
    });
    expect(vaultStep.script.volumeMounts).toContainEqual({ name: 'vault-token', mountPath: '/var/run/secrets/vault', readOnly: true });
    expect(vaultStep.script.env).toContainEqual({ name: 'VAULT_TOKEN_FILE', value: '/var/run/secrets/vault/token' });
    // A plain Secret rotation never talks to Vault: it does not mount the Vault token (Argo adds
    // a workflow volume only to the pods that mount it), and without Vault there is no volume.
    const plain = template('rotate-session-key');
    expect(JSON.stringify(plain.script.env)).not.toMatch(/VAULT/);
    expect(plain.script.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    const withoutVault = findObject(build({ vault: undefined, rotations: [sessionRotation] }), 'WorkflowTemplate');
    expect(withoutVault.spec.volumes).toEqual([{ name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } }]);
  });

  test('the script contains no Argo template variable', () => {
    expect(template('rotate-web-db').script.source).not.toContain('{{');
  });

  test('passes only names and settings in env: no values, the Vault CA from a Secret', () => {
    const env = template('rotate-web-db').script.env;
    expect(env).toEqual([
      { name: 'EXTERNAL_SECRET', value: 'web-db' },
      { name: 'RESTART_DEPLOYMENTS', value: 'web worker' },
      { name: 'ROTATION_KIND', value: 'vault' },
      { name: 'ROTATION_NAME', value: 'web-db' },
      { name: 'TARGET_NAMESPACE', value: 'team-a' },
      { name: 'VALUE_LENGTH', value: '32' },
      { name: 'VAULT_ADDR', value: 'https://vault.example.com:8200' },
      { name: 'VAULT_AUTH_PATH', value: 'kubernetes' },
      { name: 'VAULT_KV_MOUNT', value: 'secret' },
      { name: 'VAULT_PATH', value: 'apps/web/db' },
      { name: 'VAULT_PROPERTY', value: 'password' },
      { name: 'VAULT_ROLE', value: 'secret-rotation' },
      { name: 'VAULT_TOKEN_FILE', value: '/var/run/secrets/vault/token' },
      { name: 'VAULT_CACERT_PEM', valueFrom: { secretKeyRef: { name: 'vault-ca', key: 'ca.crt' } } },
    ]);
    expect(template('rotate-session-key').script.env).toContainEqual({ name: 'SECRET_NAME', value: 'app-session' });
  });

  test('RBAC names every Secret, ExternalSecret and Deployment it may touch', () => {
    expect(findObject(manifests, 'Role', 'ops-secret-rotation')).toMatchObject({
      metadata: { namespace: 'team-a' },
      rules: [
        { apiGroups: [''], resources: ['secrets'], resourceNames: ['app-session'], verbs: ['get', 'patch'] },
        { apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['web', 'worker'], verbs: ['get', 'list', 'patch', 'watch'] },
        { apiGroups: ['external-secrets.io'], resources: ['externalsecrets'], resourceNames: ['web-db'], verbs: ['get', 'patch'] },
      ],
    });
    expect(findObject(manifests, 'RoleBinding', 'ops-secret-rotation').subjects).toEqual([{ kind: 'ServiceAccount', name: 'secret-rotation', namespace: 'ops' }]);
    expect(findObject(manifests, 'Role', 'secret-rotation-taskresults').rules).toEqual([
      { apiGroups: ['argoproj.io'], resources: ['workflowtaskresults'], verbs: ['create', 'patch'] },
    ]);
    expect(manifests.filter((m) => m.kind === 'ClusterRole' || m.kind === 'ClusterRoleBinding')).toEqual([]);
  });

  test('a Secret without a namespace is rotated in the workflow\'s namespace', () => {
    const m = build({ rotations: [SecretRotation.kubernetesSecret('local', { secret: SecretKeyRef.fromExistingSecret('local-key', 'k') })], vault: undefined });
    expect(findObject(m, 'Role', 'ops-secret-rotation').metadata.namespace).toBe('ops');
  });

  test.each<[Partial<SecretRotationCronWorkflowProps>, RegExp]>([
    [{ rotations: [] }, /rotations: is empty/],
    [{ rotations: [dbRotation, dbRotation] }, /rotations: two rotations are named 'web-db'/],
    [{ vault: undefined }, /vault: is missing: a rotation writes to Vault/],
    [{ vault: { ...vault, address: 'http://vault:8200' } }, /vault\.address: 'http:\/\/vault:8200' does not use https/],
    [{ vault: { ...vault, address: 'https://vault:8200/v1?x=1' } }, /vault\.address: .* has a query/],
    [{ vault: { ...vault, address: 'https://vault:8200/v1' } }, /vault\.address: 'https:\/\/vault:8200\/v1' has a path: give Vault's address only/],
    [{ vault: { ...vault, kvMountPath: '../sys' } }, /vault\.kvMountPath: '\.\.\/sys' is not a mount path/],
    [{ vault: { ...vault, caCertificate: SecretKeyRef.fromExistingSecret('ca', 'ca.crt', { namespace: 'vault' }) } }, /vault\.caCertificate: Secret vault\/ca:ca\.crt is in another namespace/],
    [{ schedules: [CronSchedule.expression('monthly')] }, /schedules\[0\].expression: 'monthly' has 1 fields/],
    [{ schedules: [CronSchedule.expression('99 99 * * *')] }, /schedules\[0\].expression: '99 99 \* \* \*': '99' in the minute field is outside 0-59/],
  ])('refuses invalid props %#', (props, message) => {
    expect(() => build(props)).toThrow(message);
  });

  test('refuses rotations that would fight GitOps or are malformed, at synth, with the workflow path and the rotation\'s place', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    const sealed = SecretKeyRef._produced(chart, SecretOrigin.SEALED, 'db', 'password', 'team-a', {});
    const base = { namespace: 'team-a', externalSecretName: 'web-db', vaultPath: 'apps/web/db', vaultProperty: 'password' };
    const rotations = [
      SecretRotation.kubernetesSecret('db', { secret: sealed }),
      SecretRotation.vaultExternalSecret('x', { ...base, vaultPath: 'apps/../sys', vaultProperty: 'pass word', length: 8, restartDeployments: ['web', 'Web'] }),
      SecretRotation.vaultExternalSecret('X', { ...base, namespace: 'Team A' }),
    ];
    new SecretRotationCronWorkflow(chart, 'Rotation', { namespace: 'ops', image, vault, rotations });
    const errors = expectSynthErrors(app, [
      /rotations\[0\]\.secret: team-a\/db:password is produced by a SealedSecret, which would restore the old value/,
      /rotations\[1\]\.vaultPath: 'apps\/\.\.\/sys' is not a Vault path/,
      /rotations\[1\]\.vaultProperty: 'pass word' is not a property name/,
      /rotations\[1\]\.length: 8 is not a whole number from 16 to 4096/,
      /rotations\[1\]\.restartDeployments\[1\]: 'Web' is not a DNS-1123 subdomain/,
      /rotations\[2\]\.name: 'X' is not a DNS-1123 label/,
      /rotations\[2\]\.namespace: 'Team A' is not a DNS-1123 label/,
    ]);
    for (const e of errors) expect(e).toMatch(/^\[test\/Rotation\] SecretRotationCronWorkflow 'test\/Rotation': rotations\[\d\]\./);
  });
});

// The rotation script, exactly as synthesized, with stub kubectl and curl on PATH.
describe('rotation script', () => {
  const templates: any[] = findObject(build(), 'WorkflowTemplate').spec.templates;
  const templateEnv = (name: string) => Object.fromEntries(templates.find((t: any) => t.name === name).script.env
    .filter((e: any) => 'value' in e).map((e: any) => [e.name, e.value]));
  const source: string = templates.find((t: any) => t.name === 'rotate-web-db').script.source;

  function run(templateName: string, env: Record<string, string>, setup: { kubectl?: Record<string, object>; routes?: object }) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rotation-'));
    try {
      for (const [file, body] of Object.entries(setup.kubectl ?? {})) fs.writeFileSync(path.join(dir, `${file}.json`), JSON.stringify(body));
      fs.writeFileSync(path.join(dir, 'routes.json'), JSON.stringify(setup.routes ?? {}));
      // The API-audience token (kubectl's) and the Vault-audience one, as the pod mounts them.
      fs.writeFileSync(path.join(dir, 'token'), 'stub-api-audience-jwt\n');
      fs.writeFileSync(path.join(dir, 'vault-token'), 'stub-vault-audience-jwt\n');
      const result = spawnSync('sh', ['-c', source], {
        encoding: 'utf8',
        env: {
          PATH: `${STUBS}:${process.env.PATH}`,
          ...templateEnv(templateName),
          KUBECTL_FIXTURES: dir,
          CURL_FIXTURES: dir,
          STUB_LOG: path.join(dir, 'calls.jsonl'),
          SERVICE_ACCOUNT_DIR: dir,
          VAULT_TOKEN_FILE: path.join(dir, 'vault-token'),
          ...env,
        },
      });
      const log = fs.existsSync(path.join(dir, 'calls.jsonl')) ? fs.readFileSync(path.join(dir, 'calls.jsonl'), 'utf8') : '';
      return { ...result, calls: log.split('\n').filter(Boolean).map((l) => JSON.parse(l)) };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  const vaultRoutes = {
    'POST https://vault.example.com:8200/v1/auth/kubernetes/login': { status: 200, body: { auth: { client_token: 'hvs.stub-vault-token' } } },
    'PATCH https://vault.example.com:8200/v1/secret/data/apps/web/db': { status: 200, body: { data: { version: 7 } } },
    'POST https://vault.example.com:8200/v1/auth/token/revoke-self': { status: 204, body: '' },
  };
  const externalSecret = (syncedResourceVersion: string, refreshTime: string) => ({
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name: 'web-db', namespace: 'team-a' },
    status: { refreshTime, syncedResourceVersion, conditions: [{ type: 'Ready', status: 'True' }] },
  });
  const before = externalSecret('1-before', '2020-01-01T00:00:00Z');
  // ESO's answers, in order: before the annotation, then after the sync it triggered.
  const refreshed = { $sequence: [before, externalSecret('1-after', '2999-01-01T00:00:00Z')] };
  const stale = { $sequence: [before] };

  test('Vault: logs in with the vault-audience token, PATCHes one property, forces an ESO refresh, then restarts', () => {
    const r = run('rotate-web-db', {}, { kubectl: { 'externalsecret.team-a.web-db': refreshed }, routes: vaultRoutes });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const [read, login, patch, revoke, ...kubectl] = r.calls;
    expect(read.args.slice(0, 3)).toEqual(['get', 'externalsecret', 'web-db']);
    for (const call of [login, patch, revoke]) expect(call.args.join(' ')).toContain('--proto =https');
    expect(JSON.parse(login.body)).toEqual({ role: 'secret-rotation', jwt: 'stub-vault-audience-jwt' });
    // The API-audience token never leaves the pod.
    expect(JSON.stringify(r.calls)).not.toContain('stub-api-audience-jwt');
    expect(patch.method).toBe('PATCH');
    expect(patch.headers).toEqual(['X-Vault-Token: hvs.stub-vault-token', 'Content-Type: application/merge-patch+json']);
    const value: string = JSON.parse(patch.body).data.password;
    expect(Object.keys(JSON.parse(patch.body).data)).toEqual(['password']);
    expect(value).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(revoke.url).toBe('https://vault.example.com:8200/v1/auth/token/revoke-self');
    expect(kubectl.map((c) => c.args.slice(0, 3))).toEqual([
      ['annotate', 'externalsecret', 'web-db'],
      ['get', 'externalsecret', 'web-db'],
      ['rollout', 'restart', 'deployment/web'],
      ['rollout', 'restart', 'deployment/worker'],
      ['rollout', 'status', 'deployment/web'],
      ['rollout', 'status', 'deployment/worker'],
    ]);
    expect(kubectl[kubectl.length - 1].args).toEqual(['rollout', 'status', 'deployment/worker', '-n', 'team-a', '--timeout=300s']);
    expect(kubectl[0].args[5]).toMatch(/^force-sync=\d+$/);
    // The value and the tokens appear nowhere but in the request bodies and headers.
    const visible = r.stdout + r.stderr + JSON.stringify(r.calls.map((c) => c.args));
    for (const secret of [value, 'hvs.stub-vault-token', 'stub-vault-audience-jwt', 'stub-api-audience-jwt']) expect(visible).not.toContain(secret);
  });

  test('Vault: fails when ESO does not refresh in time, and restarts nothing', () => {
    const r = run('rotate-web-db', { ESO_SYNC_TIMEOUT_SECONDS: '0' }, { kubectl: { 'externalsecret.team-a.web-db': stale }, routes: vaultRoutes });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('ExternalSecret team-a/web-db did not refresh within 0 seconds');
    expect(r.calls.some((c) => c.args?.[0] === 'rollout')).toBe(false);
  });

  test('Vault: a periodic sync (refreshTime moved, syncedResourceVersion not) does not count as the forced refresh', () => {
    const periodic = { $sequence: [before, externalSecret('1-before', '2999-01-01T00:00:00Z')] };
    const r = run('rotate-web-db', { ESO_SYNC_TIMEOUT_SECONDS: '0' }, { kubectl: { 'externalsecret.team-a.web-db': periodic }, routes: vaultRoutes });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('did not refresh within 0 seconds (is its refreshPolicy CreatedOnce');
    expect(r.calls.some((c) => c.args?.[0] === 'rollout')).toBe(false);
  });

  test('Vault: a missing ExternalSecret fails before Vault is touched', () => {
    const r = run('rotate-web-db', {}, { routes: vaultRoutes });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('could not read ExternalSecret team-a/web-db');
    expect(r.calls.filter((c) => c.tool === 'curl')).toEqual([]);
  });

  test('Vault: a refused write fails before anything is annotated or restarted', () => {
    const r = run('rotate-web-db', {}, { kubectl: { 'externalsecret.team-a.web-db': refreshed }, routes: { ...vaultRoutes, 'PATCH https://vault.example.com:8200/v1/secret/data/apps/web/db': { status: 403, body: { errors: ['permission denied'] } } } });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("writing secret/data/apps/web/db to Vault was refused (PATCH needs an existing secret at that path and the 'patch' capability in the Vault policy)");
    expect(r.calls.filter((c) => c.tool === 'kubectl').map((c) => c.args[0])).toEqual(['get']);
  });

  const plainSecret = (meta: object = {}) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'app-session', namespace: 'team-a', ...meta }, type: 'Opaque', data: { key: 'b2xk' } });

  test('plain Secret: patches the key through stdin and restarts the deployment', () => {
    const r = run('rotate-session-key', {}, { kubectl: { 'secret.team-a.app-session': plainSecret() } });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const patch = r.calls.find((c) => c.args[0] === 'patch');
    expect(patch.args).toEqual(['patch', 'secret', 'app-session', '-n', 'team-a', '--type', 'merge', '--patch-file', '/dev/stdin']);
    const value = Buffer.from(JSON.parse(patch.stdin).data.key, 'base64').toString();
    expect(value).toMatch(/^[A-Za-z0-9]{64}$/);
    expect(r.stdout + r.stderr).not.toContain(value);
    expect(r.calls.slice(-2).map((c) => c.args)).toEqual([
      ['rollout', 'restart', 'deployment/web', '-n', 'team-a'],
      ['rollout', 'status', 'deployment/web', '-n', 'team-a', '--timeout=300s'],
    ]);
  });

  test.each([
    [{ annotations: { 'argocd.argoproj.io/tracking-id': 'web:/Secret:team-a/app-session' } }, 'Argo CD (tracking-id annotation)'],
    [{ ownerReferences: [{ apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', name: 'app-session', uid: 'x' }] }, 'a SealedSecret'],
    [{ ownerReferences: [{ apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', name: 'app-session', uid: 'x' }] }, 'an ExternalSecret'],
    [{ labels: { 'app.kubernetes.io/managed-by': 'Helm' } }, 'Helm'],
    [{ managedFields: [{ manager: 'argocd-controller', operation: 'Apply' }] }, 'Argo CD (server-side apply)'],
    [{ managedFields: [{ manager: 'kustomize-controller', operation: 'Apply' }] }, 'Flux'],
  ])('plain Secret: refuses a Secret something else manages (%#)', (meta, owner) => {
    const r = run('rotate-session-key', {}, { kubectl: { 'secret.team-a.app-session': plainSecret(meta) } });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`Secret team-a/app-session is managed by ${owner}, which would restore the old value`);
    expect(r.calls.map((c) => c.args[0])).toEqual(['get']);
  });

  test('fails when a restarted deployment does not become ready', () => {
    const r = run('rotate-session-key', { KUBECTL_ROLLOUT_FAILS: '1' }, { kubectl: { 'secret.team-a.app-session': plainSecret() } });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('deployment team-a/web did not become ready with the new value within 300 seconds');
  });

  test('plain Secret: fails when the Secret cannot be read', () => {
    const r = run('rotate-session-key', {}, {});
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('could not read Secret team-a/app-session');
  });
});

describe('SecretRotation.kubernetesSecret binds its SecretKeyRef', () => {
  test('a bad Secret name in the reference is reported with the CronWorkflow path at synth', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    new SecretRotationCronWorkflow(chart, 'rotation', {
      namespace: 'ops',
      image,
      rotations: [SecretRotation.kubernetesSecret('web', { secret: SecretKeyRef.fromExistingSecret('Bad_Name', 'key', { namespace: 'apps' }) })],
    });
    expect(() => app.synth()).toThrow(/rotation.*rotations\[0\]\.secret/s);
  });
});

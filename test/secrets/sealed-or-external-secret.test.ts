import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Duration, Testing } from 'cdk8s';
import { ACCEPTED_RISKS_ANNOTATION } from '../../src/private/accepted-risks';
import {
  ExternalDataFrom, ExternalSecretCreationPolicy, ExternalSecretDeletionPolicy, SealedOrExternalSecret, SealedValue,
  SealingCertificate, SealingScope, SecretOrigin, SecretSource, SecretStore, SecretStoreProvider, SecretStoreRef,
} from '../../src/secrets';
import { TEST_PRIVATE_KEY, unseal } from '../fixtures/sealing/unseal';
import { findObject, synth, testChart } from '../support/synth';
import { expectValid } from '../support/validate';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'sealing');
const CERT = SealingCertificate.fromFile(path.join(FIXTURES, 'test-only-sealing-cert.pem'));
const ENV = 'SECRETS_TEST_DB_PASSWORD';

/** A syntactically valid sealed value (2048-bit RSA block), as kubeseal would print. */
function fakeSealed(fill = 7): string {
  const header = Buffer.alloc(2);
  header.writeUInt16BE(256);
  return Buffer.concat([header, Buffer.alloc(256 + 32, fill)]).toString('base64');
}

function tempLock(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sealed-lock-')), 'sealed-secrets.lock.json');
}

function readLock(file: string): any {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** Builds one env-sealed secret in a fresh chart and returns its ciphertext for `password`. */
interface SealOptions {
  readonly scope?: SealingScope;
  readonly namespace?: string;
  readonly name?: string;
  readonly acknowledgeLowEntropy?: { reason: string };
}

function sealFromEnv(lockFile: string, options: SealOptions = {}) {
  const chart = testChart();
  const secret = new SealedOrExternalSecret(chart, 'Db', {
    namespace: options.namespace ?? 'apps',
    name: options.name ?? 'db',
    source: SecretSource.sealed({
      values: { password: SealedValue.fromEnv(ENV) },
      certificate: CERT,
      lockFile,
      scope: options.scope,
      acknowledgeLowEntropy: options.acknowledgeLowEntropy,
    }),
  });
  const manifests = synth(chart);
  return { secret, manifests, ciphertext: findObject(manifests, 'SealedSecret').spec.encryptedData.password as string };
}

/** The errors synth reports for a sealed secret whose only value is `value`. */
function sealedProblems(value: SealedValue): string {
  const chart = testChart();
  try {
    new SealedOrExternalSecret(chart, 'S', { namespace: 'apps', source: SecretSource.sealed({ values: { k: value }, certificate: CERT, lockFile: tempLock() }) });
    synth(chart);
  } catch (e: any) {
    return e.message;
  }
  return '';
}

/**
 * A thunk that builds into a fresh chart and synthesizes it: it throws for problems found at
 * construction and for those reported at synth alike.
 */
function synthesized(make: (chart: Chart) => unknown): () => void {
  return () => {
    const chart = testChart();
    make(chart);
    synth(chart);
  };
}

let stderr: jest.SpyInstance;
beforeEach(() => {
  delete process.env[ENV];
  stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => {
  delete process.env[ENV];
  stderr.mockRestore();
});

describe('SealedOrExternalSecret: sealed, pre-sealed values', () => {
  test('emits a strict SealedSecret with the Secret template and a sync wave', () => {
    const chart = testChart();
    const secret = new SealedOrExternalSecret(chart, 'RepoCreds', {
      namespace: 'argocd',
      source: SecretSource.sealed({ values: { password: SealedValue.preSealed(fakeSealed()), username: SealedValue.preSealed(fakeSealed(8)) } }),
      labels: { 'argocd.argoproj.io/secret-type': 'repository', 'app.kubernetes.io/part-of': 'argocd' },
      annotations: { 'example.com/owner': 'platform' },
      publicData: { url: 'https://git.example.com/org/repo.git', type: 'git' },
    });
    const manifests = synth(chart);
    expectValid(manifests);
    const sealed = findObject(manifests, 'SealedSecret', 'repo-creds');
    expect(sealed.apiVersion).toBe('bitnami.com/v1alpha1');
    expect(sealed.metadata).toEqual({
      name: 'repo-creds', namespace: 'argocd', annotations: { 'argocd.argoproj.io/sync-wave': '2' }, labels: { 'app.kubernetes.io/managed-by': 'cdk8s-secure-argo' },
    });
    expect(sealed.spec).toEqual({
      encryptedData: { password: fakeSealed(), username: fakeSealed(8) },
      template: {
        type: 'Opaque',
        metadata: {
          labels: { 'app.kubernetes.io/part-of': 'argocd', 'argocd.argoproj.io/secret-type': 'repository' },
          annotations: { 'example.com/owner': 'platform' },
        },
        data: { type: 'git', url: 'https://git.example.com/org/repo.git' },
      },
    });
    expect(secret.secretName).toBe('repo-creds');
    expect(secret.namespace).toBe('argocd');
    expect(secret.keys).toEqual(['password', 'type', 'url', 'username']);
    const ref = secret.keyRef('password');
    expect(ref).toMatchObject({ secretName: 'repo-creds', key: 'password', origin: SecretOrigin.SEALED, namespace: 'argocd' });
    expect(ref.labels['app.kubernetes.io/part-of']).toBe('argocd');
    expect(ref.producer).toBe(secret);
  });

  test('namespace-wide and (opted-in) cluster-wide scopes set their annotations', () => {
    const chart = testChart();
    new SealedOrExternalSecret(chart, 'Ns', {
      namespace: 'apps', source: SecretSource.sealed({ values: { k: SealedValue.preSealed(fakeSealed()) }, scope: SealingScope.NAMESPACE_WIDE }),
    });
    new SealedOrExternalSecret(chart, 'Cluster', {
      namespace: 'apps',
      source: SecretSource.sealed({
        values: { k: SealedValue.preSealed(fakeSealed()) }, scope: SealingScope.CLUSTER_WIDE, allowClusterWide: { reason: 'shared across tenants' },
      }),
    });
    const manifests = synth(chart);
    expectValid(manifests);
    expect(findObject(manifests, 'SealedSecret', 'ns').metadata.annotations['sealedsecrets.bitnami.com/namespace-wide']).toBe('true');
    expect(findObject(manifests, 'SealedSecret', 'cluster').metadata.annotations['sealedsecrets.bitnami.com/cluster-wide']).toBe('true');
    expect(findObject(manifests, 'SealedSecret', 'cluster').metadata.annotations[ACCEPTED_RISKS_ANNOTATION]).toBe('source.allowClusterWide: shared across tenants');
  });

  test('a cluster-wide reason is checked whatever the scope, and recorded only with cluster-wide sealing', () => {
    const sealed = (reason: string) => {
      const chart = testChart();
      new SealedOrExternalSecret(chart, 'Strict', {
        namespace: 'apps', source: SecretSource.sealed({ values: { k: SealedValue.preSealed(fakeSealed()) }, allowClusterWide: { reason } }),
      });
      return synth(chart);
    };
    expect(findObject(sealed('shared across tenants'), 'SealedSecret', 'strict').metadata.annotations?.[ACCEPTED_RISKS_ANNOTATION]).toBeUndefined();
    expect(() => sealed('shared\ninjected: line')).toThrow(/source\.allowClusterWide\.reason: .*say in one line why any namespace may unseal the values/);
  });

  test('a TLS secret carries its type', () => {
    const chart = testChart();
    new SealedOrExternalSecret(chart, 'Tls', {
      namespace: 'apps',
      type: 'kubernetes.io/tls',
      source: SecretSource.sealed({ values: { 'tls.crt': SealedValue.preSealed(fakeSealed()), 'tls.key': SealedValue.preSealed(fakeSealed()) } }),
    });
    const manifests = synth(chart);
    expectValid(manifests);
    expect(findObject(manifests, 'SealedSecret', 'tls').spec.template).toEqual({ type: 'kubernetes.io/tls' });
  });
});

describe('SealedOrExternalSecret: sealing at synth', () => {
  test('seals with the certificate for namespace/name; the controller side decrypts it', () => {
    const lockFile = tempLock();
    process.env[ENV] = 'correct horse battery staple 8c1f';
    const { ciphertext, manifests } = sealFromEnv(lockFile);
    expectValid(manifests);
    expect(unseal(TEST_PRIVATE_KEY, 'apps/db', ciphertext).toString()).toBe('correct horse battery staple 8c1f');
    expect(() => unseal(TEST_PRIVATE_KEY, 'other/db', ciphertext)).toThrow();
    expect(() => unseal(TEST_PRIVATE_KEY, 'apps/other', ciphertext)).toThrow();
    expect(JSON.stringify(manifests)).not.toContain('correct horse');
    const lock = readLock(lockFile);
    expect(Object.keys(lock.entries)).toEqual(['apps/db/password']);
    expect(lock.entries['apps/db/password']).toMatchObject({ certificate: CERT.fingerprint, ciphertext, scope: 'strict' });
    expect(lock.entries['apps/db/password'].plaintextDigest).toMatch(/^scrypt\$/);
    expect(fs.readFileSync(lockFile, 'utf8')).not.toContain('correct horse');
  });

  test('unchanged plaintext reuses the ciphertext and leaves the lock file untouched', () => {
    const lockFile = tempLock();
    process.env[ENV] = 'value-1-aa3f09';
    const first = sealFromEnv(lockFile).ciphertext;
    const before = fs.readFileSync(lockFile, 'utf8');
    expect(sealFromEnv(lockFile).ciphertext).toBe(first);
    expect(fs.readFileSync(lockFile, 'utf8')).toBe(before);
  });

  test('a changed plaintext, scope or certificate reseals', () => {
    const lockFile = tempLock();
    process.env[ENV] = 'value-1-aa3f09';
    const first = sealFromEnv(lockFile).ciphertext;
    process.env[ENV] = 'value-2-77b1e2';
    const second = sealFromEnv(lockFile).ciphertext;
    expect(second).not.toBe(first);
    expect(unseal(TEST_PRIVATE_KEY, 'apps/db', second).toString()).toBe('value-2-77b1e2');

    const wide = sealFromEnv(lockFile, { scope: SealingScope.NAMESPACE_WIDE }).ciphertext;
    expect(wide).not.toBe(second);
    expect(unseal(TEST_PRIVATE_KEY, 'apps', wide).toString()).toBe('value-2-77b1e2');
    expect(readLock(lockFile).entries['apps/db/password'].scope).toBe('namespace-wide');

    const lock = readLock(lockFile);
    lock.entries['apps/db/password'].certificate = 'sha256:0000';
    fs.writeFileSync(lockFile, JSON.stringify(lock));
    const resealed = sealFromEnv(lockFile, { scope: SealingScope.NAMESPACE_WIDE }).ciphertext;
    expect(resealed).not.toBe(wide);
    expect(readLock(lockFile).entries['apps/db/password'].certificate).toBe(CERT.fingerprint);
  });

  test('an unavailable plaintext reuses the lock entry silently (the CI path): an info note, no warning', () => {
    const lockFile = tempLock();
    process.env[ENV] = 'value-1-aa3f09';
    const first = sealFromEnv(lockFile).ciphertext;
    delete process.env[ENV];
    stderr.mockClear();
    const { ciphertext, secret } = sealFromEnv(lockFile);
    expect(ciphertext).toBe(first);
    expect(secret.node.metadata.filter((m) => m.type === 'warning')).toEqual([]);
    const infos = secret.node.metadata.filter((m) => m.type === 'info').map((m) => m.data);
    expect(infos).toEqual([expect.stringMatching(/environment variable SECRETS_TEST_DB_PASSWORD is not available: reusing the sealed value of 'apps\/db\/password'/)]);
    expect(stderr).not.toHaveBeenCalled();
  });

  test('reusing a lock entry sealed with another certificate warns', () => {
    const lockFile = tempLock();
    process.env[ENV] = 'value-1-aa3f09';
    sealFromEnv(lockFile);
    delete process.env[ENV];
    const lock = readLock(lockFile);
    lock.entries['apps/db/password'].certificate = 'sha256:0000';
    fs.writeFileSync(lockFile, JSON.stringify(lock));
    const { secret } = sealFromEnv(lockFile);
    const warnings = secret.node.metadata.filter((m) => m.type === 'warning').map((m) => m.data);
    expect(warnings).toEqual([expect.stringMatching(/reusing the sealed value .*sealed with a different certificate .*: provide the value to reseal it/)]);
    expect(stderr).toHaveBeenCalledWith(expect.stringMatching(/\[WARNING\].*different certificate/));
  });

  test('a weak value sealed at synth is refused (its digest in the lock file can be brute-forced) unless acknowledged', () => {
    for (const weak of ['hunter2', 'password', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', '12345678901234']) {
      process.env[ENV] = weak;
      expect(() => sealFromEnv(tempLock())).toThrow(/source\.values: environment variable SECRETS_TEST_DB_PASSWORD holds a value of about \d+ bits.*set acknowledgeLowEntropy with a reason/);
    }
    process.env[ENV] = 'hunter2';
    expect(sealFromEnv(tempLock(), { acknowledgeLowEntropy: { reason: 'a test fixture without access to anything' } }).ciphertext).toBeTruthy();
    process.env[ENV] = 'Zq3-vN8x_Lp2Rt7wKe';
    expect(sealFromEnv(tempLock()).ciphertext).toBeTruthy();
  });

  test('an unavailable plaintext without a lock entry is an error', () => {
    expect(() => sealFromEnv(tempLock())).toThrow(/source.values: environment variable SECRETS_TEST_DB_PASSWORD is not available and .* has no entry 'apps\/db\/password'/);
  });

  test('an unavailable plaintext whose lock entry has another scope is an error', () => {
    const lockFile = tempLock();
    process.env[ENV] = 'value-1-aa3f09';
    sealFromEnv(lockFile);
    delete process.env[ENV];
    expect(() => sealFromEnv(lockFile, { scope: SealingScope.NAMESPACE_WIDE })).toThrow(/source.values: .* was sealed with scope strict, not namespace-wide/);
  });

  test('a corrupt lock entry is an error', () => {
    const lockFile = tempLock();
    fs.writeFileSync(lockFile, JSON.stringify({ version: 1, entries: { 'apps/db/password': { certificate: 'x', ciphertext: 'AA==', plaintextDigest: 'x', scope: 'strict' } } }));
    expect(() => sealFromEnv(lockFile)).toThrow(/source.lockFile: the entry 'apps\/db\/password' .* is too short/);
  });

  test('reads plaintext from a file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plain-'));
    fs.writeFileSync(path.join(dir, 'token'), 'file-token-9f8e\n');
    const chart = testChart();
    new SealedOrExternalSecret(chart, 'Tok', {
      namespace: 'apps',
      source: SecretSource.sealed({ values: { token: SealedValue.fromFile(path.join(dir, 'token')) }, certificate: CERT, lockFile: path.join(dir, 'lock.json') }),
    });
    const ciphertext = findObject(synth(chart), 'SealedSecret').spec.encryptedData.token;
    expect(unseal(TEST_PRIVATE_KEY, 'apps/tok', ciphertext).toString()).toBe('file-token-9f8e\n');
  });

  test('a missing file without a lock entry is an error; an empty file too', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plain-'));
    const make = (file: string) => new SealedOrExternalSecret(testChart(), 'Tok', {
      namespace: 'apps', source: SecretSource.sealed({ values: { token: SealedValue.fromFile(file) }, certificate: CERT, lockFile: path.join(dir, 'lock.json') }),
    });
    expect(() => make(path.join(dir, 'missing'))).toThrow(/source.values: file .*missing is not available/);
    fs.writeFileSync(path.join(dir, 'empty'), '');
    expect(() => make(path.join(dir, 'empty'))).toThrow(/source.values: file .*empty is empty/);
  });
});

describe('SealedOrExternalSecret: sealed errors', () => {
  const sealed = (values: { [key: string]: SealedValue }) => SecretSource.sealed({ values });

  test('key names outside [-._a-zA-Z0-9]', () => {
    expect(synthesized((c) => new SealedOrExternalSecret(c, 'S', { namespace: 'apps', source: sealed({ 'bad key': SealedValue.preSealed(fakeSealed()) }) })))
      .toThrow(/source.values: 'bad key' is not a valid Secret key/);
  });

  test('empty data', () => {
    expect(synthesized((c) => new SealedOrExternalSecret(c, 'S', { namespace: 'apps', source: sealed({}) }))).toThrow(/source.values: no values given/);
  });

  test('malformed sealed values', () => {
    expect(() => SealedValue.preSealed('not base64!')).not.toThrow();
    expect(sealedProblems(SealedValue.preSealed('not base64!'))).toMatch(/test\/S.*source\.values\['k'\]\.ciphertext: the sealed value is not standard base64/);
    expect(sealedProblems(SealedValue.preSealed(Buffer.alloc(40).toString('base64')))).toMatch(/source\.values\['k'\]\.ciphertext: the sealed value is too short/);
  });

  test('no namespace (strict sealing needs one)', () => {
    expect(synthesized((c) => new SealedOrExternalSecret(c, 'S', { namespace: '', source: sealed({ k: SealedValue.preSealed(fakeSealed()) }) })))
      .toThrow(/namespace: no namespace given: .*strict sealing/);
  });

  test('names that are not DNS-1123', () => {
    expect(synthesized((c) => new SealedOrExternalSecret(c, 'S', { namespace: 'Apps', source: sealed({ k: SealedValue.preSealed(fakeSealed()) }) })))
      .toThrow(/namespace: 'Apps' is not a DNS-1123 label/);
    expect(synthesized((c) => new SealedOrExternalSecret(c, 'S', { namespace: 'apps', name: 'My_Secret', source: sealed({ k: SealedValue.preSealed(fakeSealed()) }) })))
      .toThrow(/name: 'My_Secret' is not a DNS-1123 subdomain/);
  });

  test('cluster-wide scope without the opt-in', () => {
    expect(synthesized((c) => new SealedOrExternalSecret(c, 'S', {
      namespace: 'apps', source: SecretSource.sealed({ values: { k: SealedValue.preSealed(fakeSealed()) }, scope: SealingScope.CLUSTER_WIDE }),
    }))).toThrow(/source.scope: cluster-wide sealing .* allowClusterWide: \{ reason: '\.\.\.' \} to accept/);
  });

  test('sealing at synth without a certificate', () => {
    expect(synthesized((c) => new SealedOrExternalSecret(c, 'S', { namespace: 'apps', source: sealed({ k: SealedValue.fromEnv(ENV) }) })))
      .toThrow(/source.certificate: value 'k' is sealed at synth/);
  });

  test('bad environment variable names', () => {
    expect(sealedProblems(SealedValue.fromEnv('NOT-A-VAR'))).toMatch(/source\.values\['k'\]\.variableName: 'NOT-A-VAR' is not an environment variable name/);
    expect(sealedProblems(SealedValue.fromFile(''))).toMatch(/source\.values\['k'\]\.path: no file given/);
  });

  test('template syntax in publicData', () => {
    expect(synthesized((c) => new SealedOrExternalSecret(c, 'S', {
      namespace: 'apps', source: sealed({ k: SealedValue.preSealed(fakeSealed()) }), publicData: { url: 'https://x/{{ .k }}' },
    }))).toThrow(/publicData: the value of 'url' contains '\{\{'/);
  });

  test('a publicData key whose name says it holds a secret', () => {
    for (const key of ['password', 'clientSecret', 'bearerToken', 'sshPrivateKey', 'tls.key', 'api-key', 'config', 'id_rsa', 'db.password.file', 'kubeconfig']) {
      expect(synthesized((c) => new SealedOrExternalSecret(c, 'S', {
        namespace: 'apps', source: sealed({ k: SealedValue.preSealed(fakeSealed()) }), publicData: { [key]: 'hunter2' },
      }))).toThrow(new RegExp(`SealedOrExternalSecret 'test/S': publicData: '${key}' names a secret.*move it to the source`));
    }
  });

  test('a publicData value that holds a private key, under any key name', () => {
    const pem = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n';
    expect(synthesized((c) => new SealedOrExternalSecret(c, 'S', {
      namespace: 'apps', source: sealed({ k: SealedValue.preSealed(fakeSealed()) }), publicData: { tlsClientCertData: pem },
    }))).toThrow(/publicData: the value of 'tlsClientCertData' holds a private key.*move it to the source/);
  });

  test('a publicData key that is also a secret key', () => {
    expect(synthesized((c) => new SealedOrExternalSecret(c, 'S', {
      namespace: 'apps', source: sealed({ k: SealedValue.preSealed(fakeSealed()) }), publicData: { k: 'x' },
    }))).toThrow(/publicData: 'k' is also a secret key/);
  });

  test('a typed Secret without its required keys', () => {
    expect(synthesized((c) => new SealedOrExternalSecret(c, 'S', {
      namespace: 'apps', type: 'kubernetes.io/tls', source: sealed({ 'tls.crt': SealedValue.preSealed(fakeSealed()) }),
    }))).toThrow(/type: a kubernetes.io\/tls Secret needs the keys tls.crt, tls.key/);
  });

  test('invalid labels and annotations', () => {
    expect(synthesized((c) => new SealedOrExternalSecret(c, 'S', {
      namespace: 'apps', source: sealed({ k: SealedValue.preSealed(fakeSealed()) }), labels: { team: 'a b' },
    }))).toThrow(/labels\['team'\]: 'a b' is not a valid label value/);
    expect(synthesized((c) => new SealedOrExternalSecret(c, 'S', {
      namespace: 'apps', source: sealed({ k: SealedValue.preSealed(fakeSealed()) }), annotations: { 'bad key': 'x' },
    }))).toThrow(/annotations\['bad key'\]: 'bad key' is not a valid label key/);
  });

  test('two secrets producing the same Secret', () => {
    const chart = testChart();
    new SealedOrExternalSecret(chart, 'A', { namespace: 'apps', name: 'same', source: sealed({ k: SealedValue.preSealed(fakeSealed()) }) });
    new SealedOrExternalSecret(chart, 'B', { namespace: 'apps', name: 'same', source: sealed({ k: SealedValue.preSealed(fakeSealed()) }) });
    expect(() => synth(chart)).toThrow(/name: another secret in this chart already produces Secret 'apps\/same'/);
  });

  test('keyRef on a key the secret does not have', () => {
    const secret = new SealedOrExternalSecret(testChart(), 'S', { namespace: 'apps', source: sealed({ k: SealedValue.preSealed(fakeSealed()) }) });
    expect(() => secret.keyRef('password')).toThrow(/keyRef: 'password' is not a key of Secret 'apps\/s' \(keys: k\)/);
  });

  test('no source', () => {
    expect(synthesized((c) => new SealedOrExternalSecret(c, 'S', { namespace: 'apps', source: undefined as any }))).toThrow(/source: no source given/);
  });
});

describe('SealedOrExternalSecret: external', () => {
  test('data with remoteRef, policies, refresh and a template with publicData', () => {
    const chart = testChart();
    const secret = new SealedOrExternalSecret(chart, 'RepoCreds', {
      namespace: 'argocd',
      source: SecretSource.external({
        store: SecretStoreRef.existingCluster('vault'),
        data: {
          password: { key: 'argocd/repo', property: 'password', version: '3' },
          username: { key: 'argocd/repo', property: 'username' },
        },
        refreshInterval: Duration.minutes(90),
        creationPolicy: ExternalSecretCreationPolicy.OWNER,
        deletionPolicy: ExternalSecretDeletionPolicy.DELETE,
      }),
      labels: { 'argocd.argoproj.io/secret-type': 'repository', 'app.kubernetes.io/part-of': 'argocd' },
      publicData: { url: 'https://git.example.com/org/repo.git', type: 'git' },
    });
    const manifests = synth(chart);
    expectValid(manifests);
    const es = findObject(manifests, 'ExternalSecret', 'repo-creds');
    expect(es.apiVersion).toBe('external-secrets.io/v1');
    expect(es.metadata).toEqual({
      name: 'repo-creds', namespace: 'argocd', annotations: { 'argocd.argoproj.io/sync-wave': '2' }, labels: { 'app.kubernetes.io/managed-by': 'cdk8s-secure-argo' },
    });
    expect(es.spec).toEqual({
      refreshInterval: '1h30m0s',
      secretStoreRef: { name: 'vault', kind: 'ClusterSecretStore' },
      target: {
        name: 'repo-creds',
        creationPolicy: 'Owner',
        deletionPolicy: 'Delete',
        template: {
          engineVersion: 'v2',
          type: 'Opaque',
          metadata: { labels: { 'app.kubernetes.io/part-of': 'argocd', 'argocd.argoproj.io/secret-type': 'repository' }, annotations: {} },
          data: { type: 'git', url: 'https://git.example.com/org/repo.git' },
          mergePolicy: 'Merge',
        },
      },
      data: [
        { secretKey: 'password', remoteRef: { key: 'argocd/repo', property: 'password', version: '3' } },
        { secretKey: 'username', remoteRef: { key: 'argocd/repo', property: 'username' } },
      ],
    });
    expect(secret.keys).toEqual(['password', 'type', 'url', 'username']);
    expect(secret.keyRef('username')).toMatchObject({ origin: SecretOrigin.EXTERNAL, secretName: 'repo-creds', namespace: 'argocd' });
  });

  test('defaults: 1h refresh, Owner/Retain, a template with empty metadata (never copies the ExternalSecret\'s)', () => {
    const chart = testChart();
    new SealedOrExternalSecret(chart, 'Db', {
      namespace: 'apps', source: SecretSource.external({ store: SecretStoreRef.existing('aws'), data: { password: { key: 'prod/db' } } }),
    });
    const manifests = synth(chart);
    expectValid(manifests);
    const spec = findObject(manifests, 'ExternalSecret', 'db').spec;
    expect(spec.refreshInterval).toBe('1h0m0s');
    expect(spec.secretStoreRef).toEqual({ name: 'aws', kind: 'SecretStore' });
    expect(spec.target).toEqual({
      name: 'db',
      creationPolicy: 'Owner',
      deletionPolicy: 'Retain',
      template: { engineVersion: 'v2', type: 'Opaque', metadata: { labels: {}, annotations: {} } },
    });
  });

  test('dataFrom extract and find; keyRef only for declared expectedKeys', () => {
    const chart = testChart();
    const secret = new SealedOrExternalSecret(chart, 'Bulk', {
      namespace: 'apps',
      source: SecretSource.external({
        store: SecretStoreRef.existing('vault'),
        dataFrom: [
          ExternalDataFrom.extract({ key: 'apps/db' }),
          ExternalDataFrom.find({ path: 'apps', nameRegexp: '^api-.*', tags: { team: 'a' } }),
        ],
        expectedKeys: ['password', 'host'],
        refreshInterval: Duration.seconds(0),
      }),
    });
    const manifests = synth(chart);
    expectValid(manifests);
    const spec = findObject(manifests, 'ExternalSecret', 'bulk').spec;
    expect(spec.refreshInterval).toBe('0s');
    expect(spec.data).toBeUndefined();
    expect(spec.dataFrom).toEqual([
      { extract: { key: 'apps/db' } },
      { find: { path: 'apps', name: { regexp: '^api-.*' }, tags: { team: 'a' } } },
    ]);
    expect(secret.keys).toEqual(['host', 'password']);
    expect(secret.keyRef('host').key).toBe('host');
    expect(() => secret.keyRef('user')).toThrow(/keyRef: 'user' is not a key .*: a key produced by dataFrom must be declared in expectedKeys/);
  });

  test('a typed Secret filled by dataFrom is not checked for keys', () => {
    const chart = testChart();
    new SealedOrExternalSecret(chart, 'Tls', {
      namespace: 'apps',
      type: 'kubernetes.io/tls',
      source: SecretSource.external({ store: SecretStoreRef.existing('vault'), dataFrom: [ExternalDataFrom.extract({ key: 'apps/tls' })] }),
    });
    expectValid(synth(chart));
  });

  test('errors: empty data, bad keys, Delete without Owner, find without filter, template syntax', () => {
    const store = SecretStoreRef.existing('vault');
    const make = (source: SecretSource, extra: object = {}) => synthesized((c) => new SealedOrExternalSecret(c, 'E', { namespace: 'apps', source, ...extra }))();
    expect(() => make(SecretSource.external({ store }))).toThrow(/source.data: no data given/);
    expect(() => make(SecretSource.external({ store, data: { 'a/b': { key: 'x' } } }))).toThrow(/source.data: 'a\/b' is not a valid Secret key/);
    expect(() => make(SecretSource.external({ store, data: { a: { key: '' } } }))).toThrow(/key: no remote key given/);
    expect(() => make(SecretSource.external({ store, dataFrom: [ExternalDataFrom.extract({ key: 'x' })], expectedKeys: ['bad key'] })))
      .toThrow(/source.expectedKeys: 'bad key' is not a valid Secret key/);
    expect(() => make(SecretSource.external({ store, data: { a: { key: 'x' } }, expectedKeys: ['b'] })))
      .toThrow(/source.expectedKeys: only dataFrom produces undeclared keys/);
    expect(() => make(SecretSource.external({
      store, data: { a: { key: 'x' } }, creationPolicy: ExternalSecretCreationPolicy.ORPHAN, deletionPolicy: ExternalSecretDeletionPolicy.DELETE,
    }))).toThrow(/source.deletionPolicy: Delete needs creationPolicy Owner \(got Orphan\)/);
    expect(() => make(SecretSource.external({ store, dataFrom: [ExternalDataFrom.find({ path: 'apps' })] })))
      .toThrow(/source\.dataFrom\[0\]\.nameRegexp: give nameRegexp or tags/);
    expect(() => make(SecretSource.external({ store, dataFrom: [ExternalDataFrom.find({ nameRegexp: '(' })] })))
      .toThrow(/source\.dataFrom\[0\]\.nameRegexp: '\(' is not a regular expression/);
    expect(() => make(SecretSource.external({ store, dataFrom: [ExternalDataFrom.extract({ key: '' })] })))
      .toThrow(/source\.dataFrom\[0\]\.key: no remote key given/);
    expect(() => make(SecretSource.external({ store, dataFrom: [{ extract: { key: 'x' } } as any] })))
      .toThrow(/source\.dataFrom\[0\]: is not an ExternalDataFrom/);
    expect(() => make(SecretSource.external({ store, data: { a: { key: 'x' } } }), { publicData: { b: '{{ .a }}' } }))
      .toThrow(/publicData: the value of 'b' contains '\{\{'/);
    expect(() => make(SecretSource.external({ store, data: { a: { key: 'x' } } }), { annotations: { 'x.io/a': '{{ .a }}' } }))
      .toThrow(/annotations: the value of 'x.io\/a' contains '\{\{'/);
    expect(() => make(SecretSource.external({ store: undefined as any, data: { a: { key: 'x' } } }))).toThrow(/source.store: no store given/);
    expect(() => SecretStoreRef.existing('Vault_Store')).not.toThrow();
    expect(() => make(SecretSource.external({ store: SecretStoreRef.existing('Vault_Store'), data: { a: { key: 'x' } } })))
      .toThrow(/source\.store\.name: 'Vault_Store' is not a DNS-1123 subdomain/);
  });
});

describe('SecretStore', () => {
  function storeChart(provider: SecretStoreProvider, extra: object = {}): { chart: Chart; store: SecretStore } {
    const chart = testChart();
    const store = new SecretStore(chart, 'Backend', { namespace: 'apps', provider, ...extra });
    return { chart, store };
  }
  /** Builds a store and synthesizes it: problems of names and provider options are reported at synth. */
  const storeSynth = (provider: SecretStoreProvider, extra: object = {}) => synth(storeChart(provider, extra).chart);

  const CA_PEM = fs.readFileSync(path.join(FIXTURES, 'test-only-sealing-cert.pem'), 'utf8');

  test('vault: Kubernetes auth, KV v2, https, CA bundle; its service account has no annotations', () => {
    const { chart, store } = storeChart(SecretStoreProvider.vault({ server: 'https://vault.example.com:8200', path: 'secret', role: 'apps-reader', caBundlePem: CA_PEM }));
    new SealedOrExternalSecret(chart, 'Db', { namespace: 'apps', source: SecretSource.external({ store, data: { password: { key: 'apps/db', property: 'password' } } }) });
    const manifests = synth(chart);
    expectValid(manifests);
    const ss = findObject(manifests, 'SecretStore', 'backend');
    expect(ss.apiVersion).toBe('external-secrets.io/v1');
    expect(ss.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '2' });
    expect(ss.spec).toEqual({
      provider: {
        vault: {
          server: 'https://vault.example.com:8200',
          path: 'secret',
          version: 'v2',
          caBundle: Buffer.from(CA_PEM).toString('base64'),
          auth: { kubernetes: { mountPath: 'kubernetes', role: 'apps-reader', serviceAccountRef: { name: 'backend' } } },
        },
      },
    });
    const sa = findObject(manifests, 'ServiceAccount', 'backend');
    expect(sa.automountServiceAccountToken).toBe(false);
    expect(sa.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '1' });
    expect(findObject(manifests, 'ExternalSecret', 'db').spec.secretStoreRef).toEqual({ name: 'backend', kind: 'SecretStore' });
    expect(store.serviceAccountName).toBe('backend');
  });

  test('aws secrets manager and parameter store: IRSA role annotation only', () => {
    const roleArn = 'arn:aws:iam::123456789012:role/apps-secrets';
    for (const [provider, service] of [
      [SecretStoreProvider.awsSecretsManager({ region: 'eu-west-1', roleArn }), 'SecretsManager'],
      [SecretStoreProvider.awsParameterStore({ region: 'eu-west-1', roleArn }), 'ParameterStore'],
    ] as const) {
      const { chart } = storeChart(provider, { serviceAccountName: 'eso-aws' });
      const manifests = synth(chart);
      expectValid(manifests);
      expect(findObject(manifests, 'SecretStore').spec.provider).toEqual({
        aws: { service, region: 'eu-west-1', auth: { jwt: { serviceAccountRef: { name: 'eso-aws' } } } },
      });
      const sa = findObject(manifests, 'ServiceAccount', 'eso-aws');
      expect(sa.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '1', 'eks.amazonaws.com/role-arn': roleArn });
      expect(sa.automountServiceAccountToken).toBe(false);
    }
  });

  test('gcp secret manager: workload identity annotation only', () => {
    const { chart } = storeChart(SecretStoreProvider.gcpSecretManager({ projectId: 'my-project-1', gcpServiceAccount: 'external-secrets@my-project-1.iam.gserviceaccount.com' }));
    const manifests = synth(chart);
    expectValid(manifests);
    expect(findObject(manifests, 'SecretStore').spec.provider).toEqual({
      gcpsm: { projectID: 'my-project-1', auth: { workloadIdentity: { serviceAccountRef: { name: 'backend' } } } },
    });
    expect(findObject(manifests, 'ServiceAccount').metadata.annotations).toEqual({
      'argocd.argoproj.io/sync-wave': '1', 'iam.gke.io/gcp-service-account': 'external-secrets@my-project-1.iam.gserviceaccount.com',
    });
  });

  test('azure key vault: workload identity client and tenant annotations only', () => {
    const clientId = '11111111-2222-3333-4444-555555555555';
    const tenantId = '66666666-7777-8888-9999-000000000000';
    const { chart } = storeChart(SecretStoreProvider.azureKeyVault({ vaultUrl: 'https://my-vault.vault.azure.net', clientId, tenantId }));
    const manifests = synth(chart);
    expectValid(manifests);
    expect(findObject(manifests, 'SecretStore').spec.provider).toEqual({
      azurekv: { vaultUrl: 'https://my-vault.vault.azure.net', authType: 'WorkloadIdentity', serviceAccountRef: { name: 'backend' } },
    });
    expect(findObject(manifests, 'ServiceAccount').metadata.annotations).toEqual({
      'argocd.argoproj.io/sync-wave': '1', 'azure.workload.identity/client-id': clientId, 'azure.workload.identity/tenant-id': tenantId,
    });
  });

  test('errors: no provider, http vault, bad names, bad provider fields, store in another namespace', () => {
    expect(synthesized((c) => new SecretStore(c, 'S', { namespace: 'apps', provider: undefined as any }))).toThrow(/provider: no provider given/);
    expect(() => storeSynth(SecretStoreProvider.vault({ server: 'http://vault:8200', path: 'secret', role: 'r' })))
      .toThrow(/provider.server: 'http:\/\/vault:8200' does not use https/);
    expect(() => storeSynth(SecretStoreProvider.vault({ server: 'https://vault', path: '/secret/', role: 'r' }))).toThrow(/provider.path/);
    expect(() => storeSynth(SecretStoreProvider.vault({ server: 'https://vault', path: 'secret', role: 'r', caBundlePem: 'nope' }))).toThrow(/provider.caBundlePem/);
    // X509Certificate parses only the first block: a key pasted after the CA must not be published.
    const withKey = `${CA_PEM}\n-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n`;
    expect(() => storeSynth(SecretStoreProvider.vault({ server: 'https://vault', path: 'secret', role: 'r', caBundlePem: withKey })))
      .toThrow(/provider.caBundlePem: contains a private key/);
    expect(() => storeSynth(SecretStoreProvider.vault({ server: 'https://vault', path: 'secret', role: 'r' }), { name: 'Bad_Name' }))
      .toThrow(/name: 'Bad_Name' is not a DNS-1123 subdomain/);
    expect(() => storeSynth(SecretStoreProvider.awsSecretsManager({ region: 'mars', roleArn: 'arn:aws:iam::123456789012:role/x' }))).toThrow(/provider.region/);
    expect(() => storeSynth(SecretStoreProvider.awsSecretsManager({ region: 'eu-west-1', roleArn: 'role/x' }))).toThrow(/provider.roleArn/);
    expect(() => storeSynth(SecretStoreProvider.gcpSecretManager({ projectId: 'p', gcpServiceAccount: 'x' }))).toThrow(/provider.projectId/);
    expect(() => storeSynth(SecretStoreProvider.azureKeyVault({ vaultUrl: 'http://v', clientId: 'x', tenantId: 'y' }))).toThrow(/provider.vaultUrl: 'http:\/\/v' does not use https/);

    const chart = testChart();
    const store = new SecretStore(chart, 'Vault', { namespace: 'other', provider: SecretStoreProvider.vault({ server: 'https://vault', path: 'secret', role: 'r' }) });
    new SealedOrExternalSecret(chart, 'Db', { namespace: 'apps', source: SecretSource.external({ store, data: { a: { key: 'x' } } }) });
    expect(() => synth(chart)).toThrow(/source.store: SecretStore 'vault' is in namespace 'other'/);
  });
});

describe('names', () => {
  test('the default name is the kebab-cased id', () => {
    const chart = new Chart(Testing.app(), 'c');
    const secret = new SealedOrExternalSecret(chart, 'ArgoCDRepoCreds_2', { namespace: 'apps', source: SecretSource.sealed({ values: { k: SealedValue.preSealed(fakeSealed()) } }) });
    expect(secret.secretName).toBe('argo-cd-repo-creds-2');
  });
});

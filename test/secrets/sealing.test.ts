import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SealedOrExternalSecret, SealedValue, SealingCertificate, SecretSource } from '../../src/secrets';
import { digestMatches, digestPlaintext, SealedSecretsLock, sealedValueProblem, sealValue } from '../../src/secrets/private/sealing';
import { TEST_PRIVATE_KEY, unseal } from '../fixtures/sealing/unseal';
import { synth, testChart } from '../support/synth';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'sealing');
const CERT_PEM = fs.readFileSync(path.join(FIXTURES, 'test-only-sealing-cert.pem'), 'utf8');
const PRIVATE_KEY = TEST_PRIVATE_KEY;
const PUBLIC_KEY = new crypto.X509Certificate(CERT_PEM).publicKey;

describe('sealValue', () => {
  const plaintext = Buffer.from('s3cr3t-Ω-value\n', 'utf8');

  test('round trip with a strict label (namespace/name)', () => {
    const sealed = sealValue(PUBLIC_KEY, 'argocd/repo-creds', plaintext);
    expect(unseal(PRIVATE_KEY, 'argocd/repo-creds', sealed)).toEqual(plaintext);
  });

  test('round trip with namespace-wide and cluster-wide labels', () => {
    expect(unseal(PRIVATE_KEY, 'argocd', sealValue(PUBLIC_KEY, 'argocd', plaintext))).toEqual(plaintext);
    expect(unseal(PRIVATE_KEY, '', sealValue(PUBLIC_KEY, '', plaintext))).toEqual(plaintext);
  });

  test('a wrong namespace or name does not decrypt', () => {
    const sealed = sealValue(PUBLIC_KEY, 'argocd/repo-creds', plaintext);
    expect(() => unseal(PRIVATE_KEY, 'other/repo-creds', sealed)).toThrow();
    expect(() => unseal(PRIVATE_KEY, 'argocd/other', sealed)).toThrow();
    expect(() => unseal(PRIVATE_KEY, 'argocd', sealed)).toThrow();
    expect(() => unseal(PRIVATE_KEY, '', sealed)).toThrow();
  });

  test('a tampered ciphertext fails authentication', () => {
    const raw = Buffer.from(sealValue(PUBLIC_KEY, 'a/b', plaintext), 'base64');
    raw[raw.length - 20] = (raw[raw.length - 20] + 1) % 256;
    expect(() => unseal(PRIVATE_KEY, 'a/b', raw.toString('base64'))).toThrow();
  });

  test('layout: 2-byte length of the RSA block, RSA block, ciphertext + 16-byte tag, standard base64', () => {
    const sealed = sealValue(PUBLIC_KEY, 'a/b', plaintext);
    expect(sealed).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const raw = Buffer.from(sealed, 'base64');
    expect(raw.readUInt16BE(0)).toBe(256); // 2048-bit test key
    expect(raw.length).toBe(2 + 256 + plaintext.length + 16);
    expect(sealedValueProblem(sealed)).toBeUndefined();
  });

  test('every sealing is fresh (random session key)', () => {
    expect(sealValue(PUBLIC_KEY, 'a/b', plaintext)).not.toEqual(sealValue(PUBLIC_KEY, 'a/b', plaintext));
  });
});

describe('sealedValueProblem', () => {
  test('rejects non-base64, url-safe base64 and empty values', () => {
    expect(sealedValueProblem('not base64!')).toMatch(/base64/);
    expect(sealedValueProblem('ab-_')).toMatch(/base64/);
    expect(sealedValueProblem('')).toMatch(/base64/);
  });

  test('rejects values too short for the length, the RSA block and the tag', () => {
    expect(sealedValueProblem('AA==')).toMatch(/too short/);
    const header = Buffer.alloc(2);
    header.writeUInt16BE(512);
    expect(sealedValueProblem(Buffer.concat([header, Buffer.alloc(300)]).toString('base64'))).toMatch(/too short/);
    header.writeUInt16BE(16);
    expect(sealedValueProblem(Buffer.concat([header, Buffer.alloc(300)]).toString('base64'))).toMatch(/too short/);
  });
});

describe('plaintext digest', () => {
  test('is salted: two digests of one value differ, and both match it', () => {
    const a = digestPlaintext(Buffer.from('value'));
    const b = digestPlaintext(Buffer.from('value'));
    expect(a).not.toEqual(b);
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(digestMatches(a, Buffer.from('value'))).toBe(true);
    expect(digestMatches(b, Buffer.from('value'))).toBe(true);
    expect(digestMatches(a, Buffer.from('other'))).toBe(false);
  });

  test('a malformed or excessive digest never matches', () => {
    expect(digestMatches('sha256$abc', Buffer.from('value'))).toBe(false);
    expect(digestMatches('scrypt$1073741824$8$1$AAAA$AAAA', Buffer.from('value'))).toBe(false);
  });
});

describe('SealedSecretsLock', () => {
  test('writes entries sorted, with sorted fields, and reads them back', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lock-')), 'sub', 'lock.json');
    const lock = new SealedSecretsLock(file);
    expect(lock.get('ns/b/key')).toBeUndefined();
    const entry = { scope: 'strict', plaintextDigest: 'd', ciphertext: 'c', certificate: 'sha256:f' };
    lock.set('ns/b/key', entry);
    lock.set('ns/a/key', entry);
    const text = fs.readFileSync(file, 'utf8');
    expect(Object.keys(JSON.parse(text).entries)).toEqual(['ns/a/key', 'ns/b/key']);
    expect(Object.keys(JSON.parse(text).entries['ns/a/key'])).toEqual(['certificate', 'ciphertext', 'plaintextDigest', 'scope']);
    expect(text.endsWith('}\n')).toBe(true);
    expect(new SealedSecretsLock(file).get('ns/a/key')).toEqual({ certificate: 'sha256:f', ciphertext: 'c', plaintextDigest: 'd', scope: 'strict' });
  });

  test('a corrupt lock file gets a clear error', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lock-')), 'lock.json');
    fs.writeFileSync(file, '{ nope');
    expect(() => new SealedSecretsLock(file).get('x')).toThrow(/not valid JSON/);
    fs.writeFileSync(file, '{"version": 7, "entries": {}}');
    expect(() => new SealedSecretsLock(file).get('x')).toThrow(/version 1/);
  });
});

/**
 * The errors synth reports for a secret sealed at synth with `cert`: the certificate's problems
 * carry the path of the secret that uses it.
 */
function certificateProblems(cert: SealingCertificate): string {
  const chart = testChart();
  const lockFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cert-lock-')), 'lock.json');
  process.env.SEALING_TEST_VALUE = 'Zq3-vN8x_Lp2Rt7wKe';
  try {
    new SealedOrExternalSecret(chart, 'S', {
      namespace: 'apps', source: SecretSource.sealed({ values: { k: SealedValue.fromEnv('SEALING_TEST_VALUE') }, certificate: cert, lockFile }),
    });
    synth(chart);
  } catch (e: any) {
    return e.message;
  } finally {
    delete process.env.SEALING_TEST_VALUE;
  }
  return '';
}

describe('SealingCertificate', () => {
  test('reads an RSA certificate and fingerprints it', () => {
    const cert = SealingCertificate.fromFile(path.join(FIXTURES, 'test-only-sealing-cert.pem'));
    const expected = crypto.createHash('sha256').update(new crypto.X509Certificate(CERT_PEM).raw).digest('hex');
    expect(cert.fingerprint).toBe(`sha256:${expected}`);
    expect(SealingCertificate.fromPem(CERT_PEM).fingerprint).toBe(cert.fingerprint);
    expect(certificateProblems(cert)).toBe('');
  });

  test('refuses an expired certificate', () => {
    expect(certificateProblems(SealingCertificate.fromFile(path.join(FIXTURES, 'test-only-expired-cert.pem')))).toMatch(/test\/S.*source\.certificate\.pem: the certificate expired on 2021-01-01/);
  });

  test('refuses a certificate that is not yet valid', () => {
    expect(certificateProblems(SealingCertificate.fromFile(path.join(FIXTURES, 'test-only-not-yet-valid-cert.pem')))).toMatch(/test\/S.*source\.certificate\.pem: the certificate is not valid before 2099/);
  });

  test('refuses a non-RSA certificate', () => {
    expect(certificateProblems(SealingCertificate.fromFile(path.join(FIXTURES, 'test-only-ec-cert.pem')))).toMatch(/test\/S.*source\.certificate\.pem: the certificate holds a ec key/);
  });

  test('refuses text that is not a certificate, and a missing file', () => {
    expect(() => SealingCertificate.fromPem('hello')).not.toThrow();
    expect(certificateProblems(SealingCertificate.fromPem('hello'))).toMatch(/test\/S.*source\.certificate\.pem: is not a PEM X.509 certificate/);
    expect(certificateProblems(SealingCertificate.fromFile('/nonexistent/cert.pem'))).toMatch(/test\/S.*source\.certificate\.path: cannot read/);
  });
});

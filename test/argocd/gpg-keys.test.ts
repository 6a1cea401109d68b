import * as fs from 'fs';
import * as path from 'path';
import { Chart } from 'cdk8s';
import { ArgoCdGpgKeys, GpgPublicKey, GpgVerificationMode, ProjectWithRoles, SecureArgoCD } from '../../src';
import { crc24 } from '../../src/argocd/private/openpgp';
import { factoryProblemsOf } from '../../src/private/errors';
import { expectSynthErrors } from '../support/errors';
import { findObject, synth, testChart } from '../support/synth';
import { expectValid } from '../support/validate';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'gpg');
const fixture = (name: string) => path.join(FIXTURES, name);
const RELEASE = GpgPublicKey.fromFile(fixture('release.asc'));
const RELEASE_ID = '55A953F22FE0A946';
const SECOND = GpgPublicKey.fromFile(fixture('second-with-subkey.asc'));
const REPO = 'https://github.com/myorg/gitops-config.git';
const NETWORK = { kubernetesApi: { cidrs: ['10.0.0.1/32'], ports: [6443] } };

const argoCd = (chart: Chart, gpgKeys?: GpgPublicKey[]) =>
  new SecureArgoCD(chart, 'ArgoCD', { enableLocalAdmin: true, networkPolicies: NETWORK, ...(gpgKeys ? { gpgKeys } : {}) });
const production = (chart: Chart, keyIds: string[], mode?: GpgVerificationMode) =>
  ProjectWithRoles.production(chart, 'Prod', { sourceRepos: [REPO], gitSignatureVerification: { keyIds, ...(mode ? { mode } : {}) } });
const problems = (key: GpgPublicKey) => factoryProblemsOf(key).map((p) => `${p.property}: ${p.problem}`);

/** The armored text of a key with its body replaced (checksum recomputed), to build malformed keys. */
function rearmor(bytes: Buffer): string {
  const sum = Buffer.from(crc24(bytes)).toString('base64');
  const lines = bytes.toString('base64').match(/.{1,64}/g)!;
  return ['-----BEGIN PGP PUBLIC KEY BLOCK-----', '', ...lines, `=${sum}`, '-----END PGP PUBLIC KEY BLOCK-----', ''].join('\n');
}
const releaseBytes = () => {
  const lines = fs.readFileSync(fixture('release.asc'), 'utf8').trim().split('\n');
  return Buffer.from(lines.slice(2, -2).join(''), 'base64');
};

describe('GpgPublicKey', () => {
  test('the key ID is computed from the key, as GnuPG reports it (subkeys too)', () => {
    expect(RELEASE.keyId).toBe(RELEASE_ID);
    expect(RELEASE.keyIds).toEqual([RELEASE_ID]);
    expect(SECOND.keyId).toBe('658E4EC5A0F70A33');
    expect(SECOND.keyIds).toEqual(['658E4EC5A0F70A33', '2770018C6A871D47']);
    expect(GpgPublicKey.fromFile(fixture('release-with-comment.asc')).keyId).toBe(RELEASE_ID);
    expect(GpgPublicKey.fromArmored(fs.readFileSync(fixture('release.asc'), 'utf8')).armored).toBe(RELEASE.armored);
    expect(problems(RELEASE)).toEqual([]);
  });

  test('a rebuilt key with the same packets reads the same (the test helper is faithful)', () => {
    expect(GpgPublicKey.fromArmored(rearmor(releaseBytes())).keyId).toBe(RELEASE_ID);
  });

  test.each([
    ['a private key block', '-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlFgEaw8E0RYJKwYBBAHaRw8BAQdA\n-----END PGP PRIVATE KEY BLOCK-----\n', /private key block: give only the public key/],
    ['two keys in one block', fs.readFileSync(fixture('two-keys.asc'), 'utf8'), /holds 2 primary keys: .*one key per GpgPublicKey/],
    ['a changed body', fs.readFileSync(fixture('release.asc'), 'utf8').replace(/^mDME/m, 'mDMF'), /armor checksum/],
    ['not armored', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA user@host', /not one ASCII-armored public key block/],
    ['a line separator', fs.readFileSync(fixture('release.asc'), 'utf8').replace('\n\n', '\n\u2028\n'), /contains '\\u2028', a line break/],
    ['an injected header', fs.readFileSync(fixture('release.asc'), 'utf8').replace('\n\n', '\nComment: x\u0085y\n\n'), /contains '\\u0085'/],
    ['garbage body', '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n!!!!\n-----END PGP PUBLIC KEY BLOCK-----', /not base64/],
  ])('refuses %s', (_name, text, pattern) => {
    const key = GpgPublicKey.fromArmored(text);
    expect(problems(key).join('\n')).toMatch(pattern);
    expect(key.keyId).toBe('');
  });

  test('refuses secret key material under a public header', () => {
    const bytes = Buffer.from(releaseBytes());
    bytes[0] = 0xc5; // the first packet's tag, new format: public key (6) -> secret key (5)
    const problem = problems(GpgPublicKey.fromArmored(rearmor(bytes))).join('\n');
    expect(problem).toMatch(/secret key material|not OpenPGP/);
  });

  test('an unreadable file is reported by the construct that uses the key', () => {
    const chart = testChart();
    new ArgoCdGpgKeys(chart, 'Keys', { keys: [GpgPublicKey.fromFile(fixture('missing.asc'))] });
    expectSynthErrors(chart.node.root as any, [/\[test\/Keys\] ArgoCdGpgKeys 'test\/Keys': keys\[0\]\.file: '.*missing\.asc' cannot be read \(ENOENT\): give the path/]);
  });
});

describe('ArgoCdGpgKeys', () => {
  test('argocd-gpg-keys-cm: one entry per key, named by its key ID, holding the armored public key', () => {
    const chart = testChart();
    new ArgoCdGpgKeys(chart, 'Keys', { keys: [RELEASE, SECOND] });
    const manifests = synth(chart);
    expectValid(manifests);
    const cm = findObject(manifests, 'ConfigMap', 'argocd-gpg-keys-cm');
    expect(cm.metadata.namespace).toBe('argocd');
    expect(Object.keys(cm.data)).toEqual([RELEASE_ID, '658E4EC5A0F70A33']);
    expect(cm.data[RELEASE_ID]).toBe(fs.readFileSync(fixture('release.asc'), 'utf8'));
    expect(cm.data[RELEASE_ID]).not.toMatch(/PRIVATE/);
  });

  test('the same key twice is refused; an empty list too', () => {
    const chart = testChart();
    new ArgoCdGpgKeys(chart, 'Keys', { keys: [RELEASE, GpgPublicKey.fromFile(fixture('release-with-comment.asc'))] });
    expectSynthErrors(chart.node.root as any, [/keys\[1\]: key 55A953F22FE0A946 is listed twice: keep one/]);
    expect(() => new ArgoCdGpgKeys(testChart(), 'Keys', { keys: [] })).toThrow(/keys: is empty: give at least one GpgPublicKey/);
  });
});

describe('SecureArgoCD gpgKeys', () => {
  test('the keys go into the install\'s one argocd-gpg-keys-cm (no second object of that name)', () => {
    const chart = testChart();
    argoCd(chart, [RELEASE]);
    const manifests = synth(chart);
    const cm = findObject(manifests, 'ConfigMap', 'argocd-gpg-keys-cm');
    expect(Object.keys(cm.data)).toEqual([RELEASE_ID]);
    expect(cm.metadata.labels['app.kubernetes.io/part-of']).toBe('argocd');
  });

  test('without gpgKeys the install\'s empty keyring stays', () => {
    const chart = testChart();
    argoCd(chart);
    expect(findObject(synth(chart), 'ConfigMap', 'argocd-gpg-keys-cm').data).toBeUndefined();
  });
});

describe('signature verification and the keyring', () => {
  test('the production preset verifies the head commit by default; strict is an opt-in', () => {
    const chart = testChart();
    argoCd(chart, [RELEASE]);
    production(chart, [RELEASE_ID]);
    const spec = findObject(synth(chart), 'AppProject', 'production').spec;
    expect(spec.sourceIntegrity.git.policies[0].gpg).toEqual({ mode: 'head', keys: [RELEASE_ID] });

    const strict = testChart();
    argoCd(strict, [RELEASE]);
    production(strict, [RELEASE_ID], GpgVerificationMode.STRICT);
    expect(findObject(synth(strict), 'AppProject', 'production').spec.sourceIntegrity.git.policies[0].gpg.mode).toBe('strict');
  });

  test('key IDs are written upper-case (Argo CD compares them with git\'s output as strings); fingerprints become key IDs', () => {
    const chart = testChart();
    argoCd(chart, [RELEASE, SECOND]);
    production(chart, ['55a953f22fe0a946', '12e76ae32088094b0e33158d658e4ec5a0f70a33', '2770018C6A871D47']);
    const gpg = findObject(synth(chart), 'AppProject', 'production').spec.sourceIntegrity.git.policies[0].gpg;
    expect(gpg.keys).toEqual([RELEASE_ID, '658E4EC5A0F70A33', '2770018C6A871D47']);
  });

  test.each([GpgVerificationMode.HEAD, GpgVerificationMode.STRICT])('%s: a key missing from the app\'s keyring fails at synth', (mode) => {
    const chart = testChart();
    argoCd(chart, [RELEASE]);
    production(chart, ['1234567890ABCDEF'], mode);
    expectSynthErrors(chart.node.root as any, [
      /\[test\/Prod\] ProjectWithRoles 'test\/Prod': gitSignatureVerification\.keyIds: 1234567890ABCDEF is not in Argo CD's keyring \(argocd-gpg-keys-cm\), so every sync .* add the public key to SecureArgoCD's gpgKeys/,
    ]);
  });

  test('SecureArgoCD without gpgKeys: its keyring is empty, so a signed project fails at synth', () => {
    const chart = testChart();
    argoCd(chart);
    production(chart, [RELEASE_ID]);
    expectSynthErrors(chart.node.root as any, [/gitSignatureVerification\.keyIds: 55A953F22FE0A946 is not in Argo CD's keyring/]);
  });

  test('no keyring in the app (Argo CD managed elsewhere): a warning, not an error', () => {
    const chart = testChart();
    const project = production(chart, [RELEASE_ID]);
    synth(chart);
    const warnings = project.node.metadata.filter((m) => m.type === 'warning').map((m) => String(m.data));
    expect(warnings).toEqual([expect.stringMatching(/gitSignatureVerification\.keyIds: Argo CD's keyring \(argocd-gpg-keys-cm\) is not part of this app: make sure it holds 55A953F22FE0A946/)]);
  });

  test('a keyring in another chart of the app counts', () => {
    const chart = testChart('argocd');
    argoCd(chart, [SECOND]);
    const prod = new Chart(chart.node.root as any, 'prod');
    production(prod, ['2770018C6A871D47']);
    expect(() => synth(prod)).not.toThrow();
  });
});

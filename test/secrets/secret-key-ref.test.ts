import { Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { SealedOrExternalSecret, SecretKeyRef, SecretSource, SecretStoreProvider } from '../../src/secrets';
import { testChart } from '../support/synth';

/** The errors reported once a construct takes `ref` as its property `secret`. */
function problems(ref: SecretKeyRef): string {
  const chart = testChart();
  try {
    SecretKeyRef._require(new Construct(chart, 'Owner'), 'secret', ref);
    Testing.synth(chart);
  } catch (e: any) {
    return e.message;
  }
  return '';
}

describe('SecretKeyRef', () => {
  test('a valid reference has no problems', () => {
    const ref = SecretKeyRef.fromExistingSecret('argocd-secret', 'oidc.clientSecret', { namespace: 'argocd' });
    expect(problems(ref)).toBe('');
    expect(ref.toString()).toBe('argocd/argocd-secret:oidc.clientSecret');
  });

  test('the factory does not throw: the construct that takes the reference reports its problems with its path', () => {
    expect(() => SecretKeyRef.fromExistingSecret('Not_A_Name', 'k')).not.toThrow();
    expect(problems(SecretKeyRef.fromExistingSecret('Not_A_Name', 'k'))).toMatch(/test\/Owner.*secret\.secretName: 'Not_A_Name' is not a DNS-1123 subdomain/);
    expect(problems(SecretKeyRef.fromExistingSecret('db', 'a/b'))).toMatch(/secret\.key: 'a\/b' is not a valid Secret key/);
  });

  test('keys Kubernetes refuses: ".", ".." and keys over 253 characters', () => {
    expect(problems(SecretKeyRef.fromExistingSecret('db', '.'))).toMatch(/secret\.key: '\.' is not a valid Secret key/);
    expect(problems(SecretKeyRef.fromExistingSecret('db', '..'))).toMatch(/secret\.key/);
    expect(problems(SecretKeyRef.fromExistingSecret('db', 'k'.repeat(254)))).toMatch(/secret\.key/);
    expect(problems(SecretKeyRef.fromExistingSecret('db', 'k'.repeat(253)))).toBe('');
  });

  test('a literal where a reference belongs is refused', () => {
    expect(problems('hunter2' as any)).toMatch(/secret: is not a SecretKeyRef/);
  });

  test('brand checks recognise objects of any copy of the library, and nothing else', () => {
    expect(SecretKeyRef.isSecretKeyRef(SecretKeyRef.fromExistingSecret('db', 'k'))).toBe(true);
    expect(SecretKeyRef.isSecretKeyRef({ secretName: 'db', key: 'k' })).toBe(false);
    expect(SecretKeyRef.isSecretKeyRef({ [Symbol.for('cdk8s-secure-argo.SecretKeyRef')]: true })).toBe(true);
    expect(SecretSource.isSecretSource(SecretSource.sealed({ values: {} }))).toBe(true);
    expect(SecretSource.isSecretSource(null)).toBe(false);
    expect(SecretStoreProvider.isSecretStoreProvider(SecretStoreProvider.vault({ server: 'https://vault', path: 'secret', role: 'r' }))).toBe(true);
    expect(SecretStoreProvider.isSecretStoreProvider({ _render: () => ({}) })).toBe(false);
  });

  test('constructs that create a secret named after themselves derive its name from their id', () => {
    expect(SealedOrExternalSecret._nameFromId('ArgoCDRepoCreds_2')).toBe('argo-cd-repo-creds-2');
  });
});

import { Chart, Testing } from 'cdk8s';
import {
  ExternalDataFrom, SealedOrExternalSecret, SealedValue, SecretSource, SecretStore, SecretStoreProvider, SecretStoreRef,
} from '../../src/secrets';
import { DexConnector, OidcSso } from '../../src/sso';
import { expectSynthErrors } from '../support/errors';

describe('one synth lists every problem of the secrets, each with its construct path', () => {
  test('three mistakes in three constructs, and factory problems bound to the constructs that use them', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'secrets');
    new SecretStore(chart, 'Vault', {
      namespace: 'Apps',
      provider: SecretStoreProvider.vault({ server: 'http://vault:8200', path: 'secret', role: 'eso' }),
    });
    new SealedOrExternalSecret(chart, 'Sealed', {
      namespace: 'apps',
      source: SecretSource.sealed({ values: { token: SealedValue.preSealed('not base64!') } }),
      labels: { team: 'a b' },
    });
    new SealedOrExternalSecret(chart, 'External', {
      namespace: 'apps',
      source: SecretSource.external({
        store: SecretStoreRef.existing('Vault_Store'),
        dataFrom: [ExternalDataFrom.find({ path: 'apps' })],
        expectedKeys: ['bad key'],
      }),
    });
    expectSynthErrors(app, [
      /\[secrets\/Vault\] SecretStore 'secrets\/Vault': namespace: 'Apps' is not a DNS-1123 label/,
      /\[secrets\/Vault\] SecretStore 'secrets\/Vault': provider\.server: 'http:\/\/vault:8200' does not use https/,
      /\[secrets\/Sealed\] .*source\.values\['token'\]\.ciphertext: the sealed value is not standard base64/,
      /\[secrets\/Sealed\] .*labels\['team'\]: 'a b' is not a valid label value/,
      /\[secrets\/External\] .*source\.store\.name: 'Vault_Store' is not a DNS-1123 subdomain/,
      /\[secrets\/External\] .*source\.dataFrom\[0\]\.nameRegexp: give nameRegexp or tags/,
      /\[secrets\/External\] .*source\.expectedKeys: 'bad key' is not a valid Secret key/,
    ]);
  });

  test('SSO problems: every problem of the factory is listed, not only the first', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'sso');
    const owner = new Chart(chart, 'Owner');
    const connector = DexConnector.ldap({
      host: 'ldap.example.com:389',
      bindDn: 'cn=admin\ndc=example',
      bindPassword: 'secret' as any,
      userSearch: { baseDn: 'ou=users' },
    });
    OidcSso.dex({ connectors: [connector], staticClients: [] })._bind(owner, 'sso');
    expectSynthErrors(app, [
      /sso\.connectors\[0\]\.host: port 389 is plain LDAP/,
      /sso\.connectors\[0\]\.bindDn: 'cn=admin\\ndc=example' contains '\\n', a line break/,
      /sso\.connectors\[0\]\.bindPassword: is not a SecretKeyRef/,
    ]);
  });
});

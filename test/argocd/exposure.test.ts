import { ArgoCdServerExposure, ArgoCdServerExposureProps, ArgoCdServerTls, ArgoCdServerTlsMode } from '../../src';
import { findObject, Manifest, synth, testChart } from '../support/synth';
import { expectValid } from '../support/validate';

function exposure(props: Partial<ArgoCdServerExposureProps> = {}): Manifest[] {
  const chart = testChart();
  new ArgoCdServerExposure(chart, 'exposure', {
    namespace: 'argocd',
    host: 'argocd.example.com',
    tls: ArgoCdServerTls.fromClusterIssuer('letsencrypt'),
    ...props,
  });
  const manifests = synth(chart);
  expectValid(manifests);
  return manifests;
}

describe('ArgoCdServerExposure', () => {
  test('SSL passthrough by default, with a cert-manager certificate for argocd-server-tls', () => {
    const manifests = exposure();
    expect(manifests.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual(['Certificate/argocd-server-tls', 'Ingress/argocd-server']);
    const ingress = findObject(manifests, 'Ingress', 'argocd-server');
    expect(ingress.metadata.namespace).toBe('argocd');
    expect(ingress.metadata.annotations).toEqual({
      'argocd.argoproj.io/sync-wave': '3',
      'nginx.ingress.kubernetes.io/backend-protocol': 'HTTPS',
      'nginx.ingress.kubernetes.io/ssl-passthrough': 'true',
    });
    expect(ingress.spec).toEqual({
      ingressClassName: 'nginx',
      tls: [{ hosts: ['argocd.example.com'], secretName: 'argocd-server-tls' }],
      rules: [{
        host: 'argocd.example.com',
        http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'argocd-server', port: { name: 'https' } } } }] },
      }],
    });
    const cert = findObject(manifests, 'Certificate', 'argocd-server-tls');
    expect(cert.spec).toEqual({
      dnsNames: ['argocd.example.com'],
      issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: 'letsencrypt' },
      privateKey: { algorithm: 'ECDSA', rotationPolicy: 'Always', size: 256 },
      secretName: 'argocd-server-tls',
    });
  });

  test('a namespaced Issuer', () => {
    const cert = findObject(exposure({ tls: ArgoCdServerTls.fromIssuer('internal-ca') }), 'Certificate');
    expect(cert.spec.issuerRef).toEqual({ group: 'cert-manager.io', kind: 'Issuer', name: 'internal-ca' });
    expect(cert.metadata.namespace).toBe('argocd');
  });

  test('re-encryption: the ingress terminates TLS and speaks HTTPS to the backend', () => {
    const manifests = exposure({
      mode: ArgoCdServerTlsMode.REENCRYPT,
      tls: ArgoCdServerTls.fromClusterIssuer('letsencrypt', { secretName: 'argocd-ingress-tls' }),
      ingressClassName: 'internal-nginx',
    });
    const ingress = findObject(manifests, 'Ingress');
    expect(ingress.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '3', 'nginx.ingress.kubernetes.io/backend-protocol': 'HTTPS' });
    expect(ingress.spec.ingressClassName).toBe('internal-nginx');
    expect(ingress.spec.tls).toEqual([{ hosts: ['argocd.example.com'], secretName: 'argocd-ingress-tls' }]);
    expect(findObject(manifests, 'Certificate').spec.secretName).toBe('argocd-ingress-tls');
  });

  test('an existing TLS secret: no Certificate is produced', () => {
    const manifests = exposure({ tls: ArgoCdServerTls.fromExistingSecret('argocd-server-tls') });
    expect(manifests.map((m) => m.kind)).toEqual(['Ingress']);
    expect(manifests[0].spec.tls[0].secretName).toBe('argocd-server-tls');
  });

  test('a wildcard host on opt-in', () => {
    const manifests = exposure({ host: '*.argocd.example.com', allowWildcardHost: true });
    expect(findObject(manifests, 'Ingress').spec.rules[0].host).toBe('*.argocd.example.com');
    expect(findObject(manifests, 'Certificate').spec.dnsNames).toEqual(['*.argocd.example.com']);
  });

  describe('errors', () => {
    const build = (props: Partial<ArgoCdServerExposureProps>) => () => {
      new ArgoCdServerExposure(testChart(), 'exposure', {
        namespace: 'argocd', host: 'argocd.example.com', tls: ArgoCdServerTls.fromClusterIssuer('letsencrypt'), ...props,
      });
    };

    test('an Ingress without a host', () => {
      expect(build({ host: '' })).toThrow(/ArgoCdServerExposure 'test\/exposure': host: is required: an Ingress without a host/);
      expect(build({ host: undefined as any })).toThrow(/host: is required/);
    });

    test('an Ingress without TLS', () => {
      expect(build({ tls: undefined as any })).toThrow(/tls: is required: an Ingress without TLS cannot be produced/);
    });

    test.each([
      ['https://argocd.example.com', /has a scheme/],
      ['argocd.example.com/argocd', /has a path/],
      ['argocd.example.com:8443', /has a port/],
      ['10.0.0.1', /is an IP address/],
      ['Argocd.Example.com', /is not a DNS name/],
      ['argo_cd.example.com', /is not a DNS name/],
      ['*.example.com', /is a wildcard: .*allowWildcardHost/],
    ])('refuses the host %s', (host, message) => {
      expect(build({ host })).toThrow(message);
    });

    test('SSL passthrough serves only argocd-server-tls', () => {
      expect(build({ tls: ArgoCdServerTls.fromExistingSecret('my-cert') }))
        .toThrow(/tls: secret 'my-cert' is never served in SSL passthrough: .*ArgoCdServerTlsMode.REENCRYPT/);
    });

    test('invalid names', () => {
      expect(() => ArgoCdServerTls.fromExistingSecret('My Cert')).toThrow(/ArgoCdServerTls: secretName: 'My Cert' is not a DNS-1123 subdomain/);
      expect(() => ArgoCdServerTls.fromClusterIssuer('Lets Encrypt')).toThrow(/ArgoCdServerTls: issuerName: /);
      expect(build({ ingressClassName: 'Nginx' })).toThrow(/ingressClassName: 'Nginx' is not a DNS-1123 subdomain/);
      expect(build({ namespace: 'argo.cd' })).toThrow(/namespace: 'argo.cd' is not a DNS-1123 label/);
      expect(build({ mode: 'plain' as ArgoCdServerTlsMode })).toThrow(/mode: 'plain' is not a mode/);
    });
  });
});

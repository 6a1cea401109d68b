import { App, Chart } from 'cdk8s';
import * as fc from 'fast-check';
import {
  ArgoCdExposure, ArgoCdServerExposure, ArgoCdServerExposureProps, ArgoCdServerTls, ArgoCdServerTlsMode, ArgoCdIngressOptions,
  GatewayReference, NetworkEndpoint, NetworkPolicySimulator, SecureArgoCD,
} from '../../src';
import { ACCEPTED_RISKS_ANNOTATION } from '../../src/private/accepted-risks';
import { PlatformConsistency } from '../support/consistency';
import { expectSynthErrors } from '../support/errors';
import { findObject, Manifest, synth, synthApp, testChart } from '../support/synth';
import { expectValid } from '../support/validate';

const GATEWAY: GatewayReference = { name: 'public', namespace: 'gateway', sectionName: 'https' };

function render(props: Partial<ArgoCdServerExposureProps> = {}): Manifest[] {
  const chart = testChart();
  new ArgoCdServerExposure(chart, 'exposure', { namespace: 'argocd', exposure: ingress(), ...props });
  const manifests = synth(chart);
  expectValid(manifests);
  return manifests;
}

function ingress(options: Partial<ArgoCdIngressOptions> = {}): ArgoCdExposure {
  return ArgoCdExposure.ingressNginx({ host: 'argocd.example.com', tls: ArgoCdServerTls.fromClusterIssuer('letsencrypt'), ...options });
}

const kinds = (manifests: Manifest[]) => manifests.map((m) => `${m.kind}/${m.metadata.name}`);

describe('ArgoCdExposure.ingressNginx', () => {
  test('SSL passthrough by default, with a cert-manager certificate for argocd-server-tls', () => {
    const manifests = render();
    expect(kinds(manifests)).toEqual(['Certificate/argocd-server-tls', 'Ingress/argocd-server']);
    const ing = findObject(manifests, 'Ingress', 'argocd-server');
    expect(ing.metadata.namespace).toBe('argocd');
    expect(ing.metadata.annotations).toEqual({
      'argocd.argoproj.io/sync-wave': '3',
      'nginx.ingress.kubernetes.io/backend-protocol': 'HTTPS',
      'nginx.ingress.kubernetes.io/ssl-passthrough': 'true',
    });
    expect(ing.spec).toEqual({
      ingressClassName: 'nginx',
      tls: [{ hosts: ['argocd.example.com'], secretName: 'argocd-server-tls' }],
      rules: [{
        host: 'argocd.example.com',
        http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'argocd-server', port: { name: 'https' } } } }] },
      }],
    });
    expect(findObject(manifests, 'Certificate', 'argocd-server-tls').spec).toEqual({
      dnsNames: ['argocd.example.com'],
      issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: 'letsencrypt' },
      privateKey: { algorithm: 'ECDSA', rotationPolicy: 'Always', size: 256 },
      secretName: 'argocd-server-tls',
    });
  });

  test('a namespaced Issuer', () => {
    const cert = findObject(render({ exposure: ingress({ tls: ArgoCdServerTls.fromIssuer('internal-ca') }) }), 'Certificate');
    expect(cert.spec.issuerRef).toEqual({ group: 'cert-manager.io', kind: 'Issuer', name: 'internal-ca' });
    expect(cert.metadata.namespace).toBe('argocd');
  });

  test('re-encryption verifies argocd-server against the internal CA, by name, with SNI', () => {
    const manifests = render({ exposure: ingress({ mode: ArgoCdServerTlsMode.REENCRYPT, ingressClassName: 'internal-nginx' }) });
    const ing = findObject(manifests, 'Ingress');
    expect(ing.metadata.annotations).toEqual({
      'argocd.argoproj.io/sync-wave': '3',
      'nginx.ingress.kubernetes.io/backend-protocol': 'HTTPS',
      'nginx.ingress.kubernetes.io/proxy-ssl-verify': 'on',
      'nginx.ingress.kubernetes.io/proxy-ssl-secret': 'argocd/argocd-server-tls',
      'nginx.ingress.kubernetes.io/proxy-ssl-name': 'argocd-server.argocd.svc',
      'nginx.ingress.kubernetes.io/proxy-ssl-server-name': 'on',
    });
    expect(ing.spec.ingressClassName).toBe('internal-nginx');
    // the public certificate moves out of the way of argocd-server's internal one
    expect(ing.spec.tls).toEqual([{ hosts: ['argocd.example.com'], secretName: 'argocd-server-ingress-tls' }]);
    expect(findObject(manifests, 'Certificate').spec.secretName).toBe('argocd-server-ingress-tls');
  });

  test('re-encryption with a named public Secret', () => {
    const tls = ArgoCdServerTls.fromClusterIssuer('letsencrypt', { secretName: 'argocd-public-tls' });
    const manifests = render({ exposure: ingress({ mode: ArgoCdServerTlsMode.REENCRYPT, tls }) });
    expect(findObject(manifests, 'Ingress').spec.tls[0].secretName).toBe('argocd-public-tls');
  });

  test('an existing TLS secret: no Certificate is produced', () => {
    const manifests = render({ exposure: ingress({ tls: ArgoCdServerTls.fromExistingSecret('argocd-server-tls') }) });
    expect(kinds(manifests)).toEqual(['Ingress/argocd-server']);
  });

  test('a wildcard host on opt-in', () => {
    const manifests = render({ exposure: ingress({ host: '*.argocd.example.com', allowWildcardHost: { reason: 'one host per team' } }) });
    expect(findObject(manifests, 'Ingress').spec.rules[0].host).toBe('*.argocd.example.com');
    expect(findObject(manifests, 'Ingress').metadata.annotations[ACCEPTED_RISKS_ANNOTATION]).toBe('exposure.allowWildcardHost: one host per team');
    expect(findObject(manifests, 'Certificate').spec.dnsNames).toEqual(['*.argocd.example.com']);
  });

  test('a wildcard reason is checked whatever the host, and recorded only with a wildcard host', () => {
    const manifests = render({ exposure: ingress({ allowWildcardHost: { reason: 'one host per team' } }) });
    expect(findObject(manifests, 'Ingress').metadata.annotations[ACCEPTED_RISKS_ANNOTATION]).toBeUndefined();
    for (const exposure of [
      ingress({ allowWildcardHost: { reason: 'one host\ninjected: line' } }),
      ArgoCdExposure.gatewayRoute({ host: 'argocd.example.com', gateway: GATEWAY, allowWildcardHost: { reason: ' ' } }),
    ]) {
      expect(() => render({ exposure })).toThrow(/exposure\.allowWildcardHost\.reason: .*say in one line why every name under the domain reaches argocd-server/);
    }
  });
});

describe('ArgoCdExposure.gatewayRoute', () => {
  test('an HTTPRoute to the Service, a BackendTLSPolicy against the internal CA, and the gateway admitted to 8080', () => {
    const manifests = render({ exposure: ArgoCdExposure.gatewayRoute({ host: 'argocd.example.com', gateway: GATEWAY }) });
    expect(kinds(manifests)).toEqual(['HTTPRoute/argocd-server', 'BackendTLSPolicy/argocd-server', 'NetworkPolicy/argocd-server-from-gateway']);
    const route = findObject(manifests, 'HTTPRoute');
    expect(route.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(route.spec).toEqual({
      parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', namespace: 'gateway', sectionName: 'https' }],
      hostnames: ['argocd.example.com'],
      rules: [{
        matches: [{ path: { type: 'PathPrefix', value: '/' } }],
        backendRefs: [{ group: '', kind: 'Service', name: 'argocd-server', port: 443 }],
      }],
    });
    expect(findObject(manifests, 'BackendTLSPolicy').spec).toEqual({
      targetRefs: [{ group: '', kind: 'Service', name: 'argocd-server', sectionName: 'https' }],
      validation: {
        caCertificateRefs: [{ group: '', kind: 'Secret', name: 'argocd-server-tls' }],
        hostname: 'argocd-server.argocd.svc',
      },
    });
    expect(findObject(manifests, 'NetworkPolicy').spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'argocd-server' } },
      policyTypes: ['Ingress'],
      ingress: [{
        from: [{
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gateway' } },
          podSelector: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'public' } },
        }],
        ports: [{ port: 8080, protocol: 'TCP' }],
      }],
    });
    // never a ReferenceGrant: route, Service, policy and Secret share the namespace
    expect(manifests.filter((m) => m.kind === 'ReferenceGrant')).toEqual([]);
  });

  test('the data plane as given (Envoy Gateway runs its proxies in its own namespace); no sectionName', () => {
    const gateway: GatewayReference = {
      name: 'public',
      namespace: 'gateway',
      dataPlane: { namespace: 'envoy-gateway-system', podLabels: { 'gateway.envoyproxy.io/owning-gateway-name': 'public' } },
    };
    const manifests = render({ exposure: ArgoCdExposure.gatewayRoute({ host: 'argocd.example.com', gateway }) });
    expect(findObject(manifests, 'HTTPRoute').spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', namespace: 'gateway' }]);
    expect(findObject(manifests, 'NetworkPolicy').spec.ingress[0].from).toEqual([{
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'envoy-gateway-system' } },
      podSelector: { matchLabels: { 'gateway.envoyproxy.io/owning-gateway-name': 'public' } },
    }]);
  });

  test('networkPolicies: false writes no NetworkPolicy', () => {
    const manifests = render({ exposure: ArgoCdExposure.gatewayRoute({ host: 'argocd.example.com', gateway: GATEWAY }), networkPolicies: false });
    expect(kinds(manifests)).toEqual(['HTTPRoute/argocd-server', 'BackendTLSPolicy/argocd-server']);
  });
});

describe('ArgoCdExposure.gatewayPassthrough', () => {
  test('a TLSRoute; argocd-server serves the public certificate; the gateway reaches the server and the ACME solver', () => {
    const exposure = ArgoCdExposure.gatewayPassthrough({ host: 'argocd.example.com', gateway: GATEWAY, tls: ArgoCdServerTls.fromClusterIssuer('letsencrypt') });
    const manifests = render({ exposure });
    expect(kinds(manifests)).toEqual([
      'Certificate/argocd-server-tls', 'TLSRoute/argocd-server', 'NetworkPolicy/argocd-server-from-gateway',
      'NetworkPolicy/argocd-acme-http01-solver-from-gateway',
    ]);
    expect(findObject(manifests, 'TLSRoute').spec).toEqual({
      parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', namespace: 'gateway', sectionName: 'https' }],
      hostnames: ['argocd.example.com'],
      rules: [{ backendRefs: [{ group: '', kind: 'Service', name: 'argocd-server', port: 443 }] }],
    });
    expect(findObject(manifests, 'NetworkPolicy', 'argocd-acme-http01-solver-from-gateway').spec.ingress[0].ports).toEqual([{ port: 8089, protocol: 'TCP' }]);
  });

  test('an existing Secret: no Certificate and no solver policy', () => {
    const exposure = ArgoCdExposure.gatewayPassthrough({ host: 'argocd.example.com', gateway: GATEWAY, tls: ArgoCdServerTls.fromExistingSecret('argocd-server-tls') });
    expect(kinds(render({ exposure }))).toEqual(['TLSRoute/argocd-server', 'NetworkPolicy/argocd-server-from-gateway']);
  });
});

describe('SecureArgoCD with Gateway API exposure', () => {
  function platform(exposure: ArgoCdExposure, extra: object = {}): { app: App; chart: Chart } {
    const app = new App();
    const chart = new Chart(app, 'argocd');
    new SecureArgoCD(chart, 'ArgoCD', {
      exposure, allowNoInteractiveLogin: { reason: 'API tokens only' }, networkPolicies: { kubernetesApi: { cidrs: ['10.0.0.1/32'], ports: [6443] } }, ...extra,
    });
    return { app, chart };
  }

  test('the route resolves to the install\'s Service and port; argocd-server serves the internal certificate the policy verifies', () => {
    const { app } = platform(ArgoCdExposure.gatewayRoute({ host: 'argocd.example.com', gateway: GATEWAY }));
    const all = Object.values(synthApp(app)).flat();
    expectValid(all);
    const route = findObject(all, 'HTTPRoute');
    const backend = route.spec.rules[0].backendRefs[0];
    const service = findObject(all, 'Service', backend.name);
    expect(service.metadata.namespace).toBe(route.metadata.namespace);
    const port = service.spec.ports.find((p: { port: number }) => p.port === backend.port);
    expect(port).toMatchObject({ name: 'https', targetPort: 8080 });
    const policy = findObject(all, 'BackendTLSPolicy');
    expect(service.spec.ports.map((p: { name: string }) => p.name)).toContain(policy.spec.targetRefs[0].sectionName);
    // the Secret the policy trusts is argocd-server's own, from the internal CA, for the verified name
    const cert = findObject(all, 'Certificate', 'argocd-server-tls');
    expect(cert.spec.issuerRef).toEqual({ group: 'cert-manager.io', kind: 'Issuer', name: 'argocd-internal-ca' });
    expect(cert.spec.dnsNames).toContain(policy.spec.validation.hostname);
    expect(findObject(all, 'ConfigMap', 'argocd-cm').data.url).toBe('https://argocd.example.com');
    const walker = new PlatformConsistency(all, { providedElsewhere: { 'Secret/argocd/argocd-redis': 'secret-init' } });
    expect(walker.serviceProblems()).toEqual([]);
    expect(walker.backendTlsProblems()).toEqual([]);
  });

  test('REENCRYPT through ingress-nginx: the CA Secret and the verified name resolve in the output', () => {
    const { app } = platform(ingress({ mode: ArgoCdServerTlsMode.REENCRYPT }));
    const all = Object.values(synthApp(app)).flat();
    expectValid(all);
    const walker = new PlatformConsistency(all, { providedElsewhere: { 'Secret/argocd/argocd-redis': 'secret-init' } });
    expect(walker.serviceProblems()).toEqual([]);
    expect(walker.backendTlsProblems()).toEqual([]);
    // a broken copy: without argocd-server's internal certificate nothing vouches for the name
    const broken = new PlatformConsistency(all.filter((m) => !(m.kind === 'Certificate' && m.metadata.name === 'argocd-server-tls')));
    expect(broken.serviceProblems()).toEqual(['Ingress argocd/argocd-server proxy-ssl-secret: Secret argocd/argocd-server-tls is not in the output']);
    expect(broken.backendTlsProblems()).toEqual(['Ingress argocd/argocd-server: no certificate in argocd is for the verified name argocd-server.argocd.svc']);
  });

  test('the gateway reaches argocd-server; a pod of another namespace and the gateway on another port do not', () => {
    const { app } = platform(ArgoCdExposure.gatewayRoute({ host: 'argocd.example.com', gateway: GATEWAY }));
    const sim = NetworkPolicySimulator.fromApp(app);
    const server = sim.workload('argocd', 'argocd-server');
    const proxy = NetworkEndpoint.pod({ namespace: 'gateway', labels: { 'gateway.networking.k8s.io/gateway-name': 'public' } });
    expect(sim.check(proxy, server, 8080).explanation).toMatch(/^Allowed/);
    expect(sim.canReach(proxy, server, 8083)).toBe(false);
    expect(sim.canReach(NetworkEndpoint.pod({ namespace: 'gateway', labels: { app: 'other' } }), server, 8080)).toBe(false);
    expect(sim.canReach(NetworkEndpoint.pod({ namespace: 'production', labels: { 'gateway.networking.k8s.io/gateway-name': 'public' } }), server, 8080)).toBe(false);
    expect(sim.canReach(proxy, sim.workload('argocd', 'argocd-repo-server'), 8081)).toBe(false);
    // the ingress controller's namespace is no longer a way in
    expect(sim.canReach(NetworkEndpoint.pod({ namespace: 'ingress-nginx', labels: { 'app.kubernetes.io/name': 'ingress-nginx' } }), server, 8080)).toBe(false);
  });

  test('re-encryption needs the internal CA', () => {
    expect(() => platform(ArgoCdExposure.gatewayRoute({ host: 'argocd.example.com', gateway: GATEWAY }), { install: { internalTls: false } }))
      .toThrow(/install\.internalTls: is off, but the exposure re-encrypts/);
    expect(() => platform(ingress({ mode: ArgoCdServerTlsMode.REENCRYPT }), { install: { internalTls: false } })).toThrow(/install\.internalTls: is off/);
    expect(() => platform(ingress(), { install: { internalTls: false } })).not.toThrow();
  });

  test('disableNetworkPolicies also drops the gateway policy', () => {
    const app = new App();
    const chart = new Chart(app, 'argocd');
    new SecureArgoCD(chart, 'ArgoCD', {
      exposure: ArgoCdExposure.gatewayRoute({ host: 'argocd.example.com', gateway: GATEWAY }), disableNetworkPolicies: { reason: 'policies managed elsewhere' }, allowNoInteractiveLogin: { reason: 'API tokens only' },
    });
    expect(Object.values(synthApp(app)).flat().filter((m) => m.kind === 'NetworkPolicy')).toEqual([]);
  });

  test('a wildcard host needs an explicit url that it serves', () => {
    const exposure = ArgoCdExposure.gatewayRoute({ host: '*.argocd.example.com', gateway: GATEWAY, allowWildcardHost: { reason: 'one host per team' } });
    expect(() => platform(exposure)).toThrow(/url: is required with the wildcard host '\*\.argocd\.example\.com'/);
    expect(() => platform(exposure, { url: 'https://a.b.argocd.example.com' })).toThrow(/url: 'https:\/\/a\.b\.argocd\.example\.com' is not served/);
    expect(() => platform(exposure, { url: 'https://cd.argocd.example.com' })).not.toThrow();
  });
});

describe('errors', () => {
  const build = (exposure: ArgoCdExposure, props: Partial<ArgoCdServerExposureProps> = {}) => () => {
    new ArgoCdServerExposure(testChart(), 'exposure', { namespace: 'argocd', exposure, ...props });
  };

  test('no host', () => {
    expect(build(ingress({ host: '' }))).toThrow(/ArgoCdServerExposure 'test\/exposure': host: is required: without a host every name would be served/);
    expect(build(ingress({ host: undefined as any }))).toThrow(/host: is required/);
  });

  test('no TLS, or not an exposure', () => {
    expect(build(ingress({ tls: undefined as any }))).toThrow(/tls: is required: use ArgoCdServerTls/);
    expect(build({ host: 'argocd.example.com' } as any)).toThrow(/exposure: is not an ArgoCdExposure/);
  });

  test.each([
    ['https://argocd.example.com', /has a scheme/],
    ['argocd.example.com/argocd', /has a path/],
    ['argocd.example.com:8443', /has a port/],
    ['10.0.0.1', /is an IP address/],
    ['[::1]', /is an IP address/],
    ['Argocd.Example.com', /is not a DNS name/],
    ['argo_cd.example.com', /is not a DNS name/],
    ['argocd.example.com.', /is not a DNS name/],
    ['*', /is not a DNS name/],
    ['*.example.com', /is a wildcard: .*allowWildcardHost/],
    ['argocd\u2028.example.com', /'argocd\\u2028\.example\.com' is not a DNS name/],
  ])('refuses the host %j on every variant', (host, message) => {
    expect(build(ingress({ host }))).toThrow(message);
    expect(build(ArgoCdExposure.gatewayRoute({ host, gateway: GATEWAY }))).toThrow(message);
    expect(build(ArgoCdExposure.gatewayPassthrough({ host, gateway: GATEWAY, tls: ArgoCdServerTls.fromClusterIssuer('letsencrypt') }))).toThrow(message);
  });

  test('TLS passthrough serves only argocd-server-tls', () => {
    expect(build(ingress({ tls: ArgoCdServerTls.fromExistingSecret('my-cert') })))
      .toThrow(/tls: secret 'my-cert' is never served in TLS passthrough: .*ArgoCdServerTlsMode.REENCRYPT/);
    const passthrough = ArgoCdExposure.gatewayPassthrough({ host: 'argocd.example.com', gateway: GATEWAY, tls: ArgoCdServerTls.fromExistingSecret('my-cert') });
    expect(build(passthrough)).toThrow(/never served in TLS passthrough/);
  });

  test('re-encryption keeps argocd-server-tls for the internal certificate', () => {
    const tls = ArgoCdServerTls.fromExistingSecret('argocd-server-tls');
    expect(build(ingress({ mode: ArgoCdServerTlsMode.REENCRYPT, tls }))).toThrow(/tls: secret 'argocd-server-tls' holds argocd-server's internal certificate/);
  });

  test('invalid names', () => {
    expect(build(ingress({ ingressClassName: 'Nginx' }))).toThrow(/ingressClassName: 'Nginx' is not a DNS-1123 subdomain/);
    expect(build(ingress(), { namespace: 'argo.cd' })).toThrow(/namespace: 'argo.cd' is not a DNS-1123 label/);
    expect(build(ingress({ mode: 'plain' as ArgoCdServerTlsMode }))).toThrow(/mode: "plain" is not a mode/);
  });

  test('invalid TLS names are reported at synth with the exposure\'s path, under tls', () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    new ArgoCdServerExposure(chart, 'exposure', {
      namespace: 'argocd',
      exposure: ArgoCdExposure.ingressNginx({
        host: 'argocd.example.com', mode: ArgoCdServerTlsMode.REENCRYPT, tls: ArgoCdServerTls.fromIssuer('Lets Encrypt', { secretName: 'My Cert' }),
      }),
    });
    expectSynthErrors(app, [
      /ArgoCdServerExposure 'c\/exposure': tls\.secretName: 'My Cert' is not a DNS-1123 subdomain/,
      /ArgoCdServerExposure 'c\/exposure': tls\.issuerName: 'Lets Encrypt' is not a DNS-1123 subdomain/,
    ]);
  });

  test('one synth lists every problem of the Gateway reference', () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    new ArgoCdServerExposure(chart, 'exposure', {
      namespace: 'argocd',
      exposure: ArgoCdExposure.gatewayRoute({
        host: 'argocd.example.com',
        gateway: { name: 'Public', namespace: 'gate.way', sectionName: 'HTTPS', dataPlane: { namespace: 'envoy', podLabels: {} } },
      }),
    });
    expectSynthErrors(app, [
      /gateway\.name: 'Public' is not a DNS-1123 subdomain/,
      /gateway\.namespace: 'gate\.way' is not a DNS-1123 label/,
      /gateway\.sectionName: 'HTTPS'/,
      /gateway\.dataPlane\.podLabels: is empty: it would admit every pod of the namespace/,
    ]);
  });

  test('hostile data plane labels and a Gateway name too long for the default label', () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    const dataPlane = { namespace: 'gateway', podLabels: { 'app\u2028x': 'proxy', 'app': 'a b' } };
    new ArgoCdServerExposure(chart, 'a', { namespace: 'argocd', exposure: ArgoCdExposure.gatewayRoute({ host: 'argocd.example.com', gateway: { ...GATEWAY, dataPlane } }) });
    new ArgoCdServerExposure(chart, 'b', {
      namespace: 'argocd', exposure: ArgoCdExposure.gatewayRoute({ host: 'argocd.example.com', gateway: { name: `g${'a'.repeat(70)}`, namespace: 'gateway' } }),
    });
    const errors = expectSynthErrors(app, [/\[c\/a\] .*gateway\.dataPlane\.podLabels/, /\[c\/b\] .*gateway\.dataPlane: is needed/]);
    expect(errors.join('\n')).toContain('\\u2028');
    expect(errors.join('\n')).not.toContain('\u2028');
  });

  test('property: every host the check accepts is a DNS name Gateway API and Ingress accept', () => {
    const gatewayHostname = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('a', '-', '.', '*', ':', '/', '\u2028', '\n', 'A', '0', ' ', '_') }), (host) => {
      let accepted = true;
      try {
        build(ArgoCdExposure.gatewayRoute({ host, gateway: GATEWAY, allowWildcardHost: { reason: 'one host per team' } }))();
      } catch {
        accepted = false;
      }
      if (accepted) expect(host).toMatch(gatewayHostname);
    }), { numRuns: 300 });
  });
});

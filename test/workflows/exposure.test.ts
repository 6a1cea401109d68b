import { App, Chart } from 'cdk8s';
import { ArgoServerGatewayOptions, ArgoWorkflowsInstallOptions, HardenedWorkflowNamespace, NetworkEndpoint, NetworkPolicySimulator, SecureArgoWorkflows } from '../../src';
import { ACCEPTED_RISKS_ANNOTATION } from '../../src/private/accepted-risks';
import { PlatformConsistency } from '../support/consistency';
import { expectSynthErrors } from '../support/errors';
import { findObject, Manifest, synthApp } from '../support/synth';
import { expectValid } from '../support/validate';

const GATEWAY: ArgoServerGatewayOptions = { host: 'argo.example.com', gateway: { name: 'public', namespace: 'gateway', sectionName: 'https' } };

function platform(install: ArgoWorkflowsInstallOptions, networkPolicies = true): App {
  const app = new App();
  const chart = new Chart(app, 'wf');
  const workflows = new SecureArgoWorkflows(chart, 'Workflows', {
    ...(networkPolicies ? { networkPolicies: { kubernetesApiCidr: '10.0.0.1/32', kubernetesApiPort: 6443 } } : { disableNetworkPolicies: { reason: 'policies managed elsewhere' } }),
    install,
  });
  new HardenedWorkflowNamespace(chart, 'Ci', { workflows, name: 'ci', kubernetesApiCidr: '10.0.0.1/32', kubernetesApiPort: 6443 });
  return app;
}

const objects = (app: App): Manifest[] => Object.values(synthApp(app)).flat();

describe('argo-server through a Gateway', () => {
  const app = platform({ gateway: GATEWAY });
  const all = objects(app);

  test('strictly valid output: an HTTPRoute, a BackendTLSPolicy and no Ingress', () => {
    expectValid(all);
    expect(all.filter((m) => ['Ingress', 'ReferenceGrant', 'TLSRoute'].includes(m.kind))).toEqual([]);
  });

  test('the route resolves to the Service and its port; the policy targets that port by name', () => {
    const route = findObject(all, 'HTTPRoute', 'argo-server');
    expect(route.spec.hostnames).toEqual(['argo.example.com']);
    expect(route.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', namespace: 'gateway', sectionName: 'https' }]);
    const backend = route.spec.rules[0].backendRefs[0];
    const service = findObject(all, 'Service', backend.name);
    expect(service.metadata.namespace).toBe(route.metadata.namespace);
    const port = service.spec.ports.find((p: { port: number }) => p.port === backend.port);
    expect(port.name).toBe(findObject(all, 'BackendTLSPolicy', 'argo-server').spec.targetRefs[0].sectionName);
    const walker = new PlatformConsistency(all);
    expect(walker.serviceProblems()).toEqual([]);
    expect(walker.backendTlsProblems()).toEqual([]);
    const policyTo = (name: string) => all.map((m) => (m.kind === 'BackendTLSPolicy'
      ? { ...m, spec: { ...m.spec, targetRefs: [{ ...m.spec.targetRefs[0], sectionName: name }] } } : m));
    expect(new PlatformConsistency(policyTo('https')).backendTlsProblems()).toEqual(['BackendTLSPolicy argo/argo-server: Service argo-server has no port https']);
  });

  test('the Gateway verifies argo-server against the CA of its internal certificate, for the name on it', () => {
    const policy = findObject(all, 'BackendTLSPolicy', 'argo-server');
    expect(policy.spec.validation).toEqual({ caCertificateRefs: [{ group: '', kind: 'Secret', name: 'argo-server-tls' }], hostname: 'argo-server.argo.svc' });
    const cert = findObject(all, 'Certificate', 'argo-server-tls');
    expect(cert.spec.issuerRef.name).toBe('argo-workflows-ca');
    expect(cert.spec.dnsNames).toContain('argo-server.argo.svc');
    const server = findObject(all, 'Deployment', 'argo-server').spec.template.spec.containers[0];
    expect(server.args).toContain('--tls-certificate-secret-name=argo-server-tls');
  });

  test('only the gateway\'s proxies reach argo-server: not the ingress controller, not another namespace, not another port', () => {
    const sim = NetworkPolicySimulator.fromApp(app);
    const server = sim.workload('argo', 'argo-server');
    const proxy = NetworkEndpoint.pod({ namespace: 'gateway', labels: { 'gateway.networking.k8s.io/gateway-name': 'public' } });
    expect(sim.check(proxy, server, 2746).explanation).toMatch(/^Allowed/);
    expect(sim.canReach(proxy, server, 9090)).toBe(false);
    expect(sim.canReach(NetworkEndpoint.pod({ namespace: 'ingress-nginx', labels: { 'app.kubernetes.io/name': 'ingress-nginx' } }), server, 2746)).toBe(false);
    expect(sim.canReach(NetworkEndpoint.pod({ namespace: 'ci', labels: { 'gateway.networking.k8s.io/gateway-name': 'public' } }), server, 2746)).toBe(false);
    expect(sim.canReach(proxy, sim.workload('argo', 'workflow-controller'), 9090)).toBe(false);
  });

  test('without NetworkPolicies, none for the gateway either', () => {
    const policies = objects(platform({ gateway: GATEWAY }, false)).filter((m) => m.kind === 'NetworkPolicy').map((m) => m.metadata.name);
    expect(policies).not.toContain('argo-server-from-gateway');
  });
});

describe('argo-server through ingress-nginx (the same verifying Ingress as Argo CD)', () => {
  test('the ingress controller still reaches argo-server', () => {
    const app = platform({ ingress: { host: 'argo.example.com' } });
    expectValid(objects(app));
    const sim = NetworkPolicySimulator.fromApp(app);
    expect(sim.canReach(NetworkEndpoint.pod({ namespace: 'ingress-nginx', labels: {} }), sim.workload('argo', 'argo-server'), 2746)).toBe(true);
  });
});

describe('errors', () => {
  test('one synth lists every problem', () => {
    expectSynthErrors(platform({
      internalTls: false,
      gateway: { host: '*.argo.example.com', gateway: { name: 'public', namespace: 'Gate way', dataPlane: { namespace: 'envoy', podLabels: { app: 'a\u2028b' } } } },
    }), [
      /install\.gateway\.host: '\*\.argo\.example\.com' is a wildcard/,
      /install\.gateway\.gateway\.namespace: 'Gate way' is not a DNS-1123 label/,
      /install\.gateway\.gateway\.dataPlane\.podLabels\['app'\]: .*\\u2028/,
      /install\.gateway: needs internalTls/,
    ]);
  });

  test('a Gateway and an Ingress together', () => {
    expectSynthErrors(platform({ gateway: GATEWAY, ingress: { host: 'argo.example.com' } }), [/install\.gateway: is set together with install\.ingress: choose one/]);
  });

  test('a wildcard host on opt-in', () => {
    const app = platform({ gateway: { ...GATEWAY, host: '*.argo.example.com', allowWildcardHost: { reason: 'one host per team' } } });
    expect(findObject(objects(app), 'HTTPRoute').spec.hostnames).toEqual(['*.argo.example.com']);
    expect(findObject(objects(app), 'HTTPRoute').metadata.annotations[ACCEPTED_RISKS_ANNOTATION]).toBe('install.gateway.allowWildcardHost: one host per team');
  });

  test('a wildcard reason is checked whatever the host, and recorded only with a wildcard host', () => {
    const app = platform({ gateway: { ...GATEWAY, allowWildcardHost: { reason: 'one host per team' } } });
    expect(findObject(objects(app), 'HTTPRoute').metadata.annotations?.[ACCEPTED_RISKS_ANNOTATION]).toBeUndefined();
    expectSynthErrors(platform({ gateway: { ...GATEWAY, allowWildcardHost: { reason: 'one host\u2028injected: line' } } }), [
      /install\.gateway\.allowWildcardHost\.reason: .*say in one line why every name under the domain reaches argo-server/,
    ]);
  });
});

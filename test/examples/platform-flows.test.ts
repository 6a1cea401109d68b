// The network flows of Argo CD, as data, answered by the library's NetworkPolicySimulator from the
// synthesized objects: the flows Argo CD needs are allowed, the others denied. The installs: the
// example platform (direct OIDC, NodeLocal DNSCache, vault plugin), the Dex install of
// examples/argocd.ts, one with `allowAnyRepositoryHost`, the remote destination clusters of
// examples/clusters.ts, and the Gateway API exposure of examples/argocd.ts.
import { Chart, Testing } from 'cdk8s';
import { variants } from '../../examples/argocd';
import { ArgoCdRelease, NetworkEndpoint, NetworkPolicySimulator, NetworkProtocol, SecureArgoCD } from '../../src';
import { Manifest, synth, synthApp } from '../support/synth';

/** A connection: endpoints are looked up in the simulator of the install under test. */
interface Flow {
  readonly from: (sim: NetworkPolicySimulator) => NetworkEndpoint;
  readonly to: (sim: NetworkPolicySimulator) => NetworkEndpoint;
  readonly port: number;
  readonly protocol?: NetworkProtocol;
}

/** The pods of an Argo CD workload (Deployment or StatefulSet) in `argocd`. */
const argocd = (name: string) => (sim: NetworkPolicySimulator) => sim.workload('argocd', name);
const pod = (namespace: string, labels: Record<string, string>) => () => NetworkEndpoint.pod({ namespace, labels });
const address = (ip: string) => () => NetworkEndpoint.address(ip);

const DNS = pod('kube-system', { 'k8s-app': 'kube-dns' });
const INGRESS_CONTROLLER = pod('ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' });
const OTHER_NAMESPACE = pod('production', { app: 'web' });
/** cert-manager's HTTP-01 solver pod for the Ingress certificate (letsencrypt-prod). */
const SOLVER = pod('argocd', { 'acme.cert-manager.io/http01-solver': 'true' });
const METADATA = address('169.254.169.254');
const UDP = NetworkProtocol.UDP;
/** How the simulator describes the pods of Argo CD's workloads. */
const ARGOCD_POD = /^(Deployment|StatefulSet) argocd\//;

/** The components that resolve names (Redis resolves none: its secret-init reaches the API by address). */
const COMPONENTS = ['argocd-server', 'argocd-repo-server', 'argocd-application-controller', 'argocd-notifications-controller',
  'argocd-applicationset-controller'];

/** Flows that hold in every install with the examples' settings (API 10.0.0.x:6443, GitHub, audit webhook). */
function commonFlows(api: string): { required: [string, Flow][]; forbidden: [string, Flow][] } {
  const API = address(api);
  return {
    required: [
      ['UI/API through the ingress controller', { from: INGRESS_CONTROLLER, to: argocd('argocd-server'), port: 8080 }],
      ['server -> repo-server', { from: argocd('argocd-server'), to: argocd('argocd-repo-server'), port: 8081 }],
      ['server -> redis', { from: argocd('argocd-server'), to: argocd('argocd-redis'), port: 6379 }],
      ['server -> API', { from: argocd('argocd-server'), to: API, port: 6443 }],
      ['controller -> repo-server', { from: argocd('argocd-application-controller'), to: argocd('argocd-repo-server'), port: 8081 }],
      ['controller -> redis', { from: argocd('argocd-application-controller'), to: argocd('argocd-redis'), port: 6379 }],
      ['controller -> API', { from: argocd('argocd-application-controller'), to: API, port: 6443 }],
      ['repo-server -> redis', { from: argocd('argocd-repo-server'), to: argocd('argocd-redis'), port: 6379 }],
      ['repo-server -> GitHub', { from: argocd('argocd-repo-server'), to: address('140.82.112.3'), port: 443 }],
      ['notifications -> webhook', { from: argocd('argocd-notifications-controller'), to: address('203.0.113.10'), port: 443 }],
      ['notifications -> repo-server', { from: argocd('argocd-notifications-controller'), to: argocd('argocd-repo-server'), port: 8081 }],
      ['ingress controller -> ACME HTTP-01 solver', { from: INGRESS_CONTROLLER, to: SOLVER, port: 8089 }],
      ['redis secret-init -> API', { from: argocd('argocd-redis'), to: API, port: 6443 }],
      ...COMPONENTS.map((c): [string, Flow] => [`${c} -> DNS`, { from: argocd(c), to: DNS, port: 53, protocol: UDP }]),
      ...COMPONENTS.map((c): [string, Flow] => [`${c} -> DNS over TCP`, { from: argocd(c), to: DNS, port: 53 }]),
    ],
    forbidden: [
      ['a pod of another namespace -> redis', { from: OTHER_NAMESPACE, to: argocd('argocd-redis'), port: 6379 }],
      ['a pod of another namespace -> repo-server', { from: OTHER_NAMESPACE, to: argocd('argocd-repo-server'), port: 8081 }],
      ['a pod of another namespace -> argocd-server, bypassing the ingress', { from: OTHER_NAMESPACE, to: argocd('argocd-server'), port: 8080 }],
      ['a pod of another namespace -> ACME HTTP-01 solver', { from: OTHER_NAMESPACE, to: SOLVER, port: 8089 }],
      ...[...COMPONENTS, 'argocd-redis'].map((c): [string, Flow] => [`${c} -> cloud metadata`, { from: argocd(c), to: METADATA, port: 80 }]),
      ['redis -> DNS', { from: argocd('argocd-redis'), to: DNS, port: 53, protocol: UDP }],
      ['repo-server -> API', { from: argocd('argocd-repo-server'), to: API, port: 6443 }],
      ['repo-server -> a private address', { from: argocd('argocd-repo-server'), to: address('10.20.30.40'), port: 443 }],
      ['redis -> the internet', { from: argocd('argocd-redis'), to: address('140.82.112.3'), port: 443 }],
      ['notifications -> redis', { from: argocd('argocd-notifications-controller'), to: argocd('argocd-redis'), port: 6379 }],
      ['ingress controller -> server metrics port (only monitoring scrapes it)', { from: INGRESS_CONTROLLER, to: argocd('argocd-server'), port: 8083 }],
    ],
  };
}

function flowTests(name: string, manifests: () => Manifest[], required: [string, Flow][], forbidden: [string, Flow][]): void {
  describe(name, () => {
    let sim: NetworkPolicySimulator;
    beforeAll(() => {
      sim = NetworkPolicySimulator.fromManifests(manifests());
    });
    const explain = (flow: Flow) => sim.check(flow.from(sim), flow.to(sim), flow.port, flow.protocol);
    test.each(required)('allowed: %s', (_, flow) => {
      const decision = explain(flow);
      expect(decision.allowed ? 'allowed' : decision.explanation).toBe('allowed');
      // Argo CD's namespace is default-deny: an allowed flow is allowed by a rule, not by absence of policies.
      if (ARGOCD_POD.test(flow.from(sim).description)) expect(decision.egress.isolated).toBe(true);
      if (ARGOCD_POD.test(flow.to(sim).description)) expect(decision.ingress.isolated).toBe(true);
    });
    test.each(forbidden)('denied: %s', (_, flow) => {
      const decision = explain(flow);
      expect(decision.allowed ? decision.explanation : 'denied').toBe('denied');
    });
  });
}

const platform = commonFlows('10.0.0.10');
flowTests('Argo CD flows of the example platform', () => {
  const app = Testing.app();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('../../examples/platform').build(app);
  return synthApp(app)['platform-argocd'];
}, [
  ...platform.required,
  ['server -> OIDC provider', { from: argocd('argocd-server'), to: address('198.51.100.20'), port: 443 }],
  ['repo-server -> Vault (plugin)', { from: argocd('argocd-repo-server'), to: address('198.51.100.40'), port: 8200 }],
  ...COMPONENTS.map((c): [string, Flow] => [`${c} -> NodeLocal DNSCache`, { from: argocd(c), to: address('169.254.20.10'), port: 53, protocol: UDP }]),
], [
  ...platform.forbidden,
  ['repo-server -> GitHub on another port', { from: argocd('argocd-repo-server'), to: address('140.82.112.3'), port: 22 }],
  ['NodeLocal DNSCache on another port', { from: argocd('argocd-server'), to: address('169.254.20.10'), port: 80 }],
]);

const dex = commonFlows('10.0.0.1');
flowTests('Argo CD flows with Dex (examples/argocd.ts, chart argocd-dex)', () => {
  const app = Testing.app();
  variants.dex(app);
  return synthApp(app)['argocd-dex'];
}, [
  ...dex.required,
  ['server -> dex (HTTP)', { from: argocd('argocd-server'), to: argocd('argocd-dex-server'), port: 5556 }],
  ['server -> dex (gRPC)', { from: argocd('argocd-server'), to: argocd('argocd-dex-server'), port: 5557 }],
  ['dex -> GitHub', { from: argocd('argocd-dex-server'), to: address('140.82.112.3'), port: 443 }],
  ['dex -> LDAP', { from: argocd('argocd-dex-server'), to: address('192.0.2.10'), port: 636 }],
  ['dex -> DNS', { from: argocd('argocd-dex-server'), to: DNS, port: 53, protocol: UDP }],
], [
  ...dex.forbidden,
  ['a pod of another namespace -> dex', { from: OTHER_NAMESPACE, to: argocd('argocd-dex-server'), port: 5556 }],
  ['repo-server -> dex', { from: argocd('argocd-repo-server'), to: argocd('argocd-dex-server'), port: 5557 }],
  ['dex -> cloud metadata', { from: argocd('argocd-dex-server'), to: METADATA, port: 80 }],
]);

const api = address('10.0.0.1');
flowTests('Argo CD flows with allowAnyRepositoryHost', () => {
  const chart = new Chart(Testing.app(), 'any-host');
  new SecureArgoCD(chart, 'ArgoCD', {
    install: { release: ArgoCdRelease.V3_5_1 },
    enableLocalAdmin: true,
    networkPolicies: { kubernetesApi: { cidrs: ['10.0.0.1/32'], ports: [6443] }, allowAnyRepositoryHost: { reason: 'repositories on many public hosts' } },
  });
  return synth(chart);
}, [
  ['repo-server -> any public Git host on 443', { from: argocd('argocd-repo-server'), to: address('140.82.112.3'), port: 443 }],
  ['repo-server -> a public IPv6 Git host on 443', { from: argocd('argocd-repo-server'), to: address('2606:50c0:8000::153'), port: 443 }],
  ['controller -> API', { from: argocd('argocd-application-controller'), to: api, port: 6443 }],
], [
  ...['10.20.30.40', '172.16.0.5', '192.168.1.1', '100.64.0.1', '127.0.0.1', 'fd00::1', 'fe80::1', '::ffff:10.0.0.1']
    .map((ip): [string, Flow] => [`repo-server -> private ${ip}`, { from: argocd('argocd-repo-server'), to: address(ip), port: 443 }]),
  ['repo-server -> cloud metadata', { from: argocd('argocd-repo-server'), to: METADATA, port: 80 }],
  ['repo-server -> cloud metadata on 443', { from: argocd('argocd-repo-server'), to: METADATA, port: 443 }],
  ['repo-server -> a public host on another port', { from: argocd('argocd-repo-server'), to: address('140.82.112.3'), port: 8443 }],
  ['repo-server -> the API server', { from: argocd('argocd-repo-server'), to: api, port: 6443 }],
]);


flowTests('Argo CD flows to remote destination clusters (examples/clusters.ts)', () => {
  const app = Testing.app();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('../../examples/clusters').build(app);
  return synthApp(app)['clusters-argocd'];
}, [
  ['controller -> EKS API (prod)', { from: argocd('argocd-application-controller'), to: address('203.0.113.70'), port: 443 }],
  ['server -> EKS API (prod), for logs and resource actions', { from: argocd('argocd-server'), to: address('203.0.113.70'), port: 443 }],
  ['controller -> edge API', { from: argocd('argocd-application-controller'), to: address('192.0.2.50'), port: 6443 }],
  ['server -> edge API', { from: argocd('argocd-server'), to: address('192.0.2.50'), port: 6443 }],
  ['controller -> EKS Pod Identity agent', { from: argocd('argocd-application-controller'), to: address('169.254.170.23'), port: 80 }],
  ['server -> EKS Pod Identity agent', { from: argocd('argocd-server'), to: address('169.254.170.23'), port: 80 }],
  ['controller -> AWS STS (assumes the cluster role)', { from: argocd('argocd-application-controller'), to: address('52.94.1.10'), port: 443 }],
], [
  ['repo-server -> edge API (manifests are rendered without cluster access)', { from: argocd('argocd-repo-server'), to: address('192.0.2.50'), port: 6443 }],
  ['notifications -> edge API', { from: argocd('argocd-notifications-controller'), to: address('192.0.2.50'), port: 6443 }],
  ['controller -> edge on another port', { from: argocd('argocd-application-controller'), to: address('192.0.2.50'), port: 22 }],
  ['controller -> cloud metadata', { from: argocd('argocd-application-controller'), to: METADATA, port: 80 }],
  ['repo-server -> EKS Pod Identity agent', { from: argocd('argocd-repo-server'), to: address('169.254.170.23'), port: 80 }],
  ['applicationset controller -> EKS Pod Identity agent', { from: argocd('argocd-applicationset-controller'), to: address('169.254.170.23'), port: 80 }],
  ['repo-server -> AWS STS', { from: argocd('argocd-repo-server'), to: address('52.94.1.10'), port: 443 }],
  ['repo-server -> cloud metadata', { from: argocd('argocd-repo-server'), to: METADATA, port: 80 }],
]);

/** The proxy pods of the shared Gateway `gateway/public` (examples/argocd.ts). */
const GATEWAY = pod('gateway', { 'gateway.networking.k8s.io/gateway-name': 'public' });
flowTests('Argo CD flows through the Gateway (examples/argocd.ts, chart argocd-keycloak)', () => {
  const app = Testing.app();
  variants.keycloak(app);
  return synthApp(app)['argocd-keycloak'];
}, [
  ['UI/API through the Gateway', { from: GATEWAY, to: argocd('argocd-server'), port: 8080 }],
  ['server -> OIDC provider', { from: argocd('argocd-server'), to: address('198.51.100.20'), port: 443 }],
], [
  ['another pod of the Gateway\'s namespace -> argocd-server', { from: pod('gateway', { app: 'other' }), to: argocd('argocd-server'), port: 8080 }],
  ['a pod of another Gateway -> argocd-server', { from: pod('gateway', { 'gateway.networking.k8s.io/gateway-name': 'internal' }), to: argocd('argocd-server'), port: 8080 }],
  ['the Gateway -> repo-server', { from: GATEWAY, to: argocd('argocd-repo-server'), port: 8081 }],
  ['the Gateway -> server metrics', { from: GATEWAY, to: argocd('argocd-server'), port: 8083 }],
]);

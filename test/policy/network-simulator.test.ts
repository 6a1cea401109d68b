// The NetworkPolicy simulator against the specification (networking.k8s.io/v1, Kubernetes
// 1.28: the field descriptions of NetworkPolicySpec, NetworkPolicyIngressRule/EgressRule,
// NetworkPolicyPeer, NetworkPolicyPort and IPBlock), one case per row.
import { NetworkEndpoint, NetworkPolicySimulator, NetworkProtocol } from '../../src';

type Labels = { [key: string]: string };

function np(namespace: string, name: string, spec: object): object {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec };
}

function ns(name: string, labels: Labels = {}): object {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

interface PodExtra {
  readonly ports?: { name?: string; port: number; protocol?: NetworkProtocol }[];
  readonly ip?: string;
  readonly namespaceLabels?: Labels;
}

function pod(namespace: string, labels: Labels = {}, extra: PodExtra = {}): NetworkEndpoint {
  return NetworkEndpoint.pod({ namespace, labels, ...extra });
}

const DENY_INGRESS = (n: string) => np(n, 'deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] });
const DENY_EGRESS = (n: string) => np(n, 'deny-egress', { podSelector: {}, policyTypes: ['Egress'] });
const DENY_ALL = (n: string) => np(n, 'deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
const WEB = { app: 'web' };
const CLIENT = { role: 'client' };
const ingressTo = (n: string, from: object[] | undefined, ports?: object[], name = 'allow') =>
  np(n, name, { podSelector: { matchLabels: WEB }, policyTypes: ['Ingress'], ingress: [{ ...(from === undefined ? {} : { from }), ...(ports ? { ports } : {}) }] });
const egressFrom = (n: string, to: object[] | undefined, ports?: object[], name = 'egress') =>
  np(n, name, { podSelector: { matchLabels: CLIENT }, policyTypes: ['Egress'], egress: [{ ...(to === undefined ? {} : { to }), ...(ports ? { ports } : {}) }] });

interface Case {
  readonly name: string;
  readonly objects: object[];
  readonly from: NetworkEndpoint;
  readonly to: NetworkEndpoint;
  readonly port: number;
  readonly protocol?: NetworkProtocol;
  readonly allowed: boolean;
  /** Text the explanation must contain. */
  readonly because?: string;
}

const a = (labels: Labels = CLIENT, extra = {}) => pod('a', labels, extra);
const b = (labels: Labels = WEB, extra = {}) => pod('b', labels, extra);

const CASES: Case[] = [
  // Isolation and policyTypes defaults
  { name: 'no policies: everything is allowed', objects: [], from: a(), to: b(), port: 80, allowed: true, because: 'not isolated' },
  { name: 'a policy in another namespace does not isolate the pod', objects: [DENY_ALL('c')], from: a(), to: b(), port: 80, allowed: true },
  { name: 'ingress default deny', objects: [DENY_INGRESS('b')], from: a(), to: b(), port: 80, allowed: false, because: 'isolated by b/deny-ingress' },
  { name: 'ingress default deny does not limit the pod\'s own egress', objects: [DENY_INGRESS('a')], from: a(), to: b(), port: 80, allowed: true },
  { name: 'unset policyTypes and no rules: Ingress only, so ingress is denied', objects: [np('b', 'p', { podSelector: {} })], from: a(), to: b(), port: 80, allowed: false },
  { name: 'unset policyTypes and no rules: egress is not isolated', objects: [np('a', 'p', { podSelector: {} })], from: a(), to: b(), port: 80, allowed: true },
  { name: 'unset policyTypes with egress rules: egress is isolated too', objects: [np('a', 'p', { podSelector: {}, egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] })], from: a(), to: b(), port: 80, allowed: false, because: 'no egress rule allows' },
  { name: 'unset policyTypes with egress rules: the matching egress passes', objects: [np('a', 'p', { podSelector: {}, egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] })], from: a(), to: b(), port: 53, protocol: NetworkProtocol.UDP, allowed: true },
  { name: 'unset policyTypes with egress rules also isolates ingress', objects: [np('b', 'p', { podSelector: {}, egress: [{}] })], from: a(), to: b(), port: 80, allowed: false },
  { name: 'unset policyTypes with egress: [] is Ingress only (an empty list is no egress section)', objects: [np('a', 'p', { podSelector: {}, egress: [] })], from: a(), to: b(), port: 80, allowed: true },
  { name: 'policyTypes [Egress] without rules denies egress', objects: [DENY_EGRESS('a')], from: a(), to: b(), port: 80, allowed: false },
  { name: 'policyTypes [Egress] ignores ingress rules: ingress stays open', objects: [np('b', 'p', { podSelector: {}, policyTypes: ['Egress'], ingress: [{ from: [{ podSelector: { matchLabels: { none: 'x' } } }] }] })], from: a(), to: b(), port: 80, allowed: true },
  { name: 'policyTypes [Ingress] ignores egress rules: egress stays open', objects: [np('a', 'p', { podSelector: {}, policyTypes: ['Ingress'], egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }] })], from: a(), to: b(), port: 80, allowed: true },
  { name: 'a policy whose podSelector does not match leaves the pod open', objects: [np('b', 'p', { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'] })], from: a(), to: b(), port: 80, allowed: true },
  { name: 'ingress: [] with Ingress denies everything', objects: [np('b', 'p', { podSelector: {}, policyTypes: ['Ingress'], ingress: [] })], from: a(), to: b(), port: 80, allowed: false },

  // Rules: empty versus absent peers and ports
  { name: 'a rule with neither from nor ports allows every source on every port', objects: [DENY_INGRESS('b'), ingressTo('b', undefined)], from: a(), to: b(), port: 9999, allowed: true, because: 'b/allow ingress[0]' },
  { name: 'from: [] allows every source, like an absent from', objects: [DENY_INGRESS('b'), ingressTo('b', [])], from: pod('z'), to: b(), port: 80, allowed: true },
  { name: 'ports only: any source on that port', objects: [ingressTo('b', undefined, [{ port: 80 }])], from: pod('z'), to: b(), port: 80, allowed: true },
  { name: 'ports only: another port is denied', objects: [ingressTo('b', undefined, [{ port: 80 }])], from: pod('z'), to: b(), port: 81, allowed: false },
  { name: 'ports: [] allows every port', objects: [ingressTo('b', [{ podSelector: {} }], [])], from: pod('b', {}), to: b(), port: 12345, allowed: true },

  // Peers: podSelector, namespaceSelector, both, or two peers
  { name: 'podSelector alone: matching pod of the policy\'s namespace', objects: [ingressTo('b', [{ podSelector: { matchLabels: CLIENT } }])], from: pod('b', CLIENT), to: b(), port: 80, allowed: true },
  { name: 'podSelector alone: the same labels in another namespace do not match', objects: [ingressTo('b', [{ podSelector: { matchLabels: CLIENT } }])], from: a(), to: b(), port: 80, allowed: false },
  { name: 'namespaceSelector alone: every pod of a matching namespace', objects: [ns('a', { team: 'x' }), ingressTo('b', [{ namespaceSelector: { matchLabels: { team: 'x' } } }])], from: a({ any: 'pod' }), to: b(), port: 80, allowed: true },
  { name: 'namespaceSelector alone: a namespace without the label does not match', objects: [ns('a', { team: 'y' }), ingressTo('b', [{ namespaceSelector: { matchLabels: { team: 'x' } } }])], from: a(), to: b(), port: 80, allowed: false },
  { name: 'namespaceSelector alone does not include the policy\'s own namespace unless it matches', objects: [ns('b'), ingressTo('b', [{ namespaceSelector: { matchLabels: { team: 'x' } } }])], from: pod('b', CLIENT), to: b(), port: 80, allowed: false },
  { name: 'one peer with both selectors (AND): matching pod in matching namespace', objects: [ns('a', { team: 'x' }), ingressTo('b', [{ namespaceSelector: { matchLabels: { team: 'x' } }, podSelector: { matchLabels: CLIENT } }])], from: a(), to: b(), port: 80, allowed: true },
  { name: 'one peer with both selectors (AND): matching pod in another namespace is denied', objects: [ns('a', { team: 'y' }), ingressTo('b', [{ namespaceSelector: { matchLabels: { team: 'x' } }, podSelector: { matchLabels: CLIENT } }])], from: a(), to: b(), port: 80, allowed: false },
  { name: 'one peer with both selectors (AND): other pod in the matching namespace is denied', objects: [ns('a', { team: 'x' }), ingressTo('b', [{ namespaceSelector: { matchLabels: { team: 'x' } }, podSelector: { matchLabels: CLIENT } }])], from: a({ role: 'other' }), to: b(), port: 80, allowed: false },
  { name: 'two peers (OR): any pod of the matching namespace', objects: [ns('a', { team: 'x' }), ingressTo('b', [{ namespaceSelector: { matchLabels: { team: 'x' } } }, { podSelector: { matchLabels: CLIENT } }])], from: a({ role: 'other' }), to: b(), port: 80, allowed: true },
  { name: 'two peers (OR): the labelled pod of the policy\'s own namespace', objects: [ns('b'), ingressTo('b', [{ namespaceSelector: { matchLabels: { team: 'x' } } }, { podSelector: { matchLabels: CLIENT } }])], from: pod('b', CLIENT), to: b(), port: 80, allowed: true },
  { name: 'two peers (OR): the labelled pod of a third namespace is denied', objects: [ns('c', { team: 'y' }), ingressTo('b', [{ namespaceSelector: { matchLabels: { team: 'x' } } }, { podSelector: { matchLabels: CLIENT } }])], from: pod('c', CLIENT), to: b(), port: 80, allowed: false },
  { name: 'namespaceSelector: {} with a podSelector selects the pods in every namespace', objects: [ingressTo('b', [{ namespaceSelector: {}, podSelector: { matchLabels: CLIENT } }])], from: pod('anywhere', CLIENT), to: b(), port: 80, allowed: true },
  { name: 'podSelector: {} alone selects every pod of the policy\'s namespace', objects: [ingressTo('b', [{ podSelector: {} }])], from: pod('b', { x: 'y' }), to: b(), port: 80, allowed: true },
  { name: 'podSelector: {} alone does not select pods of other namespaces', objects: [ingressTo('b', [{ podSelector: {} }])], from: a(), to: b(), port: 80, allowed: false },
  { name: 'kubernetes.io/metadata.name is set on every namespace', objects: [ingressTo('b', [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'a' } } }])], from: a(), to: b(), port: 80, allowed: true },
  { name: 'namespace labels given with the pod count', objects: [ingressTo('b', [{ namespaceSelector: { matchLabels: { env: 'prod' } } }])], from: a(CLIENT, { namespaceLabels: { env: 'prod' } }), to: b(), port: 80, allowed: true },
  { name: 'a peer with no selector and no ipBlock matches nothing', objects: [ingressTo('b', [{}])], from: pod('b'), to: b(), port: 80, allowed: false },

  // Label selector operators
  { name: 'In: a listed value matches', objects: [ingressTo('b', [{ podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe', 'be'] }] } }])], from: pod('b', { tier: 'be' }), to: b(), port: 80, allowed: true },
  { name: 'In: another value does not match', objects: [ingressTo('b', [{ podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe'] }] } }])], from: pod('b', { tier: 'be' }), to: b(), port: 80, allowed: false },
  { name: 'NotIn: a pod without the label matches', objects: [ingressTo('b', [{ podSelector: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['fe'] }] } }])], from: pod('b', {}), to: b(), port: 80, allowed: true },
  { name: 'NotIn: a listed value does not match', objects: [ingressTo('b', [{ podSelector: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['fe'] }] } }])], from: pod('b', { tier: 'fe' }), to: b(), port: 80, allowed: false },
  { name: 'Exists: any value matches, the empty one too', objects: [ingressTo('b', [{ podSelector: { matchExpressions: [{ key: 'workflows.argoproj.io/workflow', operator: 'Exists' }] } }])], from: pod('b', { 'workflows.argoproj.io/workflow': '' }), to: b(), port: 80, allowed: true },
  { name: 'DoesNotExist: a pod with the label does not match', objects: [ingressTo('b', [{ podSelector: { matchExpressions: [{ key: 'canary', operator: 'DoesNotExist' }] } }])], from: pod('b', { canary: 'true' }), to: b(), port: 80, allowed: false },
  { name: 'DoesNotExist: a pod without the label matches', objects: [ingressTo('b', [{ podSelector: { matchExpressions: [{ key: 'canary', operator: 'DoesNotExist' }] } }])], from: pod('b', {}), to: b(), port: 80, allowed: true },
  { name: 'matchLabels "" matches only an empty value, not any value', objects: [ingressTo('b', [{ podSelector: { matchLabels: { 'workflows.argoproj.io/workflow': '' } } }])], from: pod('b', { 'workflows.argoproj.io/workflow': 'build-x7' }), to: b(), port: 80, allowed: false },
  { name: 'matchLabels and matchExpressions are ANDed', objects: [ingressTo('b', [{ podSelector: { matchLabels: CLIENT, matchExpressions: [{ key: 'tier', operator: 'Exists' }] } }])], from: pod('b', CLIENT), to: b(), port: 80, allowed: false },

  // Ports and protocols
  { name: 'protocol defaults to TCP: UDP on the same port is denied', objects: [ingressTo('b', undefined, [{ port: 53 }])], from: a(), to: b(), port: 53, protocol: NetworkProtocol.UDP, allowed: false },
  { name: 'a UDP port allows UDP', objects: [ingressTo('b', undefined, [{ port: 53, protocol: 'UDP' }])], from: a(), to: b(), port: 53, protocol: NetworkProtocol.UDP, allowed: true },
  { name: 'an SCTP port allows SCTP only', objects: [ingressTo('b', undefined, [{ port: 3868, protocol: 'SCTP' }])], from: a(), to: b(), port: 3868, protocol: NetworkProtocol.TCP, allowed: false },
  { name: 'a protocol without a port allows every port of that protocol', objects: [ingressTo('b', undefined, [{ protocol: 'UDP' }])], from: a(), to: b(), port: 5000, protocol: NetworkProtocol.UDP, allowed: true },
  { name: 'a protocol without a port does not allow other protocols', objects: [ingressTo('b', undefined, [{ protocol: 'UDP' }])], from: a(), to: b(), port: 5000, allowed: false },
  { name: 'endPort: inside the range', objects: [ingressTo('b', undefined, [{ port: 32000, endPort: 32768 }])], from: a(), to: b(), port: 32100, allowed: true },
  { name: 'endPort: the end is inclusive', objects: [ingressTo('b', undefined, [{ port: 32000, endPort: 32768 }])], from: a(), to: b(), port: 32768, allowed: true },
  { name: 'endPort: outside the range', objects: [ingressTo('b', undefined, [{ port: 32000, endPort: 32768 }])], from: a(), to: b(), port: 32769, allowed: false },
  { name: 'a named port resolves on the destination pod', objects: [ingressTo('b', undefined, [{ port: 'http' }])], from: a(), to: b(WEB, { ports: [{ name: 'http', port: 8080 }] }), port: 8080, allowed: true },
  { name: 'a named port does not match another number', objects: [ingressTo('b', undefined, [{ port: 'http' }])], from: a(), to: b(WEB, { ports: [{ name: 'http', port: 8080 }] }), port: 80, allowed: false },
  { name: 'a named port needs the same protocol', objects: [ingressTo('b', undefined, [{ port: 'dns' }])], from: a(), to: b(WEB, { ports: [{ name: 'dns', port: 53, protocol: NetworkProtocol.UDP }] }), port: 53, allowed: false },
  { name: 'a named port the destination does not declare matches nothing', objects: [ingressTo('b', undefined, [{ port: 'http' }])], from: a(), to: b(), port: 8080, allowed: false },
  { name: 'a named port in an egress rule resolves on the destination pod', objects: [egressFrom('a', undefined, [{ port: 'metrics' }])], from: a(), to: b(WEB, { ports: [{ name: 'metrics', port: 9090 }] }), port: 9090, allowed: true },
  { name: 'a named port in an egress rule never matches an address', objects: [egressFrom('a', undefined, [{ port: 'https' }])], from: a(), to: NetworkEndpoint.address('203.0.113.5'), port: 443, allowed: false },

  // ipBlock
  { name: 'egress to an address inside the block', objects: [egressFrom('a', [{ ipBlock: { cidr: '203.0.113.0/24' } }])], from: a(), to: NetworkEndpoint.address('203.0.113.5'), port: 443, allowed: true },
  { name: 'except carves addresses out of the block', objects: [egressFrom('a', [{ ipBlock: { cidr: '203.0.113.0/24', except: ['203.0.113.0/28'] } }])], from: a(), to: NetworkEndpoint.address('203.0.113.5'), port: 443, allowed: false },
  { name: 'except leaves the rest of the block', objects: [egressFrom('a', [{ ipBlock: { cidr: '203.0.113.0/24', except: ['203.0.113.0/28'] } }])], from: a(), to: NetworkEndpoint.address('203.0.113.20'), port: 443, allowed: true },
  { name: 'an address outside the block is denied', objects: [egressFrom('a', [{ ipBlock: { cidr: '203.0.113.0/24' } }])], from: a(), to: NetworkEndpoint.address('198.51.100.1'), port: 443, allowed: false },
  { name: 'the bits after the prefix are ignored, as Go parses CIDRs', objects: [egressFrom('a', [{ ipBlock: { cidr: '10.1.2.3/8' } }])], from: a(), to: NetworkEndpoint.address('10.200.0.1'), port: 443, allowed: true },
  { name: 'IPv6 blocks match IPv6 addresses', objects: [egressFrom('a', [{ ipBlock: { cidr: '2001:db8::/32' } }])], from: a(), to: NetworkEndpoint.address('2001:db8:1::5'), port: 443, allowed: true },
  { name: 'IPv4 blocks never match IPv6 addresses', objects: [egressFrom('a', [{ ipBlock: { cidr: '0.0.0.0/0' } }])], from: a(), to: NetworkEndpoint.address('2001:db8::1'), port: 443, allowed: false },
  { name: 'an ipBlock does not match a pod whose address is unknown', objects: [egressFrom('a', [{ ipBlock: { cidr: '0.0.0.0/0' } }])], from: a(), to: b(), port: 80, allowed: false },
  { name: 'an ipBlock matches a pod whose address is given', objects: [egressFrom('a', [{ ipBlock: { cidr: '10.244.0.0/16' } }])], from: a(), to: b(WEB, { ip: '10.244.1.7' }), port: 80, allowed: true },
  { name: 'ingress from an address inside the block', objects: [ingressTo('b', [{ ipBlock: { cidr: '198.51.100.0/24' } }])], from: NetworkEndpoint.address('198.51.100.9'), to: b(), port: 443, allowed: true, because: 'is not a pod' },
  { name: 'ingress default deny refuses outside addresses', objects: [DENY_INGRESS('b')], from: NetworkEndpoint.address('198.51.100.9'), to: b(), port: 443, allowed: false },
  { name: 'egress to an address is open when egress is not isolated', objects: [DENY_INGRESS('a')], from: a(), to: NetworkEndpoint.address('198.51.100.9'), port: 443, allowed: true },
  { name: 'a pod selector never matches an address', objects: [ingressTo('b', [{ namespaceSelector: {} }])], from: NetworkEndpoint.address('10.0.0.1'), to: b(), port: 80, allowed: false },

  // Both sides, several policies
  { name: 'egress allows but the destination\'s ingress does not', objects: [egressFrom('a', undefined), DENY_INGRESS('b')], from: a(), to: b(), port: 80, allowed: false, because: 'no ingress rule allows' },
  { name: 'ingress allows but the source\'s egress does not', objects: [DENY_EGRESS('a'), ingressTo('b', undefined)], from: a(), to: b(), port: 80, allowed: false, because: 'no egress rule allows' },
  { name: 'both sides allow', objects: [DENY_ALL('a'), DENY_ALL('b'), egressFrom('a', [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'b' } } }], [{ port: 80 }]), ingressTo('b', [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'a' } }, podSelector: { matchLabels: CLIENT } }], [{ port: 80 }])], from: a(), to: b(), port: 80, allowed: true, because: 'allowed by a/egress egress[0]' },
  { name: 'policies add up: a deny-all and an allow on the same pod allow', objects: [DENY_INGRESS('b'), ingressTo('b', [{ namespaceSelector: {} }])], from: a(), to: b(), port: 80, allowed: true },
  { name: 'a pod talking to itself through its ingress policy', objects: [DENY_INGRESS('b')], from: b(), to: b(), port: 80, allowed: false },
];

describe('NetworkPolicySimulator: the specification, case by case', () => {
  test(`has at least 60 cases (${CASES.length})`, () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
  });

  test.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const sim = NetworkPolicySimulator.fromManifests(c.objects);
    const decision = sim.check(c.from, c.to, c.port, c.protocol);
    expect({ allowed: decision.allowed, explanation: decision.explanation }).toEqual({ allowed: c.allowed, explanation: expect.any(String) });
    expect(sim.canReach(c.from, c.to, c.port, c.protocol)).toBe(c.allowed);
    expect(decision.explanation).toMatch(c.allowed ? /^Allowed: / : /^Denied: /);
    if (c.because) expect(decision.explanation).toContain(c.because);
  });
});

describe('NetworkPolicySimulator: workloads from the manifests', () => {
  const objects = [
    ns('shop', { team: 'web' }),
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { selector: { matchLabels: WEB }, template: { metadata: { labels: WEB }, spec: { containers: [{ name: 'web', image: 'x', ports: [{ name: 'http', containerPort: 8080 }] }] } } },
    },
    {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'report', namespace: 'shop' },
      spec: { schedule: '0 * * * *', jobTemplate: { spec: { template: { metadata: { labels: { job: 'report' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'r', image: 'x' }] } } } } },
    },
    {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'WorkflowTemplate',
      metadata: { name: 'build', namespace: 'ci' },
      spec: { templates: [{ name: 'main', container: { image: 'x' } }] },
    },
    np('shop', 'deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
    np('shop', 'web', { podSelector: { matchLabels: WEB }, ingress: [{ from: [{ podSelector: { matchLabels: { job: 'report' } } }, { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ci' } }, podSelector: { matchExpressions: [{ key: 'workflows.argoproj.io/workflow', operator: 'Exists' }] } }], ports: [{ port: 'http' }] }] }),
    np('shop', 'report', { podSelector: { matchLabels: { job: 'report' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: WEB } }], ports: [{ port: 8080 }] }] }),
  ];
  const sim = NetworkPolicySimulator.fromManifests(objects);

  test('a CronJob reaches the Deployment on its named port', () => {
    const d = sim.check(sim.workload('shop', 'report'), sim.workload('shop', 'web'), 8080);
    expect(d.allowed).toBe(true);
    expect(d.egress.allowingRules).toEqual(['shop/report egress[0]']);
    expect(d.ingress.allowingRules).toEqual(['shop/web ingress[0]']);
    expect(d.ingress.selectingPolicies).toEqual(['shop/deny', 'shop/web']);
    expect(d.explanation).toBe('Allowed: CronJob shop/report -> Deployment shop/web on 8080/TCP. '
      + 'Egress: isolated by shop/deny, shop/report; allowed by shop/report egress[0]. '
      + 'Ingress: isolated by shop/deny, shop/web; allowed by shop/web ingress[0].');
  });

  test('workflow pods carry workflows.argoproj.io/workflow, so an Exists selector matches them', () => {
    expect(sim.canReach(sim.workload('ci', 'build'), sim.workload('shop', 'web'), 8080)).toBe(true);
    expect(sim.canReach(sim.workload('ci', 'build'), sim.workload('shop', 'web'), 9090)).toBe(false);
  });

  test('the Deployment itself is denied egress by the default deny', () => {
    const d = sim.check(sim.workload('shop', 'web'), NetworkEndpoint.address('8.8.8.8'), 53, NetworkProtocol.UDP);
    expect(d.allowed).toBe(false);
    expect(d.egress.isolated).toBe(true);
    expect(d.egress.reason).toBe('isolated by shop/deny; no egress rule allows 8.8.8.8 on 53/UDP.');
  });

  test('unknown or ambiguous workloads, bad ports and bad addresses are refused with a fix', () => {
    expect(() => sim.workload('shop', 'nope')).toThrow(/no workload shop\/nope in the manifests/);
    const twice = NetworkPolicySimulator.fromManifests([...objects, { ...(objects[1] as any), kind: 'StatefulSet' }]);
    expect(() => twice.workload('shop', 'web')).toThrow(/pass the kind/);
    expect(twice.workload('shop', 'web', 'StatefulSet').description).toBe('StatefulSet shop/web');
    expect(() => sim.check(sim.workload('shop', 'web'), sim.workload('shop', 'web'), 0)).toThrow(/not a port number/);
    expect(() => NetworkEndpoint.address('300.1.1.1')).toThrow(/not an IPv4 or IPv6 address/);
    expect(() => NetworkEndpoint.pod({ namespace: 'a', ip: 'x' })).toThrow(/not an IPv4 or IPv6 address/);
  });
});

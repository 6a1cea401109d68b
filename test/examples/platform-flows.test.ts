// The network flows of the example platform's Argo CD, as data: the ones Argo CD needs must be
// allowed by the synthesized NetworkPolicies, the others denied. Evaluated here with a small
// NetworkPolicy evaluator (Kubernetes semantics: a pod selected by a policy of a direction
// accepts only what some such policy allows; policies add up) until the library's simulator lands.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { Manifest, synthApp } from '../support/synth';

type Labels = Record<string, string>;
type Obj = { [key: string]: any };

/** A pod (namespace and labels) or an address outside the cluster. */
type Endpoint = { namespace: string; labels: Labels } | { ip: string };
interface Flow { from: Endpoint; to: Endpoint; port: number; protocol?: 'TCP' | 'UDP' }

const argocd = (name: string): Endpoint => ({ namespace: 'argocd', labels: { 'app.kubernetes.io/name': name } });
const DNS: Endpoint = { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } };
const INGRESS_CONTROLLER: Endpoint = { namespace: 'ingress-nginx', labels: { 'app.kubernetes.io/name': 'ingress-nginx' } };
const API = { ip: '10.0.0.10' };
/** cert-manager's HTTP-01 solver pod for the Ingress certificate (letsencrypt-prod). */
const SOLVER: Endpoint = { namespace: 'argocd', labels: { 'acme.cert-manager.io/http01-solver': 'true' } };

/** Flows Argo CD needs (examples/platform.ts: API 10.0.0.10:6443, GitHub, Vault, Keycloak, audit collector, NodeLocal DNSCache). */
const REQUIRED: [string, Flow][] = [
  ['UI/API through the ingress controller', { from: INGRESS_CONTROLLER, to: argocd('argocd-server'), port: 8080 }],
  ['server -> repo-server', { from: argocd('argocd-server'), to: argocd('argocd-repo-server'), port: 8081 }],
  ['server -> redis', { from: argocd('argocd-server'), to: argocd('argocd-redis'), port: 6379 }],
  ['server -> API', { from: argocd('argocd-server'), to: API, port: 6443 }],
  ['server -> OIDC provider', { from: argocd('argocd-server'), to: { ip: '198.51.100.20' }, port: 443 }],
  ['controller -> repo-server', { from: argocd('argocd-application-controller'), to: argocd('argocd-repo-server'), port: 8081 }],
  ['controller -> redis', { from: argocd('argocd-application-controller'), to: argocd('argocd-redis'), port: 6379 }],
  ['controller -> API', { from: argocd('argocd-application-controller'), to: API, port: 6443 }],
  ['repo-server -> redis', { from: argocd('argocd-repo-server'), to: argocd('argocd-redis'), port: 6379 }],
  ['repo-server -> GitHub', { from: argocd('argocd-repo-server'), to: { ip: '140.82.112.3' }, port: 443 }],
  ['repo-server -> Vault (plugin)', { from: argocd('argocd-repo-server'), to: { ip: '198.51.100.40' }, port: 8200 }],
  ['notifications -> webhook', { from: argocd('argocd-notifications-controller'), to: { ip: '203.0.113.10' }, port: 443 }],
  ['notifications -> repo-server', { from: argocd('argocd-notifications-controller'), to: argocd('argocd-repo-server'), port: 8081 }],
  ['server -> NodeLocal DNSCache', { from: argocd('argocd-server'), to: { ip: '169.254.20.10' }, port: 53, protocol: 'UDP' }],
  ['ingress controller -> ACME HTTP-01 solver', { from: INGRESS_CONTROLLER, to: SOLVER, port: 8089 }],
  ['redis secret-init -> API', { from: argocd('argocd-redis'), to: API, port: 6443 }],
  ...['argocd-server', 'argocd-repo-server', 'argocd-application-controller', 'argocd-notifications-controller', 'argocd-applicationset-controller']
    .map((c): [string, Flow] => [`${c} -> DNS`, { from: argocd(c), to: DNS, port: 53, protocol: 'UDP' }]),
];

/** Flows that must stay closed. */
const FORBIDDEN: [string, Flow][] = [
  ['a pod of another namespace -> redis', { from: { namespace: 'production', labels: { app: 'web' } }, to: argocd('argocd-redis'), port: 6379 }],
  ['a pod of another namespace -> repo-server', { from: { namespace: 'production', labels: { app: 'web' } }, to: argocd('argocd-repo-server'), port: 8081 }],
  ['a pod of another namespace -> argocd-server, bypassing the ingress', { from: { namespace: 'production', labels: { app: 'web' } }, to: argocd('argocd-server'), port: 8080 }],
  ['a pod of another namespace -> ACME HTTP-01 solver', { from: { namespace: 'production', labels: { app: 'web' } }, to: SOLVER, port: 8089 }],
  ['redis -> NodeLocal DNSCache', { from: argocd('argocd-redis'), to: { ip: '169.254.20.10' }, port: 53, protocol: 'UDP' }],
  ['repo-server -> cloud metadata', { from: argocd('argocd-repo-server'), to: { ip: '169.254.169.254' }, port: 80 }],
  ['repo-server -> API', { from: argocd('argocd-repo-server'), to: API, port: 6443 }],
  ['repo-server -> a private address', { from: argocd('argocd-repo-server'), to: { ip: '10.20.30.40' }, port: 443 }],
  ['redis -> the internet', { from: argocd('argocd-redis'), to: { ip: '140.82.112.3' }, port: 443 }],
  ['notifications -> redis', { from: argocd('argocd-notifications-controller'), to: argocd('argocd-redis'), port: 6379 }],
  ['ingress controller -> server metrics port (only monitoring scrapes it)', { from: INGRESS_CONTROLLER, to: argocd('argocd-server'), port: 8083 }],
];

function selects(selector: Obj | undefined, labels: Labels): boolean {
  if (!selector) return true;
  const byLabels = Object.entries((selector.matchLabels ?? {}) as Labels).every(([k, v]) => labels[k] === v);
  const byExpressions = (selector.matchExpressions ?? []).every((e: Obj) => {
    if (e.operator === 'In') return e.values.includes(labels[e.key]);
    if (e.operator === 'NotIn') return !e.values.includes(labels[e.key]);
    if (e.operator === 'Exists') return e.key in labels;
    return !(e.key in labels);
  });
  return byLabels && byExpressions;
}

function ipToNumber(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}
function inCidr(ip: string, cidr: string): boolean {
  if (cidr.includes(':') || ip.includes(':')) return false;
  const [base, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  return Math.floor(ipToNumber(ip) / size) === Math.floor(ipToNumber(base) / size);
}

function peerMatches(peer: Obj, policyNamespace: string, other: Endpoint): boolean {
  if ('ip' in other) return peer.ipBlock !== undefined && inCidr(other.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((e: string) => inCidr(other.ip, e));
  if (peer.ipBlock) return false;
  const namespaceOk = peer.namespaceSelector ? selects(peer.namespaceSelector, { 'kubernetes.io/metadata.name': other.namespace }) : other.namespace === policyNamespace;
  return namespaceOk && selects(peer.podSelector, other.labels);
}

function portMatches(ports: Obj[] | undefined, port: number, protocol: string): boolean {
  return !ports || ports.length === 0 || ports.some((p) => (p.protocol ?? 'TCP') === protocol && (p.port === undefined || p.port === port));
}

function allowedBy(policies: Manifest[], direction: 'Ingress' | 'Egress', self: Endpoint, other: Endpoint, port: number, protocol: string): boolean {
  if ('ip' in self) return true;
  const applying = policies.filter((p) => p.metadata.namespace === self.namespace && selects(p.spec.podSelector, self.labels)
    && (p.spec.policyTypes ?? ['Ingress']).includes(direction));
  if (applying.length === 0) return true;
  return applying.some((p) => ((direction === 'Ingress' ? p.spec.ingress : p.spec.egress) ?? []).some((rule: Obj) => {
    const peers = direction === 'Ingress' ? rule.from : rule.to;
    return (!peers || peers.length === 0 || peers.some((peer: Obj) => peerMatches(peer, p.metadata.namespace!, other)))
      && portMatches(rule.ports, port, protocol);
  }));
}

function allowed(policies: Manifest[], flow: Flow): boolean {
  const protocol = flow.protocol ?? 'TCP';
  return allowedBy(policies, 'Egress', flow.from, flow.to, flow.port, protocol)
    && allowedBy(policies, 'Ingress', flow.to, flow.from, flow.port, protocol);
}

const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-flows-'));
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));
const app = new App({ outdir });
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('../../examples/platform').build(app);
const policies = Object.values(synthApp(app)).flat().filter((m) => m.kind === 'NetworkPolicy');

describe('Argo CD network flows of the example platform', () => {
  test.each(REQUIRED)('allowed: %s', (_, flow) => expect(allowed(policies, flow)).toBe(true));
  test.each(FORBIDDEN)('denied: %s', (_, flow) => expect(allowed(policies, flow)).toBe(false));

  test('the evaluator itself: a namespace without policies lets everything through', () => {
    expect(allowed([], REQUIRED[0][1])).toBe(true);
    expect(allowed([], FORBIDDEN[0][1])).toBe(true);
  });
});

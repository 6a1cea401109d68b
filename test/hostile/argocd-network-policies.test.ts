// Hostile input through every string, number and list prop of ArgoCdNetworkPolicies (SecureArgoCD's
// `networkPolicies`): each value is refused (construct path, property, fix) or lands in the
// NetworkPolicies meaning exactly what was asked, as go-yaml reads them and Go's net.ParseCIDR and
// Kubernetes validation read CIDRs, ports, namespaces and labels; and no list of CIDR blocks opens
// a component to (nearly) every address.
import { isIP } from 'net';
import { Chart } from 'cdk8s';
import * as fc from 'fast-check';
import {
  expectUsefulRefusal, freshChart, goReadsInteger, refusedOrGoYamlDocs, HostileField, hostileNumber, hostileText, k8sNames, RUNS, synthProblems,
  YAML11_WORDS,
} from './readers';
import { ArgoCdComponent, ArgoCdNetworkPolicies, ArgoCdNetworkPoliciesProps } from '../../src';

const FIELD_RUNS = { ...RUNS, numRuns: 15 };
const API = { cidrs: ['10.0.0.1/32'], ports: [6443] };
const policies = (c: Chart, extra: Partial<ArgoCdNetworkPoliciesProps>) => new ArgoCdNetworkPolicies(c, 'Owner', { namespace: 'argocd', kubernetesApi: API, ...extra });

interface Output {
  readonly docs: any[];
}
const policy = (o: Output, component: string) => o.docs.find((d) => d.kind === 'NetworkPolicy' && d.metadata.name === `${component}-network-policy`);
/** The CIDR blocks and ports a component's egress admits, beyond DNS and in-namespace peers. */
const egressBlocks = (o: Output, component: string) => (policy(o, component).spec.egress as any[])
  .flatMap((r) => (r.to ?? []).filter((p: any) => p.ipBlock).map((p: any) => p.ipBlock.cidr));
const egressPorts = (o: Output, component: string) => (policy(o, component).spec.egress as any[])
  .filter((r) => (r.to ?? []).some((p: any) => p.ipBlock)).flatMap((r) => r.ports.map((p: any) => p.port));
/** Every namespace a namespaceSelector of any policy names. */
const selectedNamespaces = (o: Output) => o.docs.filter((d) => d.kind === 'NetworkPolicy').flatMap((d) => [...(d.spec.ingress ?? []), ...(d.spec.egress ?? [])])
  .flatMap((r: any) => [...(r.from ?? []), ...(r.to ?? [])]).map((p: any) => p.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name']).filter((n: any) => n);
const dnsRule = (o: Output) => (policy(o, 'argocd-server').spec.egress as any[]).find((r) => r.ports?.some((p: any) => p.port === 53));

/** Go's net.ParseCIDR: a dotted-decimal IPv4 address (no leading zeros since Go 1.17) or an IPv6 address, and a prefix length. */
function goParsesCidr(cidr: string): boolean {
  const m = /^([^/]+)\/([0-9]+)$/.exec(cidr);
  if (!m) return false;
  const v4 = /^(0|[1-9][0-9]{0,2})(\.(0|[1-9][0-9]{0,2})){3}$/.test(m[1]) && m[1].split('.').every((o) => Number(o) <= 255);
  const v6 = !m[1].includes('.') && isIP(m[1]) === 6;
  return (v4 && Number(m[2]) <= 32) || (v6 && Number(m[2]) <= 128);
}

/** The share of its family's address space (0 to 1) the union of `cidrs` covers, computed exactly. */
function coverage(cidrs: string[]): number {
  const ranges = cidrs.map((c) => {
    const [ip, bits] = c.split('/');
    const width = ip.includes(':') ? 128 : 32;
    const start = ip.includes(':') ? ipv6(ip) : ip.split('.').reduce((n, o) => n * 256n + BigInt(o), 0n);
    const size = 2n ** BigInt(width - Number(bits));
    return { width, start: (start / size) * size, end: (start / size) * size + size };
  });
  let best = 0;
  for (const width of [32, 128]) {
    const mine = ranges.filter((r) => r.width === width).sort((a, b) => (a.start < b.start ? -1 : 1));
    let covered = 0n;
    let reach = 0n;
    for (const r of mine) {
      if (r.end <= reach) continue;
      covered += r.end - (r.start > reach ? r.start : reach);
      reach = r.end;
    }
    best = Math.max(best, Number((covered * 1000n) / 2n ** BigInt(width)) / 1000);
  }
  return best;
}

function ipv6(ip: string): bigint {
  const [head, tail = ''] = ip.split('::');
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const all = [...groups(head), ...Array(8 - groups(head).length - groups(tail).length).fill('0'), ...groups(tail)];
  return all.reduce((n, g) => n * 65536n + BigInt(parseInt(g, 16)), 0n);
}

const hostileCidr = fc.oneof(
  hostileText,
  fc.constantFrom('203.0.113.0/24', '10.0.0.1/32', '0.0.0.0/0', '::/0', '010.0.0.0/8', '10.0.0.0/33', '10.0.0.0', 'fd00::/8', '1.2.3.4/08', ' 10.0.0.0/8'),
  fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 32 })).map(([a, bits]) => `${a}.0.0.0/${bits}`),
);
/** CIDR lists, some of which together cover (nearly) every address. */
const hostileCidrList = fc.oneof(
  fc.array(hostileCidr, { minLength: 1, maxLength: 3 }),
  fc.constantFrom(['0.0.0.0/1', '128.0.0.0/1'], ['0.0.0.0/2', '64.0.0.0/2', '128.0.0.0/1'], ['::/1', '8000::/1'], ['0.0.0.0/1', '128.0.0.0/2', '192.0.0.0/3'],
    ['10.0.0.0/8', '172.16.0.0/12'], ['203.0.113.0/24', '198.51.100.0/24']),
);
const hostileNamespace = fc.oneof(hostileText, fc.constantFrom('ingress-nginx', 'monitoring', 'kube-system', 'a'.repeat(64), 'A', ...YAML11_WORDS));

type Field = HostileField<Output, any> & { readonly values?: fc.Arbitrary<any> };
const destinationFields: [string, string][] = [
  ['repositoryHosts', 'argocd-repo-server'], ['scmProviderHosts', 'argocd-applicationset-controller'], ['identityProviders', 'argocd-dex-server'],
  ['notificationTargets', 'argocd-notifications-controller'], ['managedClusters', 'argocd-application-controller'],
];

const FIELDS: Field[] = [
  { property: 'namespace', owner: 'Owner', kind: 'text', values: hostileNamespace, build: (c, v) => policies(c, { namespace: v }), read: (o) => policy(o, 'argocd-server').metadata.namespace, valid: k8sNames.dnsLabel },
  ...(['ingressControllerNamespace', 'monitoringNamespace', 'dnsNamespace'] as const).map((property): Field => ({
    property,
    owner: 'Owner',
    kind: 'text',
    values: hostileNamespace,
    build: (c, v) => policies(c, { [property]: v }),
    read: (o) => [...new Set(selectedNamespaces(o))].sort(),
    meaning: (v) => [...new Set([v, ...(property === 'dnsNamespace' ? [] : ['kube-system']), ...(property === 'ingressControllerNamespace' ? [] : ['ingress-nginx'])])].sort(),
    valid: k8sNames.dnsLabel,
  })),
  {
    property: 'dnsPodLabels',
    owner: 'Owner',
    kind: 'text',
    build: (c, v) => policies(c, { dnsPodLabels: { 'k8s-app': v } }),
    read: (o) => dnsRule(o).to[0].podSelector.matchLabels['k8s-app'],
    valid: (v) => v === '' || (v.length <= 63 && /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(v)),
  },
  {
    property: 'dnsPodLabels',
    owner: 'Owner',
    kind: 'text',
    values: fc.oneof(hostileText, fc.constantFrom('k8s-app', 'example.com/app', '0o17', 'a/b/c')),
    build: (c, v) => policies(c, { dnsPodLabels: { [v]: 'kube-dns' } }),
    read: (o) => Object.keys(dnsRule(o).to[0].podSelector.matchLabels),
    meaning: (v) => [v],
  },
  {
    property: 'kubernetesApi.cidrs[0]',
    owner: 'Owner',
    kind: 'text',
    values: hostileCidr,
    build: (c, v) => policies(c, { kubernetesApi: { cidrs: [v], ports: [6443] } }),
    read: (o) => egressBlocks(o, 'argocd-server'),
    meaning: (v) => [v],
    valid: goParsesCidr,
  },
  {
    property: 'kubernetesApi.ports[0]',
    owner: 'Owner',
    kind: 'number',
    values: fc.oneof(hostileNumber, fc.constantFrom(443, 6443)),
    build: (c, v) => policies(c, { kubernetesApi: { cidrs: ['172.18.0.2/32'], ports: [v] } }),
    read: (o) => egressPorts(o, 'argocd-server'),
    meaning: (v) => [v],
    valid: (v) => goReadsInteger(v, 'int32') && v >= 1 && v <= 65535,
  },
  ...destinationFields.map(([property, component]): Field => ({
    property: `${property}[0].cidrs`,
    owner: 'Owner',
    kind: 'text',
    values: hostileCidrList,
    build: (c, v) => policies(c, { [property]: [{ cidrs: v, ports: [443] }] }),
    read: (o) => egressBlocks(o, component).filter((b: string) => b !== '10.0.0.1/32'),
    // Never half or more of all addresses: then the policy would restrict next to nothing.
    valid: (v: string[]) => v.every(goParsesCidr) && coverage(v) < 0.5,
  })),
  {
    property: 'repositoryHosts[0].ports[0]',
    owner: 'Owner',
    kind: 'number',
    build: (c, v) => policies(c, { repositoryHosts: [{ cidrs: ['203.0.113.0/24'], ports: [v] }] }),
    read: (o) => egressPorts(o, 'argocd-repo-server').filter((p: number) => p !== 6443),
    meaning: (v) => [v],
    valid: (v) => goReadsInteger(v, 'int32') && v >= 1 && v <= 65535,
  },
  {
    property: 'excludeComponents',
    owner: 'Owner',
    kind: 'text',
    values: fc.oneof(hostileText, fc.constantFrom(...Object.values(ArgoCdComponent))),
    build: (c, v) => policies(c, { excludeComponents: [v] }),
    read: (o) => o.docs.map((d) => d.metadata.name).sort(),
    meaning: (v) => ['argocd-default-deny', ...Object.values(ArgoCdComponent).filter((c) => c !== v).map((c) => `${c}-network-policy`)].sort(),
  },
];

function refusedOrExact(field: Field, value: any): void {
  const docs = refusedOrGoYamlDocs(field, value);
  if (docs === undefined) return;
  expect([value, field.read!({ docs })]).toEqual([value, field.meaning ? field.meaning(value) : value]);
}

describe.each(FIELDS.map((f, i) => [`${f.property} (${i})`, f] as const))('%s: hostile values are refused or land exactly', (_name, field) => {
  test('property', () => {
    const values: fc.Arbitrary<any> = field.values ?? (field.kind === 'number' ? hostileNumber : hostileText);
    fc.assert(fc.property(values, (v) => refusedOrExact(field, v)), FIELD_RUNS);
  });
});

describe('known hostile values, each refused with the property and a fix', () => {
  test.each([
    // Two halves are the whole address space, as one /0 is.
    ['repositoryHosts', { repositoryHosts: [{ cidrs: ['0.0.0.0/1', '128.0.0.0/1'], ports: [443] }] }],
    ['repositoryHosts', { repositoryHosts: [{ cidrs: ['0.0.0.0/1'], ports: [443] }, { cidrs: ['128.0.0.0/1'], ports: [443] }] }],
    ['identityProviders', { identityProviders: [{ cidrs: ['::/1', '8000::/1'], ports: [443] }] }],
    ['managedClusters', { managedClusters: [{ cidrs: ['0.0.0.0/2', '64.0.0.0/2'], ports: [6443] }] }],
    ['dnsPodLabels', { dnsPodLabels: { 'k8s-app\u2028x': 'kube-dns' } }],
    ['excludeComponents', { excludeComponents: ['argocd-server\u0085' as ArgoCdComponent] }],
  ] as [string, Partial<ArgoCdNetworkPoliciesProps>][])('%s: %j', (property, props) => {
    const chart = freshChart();
    expectUsefulRefusal(synthProblems(chart.node.scope as any, () => policies(chart, props)), 'test/Owner', property);
  });

  test('private ranges and several hosts stay accepted', () => {
    const chart = freshChart();
    policies(chart, {
      managedClusters: [{ cidrs: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fd00::/8'], ports: [6443] }],
      repositoryHosts: [{ cidrs: ['140.82.112.0/20', '185.199.108.0/22'], ports: [443, 22] }],
    });
    expect(synthProblems(chart.node.scope as any, () => undefined)).toEqual([]);
  });
});

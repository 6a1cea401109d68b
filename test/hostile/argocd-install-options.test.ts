// Hostile input through SecureArgoCD's own string, number and list props beyond rbac, settings keys
// and the constructs with suites of their own: namespace, url, additionalUrls, the settings
// durations and the install's managedNamespaces, nodeLocalDnsCidrs, dnsPorts and clusterWide
// reason. Each value is refused (construct path, property, fix) or lands meaning exactly what was
// asked, as go-yaml reads argocd-cm and the NetworkPolicies, Go's net/url reads URLs and
// time.ParseDuration reads durations.
import { Duration } from 'cdk8s';
import * as fc from 'fast-check';
import {
  expectUsefulRefusal, goParseDuration, goReadsHttpsUrlAsWritten, goReadsInteger, hostileNumber, hostileText, hostileUrl, k8sNames, readAsGoYaml,
  RUNS, secureArgoCdOutput,
} from './readers';
import { SecureArgoCDProps } from '../../src';

const FIELD_RUNS = { ...RUNS, numRuns: 12 };
const cm = (docs: any[]) => docs.find((d) => d.kind === 'ConfigMap' && d.metadata.name === 'argocd-cm').data;
/** The DNS rule the install adds to each component's policy for node-local DNS caches. */
const nodeLocalDns = (docs: any[]) => docs.filter((d) => d.kind === 'NetworkPolicy').flatMap((d) => d.spec.egress ?? [])
  .find((r: any) => (r.to ?? []).some((p: any) => p.ipBlock) && (r.ports ?? []).some((p: any) => p.protocol === 'UDP'));

interface Field {
  readonly property: string;
  readonly values: fc.Arbitrary<any>;
  readonly props: (v: any) => Partial<SecureArgoCDProps>;
  readonly kinds: string[];
  readonly read: (docs: any[]) => unknown;
  readonly meaning?: (v: any) => unknown;
  readonly valid?: (v: any) => boolean;
}

const duration = (property: string, key: string): Field => ({
  property: `settings.${property}`,
  values: fc.oneof(hostileNumber, fc.constantFrom(120, 90, 0)),
  props: (v) => ({ settings: { [property]: v < 0 ? undefined : Duration.seconds(v) } }),
  kinds: ['ConfigMap'],
  // Argo CD reads the value with time.ParseDuration: the same length of time.
  read: (docs) => goParseDuration(cm(docs)[key]),
  meaning: (v) => (v < 0 ? undefined : v * 1000 + 0),
});

const FIELDS: Field[] = [
  {
    property: 'namespace',
    values: fc.oneof(hostileText, fc.constantFrom('argocd', 'argo-cd', 'A', 'a'.repeat(64))),
    props: (v) => ({ namespace: v }),
    kinds: ['ConfigMap'],
    read: (docs) => docs.find((d) => d.metadata.name === 'argocd-cm').metadata.namespace,
    valid: k8sNames.dnsLabel,
  },
  { property: 'url', values: hostileUrl, props: (v) => ({ url: v }), kinds: ['ConfigMap'], read: (docs) => cm(docs).url, valid: goReadsHttpsUrlAsWritten },
  {
    property: 'additionalUrls[0]',
    values: hostileUrl,
    props: (v) => ({ additionalUrls: [v] }),
    kinds: ['ConfigMap'],
    read: (docs) => readAsGoYaml(cm(docs).additionalUrls),
    meaning: (v) => [v],
    valid: goReadsHttpsUrlAsWritten,
  },
  duration('reconciliationTimeout', 'timeout.reconciliation'),
  duration('reconciliationJitter', 'timeout.reconciliation.jitter'),
  duration('hardReconciliationTimeout', 'timeout.hard.reconciliation'),
  duration('sessionDuration', 'users.session.duration'),
  {
    property: 'install.managedNamespaces[0]',
    values: fc.oneof(hostileText, fc.constantFrom('team-a', 'A', 'a'.repeat(64))),
    props: (v) => ({ install: { managedNamespaces: [v] } }),
    kinds: [],
    read: () => undefined,
    valid: k8sNames.dnsLabel,
  },
  {
    property: 'install.nodeLocalDnsCidrs',
    values: fc.oneof(
      fc.array(hostileText, { maxLength: 2 }),
      fc.constantFrom(['169.254.20.10/32'], ['0.0.0.0/0'], ['0.0.0.0/1', '128.0.0.0/1'], ['::/0'], ['169.254.20.10'], ['fd00::10/128']),
    ),
    props: (v) => ({ install: { nodeLocalDnsCidrs: v } }),
    kinds: ['NetworkPolicy'],
    read: (docs) => nodeLocalDns(docs)?.to.filter((p: any) => p.ipBlock).map((p: any) => p.ipBlock.cidr) ?? [],
    // DNS to (nearly) every address would let every pod tunnel out through port 53.
    valid: (v: string[]) => !v.some((c) => /\/0*[01]$/.test(c)) && !(v.includes('0.0.0.0/1') && v.includes('128.0.0.0/1')),
  },
  {
    property: 'install.dnsPorts[0]',
    values: fc.oneof(hostileNumber, fc.constantFrom(53, 5353)),
    props: (v) => ({ install: { dnsPorts: [v], nodeLocalDnsCidrs: ['169.254.20.10/32'] } }),
    kinds: ['NetworkPolicy'],
    read: (docs) => [...new Set(nodeLocalDns(docs)?.ports.map((p: any) => p.port) ?? [])],
    meaning: (v) => [v],
    valid: (v) => goReadsInteger(v, 'int32') && v >= 1 && v <= 65535,
  },
  {
    property: 'install.clusterWide',
    values: hostileText,
    props: (v) => ({ install: { clusterWide: { reason: v } } }),
    kinds: [],
    read: () => undefined,
  },
];

describe.each(FIELDS.map((f) => [f.property, f] as const))('SecureArgoCD %s: hostile values are refused or land exactly', (_name, field) => {
  test('property', () => {
    fc.assert(fc.property(field.values, (v) => {
      const kinds = field.kinds.length > 0 ? field.kinds : ['ConfigMap'];
      // NetworkPolicies on, for the install's DNS rules.
      const base: Partial<SecureArgoCDProps> = field.kinds.includes('NetworkPolicy')
        ? { disableNetworkPolicies: undefined, networkPolicies: { kubernetesApi: { cidrs: ['172.18.0.2/32'], ports: [6443] } } } : {};
      const { problems, docs } = secureArgoCdOutput({ ...base, ...field.props(v) }, kinds);
      // cdk8s's Duration throws for an amount that is no whole number of milliseconds (5e-324 s)
      if (problems.length === 1 && /cannot be converted into a whole number/.test(problems[0])) return;
      if (problems.length > 0) {
        expectUsefulRefusal(problems, 'argocd/CD', field.property);
        return;
      }
      if (field.valid) expect([v, field.valid(v)]).toEqual([v, true]);
      const landed = field.read(docs!);
      if (landed !== undefined) expect([v, landed]).toEqual([v, field.meaning ? field.meaning(v) : v]);
    }), FIELD_RUNS);
  });
});

test('install.nodeLocalDnsCidrs covering every address is refused (DNS egress to any host)', () => {
  for (const cidrs of [['0.0.0.0/0'], ['0.0.0.0/1', '128.0.0.0/1']]) {
    const { problems } = secureArgoCdOutput({
      disableNetworkPolicies: undefined, networkPolicies: { kubernetesApi: { cidrs: ['172.18.0.2/32'], ports: [6443] } }, install: { nodeLocalDnsCidrs: cidrs },
    }, []);
    expectUsefulRefusal(problems, 'argocd/CD', 'install.nodeLocalDnsCidrs');
  }
});

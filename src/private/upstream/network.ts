// NetworkPolicy building blocks for upstream components.
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { applySyncWave, SyncWave } from '../../core/sync-wave';

/**
 * Addresses that "any host on the internet" must never include: private (RFC 1918), carrier-grade
 * NAT, loopback, link-local (the cloud metadata service 169.254.169.254, NodeLocal DNSCache) and
 * their IPv6 counterparts (unique local, link-local, loopback, IPv4-mapped).
 */
export const NON_PUBLIC_IPV4 = ['10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16'];
/** The IPv6 counterparts of {@link NON_PUBLIC_IPV4}. */
export const NON_PUBLIC_IPV6 = ['::1/128', '::ffff:0:0/96', 'fc00::/7', 'fe80::/10'];

/** TCP or UDP ports as NetworkPolicy ports. */
export function policyPorts(protocol: 'TCP' | 'UDP', ports: number[]): k8s.NetworkPolicyPort[] {
  return ports.map((port) => ({ protocol, port: k8s.IntOrString.fromNumber(port) }));
}

/**
 * Egress to public addresses only, on the given TCP ports: every IPv4 and IPv6 address except
 * the non-public ranges and `alsoExcept` (e.g. the cluster's pod and service CIDRs when they are
 * public addresses).
 */
export function publicEgress(ports: number[], alsoExcept: string[] = []): k8s.NetworkPolicyEgressRule {
  const v4 = alsoExcept.filter((c) => !c.includes(':'));
  const v6 = alsoExcept.filter((c) => c.includes(':'));
  return {
    to: [
      { ipBlock: { cidr: '0.0.0.0/0', except: [...NON_PUBLIC_IPV4, ...v4] } },
      { ipBlock: { cidr: '::/0', except: [...NON_PUBLIC_IPV6, ...v6] } },
    ],
    ports: policyPorts('TCP', ports),
  };
}

/** Options for {@link dnsEgress}. */
export interface DnsEgressOptions {
  /** The namespace of the cluster DNS pods. */
  readonly namespace: string;
  /** Their labels. */
  readonly podLabels: Record<string, string>;
  /** Node-local DNS cache addresses (NodeLocal DNSCache listens on a link-local address). */
  readonly nodeLocalCidrs?: string[];
  /** The DNS ports (UDP and TCP). */
  readonly ports?: number[];
}

/** Egress to the cluster DNS (and a node-local cache), UDP and TCP. */
export function dnsEgress(options: DnsEgressOptions): k8s.NetworkPolicyEgressRule {
  const ports = options.ports ?? [53];
  return {
    to: [
      {
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': options.namespace } },
        podSelector: { matchLabels: options.podLabels },
      },
      ...(options.nodeLocalCidrs ?? []).map((cidr) => ({ ipBlock: { cidr } })),
    ],
    ports: [...policyPorts('UDP', ports), ...policyPorts('TCP', ports)],
  };
}

/** Options for {@link componentPolicy}. */
export interface ComponentPolicyOptions {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  /** The pods the policy selects (`{}` for every pod of the namespace). */
  readonly podSelector: Record<string, string>;
  /** Allowed ingress; empty or unset denies all ingress to the selected pods. */
  readonly ingress?: k8s.NetworkPolicyIngressRule[];
  /** Allowed egress; empty or unset denies all egress of the selected pods. */
  readonly egress?: k8s.NetworkPolicyEgressRule[];
  /**
   * The directions the policy governs; a direction left out is not restricted by this policy
   * (others, such as a namespace default deny, still apply).
   * @default ['Ingress', 'Egress']
   */
  readonly policyTypes?: ('Ingress' | 'Egress')[];
}

/** A NetworkPolicy for one component, in the RBAC wave (before the workloads start). */
export function componentPolicy(scope: Construct, id: string, options: ComponentPolicyOptions): k8s.KubeNetworkPolicy {
  const policy = new k8s.KubeNetworkPolicy(scope, id, {
    metadata: { name: options.name, namespace: options.namespace, labels: options.labels },
    spec: {
      podSelector: { matchLabels: options.podSelector },
      policyTypes: options.policyTypes ?? ['Ingress', 'Egress'],
      ingress: options.ingress?.length ? options.ingress : undefined,
      egress: options.egress?.length ? options.egress : undefined,
    },
  });
  applySyncWave(policy, SyncWave.SERVICE_ACCOUNTS_AND_RBAC);
  return policy;
}

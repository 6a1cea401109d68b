// Egress to public addresses only (the rest of the NetworkPolicy builders are in ../kube).
import { k8s } from 'cdk8s-plus-28';
import { tcpPorts } from '../kube';

/**
 * Addresses that "any host on the internet" must never include: private (RFC 1918), carrier-grade
 * NAT, loopback, link-local (the cloud metadata service 169.254.169.254, NodeLocal DNSCache) and
 * their IPv6 counterparts (unique local, link-local, loopback, IPv4-mapped).
 */
export const NON_PUBLIC_IPV4 = ['10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16'];
/** The IPv6 counterparts of {@link NON_PUBLIC_IPV4}. */
export const NON_PUBLIC_IPV6 = ['::1/128', '::ffff:0:0/96', 'fc00::/7', 'fe80::/10'];

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
    ports: tcpPorts(ports),
  };
}

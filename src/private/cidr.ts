// IPv4 and IPv6 addresses and CIDR blocks as Go's net package reads them, and the guard for
// egress that components running untrusted code get from users' CIDRs.
import { NON_PUBLIC_IPV4, NON_PUBLIC_IPV6 } from './upstream/network';
import { cidrProblem, quoted } from './validate';

/** An IPv4 or IPv6 address as a number. */
export interface IpAddress {
  readonly v6: boolean;
  readonly value: bigint;
}

export function parseIp(text: string): IpAddress | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) {
    const parts = text.split('.').map(Number);
    if (parts.some((p, i) => p > 255 || (text.split('.')[i].length > 1 && text.split('.')[i].startsWith('0')))) return undefined;
    return { v6: false, value: parts.reduce((acc, p) => acc * 256n + BigInt(p), 0n) };
  }
  if (!text.includes(':') || !/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  let groups: string[];
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const expand = (s: string): string[] | undefined => {
    if (s === '') return [];
    const out: string[] = [];
    for (const g of s.split(':')) {
      if (g.includes('.')) {
        const v4 = parseIp(g);
        if (!v4 || v4.v6) return undefined;
        out.push((v4.value / 65536n).toString(16), (v4.value % 65536n).toString(16));
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
        out.push(g);
      }
    }
    return out;
  };
  const head = expand(halves[0]);
  const tail = halves.length === 2 ? expand(halves[1]) : [];
  if (!head || !tail) return undefined;
  if (halves.length === 2) {
    if (head.length + tail.length > 7) return undefined;
    groups = [...head, ...Array(8 - head.length - tail.length).fill('0'), ...tail];
  } else {
    groups = head;
  }
  if (groups.length !== 8) return undefined;
  return { v6: true, value: groups.reduce((acc, g) => acc * 65536n + BigInt(parseInt(g, 16)), 0n) };
}

/** A CIDR block; the address bits beyond the prefix are ignored, as Go's net.ParseCIDR does. */
export interface Cidr {
  readonly v6: boolean;
  readonly network: bigint;
  readonly prefix: number;
}

export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIp(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (!ip || !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  const bits = ip.v6 ? 128 : 32;
  if (prefix > bits) return undefined;
  return { v6: ip.v6, network: networkOf(ip.value, bits - prefix), prefix };
}

/** The address with its last `hostBits` bits cleared. */
function networkOf(value: bigint, hostBits: number): bigint {
  return value - (value % 2n ** BigInt(hostBits));
}

export function cidrContains(cidr: Cidr, ip: IpAddress): boolean {
  if (cidr.v6 !== ip.v6) return false;
  return networkOf(ip.value, (cidr.v6 ? 128 : 32) - cidr.prefix) === cidr.network;
}

/**
 * What is wrong when CIDR blocks together match half or more of all addresses of their family,
 * or undefined: a NetworkPolicy peer list that restricts next to nothing (`0.0.0.0/1` and
 * `128.0.0.0/1` are `0.0.0.0/0`). Decided by what the blocks cover, not by their prefix lengths;
 * blocks that are no CIDR are left to cidrProblem.
 */
export function broadCidrsProblem(cidrs: string[]): string | undefined {
  for (const v6 of [false, true]) {
    const width = v6 ? 128 : 32;
    const blocks = cidrs.flatMap((text) => {
      const cidr = cidrProblem(text) === undefined ? parseCidr(text) : undefined;
      return cidr && cidr.v6 === v6 ? [{ text, cidr }] : [];
    });
    const ranges = blocks.map(({ cidr }) => [cidr.network, cidr.network + 2n ** BigInt(width - cidr.prefix)] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    let covered = 0n;
    let reach = 0n;
    for (const [start, end] of ranges) {
      if (end <= reach) continue;
      covered += end - (start > reach ? start : reach);
      reach = end;
    }
    if (covered * 2n >= 2n ** BigInt(width)) {
      return `${blocks.map(({ text }) => quoted(text)).join(', ')} together match half or more of all IPv${v6 ? 6 : 4} addresses: list the hosts' own CIDR blocks`;
    }
  }
  return undefined;
}

/** Cloud metadata services outside link-local: AWS over IPv6, Alibaba Cloud (inside carrier-grade NAT). */
const METADATA = ['fd00:ec2::254/128', '100.100.100.200/32'];
/** Where no host a user lists can be: loopback, link-local (169.254.169.254) and the metadata addresses. */
const HOST_LOCAL = ['127.0.0.0/8', '169.254.0.0/16', '::1/128', 'fe80::/10', ...METADATA];
/** What a block wider than it must leave out: every non-public range, as publicEgress does, and the metadata addresses. */
const CLOSED = [...NON_PUBLIC_IPV4, ...NON_PUBLIC_IPV6, ...METADATA];

/** True when `inner` lies inside `outer` (the same block counts). */
function within(inner: Cidr, outer: Cidr): boolean {
  return inner.v6 === outer.v6 && inner.prefix >= outer.prefix && cidrContains(outer, { v6: inner.v6, value: inner.network });
}

/**
 * The egress `ipBlock` for a user's CIDR `cidr` (already checked with cidrProblem) reached by a
 * component that runs or renders untrusted code (repo-server, notifications, workflow pods):
 * `except` holds the loopback, link-local, metadata and private ranges the block is wider than,
 * as `publicEgress` leaves them out (list a private range itself to reach hosts there). A block
 * inside loopback, link-local or a metadata address is a problem: nothing a user lists lives there.
 */
export function untrustedEgressBlock(cidr: string): { cidr: string; except?: string[]; problem?: string } {
  const block = parseCidr(cidr);
  if (block === undefined) return { cidr };
  const local = HOST_LOCAL.find((range) => within(block, parseCidr(range)!));
  if (local !== undefined) {
    return {
      cidr,
      problem: `${quoted(cidr)} is inside ${local} (loopback, link-local or a cloud metadata address such as 169.254.169.254), which a component `
        + "running untrusted code must not reach: list the hosts' own addresses",
    };
  }
  const wider = CLOSED.filter((range) => within(parseCidr(range)!, block) && parseCidr(range)!.prefix > block.prefix);
  const except = wider.filter((range) => !wider.some((other) => other !== range && within(parseCidr(range)!, parseCidr(other)!)));
  return except.length > 0 ? { cidr, except } : { cidr };
}

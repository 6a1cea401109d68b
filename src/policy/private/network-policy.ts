// NetworkPolicy semantics shared by the simulator, the network rules and the posture report:
// the policy types a policy has after defaulting, and CIDR matching for ipBlock peers.
import { list, Obj, strings } from './kube';

/** The directions a policy isolates, after the API server's defaulting of `policyTypes`. */
export function policyTypesOf(np: Obj): { ingress: boolean; egress: boolean } {
  const types = strings(np.spec?.policyTypes);
  if (types.length > 0) return { ingress: types.includes('Ingress'), egress: types.includes('Egress') };
  // Unset: Ingress always; Egress only when there is at least one egress rule (`egress: []` does
  // not count), as SetDefaults_NetworkPolicy does.
  return { ingress: true, egress: Array.isArray(np.spec?.egress) && np.spec.egress.length > 0 };
}

/** True for a policy that selects every pod of its namespace and allows nothing in `direction`. */
export function isDefaultDeny(np: Obj, direction: 'ingress' | 'egress'): boolean {
  const selector = np.spec?.podSelector;
  const all = selector === undefined || selector === null
    || (Object.keys(selector.matchLabels ?? {}).length === 0 && list(selector.matchExpressions).length === 0);
  return all && policyTypesOf(np)[direction] && list(np.spec?.[direction]).length === 0;
}

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

/** The first address of a CIDR block, as text. */
export function firstAddress(cidr: Cidr): string {
  const digit = (shift: bigint, size: bigint) => (cidr.network / 2n ** shift) % size;
  if (!cidr.v6) return [24n, 16n, 8n, 0n].map((s) => digit(s, 256n).toString()).join('.');
  return [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((s) => digit(s, 65536n).toString(16)).join(':');
}

// NetworkPolicy semantics shared by the simulator, the network rules and the posture report:
// the policy types a policy has after defaulting (CIDR matching is in ../../private/cidr).
import { list, Obj, strings } from './kube';
import type { Cidr } from '../../private/cidr';

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

/** The first address of a CIDR block, as text. */
export function firstAddress(cidr: Cidr): string {
  const digit = (shift: bigint, size: bigint) => (cidr.network / 2n ** shift) % size;
  if (!cidr.v6) return [24n, 16n, 8n, 0n].map((s) => digit(s, 256n).toString()).join('.');
  return [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((s) => digit(s, 65536n).toString(16)).join(':');
}

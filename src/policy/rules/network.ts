// Network: every namespace with pods denies by default in both directions, and no policy
// opens a pod to everything.
import { PolicyLevel } from '../policy-rule';
import { isObj, list, namespaceOf, Obj, podsOf } from '../private/kube';
import { isDefaultDeny } from '../private/network-policy';
import { rule, RuleDefinition, Violation, violation } from '../private/rule';

const PACK = 'network';
const EVERYWHERE = new Set(['0.0.0.0/0', '::/0']);

function isPolicy(m: Obj): boolean {
  return m.kind === 'NetworkPolicy' && m.apiVersion === 'networking.k8s.io/v1';
}

export const NET_DEFAULT_DENY = rule(PACK, {
  id: 'NET-DEFAULT-DENY',
  title: 'Every namespace with pods has a default-deny NetworkPolicy for ingress and egress',
  why: 'Without one, a pod no policy selects accepts connections from every pod of the cluster and reaches everything, '
    + 'so one compromised pod can reach them all.',
  fix: 'Add a NetworkPolicy with podSelector: {} and policyTypes [Ingress, Egress] and no rules to the namespace, '
    + 'then allow the flows each workload needs.',
  check: (m, { objects }) => {
    if (podsOf(m).containers.length === 0) return [];
    const ns = namespaceOf(m);
    const policies = objects.filter((o) => isPolicy(o) && namespaceOf(o) === ns);
    const missing = (['ingress', 'egress'] as const).filter((d) => !policies.some((np) => isDefaultDeny(np, d)));
    return missing.length > 0
      ? [violation('metadata.namespace', `namespace ${ns} has no default-deny NetworkPolicy for ${missing.join(' and ')}`)] : [];
  },
});

export const NET_ALLOW_ALL = rule(PACK, {
  id: 'NET-ALLOW-ALL',
  level: PolicyLevel.WARNING,
  title: 'No NetworkPolicy rule allows every peer',
  why: 'A rule without peers (or with 0.0.0.0/0) opens the selected pods to the whole cluster and the internet, which undoes the default deny.',
  fix: 'Name the peers: pod and namespace selectors for pods, ipBlock CIDRs for addresses outside the cluster.',
  check: (m) => {
    if (!isPolicy(m)) return [];
    const out: Violation[] = [];
    for (const direction of ['ingress', 'egress'] as const) {
      const field = direction === 'ingress' ? 'from' : 'to';
      list(m.spec?.[direction]).forEach((r, i) => {
        const peers = list(r[field]);
        if (peers.length === 0) out.push(violation(`spec.${direction}[${i}].${field}`, `no peers: allows ${direction === 'ingress' ? 'every source' : 'every destination'}`));
        peers.forEach((p, j) => {
          if (isObj(p.ipBlock) && EVERYWHERE.has(p.ipBlock.cidr) && !(Array.isArray(p.ipBlock.except) && p.ipBlock.except.length > 0)) {
            out.push(violation(`spec.${direction}[${i}].${field}[${j}].ipBlock.cidr`, `${p.ipBlock.cidr} allows every address`));
          }
        });
      });
    }
    return out;
  },
});

export const NETWORK_RULES: RuleDefinition[] = [NET_DEFAULT_DENY, NET_ALLOW_ALL];

// Builders for Kubernetes RBAC objects shared by every folder.
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { applySyncWave, SyncWave } from '../core/sync-wave';

/** Access to grant a workflow's service account. */
export interface ReadGrant {
  readonly apiGroup: string;
  readonly resources: string[];
  readonly namespace?: string;
  readonly resourceNames?: string[];
  readonly verbs: string[];
}

/** RBAC rules for grants, merged where group, verbs and names agree, in a stable order. */
export function grantRules(grants: ReadGrant[]): k8s.PolicyRule[] {
  const merged = new Map<string, { apiGroup: string; verbs: string[]; resourceNames?: string[]; resources: Set<string> }>();
  for (const g of grants) {
    const verbs = [...new Set(g.verbs)].sort();
    const names = g.resourceNames ? [...new Set(g.resourceNames)].sort() : undefined;
    const key = JSON.stringify([g.apiGroup, verbs, names ?? null]);
    const entry = merged.get(key) ?? { apiGroup: g.apiGroup, verbs, resourceNames: names, resources: new Set<string>() };
    g.resources.forEach((r) => entry.resources.add(r));
    merged.set(key, entry);
  }
  return [...merged.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, e]) => ({
    apiGroups: [e.apiGroup],
    resources: [...e.resources].sort(),
    ...(e.resourceNames ? { resourceNames: e.resourceNames } : {}),
    verbs: e.verbs,
  }));
}

/** Options for {@link boundRole}. */
export interface BoundRoleOptions {
  readonly roleId: string;
  readonly bindingId: string;
  /** The name of both the Role and the RoleBinding. */
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly rules: k8s.PolicyRule[];
  readonly subjects: k8s.Subject[];
}

/**
 * Creates a Role and the RoleBinding that grants it to `subjects` (none when there are no
 * subjects), in the RBAC sync wave.
 */
export function boundRole(scope: Construct, options: BoundRoleOptions): void {
  const { name, namespace, labels } = options;
  const role = new k8s.KubeRole(scope, options.roleId, { metadata: { name, namespace, labels }, rules: options.rules });
  applySyncWave(role, SyncWave.SERVICE_ACCOUNTS_AND_RBAC);
  if (options.subjects.length === 0) return;
  const binding = new k8s.KubeRoleBinding(scope, options.bindingId, {
    metadata: { name, namespace, labels },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
    subjects: options.subjects,
  });
  applySyncWave(binding, SyncWave.SERVICE_ACCOUNTS_AND_RBAC);
}

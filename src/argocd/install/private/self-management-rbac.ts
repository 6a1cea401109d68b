// The RBAC the application controller needs to sync Argo CD's own installation, derived from
// the install's objects. Kubernetes decides three things here:
// - patch (what server-side apply sends) can be restricted to object names, so the controller
//   may patch exactly the install's objects; creating one cannot be restricted by name on a
//   POST, so creation stays with the installer (CI).
// - Updating a Role or ClusterRole, or a binding to one, is refused unless the requester holds
//   every permission the role grants (or has `escalate`/`bind` on it). `escalate` on a role
//   lets the holder write any rule into it; on a role bound to a component whose Deployment the
//   controller patches anyway, that is every permission of the cluster. Holding the permissions
//   the install grants is bounded instead, and adds nothing the controller could not already
//   reach by patching those Deployments. So: no escalate, no bind.
// - Secrets are read by name only; listing them is what upstream's own Role already grants in
//   Argo CD's namespace, and is refused elsewhere.
import { resourceForKind } from './derived-access';

/** An object of the install, as the rules name it. */
export interface InstallObjectRef {
  readonly group: string;
  readonly kind: string;
  readonly name: string;
  /** Undefined for cluster-scoped objects. */
  readonly namespace?: string;
}

/** A Role or ClusterRole of the install, with its rules as JSON. */
export interface InstallRole {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly rules: PolicyRuleJson[];
}

/** A RoleBinding or ClusterRoleBinding of the install. */
export interface InstallBinding {
  readonly kind: string;
  readonly namespace?: string;
  readonly roleRef: { readonly kind: string; readonly name: string };
  readonly subjects: { readonly kind: string; readonly name: string; readonly namespace?: string }[];
}

/** A policy rule as it is written to the output. */
export interface PolicyRuleJson {
  readonly apiGroups?: string[];
  readonly resources?: string[];
  readonly resourceNames?: string[];
  readonly verbs: string[];
  readonly nonResourceURLs?: string[];
}

/** The controller's self-management rules: per namespace and cluster-wide. */
export interface SelfManagementRules {
  readonly namespaces: Map<string, PolicyRuleJson[]>;
  readonly cluster: PolicyRuleJson[];
  /** Objects the controller could not sync, with the reason. */
  readonly problems: string[];
}

const READ = ['get', 'list', 'watch'];

/**
 * The rules for syncing `objects`: read their kinds (Secrets only by name), patch them by
 * name, and hold the rules of the install's roles that are not bound to the controller alone.
 * `ownRoles` (the self-management roles, which hold these rules) are left out of the union.
 */
export function selfManagementRules(objects: InstallObjectRef[], roles: InstallRole[], bindings: InstallBinding[],
  controller: { name: string; namespace: string }, ownRoles: (role: { kind: string; name: string }) => boolean): SelfManagementRules {
  const problems: string[] = [];
  const byScope = new Map<string, Map<string, { group: string; resource: string; names: Set<string> }>>();
  for (const obj of objects) {
    const scope = obj.namespace ?? '';
    const resource = resourceForKind(obj.group, obj.kind);
    if (obj.group === '' && obj.kind === 'Secret' && obj.namespace !== controller.namespace) {
      problems.push(`Secret '${obj.namespace}/${obj.name}' is outside Argo CD's namespace, where the controller reads no Secret: deliver it as SealedSecret or ExternalSecret`);
      continue;
    }
    const kinds = byScope.get(scope) ?? new Map();
    byScope.set(scope, kinds);
    const key = `${obj.group}|${resource}`;
    const entry = kinds.get(key) ?? { group: obj.group, resource, names: new Set<string>() };
    entry.names.add(obj.name);
    kinds.set(key, entry);
  }

  const controllerOnly = (role: InstallRole) => {
    const refs = bindings.filter((b) => b.roleRef.kind === role.kind && b.roleRef.name === role.name
      && (role.kind === 'ClusterRole' || b.namespace === role.namespace));
    return refs.length > 0 && refs.every((b) => b.subjects.every((s) => s.kind === 'ServiceAccount'
      && s.name === controller.name && (s.namespace ?? b.namespace) === controller.namespace));
  };
  const held = roles.filter((r) => !ownRoles(r) && !controllerOnly(r));

  const rulesFor = (scope: string): PolicyRuleJson[] => {
    const rules: PolicyRuleJson[] = [];
    for (const [, { group, resource, names }] of [...(byScope.get(scope) ?? new Map())].sort(([a], [b]) => a.localeCompare(b))) {
      const resourceNames = [...names as Set<string>].sort();
      if (group === '' && resource === 'secrets') {
        rules.push({ apiGroups: [''], resources: ['secrets'], resourceNames, verbs: ['get', 'patch'] });
      } else {
        rules.push({ apiGroups: [group], resources: [resource], verbs: READ });
        rules.push({ apiGroups: [group], resources: [resource], resourceNames, verbs: ['patch'] });
      }
    }
    const escalation = held.filter((r) => (scope === '' ? r.kind === 'ClusterRole' : r.kind === 'Role' && r.namespace === scope));
    return [...rules, ...uniqueRules(escalation.flatMap((r) => r.rules))];
  };

  const namespaces = new Map<string, PolicyRuleJson[]>();
  const scopes = new Set([...byScope.keys(), ...held.filter((r) => r.kind === 'Role').map((r) => r.namespace!)]);
  for (const scope of [...scopes].filter((s) => s !== '').sort()) namespaces.set(scope, rulesFor(scope));
  return { namespaces, cluster: rulesFor(''), problems };
}

/** Rules once each, in a stable order. */
function uniqueRules(rules: PolicyRuleJson[]): PolicyRuleJson[] {
  const seen = new Map<string, PolicyRuleJson>();
  for (const rule of rules) seen.set(JSON.stringify(rule), rule);
  return [...seen.keys()].sort().map((key) => seen.get(key)!);
}

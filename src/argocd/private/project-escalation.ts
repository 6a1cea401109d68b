// Project settings that let whoever can sync an Application of the project gain more than the
// project grants: each needs an opt-in with a reason, recorded on the AppProject.
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { IN_CLUSTER_SERVER } from './names';
import { isDestinationPermitted, matchesAnyClusterKind } from './project-matching';
import { reasonProblem, recordAcceptedRisk } from '../../private/accepted-risks';
import { ConfigurationError, deferredChecks } from '../../private/errors';
import { argoGlobMatch, goPathMatch } from '../../private/glob';
import { installNamespacesOf } from '../../private/install-namespaces';
import { quoted } from '../../private/validate';
import type { Acknowledgement } from '../../secrets/acknowledgement';
import type { ProjectDestination } from '../project-options';
import type { ResourceKind } from '../resource-kind';

const RBAC_GROUP = 'rbac.authorization.k8s.io';
const RBAC_KINDS = ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'];
/** The kinds that steer Argo CD itself. */
const ARGO_CD_KINDS = ['Application', 'ApplicationSet', 'AppProject'];

/** The opt-ins of ProjectWithRolesProps this module reads. */
export interface EscalationOptIns {
  readonly allowRbacResources?: Acknowledgement;
  readonly allowArgoCdResources?: Acknowledgement;
  readonly allowArgoCdNamespaceDestination?: Acknowledgement;
}

/**
 * The namespaced kinds an unset `namespaceResourceWhitelist` would admit (Argo CD reads unset as
 * every kind) that are escalation paths, each under the opt-in that allows them.
 */
const GUARDED_NAMESPACED_KINDS: { optIn: keyof EscalationOptIns; group: string; kinds: string[] }[] = [
  { optIn: 'allowRbacResources', group: RBAC_GROUP, kinds: ['Role', 'RoleBinding'] },
  { optIn: 'allowArgoCdResources', group: 'argoproj.io', kinds: ARGO_CD_KINDS },
];

/** A namespaced resource list entry as the AppProject spec writes it. */
export interface GroupKind {
  readonly group: string;
  readonly kind: string;
}

/**
 * The `namespaceResourceBlacklist` to write: the user's entries, then, when the namespaced
 * whitelist is unset, every escalation kind whose opt-in is missing and that no user entry
 * already covers (Argo CD subtracts the blacklist from an unset whitelist: `IsGroupKindNamePermitted`).
 */
export function namespacedBlacklist(input: EscalationOptIns & {
  readonly namespaceResourceWhitelist?: ResourceKind[];
  readonly namespaceResourceBlacklist?: ResourceKind[];
}): GroupKind[] | undefined {
  const user = (input.namespaceResourceBlacklist ?? []).map((k) => ({ group: k.group, kind: k.kind }));
  const guarded = input.namespaceResourceWhitelist !== undefined ? [] : GUARDED_NAMESPACED_KINDS
    .filter((g) => input[g.optIn] === undefined)
    .flatMap((g) => g.kinds.map((kind) => ({ group: g.group, kind })))
    .filter((gk) => !user.some((k) => admits(k, gk.group, gk.kind)));
  const out = [...user, ...guarded];
  return input.namespaceResourceBlacklist === undefined && guarded.length === 0 ? undefined : out;
}

/** The props a project's escalation checks need. */
export interface EscalationInput extends EscalationOptIns {
  readonly clusterResourceWhitelist?: ResourceKind[];
  readonly namespaceResourceWhitelist?: ResourceKind[];
  readonly destinations: ProjectDestination[];
  /** Every cluster and namespace was allowed explicitly: Argo CD's namespace included. */
  readonly allowAnyDestination?: boolean;
  /** Every cluster-scoped kind was allowed explicitly: an entry that admits them all is not asked again. */
  readonly allowAllClusterResources?: boolean;
}

/**
 * Checks the project's whitelists and destinations for escalation paths and records the reason
 * of each opt-in as an annotation of the AppProject. The destination check runs at synth, when
 * every Argo CD of the app is known.
 */
export function checkEscalations(scope: IConstruct, apiObject: ApiObject, argoCdNamespace: string, input: EscalationInput): void {
  const checks = deferredChecks(scope);
  const optIn = (property: keyof EscalationOptIns): boolean => {
    const ack = input[property];
    if (ack === undefined) return false;
    if (checks.check(`${property}.reason`, reasonProblem(ack?.reason, 'why the project needs it'))) recordAcceptedRisk(apiObject, property, ack.reason);
    return true;
  };

  const allowRbac = optIn('allowRbacResources');
  for (const [property, list] of [['clusterResourceWhitelist', input.clusterResourceWhitelist], ['namespaceResourceWhitelist', input.namespaceResourceWhitelist]] as const) {
    (list ?? []).forEach((k, i) => {
      // Whatever the name glob: any ClusterRole can aggregate into 'admin', any binding can name cluster-admin.
      const kinds = RBAC_KINDS.filter((kind) => admits(k, RBAC_GROUP, kind));
      const everything = property === 'clusterResourceWhitelist' && input.allowAllClusterResources && matchesAnyClusterKind(k);
      if (kinds.length > 0 && !allowRbac && !everything) {
        checks.check(`${property}[${i}]`, `${k} admits ${kinds.join(', ')}: anyone who can sync an Application of this project could bind themselves a role up to cluster-admin. List the kinds the project needs without RBAC, manage RBAC outside this project, or set allowRbacResources with a reason`);
      }
    });
  }

  const allowArgo = optIn('allowArgoCdResources');
  (input.namespaceResourceWhitelist ?? []).forEach((k, i) => {
    const kinds = ARGO_CD_KINDS.filter((kind) => admits(k, 'argoproj.io', kind));
    if (kinds.length > 0 && !allowArgo) {
      checks.check(`namespaceResourceWhitelist[${i}]`, `${k} admits Argo CD's own ${kinds.join(', ')}: an Application of this project could create Applications or projects that reach beyond it. List the argoproj.io kinds it needs (e.g. ResourceKind.of('argoproj.io', 'Rollout')), or set allowArgoCdResources with a reason`);
    }
  });

  const allowNamespace = optIn('allowArgoCdNamespaceDestination');
  if (allowNamespace || input.allowAnyDestination) return;
  // At synth: every Argo CD of the app is known then, wherever it was added.
  scope.node.addValidation({
    validate: () => {
      const namespaces = [...new Set([argoCdNamespace, ...installNamespacesOf(scope, 'Argo CD')])].sort();
      // The whole list as Argo CD reads it: a '!argocd' entry vetoes what a '*' entry permits.
      const hit = namespaces.find((ns) => isDestinationPermitted(input.destinations, ns, IN_CLUSTER_SERVER, 'in-cluster'));
      if (hit === undefined) return [];
      const entries = input.destinations.map((d, i) => (reachesInCluster(d) && negatableGlobMatch(d.namespace, hit) ? `[${i}] ${quoted(d.namespace)}` : ''))
        .filter((e) => e !== '');
      return [new ConfigurationError(scope, 'destinations', `${entries.join(', ')} reach${entries.length === 1 ? 'es' : ''} ${quoted(hit)}, where Argo CD runs: an Application of this project could rewrite Argo CD's own configuration, Secrets and RBAC. List the namespaces Applications deploy to (none of them Argo CD's), or set allowArgoCdNamespaceDestination with a reason`).message];
    },
  });
}

/** True when the entry's group and kind patterns (Go filepath.Match, as Argo CD) admit the kind, whatever its name glob. */
function admits(k: GroupKind, group: string, kind: string): boolean {
  return goPathMatch(k.group, group) && goPathMatch(k.kind, kind);
}

/** True when the destination's cluster patterns admit the cluster Argo CD runs in. */
function reachesInCluster(d: ProjectDestination): boolean {
  return (d.server !== undefined && negatableGlobMatch(d.server, IN_CLUSTER_SERVER))
    || (d.name !== undefined && negatableGlobMatch(d.name, 'in-cluster'));
}

/** Argo CD's destination glob: `!` negates, `*` matches anything. */
function negatableGlobMatch(pattern: string, value: string): boolean {
  if (pattern.startsWith('!')) return !argoGlobMatch(pattern.slice(1), value);
  return pattern === '*' || argoGlobMatch(pattern, value);
}

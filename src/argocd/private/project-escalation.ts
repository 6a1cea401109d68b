// Project settings that let whoever can sync an Application of the project gain more than the
// project grants: each needs an opt-in with a reason, recorded on the AppProject.
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ARGO_CD_KINDS, IN_CLUSTER_SERVER, KUBERNETES_SYSTEM_NAMESPACES, RBAC_GROUP, RBAC_KINDS } from './names';
import { groupKindMatches, isDestinationPermitted, matchesAnyClusterKind, negatableGlob } from './project-matching';
import { reasonProblem, recordAcceptedRisk } from '../../private/accepted-risks';
import { ConfigurationError, deferredChecks } from '../../private/errors';
import { installNamespacesOf } from '../../private/install-namespaces';
import { quoted } from '../../private/validate';
import type { Acknowledgement } from '../../secrets/acknowledgement';
import type { ProjectDestination } from '../project-options';
import type { ResourceKind } from '../resource-kind';

/**
 * Cluster-scoped kinds that give control of the whole cluster, each with what it lets a syncer do.
 * Not here, because they reach no node, Secret or API request (a name glob keeps other teams'
 * objects out of reach): IngressClass, GatewayClass, RuntimeClass, PriorityClass.
 */
const ADMISSION = 'see and rewrite every API request through admission';
const API_TYPES = 'serve and redefine API types';
const CLUSTER_CONTROL_KINDS: { group: string; kind: string; grants: string }[] = [
  { group: '', kind: 'Namespace', grants: 'relabel a namespace to privileged Pod Security and run a privileged pod' },
  { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration', grants: ADMISSION },
  { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration', grants: ADMISSION },
  { group: 'admissionregistration.k8s.io', kind: 'ValidatingAdmissionPolicy', grants: ADMISSION },
  { group: 'admissionregistration.k8s.io', kind: 'ValidatingAdmissionPolicyBinding', grants: ADMISSION },
  // Kubernetes 1.32+: rewrites any object, e.g. adds a hostPath volume to every pod.
  { group: 'admissionregistration.k8s.io', kind: 'MutatingAdmissionPolicy', grants: ADMISSION },
  { group: 'admissionregistration.k8s.io', kind: 'MutatingAdmissionPolicyBinding', grants: ADMISSION },
  { group: 'apiregistration.k8s.io', kind: 'APIService', grants: API_TYPES },
  { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition', grants: API_TYPES },
  { group: '', kind: 'PersistentVolume', grants: "mount a node's filesystem: a hostPath PersistentVolume bound by a claim passes restricted Pod Security" },
  { group: 'storage.k8s.io', kind: 'StorageClass', grants: "have a provisioner create volumes from its parameters (a host path, another namespace's Secret)" },
  { group: '', kind: 'Node', grants: 'relabel and untaint nodes to draw any workload, or register a node that receives them' },
  { group: 'cert-manager.io', kind: 'ClusterIssuer', grants: "issue certificates for any name with the CA or DNS credentials kept in cert-manager's namespace" },
];

/** The opt-ins of ProjectWithRolesProps: each reason is checked and recorded here, once. */
export interface EscalationOptIns {
  readonly allowAnySourceRepo?: Acknowledgement;
  readonly allowAnyDestination?: Acknowledgement;
  readonly allowAllClusterResources?: Acknowledgement;
  readonly allowRbacResources?: Acknowledgement;
  readonly allowArgoCdResources?: Acknowledgement;
  readonly allowArgoCdNamespaceDestination?: Acknowledgement;
  readonly allowSystemNamespaceDestination?: Acknowledgement;
  readonly allowClusterControlResources?: Acknowledgement;
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
    .filter((gk) => !user.some((k) => groupKindMatches(k, gk.group, gk.kind)));
  const out = [...user, ...guarded];
  return input.namespaceResourceBlacklist === undefined && guarded.length === 0 ? undefined : out;
}

/** The props a project's escalation checks need. */
export interface EscalationInput extends EscalationOptIns {
  readonly clusterResourceWhitelist?: ResourceKind[];
  readonly namespaceResourceWhitelist?: ResourceKind[];
  readonly destinations: ProjectDestination[];
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

  // The project's constructor refuses what these allow; here they are recorded with the others.
  optIn('allowAnySourceRepo');
  optIn('allowAnyDestination');
  // Every cluster-scoped kind was allowed explicitly: an entry that admits them all is not asked again.
  const allowAll = optIn('allowAllClusterResources');
  const allowRbac = optIn('allowRbacResources');
  for (const [property, list] of [['clusterResourceWhitelist', input.clusterResourceWhitelist], ['namespaceResourceWhitelist', input.namespaceResourceWhitelist]] as const) {
    (list ?? []).forEach((k, i) => {
      // Whatever the name glob: any ClusterRole can aggregate into 'admin', any binding can name cluster-admin.
      const kinds = RBAC_KINDS.filter((kind) => groupKindMatches(k, RBAC_GROUP, kind));
      const everything = property === 'clusterResourceWhitelist' && allowAll && matchesAnyClusterKind(k);
      if (kinds.length > 0 && !allowRbac && !everything) {
        checks.check(`${property}[${i}]`, `${k} admits ${kinds.join(', ')}: anyone who can sync an Application of this project could bind themselves a role up to cluster-admin. List the kinds the project needs without RBAC, manage RBAC outside this project, or set allowRbacResources with a reason`);
      }
    });
  }

  const allowControl = optIn('allowClusterControlResources');
  (input.clusterResourceWhitelist ?? []).forEach((k, i) => {
    // Whatever the name glob: a Namespace's labels are patched in place, a new PersistentVolume or Node takes any
    // matching name, and names do not bound what a webhook sees.
    const hits = CLUSTER_CONTROL_KINDS.filter((c) => groupKindMatches(k, c.group, c.kind));
    if (hits.length > 0 && !allowControl && !(allowAll && matchesAnyClusterKind(k))) {
      const kinds = hits.map((c) => c.kind).join(', ');
      const grants = [...new Set(hits.map((c) => c.grants))].join('; ');
      checks.check(`clusterResourceWhitelist[${i}]`, `${k} admits ${kinds}: an Application of this project could ${grants}, which is control of the whole cluster. Create namespaces outside the project (e.g. with ApplicationNamespace in the platform's output), manage these kinds outside it, or set allowClusterControlResources with a reason`);
    }
  });

  const allowArgo = optIn('allowArgoCdResources');
  (input.namespaceResourceWhitelist ?? []).forEach((k, i) => {
    const kinds = ARGO_CD_KINDS.filter((kind) => groupKindMatches(k, 'argoproj.io', kind));
    if (kinds.length > 0 && !allowArgo) {
      checks.check(`namespaceResourceWhitelist[${i}]`, `${k} admits Argo CD's own ${kinds.join(', ')}: an Application of this project could create Applications or projects that reach beyond it. List the argoproj.io kinds it needs (e.g. ResourceKind.of('argoproj.io', 'Rollout')), or set allowArgoCdResources with a reason`);
    }
  });

  const allowNamespace = optIn('allowArgoCdNamespaceDestination');
  const allowSystem = optIn('allowSystemNamespaceDestination');
  // allowAnyDestination says "every namespace" but gives no reason: these namespaces still need their
  // own opt-in, or a deny entry. At synth: every install of the app is known then, wherever it was added.
  scope.node.addValidation({
    validate: () => {
      const problems: string[] = [];
      if (!allowNamespace) {
        const namespaces = [...new Set([argoCdNamespace, ...installNamespacesOf(scope, 'Argo CD')])].sort();
        const hit = reachedNamespace(input.destinations, namespaces, IN_CLUSTER_CANDIDATES);
        if (hit) {
          problems.push(`${hit.entries} ${quoted(hit.namespace)}, where Argo CD runs: an Application of this project could rewrite Argo CD's own configuration, Secrets and RBAC. List the namespaces Applications deploy to (none of them Argo CD's), exclude it with a deny entry `
            + `({ server: '*', namespace: ${quoted(`!${hit.namespace}`)} }), or set allowArgoCdNamespaceDestination with a reason`);
        }
      }
      if (!allowSystem) {
        // Any cluster: kube-system of a remote cluster is as much that cluster as the local one.
        const hit = reachedNamespace(input.destinations, KUBERNETES_SYSTEM_NAMESPACES, clusterCandidates(input.destinations))
          ?? reachedNamespace(input.destinations, installNamespacesOf(scope, 'Argo Workflows'), IN_CLUSTER_CANDIDATES);
        if (hit) {
          problems.push(`${hit.entries} ${quoted(hit.namespace)}, a system or Argo Workflows install namespace: a pod there can run as its controllers' service accounts (in kube-system, up to cluster-admin) or replace them. List the namespaces Applications deploy to, exclude it with a deny entry `
            + `({ server: '*', namespace: ${quoted(`!${hit.namespace}`)} }), or set allowSystemNamespaceDestination with a reason`);
        }
      }
      return problems.map((problem) => new ConfigurationError(scope, 'destinations', problem).message);
    },
  });
}

const IN_CLUSTER_CANDIDATES: [string, string][] = [[IN_CLUSTER_SERVER, 'in-cluster']];
const ANY_SERVER = 'https://zz-unrelated.example.invalid:6443';
const ANY_NAME = 'zz-unrelated-cluster';

/** The clusters the destinations can name: in-cluster, each listed server and name as written, and any other cluster. */
function clusterCandidates(destinations: ProjectDestination[]): [string, string][] {
  const listed = destinations.flatMap((d): [string, string][] => [
    ...(d.server !== undefined && !d.server.startsWith('!') ? [[d.server, ANY_NAME] as [string, string]] : []),
    ...(d.name !== undefined && !d.name.startsWith('!') ? [[ANY_SERVER, d.name] as [string, string]] : []),
  ]);
  return [...IN_CLUSTER_CANDIDATES, ...listed, [ANY_SERVER, ANY_NAME]];
}

/**
 * The first of `namespaces` the whole destination list permits on one of the clusters (as Argo CD
 * reads it: a '!kube-system' entry vetoes what a '*' entry permits), with the entries that reach it.
 */
function reachedNamespace(
  destinations: ProjectDestination[], namespaces: string[], clusters: [string, string][],
): { namespace: string; entries: string } | undefined {
  for (const namespace of namespaces) {
    const cluster = clusters.find(([server, name]) => isDestinationPermitted(destinations, namespace, server, name));
    if (!cluster) continue;
    const entries = destinations
      .map((d, i) => (reachesCluster(d, cluster) && negatableGlob(d.namespace, namespace) ? `[${i}] ${quoted(d.namespace)}` : ''))
      .filter((e) => e !== '');
    return { namespace, entries: `${entries.join(', ')} reach${entries.length === 1 ? 'es' : ''}` };
  }
  return undefined;
}

/** True when the destination's cluster patterns admit the cluster. */
function reachesCluster(d: ProjectDestination, [server, name]: [string, string]): boolean {
  return (d.server !== undefined && negatableGlob(d.server, server)) || (d.name !== undefined && negatableGlob(d.name, name));
}


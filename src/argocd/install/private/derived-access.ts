// What Argo CD needs to reach on one cluster, derived from the AppProjects and Applications of
// the whole app: the namespaces they deploy to there, the namespaced kinds each namespace
// receives, and the cluster-scoped kinds some project deploying there whitelists. Read from the
// app's objects when it is validated, so a project added later counts, whichever construct wrote
// it. The in-cluster install and remote destination clusters use the same derivation.
import { ApiObject } from 'cdk8s';
import { argoGlobMatch, goPathMatch } from '../../../private/glob';
import { ReadGrant } from '../../../private/kube';
import { resolvedProps } from '../../../private/resolved-props';

/** A cluster as project destinations and Applications name it. */
export interface DestinationCluster {
  readonly server: string;
  readonly name: string;
}

/** The cluster Argo CD runs in. */
export const IN_CLUSTER: DestinationCluster = { server: 'https://kubernetes.default.svc', name: 'in-cluster' };

/** What the application controller does with the resources it manages. */
export const CONTROLLER_VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
/** What argocd-server does with them (resource actions, deletion, live manifests). */
export const SERVER_VERBS = ['delete', 'get', 'patch'];

/** Grants as RBAC input, with the given verbs. */
export function grantsWithVerbs(grants: GrantedResource[], verbs: string[]): ReadGrant[] {
  return grants.map((g) => ({ apiGroup: g.group, resources: [g.resource], verbs }));
}

/** What argocd-server needs beside the managed resources: events of the UI, pod logs when pods are managed. */
export function serverExtras(grants: GrantedResource[]): ReadGrant[] {
  return [
    { apiGroup: '', resources: ['events'], verbs: ['list'] },
    ...(grants.some((g) => g.group === '' && g.resource === 'pods') ? [{ apiGroup: '', resources: ['pods/log'], verbs: ['get'] }] : []),
  ];
}

/**
 * The namespaced kinds of Kubernetes 1.28 by API group, with their resource names, so that a
 * project's `kind: '*'` can be granted kind by kind. Secrets are never granted outside Argo CD's
 * namespace, so they are not listed.
 */
const NAMESPACED: { [group: string]: { [kind: string]: string } } = {
  '': {
    ConfigMap: 'configmaps',
    Endpoints: 'endpoints',
    Event: 'events',
    LimitRange: 'limitranges',
    PersistentVolumeClaim: 'persistentvolumeclaims',
    Pod: 'pods',
    PodTemplate: 'podtemplates',
    ReplicationController: 'replicationcontrollers',
    ResourceQuota: 'resourcequotas',
    Service: 'services',
    ServiceAccount: 'serviceaccounts',
  },
  'apps': { ControllerRevision: 'controllerrevisions', DaemonSet: 'daemonsets', Deployment: 'deployments', ReplicaSet: 'replicasets', StatefulSet: 'statefulsets' },
  'autoscaling': { HorizontalPodAutoscaler: 'horizontalpodautoscalers' },
  'batch': { CronJob: 'cronjobs', Job: 'jobs' },
  'coordination.k8s.io': { Lease: 'leases' },
  'discovery.k8s.io': { EndpointSlice: 'endpointslices' },
  'networking.k8s.io': { Ingress: 'ingresses', NetworkPolicy: 'networkpolicies' },
  'policy': { PodDisruptionBudget: 'poddisruptionbudgets' },
  'rbac.authorization.k8s.io': { Role: 'roles', RoleBinding: 'rolebindings' },
};

/** Cluster-scoped kinds of Kubernetes 1.28 whose resource name the guess below gets wrong. */
const CLUSTER_RESOURCES: { [kind: string]: string } = {
  StorageClass: 'storageclasses', IngressClass: 'ingressclasses', PriorityClass: 'priorityclasses', RuntimeClass: 'runtimeclasses',
};

/** A resource type to grant: API group and resource (plural) name. */
export interface GrantedResource {
  readonly group: string;
  readonly resource: string;
}

/** The access derived from the projects. */
export interface DerivedAccess {
  /** Namespace -> resources Argo CD manages there. */
  readonly namespaces: Map<string, GrantedResource[]>;
  /** Cluster-scoped resources some project whitelists, named one by one. */
  readonly clusterResources: GrantedResource[];
  /** Problems to report (a project whose lists cannot become RBAC). */
  readonly problems: string[];
}

/** Kubernetes' own guess of a resource name from a kind (`UnsafeGuessKindToResource`). */
function guessResource(kind: string): string {
  const lower = kind.toLowerCase();
  if (lower.endsWith('s')) return `${lower}es`;
  if (lower.endsWith('y')) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

/** The resource (plural) name of a kind, as RBAC rules name it. */
export function resourceForKind(group: string, kind: string): string {
  return NAMESPACED[group]?.[kind] ?? CLUSTER_RESOURCES[kind] ?? guessResource(kind);
}

const GLOB = /[*?[\]{}!]/;

interface ProjectEntry { group: string; kind: string; name?: string }
interface ProjectSpec {
  destinations?: { server?: string; name?: string; namespace?: string }[];
  namespaceResourceWhitelist?: ProjectEntry[];
  namespaceResourceBlacklist?: ProjectEntry[];
  clusterResourceWhitelist?: ProjectEntry[];
  clusterResourceBlacklist?: ProjectEntry[];
}

function targets(d: { server?: string; name?: string }, cluster: DestinationCluster): boolean {
  const server = d.server !== undefined && !d.server.startsWith('!') && argoGlobMatch(d.server, cluster.server);
  const name = d.name !== undefined && !d.name.startsWith('!') && argoGlobMatch(d.name, cluster.name);
  return server || name;
}

/**
 * The candidate namespaces a project lets Applications deploy to on the cluster
 * (destination patterns as globs, `!` entries veto). `sorted` is sorted, so a pattern is only
 * matched against the namespaces that start with its literal prefix.
 */
function reachedNamespaces(spec: ProjectSpec, sorted: string[], cluster: DestinationCluster): string[] {
  const destinations = spec.destinations ?? [];
  const vetoes = destinations.filter((d) => d.namespace?.startsWith('!')).map((d) => d.namespace!.slice(1));
  const out = new Set<string>();
  for (const d of destinations) {
    const pattern = d.namespace;
    if (pattern === undefined || pattern.startsWith('!') || !targets(d, cluster)) continue;
    const glob = pattern.search(GLOB);
    const prefix = glob < 0 ? pattern : pattern.slice(0, glob);
    for (let i = lowerBound(sorted, prefix); i < sorted.length && sorted[i].startsWith(prefix); i++) {
      if (glob < 0 ? sorted[i] === pattern : argoGlobMatch(pattern, sorted[i])) out.add(sorted[i]);
    }
  }
  return [...out].filter((ns) => !vetoes.some((v) => argoGlobMatch(v, ns)));
}

/** The first index of `sorted` whose value is not below `value`. */
function lowerBound(sorted: string[], value: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function blacklisted(list: ProjectEntry[] | undefined, group: string, kind: string): boolean {
  return (list ?? []).some((e) => goPathMatch(e.group, group) && goPathMatch(e.kind, kind));
}

/** The namespaced resources a project allows, as grants; problems for what cannot be granted. */
function namespacedGrants(project: string, spec: ProjectSpec, problems: string[]): GrantedResource[] {
  const out: GrantedResource[] = [];
  const known = (groupGlob: string, kindGlob: string) => {
    for (const [group, kinds] of Object.entries(NAMESPACED)) {
      if (!goPathMatch(groupGlob, group)) continue;
      for (const [kind, resource] of Object.entries(kinds)) {
        if (goPathMatch(kindGlob, kind) && !blacklisted(spec.namespaceResourceBlacklist, group, kind)) out.push({ group, resource });
      }
    }
  };
  if (spec.namespaceResourceWhitelist === undefined) {
    known('*', '*');
    return out;
  }
  for (const entry of spec.namespaceResourceWhitelist) {
    if (entry.group === '' && entry.kind === 'Secret') {
      problems.push(`AppProject '${project}' whitelists Secrets, but Argo CD never reads Secrets outside its own namespace: deliver them as SealedSecret or ExternalSecret and drop ''/Secret from namespaceResourceWhitelist`);
    } else if (NAMESPACED[entry.group] !== undefined || GLOB.test(entry.group)) {
      if (GLOB.test(entry.group) && entry.kind !== '*' && !GLOB.test(entry.kind)) {
        problems.push(`AppProject '${project}' whitelists kind '${entry.kind}' in group pattern '${entry.group}': name the API group, so that the kind can be granted`);
      } else {
        known(entry.group, entry.kind);
      }
    } else if (GLOB.test(entry.kind)) {
      // A group Kubernetes does not ship (a CRD's): its kinds cannot be listed here, so the
      // grant covers the group, which holds no Secrets.
      out.push({ group: entry.group, resource: '*' });
    } else if (!blacklisted(spec.namespaceResourceBlacklist, entry.group, entry.kind)) {
      out.push({ group: entry.group, resource: guessResource(entry.kind) });
    }
  }
  return out;
}

function clusterGrants(project: string, spec: ProjectSpec, problems: string[]): GrantedResource[] {
  return (spec.clusterResourceWhitelist ?? []).flatMap((entry) => {
    if (GLOB.test(entry.group) || GLOB.test(entry.kind)) {
      problems.push(`AppProject '${project}' whitelists the cluster-scoped pattern '${entry.group}/${entry.kind}': a namespace-scoped install grants cluster-scoped kinds one by one; list each kind`);
      return [];
    }
    // A blacklist entry with a name blocks only those objects; the kind stays granted.
    if (blacklisted(spec.clusterResourceBlacklist?.filter((e) => e.name === undefined), entry.group, entry.kind)) return [];
    return [{ group: entry.group, resource: CLUSTER_RESOURCES[entry.kind] ?? guessResource(entry.kind) }];
  });
}

function unique(grants: GrantedResource[]): GrantedResource[] {
  const seen = new Map<string, GrantedResource>();
  for (const g of grants) seen.set(`${g.group}|${g.resource}`, g);
  // A group-wide grant covers the group's single resources.
  const wide = new Set([...seen.values()].filter((g) => g.resource === '*').map((g) => g.group));
  return [...seen.entries()]
    .filter(([, g]) => g.resource === '*' || !wide.has(g.group))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, g]) => g);
}

/**
 * Reads every AppProject in Argo CD's namespace and every Application of the app, and derives
 * the namespaces of `cluster` (literal project destinations, Applications' destinations and
 * `extraNamespaces` that some project's destination patterns admit) with the kinds each
 * receives, and the cluster-scoped kinds whitelisted by the projects that deploy there.
 */
export function deriveAccess(appObjects: ApiObject[], argoCdNamespace: string, extraNamespaces: string[],
  cluster: DestinationCluster = IN_CLUSTER): DerivedAccess {
  const projects = new Map<string, ProjectSpec>();
  const candidates = new Set<string>(extraNamespaces);
  const objects = appObjects.filter((c) => c.apiGroup === 'argoproj.io');
  for (const obj of objects) {
    if (obj.kind !== 'AppProject' && obj.kind !== 'Application') continue;
    // read, not rendered: the fields read here are named alike in props and output
    const json: any = resolvedProps(obj) ?? obj.toJson();
    if (obj.kind === 'AppProject' && (json.metadata?.namespace ?? argoCdNamespace) === argoCdNamespace) {
      const spec: ProjectSpec = json.spec ?? {};
      projects.set(json.metadata.name, spec);
      for (const d of spec.destinations ?? []) {
        if (targets(d, cluster) && d.namespace && !GLOB.test(d.namespace)) candidates.add(d.namespace);
      }
    } else if (obj.kind === 'Application') {
      const d = json.spec?.destination ?? {};
      if (typeof d.namespace === 'string' && !GLOB.test(d.namespace) && (d.server === cluster.server || d.name === cluster.name)) candidates.add(d.namespace);
    }
  }
  // Only projects that deploy to this cluster bring grants here, and their problems: a project is
  // judged by the derivations of the clusters it deploys to (once each), not by every cluster's.
  const deploying = [...projects].filter(([, spec]) => (spec.destinations ?? []).some((d) => targets(d, cluster)));
  const problems: string[] = [];
  const namespaced = new Map(deploying.map(([name, spec]) => [name, namespacedGrants(name, spec, problems)]));
  const sorted = [...candidates].sort();
  const reached = new Map<string, GrantedResource[]>();
  for (const [name, spec] of deploying) {
    for (const namespace of reachedNamespaces(spec, sorted, cluster)) {
      reached.set(namespace, [...(reached.get(namespace) ?? []), ...namespaced.get(name)!]);
    }
  }
  const namespaces = new Map<string, GrantedResource[]>();
  for (const namespace of sorted) {
    const grants = reached.get(namespace);
    if (grants && grants.length > 0) namespaces.set(namespace, unique(grants));
  }
  const clusterResources = unique(deploying.flatMap(([name, spec]) => clusterGrants(name, spec, problems)));
  return { namespaces, clusterResources, problems };
}

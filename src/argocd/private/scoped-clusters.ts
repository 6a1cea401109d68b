// Destination clusters scoped to one project (the cluster Secret's `project`). Argo CD v3.5.1
// does not keep other projects out: `IsDestinationPermitted` admits any project whose
// destinations match the cluster's server or name, and only a project that sets
// `permitOnlyProjectScopedClusters` is held to the clusters scoped to it. So every other project
// of the app is checked against the scoped clusters: each cluster registers here, and each
// project looks only at the registered clusters of its Argo CD namespace at synth.
import { IConstruct } from 'constructs';
import { ANY_NAMESPACE_PROBE, isDestinationPermitted, negatableGlob } from './project-matching';
import { appRegistry } from '../../private/app-registry';
import { argoGlobMatch } from '../../private/glob';
import { quoted } from '../../private/validate';
import type { ProjectDestination } from '../project-options';

/** One destination cluster scoped to a project. */
export interface ScopedCluster {
  readonly scope: IConstruct;
  /** Argo CD's namespace (where the cluster Secret goes). */
  readonly namespace: string;
  readonly server: string;
  readonly name: string;
  readonly project: string;
}

function registry(scope: IConstruct): ScopedCluster[] {
  return appRegistry<ScopedCluster>(scope, 'scopedClusters');
}

/** Records a cluster scoped to a project. */
export function registerScopedCluster(cluster: ScopedCluster): void {
  registry(cluster.scope).push(cluster);
}

/**
 * The destinations of `project` (in Argo CD namespace `namespace`) that let it deploy to a cluster
 * scoped to another project, as `[index, problem]` (call at synth). A destination counts when its
 * server or name pattern matches the cluster (`*` and `!other` included) and the whole list
 * permits some namespace there, as Argo CD reads it (a `!` entry can veto).
 */
export function scopedClusterProblems(
  scope: IConstruct, project: string, namespace: string, destinations: ProjectDestination[],
): [index: number, problem: string][] {
  const clusters = registry(scope).filter((c) => c.namespace === namespace && c.project !== project);
  if (clusters.length === 0) return [];
  const { candidates, unsure } = namespaceCandidates(destinations);
  const problems: [number, string][] = [];
  for (const cluster of clusters) {
    const matching = destinations.flatMap((d, i): [number, string][] => (d.server !== undefined && negatableGlob(d.server, cluster.server)
      ? [[i, `server ${quoted(d.server)}`]] : d.name !== undefined && negatableGlob(d.name, cluster.name) ? [[i, `name ${quoted(d.name)}`]] : []));
    const reached = matching.length > 0
      && (unsure || candidates.some((ns) => isDestinationPermitted(destinations, ns, cluster.server, cluster.name)));
    if (!reached) continue;
    for (const [i, by] of matching) {
      problems.push([i, `${by} matches cluster ${quoted(cluster.name)} (${quoted(cluster.server)}), which ${cluster.scope.constructor.name} `
        + `'${cluster.scope.node.path}' scopes to project ${quoted(cluster.project)}: Argo CD lets every project whose destinations match a `
        + 'cluster deploy there. Name only the clusters this project deploys to (no pattern that matches this one), or scope the cluster to '
        + `${quoted(project)} instead`]);
    }
  }
  return problems;
}

/**
 * Namespaces the destinations can reach: one value each non-negated namespace pattern matches,
 * and one that only `*`-like and negated patterns match. `unsure` when a pattern's value could not
 * be found (a negated class): then each matching destination counts.
 */
function namespaceCandidates(destinations: ProjectDestination[]): { candidates: string[]; unsure: boolean } {
  const candidates = new Set([ANY_NAMESPACE_PROBE]);
  let unsure = false;
  for (const d of destinations) {
    if (d.namespace.startsWith('!')) continue;
    // The pattern with each wildcard, class and alternative replaced by one thing it matches.
    const sample = d.namespace.replace(/\\(.)|\[!?\]?([^\]])[^\]]*\]|\{([^,}]*)[^}]*\}|\*|\?/g,
      (match, escaped?: string, inClass?: string, alternative?: string) => escaped ?? inClass ?? alternative ?? (match === '?' ? 'x' : ''));
    if (argoGlobMatch(d.namespace, sample)) candidates.add(sample);
    else unsure = true;
  }
  return { candidates: [...candidates], unsure };
}

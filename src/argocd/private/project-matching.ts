// How Argo CD v3.5 matches an Application against its AppProject (`AppProject.IsSourcePermitted`,
// `IsDestinationPermitted`, `IsGroupKindPermitted`), and the probes that tell a pattern that
// matches what nobody named.
import { normalizeGitUrl } from './git-url';
import { argoGlobMatch, globMatchesEverything, goPathMatch } from '../../private/glob';
import type { ProjectDestination } from '../project-options';
import type { ResourceKind } from '../resource-kind';

/**
 * Stand-ins for "any repository" when checking for disguised wildcards. The public forges
 * count too: a pattern matching any owner there admits anyone's repository.
 */
export const ANY_REPO_PROBES = [
  'https://unrelated.example.invalid/someone/repo.git',
  'ssh://git@unrelated.example.invalid/someone/repo.git',
  'git@unrelated.example.invalid:someone/repo.git',
  'oci://unrelated.example.invalid/someone/repo',
  ...['github.com', 'gitlab.com', 'bitbucket.org'].flatMap((host) => [
    `https://${host}/zz-unrelated-owner/repo.git`,
    `git@${host}:zz-unrelated-owner/repo.git`,
  ]),
  'oci://ghcr.io/zz-unrelated-owner/repo',
];
const ANY_SERVER_PROBE = 'https://unrelated.example.invalid:6443';
const ANY_CLUSTER_NAME_PROBE = 'zz-unrelated-cluster';
export const ANY_NAMESPACE_PROBE = 'zz-unrelated-namespace';

/** A source repository pattern, normalized once. */
export interface NormalizedRepo {
  readonly negated: boolean;
  readonly normalized: string;
}

/** The project's `sourceRepos`, normalized the way Argo CD compares them. */
export function normalizeRepos(patterns: string[]): NormalizedRepo[] {
  return patterns.map((pattern) => {
    const negated = pattern.startsWith('!');
    return { negated, normalized: normalizeGitUrl(negated ? pattern.slice(1) : pattern) };
  });
}

/** True when the project's source repositories permit `repoUrl` (globs and `!` negations). */
export function isSourcePermitted(repos: NormalizedRepo[], repoUrl: string): boolean {
  const source = normalizeGitUrl(repoUrl);
  let matched = false;
  for (const { negated, normalized } of repos) {
    // As upstream: a negation that does not name the URL counts as a match (it permits it).
    const hit = negated ? !argoGlobMatch(normalized, source, '/') : normalized === '*' || argoGlobMatch(normalized, source, '/');
    if (hit) matched = true;
    else if (negated) return false;
  }
  return matched;
}

/** True when some destination permits the namespace on the server or named cluster. */
export function isDestinationPermitted(destinations: ProjectDestination[], namespace: string, server?: string, name?: string): boolean {
  let matched = false;
  for (const item of destinations) {
    const nameMatched = name !== undefined && name !== '' && item.name !== undefined && negatableGlob(item.name, name);
    const serverMatched = server !== undefined && server !== '' && item.server !== undefined && negatableGlob(item.server, server);
    const nsMatched = negatableGlob(item.namespace, namespace);
    if ((serverMatched || nameMatched) && nsMatched) {
      matched = true;
    } else if ((!nameMatched && isNegated(item.name)) || (!serverMatched && isNegated(item.server)) || (!nsMatched && isNegated(item.namespace))) {
      // Upstream isDestinationMatched: an unmatched '!' entry vetoes, whatever else it names.
      return false;
    }
  }
  return matched;
}

/** True when a resource-list entry names the resource (group and kind as Go `filepath.Match`, the name as a glob). */
export function resourceKindMatches(k: ResourceKind, group: string, kind: string, name: string): boolean {
  return goPathMatch(k.group, group) && goPathMatch(k.kind, kind) && (k.name === undefined || argoGlobMatch(k.name, name));
}

/** True when a cluster-scoped whitelist entry admits kinds nobody named (`*`/`*`, `**`, `?*`...). */
export function matchesAnyClusterKind(k: ResourceKind): boolean {
  return resourceKindMatches(k, 'zz-unrelated.example.invalid', 'ZzUnrelatedKind', 'zz-unrelated-name');
}

/** True when the destination's cluster patterns match clusters nobody named (`*`, `**`, `[!z]*`, `!x`, ...). */
export function matchesAnyCluster(d: ProjectDestination): boolean {
  return (d.name !== undefined && tooBroad(d.name, ANY_CLUSTER_NAME_PROBE))
    || (d.server !== undefined && tooBroad(d.server, ANY_SERVER_PROBE));
}

/** True when the namespace pattern matches namespaces nobody named (`*`, `**`, `?*`, `[!z]*`, `!x`, ...). */
export function matchesAnyNamespace(namespace: string): boolean {
  return tooBroad(namespace, ANY_NAMESPACE_PROBE);
}

/** A negation matches all it does not name; otherwise the pattern is judged by what it matches. */
function tooBroad(pattern: string, probe: string): boolean {
  return negatableGlob(pattern, probe) || (!pattern.startsWith('!') && globMatchesEverything(pattern));
}

function isNegated(pattern: string | undefined): boolean {
  return pattern !== undefined && pattern.startsWith('!');
}

/** Argo CD's project `globMatch` with negation allowed and no separators. */
function negatableGlob(pattern: string, value: string): boolean {
  if (pattern.startsWith('!')) return !argoGlobMatch(pattern.slice(1), value);
  return pattern === '*' || argoGlobMatch(pattern, value);
}

// How Argo CD v3.5 matches an Application against its AppProject (`AppProject.IsSourcePermitted`,
// `IsDestinationPermitted`, `IsGroupKindPermitted`), and the probes that tell a pattern that
// matches what nobody named.
import { normalizeGitUrl } from './git-url';
import { argoGlobMatch, compileArgoGlob, globMatchesEverything, globOutcomes, goPathMatch } from '../../private/glob';
import { quoted } from '../../private/validate';
import type { ProjectDestination } from '../project-options';
import type { ResourceKind } from '../resource-kind';

const GLOB_CHARS = /[*?[\]{}\\]/;

/**
 * Why a (normalized, non-negated) repository pattern admits repositories nobody listed, or
 * undefined. Decided by what the pattern matches, not by probes: whoever controls a host
 * controls every path on it, so the host's last two labels must be literal (`*.example.com` is
 * yours, `*`, `*.com` or `git*.com` are anyone's); and the first path segment (the owner or
 * group, where anyone can sign up) must not match nearly every name (`*`, `[!z]*`, `{a,*}`).
 * Brace alternatives are judged one by one.
 */
export function anyRepositoryProblem(pattern: string): string | undefined {
  for (const alternative of expandBraces(pattern)) {
    const problem = alternativeProblem(alternative);
    if (problem) return problem;
  }
  return undefined;
}

function alternativeProblem(pattern: string): string | undefined {
  const rest = pattern.replace(/^[a-z][a-z0-9+.-]*:\/\//, '');
  const slash = rest.indexOf('/');
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  const path = slash < 0 ? [] : rest.slice(slash + 1).split('/');
  const host = authority.replace(/^[^@]*@/, '').replace(/:[0-9]+$/, '');
  const labels = host.split('.');
  if (authority.includes('**') || labels.slice(-2).some((l) => GLOB_CHARS.test(l)) || (labels.length < 2 && GLOB_CHARS.test(host))) {
    return `matches repositories on hosts nobody listed (host ${JSON.stringify(host)}): anyone who registers a matching host controls what it serves`;
  }
  const owner = path[0];
  if (owner !== undefined && (owner.includes('**') || globMatchesEverything(owner))) {
    return `matches every owner or group on ${host} (${JSON.stringify(owner)}): anyone who signs up there could publish a matching repository`;
  }
  return undefined;
}

/** Top-level brace alternatives, expanded (bounded: a pattern with too many counts as one). */
function expandBraces(pattern: string, limit: number = 64): string[] {
  const open = pattern.indexOf('{');
  if (open < 0) return [pattern];
  let depth = 0;
  const cuts: number[] = [];
  let close = -1;
  for (let i = open; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
    } else if (c === '{') {
      depth++;
    } else if (c === '}' && --depth === 0) {
      close = i;
      break;
    } else if (c === ',' && depth === 1) {
      cuts.push(i);
    }
  }
  if (close < 0) return [pattern];
  const bounds = [open, ...cuts, close];
  const out: string[] = [];
  for (let k = 0; k + 1 < bounds.length; k++) {
    const option = pattern.slice(bounds[k] + 1, bounds[k + 1]);
    for (const expanded of expandBraces(pattern.slice(0, open) + option + pattern.slice(close + 1), limit)) {
      out.push(expanded);
      if (out.length >= limit) return out;
    }
  }
  return out;
}

/**
 * Why a server pattern (a project destination, a destination service account, a sync window's
 * cluster) can never match the cluster it names, or undefined: Argo CD's glob reads the
 * brackets of an IPv6 literal (`https://[fd00::1]:6443`) as a character class of one
 * character, so the pattern never matches that URL (Argo CD v3.5 does the same). Its glob reads
 * `\[` and `\]` as the brackets themselves.
 */
export function bracketedHostProblem(pattern: string): string | undefined {
  const m = /^(!?[a-z]+:\/\/)(\[[^\]]*\])/.exec(pattern);
  if (!m) return undefined;
  const escaped = `${m[1]}${m[2].replace(/[[\]]/g, (c) => `\\${c}`)}${pattern.slice(m[0].length)}`;
  return `${quoted(pattern)} names an IPv6 address in brackets, which Argo CD's glob reads as a character class (one character), so it never `
    + `matches the cluster's URL: escape the brackets, ${quoted(escaped)} (in a TypeScript string '\\\\['), use ArgoCdDestinationCluster.destination(), `
    + 'or name the cluster by its name';
}

/** A pattern that matches exactly `server` (Argo CD's glob: `\` makes the next character literal). */
export function literalServerPattern(server: string): string {
  return server.replace(/[*?[\]{}\\]/g, (c) => `\\${c}`);
}

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

const destinationsOf = new WeakMap<object, readonly ProjectDestination[]>();

/** Records the destinations of a project declared in this app, for checks of templated destinations. */
export function registerProjectDestinations(project: object, destinations: readonly ProjectDestination[]): void {
  destinationsOf.set(project, destinations);
}

/** The destinations of a project declared in this app, or undefined when they are unknown here. */
export function projectDestinations(project: object): readonly ProjectDestination[] | undefined {
  return destinationsOf.get(project);
}

/** True when some destination permits the namespace on the server or named cluster. */
export function isDestinationPermitted(destinations: readonly ProjectDestination[], namespace: string, server?: string, name?: string): boolean {
  const field = (pattern: string | undefined, value: string | undefined) => value !== undefined && value !== '' && pattern !== undefined && negatableGlob(pattern, value);
  return destinationVerdict(destinations, (d) => negatableGlob(d.namespace, namespace), (d) => field(d.server, server), (d) => field(d.name, name));
}

/**
 * Upstream `isDestinationMatched`, given for each destination entry whether its namespace,
 * server and name patterns (their `!` applied) match the Application's destination.
 */
function destinationVerdict(destinations: readonly ProjectDestination[], nsMatches: (d: ProjectDestination, i: number) => boolean,
  serverMatches: (d: ProjectDestination, i: number) => boolean, nameMatches: (d: ProjectDestination, i: number) => boolean): boolean {
  let matched = false;
  for (const [i, item] of destinations.entries()) {
    const nameMatched = nameMatches(item, i);
    const serverMatched = serverMatches(item, i);
    const nsMatched = nsMatches(item, i);
    if ((serverMatched || nameMatched) && nsMatched) {
      matched = true;
    } else if ((!nameMatched && isNegated(item.name)) || (!serverMatched && isNegated(item.server) && nsMatched)
      || (!nsMatched && isNegated(item.namespace) && serverMatched)) {
      // Upstream isDestinationMatched: an unmatched '!' name vetoes; an unmatched '!' server only
      // where the entry's namespace matches, an unmatched '!' namespace only on a server it matches.
      return false;
    }
  }
  return matched;
}

/**
 * A destination field as an ApplicationSet gives it: the fixed texts around its template actions
 * (`['team-', '']` for `team-{{.name}}`, one text for a fixed value); an action may produce any text.
 */
export type DestinationTemplate = readonly string[];

/** Combinations tried at most before the answer is "maybe permitted". */
const MAX_COMBINATIONS = 100_000;

/**
 * False only when no value the templates can produce is permitted (each action read as any text,
 * independently of the others, so a true answer may be wrong but a false one never is), with
 * upstream's `!` rules. For fixed values it answers as isDestinationPermitted.
 */
export function isDestinationTemplatePermitted(destinations: readonly ProjectDestination[], namespace: DestinationTemplate,
  server?: DestinationTemplate, name?: DestinationTemplate): boolean {
  // For each field, every combination of "inner pattern matches" the templates can produce.
  const outcomes = (pick: (d: ProjectDestination) => string | undefined, parts: DestinationTemplate | undefined) => {
    if (parts === undefined) return [undefined];
    const patterns = destinations.map((d) => {
      const pattern = pick(d);
      return pattern === undefined ? '' : pattern.replace(/^!/, '');
    });
    return globOutcomes(patterns, [...parts]);
  };
  const nsOutcomes = outcomes((d) => d.namespace, namespace);
  const serverOutcomes = outcomes((d) => d.server, server);
  const nameOutcomes = outcomes((d) => d.name, name);
  if (nsOutcomes === undefined || serverOutcomes === undefined || nameOutcomes === undefined
    || nsOutcomes.length * serverOutcomes.length * nameOutcomes.length > MAX_COMBINATIONS) {
    return true;
  }
  // Upstream an empty server or name matches nothing, and then nothing is permitted (a destination
  // gives one of the two); read like any other value, it can only widen the answer.
  const applied = (pattern: string | undefined, outcome: boolean[] | undefined, i: number) =>
    pattern !== undefined && outcome !== undefined && (pattern === '*' || outcome[i] !== isNegated(pattern));
  for (const ns of nsOutcomes) {
    for (const srv of serverOutcomes) {
      for (const nm of nameOutcomes) {
        const verdict = destinationVerdict(destinations,
          (d, i) => applied(d.namespace, ns, i), (d, i) => applied(d.server, srv, i), (d, i) => applied(d.name, nm, i));
        if (verdict) return true;
      }
    }
  }
  return false;
}

/**
 * True when a cluster resource-list entry names the resource: group, kind and name as Go
 * `filepath.Match` patterns (upstream `isNamedResourceInList`), so `{a,b}` is literal there.
 */
export function resourceKindMatches(k: ResourceKind, group: string, kind: string, name: string): boolean {
  return groupKindMatches(k, group, kind) && (k.name === undefined || goPathMatch(k.name, name));
}

/** True when a resource-list entry's group and kind patterns (Go `filepath.Match`, as Argo CD) admit the kind, whatever its name pattern. */
export function groupKindMatches(k: Pick<ResourceKind, 'group' | 'kind'>, group: string, kind: string): boolean {
  return goPathMatch(k.group, group) && goPathMatch(k.kind, kind);
}

/**
 * What is wrong with an orphaned-resources ignore entry, or undefined. Argo CD matches that list
 * with its glob (gobwas: `{a,b}` alternatives, `[!a]` negation, one range per class), unlike the
 * resource lists' `filepath.Match` a ResourceKind is checked for: forms the two read differently
 * are refused, so the entry ignores what it says.
 */
export function orphanedIgnoreProblem(k: ResourceKind): string | undefined {
  for (const [part, value] of [['group', k.group], ['kind', k.kind], ['name', k.name]] as const) {
    if (value === undefined || value === '') continue;
    if (/[{}]|\[[!^]/.test(value) || compileArgoGlob(value) === undefined) {
      return `the ${part} ${quoted(value)} reads differently here: Argo CD matches the orphaned-resources ignore list with its glob, not filepath.Match `
        + "('{a,b}' are alternatives, '[!a]' negates, '[^a]' does not, a class holds one range): use '*', '?', and classes like '[a-z]' or '[abc]'";
    }
  }
  return undefined;
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
export function negatableGlob(pattern: string, value: string): boolean {
  if (pattern.startsWith('!')) return !argoGlobMatch(pattern.slice(1), value);
  return pattern === '*' || argoGlobMatch(pattern, value);
}

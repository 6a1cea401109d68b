// `resource.exclusions` of argocd-cm, checked as Argo CD v3.5.1 reads it
// (util/settings/filtered_resource.go): each entry matches a resource when one of its apiGroups
// matches the group as a glob, one of its kinds is the kind or `*` (kinds are never globs), and
// one of its clusters matches the cluster URL as a glob (no clusters: every cluster). A matched
// resource is neither watched nor synced: Argo CD drops it from an Application's desired state.
import { ARGO_CD_KINDS, RBAC_GROUP, RBAC_KINDS } from './names';
import { UPSTREAM_RESOURCE_EXCLUSIONS } from './upstream-config';
import { reasonProblem } from '../../private/accepted-risks';
import { DeferredChecks } from '../../private/errors';
import { argoGlobLiterals, argoGlobMatch, compileArgoGlob, globMatchesEverything } from '../../private/glob';
import { apiGroupProblem, quoted } from '../../private/validate';
import type { ArgoCdResourceFilter } from '../argocd-settings';

/** A Kubernetes kind, or `*` for every kind. */
const EXCLUDED_KIND = /^(\*|[A-Za-z0-9]+)$/;
/** What an API group is made of (a DNS subdomain): a glob's other literals match no group. */
const GROUP_CHARACTER = /^[a-z0-9.-]$/;
const MAX_GROUP = 253;

/** Kinds an exclusion must not hide without a reason, under the opt-in that allows it. */
const GUARDED: { optIn: 'allowArgoCdResources' | 'allowRbacResources'; group: string; kinds: string[]; loses: string; example: string }[] = [
  {
    optIn: 'allowArgoCdResources',
    group: 'argoproj.io',
    kinds: ARGO_CD_KINDS,
    loses: 'Applications, ApplicationSets and AppProjects kept in Git (app of apps, self-management) would no longer be synced or checked for drift',
    example: "e.g. kinds ['Workflow', 'WorkflowTaskResult'] for argoproj.io",
  },
  {
    optIn: 'allowRbacResources',
    group: RBAC_GROUP,
    kinds: RBAC_KINDS,
    loses: 'roles and bindings kept in Git would no longer be synced, and a binding changed in the cluster would go unnoticed',
    example: "e.g. apiGroups ['*.example.com'] instead of '*'",
  },
];

/** The entries to write (upstream install.yaml's first) and the accepted risks, `[opt-in, reason]`. */
export interface RenderedExclusions {
  readonly entries: object[];
  readonly acceptedRisks: [string, string][];
}

/**
 * What is wrong with an exclusion's API group, or undefined: `''` (core) or a DNS name, or a
 * glob Argo CD compiles whose literal characters can occur in a group (`*.example.com`,
 * `{velero,ark}.io`, `*`).
 */
export function excludedGroupProblem(group: string): string | undefined {
  const literals = typeof group === 'string' ? argoGlobLiterals(group) : undefined;
  if (literals === undefined) {
    return `${quoted(group)} is not a glob Argo CD can read, so it would match no group: close every '[' and '{' and escape nothing at the end, e.g. '*.example.com'`;
  }
  // Plain text: an API group as Kubernetes names it.
  if (literals.length === [...group].length) return apiGroupProblem(group);
  const odd = literals.find((c) => !GROUP_CHARACTER.test(c));
  if (odd !== undefined) {
    return `${quoted(group)} matches ${quoted(odd)} literally, which no API group contains: use lower-case letters, digits, '-' and '.' with the globs *, ?, [a-z] and {a,b} (e.g. '*.example.com')`;
  }
  return group.length > MAX_GROUP ? `${quoted(group)} is longer than an API group (${MAX_GROUP}): shorten it` : undefined;
}

/**
 * Checks the user's exclusions (problems go to `checks`, as `resourceExclusions[i]...`) and returns
 * what to write: upstream install.yaml's exclusions, which the argocd-cm written here replaces,
 * then the user's.
 */
export function renderResourceExclusions(checks: DeferredChecks, filters: ArgoCdResourceFilter[]): RenderedExclusions {
  const acceptedRisks: [string, string][] = [];
  const entries = filters.map((f, i) => {
    const property = `resourceExclusions[${i}]`;
    if (!Array.isArray(f.apiGroups) || f.apiGroups.length === 0 || !Array.isArray(f.kinds) || f.kinds.length === 0) {
      checks.check(property, 'needs at least one apiGroup and one kind: list them (\'*\' for any)');
      return undefined;
    }
    const groupsOk = f.apiGroups.map((g, j) => checks.check(`${property}.apiGroups[${j}]`, excludedGroupProblem(g))).every((ok) => ok);
    const kindsOk = f.kinds.map((k, j) => checks.check(`${property}.kinds[${j}]`, typeof k === 'string' && EXCLUDED_KIND.test(k) ? undefined
      : `${quoted(k)} is not a kind: give a kind such as 'Backup', or '*' for every kind (Argo CD reads other globs literally)`)).every((ok) => ok);
    // Argo CD matches an exclusion without clusters against every cluster: an empty list would too.
    if (f.clusters?.length === 0) checks.check(`${property}.clusters`, 'is empty, which Argo CD reads as every cluster: list the clusters, or leave clusters out');
    (f.clusters ?? []).forEach((c, j) => checks.check(`${property}.clusters[${j}]`, typeof c === 'string' && compileArgoGlob(c) !== undefined ? undefined
      : `${quoted(c)} is not a glob Argo CD can read, so the exclusion would apply to no cluster: give the cluster's URL, e.g. 'https://*.staging.example.com'`));

    const optIns = {
      allowMatchEverything: f.allowMatchEverything, allowArgoCdResources: f.allowArgoCdResources, allowRbacResources: f.allowRbacResources,
    };
    const needed = new Set<keyof typeof optIns>();
    if (groupsOk && kindsOk) {
      // Decided by what the patterns match: '*', '**', '?*', '{*}' alike. Together, entries can cover every
      // group only by matching argoproj.io and the RBAC group too, which the guarded kinds below catch.
      const everyKind = f.kinds.includes('*') && f.apiGroups.some((g) => globMatchesEverything(g));
      if (everyKind) {
        needed.add('allowMatchEverything');
        const where = f.clusters === undefined || f.clusters.some((c) => globMatchesEverything(c)) ? 'on every cluster' : 'on the clusters it names';
        if (optIns.allowMatchEverything === undefined) {
          checks.check(property, `excludes every kind of every API group ${where}: Argo CD would neither watch nor sync anything there. `
            + 'Name the groups and kinds to leave out (e.g. apiGroups [\'velero.io\'], kinds [\'Backup\']), or set allowMatchEverything with a reason');
        }
      } else {
        for (const guarded of GUARDED) {
          const hidden = guarded.kinds.filter((kind) => f.apiGroups.some((g) => argoGlobMatch(g, guarded.group)) && (f.kinds.includes('*') || f.kinds.includes(kind)));
          if (hidden.length === 0) continue;
          needed.add(guarded.optIn);
          if (optIns[guarded.optIn] === undefined) {
            checks.check(property, `excludes ${hidden.map((k) => `${guarded.group}/${k}`).join(', ')}: ${guarded.loses}. `
              + `List only the groups and kinds you mean (${guarded.example}), or set ${guarded.optIn} with a reason`);
          }
        }
      }
    }
    for (const [optIn, ack] of Object.entries(optIns) as [keyof typeof optIns, { reason: string } | undefined][]) {
      if (ack === undefined) continue;
      if (!checks.check(`${property}.${optIn}.reason`, reasonProblem(ack?.reason, 'why Argo CD must not see these resources'))) continue;
      if (needed.has(optIn)) acceptedRisks.push([`${property}.${optIn}`, ack.reason]);
      else if (groupsOk && kindsOk) checks.check(`${property}.${optIn}`, 'is not needed: the exclusion does not hide what it allows; remove it');
    }
    return { apiGroups: [...f.apiGroups], kinds: [...f.kinds], ...(f.clusters ? { clusters: [...f.clusters] } : {}) };
  });
  return { entries: [...UPSTREAM_RESOURCE_EXCLUSIONS, ...entries.filter((e) => e !== undefined)], acceptedRisks };
}

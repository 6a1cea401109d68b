import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { normalizeGitUrl } from './git-url';
import { TemplateParameters } from './go-template';
import * as l1 from '../../imports/argocd-argoproj.io';
import { reasonProblem, recordAcceptedRisk } from '../../private/accepted-risks';
import { deferredChecks, invalid } from '../../private/errors';
import { quoted } from '../../private/validate';
import type { IAppProject } from '../app-project';
import { ApplicationSource } from '../application-source';
import type { SyncPolicy } from '../sync-policy';

/** The `source` / `sources` props of an Application or of an ApplicationSet's template. */
export interface SourcesProps {
  readonly source?: ApplicationSource;
  readonly sources?: ApplicationSource[];
}

/** The sources with the property each is reported under (`source`, or `sources[i]`). */
export function sourcesOf(scope: Construct, props: SourcesProps): [string, ApplicationSource][] {
  if (props.source !== undefined && props.sources !== undefined) invalid(scope, 'sources', 'is set together with source: give one source, or all of them in sources');
  if (props.source !== undefined) return [['source', props.source]];
  if (props.sources === undefined || props.sources.length === 0) invalid(scope, 'source', 'is required: give source, or sources (at least one)');
  return props.sources.map((source, i) => [`sources[${i}]`, source]);
}

/**
 * `spec.source` or `spec.sources` of the {@link sourcesOf} list, with every source's problems and
 * the `$ref` checks across them reported at synth with `scope`'s path. `template`: rendered in an
 * ApplicationSet's template.
 */
export function renderSources(scope: Construct, sources: [string, ApplicationSource][], template?: TemplateParameters): Pick<l1.ApplicationSpec, 'source' | 'sources'> {
  // sourcesOf names a lone `source` 'source', and each of `sources` 'sources[i]'.
  const single = sources[0][0] === 'source';
  const rendered = sources.map(([property, source]) => source._render(scope, property, template));
  checkReferences(scope, sources, single);
  return single ? { source: rendered[0] } : { sources: rendered };
}

/** The problem of each repository URL (with the property it is reported under) that the project's sourceRepos do not permit. */
export function sourceRepoProblems(project: IAppProject, repoUrls: [property: string, repoUrl: string][]): string[] {
  return repoUrls.filter(([, repoUrl]) => !project.isSourcePermitted(repoUrl))
    .map(([property, repoUrl]) => `${property}: project '${project.projectName}' does not permit ${quoted(repoUrl)}: add it to the project's sourceRepos (or fix the URL)`);
}

/**
 * `$<ref>/` values files resolve only to a `ref` source of the same Application, and the
 * repo-server checks out each repository at one revision only.
 */
function checkReferences(scope: Construct, sources: [string, ApplicationSource][], single: boolean): void {
  const checks = deferredChecks(scope);
  const refs = new Map<string, ApplicationSource>();
  for (const [property, source] of sources) {
    const ref = source._refName();
    if (ref === undefined) continue;
    if (single) checks.check(property, `is a ref source, which deploys nothing: put it in sources next to the sources that read '$${ref}/'`);
    if (refs.has(ref)) checks.check(`${property}.ref`, `'${ref}' is declared twice: give each ref source its own name`);
    refs.set(ref, source);
  }
  if (sources.every(([, source]) => source._refName() !== undefined)) {
    checks.check(single ? 'source' : 'sources', 'has only ref sources, which deploy nothing: add the source that deploys (e.g. ApplicationSource.helm or helmFromGit)');
  }
  const used = new Set<string>();
  for (const [property, source] of sources) {
    const revisions = new Map<string, string | undefined>();
    if (source._isGit()) revisions.set(normalizeGitUrl(source.repoUrl), source._revision());
    source._valueFiles().forEach((file, i) => {
      const name = /^\$([^/]*)\//.exec(file)?.[1];
      if (name === undefined) return;
      const ref = refs.get(name);
      used.add(name);
      if (ref === undefined) {
        const declared = [...refs.keys()].map((r) => `'${r}'`).join(', ');
        checks.check(`${property}.valueFiles[${i}]`, `reads '$${name}/', but no ref source of this Application is named '${name}'${declared ? ` (declared: ${declared})` : ''}: `
          + `add ApplicationSource.ref('${name}', { repoUrl, revision }) to sources`);
        return;
      }
      // The repo-server refuses two revisions of one repository in one manifest generation.
      const repo = normalizeGitUrl(ref.repoUrl);
      if (revisions.has(repo) && revisions.get(repo) !== ref._revision()) {
        checks.check(`${property}.valueFiles[${i}]`, `reads '$${name}/' at revision '${ref._revision()}' of a repository this source also reads at '${revisions.get(repo)}': `
          + 'Argo CD refuses two revisions of one repository; use the same revision');
      }
      revisions.set(repo, ref._revision());
    });
  }
  for (const [property, source] of sources) {
    const ref = source._refName();
    if (ref !== undefined && !single && !used.has(ref)) {
      checks.check(`${property}.ref`, `'${ref}' is read by no valueFiles entry ('$${ref}/<path>'): use it or remove the source`);
    }
  }
}

/** A commit SHA (SHA-1 or SHA-256 repositories): the one revision nobody can move. */
const COMMIT_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i;
/**
 * A version tag, optionally after a component prefix (`v1.2.3`, `1.2.3-rc.1`, `api-2.3.0`): tags
 * of this shape are cut once per release and not moved. No `/`, which release branches use
 * (`release/1.2.3`).
 */
const VERSION_TAG = /^(?:[A-Za-z0-9._]+(?:-[A-Za-z0-9._]+)*-)?v?\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]+)?$/;

/**
 * The problem of each Git source (ref sources too: their files are deployed) whose revision can
 * move, a branch such as `main` or `HEAD`, or any tag that is not a version, with automated sync
 * in a production project: every push to it reaches production unreviewed. None when
 * `floatingRevisionReason` says why. Chart sources need an exact version already.
 */
export function floatingRevisionProblems(sources: [string, ApplicationSource][], project: IAppProject,
  props: { readonly syncPolicy?: SyncPolicy; readonly floatingRevisionReason?: string }): string[] {
  const production = (project as { _production?: boolean })._production === true;
  if (!production || !props.syncPolicy?.isAutomated || props.floatingRevisionReason?.trim()) return [];
  return sources.filter(([, source]) => source._isGit() && !COMMIT_SHA.test(source._revision() ?? '') && !VERSION_TAG.test(source._revision() ?? ''))
    .map(([property, source]) => `${property}.revision: ${quoted(source._revision())} with automated sync in production project '${project.projectName}' `
      + "deploys every push to that branch or tag unreviewed: pin a commit SHA or a version tag (e.g. 'v1.4.2'), "
      + 'sync manually, or give floatingRevisionReason');
}

/**
 * The problem of each source Argo CD v3.5 deploys without checking commit signatures, in a project
 * that verifies them, unless `unverifiedSourcesReason` says why: Helm chart and OCI sources (the
 * repo-server verifies only Git checkouts), and `ref` sources read by a source of another
 * repository (a ref source is checked out, never verified; one of the reading source's own
 * repository is pinned to the verified commit).
 */
export function unverifiedSourceProblems(sources: [string, ApplicationSource][], project: IAppProject,
  props: { readonly unverifiedSourcesReason?: string }): string[] {
  const verifies = (project as { _verifiesSignatures?: boolean })._verifiesSignatures === true;
  if (!verifies || props.unverifiedSourcesReason?.trim()) return [];
  const p = project.projectName;
  const problems: string[] = [];
  for (const [property, source] of sources) {
    if (!source._isGit() || source.repoUrl.startsWith('oci://')) {
      problems.push(`${property}: ${quoted(source.repoUrl)} is ${source._isGit() ? 'an OCI' : 'a Helm chart'} source, and project '${p}' verifies Git commit signatures, `
        + 'which Argo CD does not check for charts or OCI artifacts: it would deploy unverified. Keep the chart in a verified Git repository '
        + '(ApplicationSource.helmFromGit), or give unverifiedSourcesReason');
    }
  }
  const refs = new Map(sources.filter(([, source]) => source._refName() !== undefined)
    .map(([property, source]) => [source._refName()!, { property, source }]));
  for (const [property, reader] of sources) {
    for (const file of reader._valueFiles()) {
      const ref = refs.get(/^\$([^/]*)\//.exec(file)?.[1] ?? '');
      if (ref === undefined || normalizeGitUrl(ref.source.repoUrl) === normalizeGitUrl(reader.repoUrl)) continue;
      problems.push(`${ref.property}: ref source '${ref.source._refName()}' from ${quoted(ref.source.repoUrl)} is read by ${property} `
        + `from another repository, and project '${p}' verifies Git commit signatures, which Argo CD does not check for a ref source's repository: its files would be used unverified. `
        + "Keep the values in the reading source's repository, or give unverifiedSourcesReason");
      refs.delete(ref.source._refName()!);
    }
  }
  return problems;
}

/** Checks the reasons for accepted source risks and records them on the Application or ApplicationSet. */
export function recordSourceReasons(scope: Construct, apiObject: ApiObject,
  props: { readonly floatingRevisionReason?: string; readonly unverifiedSourcesReason?: string }): void {
  const reasons: [keyof typeof props, string][] = [
    ['floatingRevisionReason', 'why production may follow a moving revision'],
    ['unverifiedSourcesReason', 'why these sources may be deployed without signature verification'],
  ];
  for (const [property, why] of reasons) {
    const reason = props[property];
    if (reason !== undefined && deferredChecks(scope).check(property, reasonProblem(reason, why))) recordAcceptedRisk(apiObject, property, reason);
  }
}

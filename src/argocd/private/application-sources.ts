import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { normalizeGitUrl } from './git-url';
import { TemplateParameters } from './go-template';
import * as l1 from '../../imports/argocd-argoproj.io';
import { reasonProblem, recordAcceptedRisk } from '../../private/accepted-risks';
import { deferredChecks, invalid } from '../../private/errors';
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
 * `spec.source` or `spec.sources`, with every source's problems and the `$ref` checks across them
 * reported at synth with `scope`'s path. `template`: rendered in an ApplicationSet's template.
 */
export function renderSources(scope: Construct, props: SourcesProps, template?: TemplateParameters): Pick<l1.ApplicationSpec, 'source' | 'sources'> {
  const sources = sourcesOf(scope, props);
  const rendered = sources.map(([property, source]) => source._render(scope, property, template));
  checkReferences(scope, sources, props.source !== undefined);
  return props.source !== undefined ? { source: rendered[0] } : { sources: rendered };
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

/**
 * The problem of a source that follows `HEAD` with automated sync in a production project (every
 * push reaches production unreviewed), unless the `floatingRevisionReason` says why; one per such source.
 */
export function floatingRevisionProblems(sources: [string, ApplicationSource][], project: IAppProject,
  props: { readonly syncPolicy?: SyncPolicy; readonly floatingRevisionReason?: string }): string[] {
  const production = (project as { _production?: boolean })._production === true;
  if (!production || !props.syncPolicy?.isAutomated || props.floatingRevisionReason?.trim()) return [];
  return sources.filter(([, source]) => /^head$/i.test(source._revision() ?? ''))
    .map(([property]) => `${property}.revision: 'HEAD' with automated sync in production project '${project.projectName}' deploys every push `
      + 'unreviewed: pin a tag or commit SHA, sync manually, or give floatingRevisionReason');
}

/** Checks `floatingRevisionReason` and records it on the object whose Applications follow HEAD. */
export function recordFloatingRevisionReason(scope: Construct, apiObject: ApiObject, reason: string | undefined): void {
  if (reason === undefined) return;
  if (deferredChecks(scope).check('floatingRevisionReason', reasonProblem(reason, 'why production may follow HEAD'))) {
    recordAcceptedRisk(apiObject, 'floatingRevisionReason', reason);
  }
}

// The one mechanism that gives every object the library creates its standard labels and a sync
// wave. Each library construct registers itself in its constructor; once per app, a validation
// hook (cdk8s runs validations before it renders any chart, in `synth`, `synthYaml` and
// `Testing.synth`) visits the objects under every registered construct and adds what is
// missing. Labels or a wave a construct set itself are kept, so the hook only fills gaps, and
// objects created after the constructor (by `addXxx()` methods) are covered too.
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { LABEL_MANAGED_BY, LABEL_PART_OF, MANAGED_BY } from '../core/labels';
import { SYNC_WAVE_ANNOTATION, syncWaveForKind } from '../core/sync-wave';

/** The library constructs of each app (by root), with the `part-of` value each one knows. */
const registered = new WeakMap<IConstruct, Map<IConstruct, string | undefined>>();

/**
 * Registers a library construct: every ApiObject under it gets `app.kubernetes.io/managed-by`,
 * `app.kubernetes.io/part-of` (when `partOf` is given) and a sync wave chosen by kind, unless it
 * already has them. Call it once at the start of every public construct's constructor.
 * @param scope the library construct
 * @param partOf the larger application its objects belong to (`argocd`, `argo-workflows`)
 */
export function registerLibraryConstruct(scope: IConstruct, partOf?: string): void {
  const root = scope.node.root;
  let scopes = registered.get(root);
  if (!scopes) {
    const created = new Map<IConstruct, string | undefined>();
    scopes = created;
    registered.set(root, created);
    root.node.addValidation({
      validate: () => {
        stamp(created);
        return [];
      },
    });
  }
  scopes.set(scope, partOf);
}

/** Stamps the objects under each registered construct, innermost constructs first (their `part-of` wins). */
function stamp(scopes: Map<IConstruct, string | undefined>): void {
  const ordered = [...scopes.entries()].sort(([a], [b]) => b.node.scopes.length - a.node.scopes.length);
  const done = new Set<IConstruct>();
  for (const [scope, partOf] of ordered) {
    for (const child of scope.node.findAll()) {
      if (done.has(child)) continue;
      done.add(child);
      if (ApiObject.isApiObject(child)) stampObject(child, partOf);
    }
  }
}

function stampObject(obj: ApiObject, partOf: string | undefined): void {
  const metadata = obj.metadata;
  if (metadata.getLabel(LABEL_MANAGED_BY) === undefined) metadata.addLabel(LABEL_MANAGED_BY, MANAGED_BY);
  if (partOf !== undefined && metadata.getLabel(LABEL_PART_OF) === undefined) metadata.addLabel(LABEL_PART_OF, partOf);
  if (metadata.toJson().annotations?.[SYNC_WAVE_ANNOTATION] === undefined) {
    metadata.addAnnotation(SYNC_WAVE_ANNOTATION, String(syncWaveForKind(obj.kind)));
  }
}

// The one mechanism that gives every object the library creates its standard labels and a sync
// wave. Each library construct registers itself in its constructor; once per app, a validation
// hook (cdk8s runs validations before it renders any chart, in `synth`, `synthYaml` and
// `Testing.synth`) visits the objects under every registered construct and adds what is
// missing. Labels or a wave a construct set itself are kept, so the hook only fills gaps, and
// objects created after the constructor (by `addXxx()` methods) are covered too.
//
// The same hook is the floor for text: cdk8s writes U+2028, U+2029, U+0085, DEL, C1 controls
// and U+FEFF raw, and go-yaml reads the first three as line breaks (and refuses or changes the
// others), so one such character in any field can rewrite the document Argo CD or Kubernetes
// reads. Every string (and key) of every object is checked; one that holds such a character is
// refused with the construct's path and the field, whatever input produced it.
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { deferredChecks } from './errors';
import { resolvedProps } from './resolved-props';
import { isGoYamlNumber, quoted, unsafeTextProblem } from './validate';
import { LABEL_MANAGED_BY, LABEL_PART_OF, MANAGED_BY } from '../core/labels';
import { SYNC_WAVE_ANNOTATION, syncWaveForKind } from '../core/sync-wave';

/** Per app (by root): the library constructs with the `part-of` value each knows, and the derivations. */
interface AppRegistry {
  readonly scopes: Map<IConstruct, string | undefined>;
  readonly derivations: Array<{ readonly scope: IConstruct; readonly derive: () => void; readonly afterOthers: boolean }>;
}

const registries = new WeakMap<IConstruct, AppRegistry>();

/** The registry of `scope`'s app; the first use adds the app's validation hook. */
function registryOf(scope: IConstruct): AppRegistry {
  const root = scope.node.root;
  let registry = registries.get(root);
  if (!registry) {
    const created: AppRegistry = { scopes: new Map(), derivations: [] };
    registry = created;
    registries.set(root, created);
    // The root's validations run first in each pass: derivations, then the stamp, see the whole app.
    root.node.addValidation({
      validate: () => {
        const attached = created.derivations.filter((d) => isAttached(d.scope));
        for (const { derive } of [...attached.filter((d) => !d.afterOthers), ...attached.filter((d) => d.afterOthers)]) derive();
        stamp(root, created.scopes);
        return [];
      },
    });
  }
  return registry;
}

/**
 * Registers a library construct: every ApiObject under it gets `app.kubernetes.io/managed-by`,
 * `app.kubernetes.io/part-of` (when `partOf` is given) and a sync wave chosen by kind, unless it
 * already has them. Call it once at the start of every public construct's constructor.
 * @param scope the library construct
 * @param partOf the larger application its objects belong to (`argocd`, `argo-workflows`)
 */
export function registerLibraryConstruct(scope: IConstruct, partOf?: string): void {
  registryOf(scope).scopes.set(scope, partOf);
}

/** Options of {@link registerDerivation}. */
export interface DerivationOptions {
  /** Run after every derivation registered without it: the derivation reads what others add. */
  readonly afterOthers?: boolean;
}

/**
 * Registers a derivation: work that adds or changes objects from what the whole app declares (an
 * install's Roles from the projects), so it can only run at synth. The app's validation hook
 * runs the derivations of the constructs still in the tree, in the order they were registered
 * (those `afterOthers` last), before it stamps and checks the objects: what they add or change is
 * stamped and checked in the same pass, also when only one chart is synthesized. Each runs once;
 * the problems it returns are reported by `scope`'s validation, in every pass.
 */
export function registerDerivation(scope: IConstruct, derive: () => string[], options: DerivationOptions = {}): void {
  let problems: string[] | undefined;
  const once = () => (problems ??= derive());
  registryOf(scope).derivations.push({ scope, derive: once, afterOthers: options.afterOthers ?? false });
  scope.node.addValidation({ validate: once });
}

/** False for a construct removed from the tree (`tryRemoveChild`) or below one. */
function isAttached(construct: IConstruct): boolean {
  for (let c = construct; c.node.scope; c = c.node.scope) {
    if (c.node.scope.node.tryFindChild(c.node.id) !== c) return false;
  }
  return true;
}

/**
 * The objects already stamped and checked. cdk8s validates the whole app again before it renders
 * each chart (`synthYaml`, `Chart.toJson`), so the hook runs once per chart: an object is checked
 * once, and later runs only reach objects created since.
 */
const stamped = new WeakSet<ApiObject>();

/**
 * Stamps the objects under the registered constructs in one walk of the app's tree (the hook runs
 * once per chart, so a walk per construct would cost constructs x charts): each object takes the
 * `part-of` of its innermost registered construct, and is checked as that construct's output.
 */
function stamp(root: IConstruct, scopes: Map<IConstruct, string | undefined>): void {
  const walk = (construct: IConstruct, owner: IConstruct | undefined): void => {
    const inner = scopes.has(construct) ? construct : owner;
    if (inner && ApiObject.isApiObject(construct) && !stamped.has(construct)) {
      stamped.add(construct);
      stampObject(construct, scopes.get(inner));
      checkOutputText(inner, construct);
    }
    for (const child of construct.node.children) walk(child, inner);
  };
  walk(root, undefined);
}

/** Objects whose body is pinned upstream data (vendored CRDs): the text check reads only their metadata. */
const vendored = new WeakSet<ApiObject>();

/**
 * Marks `obj`'s body (everything but metadata) as pinned upstream data, which no input reaches:
 * the output text check then reads only its metadata (a test checks the vendored bodies once, so
 * megabytes of schema are not rendered for the check on every synth).
 */
export function markVendoredBody(obj: ApiObject): void {
  vendored.add(obj);
}

/**
 * Refuses, as a problem of the library construct `scope`, every string of `obj` that go-yaml
 * would read differently. A construct whose own checks already refused an input is left to
 * those messages (they name the property; this backstop names only the output field).
 */
function checkOutputText(scope: IConstruct, obj: ApiObject): void {
  const checks = deferredChecks(scope);
  if (!checks.ok) return;
  let body: unknown;
  try {
    // read, not rendered: rendering every object once more per synth for this check was a fifth
    // of the library's synth time
    body = vendored.has(obj) ? { metadata: obj.metadata.toJson() } : resolvedProps(obj) ?? obj.toJson();
  } catch {
    return; // a value that cannot render is reported by its own construct
  }
  const where = `output ${obj.kind} ${quoted(obj.metadata.name ?? obj.node.id)}`;
  visitStrings(body, [], (path, text) => {
    if (!SUSPECT.test(text)) return;
    const problem = unsafeTextProblem(text) ?? goOctalProblem(text);
    if (problem) checks.check(`${where} ${path()}`, `${quoted(text)} ${problem}: remove it from the input that sets this field`);
  });
}

/** cdk8s writes `0o17` unquoted (it is no number in YAML 1.1), but go-yaml reads it as the number 15. */
function goOctalProblem(text: string): string | undefined {
  return isGoYamlNumber(text) ? 'is written unquoted and read as a number by go-yaml (kubectl, Argo CD)' : undefined;
}

/**
 * A quick test that lets most strings skip the precise checks: every string `unsafeTextProblem`
 * or `goOctalProblem` refuses holds one of these (a control, line-break, BOM or surrogate code
 * unit, or starts like `0o17`).
 */
const SUSPECT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\ufeff\ud800-\udfff]|^[-+]?0[oO]/;

/**
 * Calls `visit` with every string and every object key in `value`, as the YAML writer reads it (a
 * value with a `toJSON` method as what that returns), and a function that spells its JSON path:
 * the path is spelled only for a string that has a problem, as most have none.
 */
function visitStrings(value: unknown, path: Array<string | number>, visit: (path: () => string, text: string) => void, converted = false): void {
  if (!converted && value !== null && (typeof value === 'object' || typeof value === 'function')
    && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    visitStrings((value as { toJSON: () => unknown }).toJSON(), path, visit, true);
  } else if (typeof value === 'string') {
    visit(() => spellPath(path), value);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => {
      path.push(i);
      visitStrings(v, path, visit);
      path.pop();
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      path.push(key);
      visit(() => `${spellPath(path)} (key)`, key);
      visitStrings(v, path, visit);
      path.pop();
    }
  }
}

/** `spec.rules[0]["app.kubernetes.io/name"]`-style: array indexes and keys that are no identifiers in brackets. */
function spellPath(path: Array<string | number>): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : !/^[A-Za-z_][A-Za-z0-9_]*$/.test(p) ? `[${quoted(p)}]` : i > 0 ? `.${p}` : p)).join('');
}

function stampObject(obj: ApiObject, partOf: string | undefined): void {
  const metadata = obj.metadata;
  if (metadata.getLabel(LABEL_MANAGED_BY) === undefined) metadata.addLabel(LABEL_MANAGED_BY, MANAGED_BY);
  if (partOf !== undefined && metadata.getLabel(LABEL_PART_OF) === undefined) metadata.addLabel(LABEL_PART_OF, partOf);
  if (metadata.toJson().annotations?.[SYNC_WAVE_ANNOTATION] === undefined) {
    metadata.addAnnotation(SYNC_WAVE_ANNOTATION, String(syncWaveForKind(obj.kind)));
  }
}

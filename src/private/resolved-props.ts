// What an ApiObject renders, read without rendering it. cdk8s renders an object by resolving its
// props (every value offered to the app's resolvers, with `App.of` looked up per value), dropping
// empty map values, sorting keys and, in the L1 classes, renaming schema keys; readers that only
// need the values (the output text check, the access derivation) read them here at a fraction of
// that cost.
import { ApiObject, App, ImplicitTokenResolver, Lazy, LazyResolver, NumberStringUnionResolver } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import * as argocd from '../imports/argocd-argoproj.io';
import * as certManager from '../imports/certmanager-cert-manager.io';
import * as externalSecrets from '../imports/externalsecrets-external-secrets.io';
import * as gatewayApi from '../imports/gateway-gateway.networking.k8s.io';
import * as sealedSecrets from '../imports/sealedsecrets-bitnami.com';
import * as workflows from '../imports/workflows-argoproj.io';

/**
 * The generated L1 classes: their `toJson` only renames schema keys, keeps the schema's fields
 * and adds their apiVersion and kind. Any other class that overrides `toJson` may write what its
 * props do not hold, so its objects are rendered.
 */
const GENERATED_CLASSES = new Set<unknown>([k8s, argocd, certManager, externalSecrets, gatewayApi, sealedSecrets, workflows].flatMap(Object.values));

/**
 * `obj`'s props with its metadata, with the three resolvers every cdk8s App has applied the way
 * cdk8s's `resolve` applies them, in their order: a `Lazy` is read as what it produces, an
 * implicit token as its `resolve()`, a number/string union (`IntOrString`, `Quantity`) as
 * `{ value }` (which the L1 classes then unwrap); map entries that are null or undefined are
 * dropped, as cdk8s drops them. Subtrees holding none of these are the props' own (not copies):
 * do not modify them. Keys are the props' (an L1 class may write a schema key differently:
 * `repoUrl` as `repoURL`).
 *
 * Undefined when that is not what renders, and the caller must render: the app has resolvers
 * other than the three, the object has JSON patches or a `toJson` of its own (or of a class that
 * is not a generated L1 class), or a value is a function, an instance none of the three reads, or
 * fails to resolve (rendering then reports it with the object's path).
 */
export function resolvedProps(obj: ApiObject): Record<string, unknown> | undefined {
  // cdk8s keeps what it renders in two fields it does not expose; if they change, render.
  const { props, patches } = obj as unknown as { props?: unknown; patches?: unknown };
  if (!isPlainObject(props) || !Array.isArray(patches) || patches.length > 0 || !rendersProps(obj) || !hasDefaultResolvers(obj)) {
    return undefined;
  }
  try {
    return resolved({ ...props, metadata: obj.metadata.toJson() }) as Record<string, unknown>;
  } catch {
    // UNREADABLE, or a value that fails to resolve: rendering reports it with the object's path
    return undefined;
  }
}

/**
 * True when `obj` has no `toJson` of its own and every class between its class and ApiObject that
 * overrides `toJson` is a generated L1 class.
 */
function rendersProps(obj: ApiObject): boolean {
  if (Object.prototype.hasOwnProperty.call(obj, 'toJson')) return false;
  for (let proto = Object.getPrototypeOf(obj); proto && proto !== ApiObject.prototype; proto = Object.getPrototypeOf(proto)) {
    if (Object.prototype.hasOwnProperty.call(proto, 'toJson') && !GENERATED_CLASSES.has(proto.constructor)) return false;
  }
  return true;
}

/** Exactly the three resolvers `new App()` installs, not subclasses of them. */
function hasDefaultResolvers(obj: ApiObject): boolean {
  const resolvers = (App.of(obj) as Partial<App>).resolvers;
  return resolvers !== undefined && resolvers.length === 3 && resolvers[0]?.constructor === LazyResolver
    && resolvers[1]?.constructor === ImplicitTokenResolver && resolvers[2]?.constructor === NumberStringUnionResolver;
}

/** Thrown by `resolved` for a value it does not read the way cdk8s does. */
const UNREADABLE = Symbol('unreadable');

function resolved(value: unknown): unknown {
  if (typeof value === 'function') throw UNREADABLE;
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Lazy) return resolved(value.produce());
  if (typeof (value as { resolve?: unknown }).resolve === 'function') return resolved((value as { resolve: () => unknown }).resolve());
  if (value.constructor !== Object && ['number', 'string'].includes(typeof (value as { value?: unknown }).value)) {
    return { value: (value as { value: unknown }).value };
  }
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((v, i) => {
      const r = resolved(v);
      if (r !== v) (copy ??= value.slice())[i] = r;
    });
    return copy ?? value;
  }
  if (value.constructor !== Object) throw UNREADABLE;
  let copy: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(value)) {
    const r = resolved(v);
    if (r === null || r === undefined) {
      delete (copy ??= { ...value })[k];
    } else if (r !== v) {
      (copy ??= { ...value })[k] = r;
    }
  }
  return copy ?? value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && value.constructor === Object;
}

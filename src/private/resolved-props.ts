// What an ApiObject renders, read without rendering it. cdk8s renders an object by resolving its
// props (every value offered to the app's resolvers, with `App.of` looked up per value), sorting
// keys and, in the L1 classes, renaming schema keys; readers that only need the values (the
// output text check, the access derivation) read them here at a fraction of that cost.
import { ApiObject, App, ImplicitTokenResolver, Lazy, LazyResolver, NumberStringUnionResolver } from 'cdk8s';

/**
 * `obj`'s props with its metadata, with the three resolvers every cdk8s App has applied the way
 * cdk8s's `resolve` applies them, in their order: a `Lazy` is read as what it produces, an
 * implicit token as its `resolve()`, a number/string union (`IntOrString`, `Quantity`) as its
 * `value`. Subtrees holding none of these are the props' own (not copies): do not modify them.
 * Keys are the props' (an L1 class may write a schema key differently: `repoUrl` as `repoURL`),
 * and empty values are kept where cdk8s drops them.
 *
 * Undefined when that is not what renders, and the caller must render: the app has resolvers of
 * its own, the object has JSON patches, or a value is an instance none of the three reads.
 */
export function resolvedProps(obj: ApiObject): Record<string, unknown> | undefined {
  // cdk8s keeps what it renders in two fields it does not expose; if they change, render.
  const { props, patches } = obj as unknown as { props?: unknown; patches?: unknown };
  if (!isPlainObject(props) || !Array.isArray(patches) || patches.length > 0 || !hasDefaultResolvers(obj)) return undefined;
  try {
    return resolved({ ...props, metadata: obj.metadata.toJson() }) as Record<string, unknown>;
  } catch (e) {
    if (e === UNREADABLE) return undefined;
    throw e;
  }
}

function hasDefaultResolvers(obj: ApiObject): boolean {
  const resolvers = (App.of(obj) as Partial<App>).resolvers;
  return resolvers !== undefined && resolvers.length === 3 && resolvers[0] instanceof LazyResolver
    && resolvers[1] instanceof ImplicitTokenResolver && resolvers[2] instanceof NumberStringUnionResolver;
}

/** Thrown by `resolved` for a value none of cdk8s's default resolvers reads. */
const UNREADABLE = Symbol('unreadable');

function resolved(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Lazy) return resolved(value.produce());
  if (typeof (value as { resolve?: unknown }).resolve === 'function') return resolved((value as { resolve: () => unknown }).resolve());
  if (value.constructor !== Object && ['number', 'string'].includes(typeof (value as { value?: unknown }).value)) {
    return (value as { value: unknown }).value;
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
    if (r !== v) (copy ??= { ...value })[k] = r;
  }
  return copy ?? value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && value.constructor === Object;
}

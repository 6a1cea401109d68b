// Lists kept per app or per construct: constructs that must see each other at synth (installs,
// clusters, workflow namespaces) register there instead of importing or searching for each other.
import { IConstruct } from 'constructs';

/**
 * The list `name` kept on `holder`, created on first use. The key is a Symbol.for key, so two
 * copies of the library in one app share the list.
 */
export function sharedList<T>(holder: object, name: string): T[] {
  const key = Symbol.for(`cdk8s-secure-argo.${name}`);
  const lists = holder as { [key: symbol]: T[] | undefined };
  if (!lists[key]) Object.defineProperty(holder, key, { value: [] });
  return lists[key]!;
}

/** The list `name` of the app of `scope`: {@link sharedList} on the app's root construct. */
export function appRegistry<T>(scope: IConstruct, name: string): T[] {
  return sharedList<T>(scope.node.root, name);
}

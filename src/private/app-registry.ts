// Lists kept per app: constructs that must see each other at synth (installs, clusters) register
// there instead of importing each other.
import { IConstruct } from 'constructs';

/**
 * The list `name` of the app of `scope`, created on first use. It is kept on the app's root
 * construct under a Symbol.for key, so two copies of the library in one app share it.
 */
export function appRegistry<T>(scope: IConstruct, name: string): T[] {
  const key = Symbol.for(`cdk8s-secure-argo.${name}`);
  const root = scope.node.root as unknown as { [key: symbol]: T[] | undefined };
  if (!root[key]) Object.defineProperty(root, key, { value: [] });
  return root[key]!;
}

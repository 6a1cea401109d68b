// Brand checks instead of `instanceof`, so that objects from another copy of this package (two
// versions in one node_modules tree) are still recognised, as aws-cdk does with `Role.isRole`.

function symbolFor(name: string): symbol {
  return Symbol.for(`cdk8s-secure-argo.${name}`);
}

/** Marks `obj` as an instance of the named class. */
export function brand(obj: object, name: string): void {
  Object.defineProperty(obj, symbolFor(name), { value: true });
}

/** True when `x` was marked by {@link brand} with the named class. */
export function hasBrand(x: unknown, name: string): boolean {
  return x !== null && typeof x === 'object' && (x as any)[symbolFor(name)] === true;
}

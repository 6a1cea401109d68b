import { IConstruct } from 'constructs';

/**
 * Throws the library's standard error: it names the construct, the property, what is wrong
 * and how to fix it.
 * @internal
 */
export function invalid(construct: IConstruct | string, property: string, problem: string): never {
  const where = typeof construct === 'string' ? construct : `${construct.constructor.name} '${construct.node.path}'`;
  throw new Error(`${where}: ${property}: ${problem}`);
}

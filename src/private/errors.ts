// The library's one error type, and the two ways a problem reaches the user: thrown at once
// (structural problems that stop rendering) or collected and reported at synth, so that one
// `cdk8s synth` lists every problem of the app, each with its construct path.
import { IConstruct } from 'constructs';

/**
 * A configuration problem: names the construct (class and path), the property, what is wrong
 * and how to fix it. Message: `<ClassName> '<path>': <property>: <problem>`.
 */
export class ConfigurationError extends Error {
  /** The construct path, or the factory's name (`ContainerImage.fromReference`) when there is none. */
  public readonly constructPath: string;
  /** The property at fault, e.g. `networkPolicies.kubernetesApiCidr`. */
  public readonly property: string;
  /** What is wrong and how to fix it. */
  public readonly problem: string;

  constructor(where: IConstruct | string, property: string, problem: string) {
    super(`${describe(where)}: ${property}: ${problem}`);
    this.name = 'ConfigurationError';
    this.constructPath = typeof where === 'string' ? where : where.node.path;
    this.property = property;
    this.problem = problem;
  }
}

/** `<ClassName> '<path>'` for a construct, or the given name as is. */
function describe(where: IConstruct | string): string {
  return typeof where === 'string' ? where : `${where.constructor.name} '${where.node.path}'`;
}

/**
 * Throws the library's standard error: it names the construct, the property, what is wrong
 * and how to fix it.
 */
export function invalid(where: IConstruct | string, property: string, problem: string): never {
  throw new ConfigurationError(where, property, problem);
}

/**
 * The problems of one construct that do not stop rendering (formats of names, URLs, CIDRs,
 * ports...): recorded while the construct is built, reported together at synth through one
 * `node.addValidation`, so that a user sees every problem of the app at once.
 */
export class DeferredChecks {
  private readonly problems: string[] = [];

  /** @param scope the construct the problems belong to */
  constructor(private readonly scope: IConstruct) {
    scope.node.addValidation({ validate: () => [...this.problems] });
  }

  /**
   * Records `problem` for `property` when there is one.
   * @returns true when there was no problem
   */
  public check(property: string, problem: string | undefined): boolean {
    if (problem === undefined) return true;
    const message = new ConfigurationError(this.scope, property, problem).message;
    if (!this.problems.includes(message)) this.problems.push(message);
    return false;
  }

  /** True when no problem has been recorded. */
  public get ok(): boolean {
    return this.problems.length === 0;
  }
}

const deferred = new WeakMap<IConstruct, DeferredChecks>();

/** The deferred checks of `scope`: one per construct, created on first use. */
export function deferredChecks(scope: IConstruct): DeferredChecks {
  let checks = deferred.get(scope);
  if (!checks) {
    checks = new DeferredChecks(scope);
    deferred.set(scope, checks);
  }
  return checks;
}

interface FactoryProblem {
  readonly property: string;
  readonly problem: string;
}

const factoryProblems = new WeakMap<object, FactoryProblem[]>();

/**
 * Records a problem found by a static factory (`ContainerImage.fromReference`, ...) that runs
 * before any construct exists: it is reported with a construct path when a construct binds the
 * object with {@link bindFactoryProblems}. The factory must still return a renderable object.
 */
export function recordFactoryProblem(obj: object, property: string, problem: string): void {
  const list = factoryProblems.get(obj) ?? [];
  list.push({ property, problem });
  factoryProblems.set(obj, list);
}

/** The problems recorded on a factory-made object (none when it is valid). */
export function factoryProblemsOf(obj: object): readonly FactoryProblem[] {
  return factoryProblems.get(obj) ?? [];
}

/**
 * Reports the problems recorded on `obj` as deferred problems of `scope`, under
 * `<property>.<factoryProperty>` (e.g. `image.digest`).
 */
export function bindFactoryProblems(scope: IConstruct, property: string, obj: object | undefined): void {
  if (obj === undefined || obj === null) return;
  for (const p of factoryProblems.get(obj) ?? []) {
    deferredChecks(scope).check(`${property}.${p.property}`, p.problem);
  }
}

// Stand-ins with the floor's signatures until src/private/errors.ts provides them: a factory
// records what is wrong with the object it returns, and the construct that receives the object
// reports it with its own path. Until the floor lands, binding throws the first problem.
import { IConstruct } from 'constructs';
import { invalid } from '../../private/errors';

const problems = new WeakMap<object, Array<{ property: string; problem: string }>>();

export function recordFactoryProblem(obj: object, property: string, problem: string): void {
  problems.set(obj, [...(problems.get(obj) ?? []), { property, problem }]);
}

export function bindFactoryProblems(scope: IConstruct, property: string, obj: object): void {
  for (const p of (typeof obj === 'object' && obj !== null ? problems.get(obj) : undefined) ?? []) {
    invalid(scope, `${property}.${p.property}`, p.problem);
  }
}

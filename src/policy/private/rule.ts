import { PolicyLevel, PolicyRuleInfo } from '../policy-rule';
import { Obj } from './kube';

/** A finding before the engine names the object: the field and what is wrong with it. */
export interface Violation {
  readonly path: string;
  readonly message: string;
}

/** Every object of the app, for the rules that look across objects. */
export interface RuleContext {
  readonly objects: readonly Obj[];
}

/** A rule: its metadata and one pure function over one object (and, read-only, the others). */
export interface RuleDefinition extends PolicyRuleInfo {
  check(m: Obj, context: RuleContext): Violation[];
}

/** Builds a rule; `level` defaults to error. */
export function rule(pack: string, def: Omit<RuleDefinition, 'pack' | 'level'> & { level?: PolicyLevel }): RuleDefinition {
  return { ...def, pack, level: def.level ?? PolicyLevel.ERROR };
}

export function violation(path: string, message: string): Violation {
  return { path, message };
}

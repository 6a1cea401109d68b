import { quoted } from '../../private/validate';

/** A Go template action, `{{...}}`. */
export const ACTION = /\{\{(.*?)\}\}/gs;

/**
 * The parameters an ApplicationSet's generator produces (first segment, e.g. `path` for
 * `{{.path.basename}}`), or undefined when the generator's input decides them (Git files).
 */
export interface TemplateParameters {
  readonly names: readonly string[] | undefined;
}

export function hasAction(value: string): boolean {
  return /\{\{.*?\}\}/s.test(value);
}

/** The value with every action replaced by `x`, so the fixed parts can be checked like a literal. */
export function withoutActions(value: string): string {
  return value.replace(ACTION, 'x');
}

/**
 * The fixed texts of a template around its actions, as Go's text/template writes them: trim
 * markers (`{{- ` and ` -}}`) remove the spaces, tabs and line breaks next to them.
 */
export function templateTexts(value: string): string[] {
  const texts: string[] = [];
  let last = 0;
  let trimNext = false;
  for (const match of value.matchAll(ACTION)) {
    const text = value.slice(last, match.index);
    const trimmed = trimNext ? text.replace(/^[ \t\r\n]+/, '') : text;
    texts.push(/^-[ \t\r\n]/.test(match[1]) ? trimmed.replace(/[ \t\r\n]+$/, '') : trimmed);
    trimNext = /[ \t\r\n]-$/.test(match[1]);
    last = match.index! + match[0].length;
  }
  const rest = value.slice(last);
  texts.push(trimNext ? rest.replace(/^[ \t\r\n]+/, '') : rest);
  return texts;
}

/**
 * What is wrong with a templated value: unbalanced braces, or a parameter the generator does
 * not produce (not checked when the generator's parameters are open).
 */
export function templateProblem(value: string, parameters: TemplateParameters): string | undefined {
  const outside = value.replace(ACTION, '');
  if (outside.includes('{{') || outside.includes('}}')) return `${quoted(value)} has an unbalanced '{{' or '}}': close each action, e.g. '{{.path.basename}}'`;
  const names = parameters.names;
  if (names === undefined) return undefined;
  for (const [, action] of value.matchAll(ACTION)) {
    // `.name` at the start of a word, outside string literals; `$` variables are not checked.
    const code = action.replace(/"(?:[^"\\]|\\.)*"|`[^`]*`/g, '""');
    for (const [, name] of code.matchAll(/(?<![\w.)\]$])\.([A-Za-z_][A-Za-z0-9_]*)/g)) {
      if (!names.includes(name)) {
        return `${quoted(value)} names the parameter '.${name}', which the generator does not produce (${[...new Set(names)].sort().map((p) => `.${p}`).join(', ')}): `
          + 'with missingkey=error Argo CD would refuse the ApplicationSet: use one of those parameters';
      }
    }
  }
  return undefined;
}

/**
 * What is wrong with a templated value whose fixed parts are checked without the actions (a path,
 * a values file): an action that is not a plain parameter reference (`{{.path.basename}}`) can
 * compute any text (`{{"/etc"}}`, `{{ printf "../.." }}`, a pipeline), which that check never sees.
 */
export function parameterReferencesProblem(value: string): string | undefined {
  for (const [action, code] of value.matchAll(ACTION)) {
    if (!/^ *\.[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)* *$/.test(code)) {
      return `${quoted(value)} has the action ${quoted(action)}, which is not a plain parameter reference: `
        + 'insert parameters as they are, e.g. \'apps/{{.path.basename}}\' (no constants, functions, pipelines or trim markers)';
    }
  }
  return undefined;
}

/**
 * The problem of a value the ApplicationSet controller would render as a template although it
 * must stay fixed: every string of the template is rendered, so `{{` anywhere is an action.
 */
export function fixedValueProblem(value: string): string | undefined {
  return value.includes('{{') ? `${quoted(value)} is a template: give a fixed value (a generator's input must not choose it)` : undefined;
}

import * as l1 from '../../imports/argocd-argoproj.io';
import { DeferredChecks } from '../../private/errors';
import { apiGroupProblem, dns1123LabelProblem, quoted, safeTextProblem } from '../../private/validate';
import { IgnoreDifference } from '../ignore-differences';

/** RFC 6901: one or more `/token`, where `~` only appears as `~0` or `~1`. The whole document ("") is refused. */
const JSON_POINTER = /^(\/([^~/]|~[01])*)+$/;
/** Argo CD matches group and kind as globs. */
const KIND_GLOB = /^[A-Za-z0-9*?]+$/;

/** Renders `entries` as `spec.ignoreDifferences`, reporting format problems through `checks`. */
export function renderIgnoreDifferences(checks: DeferredChecks, entries: readonly IgnoreDifference[]): l1.ApplicationSpecIgnoreDifferences[] {
  return entries.map((entry, i) => {
    const property = `ignoreDifferences[${i}]`;
    const group = entry.group ?? '';
    checks.check(`${property}.group`, apiGroupProblem(group, true));
    checks.check(`${property}.kind`, typeof entry.kind === 'string' && KIND_GLOB.test(entry.kind)
      ? undefined : `${quoted(entry.kind)} is not a kind: e.g. 'Deployment' or '*'`);
    if (entry.name !== undefined) checks.check(`${property}.name`, safeTextProblem(entry.name, { maxLength: 253 }));
    if (entry.namespace !== undefined) checks.check(`${property}.namespace`, dns1123LabelProblem(entry.namespace));
    const pointers = entry.jsonPointers ?? [];
    const jq = entry.jqPathExpressions ?? [];
    const managers = entry.managedFieldsManagers ?? [];
    if (pointers.length + jq.length + managers.length === 0) {
      checks.check(property, 'ignores nothing: give jsonPointers, jqPathExpressions or managedFieldsManagers');
    }
    pointers.forEach((pointer, j) => checks.check(`${property}.jsonPointers[${j}]`, safeTextProblem(pointer)
      ?? (JSON_POINTER.test(pointer) ? undefined
        : `${quoted(pointer)} is not a JSON pointer (RFC 6901): start with '/', write '~' as '~0' and '/' inside a key as '~1', e.g. '/spec/replicas'`)));
    jq.forEach((expression, j) => checks.check(`${property}.jqPathExpressions[${j}]`, safeTextProblem(expression) ?? jqPathProblem(expression)));
    managers.forEach((manager, j) => checks.check(`${property}.managedFieldsManagers[${j}]`, safeTextProblem(manager, { maxLength: 128 })));
    return {
      group: entry.group,
      kind: entry.kind,
      name: entry.name,
      namespace: entry.namespace,
      jsonPointers: pointers.length > 0 ? [...pointers] : undefined,
      jqPathExpressions: jq.length > 0 ? [...jq] : undefined,
      managedFieldsManagers: managers.length > 0 ? [...managers] : undefined,
    };
  });
}

/**
 * A jq path expression as Argo CD runs it (`del(<expression>)`): it starts with `.` and its
 * brackets and quotes are balanced, so it cannot close the `del(` around it.
 */
function jqPathProblem(expression: string): string | undefined {
  if (!expression.trim().startsWith('.')) return `${quoted(expression)} is not a jq path expression: start with '.', e.g. '.spec.replicas'`;
  const open: string[] = [];
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i];
    if (c === '"') {
      // Skip a string literal, with its escapes.
      for (i++; i < expression.length && expression[i] !== '"'; i++) if (expression[i] === '\\') i++;
      if (i >= expression.length) return `${quoted(expression)} has an unclosed string`;
    } else if ('([{'.includes(c)) {
      open.push(c);
    } else if (c in pairs && open.pop() !== pairs[c]) {
      return `${quoted(expression)} has an unbalanced '${c}'`;
    }
  }
  return open.length > 0 ? `${quoted(expression)} has an unclosed '${open[open.length - 1]}'` : undefined;
}

// What Argo CD's RBAC accepts in a policy line, and the "global admin" guard's view of objects.
import { compileRe2 } from './re2';
import { globMatchesEverything } from '../../private/glob';

/** The resources Argo CD RBAC knows (`util/rbac/rbac.go`). */
export const RBAC_RESOURCES = new Set<string>([
  'applications', 'applicationsets', 'clusters', 'repositories', 'write-repositories', 'projects',
  'accounts', 'certificates', 'gpgkeys', 'logs', 'exec', 'extensions',
]);

/** Resources whose objects are `<project>/<name>` or `<project>/<namespace>/<name>`. */
export const PROJECT_SCOPED_RESOURCES = new Set<string>(['applications', 'applicationsets', 'logs', 'exec']);

/**
 * A policy token must not be able to break out of its CSV field or line: also no character
 * go-yaml reads as a line break (U+0085, U+2028, U+2029), C1 controls, a BOM or a lone surrogate.
 */
export const UNSAFE_TOKEN = /[,"'#\r\n\t\\\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * A group as one field of a `g` line. Argo CD reads policy lines with Go's encoding/csv, so a
 * group with commas (an LDAP DN) is written in double quotes; AppProject role groups are
 * interpolated into `g, <group>, proj:<project>:<role>` as they are (`ProjectPoliciesString`),
 * and `ValidateProject` requires such a group to be quoted in the spec. The group must already
 * pass groupNameProblem (no quotes, backslashes or line breaks).
 */
export function groupCsvField(group: string): string {
  return group.includes(',') ? `"${group}"` : group;
}

/** A path segment inside an action (`action/<group>/<kind>/<name>`, `update/...`). */
export const ACTION_SEGMENT = /^[A-Za-z0-9*._-]*$/;

/** True for an action Argo CD ever checks: a verb, `*`, or `action/`, `update/`, `delete/` paths. */
export function isKnownAction(value: string): boolean {
  if (['get', 'create', 'update', 'delete', 'sync', 'override', 'invoke', '*'].includes(value)) return true;
  const [verb, ...parts] = value.split('/');
  if (!['action', 'update', 'delete'].includes(verb) || parts.length === 0) return false;
  if (parts.length === 1 && parts[0] === '*') return true;
  const expected = verb === 'action' ? 3 : 4;
  return parts.length === expected && parts.every((p) => ACTION_SEGMENT.test(p));
}

/** Objects no policy names on purpose, for regex mode. */
const PROBE_OBJECTS = ['zz-probe-project/zz-probe-app', 'zz-probe-project/zz-probe-ns/zz-probe-app', 'zz-probe-name', 'https://zz-probe.example.com'];

/**
 * True when a policy object matches (nearly) every project, application or name, read the way
 * Argo CD reads it: in glob mode by what the one glob engine matches (so `{*}/{*}` and
 * `[!z]*\/*` count as well as `*\/*`), in regex mode as a Go regular expression.
 */
export function objectMatchesEverything(object: string, regex: boolean): boolean {
  if (regex) {
    // Inline flags the translation cannot express are dropped: the rest still shows the reach.
    const re = re2OrUndefined(object) ?? re2OrUndefined(object.replace(/\(\?[imsU]+\)|\(\?[imsU]+:/g, (m) => (m.endsWith(':') ? '(?:' : '')));
    return re !== undefined && PROBE_OBJECTS.some((probe) => re.test(probe));
  }
  return globMatchesEverything(object);
}

function re2OrUndefined(pattern: string): RegExp | undefined {
  try {
    return compileRe2(pattern);
  } catch {
    return undefined;
  }
}

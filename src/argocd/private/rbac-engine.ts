// A synchronous re-implementation of Argo CD v3.5's RBAC decision (util/rbac/rbac.go,
// server/rbacpolicy/rbacpolicy.go) over the Casbin model in rbac-model.ts:
//   m = g(r.sub, p.sub) && globOrRegexMatch(r.res, p.res) && globOrRegexMatch(r.act, p.act)
//       && globOrRegexMatch(r.obj, p.obj)
//   e = some(allow) && !some(deny)
// Casbin's own enforcer is asynchronous in JavaScript, so it serves as the oracle in the tests
// (test/argocd/rbac-simulator-casbin.test.ts) instead of running here.
import * as YAML from 'yaml';
import { RBAC_RESOURCES } from './rbac-rules';
import { compileRe2 } from './re2';
import { argoGlobMatch } from '../../private/glob';
import type { RbacProjectData } from '../rbac-simulator';

/** Casbin's default role manager follows at most this many `g` hops. */
const MAX_HIERARCHY_LEVEL = 10;

/** Resources whose object names a project, so the project's roles join the decision. */
const PROJECT_REQUEST_RESOURCES = new Set(['applicationsets', 'applications', 'repositories', 'clusters', 'logs', 'exec']);

/** Resources Argo CD asks about with exactly one action. */
const ONLY_ACTION: { [resource: string]: string } = { logs: 'get', exec: 'create', extensions: 'invoke' };
const VERBS = ['get', 'create', 'update', 'delete', 'sync', 'override'];

export interface Rule {
  readonly sub: string;
  readonly res: string;
  readonly act: string;
  readonly obj: string;
  readonly eft: string;
  readonly text: string;
}

export interface Link {
  readonly member: string;
  readonly role: string;
}

export interface PolicySet {
  readonly rules: Rule[];
  readonly links: Link[];
}

export interface CasbinResult {
  readonly allowed: boolean;
  readonly allows: Rule[];
  readonly denies: Rule[];
  /** The rule whose pattern made the evaluation fail (regex mode). */
  readonly error?: Rule;
}


/** One Casbin Enforce call on the model, rule by rule in policy order. */
export function enforceCasbin(set: PolicySet, regex: boolean, sub: string, res: string, act: string, obj: string): CasbinResult {
  const roles = rolesOf(set, sub);
  const allows: Rule[] = [];
  const denies: Rule[] = [];
  for (const rule of set.rules) {
    if (!roles.has(rule.sub)) continue;
    const matched = matchAll(regex, [[res, rule.res], [act, rule.act], [obj, rule.obj]]);
    if (matched === 'error') {
      // Casbin's regexMatch panics on a pattern Go cannot compile and the whole call fails
      // (upstream issue #13127: the built-in '*/*' lines break regex mode).
      return { allowed: false, allows: [], denies: [], error: rule };
    }
    if (!matched) continue;
    if (rule.eft === 'deny') {
      // The effector settles on the first deny.
      denies.push(rule);
      break;
    }
    if (rule.eft === 'allow') allows.push(rule);
  }
  return { allowed: allows.length > 0 && denies.length === 0, allows, denies };
}

/** The matcher's `&&` chain: stops at the first pattern that does not match. */
function matchAll(regex: boolean, pairs: [string, string][]): boolean | 'error' {
  for (const [value, pattern] of pairs) {
    if (regex) {
      const re = compileRe2(pattern);
      if (re === undefined) return 'error';
      if (!re.test(value)) return false;
    } else if (!argoGlobMatch(pattern, value)) {
      return false;
    }
  }
  return true;
}

/** The subject and every role it reaches through `g` lines (at most 10 hops, as Casbin). */
function rolesOf(set: PolicySet, sub: string): Set<string> {
  const reached = new Set<string>([sub]);
  let frontier = [sub];
  for (let level = 0; level < MAX_HIERARCHY_LEVEL && frontier.length > 0; level++) {
    const next: string[] = [];
    for (const name of frontier) {
      for (const link of set.links) {
        if (link.member === name && !reached.has(link.role)) {
          reached.add(link.role);
          next.push(link.role);
        }
      }
    }
    frontier = next;
  }
  return reached;
}

export function concat(sets: PolicySet[]): PolicySet {
  return { rules: sets.flatMap((s) => s.rules), links: sets.flatMap((s) => s.links) };
}

/** The project a request names, as `getProjectFromRequest` finds it. */
export function projectOfRequest(resource: string, object: string): string | undefined {
  if (PROJECT_REQUEST_RESOURCES.has(resource)) {
    const parts = object.split('/');
    return parts.length >= 2 ? parts[0] : undefined;
  }
  return resource === 'projects' ? object : undefined;
}

/**
 * `IsProjectSubject`: `proj:<project>:<role>`, exactly three `:`-separated parts. Any other
 * subject, even one starting with `proj:`, is an ordinary user with its groups' rights.
 */
export function projectTokenOf(subject: string): { project: string } | undefined {
  const parts = subject.split(':');
  return parts.length === 3 && parts[0] === 'proj' ? { project: parts[1] } : undefined;
}

export function requireRequest(resource: string, action: string, object: string): void {
  if (!RBAC_RESOURCES.has(resource)) {
    throw new Error(`ArgoCdRbac: unknown resource '${resource}': use one of ${[...RBAC_RESOURCES].join(', ')}`);
  }
  const only = ONLY_ACTION[resource];
  const subPath = /^(action|update|delete)\/./.test(action);
  if (only !== undefined ? action !== only : !(VERBS.includes(action) || (subPath && resource === 'applications'))) {
    throw new Error(`ArgoCdRbac: Argo CD never checks '${action}' on '${resource}': ${only !== undefined
      ? `it asks only for '${only}'`
      : `it asks for ${VERBS.join(', ')}${resource === 'applications' ? ', action/..., update/... or delete/...' : ''}`}`);
  }
  if (object.length === 0) throw new Error('ArgoCdRbac: the object is empty');
}

/**
 * The `scopes` value: a YAML list of claim names; `[groups]` when unset or empty. Anything
 * else fails Argo CD's unmarshalling into `[]string`, and the API server exits.
 */
export function parseScopes(value: string | undefined): string[] {
  if (value === undefined || value === '') return ['groups'];
  let parsed: unknown;
  try {
    parsed = YAML.parse(value);
  } catch {
    parsed = value;
  }
  if (parsed === null) return [];
  if (!Array.isArray(parsed) || parsed.some((s) => typeof s !== 'string')) {
    throw new Error(`ArgoCdRbac: argocd-rbac-cm scopes '${value}' is not a YAML list of claim names (Argo CD fails to start on it): write e.g. '[groups, email]'`);
  }
  return parsed;
}

/**
 * Loads policy text the way Argo CD's adapter does: line by line, trimmed, `#` comments and
 * blank lines skipped, each line read as CSV with leading spaces trimmed; `p` lines must have
 * exactly 6 fields and `g` lines 3, anything else fails the whole policy.
 */
export function loadPolicy(text: string, origin: string): PolicySet {
  const rules: Rule[] = [];
  const links: Link[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const where = `${origin} line ${index + 1}`;
    const tokens = readCsvLine(line, where);
    if (tokens[0] === 'p' && tokens.length === 6) {
      rules.push({ sub: tokens[1], res: tokens[2], act: tokens[3], obj: tokens[4], eft: tokens[5], text: `${line}  (${origin})` });
    } else if (tokens[0] === 'g' && tokens.length === 3) {
      links.push({ member: tokens[1], role: tokens[2] });
    } else {
      throw new Error(`ArgoCdRbac: ${where}: invalid RBAC policy '${line}': 'p' lines need exactly 6 fields and 'g' lines 3 (Argo CD rejects the whole policy)`);
    }
  });
  return { rules, links };
}

/** One record of Go's encoding/csv with TrimLeadingSpace (quotes, doubled quotes, no bare quotes). */
function readCsvLine(line: string, where: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    while (i < line.length && /\s/.test(line[i])) i++;
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) throw new Error(`ArgoCdRbac: ${where}: unterminated quoted field in '${line}'`);
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += line[i++];
      }
      if (i < line.length && line[i] !== ',') throw new Error(`ArgoCdRbac: ${where}: extraneous or missing '"' in quoted field in '${line}'`);
    } else {
      while (i < line.length && line[i] !== ',') {
        if (line[i] === '"') throw new Error(`ArgoCdRbac: ${where}: bare '"' in non-quoted field in '${line}'`);
        field += line[i++];
      }
    }
    fields.push(field);
    if (i >= line.length) return fields;
    i++; // the comma
  }
}

/**
 * `AppProject.ProjectPoliciesString()`: each role gets `get` on its project, then its policy
 * lines, then a `g` line per group.
 */
export function projectPoliciesString(project: RbacProjectData): string {
  const lines: string[] = [];
  for (const role of project.roles ?? []) {
    lines.push(`p, proj:${project.name}:${role.name}, projects, get, ${project.name}, allow`);
    lines.push(...(role.policies ?? []));
    for (const group of role.groups ?? []) lines.push(`g, ${group}, proj:${project.name}:${role.name}`);
  }
  return lines.join('\n');
}

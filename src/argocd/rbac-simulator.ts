import * as YAML from 'yaml';
import { ARGOCD_BUILTIN_POLICY } from './private/rbac-model';
import { ProjectWithRoles, RbacProjectData, projectPoliciesString } from './project';
import { RbacMatchMode } from './rbac';
import { SecureArgoCD } from './secure-argocd';
import { argoGlobMatch } from '../private/glob';

// A synchronous re-implementation of Argo CD v3.5's RBAC decision (util/rbac/rbac.go,
// server/rbacpolicy/rbacpolicy.go) over the Casbin model in rbac-model.ts:
//   m = g(r.sub, p.sub) && globOrRegexMatch(r.res, p.res) && globOrRegexMatch(r.act, p.act)
//       && globOrRegexMatch(r.obj, p.obj)
//   e = some(allow) && !some(deny)
// Casbin's own enforcer is asynchronous in JavaScript, so it serves as the oracle in the tests
// (test/rbac-simulator-casbin.test.ts) instead of running here.

/** Casbin's default role manager follows at most this many `g` hops. */
const MAX_HIERARCHY_LEVEL = 10;

/** Resources whose object names a project, so the project's roles join the decision. */
const PROJECT_REQUEST_RESOURCES = new Set(['applicationsets', 'applications', 'repositories', 'clusters', 'logs', 'exec']);

/** The resources Argo CD v3.5 checks (`rbac.Resources`). */
const RESOURCES = ['clusters', 'projects', 'applications', 'applicationsets', 'repositories', 'write-repositories',
  'certificates', 'accounts', 'gpgkeys', 'logs', 'exec', 'extensions'];
/** Resources Argo CD asks about with exactly one action. */
const ONLY_ACTION: { [resource: string]: string } = { logs: 'get', exec: 'create', extensions: 'invoke' };
const VERBS = ['get', 'create', 'update', 'delete', 'sync', 'override'];

/** Plain configuration for {@link ArgoCdRbac.fromConfig}. */
export interface ArgoCdRbacConfig {
  /**
   * The `data` of the `argocd-rbac-cm` ConfigMap (`policy.csv`, `policy.<name>.csv`,
   * `policy.default`, `policy.matchMode`, `scopes`).
   */
  readonly rbacConfigMapData: { [key: string]: string };
  /**
   * The AppProjects whose roles take part.
   * @default - none
   */
  readonly projects?: RbacProjectData[];
}

/** Who asks: a subject and the values of its group claims. */
export interface RbacPrincipal {
  /**
   * The subject as Argo CD sees it: a local account name, the `sub` claim of an OIDC token,
   * `federated_claims.user_id` with Dex, or a project token subject `proj:<project>:<role>`.
   */
  readonly subject: string;
  /**
   * The values of the token claims named by `scopes` (usually the `groups` claim).
   * @default - none
   */
  readonly groups?: string[];
  /**
   * The row label in {@link ArgoCdRbac.matrix}.
   * @default - the subject, followed by the groups in brackets
   */
  readonly label?: string;
}

/** One question: may someone do `action` on `resource` `object`? */
export interface RbacCheck {
  /** The resource, e.g. `applications` (see `ArgoCdResource`). */
  readonly resource: string;
  /** The action, e.g. `sync` or `update/apps/Deployment/prod/web`. */
  readonly action: string;
  /** The object, e.g. `production/web` or `production/prod-ns/web`. */
  readonly object: string;
  /**
   * The column label in {@link ArgoCdRbac.matrix}.
   * @default - '<resource> <action> <object>'
   */
  readonly label?: string;
}

/** An answer with the policy lines that decided it. */
export interface RbacDecision {
  /** True when Argo CD would allow the request. */
  readonly allowed: boolean;
  /** Why, in one sentence. */
  readonly reason: string;
  /**
   * The policy lines that decided: the allow lines that granted it, or the deny lines that
   * blocked it (empty when nothing matched). Each is followed by where it comes from.
   */
  readonly lines: string[];
}

interface Rule {
  readonly sub: string;
  readonly res: string;
  readonly act: string;
  readonly obj: string;
  readonly eft: string;
  readonly text: string;
}

interface Link {
  readonly member: string;
  readonly role: string;
}

interface PolicySet {
  readonly rules: Rule[];
  readonly links: Link[];
}

interface CasbinResult {
  readonly allowed: boolean;
  readonly allows: Rule[];
  readonly denies: Rule[];
  /** The rule whose pattern made the evaluation fail (regex mode). */
  readonly error?: Rule;
}

/**
 * Answers who may do what in Argo CD, from the synthesized configuration alone, with
 * Argo CD v3.5's semantics: the built-in policy, `policy.csv` and every `policy.<name>.csv`
 * key, `policy.default`, glob or regex match mode, role inheritance (`g` lines), deny over
 * allow, and AppProject roles (`proj:<project>:<role>` with their groups).
 *
 * The order is Argo CD's: the `policy.default` role first (if it allows, no deny can block it);
 * then the subject; then each group that some `g` line maps. For applications, application
 * sets, logs, exec, repositories and clusters with an object `<project>/...`, and for the
 * project itself, that project's roles join; a project token (`proj:<p>:<r>`) is checked only
 * against its own project.
 *
 * All methods are synchronous. The model and built-in policy are those of Argo CD v3.5.1.
 * In regex mode patterns run as JavaScript regular expressions; Argo CD uses Go's RE2, which
 * has no lookaround or backreferences.
 */
export class ArgoCdRbac {
  /**
   * Reads a `SecureArgoCD`'s `argocd-rbac-cm` data and every `ProjectWithRoles` of the same
   * construct tree that lives in its namespace (Argo CD reads AppProjects only from its own
   * namespace). Call it once the app is built (projects and roles added later are not seen).
   */
  public static of(argoCd: SecureArgoCD): ArgoCdRbac {
    const projects = argoCd.node.root.node.findAll()
      .filter((c): c is ProjectWithRoles => c instanceof ProjectWithRoles && c.namespace === argoCd.namespace)
      .map((p) => p.rbacProjectData());
    return new ArgoCdRbac(argoCd.rbacConfigData(), projects);
  }

  /** From plain `argocd-rbac-cm` data and AppProject roles. */
  public static fromConfig(config: ArgoCdRbacConfig): ArgoCdRbac {
    return new ArgoCdRbac(config.rbacConfigMapData, config.projects ?? []);
  }

  /**
   * From synthesized manifests (e.g. `Testing.synth(chart)`): the ConfigMap `argocd-rbac-cm`
   * and every AppProject in its namespace (AppProjects without a namespace count as in it).
   */
  public static fromManifests(manifests: any[]): ArgoCdRbac {
    const configMaps = manifests.filter((m) => m?.kind === 'ConfigMap' && m?.metadata?.name === 'argocd-rbac-cm');
    if (configMaps.length !== 1) {
      throw new Error(`ArgoCdRbac.fromManifests: expected one ConfigMap 'argocd-rbac-cm', found ${configMaps.length}: pass the manifests of one Argo CD installation`);
    }
    const namespace = configMaps[0].metadata?.namespace;
    const projects = manifests
      .filter((m) => m?.kind === 'AppProject' && m?.apiVersion === 'argoproj.io/v1alpha1')
      .filter((m) => namespace === undefined || m.metadata?.namespace === undefined || m.metadata.namespace === namespace)
      .map((m) => ({
        name: String(m.metadata?.name),
        roles: ((m.spec?.roles ?? []) as any[]).map((r) => ({ name: r.name, policies: r.policies, groups: r.groups })),
      }));
    return new ArgoCdRbac(configMaps[0].data ?? {}, projects);
  }

  /** The `policy.default` role, or empty when there is none. */
  public readonly defaultRole: string;
  /** The match mode (anything but `regex` in `policy.matchMode` means glob). */
  public readonly matchMode: RbacMatchMode;
  /** The claims whose values are the groups (`scopes`, default `[groups]`). */
  public readonly scopes: string[];

  private readonly base: PolicySet;
  private readonly projects = new Map<string, PolicySet>();

  private constructor(data: { [key: string]: string }, projects: RbacProjectData[]) {
    this.defaultRole = data['policy.default'] ?? '';
    this.matchMode = data['policy.matchMode'] === 'regex' ? RbacMatchMode.REGEX : RbacMatchMode.GLOB;
    this.scopes = parseScopes(data.scopes);
    const builtin = loadPolicy(ARGOCD_BUILTIN_POLICY, 'builtin-policy.csv');
    const userSets: PolicySet[] = [loadPolicy(data['policy.csv'] ?? '', 'argocd-rbac-cm policy.csv')];
    for (const key of Object.keys(data).sort()) {
      if (key.startsWith('policy.') && key.endsWith('.csv') && key !== 'policy.csv') {
        userSets.push(loadPolicy(data[key], `argocd-rbac-cm ${key}`));
      }
    }
    this.base = concat([builtin, ...userSets]);
    for (const project of projects) {
      if (this.projects.has(project.name)) {
        throw new Error(`ArgoCdRbac: two AppProjects are named '${project.name}': Argo CD keeps one object per name, give each project its own name`);
      }
      let runtime: PolicySet;
      try {
        runtime = loadPolicy(projectPoliciesString(project), `AppProject ${project.name}`);
      } catch {
        // Argo CD logs "Failed to load project policy" and falls back to the base policy.
        runtime = { rules: [], links: [] };
      }
      this.projects.set(project.name, concat([this.base, runtime]));
    }
  }

  /**
   * True when Argo CD would allow `subject` (with `groups`) to do `action` on `resource`
   * `object`. Throws when Argo CD never asks that question (e.g. `logs` with anything but
   * `get`, `exec` with anything but `create`, `extensions` with anything but `invoke`).
   * @param subject the subject (see `RbacPrincipal.subject`)
   * @param resource e.g. `applications`
   * @param action e.g. `sync`
   * @param object e.g. `production/web`
   * @param groups the values of the `scopes` claims
   */
  public can(subject: string, resource: string, action: string, object: string, groups?: string[]): boolean {
    return this.explain(subject, resource, action, object, groups).allowed;
  }

  /** Like {@link can}, for a principal and a check. */
  public canPrincipal(principal: RbacPrincipal, check: RbacCheck): boolean {
    return this.can(principal.subject, check.resource, check.action, check.object, principal.groups);
  }

  /** Like {@link can}, with the reason and the policy lines that decided. */
  public explain(subject: string, resource: string, action: string, object: string, groups?: string[]): RbacDecision {
    requireRequest(resource, action, object);
    const denies: Rule[] = [];
    const failures: Rule[] = [];
    const allowedBy = (reason: string, result: CasbinResult): RbacDecision =>
      ({ allowed: true, reason, lines: result.allows.map((r) => r.text) });
    const deniedBy = (reason: string): RbacDecision => ({
      allowed: false,
      reason: reason
        + (denies.length > 0 ? '; an explicit deny matched' : '')
        + (failures.length > 0 ? '; evaluation failed on a pattern that is not a valid regular expression' : ''),
      lines: [...new Set([...denies, ...failures].map((r) => r.text))],
    });
    // enforce() with a subject string: the default role first, then the subject itself.
    const enforce = (set: PolicySet, sub: string): { ok: boolean; viaDefault: boolean; result: CasbinResult } => {
      if (this.defaultRole !== '') {
        const viaDefault = this.enforceCasbin(set, this.defaultRole, resource, action, object);
        if (viaDefault.error) failures.push(viaDefault.error);
        if (viaDefault.allowed) return { ok: true, viaDefault: true, result: viaDefault };
      }
      const result = this.enforceCasbin(set, sub, resource, action, object);
      denies.push(...result.denies);
      if (result.error) failures.push(result.error);
      return { ok: result.allowed, viaDefault: false, result };
    };

    // Enforcer.Enforce(claims, ...): the default role against the base policy.
    if (this.defaultRole !== '') {
      const viaDefault = this.enforceCasbin(this.base, this.defaultRole, resource, action, object);
      if (viaDefault.error) failures.push(viaDefault.error);
      if (viaDefault.allowed) return allowedBy(`allowed by the policy.default role '${this.defaultRole}'`, viaDefault);
    }

    // EnforceClaims
    const projectName = projectOfRequest(resource, object);
    const project = projectName !== undefined ? this.projects.get(projectName) : undefined;
    const token = projectTokenOf(subject);
    let reason = `no policy allows '${subject}'${groups && groups.length > 0 ? ` (groups ${groups.join(', ')})` : ''} to ${action} ${resource} '${object}'`;
    if (project && token) {
      if (token.project === undefined) {
        reason = `'${subject}' is a project subject but not 'proj:<project>:<role>', so Argo CD refuses it`;
      } else if (token.project !== projectName) {
        reason = `the project token of '${token.project}' is checked only against its own project, and '${object}' is in '${projectName}'`;
      } else {
        const r = enforce(project, subject);
        if (r.ok) {
          return allowedBy(r.viaDefault ? `allowed by the policy.default role '${this.defaultRole}'` : `allowed for the project token '${subject}'`, r.result);
        }
      }
    } else {
      const enforcer = project ?? this.base;
      const r = enforce(enforcer, subject);
      if (r.ok) {
        return allowedBy(r.viaDefault ? `allowed by the policy.default role '${this.defaultRole}'` : `allowed for the subject '${subject}'`, r.result);
      }
      for (const group of groups ?? []) {
        // Only groups that appear on the left of some g line are checked.
        if (!enforcer.links.some((l) => l.member === group)) continue;
        const g = enforce(enforcer, group);
        if (g.ok) {
          return allowedBy(g.viaDefault ? `allowed by the policy.default role '${this.defaultRole}'` : `allowed for the group '${group}'`, g.result);
        }
      }
    }

    // After the claims check, enforce() asks Casbin once more with an empty subject.
    const last = this.enforceCasbin(this.base, '', resource, action, object);
    denies.push(...last.denies);
    if (last.error) failures.push(last.error);
    if (last.allowed) return allowedBy('allowed by a policy line with an empty subject', last);
    return deniedBy(reason);
  }

  /** Like {@link explain}, for a principal and a check. */
  public explainPrincipal(principal: RbacPrincipal, check: RbacCheck): RbacDecision {
    return this.explain(principal.subject, check.resource, check.action, check.object, principal.groups);
  }

  /**
   * A Markdown table: one row per principal, one column per check, `yes` or `no` in each cell.
   */
  public matrix(principals: RbacPrincipal[], checks: RbacCheck[]): string {
    const cell = (s: string) => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
    const header = ['who', ...checks.map((c) => c.label ?? `${c.resource} ${c.action} ${c.object}`)];
    const rows = principals.map((p) => [
      p.label ?? (p.groups && p.groups.length > 0 ? `${p.subject} [${p.groups.join(', ')}]` : p.subject),
      ...checks.map((c) => (this.canPrincipal(p, c) ? 'yes' : 'no')),
    ]);
    const line = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;
    return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n') + '\n';
  }

  /** One Casbin Enforce call on the model, rule by rule in policy order. */
  private enforceCasbin(set: PolicySet, sub: string, res: string, act: string, obj: string): CasbinResult {
    const roles = rolesOf(set, sub);
    const allows: Rule[] = [];
    const denies: Rule[] = [];
    for (const rule of set.rules) {
      if (!roles.has(rule.sub)) continue;
      const matched = this.matchAll([[res, rule.res], [act, rule.act], [obj, rule.obj]]);
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
  private matchAll(pairs: [string, string][]): boolean | 'error' {
    for (const [value, pattern] of pairs) {
      if (this.matchMode === RbacMatchMode.REGEX) {
        const re = compileRe2(pattern);
        if (re === undefined) return 'error';
        if (!re.test(value)) return false;
      } else if (!argoGlobMatch(pattern, value)) {
        return false;
      }
    }
    return true;
  }
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

function concat(sets: PolicySet[]): PolicySet {
  return { rules: sets.flatMap((s) => s.rules), links: sets.flatMap((s) => s.links) };
}

/** The project a request names, as `getProjectFromRequest` finds it. */
function projectOfRequest(resource: string, object: string): string | undefined {
  if (PROJECT_REQUEST_RESOURCES.has(resource)) {
    const parts = object.split('/');
    return parts.length >= 2 ? parts[0] : undefined;
  }
  return resource === 'projects' ? object : undefined;
}

/**
 * `IsProjectSubject` is a `proj:` prefix; a subject that does not then split into exactly
 * three parts is refused for every project request (`enforceProjectToken`).
 */
function projectTokenOf(subject: string): { project: string | undefined } | undefined {
  if (!subject.startsWith('proj:')) return undefined;
  const parts = subject.split(':');
  return { project: parts.length === 3 ? parts[1] : undefined };
}

function requireRequest(resource: string, action: string, object: string): void {
  if (!RESOURCES.includes(resource)) {
    throw new Error(`ArgoCdRbac: unknown resource '${resource}': use one of ${RESOURCES.join(', ')}`);
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
function parseScopes(value: string | undefined): string[] {
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
function loadPolicy(text: string, origin: string): PolicySet {
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

const re2Cache = new Map<string, RegExp | null>();

/**
 * A Go (RE2) regular expression as a JavaScript one, or `undefined` where Go's `regexp` refuses
 * it (then Casbin's regexMatch panics and the evaluation fails). RE2 has no lookaround and no
 * backreferences; it writes flags as a leading `(?i)` and named groups also as `(?P<name>...)`;
 * `\A` and `\z` anchor at the text's ends. Inline flag groups inside the pattern (`(?i:...)`)
 * have no JavaScript equivalent and are refused with an error naming the pattern.
 */
function compileRe2(pattern: string): RegExp | undefined {
  if (!re2Cache.has(pattern)) re2Cache.set(pattern, translateRe2(pattern) ?? null);
  return re2Cache.get(pattern) ?? undefined;
}

function translateRe2(pattern: string): RegExp | undefined {
  let flags = '';
  let body = pattern;
  const leading = /^\(\?([imsU]+)\)/.exec(body);
  if (leading) {
    if (leading[1].includes('U')) throw new Error(`ArgoCdRbac: cannot simulate the ungreedy flag in the regex '${pattern}'`);
    flags = [...new Set(leading[1])].join('');
    body = body.slice(leading[0].length);
  }
  let out = '';
  let inClass = false;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === '\\') {
      const next = body[i + 1];
      if (next === undefined) return undefined;
      if (!inClass && /[1-9k]/.test(next)) return undefined; // backreferences
      if (!inClass && next === 'A') out += '(?<![\\s\\S])';
      else if (!inClass && next === 'z') out += '(?![\\s\\S])';
      else out += ch + next;
      i++;
    } else if (inClass) {
      if (ch === ']') inClass = false;
      out += ch;
    } else if (ch === '[') {
      inClass = true;
      out += ch;
      if (body[i + 1] === '^') out += body[++i];
      if (body[i + 1] === ']') out += `\\${body[++i]}`; // a leading ']' is literal in RE2
    } else if (ch === '(' && body[i + 1] === '?') {
      const rest = body.slice(i + 2);
      if (/^(=|!|<=|<!)/.test(rest)) return undefined; // lookaround
      if (rest.startsWith('P<')) {
        out += '(?<';
        i += 3;
      } else if (rest.startsWith(':') || /^<[A-Za-z_]/.test(rest)) {
        out += ch;
      } else {
        throw new Error(`ArgoCdRbac: cannot simulate the inline flags in the regex '${pattern}': put the flags at the start, e.g. '(?i)^prod/.*$'`);
      }
    } else {
      out += ch;
    }
  }
  try {
    return new RegExp(out, flags);
  } catch {
    return undefined;
  }
}

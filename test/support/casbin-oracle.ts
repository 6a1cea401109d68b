// Argo CD's RBAC decision replayed on the npm `casbin` package with Argo CD's model.conf and
// built-in policy. Policy text is loaded the way Argo CD's adapter does (util/rbac/rbac.go
// loadPolicyLine: each line trimmed, `#` comments skipped, read with Go's encoding/csv and
// TrimLeadingSpace, `p` lines of 6 fields and `g` lines of 3, anything else fails the whole
// policy), not with casbin-node's own CSV reader, which trims both ends and joins fields
// around parentheses. Written independently of the simulator in src/argocd/private/rbac-engine.ts.
import { Enforcer, Model, newEnforcer, newModelFromString, StringAdapter } from 'casbin';
import { projectPoliciesString } from '../../src/argocd/private/rbac-engine';
import { ARGOCD_BUILTIN_POLICY, ARGOCD_RBAC_MODEL } from '../../src/argocd/private/rbac-model';
import type { RbacProjectData } from '../../src/argocd/rbac-simulator';
import { argoGlobMatch } from '../../src/private/glob';

/** Go's unicode.IsSpace. */
const GO_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;

/** Go's strings.TrimSpace. */
export function goTrimSpace(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && GO_SPACE.test(text[start])) start++;
  while (end > start && GO_SPACE.test(text[end - 1])) end--;
  return text.slice(start, end);
}

/**
 * One record of Go's encoding/csv (Comma ',', TrimLeadingSpace, no LazyQuotes) from a single
 * line, or an Error as `csv.Reader.Read` returns it.
 */
export function readGoCsvLine(line: string): string[] | Error {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    while (i < line.length && GO_SPACE.test(line[i])) i++;
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        // A quoted field may not end the line open (Argo CD reads one line at a time).
        if (i >= line.length) return new Error('extraneous or missing " in quoted-field');
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
      if (i < line.length && line[i] !== ',') return new Error('extraneous or missing " in quoted-field');
    } else {
      const end = line.indexOf(',', i);
      field = line.slice(i, end < 0 ? line.length : end);
      if (field.includes('"')) return new Error('bare " in non-quoted-field');
      i += field.length;
    }
    fields.push(field);
    if (i >= line.length) return fields;
    i++;
  }
}

/** Argo CD's loadPolicyLine over a whole policy text: the rows (`['p', ...]`, `['g', ...]`), or an Error. */
export function loadArgoPolicy(text: string): string[][] | Error {
  const rows: string[][] = [];
  for (const raw of text.split('\n')) {
    const line = goTrimSpace(raw);
    if (line === '' || line.startsWith('#')) continue;
    const tokens = readGoCsvLine(line);
    if (tokens instanceof Error) return tokens;
    if (tokens[0] === '' || (tokens[0] === 'g' && tokens.length !== 3) || (tokens[0] === 'p' && tokens.length !== 6) || !['p', 'g'].includes(tokens[0])) {
      return new Error(`invalid RBAC policy: ${line}`);
    }
    rows.push(tokens);
  }
  return rows;
}

/** Loads rows read by loadArgoPolicy into the model, as Argo CD's adapter does. */
class ArgoCdAdapter extends StringAdapter {
  public constructor(private readonly rows: string[][]) {
    super('unused');
  }

  public async loadPolicy(model: Model): Promise<void> {
    for (const [key, ...values] of this.rows) model.model.get(key)!.get(key)!.policy.push(values);
  }
}

/** Argo CD's enforcement order (default role, subject, mapped groups, project runtime policy, project tokens, empty subject) on Casbin enforcers. */
export class CasbinOracle {
  public static async create(data: { [key: string]: string }, projects: RbacProjectData[]): Promise<CasbinOracle> {
    const user = [data['policy.csv'] ?? '', ...Object.keys(data).filter((k) => /^policy\..+\.csv$/.test(k) && k !== 'policy.csv').sort().map((k) => data[k])].join('\n');
    const make = async (extra: string) => {
      const rows = loadArgoPolicy([ARGOCD_BUILTIN_POLICY, user, extra].join('\n'));
      if (rows instanceof Error) throw new Error(`Argo CD refuses the policy: ${rows.message}`);
      const enforcer = await newEnforcer(newModelFromString(ARGOCD_RBAC_MODEL), new ArgoCdAdapter(rows));
      await enforcer.addFunction('globOrRegexMatch', (value: string, pattern: string) => argoGlobMatch(pattern, value));
      return enforcer;
    };
    const runtime = new Map<string, Enforcer>();
    for (const p of projects) runtime.set(p.name, await make(projectPoliciesString(p)));
    return new CasbinOracle(await make(''), runtime, data['policy.default'] ?? '');
  }

  private constructor(private readonly base: Enforcer, private readonly runtime: Map<string, Enforcer>, private readonly defaultRole: string) {}

  public async can(subject: string, groups: string[], res: string, act: string, obj: string): Promise<boolean> {
    const enforce = async (enf: Enforcer, sub: string) =>
      (this.defaultRole !== '' && await enf.enforce(this.defaultRole, res, act, obj)) || enf.enforce(sub, res, act, obj);
    if (this.defaultRole !== '' && await this.base.enforce(this.defaultRole, res, act, obj)) return true;
    let project: string | undefined;
    if (['applicationsets', 'applications', 'repositories', 'clusters', 'logs', 'exec'].includes(res) && obj.split('/').length >= 2) project = obj.split('/')[0];
    if (res === 'projects') project = obj;
    const enf = project !== undefined ? this.runtime.get(project) : undefined;
    const parts = subject.split(':');
    if (enf && parts.length === 3 && parts[0] === 'proj') {
      if (parts[1] === project && await enforce(enf, subject)) return true;
    } else {
      const e = enf ?? this.base;
      if (await enforce(e, subject)) return true;
      const grouping = await e.getGroupingPolicy();
      for (const g of groups) {
        if (grouping.some((rule) => rule[0] === g) && await enforce(e, g)) return true;
      }
    }
    return this.base.enforce('', res, act, obj);
  }
}

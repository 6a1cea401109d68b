import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { hasBrand } from './private/brands';
import {
  CasbinResult, concat, enforceCasbin, loadPolicy, parseScopes, PolicySet, projectOfRequest, projectPoliciesString,
  projectTokenOf, requireRequest, Rule,
} from './private/rbac-engine';
import { ARGOCD_BUILTIN_POLICY } from './private/rbac-model';
import { RbacMatchMode } from './rbac-policy';
import type { SecureArgoCD } from './secure-argocd';

/** One AppProject role, as the RBAC simulator reads it. */
export interface RbacProjectRoleData {
  /** The role name (`spec.roles[].name`). */
  readonly name: string;
  /**
   * The role's policy lines (`spec.roles[].policies`).
   * @default - none
   */
  readonly policies?: string[];
  /**
   * Groups bound to the role (`spec.roles[].groups`).
   * @default - none
   */
  readonly groups?: string[];
}

/** One AppProject, as the RBAC simulator reads it. */
export interface RbacProjectData {
  /** The project name. */
  readonly name: string;
  /**
   * The project's roles.
   * @default - none
   */
  readonly roles?: RbacProjectRoleData[];
}

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

/**
 * Answers who may do what in Argo CD, from the synthesized configuration alone, with
 * Argo CD v3.5's semantics: the built-in policy, `policy.csv` and every `policy.<name>.csv`
 * key, `policy.default`, glob or regex match mode, role inheritance (`g` lines), deny over
 * allow, and AppProject roles (`proj:<project>:<role>` with their groups).
 *
 * The order is Argo CD's: the `policy.default` role first (if it allows, no deny can block it);
 * then the subject; then each group that some `g` line maps. For applications, application
 * sets, logs, exec, repositories and clusters with an object `<project>/...`, and for the
 * project itself, that project's roles join; a project token (`proj:<p>:<r>`, exactly three
 * parts) is checked only against its own project. Any other subject, even `proj:x` or
 * `proj:a:b:c`, is an ordinary user with its groups' rights, as in Argo CD.
 *
 * All methods are synchronous. The model and built-in policy are those of Argo CD v3.5.1.
 * In regex mode patterns are read as Go's RE2 reads them (no lookaround or backreferences).
 */
export class ArgoCdRbac {
  /**
   * Reads a `SecureArgoCD`'s `argocd-rbac-cm` data and every AppProject of the same app that
   * lives in its namespace (Argo CD reads AppProjects only from its own namespace): those of
   * `ProjectWithRoles`, the `default` of `LockedDownDefaultProject` and any other AppProject
   * object. The app is read again at every question, so projects and roles added after this
   * call take part.
   */
  public static of(argoCd: SecureArgoCD): ArgoCdRbac {
    return new ArgoCdRbac(() => ({ data: argoCd.rbacConfigData(), projects: appProjectsOf(argoCd) }), true);
  }

  /** From plain `argocd-rbac-cm` data and AppProject roles. */
  public static fromConfig(config: ArgoCdRbacConfig): ArgoCdRbac {
    const input = { data: { ...config.rbacConfigMapData }, projects: config.projects ?? [] };
    return new ArgoCdRbac(() => input, false);
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
      .filter(isAppProject)
      .filter((m) => namespace === undefined || m.metadata?.namespace === undefined || m.metadata.namespace === namespace)
      .map(projectDataOf);
    const input = { data: configMaps[0].data ?? {}, projects };
    return new ArgoCdRbac(() => input, false);
  }

  private readonly read: () => SimulatorInput;
  private readonly dynamic: boolean;
  private current?: { key: string; policies: Policies };

  private constructor(read: () => SimulatorInput, dynamic: boolean) {
    this.read = read;
    this.dynamic = dynamic;
    // Built once now, so that a broken configuration fails here, not at the first question.
    this.policies();
  }

  /** The `policy.default` role, or empty when there is none. */
  public get defaultRole(): string {
    return this.policies().defaultRole;
  }

  /** The match mode (anything but `regex` in `policy.matchMode` means glob). */
  public get matchMode(): RbacMatchMode {
    return this.policies().matchMode;
  }

  /** The claims whose values are the groups (`scopes`, default `[groups]`). */
  public get scopes(): string[] {
    return [...this.policies().scopes];
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
    return decide(this.policies(), subject, resource, action, object, groups);
  }

  /** Like {@link explain}, for a principal and a check. */
  public explainPrincipal(principal: RbacPrincipal, check: RbacCheck): RbacDecision {
    return this.explain(principal.subject, check.resource, check.action, check.object, principal.groups);
  }

  /**
   * A Markdown table: one row per principal, one column per check, `yes` or `no` in each cell.
   */
  public matrix(principals: RbacPrincipal[], checks: RbacCheck[]): string {
    const policies = this.policies();
    const cell = (s: string) => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
    const header = ['who', ...checks.map((c) => c.label ?? `${c.resource} ${c.action} ${c.object}`)];
    const rows = principals.map((p) => [
      p.label ?? (p.groups && p.groups.length > 0 ? `${p.subject} [${p.groups.join(', ')}]` : p.subject),
      ...checks.map((c) => (decide(policies, p.subject, c.resource, c.action, c.object, p.groups).allowed ? 'yes' : 'no')),
    ]);
    const line = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;
    return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n') + '\n';
  }

  /** The policies for the current input, rebuilt only when the app changed since the last question. */
  private policies(): Policies {
    if (this.current && !this.dynamic) return this.current.policies;
    const input = this.read();
    const key = JSON.stringify(input);
    if (this.current?.key !== key) this.current = { key, policies: buildPolicies(input) };
    return this.current.policies;
  }
}

interface SimulatorInput {
  readonly data: { [key: string]: string };
  readonly projects: RbacProjectData[];
}

/** The parsed configuration the decision runs on. */
interface Policies {
  readonly defaultRole: string;
  readonly matchMode: RbacMatchMode;
  readonly scopes: string[];
  readonly base: PolicySet;
  readonly projects: Map<string, PolicySet>;
}

function buildPolicies({ data, projects }: SimulatorInput): Policies {
  const builtin = loadPolicy(ARGOCD_BUILTIN_POLICY, 'builtin-policy.csv');
  const userSets: PolicySet[] = [loadPolicy(data['policy.csv'] ?? '', 'argocd-rbac-cm policy.csv')];
  for (const key of Object.keys(data).sort()) {
    if (key.startsWith('policy.') && key.endsWith('.csv') && key !== 'policy.csv') {
      userSets.push(loadPolicy(data[key], `argocd-rbac-cm ${key}`));
    }
  }
  const base = concat([builtin, ...userSets]);
  const byName = new Map<string, PolicySet>();
  for (const project of projects) {
    if (byName.has(project.name)) {
      throw new Error(`ArgoCdRbac: two AppProjects are named '${project.name}': Argo CD keeps one object per name, give each project its own name`);
    }
    let runtime: PolicySet;
    try {
      runtime = loadPolicy(projectPoliciesString(project), `AppProject ${project.name}`);
    } catch {
      // Argo CD logs "Failed to load project policy" and falls back to the base policy.
      runtime = { rules: [], links: [] };
    }
    byName.set(project.name, concat([base, runtime]));
  }
  return {
    defaultRole: data['policy.default'] ?? '',
    matchMode: data['policy.matchMode'] === 'regex' ? RbacMatchMode.REGEX : RbacMatchMode.GLOB,
    scopes: parseScopes(data.scopes),
    base,
    projects: byName,
  };
}

/** Argo CD's decision for one request (`EnforceClaims` and `enforce`). */
function decide(p: Policies, subject: string, resource: string, action: string, object: string, groups?: string[]): RbacDecision {
  requireRequest(resource, action, object);
  const regex = p.matchMode === RbacMatchMode.REGEX;
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
    if (p.defaultRole !== '') {
      const viaDefault = enforceCasbin(set, regex, p.defaultRole, resource, action, object);
      if (viaDefault.error) failures.push(viaDefault.error);
      if (viaDefault.allowed) return { ok: true, viaDefault: true, result: viaDefault };
    }
    const result = enforceCasbin(set, regex, sub, resource, action, object);
    denies.push(...result.denies);
    if (result.error) failures.push(result.error);
    return { ok: result.allowed, viaDefault: false, result };
  };
  const byDefault = `allowed by the policy.default role '${p.defaultRole}'`;

  // Enforcer.Enforce(claims, ...): the default role against the base policy.
  if (p.defaultRole !== '') {
    const viaDefault = enforceCasbin(p.base, regex, p.defaultRole, resource, action, object);
    if (viaDefault.error) failures.push(viaDefault.error);
    if (viaDefault.allowed) return allowedBy(byDefault, viaDefault);
  }

  // EnforceClaims
  const projectName = projectOfRequest(resource, object);
  const project = projectName !== undefined ? p.projects.get(projectName) : undefined;
  const token = projectTokenOf(subject);
  let reason = `no policy allows '${subject}'${groups && groups.length > 0 ? ` (groups ${groups.join(', ')})` : ''} to ${action} ${resource} '${object}'`;
  if (project && token) {
    if (token.project !== projectName) {
      reason = `the project token of '${token.project}' is checked only against its own project, and '${object}' is in '${projectName}'`;
    } else {
      const r = enforce(project, subject);
      if (r.ok) return allowedBy(r.viaDefault ? byDefault : `allowed for the project token '${subject}'`, r.result);
    }
  } else {
    const enforcer = project ?? p.base;
    const r = enforce(enforcer, subject);
    if (r.ok) return allowedBy(r.viaDefault ? byDefault : `allowed for the subject '${subject}'`, r.result);
    for (const group of groups ?? []) {
      // Only groups that appear on the left of some g line are checked.
      if (!enforcer.links.some((l) => l.member === group)) continue;
      const g = enforce(enforcer, group);
      if (g.ok) return allowedBy(g.viaDefault ? byDefault : `allowed for the group '${group}'`, g.result);
    }
  }

  // After the claims check, enforce() asks Casbin once more with an empty subject.
  const last = enforceCasbin(p.base, regex, '', resource, action, object);
  denies.push(...last.denies);
  if (last.error) failures.push(last.error);
  if (last.allowed) return allowedBy('allowed by a policy line with an empty subject', last);
  return deniedBy(reason);
}

function isAppProject(m: any): boolean {
  return m?.kind === 'AppProject' && m?.apiVersion === 'argoproj.io/v1alpha1';
}

/** An AppProject manifest's name and roles. */
function projectDataOf(m: any): RbacProjectData {
  return {
    name: String(m.metadata?.name),
    roles: ((m.spec?.roles ?? []) as any[]).map((r) => ({ name: r.name, policies: r.policies, groups: r.groups })),
  };
}

/** Every AppProject object of the app in Argo CD's namespace, whoever created it. */
function appProjectsOf(argoCd: SecureArgoCD): RbacProjectData[] {
  const projects: RbacProjectData[] = [];
  for (const c of argoCd.node.root.node.findAll()) {
    if (!ApiObject.isApiObject(c) || !isAppProject(c)) continue;
    if ((c.metadata.namespace ?? argoCd.namespace) !== argoCd.namespace) continue;
    const owner: IConstruct | undefined = c.node.scope;
    // A ProjectWithRoles knows its roles without rendering the whole object.
    projects.push(hasBrand(owner, 'ProjectWithRoles') ? (owner as unknown as ProjectRbacSource).rbacProjectData() : projectDataOf(c.toJson()));
  }
  return projects;
}

interface ProjectRbacSource {
  rbacProjectData(): RbacProjectData;
}

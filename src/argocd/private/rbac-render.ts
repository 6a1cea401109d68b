// Renders `argocd-rbac-cm` from typed roles and group mappings, checking every line.
import { IConstruct } from 'constructs';
import { groupCsvField } from './rbac-rules';
import { compileRe2 } from './re2';
import { factoryRisksOf, reasonProblem } from '../../private/accepted-risks';
import { bindFactoryProblems, DeferredChecks, deferredChecks, invalid } from '../../private/errors';
import { toYaml } from '../../private/render';
import { groupNameProblem, quoted } from '../../private/validate';
import { ArgoCdRole } from '../rbac';
import type { ArgoCdRbacOptions } from '../rbac';
import { ArgoCdResource, PolicyEffect, RbacMatchMode } from '../rbac-policy';
import { ArgoCdRbacValidation } from '../rbac-validation';

const SCOPE = /^[A-Za-z0-9_.:\/-]+$/;

/** `argocd-rbac-cm` data and the opt-ins whose reasons passed their check, to record on it. */
export interface RenderedRbac {
  readonly data: Record<string, string>;
  readonly acceptedRisks: [optIn: string, reason: string][];
}

/**
 * Renders and checks `argocd-rbac-cm` data. Problems are reported at synth as problems of
 * `scope` (one synth lists them all); only a value that is not an ArgoCdRole stops here.
 * `exec, create` grants are written only when the web terminal is
 * enabled: a grant that is dead today would silently widen access the day someone flips
 * `exec.enabled`.
 */
export function renderArgoCdRbac(scope: IConstruct, options: ArgoCdRbacOptions, execEnabled: boolean): RenderedRbac {
  const checks = deferredChecks(scope);
  const acceptedRisks: [string, string][] = [];
  const matchMode = options.matchMode ?? RbacMatchMode.GLOB;
  checks.check('rbac.matchMode', matchMode !== RbacMatchMode.GLOB && matchMode !== RbacMatchMode.REGEX
    ? `unknown match mode ${quoted(matchMode)}: use RbacMatchMode.GLOB or RbacMatchMode.REGEX` : undefined);
  const roles = new Map<string, ArgoCdRole>();
  const addRole = (role: ArgoCdRole, property: string) => {
    if (!ArgoCdRole.isArgoCdRole(role)) invalid(scope, property, 'not an ArgoCdRole: use the ArgoCdRole factories');
    bindFactoryProblems(scope, property, role);
    const known = roles.get(role.name);
    if (known && known !== role && !(known.builtIn && role.builtIn)) {
      if (JSON.stringify(known.policies) !== JSON.stringify(role.policies)) {
        checks.check(property, `two different roles are named '${role.name}': give each role its own name`);
      }
    }
    if (!known) {
      roles.set(role.name, role);
      for (const [optIn, reason] of factoryRisksOf(role)) acceptedRisks.push([`${property}.${optIn}`, reason]);
    }
  };
  (options.roles ?? []).forEach((r, i) => addRole(r, `rbac.roles[${i}]`));
  (options.groupMappings ?? []).forEach((m, i) => addRole(m.role, `rbac.groupMappings[${i}].role`));
  if (options.defaultRole) {
    addRole(options.defaultRole, 'rbac.defaultRole');
    // policy.default applies to every user who can log in (and, with Dex, to anyone a connector admits).
    if (options.defaultRole.allowsGlobalAdmin) {
      checks.check('rbac.defaultRole', `'${options.defaultRole.subject}' grants admin-like actions on everything to every authenticated user: bind it to groups with groupMappings, and use ArgoCdRole.readonly() or a narrower role as defaultRole`);
    } else {
      const writableDefault = checkDefaultRoleWrites(checks, options);
      if (writableDefault !== undefined) acceptedRisks.push(['rbac.allowWritableDefaultRole', writableDefault]);
    }
  }

  const lines: string[] = [];
  // Code-point order, not localeCompare: the output must not depend on the synth machine's locale.
  for (const role of [...roles.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    role.policies.forEach((policy, i) => {
      const property = `rbac role '${role.name}' policies[${i}]`;
      // A malformed policy is left out (the synth fails on it): what it would grant is unknown.
      if (!checks.check(property, ArgoCdRbacValidation.policyProblem(policy))) return;
      if (!execEnabled && policy.resource === ArgoCdResource.EXEC && (policy.effect ?? PolicyEffect.ALLOW) === PolicyEffect.ALLOW) return;
      if (matchMode === RbacMatchMode.REGEX) checks.check(`${property}.object`, anchoredRegexProblem(policy.object));
      if (!role.allowsGlobalAdmin && ArgoCdRbacValidation.isGlobalAdminGrant(policy, matchMode)) {
        checks.check(property, `'${policy.resource}, ${policy.action.value}, ${policy.object}' is an admin-like grant on everything: scope the object to a project, bind ArgoCdRole.admin(), or set allowGlobalAdmin: { reason: '...' } on the role`);
      }
      // Argo CD does not anchor regexes: unanchored, 'applications' would also match
      // 'applicationsets' and 'update' every 'update/...'. Typed parts are anchored here.
      const regex = matchMode === RbacMatchMode.REGEX;
      const resource = regex ? globToRegex(policy.resource) : policy.resource;
      const action = regex ? globToRegex(policy.action.value) : policy.action.value;
      lines.push(['p', role.subject, resource, action, policy.object, policy.effect ?? PolicyEffect.ALLOW].join(', '));
    });
  }
  const mappings = (options.groupMappings ?? []).map((m, i) => {
    const problem = groupNameProblem(m.group);
    checks.check(`rbac.groupMappings[${i}].group`, problem
      ?? (m.group.startsWith('role:') || m.group.startsWith('proj:') ? `${quoted(m.group)} is a role, not a group: use an identity provider group or user name` : undefined));
    return ['g', groupCsvField(m.group), m.role.subject].join(', ');
  });
  lines.push(...[...new Set(mappings)].sort());

  const scopes = options.scopes ?? ['groups'];
  checks.check('rbac.scopes', scopes.length === 0 ? 'is empty: list at least one claim (e.g. groups)' : undefined);
  scopes.forEach((s, i) => {
    checks.check(`rbac.scopes[${i}]`, SCOPE.test(s) ? undefined : `${quoted(s)} is not a claim name: use letters, digits, '_', '.', ':', '/' and '-'`);
  });

  const data: Record<string, string> = {
    'policy.csv': lines.length > 0 ? `${lines.join('\n')}\n` : '',
    'policy.matchMode': matchMode,
    // Argo CD reads scopes with go-yaml (YAML 1.1): a claim named 'on' or 'no' must stay a string.
    'scopes': toYaml(scopes, true).trim(),
  };
  if (options.defaultRole) data['policy.default'] = options.defaultRole.subject;
  return { data, acceptedRisks };
}

/**
 * A default role may only read unless the user opts in with a reason: every user who logs in gets it.
 * Returns the opt-in's reason when it passed its check.
 */
function checkDefaultRoleWrites(checks: DeferredChecks, options: ArgoCdRbacOptions): string | undefined {
  const ack = options.allowWritableDefaultRole;
  if (ack !== undefined) {
    return checks.check('rbac.allowWritableDefaultRole.reason', reasonProblem(ack?.reason, 'why every user needs it')) ? ack.reason : undefined;
  }
  const writes = (options.defaultRole?.policies ?? [])
    .filter((p) => (p.effect ?? PolicyEffect.ALLOW) === PolicyEffect.ALLOW && p.action?.value !== 'get')
    .map((p) => `${p.resource}, ${p.action?.value}, ${p.object}`);
  if (writes.length > 0) {
    checks.check('rbac.defaultRole', `'${options.defaultRole!.subject}' can do more than read (${writes.slice(0, 3).join('; ')}${writes.length > 3 ? '; ...' : ''}), and every user who can log in gets it: use ArgoCdRole.readonly() (or no defaultRole) and bind writing roles to groups with groupMappings, or set allowWritableDefaultRole with a reason`);
  }
  return undefined;
}

function anchoredRegexProblem(value: string): string | undefined {
  let compiles: boolean;
  try {
    // Go's regexp decides: lookaround and backreferences do not compile there.
    compiles = compileRe2(value) !== undefined;
  } catch {
    // Inline flags inside the pattern: Go accepts them, the simulator cannot run them.
    compiles = true;
  }
  if (!compiles || !value.startsWith('^') || !value.endsWith('$')) {
    return `'${value}' with policy.matchMode regex must be a regular expression anchored with '^' and '$' (Argo CD does not anchor it, so 'dev/.*' would also match 'notdev/app'): write e.g. '^dev/.*$'`;
  }
  return undefined;
}

/** A typed glob (resource or action) as an anchored regular expression. */
function globToRegex(glob: string): string {
  return `^${glob.split('*').map(escapeRegex).join('.*')}$`;
}

function escapeRegex(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\*]/g, '\\$&');
}

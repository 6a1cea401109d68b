// The restricted-pod checks for tests: the rules ship in the library's policy pack
// (src/policy/rules/pod-security.ts, images.ts and workflows.ts); this runs them over objects
// and prints one line per problem.
import { describeObject } from './validate';
import { RuleDefinition } from '../../src/policy/private/rule';
import { parseSuppressions, SUPPRESSIONS_ANNOTATION } from '../../src/policy/private/suppressions';
import { IMG_DIGEST } from '../../src/policy/rules/images';
import { POD_SECURITY_RULES, POD_SERVICE_ACCOUNT_TOKEN } from '../../src/policy/rules/pod-security';
import { SEC_LITERAL_DATA } from '../../src/policy/rules/secrets';
import { WF_POD_SPEC_PATCH } from '../../src/policy/rules/workflows';

/** Options for the restricted-pod checks. */
export interface RestrictedOptions {
  /** Names of objects whose pods talk to the API server and so may mount a service account token. */
  readonly apiClients?: string[];
}

function run(rules: RuleDefinition[], manifests: object[], skip: (m: any, rule: RuleDefinition) => boolean = () => false): string[] {
  const objects = manifests.filter((m): m is { [key: string]: any } => m !== null && typeof m === 'object');
  return objects.flatMap((m) => rules.filter((r) => !skip(m, r))
    .flatMap((r) => r.check(m, { objects }).map((v) => `${describeObject(m)}: ${v.path}: ${v.message}`)));
}

/**
 * Every way the given objects' pods fall short of the restricted profile and our rules, one line each.
 * An image pinned by tag only passes where the object suppresses IMG-DIGEST (a warning) with a reason.
 */
export function restrictedViolations(manifests: object[], options: RestrictedOptions = {}): string[] {
  const apiClients = new Set(options.apiClients ?? []);
  return run([WF_POD_SPEC_PATCH, ...POD_SECURITY_RULES, IMG_DIGEST], manifests,
    (m, r) => (r === POD_SERVICE_ACCOUNT_TOKEN && apiClients.has(m.metadata?.name))
      || (r === IMG_DIGEST && digestAccepted(m)));
}

/** Whether the object accepts images without a digest, with a reason (`PolicySuppressions`). */
export function digestAccepted(m: any): boolean {
  return parseSuppressions(m.metadata?.annotations?.[SUPPRESSIONS_ANNOTATION]).reasons.has(IMG_DIGEST.id);
}

/** Throws one error listing every restricted-profile violation, if there are any. */
export function expectRestricted(manifests: object[], options: RestrictedOptions = {}): void {
  const problems = restrictedViolations(manifests, options);
  if (problems.length > 0) {
    throw new Error(`${problems.length} pod security violation(s):\n  ${problems.join('\n  ')}`);
  }
}

/** Secrets with literal values in the output: secret material must never be synthesized. */
export function literalSecretViolations(manifests: object[]): string[] {
  return run([SEC_LITERAL_DATA], manifests);
}

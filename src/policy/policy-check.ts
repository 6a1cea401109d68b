import { App } from 'cdk8s';
import { PolicyFinding } from './policy-finding';
import { PolicyPack } from './policy-pack';
import { PolicyLevel, PolicyRuleInfo } from './policy-rule';
import { formatFinding, objectName } from './private/format';
import { isObj, nameOf, Obj, stringMap } from './private/kube';
import { RULES } from './private/registry';
import { RuleContext, RuleDefinition, Violation } from './private/rule';
import { isClusterScoped } from './private/schema';
import { parseSuppressions, SUPPRESSIONS_ANNOTATION } from './private/suppressions';
import { manifestsOfApp, SynthesizedObject } from './private/synth';

/** Options for {@link PolicyCheck}. */
export interface PolicyCheckOptions {
  /**
   * The packs to run.
   * @default PolicyPack.all()
   */
  readonly packs?: PolicyPack[];
}

/** Checked by every run: a suppression must name a rule and give a reason. */
const SUPPRESSION_RULE: PolicyRuleInfo = {
  id: 'POLICY-SUPPRESSION',
  pack: 'policy',
  level: PolicyLevel.ERROR,
  title: 'Suppressions name a known rule and give a reason',
  why: 'A suppression without a reason cannot be reviewed, and one that names no rule hides nothing but looks like it does.',
  fix: `Write one 'RULE-ID: reason' line per suppression in the ${SUPPRESSIONS_ANNOTATION} annotation (PolicySuppressions.add does).`,
};

/**
 * Runs policy packs over every object of an app (the library's and the user's alike) and holds
 * the findings. Use it in tests: `PolicyCheck.ofApp(app).assertNoErrors()`.
 */
export class PolicyCheck {
  /** Synthesizes every chart of the app and checks the objects (findings carry construct paths). */
  public static ofApp(app: App, options: PolicyCheckOptions = {}): PolicyCheck {
    return new PolicyCheck(manifestsOfApp(app), options);
  }

  /** Checks synthesized manifests (e.g. parsed from `cdk8s synth` output). */
  public static ofManifests(manifests: any[], options: PolicyCheckOptions = {}): PolicyCheck {
    return new PolicyCheck(manifests.map((manifest) => ({ manifest })), options);
  }

  /** Every finding, suppressed or not, in object order and then rule order. */
  public readonly findings: PolicyFinding[];

  private constructor(objects: SynthesizedObject[], options: PolicyCheckOptions) {
    const rules = (options.packs ?? PolicyPack.all()).flatMap((p) => p._rules);
    const known = RULES;
    const manifests = objects.map((o) => o.manifest).filter(isObj);
    const context: RuleContext = { objects: manifests };
    const findings: PolicyFinding[] = [];
    for (const { manifest, constructPath } of objects) {
      if (!isObj(manifest)) continue;
      const suppressions = parseSuppressions(stringMap(manifest.metadata?.annotations)[SUPPRESSIONS_ANNOTATION]);
      const add = (rule: PolicyRuleInfo, v: Violation, reason: string | undefined) =>
        findings.push(finding(manifest, constructPath, rule, v, reason));
      const location = `metadata.annotations["${SUPPRESSIONS_ANNOTATION}"]`;
      for (const problem of suppressions.problems) add(SUPPRESSION_RULE, { path: location, message: problem }, undefined);
      for (const id of [...suppressions.reasons.keys()].sort()) {
        if (!known.has(id)) add(SUPPRESSION_RULE, { path: location, message: `suppresses ${id}, which is not a rule` }, undefined);
      }
      for (const rule of rules) {
        for (const v of rule.check(manifest, context)) add(rule, v, suppressions.reasons.get(rule.id));
      }
    }
    this.findings = findings;
  }

  /** Errors that no suppression covers. */
  public get errors(): PolicyFinding[] {
    return this.findings.filter((f) => !f.suppressed && f.level === PolicyLevel.ERROR);
  }

  /** Warnings that no suppression covers. */
  public get warnings(): PolicyFinding[] {
    return this.findings.filter((f) => !f.suppressed && f.level === PolicyLevel.WARNING);
  }

  /** Findings a suppression covers, with its reason. */
  public get suppressed(): PolicyFinding[] {
    return this.findings.filter((f) => f.suppressed);
  }

  /** The unsuppressed findings as text, one paragraph each: object, rule, location, why and fix. */
  public toText(): string {
    return [...this.errors, ...this.warnings].map(formatFinding).join('\n');
  }

  /** Throws one error listing every unsuppressed error. */
  public assertNoErrors(): void {
    throwFor(this.errors);
  }

  /** Throws one error listing every unsuppressed error and warning. */
  public assertNoFindings(): void {
    throwFor([...this.errors, ...this.warnings]);
  }
}

function throwFor(findings: PolicyFinding[]): void {
  if (findings.length > 0) {
    throw new Error(`${findings.length} policy finding(s):\n${findings.map(formatFinding).join('\n')}`);
  }
}

function finding(m: Obj, constructPath: string | undefined, rule: PolicyRuleInfo | RuleDefinition, v: Violation,
  reason: string | undefined): PolicyFinding {
  const ns = m.metadata?.namespace;
  return {
    ruleId: rule.id,
    pack: rule.pack,
    level: rule.level,
    kind: typeof m.kind === 'string' ? m.kind : '<no kind>',
    name: nameOf(m),
    namespace: typeof ns === 'string' && ns !== '' && !isClusterScoped(m.kind) ? ns : undefined,
    constructPath,
    object: objectName(m),
    location: v.path,
    message: v.message,
    why: rule.why,
    fix: rule.fix,
    suppressed: reason !== undefined,
    suppressionReason: reason,
  };
}

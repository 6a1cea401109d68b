import * as fs from 'fs';
import * as path from 'path';
import { PolicyCheck } from './policy-check';
import { PolicyFinding } from './policy-finding';
import { PolicyPack } from './policy-pack';
import { PostureReport } from './posture-report';
import { isObj } from './private/kube';

/** The `properties` of the plugin in `cdk8s.yaml`. */
export interface PolicyValidationPluginProps {
  /**
   * The packs to run, by name (`pod-security`, `images`, `rbac`, `secrets`, `network`,
   * `argocd`, `argo-workflows`, `schema`).
   * @default - every pack
   */
  readonly packs?: string[];
  /**
   * Fail the synth on warnings too.
   * @default false
   */
  readonly failOnWarnings?: boolean;
  /**
   * Also write the posture report (Markdown) to this file, relative to the directory
   * `cdk8s synth` runs in.
   * @default - no report
   */
  readonly postureReport?: string;
}

/**
 * The policy packs as a cdk8s CLI validation plugin. In `cdk8s.yaml`:
 *
 * ```yaml
 * validations:
 *   - package: cdk8s-secure-argo
 *     version: <the exact version you depend on>
 *     class: PolicyValidationPlugin
 *     properties:
 *       postureReport: docs/posture.md
 * ```
 *
 * `cdk8s synth` then fails on any unsuppressed error, naming the object, its construct path,
 * the rule, why it matters and the fix; suppressed findings are listed with their reasons.
 */
export class PolicyValidationPlugin {
  private readonly packs: PolicyPack[];
  private readonly failOnWarnings: boolean;
  private readonly postureReport?: string;

  public constructor(props: PolicyValidationPluginProps = {}) {
    this.packs = props.packs ? props.packs.map((name) => PolicyPack.named(name)) : PolicyPack.all();
    this.failOnWarnings = props.failOnWarnings ?? false;
    this.postureReport = props.postureReport;
  }

  /**
   * Called by the cdk8s CLI with its `ValidationContext` (manifests, report, logger).
   * @param context the cdk8s CLI's validation context
   */
  public async validate(context: any): Promise<void> {
    const sources = new Map<object, string>();
    const manifests: object[] = [];
    for (const file of [...(context.manifests as string[])].sort()) {
      for (const m of context.parseManifest(file) as unknown[]) {
        if (!isObj(m)) continue;
        sources.set(m, file);
        manifests.push(m);
      }
    }
    const check = PolicyCheck.ofManifests(manifests, { packs: this.packs });
    const failing = [...check.errors, ...(this.failOnWarnings ? check.warnings : [])];
    const reported = [...check.errors, ...check.warnings];
    const byRule = new Map<string, PolicyFinding[]>();
    for (const f of reported) byRule.set(f.ruleId, [...(byRule.get(f.ruleId) ?? []), f]);
    for (const [ruleId, findings] of [...byRule.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const first = findings[0];
      const resources = new Map<string, { resourceName: string; manifestPath: string; locations: string[] }>();
      for (const f of findings) {
        const manifest = manifests.find((m: any) => m.kind === f.kind && (m.metadata?.name ?? '') === f.name
          && (f.namespace === undefined || m.metadata?.namespace === f.namespace));
        const manifestPath = (manifest && sources.get(manifest)) ?? '';
        const key = `${f.object}|${manifestPath}`;
        const entry = resources.get(key) ?? { resourceName: f.name, manifestPath, locations: [] };
        entry.locations.push(`${f.object}: ${f.location}: ${f.message}`);
        resources.set(key, entry);
      }
      context.report.addViolation({
        ruleName: `${ruleId} [${first.level}] ${first.pack}`,
        recommendation: first.why,
        fix: first.fix,
        violatingResources: [...resources.values()],
      });
    }
    for (const f of check.suppressed) {
      context.logger.log(`policy: ${f.ruleId} suppressed on ${f.object} (${f.location}): ${f.suppressionReason}`);
    }
    if (this.postureReport) {
      const file = path.resolve(this.postureReport);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, PostureReport.fromManifests(manifests, { packs: this.packs }).render());
      context.logger.log(`policy: posture report written to ${this.postureReport}`);
    }
    context.report.submit(failing.length > 0 ? 'failure' : 'success', {
      'errors': String(check.errors.length),
      'warnings': String(check.warnings.length),
      'suppressed': String(check.suppressed.length),
      'fails on': this.failOnWarnings ? 'errors and warnings' : 'errors',
    });
  }
}

import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { invalid } from '../private/errors';
import { quoted } from '../private/validate';
import { RULES } from './private/registry';
import { parseSuppressions, reasonProblem, renderSuppressions, SUPPRESSIONS_ANNOTATION } from './private/suppressions';

/** Which objects under the scope a suppression covers. */
export interface PolicySuppressionOptions {
  /**
   * Only objects of this kind, e.g. `Role`.
   * @default - every kind
   */
  readonly kind?: string;
  /**
   * Only objects with this name.
   * @default - every name
   */
  readonly name?: string;
}

/**
 * Suppresses a rule, with a reason, on the Kubernetes objects of a construct. The suppression
 * is written into each object as the annotation `policy.cdk8s-secure-argo.io/suppressions`
 * (one `RULE-ID: reason` line per rule), so reviewers see it in the GitOps diff and every way
 * of running the checks (plugin, tests) honours it.
 */
export class PolicySuppressions {
  /** The annotation that carries suppressions. */
  public static readonly ANNOTATION = SUPPRESSIONS_ANNOTATION;

  /**
   * Suppresses `ruleId` on every ApiObject under `scope` (the construct itself when it is one).
   * Call it after the construct is built: objects added later are not covered.
   * @param scope a construct, e.g. a cdk8s-plus Deployment, an ApiObject or a whole chart
   * @param ruleId the rule, e.g. `POD-SERVICE-ACCOUNT-TOKEN`
   * @param reason why the finding is acceptable here, in one line a reviewer can check
   * @param options which of the objects under the scope it covers
   */
  public static add(scope: IConstruct, ruleId: string, reason: string, options: PolicySuppressionOptions = {}): void {
    const where = `PolicySuppressions.add('${scope.node.path}')`;
    if (!RULES.has(ruleId)) {
      invalid(where, 'ruleId', `${quoted(ruleId)} is not a rule: use an id from docs/policy.md (e.g. POD-PRIVILEGED)`);
    }
    const problem = reasonProblem(reason);
    if (problem) invalid(where, 'reason', problem);
    const objects = scope.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c)
      && (options.kind === undefined || c.kind === options.kind) && (options.name === undefined || c.name === options.name));
    if (objects.length === 0) {
      const which = [options.kind, options.name].filter((x) => x !== undefined).join(' ');
      invalid(where, 'scope', `no Kubernetes objects${which ? ` (${which})` : ''} under '${scope.node.path}': `
        + 'call add() after the construct has created its objects, and check the kind and name');
    }
    for (const object of objects) {
      const current = parseSuppressions(object.metadata.toJson().annotations?.[SUPPRESSIONS_ANNOTATION]).reasons;
      current.set(ruleId, reason.trim());
      object.metadata.addAnnotation(SUPPRESSIONS_ANNOTATION, renderSuppressions(current));
    }
  }
}

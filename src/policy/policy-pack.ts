import { PolicyRuleInfo } from './policy-rule';
import { invalid } from '../private/errors';
import { quoted } from '../private/validate';
import { PACKS } from './private/registry';
import { RuleDefinition } from './private/rule';

/** A named set of rules (cdk-nag style): run them all with {@link PolicyCheck}. */
export class PolicyPack {
  /** Pod Security Standards "restricted", plus read-only root filesystems, requests and limits, and no needless tokens. */
  public static podSecurity(): PolicyPack {
    return PolicyPack.fromRegistry('pod-security');
  }

  /** Images named by version and pinned by a real digest. */
  public static images(): PolicyPack {
    return PolicyPack.fromRegistry('images');
  }

  /** Kubernetes RBAC least privilege. */
  public static rbac(): PolicyPack {
    return PolicyPack.fromRegistry('rbac');
  }

  /** No secret material in manifests. */
  public static secrets(): PolicyPack {
    return PolicyPack.fromRegistry('secrets');
  }

  /** Default-deny NetworkPolicies and no allow-all rules. */
  public static network(): PolicyPack {
    return PolicyPack.fromRegistry('network');
  }

  /** Argo CD settings in argocd-cm, argocd-cmd-params-cm and argocd-rbac-cm. */
  public static argoCd(): PolicyPack {
    return PolicyPack.fromRegistry('argocd');
  }

  /** Argo Workflows controller settings, argo-server flags and workflow specs. */
  public static argoWorkflows(): PolicyPack {
    return PolicyPack.fromRegistry('argo-workflows');
  }

  /** Strict validation against Kubernetes 1.28 and the pinned CRDs. */
  public static schema(): PolicyPack {
    return PolicyPack.fromRegistry('schema');
  }

  /** Every pack. */
  public static all(): PolicyPack[] {
    return [
      PolicyPack.podSecurity(), PolicyPack.images(), PolicyPack.rbac(), PolicyPack.secrets(), PolicyPack.network(),
      PolicyPack.argoCd(), PolicyPack.argoWorkflows(), PolicyPack.schema(),
    ];
  }

  /**
   * A pack by name (`pod-security`, `images`, `rbac`, `secrets`, `network`, `argocd`,
   * `argo-workflows`, `schema`).
   */
  public static named(name: string): PolicyPack {
    const pack = PolicyPack.all().find((p) => p.name === name);
    if (!pack) {
      invalid('PolicyPack.named', 'name', `${quoted(name)} is not a pack: use one of ${PolicyPack.all().map((p) => p.name).join(', ')}`);
    }
    return pack;
  }

  private static fromRegistry(name: string): PolicyPack {
    return new PolicyPack(name, PACKS.find((p) => p.name === name)!.rules);
  }

  /** The pack's name. */
  public readonly name: string;

  /** @internal */
  public readonly _rules: RuleDefinition[];

  private constructor(name: string, rules: RuleDefinition[]) {
    this.name = name;
    this._rules = rules;
  }

  /** The rules of the pack, with what they check, why and how to fix a finding. */
  public get rules(): PolicyRuleInfo[] {
    return this._rules.map(({ id, pack, level, title, why, fix }) => ({ id, pack, level, title, why, fix }));
  }
}

import { PolicyLevel } from './policy-rule';

/** One way one object falls short of one rule. */
export interface PolicyFinding {
  /** The rule's id, e.g. `POD-PRIVILEGED`. */
  readonly ruleId: string;
  /** The rule's pack, e.g. `pod-security`. */
  readonly pack: string;
  /** Error or warning. */
  readonly level: PolicyLevel;
  /** The object's kind, e.g. `Deployment`. */
  readonly kind: string;
  /** The object's name. */
  readonly name: string;
  /**
   * The object's namespace.
   * @default - cluster-scoped, or no namespace in the manifest
   */
  readonly namespace?: string;
  /**
   * The path of the construct that wrote the object.
   * @default - unknown (checked from plain manifests)
   */
  readonly constructPath?: string;
  /** How findings name the object: `Kind namespace/name` or `Kind name`. */
  readonly object: string;
  /** The field the finding is about, e.g. `spec.template.spec.containers[0].securityContext.privileged`. */
  readonly location: string;
  /** What is wrong, specifically. */
  readonly message: string;
  /** Why the rule matters. */
  readonly why: string;
  /** How to fix it. */
  readonly fix: string;
  /** True when a suppression with a reason covers this finding. */
  readonly suppressed: boolean;
  /**
   * The reason given by the suppression.
   * @default - not suppressed
   */
  readonly suppressionReason?: string;
}

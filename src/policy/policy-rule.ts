/** How serious a finding is. */
export enum PolicyLevel {
  /** The object must not be deployed as it is: checks fail. */
  ERROR = 'error',
  /** Worth a look: reported, but checks pass unless warnings are turned into failures. */
  WARNING = 'warning',
}

/** What a rule checks and why: the metadata every finding of the rule carries. */
export interface PolicyRuleInfo {
  /** The rule's id, e.g. `POD-PRIVILEGED`; suppressions name it. */
  readonly id: string;
  /** The pack the rule belongs to, e.g. `pod-security`. */
  readonly pack: string;
  /** Error or warning. */
  readonly level: PolicyLevel;
  /** What the rule asks for, in one line. */
  readonly title: string;
  /** Why it matters. */
  readonly why: string;
  /** How to fix a finding. */
  readonly fix: string;
}

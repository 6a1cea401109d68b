// Opt-ins that weaken a secure default leave their reason on the object they weaken, in one
// annotation, so a reviewer of the GitOps diff and the posture report see every accepted risk.
import { ApiObject } from 'cdk8s';
import { safeTextProblem } from './validate';

/** One `<opt-in>: <reason>` line per accepted risk, sorted by opt-in (like the suppressions annotation). */
export const ACCEPTED_RISKS_ANNOTATION = 'policy.cdk8s-secure-argo.io/accepted-risks';

/** A reason is one line a reviewer reads in a diff. */
const MAX_REASON = 255;

const risksOf = new WeakMap<ApiObject, Map<string, string>>();

/**
 * What is wrong with the reason of an opt-in (free text that lands in the output: one line of
 * safe text), with `why` (e.g. `why the project needs it`) as the fix; undefined when it is fine.
 */
export function reasonProblem(reason: unknown, why: string): string | undefined {
  const problem = safeTextProblem(reason as string, { maxLength: MAX_REASON });
  return problem && `${problem}: say in one line ${why}`;
}

/**
 * Records on `apiObject` that `optIn` (the property as the user wrote it, e.g.
 * `allowRbacResources`) was accepted for `reason`. Check the reason with `reasonProblem` first:
 * a reason that fails it is a programming error here.
 */
export function recordAcceptedRisk(apiObject: ApiObject, optIn: string, reason: string): void {
  if (reasonProblem(reason, '') !== undefined) throw new Error(`unchecked reason for ${optIn}`);
  const risks = risksOf.get(apiObject) ?? new Map<string, string>();
  risksOf.set(apiObject, risks);
  risks.set(optIn, reason);
  const lines = [...risks.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, text]) => `${key}: ${text}`);
  apiObject.metadata.addAnnotation(ACCEPTED_RISKS_ANNOTATION, lines.join('\n'));
}

/** The `[opt-in, reason]` pairs of the annotation's value. */
export function parseAcceptedRisks(text: string | undefined): [optIn: string, reason: string][] {
  return (text ?? '').split('\n').flatMap((line) => {
    const m = /^(.+?): (.*)$/.exec(line);
    return m ? [[m[1], m[2]] as [string, string]] : [];
  });
}

const factoryRisks = new WeakMap<object, Map<string, string>>();

/**
 * Records on a factory-made object (`ExternalDataFrom.find`, `DexConnector.microsoft`, ...) that
 * `optIn` was accepted for `reason`: no object exists yet to carry it. The construct that renders
 * the factory's object moves it there with {@link bindFactoryRisks}. Check the reason with
 * `reasonProblem` first (and record that as a factory problem instead when it fails).
 */
export function recordFactoryRisk(obj: object, optIn: string, reason: string): void {
  if (reasonProblem(reason, '') !== undefined) throw new Error(`unchecked reason for ${optIn}`);
  const risks = factoryRisks.get(obj) ?? new Map<string, string>();
  factoryRisks.set(obj, risks);
  risks.set(optIn, reason);
}

/** The `[opt-in, reason]` pairs recorded on a factory-made object. */
export function factoryRisksOf(obj: object): [optIn: string, reason: string][] {
  return [...(factoryRisks.get(obj) ?? new Map<string, string>()).entries()];
}

/** Records the opt-ins of factory-made `obj` on `apiObject` as `<property>.<opt-in>` (e.g. `source.dataFrom[0].allowMatchEverything`). */
export function bindFactoryRisks(apiObject: ApiObject, property: string, obj: object | undefined): void {
  if (obj === undefined || obj === null) return;
  for (const [optIn, reason] of factoryRisksOf(obj)) recordAcceptedRisk(apiObject, `${property}.${optIn}`, reason);
}

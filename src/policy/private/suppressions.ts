// Suppressions live in an annotation on the object they apply to, one `RULE-ID: reason` per
// line, so they are part of the GitOps diff and any tool (or a raw manifest) can add one.

export const SUPPRESSIONS_ANNOTATION = 'policy.cdk8s-secure-argo.io/suppressions';

/** Line breaks as go-yaml and JavaScript see them. */
const LINE_BREAK = /[\r\n\u0085\u2028\u2029]/;

export interface ParsedSuppressions {
  readonly reasons: Map<string, string>;
  /** Lines that are not `RULE-ID: reason` with a non-empty reason. */
  readonly problems: string[];
}

export function parseSuppressions(text: string | undefined): ParsedSuppressions {
  const reasons = new Map<string, string>();
  const problems: string[] = [];
  for (const line of (text ?? '').split('\n').map((l) => l.trim()).filter((l) => l !== '')) {
    const m = /^([A-Z0-9-]+):\s*(.*)$/.exec(line);
    if (!m || m[2].trim() === '') problems.push(`'${line}' is not 'RULE-ID: reason'`);
    else reasons.set(m[1], m[2].trim());
  }
  return { reasons, problems };
}

export function renderSuppressions(reasons: Map<string, string>): string {
  return [...reasons.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([id, reason]) => `${id}: ${reason}`).join('\n');
}

/** Why a reason cannot be used, or undefined. */
export function reasonProblem(reason: string): string | undefined {
  if (reason.trim().length < 10) return 'give a reason of at least 10 characters that a reviewer can check';
  if (LINE_BREAK.test(reason)) return 'the reason must be one line';
  return undefined;
}

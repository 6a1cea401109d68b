import { PolicyFinding } from '../policy-finding';
import { nameOf, Obj } from './kube';
import { isClusterScoped } from './schema';

/** How a finding reads as text. */
export function formatFinding(f: PolicyFinding): string {
  return [
    `[${f.level}] ${f.ruleId} ${f.object}${f.constructPath ? ` (${f.constructPath})` : ''}`,
    `  at ${f.location}: ${f.message}`,
    `  why: ${f.why}`,
    `  fix: ${f.fix}`,
  ].join('\n');
}

/** How findings name an object: `Kind namespace/name`, or `Kind name` for cluster-scoped kinds. */
export function objectName(m: Obj): string {
  const kind = typeof m.kind === 'string' ? m.kind : '<no kind>';
  const ns = m.metadata?.namespace;
  return ns && !isClusterScoped(kind) ? `${kind} ${ns}/${nameOf(m)}` : `${kind} ${nameOf(m)}`;
}


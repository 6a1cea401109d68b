// Objects one Argo CD installation has once: claimed by the construct that writes them, per app.
import { IConstruct } from 'constructs';
import { deferredChecks } from '../../private/errors';

const claims = new WeakMap<IConstruct, Map<string, IConstruct>>();

/**
 * Records that `scope` writes `what` (e.g. `AppProject 'default' in namespace 'argocd'`); when
 * another construct of the same app already does, reports at synth on `scope`'s `property`,
 * naming the other construct and `fix`.
 */
export function claimUnique(scope: IConstruct, property: string, what: string, fix: string): void {
  const root = scope.node.root;
  const byWhat = claims.get(root) ?? new Map<string, IConstruct>();
  claims.set(root, byWhat);
  const first = byWhat.get(what);
  if (first === undefined) {
    byWhat.set(what, scope);
    return;
  }
  deferredChecks(scope).check(property, `${what} is also written by '${first.node.path}', and one would overwrite the other in the cluster: ${fix}`);
}

/** The fix for two AppProjects of one name. */
export const PROJECT_FIX = "give each project its own name ('default' is Argo CD's built-in project, which LockedDownDefaultProject writes)";

// Which workflow namespaces (HardenedWorkflowNamespace) are bound to each Argo Workflows install.
// Each namespace records itself on its install when it is created, so that the install and the
// CronWorkflows read a list at synth instead of searching the app's tree: cdk8s validates the
// whole app again before it renders each chart, so a search per validation costs constructs x charts.
import { IConstruct } from 'constructs';

/** Kept on the install; Symbol.for, so two copies of the library share it. */
const BOUND = Symbol.for('cdk8s-secure-argo.workflowNamespaces');

function bound(install: IConstruct): IConstruct[] {
  const holder = install as unknown as { [BOUND]?: IConstruct[] };
  if (!holder[BOUND]) Object.defineProperty(holder, BOUND, { value: [] });
  return holder[BOUND]!;
}

/** Records that `namespace` is bound to `install`. */
export function bindWorkflowNamespace(install: IConstruct, namespace: IConstruct): void {
  bound(install).push(namespace);
}

/** The namespaces of `install`'s app bound to it, in the order they were created. */
export function workflowNamespacesOf(install: IConstruct): IConstruct[] {
  return bound(install).filter((ns) => ns.node.root === install.node.root);
}

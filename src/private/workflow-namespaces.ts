// Which workflow namespaces (HardenedWorkflowNamespace) are bound to each Argo Workflows install.
// Each namespace records itself on its install when it is created, so that the install and the
// CronWorkflows read a list at synth instead of searching the app's tree: cdk8s validates the
// whole app again before it renders each chart, so a search per validation costs constructs x charts.
import { IConstruct } from 'constructs';
import { sharedList } from './app-registry';

/** Kept on the install. */
function bound(install: IConstruct): IConstruct[] {
  return sharedList<IConstruct>(install, 'workflowNamespaces');
}

/** Records that `namespace` is bound to `install`. */
export function bindWorkflowNamespace(install: IConstruct, namespace: IConstruct): void {
  bound(install).push(namespace);
}

/** The namespaces of `install`'s app bound to it, in the order they were created. */
export function workflowNamespacesOf(install: IConstruct): IConstruct[] {
  return bound(install).filter((ns) => ns.node.root === install.node.root);
}

// Which product installs into which namespace, per app: lets the Argo CD and Argo Workflows
// installs see each other without importing each other. Each install registers itself; the
// check runs at synth, so the order of construction does not matter.
import { IConstruct } from 'constructs';
import { appRegistry } from './app-registry';

/** One product install and its namespace. */
export interface InstallNamespace {
  readonly product: 'Argo CD' | 'Argo Workflows';
  readonly namespace: string;
  readonly install: IConstruct;
}

function registry(scope: IConstruct): InstallNamespace[] {
  return appRegistry<InstallNamespace>(scope, 'installNamespaces');
}

/** Records that `install` puts `product` into `namespace`. */
export function registerInstallNamespace(install: IConstruct, product: InstallNamespace['product'], namespace: string): void {
  registry(install).push({ product, namespace, install });
}

/** The installs of other products in `namespace`, in the app of `scope` (call at synth). */
export function otherInstallsIn(scope: IConstruct, product: InstallNamespace['product'], namespace: string): InstallNamespace[] {
  return registry(scope).filter((r) => r.product !== product && r.namespace === namespace);
}

/** The namespaces `product` is installed into, in the app of `scope`, sorted (call at synth). */
export function installNamespacesOf(scope: IConstruct, product: InstallNamespace['product']): string[] {
  return [...new Set(registry(scope).filter((r) => r.product === product).map((r) => r.namespace))].sort();
}

/** The installs of `product` in the app of `scope`, in the order they were created (call at synth). */
export function installsOf(scope: IConstruct, product: InstallNamespace['product']): IConstruct[] {
  return registry(scope).filter((r) => r.product === product).map((r) => r.install);
}

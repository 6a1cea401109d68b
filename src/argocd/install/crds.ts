import { Construct } from 'constructs';
import { UPSTREAM_CRDS } from './private/upstream-crds';
import { standardLabels } from '../../core/labels';
import { registerLibraryConstruct } from '../../private/stamp';
import { emitEmbeddedCrds } from '../../private/upstream/embedded';

/**
 * The three CustomResourceDefinitions of the pinned Argo CD release (Application,
 * ApplicationSet, AppProject), in the first sync wave and applied server-side: the
 * ApplicationSet CRD (1.3 MiB) is too large for client-side apply's last-applied annotation.
 * `SecureArgoCD` puts them in a chart of their own (`<chart id>-crds`), applied before the
 * install; they are cluster-scoped and serve every Argo CD of the cluster.
 */
export class ArgoCdCrds extends Construct {
  /** The CRD names, e.g. `applications.argoproj.io`. */
  public readonly names: string[];

  public constructor(scope: Construct, id: string) {
    super(scope, id);
    registerLibraryConstruct(this, 'argocd');
    const labels = standardLabels({ name: 'argocd', partOf: 'argocd', component: 'crd' });
    this.names = emitEmbeddedCrds(this, UPSTREAM_CRDS, labels).map((crd) => crd.metadata.name!);
  }
}

import { Construct } from 'constructs';
import { UPSTREAM_CRDS } from './private/upstream-crds';
import { standardLabels } from '../../core/labels';
import { registerLibraryConstruct } from '../../private/stamp';
import { emitEmbeddedCrds } from '../../private/upstream/embedded';

/** Which CustomResourceDefinition schemas of Argo Workflows to install. */
export enum ArgoWorkflowsCrdSchemas {
  /**
   * Upstream's full schemas (the default of the v4 install manifests): the API server rejects a
   * malformed Workflow at admission and `kubectl explain` works. About 11.4 MiB of YAML, so
   * they are applied server-side.
   */
  FULL = 'full',
  /**
   * Upstream's minimal schemas for the four large kinds (Workflow, CronWorkflow, WorkflowTemplate,
   * ClusterWorkflowTemplate): a few top-level fields with unknown fields preserved, so the API server
   * accepts any spec and mistakes surface only when the controller runs the workflow. About 0.9 MiB.
   */
  MINIMAL = 'minimal',
}

/** Properties of {@link ArgoWorkflowsCrds}. */
export interface ArgoWorkflowsCrdsProps {
  /**
   * Full or minimal schemas.
   * @default ArgoWorkflowsCrdSchemas.FULL
   */
  readonly schemas?: ArgoWorkflowsCrdSchemas;
}

/**
 * The eight CustomResourceDefinitions of the pinned Argo Workflows release, in the first sync
 * wave and applied server-side. Put them in a chart of their own: they are cluster-scoped,
 * large, and must exist before anything that uses them. One set serves every Argo Workflows
 * install of the cluster.
 */
export class ArgoWorkflowsCrds extends Construct {
  /** The schemas installed. */
  public readonly schemas: ArgoWorkflowsCrdSchemas;

  public constructor(scope: Construct, id: string, props: ArgoWorkflowsCrdsProps = {}) {
    super(scope, id);
    registerLibraryConstruct(this, 'argo-workflows');
    this.schemas = props.schemas ?? ArgoWorkflowsCrdSchemas.FULL;
    const labels = standardLabels({ name: 'argo-workflows', partOf: 'argo-workflows', component: 'crd' });
    emitEmbeddedCrds(this, UPSTREAM_CRDS, labels, this.schemas === ArgoWorkflowsCrdSchemas.MINIMAL);
  }
}

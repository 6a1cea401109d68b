import { ArgoWorkflowsCrds, ArgoWorkflowsCrdSchemas } from '../../../src';
import { synth, testChart } from '../../support/synth';
import { validateManifests } from '../../support/validate';

describe('ArgoWorkflowsCrds', () => {
  const full = (() => {
    const chart = testChart('crds');
    new ArgoWorkflowsCrds(chart, 'Crds');
    return synth(chart);
  })();

  test('emits the eight CRDs with full schemas by default, valid', () => {
    expect(full.map((m) => m.metadata.name)).toEqual([
      'clusterworkflowtemplates.argoproj.io', 'cronworkflows.argoproj.io', 'workflowartifactgctasks.argoproj.io',
      'workfloweventbindings.argoproj.io', 'workflows.argoproj.io', 'workflowtaskresults.argoproj.io',
      'workflowtasksets.argoproj.io', 'workflowtemplates.argoproj.io',
    ]);
    expect(validateManifests(full)).toEqual([]);
    const workflow = full.find((m) => m.spec.names.kind === 'Workflow')!;
    expect(Object.keys(workflow.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties).length).toBeGreaterThan(40);
  });

  test('applied server-side, in the first sync wave, with the standard labels', () => {
    for (const crd of full) {
      expect(crd.metadata.annotations).toEqual({
        'argocd.argoproj.io/sync-options': 'ServerSideApply=true',
        'argocd.argoproj.io/sync-wave': '0',
      });
      expect(crd.metadata.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'cdk8s-secure-argo', 'app.kubernetes.io/component': 'crd' });
    }
  });

  test('minimal schemas: the four large kinds preserve unknown fields, the small ones stay full', () => {
    const chart = testChart('crds');
    new ArgoWorkflowsCrds(chart, 'Crds', { schemas: ArgoWorkflowsCrdSchemas.MINIMAL });
    const minimal = synth(chart);
    expect(validateManifests(minimal)).toEqual([]);
    const size = (m: object) => JSON.stringify(m).length;
    for (const crd of minimal) {
      const twin = full.find((m) => m.metadata.name === crd.metadata.name)!;
      const large = ['Workflow', 'CronWorkflow', 'WorkflowTemplate', 'ClusterWorkflowTemplate'].includes(crd.spec.names.kind);
      if (large) {
        expect(crd.spec.versions[0].schema.openAPIV3Schema.properties.spec['x-kubernetes-preserve-unknown-fields']).toBe(true);
        expect(size(crd)).toBeLessThan(size(twin) / 100);
      } else {
        expect(crd).toEqual(twin);
      }
    }
  });
});

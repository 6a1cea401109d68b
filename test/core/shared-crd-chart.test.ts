import { App, Chart } from 'cdk8s';
import { SecureArgoCD, SecureArgoWorkflows, WorkflowControllerScope } from '../../src';

test('Argo CD and Argo Workflows installed in one chart share one CRD chart', () => {
  const app = new App();
  const chart = new Chart(app, 'platform');
  new SecureArgoCD(chart, 'ArgoCd', {
    namespace: 'argocd',
    enableLocalAdmin: true,
    networkPolicies: { kubernetesApi: { cidrs: ['10.0.0.1/32'], ports: [6443] } },
  });
  new SecureArgoWorkflows(chart, 'Workflows', {
    namespace: 'argo',
    controllerScope: WorkflowControllerScope.CLUSTER,
    networkPolicies: { kubernetesApiCidr: '10.0.0.1/32', kubernetesApiPort: 6443 },
  });
  const crdCharts = app.charts.filter((c) => c.node.id === 'platform-crds');
  expect(crdCharts).toHaveLength(1);
  const kinds = crdCharts[0].toJson().map((o: any) => `${o.kind}/${o.metadata.name}`);
  expect(kinds).toEqual(expect.arrayContaining([
    'CustomResourceDefinition/applications.argoproj.io',
    'CustomResourceDefinition/workflows.argoproj.io',
  ]));
});

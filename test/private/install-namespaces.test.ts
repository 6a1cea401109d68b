// Argo CD and Argo Workflows in one namespace: argo-server may create Secrets there (its SSO
// key; `create` cannot be limited by name), and Argo CD reads the Secrets of its namespace as
// cluster and repository credentials. Refused unless acknowledged, in either construction order.
import { App, Chart, Testing } from 'cdk8s';
import { SecureArgoCD } from '../../src/argocd';
import { installNamespacesOf } from '../../src/private/install-namespaces';
import { SecureArgoWorkflows, WorkflowControllerScope } from '../../src/workflows';
import { expectSynthErrors, synthErrors } from '../support/errors';

const ARGOCD_NETWORK = { kubernetesApi: { cidrs: ['10.0.0.1/32'], ports: [6443] } };
const WORKFLOWS_NETWORK = { kubernetesApiCidr: '10.0.0.1/32', kubernetesApiPort: 6443 };

function build(order: 'argocd-first' | 'workflows-first', workflowsNamespace: string, reason?: string): App {
  const app = Testing.app();
  const argoCd = () => new SecureArgoCD(new Chart(app, 'argocd'), 'ArgoCD', { enableLocalAdmin: true, networkPolicies: ARGOCD_NETWORK });
  const workflows = () => new SecureArgoWorkflows(new Chart(app, 'workflows'), 'Workflows', {
    namespace: workflowsNamespace,
    controllerScope: WorkflowControllerScope.CLUSTER,
    networkPolicies: WORKFLOWS_NETWORK,
    allowArgoCdNamespace: reason === undefined ? undefined : { reason },
  });
  if (order === 'argocd-first') { argoCd(); workflows(); } else { workflows(); argoCd(); }
  return app;
}

describe('Argo CD and Argo Workflows in one namespace', () => {
  test.each(['argocd-first', 'workflows-first'] as const)('is refused at synth, naming both installs (%s)', (order) => {
    expectSynthErrors(build(order, 'argocd'), [
      /^\[workflows\/Workflows\] SecureArgoWorkflows 'workflows\/Workflows': namespace: 'argocd' is also the namespace of the Argo CD install 'argocd\/ArgoCD': argo-server may create Secrets there.*set allowArgoCdNamespace with a reason/,
    ]);
  });

  test('is accepted with a reason, and separate namespaces need none', () => {
    expect(synthErrors(build('argocd-first', 'argocd', 'single-tenant lab cluster, torn down nightly'))).toEqual([]);
    expect(synthErrors(build('argocd-first', 'argo'))).toEqual([]);
  });

  test('the reason must be real text', () => {
    expectSynthErrors(build('argocd-first', 'argocd', ' '), [/allowArgoCdNamespace\.reason/]);
  });

  test('an opt-in without a reason (from JavaScript) is reported once, on its reason', () => {
    const app = Testing.app();
    new SecureArgoCD(new Chart(app, 'argocd'), 'ArgoCD', { enableLocalAdmin: true, networkPolicies: ARGOCD_NETWORK });
    new SecureArgoWorkflows(new Chart(app, 'workflows'), 'Workflows', {
      namespace: 'argocd', controllerScope: WorkflowControllerScope.CLUSTER, networkPolicies: WORKFLOWS_NETWORK, allowArgoCdNamespace: {} as any,
    });
    expectSynthErrors(app, [/^\[workflows\/Workflows\] .*allowArgoCdNamespace\.reason: .*say in one line why Argo Workflows shares Argo CD's namespace$/]);
  });
});

test('the namespaces of one product, sorted and once each', () => {
  const app = build('argocd-first', 'argo');
  new SecureArgoCD(new Chart(app, 'second'), 'ArgoCD', { namespace: 'argocd-b', enableLocalAdmin: true, networkPolicies: ARGOCD_NETWORK });
  expect(installNamespacesOf(app, 'Argo CD')).toEqual(['argocd', 'argocd-b']);
  expect(installNamespacesOf(app, 'Argo Workflows')).toEqual(['argo']);
});

// The operations CronWorkflows are refused where no Argo Workflows controller would run them:
// the install namespace, or a namespace a namespace-scoped install does not manage.
import { App, Chart, Testing } from 'cdk8s';
import { ContainerImage } from '../../src/core/container-image';
import { ComplianceCronWorkflow, SecretRotation, SecretRotationCronWorkflow } from '../../src/operations';
import { SecretKeyRef } from '../../src/secrets/secret-key-ref';
import { HardenedWorkflowNamespace, SecureArgoWorkflows, WorkflowControllerScope } from '../../src/workflows';
import { expectSynthErrors, synthErrors } from '../support/errors';

const KUBERNETES_API = { kubernetesApiCidr: '172.20.0.1/32', kubernetesApiPort: 6443 };
const image = ContainerImage.fromDigest('registry.example.com/tools', 'sha256:1c24b355056e256f6e8812e346b7f8510e6f43854203d73b06962b99da9a4f23', '1.0.0');

function platform(scope: WorkflowControllerScope): { app: App; chart: Chart; workflows: SecureArgoWorkflows } {
  const app = Testing.app();
  const chart = new Chart(app, 'test');
  const workflows = new SecureArgoWorkflows(chart, 'Workflows', { controllerScope: scope, networkPolicies: KUBERNETES_API });
  new HardenedWorkflowNamespace(chart, 'Ops', { workflows, name: 'ops', ...KUBERNETES_API });
  return { app, chart, workflows };
}

function compliance(chart: Chart, namespace: string, workflows?: SecureArgoWorkflows): void {
  new ComplianceCronWorkflow(chart, 'Compliance', {
    namespace, workflows, checkImage: image, reportImage: image, webhookUrl: SecretKeyRef.fromExistingSecret('hook', 'url'),
  });
}

function rotation(chart: Chart, namespace: string): void {
  new SecretRotationCronWorkflow(chart, 'Rotation', {
    namespace,
    image,
    rotations: [SecretRotation.kubernetesSecret('key', { secret: SecretKeyRef.fromExistingSecret('app', 'key', { namespace: 'team-a' }) })],
  });
}

describe('CronWorkflow placement', () => {
  test.each([WorkflowControllerScope.NAMESPACED, WorkflowControllerScope.CLUSTER])('only a workflow namespace of the install is accepted (%s)', (scope) => {
    const ok = platform(scope);
    compliance(ok.chart, 'ops');
    rotation(ok.chart, 'ops');
    expect(synthErrors(ok.app)).toEqual([]);

    // Cluster-scoped, the controller sees every namespace but may create pods only where a
    // HardenedWorkflowNamespace's Role lets it.
    const elsewhere = platform(scope);
    compliance(elsewhere.chart, 'team-a');
    rotation(elsewhere.chart, 'team-a');
    expectSynthErrors(elsewhere.app, [
      /^\[test\/Compliance\] ComplianceCronWorkflow 'test\/Compliance': namespace: 'team-a' is not a workflow namespace of the Argo Workflows install 'test\/Workflows', so the CronWorkflow would never run .*: use 'ops', or bind a HardenedWorkflowNamespace named 'team-a' to it/,
      /^\[test\/Rotation\] SecretRotationCronWorkflow 'test\/Rotation': namespace: 'team-a' is not a workflow namespace/,
    ]);
  });

  test.each([WorkflowControllerScope.NAMESPACED, WorkflowControllerScope.CLUSTER])('the install namespace is refused (%s)', (scope) => {
    const { app, chart } = platform(scope);
    compliance(chart, 'argo');
    expectSynthErrors(app, [/namespace: 'argo' is the install namespace of the Argo Workflows install 'test\/Workflows': workflows never run there/]);
  });

  test('the namespace may be bound after the CronWorkflow (checked at synth)', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    const workflows = new SecureArgoWorkflows(chart, 'Workflows', { networkPolicies: KUBERNETES_API });
    compliance(chart, 'ops', workflows);
    new HardenedWorkflowNamespace(new Chart(app, 'later'), 'Ops', { workflows, name: 'ops', ...KUBERNETES_API });
    expect(synthErrors(app)).toEqual([]);
  });

  test('`workflows` names the install to check against when the app has several', () => {
    const { app, chart } = platform(WorkflowControllerScope.CLUSTER);
    const other = new SecureArgoWorkflows(new Chart(app, 'other'), 'Workflows', { namespace: 'argo-team', networkPolicies: KUBERNETES_API });
    new HardenedWorkflowNamespace(new Chart(app, 'other-ns'), 'Team', { workflows: other, name: 'team-b', ...KUBERNETES_API });
    compliance(chart, 'ops', other);
    expectSynthErrors(app, [/namespace: 'ops' is not a workflow namespace of the Argo Workflows install 'other\/Workflows'.*use 'team-b'/]);
  });

  test('without an Argo Workflows install in the app there is nothing to check against', () => {
    const app = Testing.app();
    compliance(new Chart(app, 'test'), 'argo');
    expect(synthErrors(app)).toEqual([]);
  });
});

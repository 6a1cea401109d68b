// cdk8s validates the whole app again before it renders each chart (App.synthYaml and
// Chart.toJson), so work that a validation repeats per construct costs constructs x charts. The
// library's synth-time checks read registries filled in constructors (or one search of the tree
// per validation pass shared by every construct), never search the tree per construct.
import * as path from 'path';
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { Node } from 'constructs';
import { ArgoCdGpgKeys, GpgPublicKey, ProjectWithRoles } from '../../src/argocd';
import { ContainerImage } from '../../src/core/container-image';
import { ComplianceCronWorkflow } from '../../src/operations';
import { SecretKeyRef } from '../../src/secrets/secret-key-ref';
import { HardenedWorkflowNamespace, SecureArgoWorkflows, WorkflowControllerScope } from '../../src/workflows';

const KUBERNETES_API = { kubernetesApiCidr: '172.20.0.1/32', kubernetesApiPort: 6443 };
const IMAGE = ContainerImage.fromDigest('registry.example.com/tools', 'sha256:1c24b355056e256f6e8812e346b7f8510e6f43854203d73b06962b99da9a4f23', '1.0.0');
const RELEASE = GpgPublicKey.fromFile(path.join(__dirname, '..', 'fixtures', 'gpg', 'release.asc'));
const CHARTS = 3;

/** A platform chart and CHARTS tenant charts, each with `perChart` workflow namespaces, CronWorkflows and signed projects. */
function platform(perChart: number): App {
  const app = Testing.app();
  const chart = new Chart(app, 'platform');
  const workflows = new SecureArgoWorkflows(chart, 'Workflows', { controllerScope: WorkflowControllerScope.CLUSTER, networkPolicies: KUBERNETES_API });
  new ArgoCdGpgKeys(chart, 'Keys', { keys: [RELEASE] });
  for (let c = 0; c < CHARTS; c++) {
    const tenants = new Chart(app, `tenants-${c}`);
    for (let i = 0; i < perChart; i++) {
      const name = `team-${c}-${i}`;
      new HardenedWorkflowNamespace(tenants, `Ns${i}`, { workflows, name, ...KUBERNETES_API });
      new ComplianceCronWorkflow(tenants, `Compliance${i}`, {
        namespace: name, checkImage: IMAGE, reportImage: IMAGE, webhookUrl: SecretKeyRef.fromExistingSecret('hook', 'url'),
      });
      ProjectWithRoles.production(tenants, `Project${i}`, {
        name, sourceRepos: ['https://github.com/acme/gitops.git'], gitSignatureVerification: { keyIds: [RELEASE.keyId] },
      });
    }
  }
  return app;
}

/** The tree searches (`findAll`) of one `synthYaml`: from the app's root, and from any construct that is neither a chart nor an object (cdk8s searches those). */
function searches(app: App): { fromRoot: number; fromConstructs: number } {
  const findAll = jest.spyOn(Node.prototype, 'findAll');
  try {
    app.synthYaml();
    const from = findAll.mock.contexts.map((node: Node) => {
      if (node.scope === undefined) return 'root';
      const construct = node.scope.node.tryFindChild(node.id);
      return Chart.isChart(construct) || ApiObject.isApiObject(construct) ? 'cdk8s' : 'construct';
    });
    return { fromRoot: from.filter((f) => f === 'root').length, fromConstructs: from.filter((f) => f === 'construct').length };
  } finally {
    findAll.mockRestore();
  }
}

test('the tree searches of a synth do not grow with the constructs of the app', () => {
  const small = searches(platform(1));
  const large = searches(platform(4));
  // Labels, waves and the output text check: one walk per validation pass; workflow namespaces,
  // installs and the GnuPG keyring: registries, or one search per pass shared by all projects.
  expect(large).toEqual(small);
  expect(large.fromConstructs).toBe(0);
});

import { App, Chart, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { ArgoCdAuditNotifications, ArgoCdVaultPlugin, ContainerImage, HardenedWorkflowNamespace, HardenedWorkflowTemplate, SecretKeyRef, SecureArgoWorkflows } from '../../src';
import { expectSynthErrors } from '../support/errors';

const GOOD_DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

describe('one synth lists every problem of the app', () => {
  test('three mistakes in three constructs: each reported with its construct path and property', () => {
    const app = new App();
    const chart = new Chart(app, 'platform');

    // 1. A request above its limit in a workflow step's resources.
    const workflows = new SecureArgoWorkflows(chart, 'Workflows', { networkPolicies: { kubernetesApiCidr: '10.0.0.1/32', kubernetesApiPort: 6443 } });
    const namespace = new HardenedWorkflowNamespace(chart, 'Ci', { workflows, name: 'ci', kubernetesApiCidr: '10.0.0.1/32', kubernetesApiPort: 6443 });
    new HardenedWorkflowTemplate(chart, 'Build', {
      namespace,
      name: 'build',
      steps: [{
        name: 'build',
        image: ContainerImage.fromDigest('docker.io/library/alpine', GOOD_DIGEST, '3.20'),
        command: ['true'],
        resources: { cpuRequest: Cpu.units(2), cpuLimit: Cpu.millis(500), memoryRequest: Size.mebibytes(64), memoryLimit: Size.mebibytes(128) },
      }],
    });

    // 2. A placeholder digest in the vault plugin's image (made by a factory, reported by the plugin).
    new ArgoCdVaultPlugin(chart, 'Avp', {
      namespace: 'argocd',
      image: ContainerImage.fromReference(`registry.example.com/argocd-vault-plugin:1.18.1@sha256:${'a'.repeat(64)}`),
      vaultAddress: 'https://vault.example.com:8200',
      vaultRole: 'argocd-repo-server',
    });

    // 3. A URL Go's net/url would not read as written.
    new ArgoCdAuditNotifications(chart, 'Audit', {
      namespace: 'argocd',
      webhookUrl: 'https://audit.example.com/%zz',
      bearerToken: SecretKeyRef.fromExistingSecret('argocd-notifications-secret', 'audit-token'),
    });

    const errors = expectSynthErrors(app, [
      /^\[platform\/Build\] .*'platform\/Build': steps\[0\]\.resources\.cpuRequest: 2 is more than cpuLimit 500m: .*lower cpuRequest or raise cpuLimit/,
      /^\[platform\/Avp\] .*'platform\/Avp': image\.digest: .* is a placeholder digest .*: give the image's real digest, as 'crane digest <image>:<tag>' prints it/,
      /^\[platform\/Audit\] .*'platform\/Audit': webhookUrl: .*%zz/,
    ]);
    expect(errors).toHaveLength(3);
  });
});

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import * as YAML from 'yaml';
import { ArgoCdVaultPlugin, ArgoCdVaultPluginProps, ContainerImage, VaultPluginSource } from '../../src';
import { findObject, Manifest, synth, testChart } from '../support/synth';
import { expectValid } from '../support/validate';

const IMAGE = ContainerImage.fromReference(`registry.example.com/argocd-vault-plugin:1.18.1@sha256:${'ab'.repeat(32)}`);
const BASE: ArgoCdVaultPluginProps = { namespace: 'argocd', image: IMAGE, vaultAddress: 'https://vault.example.com:8200', vaultRole: 'argocd-repo-server' };

function plugin(props: Partial<ArgoCdVaultPluginProps> = {}): { plugin: ArgoCdVaultPlugin; manifests: Manifest[]; patch: any } {
  const chart = testChart();
  const p = new ArgoCdVaultPlugin(chart, 'avp', { ...BASE, ...props });
  const manifests = synth(chart);
  expectValid(manifests);
  return { plugin: p, manifests, patch: YAML.parse(p.renderRepoServerPatch()) };
}

/**
 * Applies the patch the way a strategic merge does for these lists (containers and volumes
 * merge by name) to a miniature of upstream's argocd-repo-server Deployment, so the patched
 * Deployment can be validated strictly.
 */
function patchedRepoServer(patch: any): Manifest {
  const base = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'argocd-repo-server', namespace: 'argocd' },
    spec: {
      selector: { matchLabels: { 'app.kubernetes.io/name': 'argocd-repo-server' } },
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': 'argocd-repo-server' } },
        spec: {
          automountServiceAccountToken: false,
          containers: [{ name: 'argocd-repo-server', image: 'quay.io/argoproj/argocd:v3.5.1' }],
          volumes: [{ name: 'var-files', emptyDir: {} }, { name: 'plugins', emptyDir: {} }],
        },
      },
    },
  };
  expect(Object.keys(patch)).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
  expect(Object.keys(patch.spec)).toEqual(['template']);
  expect(Object.keys(patch.spec.template)).toEqual(['spec']);
  expect(Object.keys(patch.spec.template.spec)).toEqual(['containers', 'volumes']);
  const spec = base.spec.template.spec as any;
  spec.containers.push(...patch.spec.template.spec.containers);
  spec.volumes.push(...patch.spec.template.spec.volumes);
  return base as Manifest;
}

describe('ArgoCdVaultPlugin', () => {
  test('a ConfigMap with the ConfigManagementPlugin definition', () => {
    const { manifests, plugin: p } = plugin();
    expect(manifests.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual(['ConfigMap/argocd-vault-plugin-cmp']);
    const cm = findObject(manifests, 'ConfigMap');
    expect(cm.metadata.namespace).toBe('argocd');
    expect(Object.keys(cm.data)).toEqual(['plugin.yaml']);
    expect(YAML.parse(cm.data['plugin.yaml'])).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'ConfigManagementPlugin',
      metadata: { name: 'argocd-vault-plugin' },
      spec: { generate: { command: ['argocd-vault-plugin', 'generate', './'] } },
    });
    expect(p.pluginName).toBe('argocd-vault-plugin');
    // Never configured the removed way.
    expect(JSON.stringify(manifests)).not.toContain('configManagementPlugins');
  });

  test('helm and kustomize sources fail when the renderer fails', () => {
    const helm = YAML.parse(findObject(plugin({ source: VaultPluginSource.HELM }).manifests, 'ConfigMap', 'argocd-vault-plugin-helm-cmp').data['plugin.yaml']);
    expect(helm.metadata.name).toBe('argocd-vault-plugin-helm');
    expect(helm.spec.init).toEqual({ command: ['helm', 'dependency', 'build'] });
    expect(helm.spec.generate.command).toEqual(['sh', '-c',
      'set -e; manifests=$(helm template "$ARGOCD_APP_NAME" --namespace "$ARGOCD_APP_NAMESPACE" .); printf \'%s\\n\' "$manifests" | argocd-vault-plugin generate -']);
    const kustomize = YAML.parse(findObject(plugin({ source: VaultPluginSource.KUSTOMIZE }).manifests, 'ConfigMap').data['plugin.yaml']);
    expect(kustomize.metadata.name).toBe('argocd-vault-plugin-kustomize');
    expect(kustomize.spec.generate.command[2]).toMatch(/^set -e; manifests=\$\(kustomize build \.\);/);
  });

  test('the repo-server patch is a valid, hardened sidecar', () => {
    const { patch } = plugin();
    expect(patch.metadata).toEqual({ name: 'argocd-repo-server' });
    expectValid([patchedRepoServer(patch)]);
    const [sidecar] = patch.spec.template.spec.containers;
    expect(sidecar.name).toBe('avp');
    expect(sidecar.command).toEqual(['/var/run/argocd/argocd-cmp-server']);
    expect(sidecar.image).toBe(IMAGE.reference);
    expect(sidecar.image).toMatch(/@sha256:[a-f0-9]{64}$/);
    expect(sidecar.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsGroup: 999,
      runAsNonRoot: true,
      runAsUser: 999,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(sidecar.resources).toEqual({ limits: { cpu: '1', memory: '512Mi' }, requests: { cpu: '100m', memory: '128Mi' } });
    expect(sidecar.volumeMounts).toEqual([
      { mountPath: '/var/run/argocd', name: 'var-files' },
      { mountPath: '/home/argocd/cmp-server/plugins', name: 'plugins' },
      { mountPath: '/home/argocd/cmp-server/config/plugin.yaml', name: 'avp-config', subPath: 'plugin.yaml' },
      { mountPath: '/tmp', name: 'avp-tmp' },
      { mountPath: '/var/run/secrets/argocd-vault-plugin', name: 'avp-token', readOnly: true },
    ]);
    expect(patch.spec.template.spec.volumes).toEqual([
      { configMap: { name: 'argocd-vault-plugin-cmp' }, name: 'avp-config' },
      { emptyDir: {}, name: 'avp-tmp' },
      { name: 'avp-token', projected: { sources: [{ serviceAccountToken: { expirationSeconds: 3600, path: 'token' } }] } },
    ]);
  });

  test('Vault Kubernetes auth from typed props, no token in the output', () => {
    const { patch } = plugin({ vaultAuthMountPath: 'auth/k8s-prod', tokenAudience: 'vault' });
    const [sidecar] = patch.spec.template.spec.containers;
    expect(sidecar.env).toEqual([
      { name: 'AVP_AUTH_TYPE', value: 'k8s' },
      { name: 'AVP_K8S_ROLE', value: 'argocd-repo-server' },
      { name: 'AVP_K8S_MOUNT_PATH', value: 'auth/k8s-prod' },
      { name: 'AVP_K8S_TOKEN_PATH', value: '/var/run/secrets/argocd-vault-plugin/token' },
      { name: 'AVP_TYPE', value: 'vault' },
      { name: 'VAULT_ADDR', value: 'https://vault.example.com:8200' },
    ]);
    expect(patch.spec.template.spec.volumes[2].projected.sources[0].serviceAccountToken.audience).toBe('vault');
    expect(JSON.stringify(patch)).not.toMatch(/VAULT_TOKEN|AVP_SECRET_ID|secretKeyRef/);
  });

  test('the helm sidecar gets writable Helm homes under /tmp and its own volume names', () => {
    const { patch } = plugin({ source: VaultPluginSource.HELM });
    expectValid([patchedRepoServer(patch)]);
    const [sidecar] = patch.spec.template.spec.containers;
    expect(sidecar.name).toBe('avp-helm');
    expect(sidecar.env.filter((e: any) => e.name.startsWith('HELM_')).map((e: any) => e.value)).toEqual(['/tmp/helm/cache', '/tmp/helm/config', '/tmp/helm/data']);
    expect(patch.spec.template.spec.volumes.map((v: any) => v.name)).toEqual(['avp-helm-config', 'avp-helm-tmp', 'avp-helm-token']);
  });

  test('custom resources', () => {
    const { patch } = plugin({
      resources: {
        cpuRequest: Cpu.millis(50),
        cpuLimit: Cpu.millis(200),
        memoryRequest: Size.mebibytes(64),
        memoryLimit: Size.gibibytes(1),
      },
    });
    expect(patch.spec.template.spec.containers[0].resources).toEqual({ limits: { cpu: '200m', memory: '1Gi' }, requests: { cpu: '50m', memory: '64Mi' } });
  });

  test('writeRepoServerPatch writes the patch as its own file', () => {
    const { plugin: p } = plugin();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'avp-'));
    const file = p.writeRepoServerPatch(path.join(dir, 'patches'));
    expect(path.basename(file)).toBe('argocd-vault-plugin-repo-server-patch.yaml');
    expect(fs.readFileSync(file, 'utf8')).toBe(p.renderRepoServerPatch());
    fs.rmSync(dir, { recursive: true });
  });

  describe('errors', () => {
    const build = (props: Partial<ArgoCdVaultPluginProps>) => () => {
      new ArgoCdVaultPlugin(testChart(), 'avp', { ...BASE, ...props });
    };

    test.each([
      ['http://vault.example.com', /vaultAddress: 'http:\/\/vault.example.com' does not use https/],
      ['vault.example.com', /vaultAddress: 'vault.example.com' is not a URL/],
      ['https://user:pass@vault.example.com', /has credentials, a path, a query or a fragment/],
      ['https://vault.example.com/v1/secret', /has credentials, a path/],
      ['https://vault.example.com?x=$(HOME)', /a query/],
    ])('refuses the Vault address %s', (vaultAddress, message) => {
      expect(build({ vaultAddress })).toThrow(message);
    });

    test('refuses bad role, mount path and audience', () => {
      expect(build({ vaultRole: '' })).toThrow(/ArgoCdVaultPlugin 'test\/avp': vaultRole: '' is not a Vault role name/);
      expect(build({ vaultRole: 'a b' })).toThrow(/vaultRole: 'a b' is not a Vault role name/);
      expect(build({ vaultAuthMountPath: '/auth/kubernetes/' })).toThrow(/vaultAuthMountPath: .* without leading or trailing/);
      expect(build({ vaultAuthMountPath: 'auth/$(X)' })).toThrow(/vaultAuthMountPath: /);
      expect(build({ tokenAudience: 'vault aud' })).toThrow(/tokenAudience: 'vault aud' is not a token audience/);
    });

    test('requires an image pinned by digest', () => {
      expect(build({ image: undefined as any })).toThrow(/image: is required: give a ContainerImage pinned by digest/);
      expect(build({ image: 'argoproj/argocd-vault-plugin:latest' as any })).toThrow(/image: is required/);
    });

    test('refuses an unknown source and a bad namespace', () => {
      expect(build({ source: 'jsonnet' as VaultPluginSource })).toThrow(/source: 'jsonnet' is not a source/);
      expect(build({ namespace: 'Argo' })).toThrow(/namespace: 'Argo' is not a DNS-1123 label/);
    });
  });
});

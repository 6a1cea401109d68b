import { Chart, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import * as YAML from 'yaml';
import { ArgoCdVaultPlugin, ArgoCdVaultPluginOptions, ArgoCdVaultPluginProps, ContainerImage, SecureArgoCD, VaultPluginSource } from '../../src';
import { findObject, Manifest, synth, testChart } from '../support/synth';
import { expectValid } from '../support/validate';

const IMAGE = ContainerImage.fromReference('registry.example.com/argocd-vault-plugin:1.18.1@sha256:f924e49625fbc942583fc701a28058f183d610e07a035081a273798522147671');
const BASE: ArgoCdVaultPluginProps = { namespace: 'argocd', image: IMAGE, vaultAddress: 'https://vault.example.com:8200', vaultRole: 'argocd-repo-server' };

function plugin(props: Partial<ArgoCdVaultPluginProps> = {}): { plugin: ArgoCdVaultPlugin; manifests: Manifest[] } {
  const chart = testChart();
  const p = new ArgoCdVaultPlugin(chart, 'avp', { ...BASE, ...props });
  const manifests = synth(chart);
  expectValid(manifests);
  return { plugin: p, manifests };
}

/** The repo-server Deployment SecureArgoCD emits with the plugin, and the plugin's sidecar and volumes in it. */
function repoServer(options: Partial<ArgoCdVaultPluginOptions> = {}): { deployment: Manifest; sidecar: any; volumes: any[] } {
  const chart = new Chart(Testing.app(), 'test');
  const { namespace, ...base } = BASE;
  const argoCd = new SecureArgoCD(chart, 'ArgoCD', {
    enableLocalAdmin: true,
    networkPolicies: { kubernetesApi: { cidrs: ['10.0.0.1/32'], ports: [6443] } },
    vaultPlugin: { ...base, ...options },
  });
  const deployment = findObject(synth(chart), 'Deployment', 'argocd-repo-server');
  expectValid([deployment]);
  const spec = deployment.spec.template.spec;
  const name = argoCd.vaultPlugin!.containerName;
  return { deployment, sidecar: spec.containers.find((c: any) => c.name === name), volumes: spec.volumes.filter((v: any) => v.name.startsWith(`${name}-`)) };
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

  test('the sidecar is part of the emitted repo-server Deployment, hardened, and not its default container', () => {
    const { deployment, sidecar, volumes } = repoServer();
    expect(deployment.spec.template.metadata.annotations['kubectl.kubernetes.io/default-container']).toBe('argocd-repo-server');
    expect(deployment.spec.template.spec.containers.map((c: any) => c.name)).toEqual(['argocd-repo-server', 'avp']);
    expect(deployment.spec.template.spec.automountServiceAccountToken).toBe(false);
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
    // var-files and plugins are upstream's volumes, shared with the repo-server
    const all = deployment.spec.template.spec.volumes.map((v: any) => v.name);
    expect(all).toEqual(expect.arrayContaining(['var-files', 'plugins']));
    expect(volumes).toEqual([
      { configMap: { name: 'argocd-vault-plugin-cmp' }, name: 'avp-config' },
      { emptyDir: {}, name: 'avp-tmp' },
      { name: 'avp-token', projected: { sources: [{ serviceAccountToken: { expirationSeconds: 3600, path: 'token' } }] } },
    ]);
  });

  test('Vault Kubernetes auth from typed props, no token in the output', () => {
    const { sidecar, volumes } = repoServer({ vaultAuthMountPath: 'auth/k8s-prod', tokenAudience: 'vault' });
    expect(sidecar.env).toEqual([
      { name: 'AVP_AUTH_TYPE', value: 'k8s' },
      { name: 'AVP_K8S_ROLE', value: 'argocd-repo-server' },
      { name: 'AVP_K8S_MOUNT_PATH', value: 'auth/k8s-prod' },
      { name: 'AVP_K8S_TOKEN_PATH', value: '/var/run/secrets/argocd-vault-plugin/token' },
      { name: 'AVP_TYPE', value: 'vault' },
      { name: 'VAULT_ADDR', value: 'https://vault.example.com:8200' },
    ]);
    expect(volumes[2].projected.sources[0].serviceAccountToken.audience).toBe('vault');
    expect(JSON.stringify([sidecar, volumes])).not.toMatch(/VAULT_TOKEN|AVP_SECRET_ID|secretKeyRef/);
  });

  test('the helm sidecar gets writable Helm homes under /tmp and its own volume names', () => {
    const { sidecar, volumes } = repoServer({ source: VaultPluginSource.HELM });
    expect(sidecar.name).toBe('avp-helm');
    expect(sidecar.env.filter((e: any) => e.name.startsWith('HELM_')).map((e: any) => e.value)).toEqual(['/tmp/helm/cache', '/tmp/helm/config', '/tmp/helm/data']);
    expect(volumes.map((v: any) => v.name)).toEqual(['avp-helm-config', 'avp-helm-tmp', 'avp-helm-token']);
  });

  test('custom resources', () => {
    const { sidecar } = repoServer({
      resources: {
        cpuRequest: Cpu.millis(50),
        cpuLimit: Cpu.millis(200),
        memoryRequest: Size.mebibytes(64),
        memoryLimit: Size.gibibytes(1),
      },
    });
    expect(sidecar.resources).toEqual({ limits: { cpu: '200m', memory: '1Gi' }, requests: { cpu: '50m', memory: '64Mi' } });
  });

  describe('errors', () => {
    const build = (props: Partial<ArgoCdVaultPluginProps>) => () => {
      new ArgoCdVaultPlugin(testChart(), 'avp', { ...BASE, ...props });
    };

    test.each([
      ['http://vault.example.com', /vaultAddress: 'http:\/\/vault.example.com' does not use https/],
      ['vault.example.com', /vaultAddress: 'vault.example.com' is not an https:\/\/ URL/],
      ['https://user:pass@vault.example.com', /contains credentials/],
      ['https://vault.example.com/v1/secret', /has a path: give only/],
      // Written as given: what Go's net/url reads differently is refused, not normalized.
      ['https://vault.example.com:08200', /has an invalid port/],
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

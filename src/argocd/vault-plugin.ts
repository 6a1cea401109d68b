import { Size } from 'cdk8s';
import { Cpu, k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as YAML from 'yaml';
import { ContainerImage } from '../core/container-image';
import { ContainerResources } from '../core/container-resources';
import { standardLabels } from '../core/labels';
import { bindFactoryProblems, invalid } from '../private/errors';
import { resourceRequirements, restrictedContainerSecurityContext } from '../private/pod-security';
import { registerLibraryConstruct } from '../private/stamp';
import { quoted, requireDns1123Label, requireHttpsUrl } from '../private/validate';

/** What the plugin renders before argocd-vault-plugin replaces the placeholders. */
export enum VaultPluginSource {
  /** Plain manifests in the application's path (`argocd-vault-plugin generate ./`). */
  DIRECTORY = 'directory',
  /** A Helm chart in the application's path (`helm template`; the image needs `helm`). */
  HELM = 'helm',
  /** A Kustomize overlay in the application's path (`kustomize build`; the image needs `kustomize`). */
  KUSTOMIZE = 'kustomize',
}

/** Everything {@link ArgoCdVaultPlugin} needs except the namespace. */
export interface ArgoCdVaultPluginOptions {
  /**
   * The sidecar image, pinned by digest. It must contain the `argocd-vault-plugin` binary (and
   * `helm` or `kustomize` for those sources); Argo CD's `argocd-cmp-server` comes from the
   * repo-server's shared `/var/run/argocd` volume.
   */
  readonly image: ContainerImage;
  /** The Vault address, `https://` only, e.g. `https://vault.example.com:8200`. */
  readonly vaultAddress: string;
  /** The Vault Kubernetes auth role bound to the `argocd-repo-server` service account (`AVP_K8S_ROLE`). */
  readonly vaultRole: string;
  /**
   * The mount path of Vault's Kubernetes auth method (`AVP_K8S_MOUNT_PATH`).
   * @default - the plugin's default, `auth/kubernetes`
   */
  readonly vaultAuthMountPath?: string;
  /**
   * The audience of the service account token the sidecar logs in with. Set it to the
   * `audience` of the Vault role, so that the token is good for nothing but Vault.
   * @default - the API server's audience (for a Vault role without `audience`)
   */
  readonly tokenAudience?: string;
  /**
   * What the plugin renders.
   * @default VaultPluginSource.DIRECTORY
   */
  readonly source?: VaultPluginSource;
  /**
   * CPU and memory of the sidecar.
   * @default - requests 100m CPU and 128Mi memory, limits 1 CPU and 512Mi memory
   */
  readonly resources?: ContainerResources;
}

/** Props for {@link ArgoCdVaultPlugin}. */
export interface ArgoCdVaultPluginProps extends ArgoCdVaultPluginOptions {
  /** The namespace Argo CD runs in. */
  readonly namespace: string;
}

/** Where argocd-cmp-server reads the plugin definition. */
const PLUGIN_CONFIG_PATH = '/home/argocd/cmp-server/config/plugin.yaml';
const TOKEN_DIR = '/var/run/secrets/argocd-vault-plugin';
/** The `argocd` user of the upstream images, which owns the plugin socket directory. */
const ARGOCD_USER = 999;
const DEFAULT_RESOURCES: ContainerResources = {
  cpuRequest: Cpu.millis(100),
  cpuLimit: Cpu.units(1),
  memoryRequest: Size.mebibytes(128),
  memoryLimit: Size.mebibytes(512),
};

const VAULT_ROLE = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
/** Segments of Vault path characters, none of them `.` or `..` (which an HTTP client or Vault would resolve away). */
const MOUNT_PATH = /^(?!\.\.?(\/|$))[A-Za-z0-9_.-]+(\/(?!\.\.?(\/|$))[A-Za-z0-9_.-]+)*$/;
const AUDIENCE = /^[A-Za-z0-9][A-Za-z0-9_.:/-]*$/;

/**
 * Runs a renderer, then argocd-vault-plugin on its output. The output is captured first so
 * that a failing renderer fails the plugin: with a plain pipe the shell would report only the
 * plugin's status, and Argo CD would see an empty manifest list (and could prune everything).
 */
function renderThenSubstitute(renderer: string): string[] {
  return ['sh', '-c', `set -e; manifests=$(${renderer}); printf '%s\\n' "$manifests" | argocd-vault-plugin generate -`];
}

/**
 * argocd-vault-plugin as an Argo CD config management plugin, the supported way since
 * Argo CD 2.8: a ConfigMap with the `ConfigManagementPlugin` definition (`plugin.yaml`) and a
 * sidecar in the repo-server pod. Create it with `SecureArgoCD`'s `vaultPlugin` option, which
 * adds the sidecar to the repo-server Deployment it installs (on its own this construct writes
 * only the ConfigMap). The sidecar logs in to Vault with Kubernetes auth from a projected,
 * short-lived service account token; no Vault token is ever stored.
 *
 * Prefer `SealedOrExternalSecret`: argocd-vault-plugin puts the secret values into the
 * rendered manifests, which Argo CD caches in Redis and the repo-server and shows in diffs.
 * Applications select the plugin by name (`spec.source.plugin.name`); it is never discovered.
 */
export class ArgoCdVaultPlugin extends Construct {
  /** The plugin name applications select with `spec.source.plugin.name`. */
  public readonly pluginName: string;
  /** The name of the ConfigMap holding `plugin.yaml`. */
  public readonly configMapName: string;
  /** The name of the sidecar container. */
  public readonly containerName: string;

  private readonly sidecar: { containers: unknown[]; volumes: unknown[] };

  constructor(scope: Construct, id: string, props: ArgoCdVaultPluginProps) {
    super(scope, id);
    registerLibraryConstruct(this, 'argocd');
    const namespace = requireDns1123Label(this, 'namespace', props.namespace);
    if (!ContainerImage.isContainerImage(props.image)) {
      invalid(this, 'image', 'is required: give a ContainerImage pinned by digest that contains argocd-vault-plugin');
    }
    bindFactoryProblems(this, 'image', props.image);
    const vaultAddress = this.checkVaultAddress(props.vaultAddress);
    if (!props.vaultRole || !VAULT_ROLE.test(props.vaultRole)) {
      invalid(this, 'vaultRole', `${quoted(props.vaultRole ?? '')} is not a Vault role name: use letters, digits, '_', '.' and '-'`);
    }
    if (props.vaultAuthMountPath !== undefined && !MOUNT_PATH.test(props.vaultAuthMountPath)) {
      invalid(this, 'vaultAuthMountPath', `${quoted(props.vaultAuthMountPath)} is not a Vault mount path: write it like 'auth/kubernetes', without leading or trailing '/' and without '.' or '..' segments`);
    }
    if (props.tokenAudience !== undefined && !AUDIENCE.test(props.tokenAudience)) {
      invalid(this, 'tokenAudience', `${quoted(props.tokenAudience)} is not a token audience: use letters, digits and '_', '.', ':', '/', '-'`);
    }
    const source = props.source ?? VaultPluginSource.DIRECTORY;
    if (!Object.values(VaultPluginSource).includes(source)) {
      invalid(this, 'source', `${quoted(source)} is not a source: use a VaultPluginSource value`);
    }

    const suffix = source === VaultPluginSource.DIRECTORY ? '' : `-${source}`;
    this.pluginName = `argocd-vault-plugin${suffix}`;
    this.configMapName = `${this.pluginName}-cmp`;
    this.containerName = `avp${suffix}`;

    const spec: Record<string, any> = {};
    switch (source) {
      case VaultPluginSource.HELM:
        spec.init = { command: ['helm', 'dependency', 'build'] };
        spec.generate = { command: renderThenSubstitute('helm template "$ARGOCD_APP_NAME" --namespace "$ARGOCD_APP_NAMESPACE" .') };
        break;
      case VaultPluginSource.KUSTOMIZE:
        spec.generate = { command: renderThenSubstitute('kustomize build .') };
        break;
      default:
        spec.generate = { command: ['argocd-vault-plugin', 'generate', './'] };
    }
    const pluginDefinition = { apiVersion: 'argoproj.io/v1alpha1', kind: 'ConfigManagementPlugin', metadata: { name: this.pluginName }, spec };

    new k8s.KubeConfigMap(this, 'config', {
      metadata: {
        name: this.configMapName,
        namespace,
        labels: standardLabels({ name: this.pluginName, partOf: 'argocd', component: 'repo-server' }),
      },
      data: { 'plugin.yaml': YAML.stringify(pluginDefinition) },
    });

    const volume = { config: `${this.containerName}-config`, tmp: `${this.containerName}-tmp`, token: `${this.containerName}-token` };
    const env: k8s.EnvVar[] = [
      { name: 'AVP_AUTH_TYPE', value: 'k8s' },
      { name: 'AVP_K8S_ROLE', value: props.vaultRole },
      ...(props.vaultAuthMountPath !== undefined ? [{ name: 'AVP_K8S_MOUNT_PATH', value: props.vaultAuthMountPath }] : []),
      { name: 'AVP_K8S_TOKEN_PATH', value: `${TOKEN_DIR}/token` },
      { name: 'AVP_TYPE', value: 'vault' },
      // Helm needs writable homes; the root filesystem is read-only.
      ...(source === VaultPluginSource.HELM ? [
        { name: 'HELM_CACHE_HOME', value: '/tmp/helm/cache' },
        { name: 'HELM_CONFIG_HOME', value: '/tmp/helm/config' },
        { name: 'HELM_DATA_HOME', value: '/tmp/helm/data' },
      ] : []),
      { name: 'VAULT_ADDR', value: vaultAddress },
    ];
    const container: k8s.Container = {
      name: this.containerName,
      image: props.image.reference,
      command: ['/var/run/argocd/argocd-cmp-server'],
      env,
      resources: resourceRequirements(this, 'resources', props.resources ?? DEFAULT_RESOURCES),
      securityContext: { ...restrictedContainerSecurityContext(), runAsUser: ARGOCD_USER, runAsGroup: ARGOCD_USER },
      volumeMounts: [
        { name: 'var-files', mountPath: '/var/run/argocd' },
        { name: 'plugins', mountPath: '/home/argocd/cmp-server/plugins' },
        { name: volume.config, mountPath: PLUGIN_CONFIG_PATH, subPath: 'plugin.yaml' },
        { name: volume.tmp, mountPath: '/tmp' },
        { name: volume.token, mountPath: TOKEN_DIR, readOnly: true },
      ],
    };
    // The repo-server pod does not mount a service account token (upstream sets
    // automountServiceAccountToken: false); only this sidecar gets one, short-lived.
    const volumes: k8s.Volume[] = [
      { name: volume.config, configMap: { name: this.configMapName } },
      { name: volume.tmp, emptyDir: {} },
      {
        name: volume.token,
        projected: {
          sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3600, audience: props.tokenAudience } }],
        },
      },
    ];
    this.sidecar = { containers: [k8s.toJson_Container(container)], volumes: volumes.map((v) => k8s.toJson_Volume(v)) };
  }

  /**
   * The sidecar container and its volumes, for the repo-server pod (SecureArgoCD adds them).
   * @internal
   */
  public _repoServerSidecar(): { containers: unknown[]; volumes: unknown[] } {
    return this.sidecar;
  }

  /** The address as written (Go's net/url reads it so), without a trailing '/'. */
  private checkVaultAddress(address: string): string {
    requireHttpsUrl(this, 'vaultAddress', address);
    if (!/^https:\/\/[^/]*\/?$/.test(address)) {
      invalid(this, 'vaultAddress', `${quoted(address)} has a path: give only 'https://<host>[:<port>]', e.g. 'https://vault.example.com:8200'`);
    }
    return address.replace(/\/$/, '');
  }
}

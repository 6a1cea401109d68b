import * as crypto from 'crypto';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { standardLabels } from '../core/labels';
import { applySyncWave, SyncWave } from '../core/sync-wave';
import {
  SecretStore as L1SecretStore,
  SecretStoreSpecProvider,
  SecretStoreSpecProviderAwsService,
  SecretStoreSpecProviderAzurekvAuthType,
  SecretStoreSpecProviderVaultVersion,
} from '../imports/externalsecrets-external-secrets.io';
import { invalid } from '../private/errors';
import { sortedRecord } from '../private/render';
import { requireDns1123Label, requireDns1123Subdomain } from '../private/validate';

/** The kind of an External Secrets Operator store. */
export enum SecretStoreKind {
  /** A namespaced `SecretStore`: only ExternalSecrets in its own namespace can use it. */
  SECRET_STORE = 'SecretStore',
  /** A `ClusterSecretStore`: usable from every namespace its conditions allow. */
  CLUSTER_SECRET_STORE = 'ClusterSecretStore',
}

/** A store an ExternalSecret can read from: one this app creates, or one that exists. */
export interface ISecretStore {
  /** The store's name. */
  readonly storeName: string;
  /** `SecretStore` or `ClusterSecretStore`. */
  readonly storeKind: SecretStoreKind;
  /**
   * The namespace of a namespaced store created by this app.
   * @default - unknown (an existing `SecretStore` is assumed to be in the ExternalSecret's namespace)
   */
  readonly storeNamespace?: string;
}

/** A reference to a store that exists in the cluster already. */
export class SecretStoreRef implements ISecretStore {
  /**
   * An existing namespaced `SecretStore`, in the same namespace as the ExternalSecret that
   * uses it (ESO resolves it there).
   */
  public static existing(name: string): SecretStoreRef {
    return new SecretStoreRef(requireDns1123Subdomain('SecretStoreRef', 'name', name), SecretStoreKind.SECRET_STORE);
  }

  /** An existing `ClusterSecretStore`. */
  public static existingCluster(name: string): SecretStoreRef {
    return new SecretStoreRef(requireDns1123Subdomain('SecretStoreRef', 'name', name), SecretStoreKind.CLUSTER_SECRET_STORE);
  }

  private constructor(
    /** The store's name. */
    public readonly storeName: string,
    /** `SecretStore` or `ClusterSecretStore`. */
    public readonly storeKind: SecretStoreKind,
  ) {}
}

/** Options for {@link SecretStoreProvider.vault}. */
export interface VaultProviderOptions {
  /** The Vault server URL; must be `https://`. */
  readonly server: string;
  /** The mount path of the KV version 2 secrets engine, e.g. `secret`. */
  readonly path: string;
  /** The Vault role bound to the store's service account in the Kubernetes auth method. */
  readonly role: string;
  /**
   * The mount path of Vault's Kubernetes auth method.
   * @default 'kubernetes'
   */
  readonly authMountPath?: string;
  /**
   * PEM certificate(s) of the CA that signed the Vault server certificate.
   * @default - the system trust store of the ESO controller
   */
  readonly caBundlePem?: string;
}

/** Options for {@link SecretStoreProvider.awsSecretsManager} and {@link SecretStoreProvider.awsParameterStore}. */
export interface AwsProviderOptions {
  /** The AWS region, e.g. `eu-west-1`. */
  readonly region: string;
  /**
   * The IAM role the store's service account assumes through IRSA
   * (`arn:aws:iam::<account>:role/<name>`); its trust policy must allow
   * `system:serviceaccount:<namespace>:<serviceAccountName>`.
   */
  readonly roleArn: string;
}

/** Options for {@link SecretStoreProvider.gcpSecretManager}. */
export interface GcpSecretManagerProviderOptions {
  /** The GCP project that holds the secrets. */
  readonly projectId: string;
  /**
   * The Google service account the store's Kubernetes service account impersonates through
   * GKE Workload Identity (`name@project.iam.gserviceaccount.com`).
   */
  readonly gcpServiceAccount: string;
  /**
   * Location of the GKE cluster (needed only when ESO cannot read it from the metadata server).
   * @default - discovered by ESO
   */
  readonly clusterLocation?: string;
  /**
   * Name of the GKE cluster.
   * @default - discovered by ESO
   */
  readonly clusterName?: string;
  /**
   * Project of the GKE cluster.
   * @default - discovered by ESO
   */
  readonly clusterProjectId?: string;
}

/** Options for {@link SecretStoreProvider.azureKeyVault}. */
export interface AzureKeyVaultProviderOptions {
  /** The vault URL, `https://<name>.vault.azure.net`. */
  readonly vaultUrl: string;
  /** Client ID of the Entra ID application or managed identity federated with the store's service account. */
  readonly clientId: string;
  /** The Entra ID tenant ID. */
  readonly tenantId: string;
}

/** What a provider contributes to a store: its spec and its service account's annotations. */
interface RenderedProvider {
  readonly provider: SecretStoreSpecProvider;
  readonly serviceAccountAnnotations: Record<string, string>;
}

/**
 * The backend a {@link SecretStore} reads from. Every provider authenticates with a dedicated
 * service account that the store creates (workload identity, never static credentials).
 */
export abstract class SecretStoreProvider {
  /** HashiCorp Vault, KV version 2, with Kubernetes auth. */
  public static vault(options: VaultProviderOptions): SecretStoreProvider {
    return new VaultProvider(options);
  }

  /** AWS Secrets Manager, with IRSA. */
  public static awsSecretsManager(options: AwsProviderOptions): SecretStoreProvider {
    return new AwsProvider(SecretStoreSpecProviderAwsService.SECRETS_MANAGER, options);
  }

  /** AWS Systems Manager Parameter Store, with IRSA. */
  public static awsParameterStore(options: AwsProviderOptions): SecretStoreProvider {
    return new AwsProvider(SecretStoreSpecProviderAwsService.PARAMETER_STORE, options);
  }

  /** Google Cloud Secret Manager, with GKE Workload Identity. */
  public static gcpSecretManager(options: GcpSecretManagerProviderOptions): SecretStoreProvider {
    return new GcpSecretManagerProvider(options);
  }

  /** Azure Key Vault, with Azure Workload Identity. */
  public static azureKeyVault(options: AzureKeyVaultProviderOptions): SecretStoreProvider {
    return new AzureKeyVaultProvider(options);
  }

  /** @internal */
  public abstract _render(store: SecretStore, serviceAccountName: string): RenderedProvider;
}

const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const AWS_ROLE_ARN = /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const GCP_PROJECT = /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/;
const GCP_SERVICE_ACCOUNT = /^[a-z][-a-z0-9]{4,28}[a-z0-9]@[-a-z0-9.]+\.iam\.gserviceaccount\.com$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const VAULT_PATH = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;
const VAULT_ROLE = /^[A-Za-z0-9_.@-]+$/;

function requireHttpsUrl(store: SecretStore, property: string, value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || url.protocol !== 'https:' || !url.hostname || url.username || url.password) {
    invalid(store, property, `'${value}' is not an https:// URL: the store must reach its backend over TLS, without credentials in the URL`);
  }
  return value;
}

class VaultProvider extends SecretStoreProvider {
  constructor(private readonly options: VaultProviderOptions) {
    super();
  }

  public _render(store: SecretStore, serviceAccountName: string): RenderedProvider {
    const o = this.options;
    requireHttpsUrl(store, 'vault.server', o.server);
    if (!VAULT_PATH.test(o.path ?? '')) {
      invalid(store, 'vault.path', `'${o.path}' is not a KV mount path: give the mount without leading or trailing '/', e.g. 'secret'`);
    }
    if (!VAULT_ROLE.test(o.role ?? '')) {
      invalid(store, 'vault.role', `'${o.role}' is not a Vault role name: use letters, digits, '_', '.', '@' and '-'`);
    }
    const mountPath = o.authMountPath ?? 'kubernetes';
    if (!VAULT_PATH.test(mountPath)) {
      invalid(store, 'vault.authMountPath', `'${mountPath}' is not an auth mount path: give it without leading or trailing '/'`);
    }
    let caBundle: string | undefined;
    if (o.caBundlePem !== undefined) {
      // X509Certificate reads only the first PEM block: check the whole text for a key.
      if (typeof o.caBundlePem === 'string' && /PRIVATE KEY/.test(o.caBundlePem)) {
        invalid(store, 'vault.caBundlePem', 'contains a private key, which would be published in the SecretStore: pass only the CA certificate(s)');
      }
      try {
        new crypto.X509Certificate(o.caBundlePem);
      } catch {
        invalid(store, 'vault.caBundlePem', 'is not a PEM certificate: give the CA certificate(s) as PEM text');
      }
      caBundle = Buffer.from(o.caBundlePem, 'utf8').toString('base64');
    }
    return {
      provider: {
        vault: {
          server: o.server,
          path: o.path,
          version: SecretStoreSpecProviderVaultVersion.V2,
          caBundle,
          auth: { kubernetes: { mountPath, role: o.role, serviceAccountRef: { name: serviceAccountName } } },
        },
      },
      serviceAccountAnnotations: {},
    };
  }
}

class AwsProvider extends SecretStoreProvider {
  constructor(private readonly service: SecretStoreSpecProviderAwsService, private readonly options: AwsProviderOptions) {
    super();
  }

  public _render(store: SecretStore, serviceAccountName: string): RenderedProvider {
    const o = this.options;
    if (!AWS_REGION.test(o.region ?? '')) {
      invalid(store, 'aws.region', `'${o.region}' is not an AWS region, e.g. 'eu-west-1'`);
    }
    if (!AWS_ROLE_ARN.test(o.roleArn ?? '')) {
      invalid(store, 'aws.roleArn', `'${o.roleArn}' is not an IAM role ARN: use 'arn:aws:iam::<12-digit account>:role/<name>'`);
    }
    return {
      provider: {
        aws: {
          service: this.service,
          region: o.region,
          auth: { jwt: { serviceAccountRef: { name: serviceAccountName } } },
        },
      },
      serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': o.roleArn },
    };
  }
}

class GcpSecretManagerProvider extends SecretStoreProvider {
  constructor(private readonly options: GcpSecretManagerProviderOptions) {
    super();
  }

  public _render(store: SecretStore, serviceAccountName: string): RenderedProvider {
    const o = this.options;
    if (!GCP_PROJECT.test(o.projectId ?? '')) {
      invalid(store, 'gcp.projectId', `'${o.projectId}' is not a GCP project ID: give the ID (6-30 lowercase letters, digits and '-'), not the project's name or number`);
    }
    if (!GCP_SERVICE_ACCOUNT.test(o.gcpServiceAccount ?? '')) {
      invalid(store, 'gcp.gcpServiceAccount', `'${o.gcpServiceAccount}' is not a Google service account email (name@project.iam.gserviceaccount.com)`);
    }
    if (o.clusterProjectId !== undefined && !GCP_PROJECT.test(o.clusterProjectId)) {
      invalid(store, 'gcp.clusterProjectId', `'${o.clusterProjectId}' is not a GCP project ID: give the ID (6-30 lowercase letters, digits and '-'), not the project's name or number`);
    }
    return {
      provider: {
        gcpsm: {
          projectId: o.projectId,
          auth: {
            workloadIdentity: {
              clusterLocation: o.clusterLocation,
              clusterName: o.clusterName,
              clusterProjectId: o.clusterProjectId,
              serviceAccountRef: { name: serviceAccountName },
            },
          },
        },
      },
      serviceAccountAnnotations: { 'iam.gke.io/gcp-service-account': o.gcpServiceAccount },
    };
  }
}

class AzureKeyVaultProvider extends SecretStoreProvider {
  constructor(private readonly options: AzureKeyVaultProviderOptions) {
    super();
  }

  public _render(store: SecretStore, serviceAccountName: string): RenderedProvider {
    const o = this.options;
    requireHttpsUrl(store, 'azure.vaultUrl', o.vaultUrl);
    if (!UUID.test(o.clientId ?? '')) {
      invalid(store, 'azure.clientId', `'${o.clientId}' is not a client ID: give the application (client) ID, a UUID`);
    }
    if (!UUID.test(o.tenantId ?? '')) {
      invalid(store, 'azure.tenantId', `'${o.tenantId}' is not a tenant ID: give the directory (tenant) ID, a UUID`);
    }
    return {
      provider: {
        azurekv: {
          vaultUrl: o.vaultUrl,
          authType: SecretStoreSpecProviderAzurekvAuthType.WORKLOAD_IDENTITY,
          serviceAccountRef: { name: serviceAccountName },
        },
      },
      serviceAccountAnnotations: {
        'azure.workload.identity/client-id': o.clientId,
        'azure.workload.identity/tenant-id': o.tenantId,
      },
    };
  }
}

/** Properties of a {@link SecretStore}. */
export interface SecretStoreProps {
  /** The namespace of the store; only ExternalSecrets in this namespace can use it. */
  readonly namespace: string;
  /**
   * The store's name.
   * @default - derived from the construct id (kebab-case)
   */
  readonly name?: string;
  /** The backend and how the store authenticates to it. */
  readonly provider: SecretStoreProvider;
  /**
   * Name of the service account the store authenticates as (created by this construct).
   * @default - the store's name
   */
  readonly serviceAccountName?: string;
}

/**
 * A namespaced External Secrets Operator `SecretStore` (external-secrets.io/v1) with its own
 * service account. The service account carries exactly the annotations its provider's
 * workload identity needs and does not mount a token (ESO requests one itself).
 */
export class SecretStore extends Construct implements ISecretStore {
  /** The store's name. */
  public readonly storeName: string;
  /** Always `SecretStore`. */
  public readonly storeKind: SecretStoreKind = SecretStoreKind.SECRET_STORE;
  /** The store's namespace. */
  public readonly namespace: string;
  /** The store's namespace (as `ISecretStore` reports it). */
  public readonly storeNamespace?: string;
  /** The service account the store authenticates as. */
  public readonly serviceAccountName: string;

  constructor(scope: Construct, id: string, props: SecretStoreProps) {
    super(scope, id);
    if (!props.provider) {
      invalid(this, 'provider', 'no provider given: use SecretStoreProvider.vault(), .awsSecretsManager(), .awsParameterStore(), .gcpSecretManager() or .azureKeyVault()');
    }
    this.namespace = requireDns1123Label(this, 'namespace', props.namespace ?? '');
    this.storeNamespace = this.namespace;
    this.storeName = requireDns1123Subdomain(this, 'name', props.name ?? nameFromId(id));
    this.serviceAccountName = requireDns1123Subdomain(this, 'serviceAccountName', props.serviceAccountName ?? this.storeName);
    const rendered = props.provider._render(this, this.serviceAccountName);

    const labels = standardLabels({ name: this.storeName, component: 'secret-store' });
    const serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: {
        name: this.serviceAccountName,
        namespace: this.namespace,
        labels,
        annotations: Object.keys(rendered.serviceAccountAnnotations).length > 0 ? sortedRecord(rendered.serviceAccountAnnotations) : undefined,
      },
      automountServiceAccountToken: false,
    });
    applySyncWave(serviceAccount, SyncWave.SERVICE_ACCOUNTS_AND_RBAC);

    const store = new L1SecretStore(this, 'Resource', {
      metadata: { name: this.storeName, namespace: this.namespace, labels },
      spec: { provider: rendered.provider },
    });
    applySyncWave(store, SyncWave.STORAGE_AND_SECRETS);
  }
}

/**
 * A DNS-1123 name from a construct id: `RepoCreds` and `repo_creds` become `repo-creds`.
 * @internal
 */
export function nameFromId(id: string): string {
  return id
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
}

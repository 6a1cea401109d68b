import * as crypto from 'crypto';
import {
  SecretStoreSpecProvider,
  SecretStoreSpecProviderAwsService,
  SecretStoreSpecProviderAzurekvAuthType,
  SecretStoreSpecProviderVaultVersion,
} from '../imports/externalsecrets-external-secrets.io';
import { recordFactoryProblem } from '../private/errors';
import { goNumberProblem, httpsUrlProblem, pemProblem, quoted } from '../private/validate';

const SECRET_STORE_PROVIDER = Symbol.for('cdk8s-secure-argo.SecretStoreProvider');

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
  /** True if `x` is a `SecretStoreProvider`, also one made by another copy of this library. */
  public static isSecretStoreProvider(x: any): x is SecretStoreProvider {
    return x !== null && typeof x === 'object' && SECRET_STORE_PROVIDER in x;
  }

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

  protected constructor() {
    Object.defineProperty(this, SECRET_STORE_PROVIDER, { value: true });
  }

  /**
   * The provider's part of the store spec, for a store that authenticates as `serviceAccountName`.
   * @internal
   */
  public abstract _render(serviceAccountName: string): RenderedProvider;
}

const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const AWS_ROLE_ARN = /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const GCP_PROJECT = /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/;
const GCP_SERVICE_ACCOUNT = /^[a-z][-a-z0-9]{4,28}[a-z0-9]@[-a-z0-9.]+\.iam\.gserviceaccount\.com$/;
const GKE_LOCATION = /^[a-z]+-[a-z]+[0-9]+(-[a-z])?$/;
const GKE_CLUSTER = /^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const VAULT_PATH = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;
const VAULT_ROLE = /^[A-Za-z0-9_.@-]+$/;

class VaultProvider extends SecretStoreProvider {
  private readonly mountPath: string;
  private readonly caBundle?: string;

  constructor(private readonly options: VaultProviderOptions) {
    super();
    const o = options;
    // ESO appends the API paths to the server URL: no query or fragment.
    const urlProblem = httpsUrlProblem(o.server);
    if (urlProblem) recordFactoryProblem(this, 'server', urlProblem);
    const pathProblem = !VAULT_PATH.test(o.path ?? '')
      ? `${quoted(o.path)} is not a KV mount path: give the mount without leading or trailing '/', e.g. 'secret'` : goNumberProblem(o.path);
    if (pathProblem) recordFactoryProblem(this, 'path', pathProblem);
    const roleProblem = !VAULT_ROLE.test(o.role ?? '')
      ? `${quoted(o.role)} is not a Vault role name: use letters, digits, '_', '.', '@' and '-'` : goNumberProblem(o.role);
    if (roleProblem) recordFactoryProblem(this, 'role', roleProblem);
    this.mountPath = o.authMountPath ?? 'kubernetes';
    const mountProblem = !VAULT_PATH.test(this.mountPath)
      ? `${quoted(this.mountPath)} is not an auth mount path: give it without leading or trailing '/'` : goNumberProblem(this.mountPath);
    if (mountProblem) recordFactoryProblem(this, 'authMountPath', mountProblem);
    if (o.caBundlePem !== undefined) {
      // Every block must be a certificate (a private key would be published in the SecretStore),
      // and the first must parse as X.509.
      const problem = pemProblem(o.caBundlePem, { type: 'CERTIFICATE' }) ?? x509Problem(o.caBundlePem);
      if (problem) recordFactoryProblem(this, 'caBundlePem', problem);
      else this.caBundle = Buffer.from(o.caBundlePem, 'utf8').toString('base64');
    }
  }

  public _render(serviceAccountName: string): RenderedProvider {
    const o = this.options;
    return {
      provider: {
        vault: {
          server: o.server,
          path: o.path,
          version: SecretStoreSpecProviderVaultVersion.V2,
          caBundle: this.caBundle,
          auth: { kubernetes: { mountPath: this.mountPath, role: o.role, serviceAccountRef: { name: serviceAccountName } } },
        },
      },
      serviceAccountAnnotations: {},
    };
  }
}

class AwsProvider extends SecretStoreProvider {
  constructor(private readonly service: SecretStoreSpecProviderAwsService, private readonly options: AwsProviderOptions) {
    super();
    if (!AWS_REGION.test(options.region ?? '')) {
      recordFactoryProblem(this, 'region', `${quoted(options.region)} is not an AWS region, e.g. 'eu-west-1'`);
    }
    if (!AWS_ROLE_ARN.test(options.roleArn ?? '')) {
      recordFactoryProblem(this, 'roleArn', `${quoted(options.roleArn)} is not an IAM role ARN: use 'arn:aws:iam::<12-digit account>:role/<name>'`);
    }
  }

  public _render(serviceAccountName: string): RenderedProvider {
    const o = this.options;
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
    const o = options;
    if (!GCP_PROJECT.test(o.projectId ?? '')) {
      recordFactoryProblem(this, 'projectId', `${quoted(o.projectId)} is not a GCP project ID: give the ID (6-30 lowercase letters, digits and '-'), not the project's name or number`);
    }
    if (!GCP_SERVICE_ACCOUNT.test(o.gcpServiceAccount ?? '')) {
      recordFactoryProblem(this, 'gcpServiceAccount', `${quoted(o.gcpServiceAccount)} is not a Google service account email (name@project.iam.gserviceaccount.com)`);
    }
    if (o.clusterLocation !== undefined && !GKE_LOCATION.test(o.clusterLocation)) {
      recordFactoryProblem(this, 'clusterLocation', `${quoted(o.clusterLocation)} is not a GKE cluster location: give a region or zone, e.g. 'europe-west1' or 'europe-west1-b'`);
    }
    if (o.clusterName !== undefined && !GKE_CLUSTER.test(o.clusterName)) {
      recordFactoryProblem(this, 'clusterName', `${quoted(o.clusterName)} is not a GKE cluster name: use at most 40 lowercase letters, digits and '-', starting with a letter`);
    }
    if (o.clusterProjectId !== undefined && !GCP_PROJECT.test(o.clusterProjectId)) {
      recordFactoryProblem(this, 'clusterProjectId', `${quoted(o.clusterProjectId)} is not a GCP project ID: give the ID (6-30 lowercase letters, digits and '-'), not the project's name or number`);
    }
  }

  public _render(serviceAccountName: string): RenderedProvider {
    const o = this.options;
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
    const o = options;
    const urlProblem = httpsUrlProblem(o.vaultUrl);
    if (urlProblem) recordFactoryProblem(this, 'vaultUrl', urlProblem);
    if (!UUID.test(o.clientId ?? '')) {
      recordFactoryProblem(this, 'clientId', `${quoted(o.clientId)} is not a client ID: give the application (client) ID, a UUID`);
    }
    if (!UUID.test(o.tenantId ?? '')) {
      recordFactoryProblem(this, 'tenantId', `${quoted(o.tenantId)} is not a tenant ID: give the directory (tenant) ID, a UUID`);
    }
  }

  public _render(serviceAccountName: string): RenderedProvider {
    const o = this.options;
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

function x509Problem(pem: string): string | undefined {
  try {
    new crypto.X509Certificate(pem);
    return undefined;
  } catch (e: any) {
    return `is not an X.509 certificate (${e.message}): give the CA certificate(s) as PEM text`;
  }
}

import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { standardLabels } from '../core/labels';
import { applySyncWave, SyncWave } from '../core/sync-wave';
import { SecretStore as L1SecretStore } from '../imports/externalsecrets-external-secrets.io';
import { bindFactoryProblems, deferredChecks, invalid, recordFactoryProblem } from '../private/errors';
import { sortedRecord } from '../private/render';
import { dns1123LabelProblem, dns1123SubdomainProblem } from '../private/validate';
import { nameFromId } from './private/names';
import { SecretStoreProvider } from './secret-store-provider';
import { registerLibraryConstruct } from '../private/stamp';

const STORE_BRAND = Symbol.for('cdk8s-secure-argo.SecretStore');

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
    return new SecretStoreRef(name, SecretStoreKind.SECRET_STORE);
  }

  /** An existing `ClusterSecretStore`. */
  public static existingCluster(name: string): SecretStoreRef {
    return new SecretStoreRef(name, SecretStoreKind.CLUSTER_SECRET_STORE);
  }

  private constructor(
    /** The store's name. */
    public readonly storeName: string,
    /** `SecretStore` or `ClusterSecretStore`. */
    public readonly storeKind: SecretStoreKind,
  ) {
    const problem = dns1123SubdomainProblem(storeName);
    if (problem) recordFactoryProblem(this, 'name', problem);
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
  /** True if `x` is a `SecretStore`, also one made by another copy of this library. */
  public static isSecretStore(x: any): x is SecretStore {
    return x !== null && typeof x === 'object' && STORE_BRAND in x;
  }

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
    registerLibraryConstruct(this);
    Object.defineProperty(this, STORE_BRAND, { value: true });
    if (!SecretStoreProvider.isSecretStoreProvider(props.provider)) {
      invalid(this, 'provider', 'no provider given: use SecretStoreProvider.vault(), .awsSecretsManager(), .awsParameterStore(), .gcpSecretManager() or .azureKeyVault()');
    }
    // Name formats do not stop rendering: they are reported together at synth.
    const checks = deferredChecks(this);
    this.namespace = props.namespace ?? '';
    checks.check('namespace', dns1123LabelProblem(this.namespace));
    this.storeNamespace = this.namespace;
    this.storeName = props.name ?? nameFromId(id);
    checks.check('name', dns1123SubdomainProblem(this.storeName));
    this.serviceAccountName = props.serviceAccountName ?? this.storeName;
    checks.check('serviceAccountName', dns1123SubdomainProblem(this.serviceAccountName));
    bindFactoryProblems(this, 'provider', props.provider);
    const rendered = props.provider._render(this.serviceAccountName);

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

import { Duration } from 'cdk8s';
import type { IConstruct } from 'constructs';
import type { Acknowledgement } from './acknowledgement';
import type { ExternalDataFrom, RemoteRef } from './external-data';
import type { ExternalSecretCreationPolicy, ExternalSecretDeletionPolicy } from './external-secret-policy';
import { bindExternalSource } from './private/external-source';
import { bindSealedSource } from './private/sealed-source';
import type { BoundSource, SecretSpec } from './private/secret-spec';
import type { SealedValue } from './sealed-value';
import type { SealingCertificate } from './sealing-certificate';
import type { SealingScope } from './sealing-scope';
import type { ISecretStore } from './secret-stores';

const SECRET_SOURCE = Symbol.for('cdk8s-secure-argo.SecretSource');

/** Options for {@link SecretSource.sealed}. */
export interface SealedSourceOptions {
  /** The secret's values, by Secret key. */
  readonly values: { [key: string]: SealedValue };
  /**
   * Which names the values may be unsealed under.
   * @default SealingScope.STRICT
   */
  readonly scope?: SealingScope;
  /**
   * Explicit opt-in for `SealingScope.CLUSTER_WIDE`, which lets anyone who can create a
   * SealedSecret in any namespace obtain the values, for the reason given. The reason is
   * recorded on the SealedSecret.
   * @default - `SealingScope.CLUSTER_WIDE` is refused
   */
  readonly allowClusterWide?: Acknowledgement;
  /**
   * The controller's certificate; required when a value is sealed at synth
   * (`SealedValue.fromEnv()` / `.fromFile()`).
   * @default - no sealing at synth: every value must be `SealedValue.preSealed()`
   */
  readonly certificate?: SealingCertificate;
  /**
   * The lock file that keeps values sealed at synth stable between synths (commit it).
   * Relative paths are resolved against the working directory.
   * @default 'sealed-secrets.lock.json'
   */
  readonly lockFile?: string;
  /**
   * Accept values sealed at synth that are too short or too simple to keep secret (below about
   * 64 bits), with the reason. The lock file keeps a salted digest of each such value, and a
   * weak value can be found from it by trying candidates.
   * @default - weak values sealed at synth are refused
   */
  readonly acknowledgeLowEntropy?: Acknowledgement;
}

/** Options for {@link SecretSource.external}. */
export interface ExternalSourceOptions {
  /** The store to read from: a `SecretStore` of this app, or `SecretStoreRef.existing()` / `.existingCluster()`. */
  readonly store: ISecretStore;
  /**
   * Secret keys and where each comes from.
   * @default - none (then `dataFrom` is required)
   */
  readonly data?: { [key: string]: RemoteRef };
  /**
   * Bulk sources whose keys are known only at run time.
   * @default - none (then `data` is required)
   */
  readonly dataFrom?: ExternalDataFrom[];
  /**
   * Keys that `dataFrom` is expected to produce. Only these (and `data` keys) can be
   * referenced with `keyRef()`.
   * @default - none
   */
  readonly expectedKeys?: string[];
  /**
   * How often ESO reads the provider again; zero reads once.
   * @default Duration.hours(1)
   */
  readonly refreshInterval?: Duration;
  /**
   * How ESO creates the Secret.
   * @default ExternalSecretCreationPolicy.OWNER
   */
  readonly creationPolicy?: ExternalSecretCreationPolicy;
  /**
   * What ESO does when the provider secret disappears.
   * @default ExternalSecretDeletionPolicy.RETAIN
   */
  readonly deletionPolicy?: ExternalSecretDeletionPolicy;
}

/** Where a {@link SealedOrExternalSecret} gets its values. */
export class SecretSource {
  /** True if `x` is a `SecretSource`, also one made by another copy of this library. */
  public static isSecretSource(x: any): x is SecretSource {
    return x !== null && typeof x === 'object' && SECRET_SOURCE in x;
  }

  /** Bitnami Sealed Secrets: values encrypted for the controller, committed to Git. */
  public static sealed(options: SealedSourceOptions): SecretSource {
    return new SecretSource((secret, spec) => bindSealedSource(options, secret, spec));
  }

  /** External Secrets Operator: values read from a secret manager at run time. */
  public static external(options: ExternalSourceOptions): SecretSource {
    return new SecretSource((secret, spec) => bindExternalSource(options, secret, spec));
  }

  private constructor(private readonly binder: (secret: IConstruct, spec: SecretSpec) => BoundSource) {
    Object.defineProperty(this, SECRET_SOURCE, { value: true });
  }

  /**
   * Creates the SealedSecret or ExternalSecret under `secret` and reports the keys it produces.
   * @internal
   */
  public _bind(secret: IConstruct, spec: SecretSpec): BoundSource {
    return this.binder(secret, spec);
  }
}

import * as crypto from 'crypto';
import * as fs from 'fs';
import { Chart, Duration } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { SecretKeyRef, SecretOrigin } from './secret-key-ref';
import { ISecretStore, nameFromId, SecretStoreKind } from './secret-stores';
import { applySyncWave, SyncWave } from '../core/sync-wave';
import {
  ExternalSecret as L1ExternalSecret,
  ExternalSecretSpecDataFrom,
  ExternalSecretSpecSecretStoreRefKind,
  ExternalSecretSpecTargetCreationPolicy,
  ExternalSecretSpecTargetDeletionPolicy,
  ExternalSecretSpecTargetTemplateEngineVersion,
  ExternalSecretSpecTargetTemplateMergePolicy,
} from '../imports/externalsecrets-external-secrets.io';
import { SealedSecret as L1SealedSecret } from '../imports/sealedsecrets-bitnami.com';
import { invalid } from '../private/errors';
import { sortedRecord } from '../private/render';
import { requireDns1123Label, requireDns1123Subdomain } from '../private/validate';
import { certificateFingerprint, digestMatches, digestPlaintext, SealedSecretsLock, sealedValueProblem, sealValue } from './private/sealing';

const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;
const ENV_VAR = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SECRET_TYPE = /^[A-Za-z0-9][-A-Za-z0-9_./]*$/;
const QUALIFIED_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;
const DEFAULT_LOCK_FILE = 'sealed-secrets.lock.json';
/** Key names that say they hold a secret (password, token, private key, ...): never public data. */
const SECRET_KEY_NAME = /pass(word|wd|phrase)?$|^bindpw$|secret|token|private|credential|api[-_.]?key|(^|[-_.])key$|\.dockerc(fg|onfigjson)$/i;

/** Annotation on a SealedSecret that lets it be unsealed under any name in its namespace. */
const NAMESPACE_WIDE_ANNOTATION = 'sealedsecrets.bitnami.com/namespace-wide';
/** Annotation on a SealedSecret that lets it be unsealed under any name in any namespace. */
const CLUSTER_WIDE_ANNOTATION = 'sealedsecrets.bitnami.com/cluster-wide';

/** Keys the API server requires for the built-in Secret types (all of them, or one of them). */
const REQUIRED_KEYS: Record<string, { readonly keys: string[]; readonly any?: boolean }> = {
  'kubernetes.io/basic-auth': { keys: ['username', 'password'], any: true },
  'kubernetes.io/dockercfg': { keys: ['.dockercfg'] },
  'kubernetes.io/dockerconfigjson': { keys: ['.dockerconfigjson'] },
  'kubernetes.io/ssh-auth': { keys: ['ssh-privatekey'] },
  'kubernetes.io/tls': { keys: ['tls.crt', 'tls.key'] },
};

/**
 * Which names a sealed value may be unsealed under. The scope is part of the encryption (the
 * OAEP label), so a value sealed for one scope cannot be unsealed under another.
 */
export enum SealingScope {
  /** Only under this exact namespace and name (the default, and the safest). */
  STRICT = 'strict',
  /** Under any name in this namespace. */
  NAMESPACE_WIDE = 'namespace-wide',
  /**
   * Under any name in any namespace: whoever can create a SealedSecret anywhere can obtain the
   * plaintext. Needs `allowClusterWide: true`.
   */
  CLUSTER_WIDE = 'cluster-wide',
}

/**
 * The Sealed Secrets controller's public certificate (`kubeseal --fetch-cert`), used to seal
 * values at synth. Expired, not yet valid and non-RSA certificates are refused.
 */
export class SealingCertificate {
  /** A certificate from its PEM text. */
  public static fromPem(pem: string): SealingCertificate {
    let cert: crypto.X509Certificate;
    try {
      cert = new crypto.X509Certificate(pem);
    } catch (e: any) {
      invalid('SealingCertificate', 'pem', `is not a PEM X.509 certificate (${e.message}): fetch it with 'kubeseal --fetch-cert'`);
    }
    return new SealingCertificate(cert);
  }

  /** A certificate from a PEM file, read at synth. */
  public static fromFile(path: string): SealingCertificate {
    let pem: string;
    try {
      pem = fs.readFileSync(path, 'utf8');
    } catch (e: any) {
      invalid('SealingCertificate', 'path', `cannot read '${path}' (${e.message}): fetch the certificate with 'kubeseal --fetch-cert > ${path}'`);
    }
    return SealingCertificate.fromPem(pem);
  }

  /** `sha256:<hex>` of the certificate's DER encoding. */
  public readonly fingerprint: string;
  /** End of the certificate's validity, as an ISO 8601 timestamp. */
  public readonly notAfter: string;
  private readonly cert: crypto.X509Certificate;

  private constructor(cert: crypto.X509Certificate) {
    const key = cert.publicKey;
    if (key.asymmetricKeyType !== 'rsa') {
      invalid('SealingCertificate', 'pem', `the certificate holds a ${key.asymmetricKeyType} key: Sealed Secrets seals with RSA-OAEP, so give the controller's RSA certificate`);
    }
    if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) {
      invalid('SealingCertificate', 'pem', `the RSA key has ${key.asymmetricKeyDetails?.modulusLength} bits: use a key of at least 2048 bits`);
    }
    const now = Date.now();
    const validFrom = new Date(cert.validFrom);
    const validTo = new Date(cert.validTo);
    if (now < validFrom.getTime()) {
      invalid('SealingCertificate', 'pem', `the certificate is not valid before ${validFrom.toISOString()}: check the clock, or fetch the current certificate with 'kubeseal --fetch-cert'`);
    }
    if (now > validTo.getTime()) {
      invalid('SealingCertificate', 'pem', `the certificate expired on ${validTo.toISOString()}: fetch the current one with 'kubeseal --fetch-cert'`);
    }
    this.cert = cert;
    this.fingerprint = certificateFingerprint(cert);
    this.notAfter = validTo.toISOString();
  }

  /** @internal */
  public _seal(label: string, plaintext: Buffer): string {
    return sealValue(this.cert.publicKey, label, plaintext);
  }
}

/**
 * One value of a sealed secret: a ciphertext from `kubeseal`, or a plaintext read at synth
 * (from an environment variable or a file, never from source code) and sealed then.
 */
export abstract class SealedValue {
  /**
   * A value already sealed by `kubeseal` (an `encryptedData` entry), for this secret's name,
   * namespace and scope.
   */
  public static preSealed(ciphertext: string): SealedValue {
    const problem = sealedValueProblem(ciphertext ?? '');
    if (problem) {
      invalid('SealedValue', 'ciphertext', `the sealed value ${problem}`);
    }
    return new PreSealedValue(ciphertext);
  }

  /**
   * A plaintext read from an environment variable at synth and sealed with the source's
   * certificate. When the variable is unset or empty, the lock file's ciphertext is reused.
   */
  public static fromEnv(variableName: string): SealedValue {
    if (!ENV_VAR.test(variableName ?? '')) {
      invalid('SealedValue', 'variableName', `'${variableName}' is not an environment variable name: use letters, digits and '_'`);
    }
    return new PlaintextValue(`environment variable ${variableName}`, () => {
      const value = process.env[variableName];
      return value ? Buffer.from(value, 'utf8') : undefined;
    });
  }

  /**
   * A plaintext read from a file at synth (its bytes exactly, trailing newline included) and
   * sealed with the source's certificate. When the file does not exist, the lock file's
   * ciphertext is reused. Keep such files out of version control.
   */
  public static fromFile(path: string): SealedValue {
    if (!path) {
      invalid('SealedValue', 'path', 'no file given: pass the path of the file that holds the value');
    }
    return new PlaintextValue(`file ${path}`, () => {
      let value: Buffer;
      try {
        value = fs.readFileSync(path);
      } catch (e: any) {
        if (e.code === 'ENOENT') return undefined;
        throw e;
      }
      if (value.length === 0) {
        invalid('SealedValue', 'path', `file ${path} is empty: put the secret value in it`);
      }
      return value;
    });
  }
}

class PreSealedValue extends SealedValue {
  constructor(public readonly ciphertext: string) {
    super();
  }
}

class PlaintextValue extends SealedValue {
  constructor(public readonly origin: string, public readonly read: () => Buffer | undefined) {
    super();
  }
}

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
   * SealedSecret in any namespace obtain the values.
   * @default false
   */
  readonly allowClusterWide?: boolean;
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
}

/** Where ESO finds one value: `remoteRef` of an ExternalSecret `data` entry or `extract`. */
export interface RemoteRef {
  /** The key (path or name) of the secret in the provider. */
  readonly key: string;
  /**
   * The property within a structured (JSON) secret.
   * @default - the whole secret value
   */
  readonly property?: string;
  /**
   * The version of the secret.
   * @default - the provider's current version
   */
  readonly version?: string;
}

/** Options for {@link ExternalDataFrom.find}. */
export interface ExternalFindOptions {
  /**
   * A root path to search under.
   * @default - the whole store
   */
  readonly path?: string;
  /**
   * A regular expression the secret names must match.
   * @default - no name filter (then `tags` is required)
   */
  readonly nameRegexp?: string;
  /**
   * Tags the secrets must carry.
   * @default - no tag filter (then `nameRegexp` is required)
   */
  readonly tags?: { [key: string]: string };
}

/**
 * A `dataFrom` entry: many Secret keys from one provider secret (`extract`) or from a search
 * (`find`). The keys are known only at run time: declare those other constructs reference in
 * `ExternalSourceOptions.expectedKeys`.
 */
export class ExternalDataFrom {
  /** Every property of one structured (JSON) provider secret becomes a Secret key. */
  public static extract(ref: RemoteRef): ExternalDataFrom {
    requireRemoteKey('ExternalDataFrom.extract', ref);
    return new ExternalDataFrom({ extract: { key: ref.key, property: ref.property, version: ref.version } });
  }

  /** Every provider secret matching a name pattern or tags becomes a Secret key. */
  public static find(options: ExternalFindOptions): ExternalDataFrom {
    if (options.nameRegexp === undefined && options.tags === undefined) {
      invalid('ExternalDataFrom.find', 'nameRegexp', 'give nameRegexp or tags: a search without a filter would copy every secret of the store');
    }
    if (options.nameRegexp !== undefined) {
      try {
        new RegExp(options.nameRegexp);
      } catch {
        invalid('ExternalDataFrom.find', 'nameRegexp', `'${options.nameRegexp}' is not a regular expression: write one such as '^argocd/.*'`);
      }
    }
    return new ExternalDataFrom({
      find: {
        path: options.path,
        name: options.nameRegexp === undefined ? undefined : { regexp: options.nameRegexp },
        tags: options.tags === undefined ? undefined : sortedRecord(options.tags),
      },
    });
  }

  private constructor(
    /** @internal */
    public readonly _spec: ExternalSecretSpecDataFrom,
  ) {}
}

function requireRemoteKey(where: string, ref: RemoteRef): void {
  if (!ref || typeof ref.key !== 'string' || ref.key.length === 0) {
    invalid(where, 'key', 'no remote key given: name the secret in the provider');
  }
}

/** How ESO creates the target Secret. */
export enum ExternalSecretCreationPolicy {
  /** ESO creates the Secret and owns it (deleted with the ExternalSecret). */
  OWNER = 'Owner',
  /** ESO creates the Secret but does not own it. */
  ORPHAN = 'Orphan',
  /** ESO merges into a Secret that must exist already. */
  MERGE = 'Merge',
  /** ESO does not create or update a Secret. */
  NONE = 'None',
}

/** What ESO does with the target Secret when the provider secret is deleted. */
export enum ExternalSecretDeletionPolicy {
  /** Delete the Secret (needs `ExternalSecretCreationPolicy.OWNER`). */
  DELETE = 'Delete',
  /** Remove the provider's keys from the Secret. */
  MERGE = 'Merge',
  /** Keep the Secret as it is. */
  RETAIN = 'Retain',
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

/** What a source needs to know about the Secret it produces. */
interface SecretSpec {
  readonly name: string;
  readonly namespace: string;
  readonly type: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly publicData: Record<string, string>;
}

/** What a source reports back: the keys it produces. */
interface BoundSource {
  readonly origin: SecretOrigin;
  readonly secretKeys: string[];
  /** True if the source makes keys at run time that are not all declared. */
  readonly hasUndeclaredKeys: boolean;
}

/** Where a {@link SealedOrExternalSecret} gets its values. */
export abstract class SecretSource {
  /** Bitnami Sealed Secrets: values encrypted for the controller, committed to Git. */
  public static sealed(options: SealedSourceOptions): SecretSource {
    return new SealedSource(options);
  }

  /** External Secrets Operator: values read from a secret manager at run time. */
  public static external(options: ExternalSourceOptions): SecretSource {
    return new ExternalSource(options);
  }

  /** @internal */
  public abstract _bind(secret: SealedOrExternalSecret, spec: SecretSpec): BoundSource;
}

class SealedSource extends SecretSource {
  constructor(private readonly options: SealedSourceOptions) {
    super();
  }

  public _bind(secret: SealedOrExternalSecret, spec: SecretSpec): BoundSource {
    const o = this.options;
    const scope = o.scope ?? SealingScope.STRICT;
    if (!Object.values(SealingScope).includes(scope)) {
      invalid(secret, 'source.scope', `'${scope}' is not a sealing scope: use SealingScope.STRICT, NAMESPACE_WIDE or CLUSTER_WIDE`);
    }
    if (scope === SealingScope.CLUSTER_WIDE && o.allowClusterWide !== true) {
      invalid(secret, 'source.scope', 'cluster-wide sealing lets anyone who can create a SealedSecret in any namespace read the values: use SealingScope.STRICT, or set allowClusterWide: true to accept that');
    }
    const keys = Object.keys(o.values ?? {}).sort();
    if (keys.length === 0) {
      invalid(secret, 'source.values', 'no values given: a sealed secret needs at least one SealedValue');
    }
    const label = scope === SealingScope.STRICT ? `${spec.namespace}/${spec.name}`
      : scope === SealingScope.NAMESPACE_WIDE ? spec.namespace : '';
    const lock = new SealedSecretsLock(o.lockFile ?? DEFAULT_LOCK_FILE);

    const encryptedData: Record<string, string> = {};
    for (const key of keys) {
      requireSecretKey(secret, 'source.values', key);
      const value = o.values[key];
      if (value instanceof PreSealedValue) {
        encryptedData[key] = value.ciphertext;
      } else if (value instanceof PlaintextValue) {
        if (!o.certificate) {
          invalid(secret, 'source.certificate', `value '${key}' is sealed at synth: give the controller's certificate with SealingCertificate.fromFile()`);
        }
        encryptedData[key] = sealAtSynth(secret, lock, o.certificate, scope, label, `${spec.namespace}/${spec.name}/${key}`, value);
      } else {
        invalid(secret, 'source.values', `value '${key}' is not a SealedValue: use SealedValue.preSealed(), .fromEnv() or .fromFile()`);
      }
    }

    const annotations: Record<string, string> = {};
    if (scope === SealingScope.NAMESPACE_WIDE) annotations[NAMESPACE_WIDE_ANNOTATION] = 'true';
    if (scope === SealingScope.CLUSTER_WIDE) annotations[CLUSTER_WIDE_ANNOTATION] = 'true';
    const sealed = new L1SealedSecret(secret, 'Resource', {
      metadata: { name: spec.name, namespace: spec.namespace, annotations },
      spec: {
        encryptedData,
        template: {
          type: spec.type,
          metadata: templateMetadata(spec),
          data: Object.keys(spec.publicData).length > 0 ? spec.publicData : undefined,
        },
      },
    });
    applySyncWave(sealed, SyncWave.STORAGE_AND_SECRETS);
    return { origin: SecretOrigin.SEALED, secretKeys: keys, hasUndeclaredKeys: false };
  }
}

/**
 * Seals one plaintext, or reuses the lock file's ciphertext when the plaintext, certificate and
 * scope are unchanged (sealing is randomized: resealing on every synth would change the output
 * every time), or when the plaintext is unavailable (e.g. in CI).
 */
function sealAtSynth(secret: SealedOrExternalSecret, lock: SealedSecretsLock, certificate: SealingCertificate,
  scope: SealingScope, label: string, entryKey: string, value: PlaintextValue): string {
  const entry = lock.get(entryKey);
  if (entry) {
    const problem = sealedValueProblem(entry.ciphertext ?? '');
    if (problem) {
      invalid(secret, 'source.lockFile', `the entry '${entryKey}' of ${lock.path} ${problem}: delete the entry and synth again with the plaintext available`);
    }
  }
  const plaintext = value.read();
  if (plaintext === undefined) {
    if (!entry) {
      invalid(secret, 'source.values', `${value.origin} is not available and ${lock.path} has no entry '${entryKey}': provide the value (set the variable or create the file) and synth again, then commit the lock file`);
    }
    if (entry.scope !== scope) {
      invalid(secret, 'source.values', `${value.origin} is not available and the entry '${entryKey}' of ${lock.path} was sealed with scope ${entry.scope}, not ${scope}: provide the value to reseal it`);
    }
    warn(secret, `${value.origin} is not available: reusing the sealed value of '${entryKey}' from ${lock.path}${entry.certificate === certificate.fingerprint ? '' : ' (sealed with a different certificate)'}`);
    return entry.ciphertext;
  }
  if (entry && entry.scope === scope && entry.certificate === certificate.fingerprint && digestMatches(entry.plaintextDigest, plaintext)) {
    return entry.ciphertext;
  }
  const ciphertext = certificate._seal(label, plaintext);
  lock.set(entryKey, { certificate: certificate.fingerprint, ciphertext, plaintextDigest: digestPlaintext(plaintext), scope });
  return ciphertext;
}

class ExternalSource extends SecretSource {
  constructor(private readonly options: ExternalSourceOptions) {
    super();
  }

  public _bind(secret: SealedOrExternalSecret, spec: SecretSpec): BoundSource {
    const o = this.options;
    const store = o.store;
    if (!store || !store.storeName || !Object.values(SecretStoreKind).includes(store.storeKind)) {
      invalid(secret, 'source.store', 'no store given: use a SecretStore of this app, SecretStoreRef.existing() or SecretStoreRef.existingCluster()');
    }
    if (store.storeKind === SecretStoreKind.SECRET_STORE && store.storeNamespace !== undefined && store.storeNamespace !== spec.namespace) {
      invalid(secret, 'source.store', `SecretStore '${store.storeName}' is in namespace '${store.storeNamespace}', but a namespaced store serves only its own namespace: create the store in '${spec.namespace}' or use a ClusterSecretStore`);
    }
    const dataKeys = Object.keys(o.data ?? {}).sort();
    const dataFrom = o.dataFrom ?? [];
    if (dataKeys.length === 0 && dataFrom.length === 0) {
      invalid(secret, 'source.data', 'no data given: map at least one Secret key to a RemoteRef in data, or give dataFrom');
    }
    const data = dataKeys.map((key) => {
      requireSecretKey(secret, 'source.data', key);
      const ref = o.data![key];
      requireRemoteKey(`${secret.constructor.name} '${secret.node.path}': source.data['${key}']`, ref);
      return { secretKey: key, remoteRef: { key: ref.key, property: ref.property, version: ref.version } };
    });
    const expectedKeys = [...(o.expectedKeys ?? [])].sort();
    for (const key of expectedKeys) {
      requireSecretKey(secret, 'source.expectedKeys', key);
      if (dataKeys.includes(key)) {
        invalid(secret, 'source.expectedKeys', `'${key}' is already a data key: list only keys that dataFrom produces`);
      }
    }
    if (expectedKeys.length > 0 && dataFrom.length === 0) {
      invalid(secret, 'source.expectedKeys', 'only dataFrom produces undeclared keys: map each key in data instead');
    }
    if (new Set(expectedKeys).size !== expectedKeys.length) {
      invalid(secret, 'source.expectedKeys', 'lists a key twice: list each key once');
    }
    const creationPolicy = o.creationPolicy ?? ExternalSecretCreationPolicy.OWNER;
    const deletionPolicy = o.deletionPolicy ?? ExternalSecretDeletionPolicy.RETAIN;
    if (deletionPolicy === ExternalSecretDeletionPolicy.DELETE && creationPolicy !== ExternalSecretCreationPolicy.OWNER) {
      invalid(secret, 'source.deletionPolicy', `Delete needs creationPolicy Owner (got ${creationPolicy}), as ESO deletes only Secrets it owns: use ExternalSecretCreationPolicy.OWNER, or deletionPolicy RETAIN or MERGE`);
    }
    // ESO renders template data, labels and annotations as Go templates.
    for (const [key, value] of Object.entries(spec.annotations)) {
      rejectTemplateSyntax(secret, 'annotations', key, value);
    }
    const hasPublicData = Object.keys(spec.publicData).length > 0;

    const external = new L1ExternalSecret(secret, 'Resource', {
      metadata: { name: spec.name, namespace: spec.namespace },
      spec: {
        refreshInterval: goDuration(o.refreshInterval ?? Duration.hours(1)),
        secretStoreRef: { name: store.storeName, kind: store.storeKind as string as ExternalSecretSpecSecretStoreRefKind },
        target: {
          name: spec.name,
          creationPolicy: creationPolicy as string as ExternalSecretSpecTargetCreationPolicy,
          deletionPolicy: deletionPolicy as string as ExternalSecretSpecTargetDeletionPolicy,
          // Always a template with explicit metadata: without one, ESO copies the ExternalSecret's
          // own labels and annotations (Argo CD's tracking annotation among them) to the Secret.
          template: {
            engineVersion: ExternalSecretSpecTargetTemplateEngineVersion.V2,
            type: spec.type,
            metadata: { labels: spec.labels, annotations: spec.annotations },
            data: hasPublicData ? spec.publicData : undefined,
            mergePolicy: hasPublicData ? ExternalSecretSpecTargetTemplateMergePolicy.MERGE : undefined,
          },
        },
        data: data.length > 0 ? data : undefined,
        dataFrom: dataFrom.length > 0 ? dataFrom.map((d) => d._spec) : undefined,
      },
    });
    applySyncWave(external, SyncWave.STORAGE_AND_SECRETS);
    return { origin: SecretOrigin.EXTERNAL, secretKeys: [...dataKeys, ...expectedKeys], hasUndeclaredKeys: dataFrom.length > 0 };
  }
}

/** Properties of a {@link SealedOrExternalSecret}. */
export interface SealedOrExternalSecretProps {
  /** The Secret's namespace (required: strict sealing binds the ciphertext to it). */
  readonly namespace: string;
  /**
   * The Secret's name (DNS-1123 subdomain).
   * @default - derived from the construct id (kebab-case: `RepoCreds` becomes `repo-creds`)
   */
  readonly name?: string;
  /** Where the values come from: `SecretSource.sealed()` or `SecretSource.external()`. */
  readonly source: SecretSource;
  /**
   * The Secret's type, e.g. `kubernetes.io/tls`.
   * @default 'Opaque'
   */
  readonly type?: string;
  /**
   * Labels on the resulting Secret (e.g. `argocd.argoproj.io/secret-type: repository`).
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /**
   * Annotations on the resulting Secret.
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
  /**
   * NON-secret values stored in the Secret alongside the secret ones (a repository URL, a
   * type, a project name). They appear in plain text in the output: never put a secret here.
   * @default - none
   */
  readonly publicData?: { [key: string]: string };
}

/** Secret names already produced per chart, to catch two constructs producing the same Secret. */
const namesByChart = new WeakMap<Chart, Set<string>>();

/**
 * A Kubernetes Secret produced from values that never appear in plain text in the output:
 * a SealedSecret (Bitnami Sealed Secrets) or an ExternalSecret (External Secrets Operator).
 * Other constructs consume it through `keyRef(key)`.
 */
export class SealedOrExternalSecret extends Construct {
  /** The Secret's name. */
  public readonly secretName: string;
  /** The Secret's namespace. */
  public readonly namespace: string;
  /** The keys the Secret is known to have (secret values, declared `dataFrom` keys and `publicData`). */
  public readonly keys: string[];
  private readonly origin: SecretOrigin;
  private readonly labels: Record<string, string>;
  private readonly hasUndeclaredKeys: boolean;

  constructor(scope: Construct, id: string, props: SealedOrExternalSecretProps) {
    super(scope, id);
    if (!props.namespace) {
      invalid(this, 'namespace', 'no namespace given: a Secret needs one, and strict sealing binds the ciphertext to it');
    }
    this.namespace = requireDns1123Label(this, 'namespace', props.namespace);
    this.secretName = requireDns1123Subdomain(this, 'name', props.name ?? nameFromId(id));
    if (!props.source) {
      invalid(this, 'source', 'no source given: use SecretSource.sealed() or SecretSource.external()');
    }
    const type = props.type ?? 'Opaque';
    if (!SECRET_TYPE.test(type)) {
      invalid(this, 'type', `'${type}' is not a Secret type, e.g. 'Opaque' or 'kubernetes.io/tls'`);
    }
    const labels = sortedRecord(props.labels ?? {});
    for (const [key, value] of Object.entries(labels)) {
      if (!QUALIFIED_NAME.test(key) || !LABEL_VALUE.test(value)) {
        invalid(this, 'labels', `'${key}: ${value}' is not a valid label: keys are [prefix/]name, values at most 63 letters, digits, '-', '_' and '.'`);
      }
    }
    const annotations = sortedRecord(props.annotations ?? {});
    for (const key of Object.keys(annotations)) {
      if (!QUALIFIED_NAME.test(key)) {
        invalid(this, 'annotations', `'${key}' is not a valid annotation key: use [prefix/]name`);
      }
    }
    const publicData = sortedRecord(props.publicData ?? {});
    for (const [key, value] of Object.entries(publicData)) {
      requireSecretKey(this, 'publicData', key);
      if (SECRET_KEY_NAME.test(key)) {
        invalid(this, 'publicData', `'${key}' names a secret, and publicData is written in plain text: move it to the source (SealedValue or RemoteRef)`);
      }
      // Both controllers render template data as Go templates.
      rejectTemplateSyntax(this, 'publicData', key, value);
    }

    const chart = Chart.of(this);
    const names = namesByChart.get(chart) ?? new Set<string>();
    const qualified = `${this.namespace}/${this.secretName}`;
    if (names.has(qualified)) {
      invalid(this, 'name', `another secret in this chart already produces Secret '${qualified}': give a distinct name`);
    }
    names.add(qualified);
    namesByChart.set(chart, names);

    const bound = props.source._bind(this, { name: this.secretName, namespace: this.namespace, type, labels, annotations, publicData });
    for (const key of Object.keys(publicData)) {
      if (bound.secretKeys.includes(key)) {
        invalid(this, 'publicData', `'${key}' is also a secret key (a key holds either a secret or a public value): remove it from publicData or from the source`);
      }
    }
    this.keys = [...bound.secretKeys, ...Object.keys(publicData)].sort();
    this.origin = bound.origin;
    this.labels = labels;
    this.hasUndeclaredKeys = bound.hasUndeclaredKeys;

    const required = REQUIRED_KEYS[type];
    if (required && !bound.hasUndeclaredKeys) {
      const present = required.keys.filter((k) => this.keys.includes(k));
      if (required.any ? present.length === 0 : present.length !== required.keys.length) {
        invalid(this, 'type', `a ${type} Secret needs ${required.any ? 'one of' : 'the keys'} ${required.keys.join(', ')}: add ${required.any ? 'one' : 'them'} to the source`);
      }
    }
  }

  /**
   * A reference to one key of this Secret, for other constructs' props.
   * @param key one of `keys`
   */
  public keyRef(key: string): SecretKeyRef {
    if (!this.keys.includes(key)) {
      const hint = this.hasUndeclaredKeys ? ': a key produced by dataFrom must be declared in expectedKeys' : '';
      invalid(this, 'keyRef', `'${key}' is not a key of Secret '${this.namespace}/${this.secretName}' (keys: ${this.keys.join(', ') || 'none declared'})${hint}`);
    }
    return SecretKeyRef._produced(this, this.origin, this.secretName, key, this.namespace, this.labels);
  }
}

function requireSecretKey(construct: IConstruct, property: string, key: string): void {
  if (!SECRET_KEY.test(key)) {
    invalid(construct, property, `'${key}' is not a valid Secret key: use only letters, digits, '-', '_' and '.'`);
  }
}

function rejectTemplateSyntax(construct: IConstruct, property: string, key: string, value: string): void {
  if (typeof value !== 'string') {
    invalid(construct, property, `the value of '${key}' is not a string: give a string`);
  }
  if (value.includes('{{')) {
    invalid(construct, property, `the value of '${key}' contains '{{', which the controller would run as a Go template: remove it`);
  }
}

function templateMetadata(spec: SecretSpec): { labels?: Record<string, string>; annotations?: Record<string, string> } | undefined {
  const labels = Object.keys(spec.labels).length > 0 ? spec.labels : undefined;
  const annotations = Object.keys(spec.annotations).length > 0 ? spec.annotations : undefined;
  return labels || annotations ? { labels, annotations } : undefined;
}

/** A Go duration string (`1h30m0s`), as ESO parses it. */
function goDuration(duration: Duration): string {
  const total = Math.round(duration.toSeconds());
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}h${m}m${s}s` : m > 0 ? `${m}m${s}s` : `${s}s`;
}

/** A synth-time warning: recorded on the construct and printed. */
function warn(construct: IConstruct, message: string): void {
  construct.node.addMetadata('warning', message);
  process.stderr.write(`[WARNING] ${construct.node.path}: ${message}\n`);
}


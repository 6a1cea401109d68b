import { IConstruct } from 'constructs';
import { invalid } from '../private/errors';
import { isDns1123Subdomain } from '../private/validate';

/** Where the Secret behind a {@link SecretKeyRef} comes from. */
export enum SecretOrigin {
  /** A Secret created outside this app (by hand, by another tool or by an operator). */
  EXISTING = 'existing',
  /** A Secret that the Sealed Secrets controller unseals from a SealedSecret of this app. */
  SEALED = 'sealed',
  /** A Secret that External Secrets Operator fills from an ExternalSecret of this app. */
  EXTERNAL = 'external',
}

/** Options for {@link SecretKeyRef.fromExistingSecret}. */
export interface ExistingSecretOptions {
  /**
   * The Secret's namespace, where a consumer needs to know it.
   * @default - the consumer's own namespace
   */
  readonly namespace?: string;
  /**
   * Labels the existing Secret is known to carry. Consumers that need a label on the Secret
   * (for example Argo CD, which resolves `$<secret>:<key>` only in Secrets labelled
   * `app.kubernetes.io/part-of: argocd`) check these at synth.
   * @default - no labels are known
   */
  readonly labels?: { [key: string]: string };
}

const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/**
 * A reference to one key of a Kubernetes Secret: the only way a secret value enters this
 * library. No construct accepts a literal secret; each takes a `SecretKeyRef` and emits a
 * reference to it (an env var `secretKeyRef`, an Argo CD `$secret:key`, a volume), so no
 * plaintext reaches the synthesized YAML.
 *
 * Refer to a Secret that exists already with `SecretKeyRef.fromExistingSecret()`, or to one
 * this app produces with `SealedOrExternalSecret.keyRef()`.
 */
export class SecretKeyRef {
  /**
   * A key of a Secret that already exists in the cluster.
   * @param secretName the Secret's name (DNS-1123 subdomain)
   * @param key the key within the Secret (`[-._a-zA-Z0-9]+`)
   */
  public static fromExistingSecret(secretName: string, key: string, options: ExistingSecretOptions = {}): SecretKeyRef {
    return new SecretKeyRef(secretName, key, SecretOrigin.EXISTING, options.namespace, options.labels ?? {});
  }

  /**
   * A key of a Secret produced by a construct of this app.
   * @internal
   */
  public static _produced(producer: IConstruct, origin: SecretOrigin, secretName: string, key: string,
    namespace: string | undefined, labels: Record<string, string>): SecretKeyRef {
    const ref = new SecretKeyRef(secretName, key, origin, namespace, labels);
    ref.producer = producer;
    return ref;
  }

  /** The construct that produces the Secret, if this app produces it. */
  public producer?: IConstruct;

  private constructor(
    /** The Secret's name. */
    public readonly secretName: string,
    /** The key within the Secret. */
    public readonly key: string,
    /** Where the Secret comes from. */
    public readonly origin: SecretOrigin,
    /** The Secret's namespace, if known. */
    public readonly namespace: string | undefined,
    /** Labels the Secret is known to carry. */
    public readonly labels: { [key: string]: string },
  ) {
    if (!isDns1123Subdomain(secretName)) {
      invalid('SecretKeyRef', 'secretName', `'${secretName}' is not a valid Secret name (DNS-1123 subdomain)`);
    }
    if (!SECRET_KEY.test(key)) {
      invalid('SecretKeyRef', 'key', `'${key}' is not a valid Secret key: use only letters, digits, '-', '_' and '.'`);
    }
  }

  /** `<namespace>/<secretName>:<key>` (or `<secretName>:<key>`), for messages. */
  public toString(): string {
    return `${this.namespace ? `${this.namespace}/` : ''}${this.secretName}:${this.key}`;
  }
}

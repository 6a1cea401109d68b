import { IConstruct } from 'constructs';
import { bindFactoryProblems, invalid, recordFactoryProblem } from '../private/errors';
import { dns1123LabelProblem, dns1123SubdomainProblem } from '../private/validate';
import { secretKeyProblem } from './private/names';

const SECRET_KEY_REF = Symbol.for('cdk8s-secure-argo.SecretKeyRef');

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
   * True if `x` is a `SecretKeyRef`, also one made by another copy of this library.
   */
  public static isSecretKeyRef(x: any): x is SecretKeyRef {
    return x !== null && typeof x === 'object' && SECRET_KEY_REF in x;
  }

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

  /**
   * Checks that a construct's property holds a `SecretKeyRef` (never a literal secret), and
   * reports the reference's own problems with the construct's path.
   * @internal
   */
  public static _require(scope: IConstruct, property: string, value: SecretKeyRef): SecretKeyRef {
    const problem = SecretKeyRef._problem(value);
    if (problem !== undefined) invalid(scope, property, problem);
    bindFactoryProblems(scope, property, value);
    return value;
  }

  /**
   * Why `value` cannot stand where a `SecretKeyRef` is expected, or undefined.
   * @internal
   */
  public static _problem(value: unknown): string | undefined {
    return SecretKeyRef.isSecretKeyRef(value) ? undefined
      : 'is not a SecretKeyRef: pass SecretKeyRef.fromExistingSecret(...) or SealedOrExternalSecret.keyRef(...), never a literal secret';
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
    Object.defineProperty(this, SECRET_KEY_REF, { value: true });
    const nameProblem = dns1123SubdomainProblem(secretName);
    if (nameProblem) recordFactoryProblem(this, 'secretName', nameProblem);
    const keyProblem = secretKeyProblem(key);
    if (keyProblem) recordFactoryProblem(this, 'key', keyProblem);
    // The namespace names Roles and RoleBindings that grant access to the Secret.
    const namespaceProblem = namespace === undefined ? undefined : dns1123LabelProblem(namespace);
    if (namespaceProblem) recordFactoryProblem(this, 'namespace', namespaceProblem);
  }

  /** `<namespace>/<secretName>:<key>` (or `<secretName>:<key>`), for messages. */
  public toString(): string {
    return `${this.namespace ? `${this.namespace}/` : ''}${this.secretName}:${this.key}`;
  }
}

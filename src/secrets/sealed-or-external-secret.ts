import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { deferredChecks, invalid } from '../private/errors';
import { sortedRecord } from '../private/render';
import { goNumberProblem, labelKeyProblem, labelValueProblem, quoted, requireDns1123Label, requireDns1123Subdomain } from '../private/validate';
import { nameFromId, plainValueProblem, secretKeyProblem } from './private/names';
import { templateSyntaxProblem } from './private/secret-spec';
import { SecretKeyRef, SecretOrigin } from './secret-key-ref';
import { SecretSource } from './secret-source';
import { registerLibraryConstruct } from '../private/stamp';

const SEALED_OR_EXTERNAL_SECRET = Symbol.for('cdk8s-secure-argo.SealedOrExternalSecret');
const SECRET_TYPE = /^[A-Za-z0-9][-A-Za-z0-9_./]*$/;
/** Key names that say they hold a secret (password, token, private key, ...): never public data. */
const SECRET_KEY_NAME = /pass(word|wd|phrase)?$|password|^bindpw$|secret|token|private|credential|api[-_.]?key|(^|[-_.])key$|\.dockerc(fg|onfigjson)$|^id_(rsa|dsa|ecdsa|ed25519)$|^config(\.json)?$|kubeconfig/i;
/** A private key in any PEM flavour (PKCS#1, PKCS#8, EC, OpenSSH, encrypted). */
const PRIVATE_KEY_PEM = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;

/** Keys the API server requires for the built-in Secret types (all of them, or one of them). */
const REQUIRED_KEYS: Record<string, { readonly keys: string[]; readonly any?: boolean }> = {
  'kubernetes.io/basic-auth': { keys: ['username', 'password'], any: true },
  'kubernetes.io/dockercfg': { keys: ['.dockercfg'] },
  'kubernetes.io/dockerconfigjson': { keys: ['.dockerconfigjson'] },
  'kubernetes.io/ssh-auth': { keys: ['ssh-privatekey'] },
  'kubernetes.io/tls': { keys: ['tls.crt', 'tls.key'] },
};

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
  /** True if `x` is a `SealedOrExternalSecret`, also one made by another copy of this library. */
  public static isSealedOrExternalSecret(x: any): x is SealedOrExternalSecret {
    return x !== null && typeof x === 'object' && SEALED_OR_EXTERNAL_SECRET in x;
  }

  /**
   * The Secret name derived from a construct id (kebab-case: `RepoCreds` becomes `repo-creds`),
   * for constructs that create a secret named after themselves.
   * @internal
   */
  public static _nameFromId(id: string): string {
    return nameFromId(id);
  }

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
    registerLibraryConstruct(this);
    Object.defineProperty(this, SEALED_OR_EXTERNAL_SECRET, { value: true });
    if (!props.namespace) {
      invalid(this, 'namespace', 'no namespace given: a Secret needs one, and strict sealing binds the ciphertext to it');
    }
    // The namespace and name are sealed into the ciphertext (and key the lock file): refuse bad ones at once.
    this.namespace = requireDns1123Label(this, 'namespace', props.namespace);
    this.secretName = requireDns1123Subdomain(this, 'name', props.name ?? nameFromId(id));
    if (!SecretSource.isSecretSource(props.source)) {
      invalid(this, 'source', 'no source given: use SecretSource.sealed() or SecretSource.external()');
    }
    // Formats that do not stop rendering are reported together at synth.
    const checks = deferredChecks(this);
    const type = props.type ?? 'Opaque';
    if (typeof type !== 'string' || !SECRET_TYPE.test(type)) {
      checks.check('type', `${quoted(type)} is not a Secret type, e.g. 'Opaque' or 'kubernetes.io/tls'`);
    } else {
      checks.check('type', goNumberProblem(type));
    }
    const labels = sortedRecord(props.labels ?? {});
    for (const [key, value] of Object.entries(labels)) {
      checks.check(`labels[${quoted(key)}]`, labelKeyProblem(key) ?? labelValueProblem(value));
    }
    const annotations = sortedRecord(props.annotations ?? {});
    for (const [key, value] of Object.entries(annotations)) {
      checks.check(`annotations[${quoted(key)}]`, labelKeyProblem(key) ?? plainValueProblem(value, true));
    }
    const publicData = sortedRecord(props.publicData ?? {});
    for (const [key, value] of Object.entries(publicData)) {
      checks.check('publicData', secretKeyProblem(key));
      if (SECRET_KEY_NAME.test(key)) {
        checks.check('publicData', `${quoted(key)} names a secret, and publicData is written in plain text: move it to the source (SealedValue or RemoteRef)`);
      } else if (typeof value === 'string' && PRIVATE_KEY_PEM.test(value)) {
        checks.check('publicData', `the value of ${quoted(key)} holds a private key, and publicData is written in plain text: move it to the source (SealedValue or RemoteRef)`);
      }
      // Both controllers render template data as Go templates.
      checks.check('publicData', templateSyntaxProblem(key, value) ?? plainValueProblem(value));
    }

    const chart = Chart.of(this);
    const names = namesByChart.get(chart) ?? new Set<string>();
    const qualified = `${this.namespace}/${this.secretName}`;
    if (names.has(qualified)) {
      checks.check('name', `another secret in this chart already produces Secret ${quoted(qualified)}: give a distinct name`);
    }
    names.add(qualified);
    namesByChart.set(chart, names);

    const bound = props.source._bind(this, { name: this.secretName, namespace: this.namespace, type, labels, annotations, publicData });
    for (const key of Object.keys(publicData)) {
      if (bound.secretKeys.includes(key)) {
        checks.check('publicData', `${quoted(key)} is also a secret key (a key holds either a secret or a public value): remove it from publicData or from the source`);
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
        checks.check('type', `a ${type} Secret needs ${required.any ? 'one of' : 'the keys'} ${required.keys.join(', ')}: add ${required.any ? 'one' : 'them'} to the source`);
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
      invalid(this, 'keyRef', `${quoted(key)} is not a key of Secret '${this.namespace}/${this.secretName}' (keys: ${this.keys.join(', ') || 'none declared'})${hint}`);
    }
    return SecretKeyRef._produced(this, this.origin, this.secretName, key, this.namespace, this.labels);
  }
}

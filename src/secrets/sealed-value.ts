import * as fs from 'fs';
import { invalid, recordFactoryProblem } from '../private/errors';
import { sealAtSynth, SealingContext } from './private/seal-at-synth';
import { sealedValueProblem } from './private/sealing';
import { quoted } from '../private/validate';

const SEALED_VALUE = Symbol.for('cdk8s-secure-argo.SealedValue');
const ENV_VAR = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * One value of a sealed secret: a ciphertext from `kubeseal`, or a plaintext read at synth
 * (from an environment variable or a file, never from source code) and sealed then.
 */
export abstract class SealedValue {
  /** True if `x` is a `SealedValue`, also one made by another copy of this library. */
  public static isSealedValue(x: any): x is SealedValue {
    return x !== null && typeof x === 'object' && SEALED_VALUE in x;
  }

  /**
   * A value already sealed by `kubeseal` (an `encryptedData` entry), for this secret's name,
   * namespace and scope.
   */
  public static preSealed(ciphertext: string): SealedValue {
    return new PreSealedValue(ciphertext);
  }

  /**
   * A plaintext read from an environment variable at synth and sealed with the source's
   * certificate. When the variable is unset or empty, the lock file's ciphertext is reused.
   */
  public static fromEnv(variableName: string): SealedValue {
    return new EnvValue(variableName);
  }

  /**
   * A plaintext read from a file at synth (its bytes exactly, trailing newline included) and
   * sealed with the source's certificate. When the file does not exist, the lock file's
   * ciphertext is reused. Keep such files out of version control.
   */
  public static fromFile(path: string): SealedValue {
    return new FileValue(path);
  }

  protected constructor() {
    Object.defineProperty(this, SEALED_VALUE, { value: true });
  }

  /**
   * The `encryptedData` entry for this value.
   * @internal
   */
  public abstract _ciphertext(context: SealingContext): string;
}

class PreSealedValue extends SealedValue {
  constructor(private readonly ciphertext: string) {
    super();
    const problem = sealedValueProblem(typeof ciphertext === 'string' ? ciphertext : '');
    if (problem) recordFactoryProblem(this, 'ciphertext', `the sealed value ${problem}`);
  }

  public _ciphertext(): string {
    return this.ciphertext;
  }
}

class EnvValue extends SealedValue {
  private readonly valid: boolean;

  constructor(private readonly variableName: string) {
    super();
    this.valid = ENV_VAR.test(variableName ?? '');
    if (!this.valid) {
      recordFactoryProblem(this, 'variableName', `${quoted(variableName)} is not an environment variable name: use letters, digits and '_'`);
    }
  }

  public _ciphertext(context: SealingContext): string {
    // An invalid name is reported when the secret binds this value: seal nothing.
    if (!this.valid) return '';
    return sealAtSynth(context, `environment variable ${this.variableName}`, () => {
      const value = process.env[this.variableName];
      return value ? Buffer.from(value, 'utf8') : undefined;
    });
  }
}

class FileValue extends SealedValue {
  constructor(private readonly path: string) {
    super();
    if (!path) recordFactoryProblem(this, 'path', 'no file given: pass the path of the file that holds the value');
  }

  public _ciphertext(context: SealingContext): string {
    // A missing path is reported when the secret binds this value: seal nothing.
    if (!this.path) return '';
    return sealAtSynth(context, `file ${this.path}`, () => {
      let value: Buffer;
      try {
        value = fs.readFileSync(this.path);
      } catch (e: any) {
        if (e.code === 'ENOENT') return undefined;
        throw e;
      }
      if (value.length === 0) {
        invalid(context.secret, 'source.values', `file ${this.path} is empty: put the secret value in it`);
      }
      return value;
    });
  }
}

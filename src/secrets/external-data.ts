import { Acknowledgement } from './acknowledgement';
import { ExternalSecretSpecDataFrom } from '../imports/externalsecrets-external-secrets.io';
import { reasonProblem, recordFactoryRisk } from '../private/accepted-risks';
import { recordFactoryProblem } from '../private/errors';
import { sortedRecord } from '../private/render';
import { goRegexpMatchesEverything, goRegexpProblem } from './private/go-regexp';
import { remoteKeyProblem } from './private/secret-spec';

const EXTERNAL_DATA_FROM = Symbol.for('cdk8s-secure-argo.ExternalDataFrom');

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
  /**
   * Accept a `nameRegexp` that matches (nearly) every name, with the reason (e.g. "this store
   * holds only this team's secrets").
   * @default - such a pattern is refused
   */
  readonly allowMatchEverything?: Acknowledgement;
}

/**
 * A `dataFrom` entry: many Secret keys from one provider secret (`extract`) or from a search
 * (`find`). The keys are known only at run time: declare those other constructs reference in
 * `ExternalSourceOptions.expectedKeys`.
 */
export class ExternalDataFrom {
  /** True if `x` is an `ExternalDataFrom`, also one made by another copy of this library. */
  public static isExternalDataFrom(x: any): x is ExternalDataFrom {
    return x !== null && typeof x === 'object' && EXTERNAL_DATA_FROM in x;
  }

  /** Every property of one structured (JSON) provider secret becomes a Secret key. */
  public static extract(ref: RemoteRef): ExternalDataFrom {
    const spec = new ExternalDataFrom({ extract: { key: ref?.key, property: ref?.property, version: ref?.version } });
    const problem = remoteKeyProblem(ref);
    if (problem) recordFactoryProblem(spec, 'key', problem);
    return spec;
  }

  /** Every provider secret matching a name pattern or tags becomes a Secret key. */
  public static find(options: ExternalFindOptions): ExternalDataFrom {
    const spec = new ExternalDataFrom({
      find: {
        path: options.path,
        name: options.nameRegexp === undefined ? undefined : { regexp: options.nameRegexp },
        tags: options.tags === undefined ? undefined : sortedRecord(options.tags),
      },
    });
    if (options.nameRegexp === undefined && options.tags === undefined) {
      recordFactoryProblem(spec, 'nameRegexp', 'give nameRegexp or tags: a search without a filter would copy every secret of the store');
    }
    if (options.nameRegexp !== undefined) {
      const problem = goRegexpProblem(options.nameRegexp);
      if (problem) {
        recordFactoryProblem(spec, 'nameRegexp', problem);
      } else if (goRegexpMatchesEverything(options.nameRegexp) && options.allowMatchEverything === undefined) {
        recordFactoryProblem(spec, 'nameRegexp', 'matches (nearly) every secret name, so every secret of the store would be copied: narrow it (e.g. \'^argocd/.*\') or set allowMatchEverything with a reason');
      }
    }
    if (options.allowMatchEverything !== undefined) {
      const reason = options.allowMatchEverything?.reason;
      const problem = reasonProblem(reason, 'why the store may be copied whole');
      if (problem) recordFactoryProblem(spec, 'allowMatchEverything.reason', problem);
      else recordFactoryRisk(spec, 'allowMatchEverything', reason);
    }
    return spec;
  }

  private constructor(
    /** @internal */
    public readonly _spec: ExternalSecretSpecDataFrom,
  ) {
    Object.defineProperty(this, EXTERNAL_DATA_FROM, { value: true });
  }
}

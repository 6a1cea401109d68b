import type { IConstruct } from 'constructs';
import { invalid } from '../../private/errors';
import type { SealingCertificate } from '../sealing-certificate';
import { digestMatches, digestPlaintext, SealedSecretsLock, sealedValueProblem } from './sealing';
import { warn } from './secret-spec';
import { quoted } from '../../private/validate';

/** What sealing one value of a SealedSecret needs to know. */
export interface SealingContext {
  /** The construct that produces the SealedSecret, for messages. */
  readonly secret: IConstruct;
  /** The Secret key being sealed. */
  readonly key: string;
  readonly lock: SealedSecretsLock;
  readonly certificate?: SealingCertificate;
  /** strict, namespace-wide or cluster-wide. */
  readonly scope: string;
  /** The OAEP label the scope implies. */
  readonly label: string;
  /** `<namespace>/<name>/<key>`: the value's entry in the lock file. */
  readonly entryKey: string;
}

/**
 * Seals one plaintext, or reuses the lock file's ciphertext when the plaintext, certificate and
 * scope are unchanged (sealing is randomized: resealing on every synth would change the output
 * every time), or when the plaintext is unavailable (e.g. in CI).
 */
export function sealAtSynth(ctx: SealingContext, origin: string, read: () => Buffer | undefined): string {
  const { secret, lock, certificate, scope, entryKey } = ctx;
  if (!certificate) {
    invalid(secret, 'source.certificate', `value ${quoted(ctx.key)} is sealed at synth: give the controller's certificate with SealingCertificate.fromFile()`);
  }
  const entry = lock.get(entryKey);
  if (entry) {
    const problem = sealedValueProblem(entry.ciphertext ?? '');
    if (problem) {
      invalid(secret, 'source.lockFile', `the entry '${entryKey}' of ${lock.path} ${problem}: delete the entry and synth again with the plaintext available`);
    }
  }
  const plaintext = read();
  if (plaintext === undefined) {
    if (!entry) {
      invalid(secret, 'source.values', `${origin} is not available and ${lock.path} has no entry '${entryKey}': provide the value (set the variable or create the file) and synth again, then commit the lock file`);
    }
    if (entry.scope !== scope) {
      invalid(secret, 'source.values', `${origin} is not available and the entry '${entryKey}' of ${lock.path} was sealed with scope ${entry.scope}, not ${scope}: provide the value to reseal it`);
    }
    warn(secret, `${origin} is not available: reusing the sealed value of '${entryKey}' from ${lock.path}${entry.certificate === certificate.fingerprint ? '' : ' (sealed with a different certificate)'}`);
    return entry.ciphertext;
  }
  if (entry && entry.scope === scope && entry.certificate === certificate.fingerprint && digestMatches(entry.plaintextDigest, plaintext)) {
    return entry.ciphertext;
  }
  const ciphertext = certificate._seal(ctx.label, plaintext);
  // An unusable certificate seals nothing (its problems fail the synth): keep the lock file as it is.
  if (ciphertext) lock.set(entryKey, { certificate: certificate.fingerprint, ciphertext, plaintextDigest: digestPlaintext(plaintext), scope });
  return ciphertext;
}

import type { IConstruct } from 'constructs';
import { deferredChecks, invalid } from '../../private/errors';
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
  /** The source accepts weak values (`acknowledgeLowEntropy`). */
  readonly lowEntropyAcknowledged?: boolean;
}

/** Below this estimate a salted digest in the lock file can be brute-forced. */
const MIN_ENTROPY_BITS = 64;

/**
 * A rough upper bound of a value's entropy: its length (runs of one character count once)
 * times the bits of the character classes it uses.
 */
export function entropyBits(value: Buffer): number {
  const text = value.toString('utf8').replace(/(.)\1+/gs, '$1');
  let pool = 0;
  if (/[a-z]/.test(text)) pool += 26;
  if (/[A-Z]/.test(text)) pool += 26;
  if (/[0-9]/.test(text)) pool += 10;
  if (/[^a-zA-Z0-9]/.test(text)) pool += 33;
  return pool === 0 ? 0 : [...text].length * Math.log2(pool);
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
    // Reusing the committed ciphertext is the intended path in CI: a note, not a warning,
    // unless the controller's certificate changed since (it may not unseal the old value).
    const message = `${origin} is not available: reusing the sealed value of '${entryKey}' from ${lock.path}`;
    if (entry.certificate === certificate.fingerprint) secret.node.addMetadata('info', message);
    else warn(secret, `${message}, sealed with a different certificate than ${certificate.fingerprint}: provide the value to reseal it`);
    return entry.ciphertext;
  }
  // Reported with the other problems at synth; nothing is sealed or written to the lock file.
  if (!ctx.lowEntropyAcknowledged && entropyBits(plaintext) < MIN_ENTROPY_BITS) {
    deferredChecks(secret).check('source.values', `${origin} holds a value of about ${Math.floor(entropyBits(plaintext))} bits, and its salted digest in ${lock.path} can be brute-forced: use a longer random value (e.g. openssl rand -base64 24), or set acknowledgeLowEntropy with a reason`);
    return '';
  }
  if (entry && entry.scope === scope && entry.certificate === certificate.fingerprint && digestMatches(entry.plaintextDigest, plaintext)) {
    return entry.ciphertext;
  }
  const ciphertext = certificate._seal(ctx.label, plaintext);
  // An unusable certificate seals nothing (its problems fail the synth): keep the lock file as it is.
  if (ciphertext) lock.set(entryKey, { certificate: certificate.fingerprint, ciphertext, plaintextDigest: digestPlaintext(plaintext), scope });
  return ciphertext;
}

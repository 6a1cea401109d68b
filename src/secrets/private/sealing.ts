// Sealing for Bitnami Sealed Secrets (format of sealed-secrets v0.36), and the lock file that
// keeps sealed output stable between synths. Internal module: not exported from index.ts.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/** AES-256-GCM session key size, in bytes. */
const SESSION_KEY_BYTES = 32;
/** sealed-secrets uses a zero nonce: each session key encrypts exactly one value. */
const ZERO_NONCE = Buffer.alloc(12);
const GCM_TAG_BYTES = 16;
/** Smallest RSA block we accept in a pre-sealed value (2048-bit keys). */
const MIN_RSA_BLOCK_BYTES = 256;
const STANDARD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Seals one value the way `kubeseal` does: a fresh AES-256-GCM session key encrypts the value,
 * RSA-OAEP (SHA-256, MGF1 SHA-256, label = scope label) wraps the session key; the output is
 * the 2-byte big-endian RSA ciphertext length, the RSA ciphertext, then the AES ciphertext
 * with its tag, in standard base64.
 */
export function sealValue(publicKey: crypto.KeyObject, label: string, plaintext: Buffer): string {
  const sessionKey = crypto.randomBytes(SESSION_KEY_BYTES);
  const wrappedKey = crypto.publicEncrypt({
    key: publicKey,
    padding: crypto.constants.RSA_PKCS1_OAEP_PADDING,
    oaepHash: 'sha256',
    oaepLabel: Buffer.from(label, 'utf8'),
  }, sessionKey);
  const cipher = crypto.createCipheriv('aes-256-gcm', sessionKey, ZERO_NONCE);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(wrappedKey.length);
  return Buffer.concat([length, wrappedKey, body]).toString('base64');
}

/**
 * Why `ciphertext` cannot be a sealed value, or undefined if its shape is right: standard
 * base64 holding the 2-byte length, an RSA block of at least 2048 bits and a GCM tag.
 */
export function sealedValueProblem(ciphertext: string): string | undefined {
  if (ciphertext.length === 0 || !STANDARD_BASE64.test(ciphertext)) {
    return 'is not standard base64 (copy the encryptedData value from kubeseal output unchanged)';
  }
  const raw = Buffer.from(ciphertext, 'base64');
  if (raw.length < 2) {
    return 'is too short to be a sealed value';
  }
  const rsaBytes = raw.readUInt16BE(0);
  if (rsaBytes < MIN_RSA_BLOCK_BYTES || raw.length < 2 + rsaBytes + GCM_TAG_BYTES) {
    return `is too short to hold the 2-byte length, an RSA block of at least ${MIN_RSA_BLOCK_BYTES} bytes and the AES-GCM ciphertext (${raw.length} bytes)`;
  }
  return undefined;
}

/** `sha256:<hex>` of the certificate's DER encoding, as the lock file records it. */
export function certificateFingerprint(cert: crypto.X509Certificate): string {
  return `sha256:${crypto.createHash('sha256').update(cert.raw).digest('hex')}`;
}

// Deliberately slow, salted digest: a leaked lock file must not let anyone confirm a guessed
// plaintext cheaply. N=2^15, r=8 costs 32 MiB and roughly 0.1 s per guess.
const SCRYPT = { N: 2 ** 15, r: 8, p: 1 };
const SCRYPT_MAXMEM = 64 * 1024 * 1024;
const DIGEST_BYTES = 32;
const DIGEST_FORMAT = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;

/** A fresh `scrypt$N$r$p$salt$hash` digest of `plaintext` with a random salt. */
export function digestPlaintext(plaintext: Buffer): string {
  const salt = crypto.randomBytes(16);
  const hash = crypto.scryptSync(plaintext, salt, DIGEST_BYTES, { ...SCRYPT, maxmem: SCRYPT_MAXMEM });
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** True if `digest` (from {@link digestPlaintext}) is a digest of `plaintext`. */
export function digestMatches(digest: string, plaintext: Buffer): boolean {
  const match = DIGEST_FORMAT.exec(digest);
  if (!match) return false;
  const [N, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // Never let a tampered lock file make the synth burn memory or CPU.
  if (N > SCRYPT.N * 4 || r > 16 || p > 4 || 128 * N * r > SCRYPT_MAXMEM * 4) return false;
  const expected = Buffer.from(match[5], 'base64');
  if (expected.length !== DIGEST_BYTES) return false;
  const actual = crypto.scryptSync(plaintext, Buffer.from(match[4], 'base64'), DIGEST_BYTES, { N, r, p, maxmem: SCRYPT_MAXMEM * 4 });
  return crypto.timingSafeEqual(actual, expected);
}

/** One sealed value remembered by the lock file. */
export interface SealedLockEntry {
  /** `sha256:<hex>` fingerprint of the certificate the value was sealed with. */
  readonly certificate: string;
  /** The sealed value, as emitted in `encryptedData`. */
  readonly ciphertext: string;
  /** Salted scrypt digest of the plaintext. */
  readonly plaintextDigest: string;
  /** strict, namespace-wide or cluster-wide. */
  readonly scope: string;
}

interface LockFileContent {
  readonly version: number;
  readonly entries: Record<string, SealedLockEntry>;
}

const LOCK_VERSION = 1;

/**
 * The lock file (`sealed-secrets.lock.json` by default): per `namespace/name/key`, the last
 * ciphertext with what it was sealed from. Read on every access, so several secrets (and
 * several apps) can share one file; written only when an entry changes, with sorted keys.
 */
export class SealedSecretsLock {
  public readonly path: string;

  constructor(file: string) {
    this.path = path.resolve(file);
  }

  public get(entryKey: string): SealedLockEntry | undefined {
    return this.read().entries[entryKey];
  }

  public set(entryKey: string, entry: SealedLockEntry): void {
    const content = this.read();
    const entries: Record<string, SealedLockEntry> = { ...content.entries, [entryKey]: entry };
    const sorted: Record<string, SealedLockEntry> = {};
    for (const key of Object.keys(entries).sort()) {
      const e = entries[key];
      sorted[key] = { certificate: e.certificate, ciphertext: e.ciphertext, plaintextDigest: e.plaintextDigest, scope: e.scope };
    }
    fs.mkdirSync(path.dirname(this.path), { recursive: true });
    // Write then rename, so an interrupted synth never leaves a truncated lock file.
    const temporary = `${this.path}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, `${JSON.stringify({ entries: sorted, version: LOCK_VERSION }, undefined, 2)}\n`);
    fs.renameSync(temporary, this.path);
  }

  private read(): LockFileContent {
    let text: string;
    try {
      text = fs.readFileSync(this.path, 'utf8');
    } catch (e: any) {
      if (e.code === 'ENOENT') return { version: LOCK_VERSION, entries: {} };
      throw e;
    }
    let parsed: any;
    try {
      parsed = JSON.parse(text);
    } catch (e: any) {
      throw new Error(`sealed secrets lock file ${this.path} is not valid JSON (${e.message}): restore it from version control or delete it to reseal everything`);
    }
    if (parsed?.version !== LOCK_VERSION || typeof parsed.entries !== 'object' || parsed.entries === null) {
      throw new Error(`sealed secrets lock file ${this.path} is not a version ${LOCK_VERSION} lock file: restore it from version control or delete it to reseal everything`);
    }
    return parsed as LockFileContent;
  }
}

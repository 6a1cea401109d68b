import * as crypto from 'crypto';
import * as fs from 'fs';
import { recordFactoryProblem } from '../private/errors';
import { certificateFingerprint, sealValue } from './private/sealing';
import { quoted } from '../private/validate';

const SEALING_CERTIFICATE = Symbol.for('cdk8s-secure-argo.SealingCertificate');

/**
 * The Sealed Secrets controller's public certificate (`kubeseal --fetch-cert`), used to seal
 * values at synth. Expired, not yet valid and non-RSA certificates are refused.
 */
export class SealingCertificate {
  /** True if `x` is a `SealingCertificate`, also one made by another copy of this library. */
  public static isSealingCertificate(x: any): x is SealingCertificate {
    return x !== null && typeof x === 'object' && SEALING_CERTIFICATE in x;
  }

  /** A certificate from its PEM text. */
  public static fromPem(pem: string): SealingCertificate {
    try {
      return new SealingCertificate(new crypto.X509Certificate(pem));
    } catch (e: any) {
      return new SealingCertificate(undefined, 'pem', `is not a PEM X.509 certificate (${e.message}): fetch it with 'kubeseal --fetch-cert'`);
    }
  }

  /** A certificate from a PEM file, read at synth. */
  public static fromFile(path: string): SealingCertificate {
    let pem: string;
    try {
      pem = fs.readFileSync(path, 'utf8');
    } catch (e: any) {
      return new SealingCertificate(undefined, 'path', `cannot read ${quoted(path)} (${e.message}): fetch the certificate with 'kubeseal --fetch-cert > ${path}'`);
    }
    return SealingCertificate.fromPem(pem);
  }

  /** `sha256:<hex>` of the certificate's DER encoding. */
  public readonly fingerprint: string;
  /** End of the certificate's validity, as an ISO 8601 timestamp. */
  public readonly notAfter: string;
  private readonly cert?: crypto.X509Certificate;

  private constructor(cert: crypto.X509Certificate | undefined, property?: string, problem?: string) {
    Object.defineProperty(this, SEALING_CERTIFICATE, { value: true });
    this.fingerprint = cert ? certificateFingerprint(cert) : '';
    this.notAfter = cert ? new Date(cert.validTo).toISOString() : '';
    if (!cert) {
      recordFactoryProblem(this, property!, problem!);
      return;
    }
    const problems = certificateProblems(cert);
    problems.forEach((p) => recordFactoryProblem(this, 'pem', p));
    if (problems.length === 0) this.cert = cert;
  }

  /**
   * Seals one value for `label`; a certificate with problems (reported when bound) seals nothing.
   * @internal
   */
  public _seal(label: string, plaintext: Buffer): string {
    return this.cert ? sealValue(this.cert.publicKey, label, plaintext) : '';
  }
}

/** What makes `cert` unusable for sealing: key type and size, validity period. */
function certificateProblems(cert: crypto.X509Certificate): string[] {
  const problems: string[] = [];
  const key = cert.publicKey;
  if (key.asymmetricKeyType !== 'rsa') {
    problems.push(`the certificate holds a ${key.asymmetricKeyType} key: Sealed Secrets seals with RSA-OAEP, so give the controller's RSA certificate`);
  } else if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) {
    problems.push(`the RSA key has ${key.asymmetricKeyDetails?.modulusLength} bits: use a key of at least 2048 bits`);
  }
  const now = Date.now();
  const validFrom = new Date(cert.validFrom);
  const validTo = new Date(cert.validTo);
  if (now < validFrom.getTime()) {
    problems.push(`the certificate is not valid before ${validFrom.toISOString()}: check the clock, or fetch the current certificate with 'kubeseal --fetch-cert'`);
  }
  if (now > validTo.getTime()) {
    problems.push(`the certificate expired on ${validTo.toISOString()}: fetch the current one with 'kubeseal --fetch-cert'`);
  }
  return problems;
}

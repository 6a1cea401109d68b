import { recordFactoryProblem } from './factory';

/** The scopes Argo CD requests by default: `groups` carries the RBAC groups. */
export const DEFAULT_SCOPES = ['openid', 'profile', 'email', 'groups'];
const CLIENT_ID = /^[A-Za-z0-9][A-Za-z0-9._:@\/-]*$/;
/** RFC 6749 scope-token: printable ASCII except space, `"` and `\`. */
const OAUTH_SCOPE = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/** A problem found in a factory's input, reported when a construct binds the object. */
export interface Problem {
  readonly property: string;
  readonly problem: string;
}

/** Collects the problems of one factory's input. */
export class Problems {
  public readonly list: Problem[] = [];

  public check(property: string, problem: string | undefined): void {
    if (problem !== undefined) this.list.push({ property, problem });
  }

  /** Records every problem on the object the factory returns. */
  public recordOn<T extends object>(obj: T): T {
    for (const p of this.list) recordFactoryProblem(obj, p.property, p.problem);
    return obj;
  }
}

export function clientIdProblem(value: string): string | undefined {
  if (typeof value !== 'string' || !CLIENT_ID.test(value) || value.length > 255) {
    return `'${value}' is not a valid client ID: use letters, digits and . _ : @ / -`;
  }
  return undefined;
}

export function scopeProblem(value: string): string | undefined {
  if (typeof value !== 'string' || !OAUTH_SCOPE.test(value)) {
    return `'${value}' is not a valid OAuth scope: use printable characters without spaces, quotes or backslashes`;
  }
  return undefined;
}

export function safeTextProblem(value: string): string | undefined {
  if (typeof value !== 'string' || value.trim().length === 0 || /[\u0000-\u001f\u007f]/.test(value)) {
    return `${JSON.stringify(value)} must be non-empty text without control characters`;
  }
  return undefined;
}

/** Why `value` is not an https URL without credentials, or undefined. */
export function httpsUrlProblem(value: string): string | undefined {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || url.protocol !== 'https:' || !url.hostname) {
    return `'${value}' is not an https:// URL: tokens and credentials must not travel in clear text`;
  }
  if (url.username || url.password) return 'contains credentials: remove user:password@ from the URL';
  return undefined;
}

/** An https URL that paths are appended to (Argo CD's `url`, an issuer): no query or fragment. */
export function httpsBaseUrlProblem(value: string): string | undefined {
  const problem = httpsUrlProblem(value);
  if (problem) return problem;
  const url = new URL(value);
  if (url.search || url.hash) {
    return `'${value}' has a query or fragment, which would end up before the paths appended to it (/auth/callback, /.well-known/openid-configuration): remove it`;
  }
  return undefined;
}

/** Why `value` is not a PEM CA certificate (public data), or undefined. */
export function caPemProblem(value: string): string | undefined {
  if (typeof value !== 'string' || /PRIVATE KEY/.test(value)) {
    return 'contains a private key: pass only the CA certificate (public)';
  }
  const trimmed = value.trim();
  if (!trimmed.startsWith('-----BEGIN CERTIFICATE-----') || !trimmed.endsWith('-----END CERTIFICATE-----')) {
    return 'is not a PEM certificate: pass -----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----';
  }
  return undefined;
}

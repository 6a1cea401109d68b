import { recordFactoryProblem } from '../../private/errors';
import { httpsUrlProblem, quoted } from '../../private/validate';

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

  /** Adds the problem, if any; true when there was none. */
  public check(property: string, problem: string | undefined): boolean {
    if (problem === undefined) return true;
    this.list.push({ property, problem });
    return false;
  }

  /** Records every problem on the object the factory returns. */
  public recordOn<T extends object>(obj: T): T {
    for (const p of this.list) recordFactoryProblem(obj, p.property, p.problem);
    return obj;
  }
}

export function clientIdProblem(value: string): string | undefined {
  if (typeof value !== 'string' || !CLIENT_ID.test(value) || value.length > 255) {
    return `${quoted(value)} is not a valid client ID: use letters, digits and . _ : @ / -`;
  }
  return undefined;
}

export function scopeProblem(value: string): string | undefined {
  if (typeof value !== 'string' || !OAUTH_SCOPE.test(value)) {
    return `${quoted(value)} is not a valid OAuth scope: use printable characters without spaces, quotes or backslashes`;
  }
  return undefined;
}

/**
 * What is wrong with a provider's logout URL, or undefined. Argo CD fills `{{token}}` and
 * `{{logoutRedirectURL}}` into it before redirecting, so the URL is checked as it will read then.
 */
export function logoutUrlProblem(url: string): string | undefined {
  const filled = typeof url === 'string'
    ? url.replace(/\{\{token\}\}/g, 'token').replace(/\{\{logoutRedirectURL\}\}/g, 'https%3A%2F%2Fargocd') : url;
  return httpsUrlProblem(filled, { allowQuery: true })?.replace(quoted(filled), quoted(url));
}

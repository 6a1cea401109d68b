// Image references of an upstream release: pinned by tag, and by digest where the user supplies one.

const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** An image of a release, as upstream names it. */
export interface ReleaseImage {
  /** e.g. `quay.io/argoproj/argocd` */
  readonly repository: string;
  /** e.g. `v3.5.1` */
  readonly tag: string;
}

/**
 * What is wrong with a digest, and the fix; undefined when it is a usable `sha256:` digest.
 * All-zero (placeholder) digests are refused: no image has one, so the pull would fail.
 */
export function digestProblem(digest: string): string | undefined {
  if (typeof digest !== 'string' || !DIGEST.test(digest)) {
    return `${JSON.stringify(String(digest).slice(0, 80))} is not a digest: use 'sha256:' followed by 64 lowercase hex characters (e.g. from 'crane digest <image>')`;
  }
  if (/^sha256:0+$/.test(digest)) {
    return 'is the all-zero placeholder digest, which no image has: give the real digest (e.g. from \'crane digest <image>\')';
  }
  return undefined;
}

/** `repository:tag@sha256:...` with a digest, `repository:tag` without. */
export function imageReference(image: ReleaseImage, digest?: string): string {
  return `${image.repository}:${image.tag}${digest ? `@${digest}` : ''}`;
}

/** Splits `repository:tag` as upstream manifests write it. */
export function parseImage(reference: string): ReleaseImage {
  const colon = reference.lastIndexOf(':');
  if (colon <= reference.lastIndexOf('/') || reference.includes('@')) {
    throw new Error(`upstream image '${reference}' is not 'repository:tag'`);
  }
  return { repository: reference.slice(0, colon), tag: reference.slice(colon + 1) };
}

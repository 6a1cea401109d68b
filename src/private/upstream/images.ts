// Image references of an upstream release: pinned by tag, and by digest where the user supplies one.

/** An image of a release, as upstream names it. */
export interface ReleaseImage {
  /** e.g. `quay.io/argoproj/argocd` */
  readonly repository: string;
  /** e.g. `v3.5.1` */
  readonly tag: string;
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

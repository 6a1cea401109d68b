import { recordFactoryProblem } from '../private/errors';
import { digestProblem, quoted } from '../private/validate';

// As Docker's and containerd's reference grammar: the host (before the first '/', with a '.' or
// ':' or 'localhost') may have upper case, as DNS names are case-insensitive; the path may not.
const REPOSITORY = /^(([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:[0-9]+)?)\/)?[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const CONTAINER_IMAGE_SYMBOL = Symbol.for('cdk8s-secure-argo.ContainerImage');

/**
 * A container image pinned by digest. Tags move; digests do not, so every image this library
 * emits is `repository[:tag]@sha256:<digest>`. The factories never throw: a problem (no digest,
 * a placeholder digest, a bad repository or tag) is reported at synth, with the path of the
 * construct that uses the image.
 */
export class ContainerImage {
  /**
   * Parses `repository[:tag]@sha256:<64 hex>`; anything without a digest is refused.
   * @param reference e.g. `quay.io/argoproj/argocd:v3.5.1@sha256:...`
   */
  public static fromReference(reference: string): ContainerImage {
    const at = reference.indexOf('@');
    if (at < 0) {
      const image = new ContainerImage(reference, '', undefined);
      recordFactoryProblem(image, 'reference', `${quoted(reference)} is not pinned by digest: append '@sha256:<digest>' (tags such as ':latest' can change under you)`);
      return image;
    }
    const name = reference.slice(0, at);
    const digest = reference.slice(at + 1);
    const colon = name.lastIndexOf(':');
    const hasTag = colon > name.lastIndexOf('/');
    return ContainerImage.fromDigest(hasTag ? name.slice(0, colon) : name, digest, hasTag ? name.slice(colon + 1) : undefined);
  }

  /**
   * An image from its repository and digest.
   * @param repository e.g. `quay.io/argoproj/argocd`
   * @param digest `sha256:<64 lowercase hex>`, the digest of the image you reviewed (e.g. from `crane digest <image>`)
   * @param tag an optional, informative tag kept in the reference
   */
  public static fromDigest(repository: string, digest: string, tag?: string): ContainerImage {
    const image = new ContainerImage(repository, digest, tag);
    if (!REPOSITORY.test(repository)) {
      recordFactoryProblem(image, 'repository', `${quoted(repository)} is not a valid image repository: use host/path with a lowercase path, e.g. 'quay.io/argoproj/argocd'`);
    }
    const problem = digestProblem(digest);
    if (problem) recordFactoryProblem(image, 'digest', problem);
    if (tag !== undefined && (!TAG.test(tag) || tag === 'latest')) {
      recordFactoryProblem(image, 'tag', `${quoted(tag)} is not an acceptable tag: give a version tag (never 'latest') or none`);
    }
    return image;
  }

  /**
   * Whether `x` is a ContainerImage, also one made by another copy of this library.
   * @param x any value
   */
  public static isContainerImage(x: unknown): x is ContainerImage {
    return typeof x === 'object' && x !== null && CONTAINER_IMAGE_SYMBOL in x;
  }

  private constructor(
    /** The image repository. */
    public readonly repository: string,
    /** The `sha256:` digest. */
    public readonly digest: string,
    /** The informative tag, if any. */
    public readonly tag: string | undefined,
  ) {
    Object.defineProperty(this, CONTAINER_IMAGE_SYMBOL, { value: true });
  }

  /** The full reference, `repository[:tag]@digest`. */
  public get reference(): string {
    return `${this.repository}${this.tag ? `:${this.tag}` : ''}${this.digest ? `@${this.digest}` : ''}`;
  }
}

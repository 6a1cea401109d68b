import { invalid } from '../private/errors';

const DIGEST = /^sha256:[a-f0-9]{64}$/;
const REPOSITORY = /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._/-][a-z0-9]+)*)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/**
 * A container image pinned by digest. Tags move; digests do not, so every image this library
 * emits is `repository[:tag]@sha256:<digest>`.
 */
export class ContainerImage {
  /**
   * Parses `repository[:tag]@sha256:<64 hex>`; anything without a digest is refused.
   * @param reference e.g. `quay.io/argoproj/argocd:v3.5.1@sha256:...`
   */
  public static fromReference(reference: string): ContainerImage {
    const at = reference.indexOf('@');
    if (at < 0) {
      invalid('ContainerImage', 'reference', `'${reference}' is not pinned by digest: append '@sha256:<digest>' (tags such as ':latest' can change under you)`);
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
   * @param digest `sha256:<64 lowercase hex>`
   * @param tag an optional, informative tag kept in the reference
   */
  public static fromDigest(repository: string, digest: string, tag?: string): ContainerImage {
    if (!REPOSITORY.test(repository)) {
      invalid('ContainerImage', 'repository', `'${repository}' is not a valid image repository`);
    }
    if (!DIGEST.test(digest)) {
      invalid('ContainerImage', 'digest', `'${digest}' is not a digest: use 'sha256:' followed by 64 lowercase hex characters`);
    }
    if (tag !== undefined && (!TAG.test(tag) || tag === 'latest')) {
      invalid('ContainerImage', 'tag', `'${tag}' is not an acceptable tag: give a version tag (never 'latest') or none`);
    }
    return new ContainerImage(repository, digest, tag);
  }

  private constructor(
    /** The image repository. */
    public readonly repository: string,
    /** The `sha256:` digest. */
    public readonly digest: string,
    /** The informative tag, if any. */
    public readonly tag: string | undefined,
  ) {}

  /** The full reference, `repository[:tag]@digest`. */
  public get reference(): string {
    return `${this.repository}${this.tag ? `:${this.tag}` : ''}@${this.digest}`;
  }
}

/** CPU and memory for a container: both requests and limits are always set. */
export interface ContainerResources {
  /** CPU request, e.g. `100m`. */
  readonly cpuRequest: string;
  /** CPU limit, e.g. `500m`. */
  readonly cpuLimit: string;
  /** Memory request, e.g. `128Mi`. */
  readonly memoryRequest: string;
  /** Memory limit, e.g. `256Mi`. */
  readonly memoryLimit: string;
}

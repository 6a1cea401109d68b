import { imageReference, ReleaseImage } from '../../private/upstream/images';
import { digestProblem } from '../../private/validate';

/** The images of an Argo CD release. */
export enum ArgoCdImage {
  /** `quay.io/argoproj/argocd`: every Argo CD component. */
  ARGOCD = 'argocd',
  /** `ghcr.io/dexidp/dex`: the bundled Dex. */
  DEX = 'dex',
  /** Redis, the cache. */
  REDIS = 'redis',
  /** HAProxy in front of Redis HA. */
  HAPROXY = 'haproxy',
}

/** Image digests (`sha256:<64 hex>`) for a release, by image. */
export interface ArgoCdImageDigests {
  /**
   * Digest of the Argo CD image.
   * @default - pinned by tag only
   */
  readonly argocd?: string;
  /**
   * Digest of the Dex image.
   * @default - pinned by tag only
   */
  readonly dex?: string;
  /**
   * Digest of the Redis image.
   * @default - pinned by tag only
   */
  readonly redis?: string;
  /**
   * Digest of the HAProxy image (HA only).
   * @default - pinned by tag only
   */
  readonly haproxy?: string;
}

const V3_5_1_IMAGES: Record<ArgoCdImage, ReleaseImage> = {
  [ArgoCdImage.ARGOCD]: { repository: 'quay.io/argoproj/argocd', tag: 'v3.5.1' },
  [ArgoCdImage.DEX]: { repository: 'ghcr.io/dexidp/dex', tag: 'v2.45.0' },
  [ArgoCdImage.REDIS]: { repository: 'public.ecr.aws/docker/library/redis', tag: '8.2.3-alpine' },
  [ArgoCdImage.HAPROXY]: { repository: 'public.ecr.aws/docker/library/haproxy', tag: '3.0.8-alpine' },
};

/**
 * An Argo CD release: its version and the images of its install, pinned by tag, and by digest
 * where you supply one (then output pins `tag@sha256:...`, which no registry can change).
 */
export class ArgoCdRelease {
  /**
   * Argo CD v3.5.1, the release whose install manifests this library carries: images pinned by
   * tag; add digests with {@link withDigests}.
   */
  public static readonly V3_5_1: ArgoCdRelease = new ArgoCdRelease('v3.5.1', V3_5_1_IMAGES, {});

  /** The Argo CD version, e.g. `v3.5.1`. */
  public readonly version: string;
  private readonly images: Record<ArgoCdImage, ReleaseImage>;
  private readonly digests: ArgoCdImageDigests;

  private constructor(version: string, images: Record<ArgoCdImage, ReleaseImage>, digests: ArgoCdImageDigests) {
    this.version = version;
    this.images = images;
    this.digests = { ...digests };
  }

  /**
   * The same release with its images pinned by digest too.
   * @param digests image digests, e.g. from `crane digest quay.io/argoproj/argocd:v3.5.1`
   */
  public withDigests(digests: ArgoCdImageDigests): ArgoCdRelease {
    return new ArgoCdRelease(this.version, this.images, { ...this.digests, ...digests });
  }

  /** The image reference the install uses: `repository:tag`, with `@sha256:...` when a digest was given. */
  public imageReference(image: ArgoCdImage): string {
    return imageReference(this.images[image], (this.digests as Record<string, string | undefined>)[image]);
  }

  /** True when every image the install runs is pinned by digest. */
  public get pinnedByDigest(): boolean {
    return Object.values(ArgoCdImage).every((image) => (this.digests as Record<string, string | undefined>)[image] !== undefined);
  }

  /**
   * The image an upstream manifest names (`repository:tag`), or undefined when it is not one of
   * this release's images.
   * @internal
   */
  public _imageFor(upstreamReference: string): ArgoCdImage | undefined {
    return Object.values(ArgoCdImage).find((image) => `${this.images[image].repository}:${this.images[image].tag}` === upstreamReference);
  }

  /**
   * What is wrong with the supplied digests, by property (`digests.<image>`).
   * @internal
   */
  public _digestProblems(): { property: string; problem: string }[] {
    return Object.entries(this.digests).flatMap(([image, digest]) => {
      if (!Object.values(ArgoCdImage).includes(image as ArgoCdImage)) {
        return [{ property: `digests.${image}`, problem: `is not an image of the release: use ${Object.values(ArgoCdImage).join(', ')}` }];
      }
      if (digest === undefined) return [];
      const problem = digestProblem(digest);
      return problem ? [{ property: `digests.${image}`, problem }] : [];
    });
  }
}

import { imageReference, ReleaseImage } from '../../private/upstream/images';
import { digestProblem } from '../../private/validate';

/** The images of an Argo Workflows release. */
export enum ArgoWorkflowsImage {
  /** `quay.io/argoproj/workflow-controller`: the controller. */
  WORKFLOW_CONTROLLER = 'workflowController',
  /** `quay.io/argoproj/argocli`: argo-server (and the CLI). */
  ARGO_CLI = 'argoCli',
  /** `quay.io/argoproj/argoexec`: the init and wait containers of every workflow pod. */
  ARGO_EXEC = 'argoExec',
}

/** Image digests (`sha256:<64 hex>`) for a release, by image. */
export interface ArgoWorkflowsImageDigests {
  /**
   * Digest of the workflow-controller image.
   * @default - pinned by tag only
   */
  readonly workflowController?: string;
  /**
   * Digest of the argocli image (argo-server).
   * @default - pinned by tag only
   */
  readonly argoCli?: string;
  /**
   * Digest of the argoexec image (the executor in every workflow pod).
   * @default - pinned by tag only
   */
  readonly argoExec?: string;
}

const V4_1_2_IMAGES: Record<ArgoWorkflowsImage, ReleaseImage> = {
  [ArgoWorkflowsImage.WORKFLOW_CONTROLLER]: { repository: 'quay.io/argoproj/workflow-controller', tag: 'v4.1.2' },
  [ArgoWorkflowsImage.ARGO_CLI]: { repository: 'quay.io/argoproj/argocli', tag: 'v4.1.2' },
  [ArgoWorkflowsImage.ARGO_EXEC]: { repository: 'quay.io/argoproj/argoexec', tag: 'v4.1.2' },
};

/**
 * An Argo Workflows release: its version and images, pinned by tag, and by digest where you
 * supply one (output then pins `tag@sha256:...`, which no registry can change). The executor
 * image is pinned too: without it the controller would pick its own default for every workflow pod.
 */
export class ArgoWorkflowsRelease {
  /**
   * Argo Workflows v4.1.2, the release whose install manifests and CRDs this library carries, with
   * images pinned by tag; add digests with {@link withDigests}.
   */
  public static readonly V4_1_2: ArgoWorkflowsRelease = new ArgoWorkflowsRelease('v4.1.2', V4_1_2_IMAGES, {});

  /** The Argo Workflows version, e.g. `v4.1.2`. */
  public readonly version: string;
  private readonly images: Record<ArgoWorkflowsImage, ReleaseImage>;
  private readonly digests: Record<string, string | undefined>;

  private constructor(version: string, images: Record<ArgoWorkflowsImage, ReleaseImage>, digests: ArgoWorkflowsImageDigests) {
    this.version = version;
    this.images = images;
    this.digests = { ...digests };
  }

  /**
   * The same release with its images pinned by digest as well.
   * @param digests image digests, e.g. from `crane digest quay.io/argoproj/argoexec:v4.1.2`
   */
  public withDigests(digests: ArgoWorkflowsImageDigests): ArgoWorkflowsRelease {
    return new ArgoWorkflowsRelease(this.version, this.images, { ...this.digests, ...digests });
  }

  /** The image reference the install uses: `repository:tag`, with `@sha256:...` when a digest was given. */
  public imageReference(image: ArgoWorkflowsImage): string {
    return imageReference(this.images[image], this.digests[image]);
  }

  /** True when every image of the release is pinned by digest. */
  public get pinnedByDigest(): boolean {
    return Object.values(ArgoWorkflowsImage).every((image) => this.digests[image] !== undefined);
  }

  /**
   * The image an upstream manifest names (`repository:tag`), or undefined when it is not one of
   * this release's images.
   * @internal
   */
  public _imageFor(upstreamReference: string): ArgoWorkflowsImage | undefined {
    return Object.values(ArgoWorkflowsImage).find((image) => `${this.images[image].repository}:${this.images[image].tag}` === upstreamReference);
  }

  /**
   * What is wrong with the supplied digests, by property (`digests.<image>`).
   * @internal
   */
  public _digestProblems(): { property: string; problem: string }[] {
    return Object.entries(this.digests).flatMap(([image, digest]) => {
      if (!Object.values(ArgoWorkflowsImage).includes(image as ArgoWorkflowsImage)) {
        return [{ property: `digests.${image}`, problem: `is not an image of the release: use ${Object.values(ArgoWorkflowsImage).join(', ')}` }];
      }
      if (digest === undefined) return [];
      const problem = digestProblem(digest);
      return problem ? [{ property: `digests.${image}`, problem }] : [];
    });
  }
}

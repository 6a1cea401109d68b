// Container images: a moving tag is a different program tomorrow; a digest is not.
import { digestProblem } from '../../private/validate';
import { PolicyLevel } from '../policy-rule';
import { Obj, podsOf } from '../private/kube';
import { rule, RuleDefinition, Violation, violation } from '../private/rule';

const PACK = 'images';

/** `repository[:tag][@digest]`, split. */
interface ImageReference {
  readonly tag?: string;
  readonly digest?: string;
}

function parse(image: string): ImageReference {
  const at = image.indexOf('@');
  const name = at < 0 ? image : image.slice(0, at);
  const colon = name.lastIndexOf(':');
  const tag = colon > name.lastIndexOf('/') ? name.slice(colon + 1) : undefined;
  return { tag, digest: at < 0 ? undefined : image.slice(at + 1) };
}

/** Every container image of an object, with its path. */
function images(m: Obj): { image: unknown; path: string }[] {
  return podsOf(m).containers.map((c) => ({ image: c.container.image, path: `${c.path}.image` }));
}

function eachImage(m: Obj, check: (image: string, ref: ImageReference, path: string) => Violation[]): Violation[] {
  return images(m).flatMap(({ image, path }) => (typeof image === 'string' ? check(image, parse(image), path) : []));
}

export const IMG_NO_LATEST = rule(PACK, {
  id: 'IMG-NO-LATEST',
  title: 'Images name a version: no missing tag, no :latest',
  why: 'Without a tag or with :latest, each node pulls whatever the registry serves at that moment: '
    + 'replicas differ, rollbacks do not roll back and a compromised registry ships straight to production.',
  fix: 'Reference the image by digest (repository:version@sha256:<digest>), or at least by a version tag.',
  check: (m) => [
    ...images(m).filter(({ image }) => typeof image !== 'string' || image === '')
      .map(({ path }) => violation(path, 'no image')),
    ...eachImage(m, (image, ref, path) => (ref.digest === undefined && (ref.tag === undefined || ref.tag === 'latest')
      ? [violation(path, `${JSON.stringify(image)} ${ref.tag === undefined ? 'has no tag (which means latest)' : 'uses the latest tag'} and no digest`)] : [])),
  ],
});

export const IMG_DIGEST = rule(PACK, {
  id: 'IMG-DIGEST',
  level: PolicyLevel.WARNING,
  title: 'Images are pinned by digest',
  why: 'Tags can be moved to other content; only a digest names exactly the image that was reviewed.',
  fix: 'Append @sha256:<digest> (e.g. from `crane digest <image>:<tag>`); keep the tag for readers.',
  check: (m) => eachImage(m, (image, ref, path) => (ref.digest === undefined
    ? [violation(path, `${JSON.stringify(image)} is not pinned by digest (@sha256:<64 hex>)`)] : [])),
});

export const IMG_PLACEHOLDER_DIGEST = rule(PACK, {
  id: 'IMG-PLACEHOLDER-DIGEST',
  title: 'Image digests are real sha256 digests, not placeholders',
  why: 'A malformed or made-up digest fails every pull: all-zero, one character repeated, long runs and a handful of distinct '
    + 'digits are placeholders, never the hash of an image.',
  fix: 'Replace the digest with the one of the image you reviewed (`crane digest <image>:<tag>`).',
  check: (m) => eachImage(m, (image, ref, path) => {
    const problem = ref.digest === undefined ? undefined : digestProblem(ref.digest);
    return problem ? [violation(path, `${JSON.stringify(image)}: ${problem}`)] : [];
  }),
});

export const IMAGE_RULES: RuleDefinition[] = [IMG_NO_LATEST, IMG_DIGEST, IMG_PLACEHOLDER_DIGEST];

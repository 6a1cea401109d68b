// The Argo releases the examples install. A pod whose image digest is not the image's never starts
// (the pull fails), so no digest here is made up: each one is named with where it was read, and an
// image without a digest from a source we can name is pinned by its tag only. Before you deploy,
// review each image and pin what `crane digest <image>:<tag>` prints for it (the digest of the
// multi-arch index, which every node can pull whatever its architecture).
import { IConstruct } from 'constructs';
import { ArgoCdRelease, ArgoWorkflowsRelease, PolicySuppressions } from '../../src';

/** Argo CD v3.5.1: the images of install.yaml, by digest, and HAProxy (HA installs only) by tag. */
export const ARGOCD_RELEASE = ArgoCdRelease.V3_5_1.withDigests({
  // quay.io/argoproj/argocd:v3.5.1, as Renovate pinned it in credativ/argo-cd-image (Containerfile, commit efe6824)
  argocd: 'sha256:0deb1a1c917629b960ead995ae3b6069450a866992676599658687ef9a641ee8',
  // ghcr.io/dexidp/dex:v2.45.0 and public.ecr.aws/docker/library/redis:8.2.3-alpine, as pinned in
  // HashVelani/homelab-platform (bootstrap/build-argocd.sh, commit d71802f) for Argo CD v3.4.5,
  // whose install.yaml names the same two images
  dex: 'sha256:b8469881d3cb3a73001506f0d3aaefecb9c45d2311c1e0f405d8ac538316c59d',
  redis: 'sha256:08ad0b1d280850169a790dba1393ff7a90aef951fc19632cf4d3ce4f78e679ba',
  // haproxy 3.0.8-alpine: no digest from a source we can name; add it with `crane digest`
});

/**
 * Argo Workflows v4.1.2 by tag: no digest of workflow-controller, argocli or argoexec from a source
 * we can name. Add them: `ArgoWorkflowsRelease.V4_1_2.withDigests({ workflowController, argoCli, argoExec })`
 * with what `crane digest quay.io/argoproj/<image>:v4.1.2` prints.
 */
export const WORKFLOWS_RELEASE = ArgoWorkflowsRelease.V4_1_2;

/**
 * Accepts IMG-DIGEST (a warning) on the Argo Workflows Deployments under `scope`, which run the
 * tag-pinned images above; remove it once WORKFLOWS_RELEASE has digests.
 */
export function acceptTagPinnedWorkflowsImages(scope: IConstruct): void {
  for (const name of ['workflow-controller', 'argo-server']) {
    PolicySuppressions.add(scope, 'IMG-DIGEST', 'Argo Workflows v4.1.2 images pinned by tag: add their digests with crane digest before deploying',
      { kind: 'Deployment', name });
  }
}

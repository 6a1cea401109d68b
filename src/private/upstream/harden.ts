// Hardening applied, as code, to the pod templates of upstream workloads.
import { k8s } from 'cdk8s-plus-28';
import { restrictedContainerSecurityContext } from '../pod-security';

/** How to harden one upstream pod template. */
export interface PodHardening {
  /** The requirements of each container and init container, by container name. */
  readonly resources: (container: string) => Record<string, any>;
  /** The image each container runs, given upstream's reference (`repository:tag`). */
  readonly image: (upstreamReference: string) => string;
  /**
   * Whether the pod mounts a service account token: only pods that call the API server need one.
   */
  readonly automountServiceAccountToken: boolean;
}

/**
 * The hardened copy of an upstream pod spec: the Pod Security Standard "restricted" on the pod
 * and every container (read-only root filesystem, no privilege escalation, every capability
 * dropped, non-root, RuntimeDefault seccomp), requests and limits, pinned images and the
 * service account token only where the pod calls the API. Upstream's user IDs stay (the images
 * are built for them).
 */
export function hardenPodSpec(spec: Record<string, any>, hardening: PodHardening): Record<string, any> {
  const restricted = k8s.toJson_SecurityContext(restrictedContainerSecurityContext())!;
  const container = (c: Record<string, any>) => ({
    ...c,
    image: hardening.image(c.image),
    resources: hardening.resources(c.name),
    securityContext: { ...c.securityContext, ...restricted },
  });
  return {
    ...spec,
    automountServiceAccountToken: hardening.automountServiceAccountToken,
    securityContext: { ...spec.securityContext, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    ...(spec.initContainers ? { initContainers: spec.initContainers.map(container) } : {}),
    containers: spec.containers.map(container),
  };
}

/**
 * Spreads replicas across nodes (and zones where the nodes carry zone labels), as a soft
 * constraint so that a small cluster still schedules them.
 */
export function topologySpread(matchLabels: Record<string, string>): Record<string, any>[] {
  return ['kubernetes.io/hostname', 'topology.kubernetes.io/zone'].map((topologyKey) => ({
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable: 'ScheduleAnyway',
    labelSelector: { matchLabels },
  }));
}

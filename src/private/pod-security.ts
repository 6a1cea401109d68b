import { k8s } from 'cdk8s-plus-28';
import { ContainerResources } from '../core/container-image';

/** The user and group IDs restricted pods run as when a construct does not say otherwise. */
export const DEFAULT_RUN_AS_USER = 65532;

/**
 * The pod security context of the Pod Security Standards "restricted" profile.
 * @internal
 */
export function restrictedPodSecurityContext(runAsUser: number = DEFAULT_RUN_AS_USER): k8s.PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser,
    runAsGroup: runAsUser,
    fsGroup: runAsUser,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/**
 * The container security context of the "restricted" profile, with a read-only root filesystem.
 * @internal
 */
export function restrictedContainerSecurityContext(): k8s.SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    privileged: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/**
 * Resource requirements with requests and limits, as L1 quantities.
 * @internal
 */
export function resourceRequirements(resources: ContainerResources): k8s.ResourceRequirements {
  return {
    requests: { cpu: k8s.Quantity.fromString(resources.cpuRequest), memory: k8s.Quantity.fromString(resources.memoryRequest) },
    limits: { cpu: k8s.Quantity.fromString(resources.cpuLimit), memory: k8s.Quantity.fromString(resources.memoryLimit) },
  };
}

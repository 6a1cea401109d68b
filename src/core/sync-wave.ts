import { ApiObject } from 'cdk8s';

/**
 * Argo CD sync waves, in the order the seed's deployment plan applies resources:
 * namespaces and CRDs first, then identities and RBAC, then storage and secrets, then workloads.
 */
export enum SyncWave {
  /** Namespaces and CustomResourceDefinitions. */
  NAMESPACES_AND_CRDS = 0,
  /** ServiceAccounts, Roles, RoleBindings and policies. */
  SERVICE_ACCOUNTS_AND_RBAC = 1,
  /** PersistentVolumeClaims, ConfigMaps, Secrets and the resources that produce them. */
  STORAGE_AND_SECRETS = 2,
  /** Deployments, Workflows, Applications and other workloads. */
  WORKLOADS = 3,
}

/** The annotation Argo CD reads to order a sync. */
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/** Puts a synthesized object into an Argo CD sync wave. */
export function applySyncWave(obj: ApiObject, wave: SyncWave): void {
  obj.metadata.addAnnotation(SYNC_WAVE_ANNOTATION, String(wave));
}

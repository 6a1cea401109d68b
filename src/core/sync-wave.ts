import { ApiObject } from 'cdk8s';

/**
 * Argo CD sync waves: Argo CD applies a lower wave, and waits for it to be healthy, before the
 * next. Every object this library creates carries one, chosen by its kind:
 *
 * | Wave | Kinds |
 * |------|-------|
 * | 0 `NAMESPACES_AND_CRDS` | Namespace, CustomResourceDefinition |
 * | 1 `SERVICE_ACCOUNTS_AND_RBAC` | ServiceAccount, Role, RoleBinding, ClusterRole, ClusterRoleBinding, NetworkPolicy, ResourceQuota, LimitRange, AppProject |
 * | 2 `STORAGE_AND_SECRETS` | Secret, ConfigMap, PersistentVolumeClaim, SealedSecret, ExternalSecret, SecretStore, ClusterSecretStore, Certificate, Issuer, ClusterIssuer |
 * | 3 `WORKLOADS` | Deployment, StatefulSet, DaemonSet, Job, Service, Ingress, WorkflowTemplate, ClusterWorkflowTemplate, and any other kind |
 * | 4 `APPLICATIONS` | Application, ApplicationSet, CronWorkflow |
 *
 * Why this order: a namespace must exist before anything in it; policies and identities come
 * before the pods they restrict (a pod started before its NetworkPolicy runs unrestricted for a
 * moment); a token Secret must come after its ServiceAccount (the token controller deletes it
 * otherwise); configuration and secrets come before the workloads that mount them; and
 * Applications and CronWorkflows come last, because they deploy or run what the earlier waves
 * prepared. AppProjects come early so that Applications never reference a missing project.
 */
export enum SyncWave {
  /** Namespaces and CustomResourceDefinitions. */
  NAMESPACES_AND_CRDS = 0,
  /** ServiceAccounts, RBAC, NetworkPolicies, quotas and AppProjects. */
  SERVICE_ACCOUNTS_AND_RBAC = 1,
  /** PersistentVolumeClaims, ConfigMaps, Secrets and the resources that produce them. */
  STORAGE_AND_SECRETS = 2,
  /** Deployments, Services, Ingresses, WorkflowTemplates and other workloads. */
  WORKLOADS = 3,
  /** Applications, ApplicationSets and CronWorkflows: they deploy or run what came before. */
  APPLICATIONS = 4,
}

/** The annotation Argo CD reads to order a sync. */
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/** The wave of each kind the library creates; any other kind is a workload. */
const WAVE_BY_KIND: Readonly<Record<string, SyncWave>> = {
  Namespace: SyncWave.NAMESPACES_AND_CRDS,
  CustomResourceDefinition: SyncWave.NAMESPACES_AND_CRDS,
  ServiceAccount: SyncWave.SERVICE_ACCOUNTS_AND_RBAC,
  Role: SyncWave.SERVICE_ACCOUNTS_AND_RBAC,
  RoleBinding: SyncWave.SERVICE_ACCOUNTS_AND_RBAC,
  ClusterRole: SyncWave.SERVICE_ACCOUNTS_AND_RBAC,
  ClusterRoleBinding: SyncWave.SERVICE_ACCOUNTS_AND_RBAC,
  NetworkPolicy: SyncWave.SERVICE_ACCOUNTS_AND_RBAC,
  ResourceQuota: SyncWave.SERVICE_ACCOUNTS_AND_RBAC,
  LimitRange: SyncWave.SERVICE_ACCOUNTS_AND_RBAC,
  AppProject: SyncWave.SERVICE_ACCOUNTS_AND_RBAC,
  Secret: SyncWave.STORAGE_AND_SECRETS,
  ConfigMap: SyncWave.STORAGE_AND_SECRETS,
  PersistentVolumeClaim: SyncWave.STORAGE_AND_SECRETS,
  SealedSecret: SyncWave.STORAGE_AND_SECRETS,
  ExternalSecret: SyncWave.STORAGE_AND_SECRETS,
  SecretStore: SyncWave.STORAGE_AND_SECRETS,
  ClusterSecretStore: SyncWave.STORAGE_AND_SECRETS,
  Certificate: SyncWave.STORAGE_AND_SECRETS,
  Issuer: SyncWave.STORAGE_AND_SECRETS,
  ClusterIssuer: SyncWave.STORAGE_AND_SECRETS,
  Application: SyncWave.APPLICATIONS,
  ApplicationSet: SyncWave.APPLICATIONS,
  CronWorkflow: SyncWave.APPLICATIONS,
};

/** The wave the library gives an object of `kind` (see {@link SyncWave}). */
export function syncWaveForKind(kind: string): SyncWave {
  return WAVE_BY_KIND[kind] ?? SyncWave.WORKLOADS;
}

/** Puts a synthesized object into an Argo CD sync wave. */
export function applySyncWave(obj: ApiObject, wave: SyncWave): void {
  obj.metadata.addAnnotation(SYNC_WAVE_ANNOTATION, String(wave));
}

/** Puts your own objects into the same Argo CD sync waves as the library's objects. */
export class SyncWaves {
  /**
   * Puts a synthesized object into a sync wave.
   * @param obj the object, e.g. a namespace you create yourself
   * @param wave the wave
   */
  public static apply(obj: ApiObject, wave: SyncWave): void {
    applySyncWave(obj, wave);
  }

  private constructor() {}
}

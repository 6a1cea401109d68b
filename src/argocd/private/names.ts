// Names Argo CD gives fixed meanings.

/** The in-cluster API server URL Argo CD registers as the cluster `in-cluster`. */
export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';

/** The finalizer that makes deleting an Application (or AppProject) wait for its resources. */
export const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';

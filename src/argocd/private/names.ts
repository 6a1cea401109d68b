// Names Argo CD gives fixed meanings.

/** The in-cluster API server URL Argo CD registers as the cluster `in-cluster`. */
export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';

/** Namespaces Kubernetes itself runs in: controllers with cluster-wide rights, cluster-wide data. */
export const KUBERNETES_SYSTEM_NAMESPACES = ['kube-system', 'kube-public', 'kube-node-lease'];

/** Kubernetes RBAC: its group and kinds, each of which can grant up to cluster-admin. */
export const RBAC_GROUP = 'rbac.authorization.k8s.io';
export const RBAC_KINDS = ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'];
/** The kinds that steer Argo CD itself, in group `argoproj.io`. */
export const ARGO_CD_KINDS = ['Application', 'ApplicationSet', 'AppProject'];

/** The finalizer that makes deleting an Application (or AppProject) wait for its resources. */
export const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';

/**
 * The Secret argocd-server serves its certificate from (`tls.crt`, `tls.key`). v3.5.1 reads it
 * through its Secret informer and picks up a renewed certificate without a restart.
 */
export const SERVER_TLS_SECRET = 'argocd-server-tls';

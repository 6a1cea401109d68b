// What upstream install.yaml (v3.5.1) puts into argocd-cm besides security settings: the
// ConfigMap SecureArgoCD writes replaces the install's, so these must be kept.

/**
 * `resource.exclusions` of upstream install.yaml (v3.5.1): high-churn kinds the control plane
 * creates. Argo CD's code excludes only events and metrics by itself.
 */
export const UPSTREAM_RESOURCE_EXCLUSIONS = [
  { apiGroups: ['', 'discovery.k8s.io'], kinds: ['Endpoints', 'EndpointSlice'] },
  { apiGroups: ['coordination.k8s.io'], kinds: ['Lease'] },
  {
    apiGroups: ['authentication.k8s.io', 'authorization.k8s.io'],
    kinds: ['SelfSubjectReview', 'TokenReview', 'LocalSubjectAccessReview', 'SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'SubjectAccessReview'],
  },
  { apiGroups: ['certificates.k8s.io'], kinds: ['CertificateSigningRequest'] },
  { apiGroups: ['cert-manager.io'], kinds: ['CertificateRequest'] },
  { apiGroups: ['cilium.io'], kinds: ['CiliumIdentity', 'CiliumEndpoint', 'CiliumEndpointSlice'] },
  {
    apiGroups: ['kyverno.io', 'reports.kyverno.io', 'wgpolicyk8s.io'],
    kinds: ['PolicyReport', 'ClusterPolicyReport', 'EphemeralReport', 'ClusterEphemeralReport', 'AdmissionReport',
      'ClusterAdmissionReport', 'BackgroundScanReport', 'ClusterBackgroundScanReport', 'UpdateRequest'],
  },
];

/**
 * `resource.customizations.ignoreResourceUpdates.<group_kind>` of upstream install.yaml
 * (v3.5.1): changes that must not trigger a reconciliation (status, leader-election and
 * autoscaler annotations), without which the controller reconciles far more often.
 */
export const UPSTREAM_IGNORE_RESOURCE_UPDATES: Record<string, { jsonPointers?: string[]; jqPathExpressions?: string[] }> = {
  'ConfigMap': {
    jqPathExpressions: [
      '.metadata.annotations."cluster-autoscaler.kubernetes.io/last-updated"',
      '.metadata.annotations."control-plane.alpha.kubernetes.io/leader"',
    ],
  },
  'Endpoints': { jsonPointers: ['/metadata', '/subsets'] },
  'all': { jsonPointers: ['/status'] },
  'apps_ReplicaSet': {
    jqPathExpressions: [
      '.metadata.annotations."deployment.kubernetes.io/desired-replicas"',
      '.metadata.annotations."deployment.kubernetes.io/max-replicas"',
      '.metadata.annotations."rollout.argoproj.io/desired-replicas"',
    ],
  },
  'argoproj.io_Application': {
    jqPathExpressions: [
      '.metadata.annotations."notified.notifications.argoproj.io"',
      '.metadata.annotations."argocd.argoproj.io/refresh"',
      '.metadata.annotations."argocd.argoproj.io/hydrate"',
      '.operation',
    ],
  },
  'argoproj.io_Rollout': { jqPathExpressions: ['.metadata.annotations."notified.notifications.argoproj.io"'] },
  'autoscaling_HorizontalPodAutoscaler': {
    jqPathExpressions: [
      '.metadata.annotations."autoscaling.alpha.kubernetes.io/behavior"',
      '.metadata.annotations."autoscaling.alpha.kubernetes.io/conditions"',
      '.metadata.annotations."autoscaling.alpha.kubernetes.io/metrics"',
      '.metadata.annotations."autoscaling.alpha.kubernetes.io/current-metrics"',
    ],
  },
  'discovery.k8s.io_EndpointSlice': { jsonPointers: ['/metadata', '/endpoints', '/ports'] },
};

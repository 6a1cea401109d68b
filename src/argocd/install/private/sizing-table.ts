// Requests and limits per container of the Argo CD install, per sizing preset. The application
// controller and the repo-server carry the load (reconciliation, manifest generation); the
// others stay small at any scale.
import { SizingRow, SizingTable } from '../../../private/upstream/sizing';

function row(cpuRequest: string, cpuLimit: string, memoryRequest: string, memoryLimit: string): SizingRow {
  return { cpuRequest, cpuLimit, memoryRequest, memoryLimit };
}

/** Keys are container names of the upstream manifests; `default` covers init containers. */
export const ARGOCD_SIZING: SizingTable = {
  small: {
    'argocd-application-controller': row('250m', '1', '512Mi', '1Gi'),
    'argocd-repo-server': row('100m', '1', '256Mi', '1Gi'),
    'argocd-server': row('50m', '500m', '128Mi', '256Mi'),
    'argocd-applicationset-controller': row('50m', '250m', '64Mi', '256Mi'),
    'argocd-notifications-controller': row('50m', '250m', '64Mi', '128Mi'),
    'dex': row('20m', '200m', '64Mi', '128Mi'),
    'redis': row('50m', '250m', '64Mi', '256Mi'),
    'haproxy': row('20m', '200m', '64Mi', '128Mi'),
    'sentinel': row('20m', '100m', '32Mi', '64Mi'),
    'default': row('10m', '100m', '32Mi', '64Mi'),
  },
  medium: {
    'argocd-application-controller': row('1', '2', '1Gi', '2Gi'),
    'argocd-repo-server': row('500m', '2', '512Mi', '2Gi'),
    'argocd-server': row('100m', '1', '256Mi', '512Mi'),
    'argocd-applicationset-controller': row('100m', '500m', '128Mi', '512Mi'),
    'argocd-notifications-controller': row('100m', '500m', '128Mi', '256Mi'),
    'dex': row('50m', '250m', '64Mi', '256Mi'),
    'redis': row('100m', '500m', '256Mi', '1Gi'),
    'haproxy': row('50m', '250m', '64Mi', '256Mi'),
    'sentinel': row('20m', '200m', '32Mi', '128Mi'),
    'default': row('10m', '100m', '32Mi', '64Mi'),
  },
  large: {
    'argocd-application-controller': row('2', '4', '4Gi', '8Gi'),
    'argocd-repo-server': row('1', '4', '1Gi', '4Gi'),
    'argocd-server': row('250m', '2', '512Mi', '1Gi'),
    'argocd-applicationset-controller': row('250m', '1', '256Mi', '1Gi'),
    'argocd-notifications-controller': row('100m', '1', '256Mi', '512Mi'),
    'dex': row('100m', '500m', '128Mi', '256Mi'),
    'redis': row('250m', '1', '1Gi', '4Gi'),
    'haproxy': row('100m', '500m', '128Mi', '256Mi'),
    'sentinel': row('50m', '200m', '64Mi', '128Mi'),
    'default': row('10m', '100m', '32Mi', '64Mi'),
  },
};

// Requests and limits of the Argo Workflows install per sizing preset. The controller's load
// grows with running workflows and pods (informers, reconciliation); argo-server's with UI and
// API users. SMALL keeps the values the library used before it owned the install.
import { SizingRow, SizingTable } from '../../../private/upstream/sizing';

function row(cpuRequest: string, cpuLimit: string, memoryRequest: string, memoryLimit: string): SizingRow {
  return { cpuRequest, cpuLimit, memoryRequest, memoryLimit };
}

/** Keys are container names of the upstream manifests. */
export const WORKFLOWS_SIZING: SizingTable = {
  small: {
    'workflow-controller': row('100m', '1', '256Mi', '1Gi'),
    'argo-server': row('100m', '500m', '128Mi', '512Mi'),
  },
  medium: {
    'workflow-controller': row('500m', '2', '1Gi', '2Gi'),
    'argo-server': row('200m', '1', '256Mi', '1Gi'),
  },
  large: {
    'workflow-controller': row('2', '4', '2Gi', '8Gi'),
    'argo-server': row('500m', '2', '512Mi', '2Gi'),
  },
};

// Kubernetes object builders of the workflows folder.
import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { NAMESPACE_NAME_LABEL } from './constants';
import { applySyncWave, SyncWave } from '../../core/sync-wave';
import { sortedRecord } from '../../private/render';

/** The Pod Security Admission labels that enforce, audit and warn on the restricted profile. */
export function restrictedNamespaceLabels(): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const mode of ['audit', 'enforce', 'warn']) {
    labels[`pod-security.kubernetes.io/${mode}`] = 'restricted';
    labels[`pod-security.kubernetes.io/${mode}-version`] = 'v1.28';
  }
  return sortedRecord(labels);
}

/** The name argo-server and the controller look for: `<sa>.service-account-token`. */
export function tokenSecretName(serviceAccount: string): string {
  return `${serviceAccount}.service-account-token`;
}

/**
 * A `kubernetes.io/service-account-token` Secret with no data: Kubernetes fills in the token.
 * Since 1.24 these are no longer created automatically.
 */
export function serviceAccountTokenSecret(scope: Construct, id: string, serviceAccount: string, namespace: string,
  labels: Record<string, string>): ApiObject {
  const secret = new k8s.KubeSecret(scope, id, {
    metadata: {
      name: tokenSecretName(serviceAccount),
      namespace,
      labels,
      annotations: { 'kubernetes.io/service-account.name': serviceAccount },
    },
    type: 'kubernetes.io/service-account-token',
  });
  applySyncWave(secret, SyncWave.STORAGE_AND_SECRETS);
  return secret;
}

/** DNS over UDP and TCP 53 to the cluster DNS pods. */
export function dnsEgressRule(dnsNamespace: string): k8s.NetworkPolicyEgressRule {
  return {
    to: [{
      namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: dnsNamespace } },
      podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
    }],
    ports: [
      { protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) },
      { protocol: 'TCP', port: k8s.IntOrString.fromNumber(53) },
    ],
  };
}

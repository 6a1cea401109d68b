import { Chart, Testing } from 'cdk8s';
import {
  dnsEgressRule, namespaceSelectorFor, networkPolicy, restrictedNamespace, restrictedNamespaceLabels, serviceAccountTokenSecret,
  tcpPorts, tokenSecretName,
} from '../../src/private/kube';

function chart(): Chart {
  return new Chart(Testing.app(), 'test');
}

describe('kube builders', () => {
  test('namespace selector and DNS egress', () => {
    expect(namespaceSelectorFor('kube-system')).toEqual({ matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } });
    const rule = JSON.parse(JSON.stringify(dnsEgressRule('kube-system')));
    expect(rule).toEqual({
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
      ports: [{ protocol: 'UDP', port: { value: 53 } }, { protocol: 'TCP', port: { value: 53 } }],
    });
    expect(JSON.parse(JSON.stringify(dnsEgressRule('dns', { app: 'coredns' }))).to[0].podSelector).toEqual({ matchLabels: { app: 'coredns' } });
    expect(JSON.parse(JSON.stringify(tcpPorts([443, 6443])))).toEqual([{ protocol: 'TCP', port: { value: 443 } }, { protocol: 'TCP', port: { value: 6443 } }]);
  });

  test('restricted namespace with PSA labels, overridable', () => {
    const c = chart();
    restrictedNamespace(c, 'ns', 'team-a', { 'app.kubernetes.io/name': 'team-a' }, { 'pod-security.kubernetes.io/enforce': 'baseline' });
    const [ns] = Testing.synth(c);
    expect(ns.metadata.labels).toEqual({
      ...restrictedNamespaceLabels(),
      'app.kubernetes.io/name': 'team-a',
      'pod-security.kubernetes.io/enforce': 'baseline',
    });
    expect(ns.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('0');
    expect(Object.keys(restrictedNamespaceLabels())).toHaveLength(6);
  });

  test('service account token Secret', () => {
    const c = chart();
    serviceAccountTokenSecret(c, 'token', 'argo-server', 'argo', { a: 'b' });
    const [secret] = Testing.synth(c);
    expect(tokenSecretName('argo-server')).toBe('argo-server.service-account-token');
    expect(secret).toMatchObject({
      kind: 'Secret',
      type: 'kubernetes.io/service-account-token',
      metadata: { name: 'argo-server.service-account-token', namespace: 'argo', annotations: { 'kubernetes.io/service-account.name': 'argo-server', 'argocd.argoproj.io/sync-wave': '2' } },
    });
    expect(secret.data).toBeUndefined();
  });

  test('NetworkPolicy in the RBAC and policies wave', () => {
    const c = chart();
    networkPolicy(c, 'np', { name: 'deny', namespace: 'argo', labels: { a: 'b' }, spec: { podSelector: {}, policyTypes: ['Ingress'] } });
    const [np] = Testing.synth(c);
    expect(np).toMatchObject({ kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'argo', annotations: { 'argocd.argoproj.io/sync-wave': '1' } } });
  });
});

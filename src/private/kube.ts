// Builders for Kubernetes objects shared by every folder: RBAC, namespaces with Pod Security
// Admission labels, service account token Secrets and NetworkPolicies.
import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { sortedRecord } from './render';
import { applySyncWave, SyncWave } from '../core/sync-wave';

/** Access to grant a workflow's service account. */
export interface ReadGrant {
  readonly apiGroup: string;
  readonly resources: string[];
  readonly namespace?: string;
  readonly resourceNames?: string[];
  readonly verbs: string[];
}

/** RBAC rules for grants, merged where group, verbs and names agree, in a stable order. */
export function grantRules(grants: ReadGrant[]): k8s.PolicyRule[] {
  const merged = new Map<string, { apiGroup: string; verbs: string[]; resourceNames?: string[]; resources: Set<string> }>();
  for (const g of grants) {
    const verbs = [...new Set(g.verbs)].sort();
    const names = g.resourceNames ? [...new Set(g.resourceNames)].sort() : undefined;
    const key = JSON.stringify([g.apiGroup, verbs, names ?? null]);
    const entry = merged.get(key) ?? { apiGroup: g.apiGroup, verbs, resourceNames: names, resources: new Set<string>() };
    g.resources.forEach((r) => entry.resources.add(r));
    merged.set(key, entry);
  }
  return [...merged.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, e]) => ({
    apiGroups: [e.apiGroup],
    resources: [...e.resources].sort(),
    ...(e.resourceNames ? { resourceNames: e.resourceNames } : {}),
    verbs: e.verbs,
  }));
}

/** Options for {@link boundRole}. */
export interface BoundRoleOptions {
  readonly roleId: string;
  readonly bindingId: string;
  /** The name of both the Role and the RoleBinding. */
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly rules: k8s.PolicyRule[];
  readonly subjects: k8s.Subject[];
}

/**
 * Creates a Role and the RoleBinding that grants it to `subjects` (none when there are no
 * subjects), in the RBAC sync wave.
 * @returns the Role
 */
export function boundRole(scope: Construct, options: BoundRoleOptions): ApiObject {
  const { name, namespace, labels } = options;
  const role = new k8s.KubeRole(scope, options.roleId, { metadata: { name, namespace, labels }, rules: options.rules });
  applySyncWave(role, SyncWave.SERVICE_ACCOUNTS_AND_RBAC);
  if (options.subjects.length === 0) return role;
  const binding = new k8s.KubeRoleBinding(scope, options.bindingId, {
    metadata: { name, namespace, labels },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
    subjects: options.subjects,
  });
  applySyncWave(binding, SyncWave.SERVICE_ACCOUNTS_AND_RBAC);
  return role;
}

/** The label Kubernetes sets on every namespace to its own name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** A selector for the namespace named `namespace`. */
export function namespaceSelectorFor(namespace: string): k8s.LabelSelector {
  return { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } };
}

/** The labels of the cluster DNS pods in most distributions. */
export const DEFAULT_DNS_POD_LABELS: Readonly<Record<string, string>> = { 'k8s-app': 'kube-dns' };

/** DNS over UDP and TCP 53 to the cluster DNS pods (`k8s-app: kube-dns` unless told otherwise). */
export function dnsEgressRule(dnsNamespace: string,
  dnsPodLabels: Record<string, string> = { ...DEFAULT_DNS_POD_LABELS }): k8s.NetworkPolicyEgressRule {
  return {
    to: [{ namespaceSelector: namespaceSelectorFor(dnsNamespace), podSelector: { matchLabels: dnsPodLabels } }],
    ports: [
      { protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) },
      { protocol: 'TCP', port: k8s.IntOrString.fromNumber(53) },
    ],
  };
}

/** NetworkPolicy ports for TCP port numbers. */
export function tcpPorts(ports: number[]): k8s.NetworkPolicyPort[] {
  return ports.map((port) => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) }));
}

/** Options for {@link networkPolicy}. */
export interface NetworkPolicyOptions {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly spec: k8s.NetworkPolicySpec;
}

/** A NetworkPolicy, in the RBAC and policies sync wave (before the pods it restricts). */
export function networkPolicy(scope: Construct, id: string, options: NetworkPolicyOptions): ApiObject {
  const policy = new k8s.KubeNetworkPolicy(scope, id, {
    metadata: { name: options.name, namespace: options.namespace, labels: options.labels },
    spec: options.spec,
  });
  applySyncWave(policy, SyncWave.SERVICE_ACCOUNTS_AND_RBAC);
  return policy;
}

/** The Pod Security Admission labels that enforce, audit and warn on the restricted profile (v1.28). */
export function restrictedNamespaceLabels(): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const mode of ['audit', 'enforce', 'warn']) {
    labels[`pod-security.kubernetes.io/${mode}`] = 'restricted';
    labels[`pod-security.kubernetes.io/${mode}-version`] = 'v1.28';
  }
  return sortedRecord(labels);
}

/**
 * A namespace that enforces the restricted Pod Security Standard, in the first sync wave.
 * `extraLabels` come last and may override a PSA label (e.g. a weaker `enforce` level).
 */
export function restrictedNamespace(scope: Construct, id: string, name: string, labels: Record<string, string>,
  extraLabels: Record<string, string> = {}): ApiObject {
  const ns = new k8s.KubeNamespace(scope, id, {
    metadata: { name, labels: { ...labels, ...restrictedNamespaceLabels(), ...extraLabels } },
  });
  applySyncWave(ns, SyncWave.NAMESPACES_AND_CRDS);
  return ns;
}

/** The name argo-server and the controller look for: `<sa>.service-account-token`. */
export function tokenSecretName(serviceAccount: string): string {
  return `${serviceAccount}.service-account-token`;
}

/**
 * A `kubernetes.io/service-account-token` Secret with no data: Kubernetes fills in the token.
 * Since 1.24 these are no longer created automatically. It comes a wave after its service
 * account: the token controller deletes a token Secret whose account does not exist yet.
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

/**
 * The `kubernetes` Service's ClusterIP in common distributions' default service ranges (kubeadm,
 * kind, k3s, AKS, EKS, MicroK8s, Kubespray, GKE): never an API server endpoint.
 */
const KUBERNETES_SERVICE_IPS = ['10.96.0.1', '10.43.0.1', '10.0.0.1', '10.100.0.1', '172.20.0.1', '10.152.183.1', '10.233.0.1', '34.118.224.1'];

/**
 * Why `cidr` with `ports` looks like the `kubernetes` Service (ClusterIP:443) rather than the API
 * server's endpoints, or undefined. NetworkPolicies match traffic after kube-proxy (or the CNI)
 * translated the Service address to an endpoint, so a policy for the ClusterIP allows nothing.
 */
export function kubernetesServiceAddressProblem(cidr: string, ports: readonly number[]): string | undefined {
  const address = cidr.replace(/\/32$/, '');
  if (!KUBERNETES_SERVICE_IPS.includes(address) || !ports.includes(443) || ports.includes(6443)) return undefined;
  return `'${cidr}' port 443 looks like the kubernetes Service's ClusterIP, but NetworkPolicies see the API server's endpoint address and port `
    + "after the Service is translated: give the addresses and port of 'kubectl get endpoints kubernetes -n default' (e.g. 172.18.0.2/32 and 6443)";
}

// What Argo CD's pods need to dial its destination clusters. In v3.5.1 only the application
// controller (watch, sync) and argocd-server (resource views, logs, actions, exec) build clients
// for a destination cluster; the ApplicationSet controller only reads cluster Secrets. With a
// cloud identity, `argocd-k8s-auth` in those two pods first gets credentials from the cloud:
// their service accounts (and, for Azure, pods) are marked for the cloud's webhook or metadata
// server, and their egress reaches the endpoints of that exchange. Each ArgoCdDestinationCluster
// registers what it needs; the install of the same namespace applies it at synth.
import { k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { appRegistry } from '../../private/app-registry';
import { tcpPorts } from '../../private/kube';
import { publicEgress } from '../../private/upstream/network';
import { quoted } from '../../private/validate';

/** The Argo CD components that dial destination clusters (their pod label `app.kubernetes.io/name`). */
export const DIALING_COMPONENTS = ['argocd-application-controller', 'argocd-server'];

/** How the dialing pods get a cloud identity. */
export interface PodIdentity {
  /** The platform Argo CD runs on for this identity, or `undefined` when it works on any cluster. */
  readonly platform?: 'EKS' | 'GKE';
  /** The cloud, for messages. */
  readonly cloud: string;
  /** The one choice every cluster of this cloud must share (annotations go on the shared service accounts). */
  readonly choice: string;
  /** The credentials property that makes the choice, for messages. */
  readonly property: string;
  readonly serviceAccountAnnotations: Record<string, string>;
  readonly podLabels: Record<string, string>;
  readonly egress: k8s.NetworkPolicyEgressRule[];
}

/**
 * EKS: IRSA when a role is given (the service accounts are annotated; STS on public 443 for
 * AssumeRoleWithWebIdentity and the AssumeRole of the cluster's role), else EKS Pod Identity
 * (no annotation; the agent on the node's link-local address, then STS for the AssumeRole).
 */
export function eksIdentity(irsaRoleArn: string | undefined): PodIdentity {
  const sts = publicEgress([443]);
  return {
    platform: 'EKS',
    cloud: 'AWS',
    choice: irsaRoleArn === undefined ? 'EKS Pod Identity' : `IRSA role ${quoted(irsaRoleArn)}`,
    property: 'irsaRoleArn',
    serviceAccountAnnotations: irsaRoleArn === undefined ? {} : { 'eks.amazonaws.com/role-arn': irsaRoleArn },
    podLabels: {},
    egress: irsaRoleArn === undefined
      ? [{ to: [{ ipBlock: { cidr: '169.254.170.23/32' } }, { ipBlock: { cidr: 'fd00:ec2::23/128' } }], ports: tcpPorts([80]) }, sts]
      : [sts],
  };
}

/**
 * GKE Workload Identity Federation, impersonating a Google service account: `argocd-k8s-auth gcp`
 * takes its token from the metadata address, which GKE's metadata server answers (it exchanges
 * the tokens itself, so the pods call no Google endpoint); on Dataplane V2 that server listens on
 * 169.254.169.252:988.
 */
export function gkeIdentity(serviceAccountEmail: string): PodIdentity {
  return {
    platform: 'GKE',
    cloud: 'Google Cloud',
    choice: `Google service account ${quoted(serviceAccountEmail)}`,
    property: 'serviceAccountEmail',
    serviceAccountAnnotations: { 'iam.gke.io/gcp-service-account': serviceAccountEmail },
    podLabels: {},
    egress: [
      { to: [{ ipBlock: { cidr: '169.254.169.254/32' } }], ports: tcpPorts([80]) },
      { to: [{ ipBlock: { cidr: '169.254.169.252/32' } }], ports: tcpPorts([988]) },
    ],
  };
}

/**
 * Microsoft Entra Workload ID: the webhook injects the federated token into labelled pods, and
 * kubelogin exchanges it at the Entra login endpoint (public 443). Works on any cluster whose
 * issuer the identity trusts.
 */
export function aksIdentity(clientId: string, tenantId: string): PodIdentity {
  return {
    cloud: 'Azure',
    choice: `identity ${quoted(clientId)} of tenant ${quoted(tenantId)}`,
    property: 'clientId',
    serviceAccountAnnotations: { 'azure.workload.identity/client-id': clientId, 'azure.workload.identity/tenant-id': tenantId },
    podLabels: { 'azure.workload.identity/use': 'true' },
    egress: [publicEgress([443])],
  };
}

/** One registered destination cluster. */
export interface DialedCluster {
  readonly scope: IConstruct;
  /** Argo CD's namespace (where its cluster Secret goes). */
  readonly namespace: string;
  readonly server: string;
  readonly identity?: PodIdentity;
}

function registry(scope: IConstruct): DialedCluster[] {
  return appRegistry<DialedCluster>(scope, 'dialedClusters');
}

/** Records a destination cluster of the app. */
export function registerDialedCluster(cluster: DialedCluster): void {
  registry(cluster.scope).push(cluster);
}

/** The destination clusters of the app of `scope` registered with Argo CD in `namespace`. */
export function dialedClustersOf(scope: IConstruct, namespace: string): DialedCluster[] {
  return registry(scope).filter((c) => c.namespace === namespace);
}

/**
 * Egress to the API server when its URL names an address. A host name cannot be matched by a
 * NetworkPolicy: its addresses go into `networkPolicies.managedClusters`.
 */
export function apiServerEgress(server: string): k8s.NetworkPolicyEgressRule | undefined {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    return undefined; // refused by the cluster's own check
  }
  const host = url.hostname;
  const cidr = /^\d{1,3}(\.\d{1,3}){3}$/.test(host) ? `${host}/32` : host.startsWith('[') ? `${host.slice(1, -1)}/128` : undefined;
  return cidr === undefined ? undefined : { to: [{ ipBlock: { cidr } }], ports: tcpPorts([Number(url.port || 443)]) };
}

/** A loopback or link-local API server address would open the node or the cloud metadata service instead. */
export function apiServerAddressProblem(server: string): string | undefined {
  const rule = apiServerEgress(server);
  const cidr = rule?.to?.[0].ipBlock?.cidr ?? '';
  return /^(127\.|169\.254\.|::1\/|fe[89ab][0-9a-f]:)/i.test(cidr)
    ? `${quoted(server)} is a loopback or link-local address (169.254.169.254 is the cloud metadata service), never a remote API server: use the cluster's API address`
    : undefined;
}

/** What the install applies to the dialing components' service accounts, pods and egress. */
export interface DialingNeeds {
  readonly serviceAccountAnnotations: Record<string, string>;
  readonly podLabels: Record<string, string>;
  readonly egress: k8s.NetworkPolicyEgressRule[];
  /** Clusters whose identity the shared service accounts cannot also have. */
  readonly problems: string[];
}

/**
 * Merges the clusters' needs. The controller and argocd-server have one service account each, so
 * they act as one identity per cloud, and run on one platform: clusters that disagree are refused.
 */
export function dialingNeeds(clusters: DialedCluster[]): DialingNeeds {
  const annotations: Record<string, string> = {};
  const labels: Record<string, string> = {};
  const egress = new Map<string, k8s.NetworkPolicyEgressRule>();
  const problems: string[] = [];
  const chosen = new Map<string, DialedCluster>();
  let platform: DialedCluster | undefined;
  for (const cluster of clusters) {
    const where = `${cluster.scope.constructor.name} '${cluster.scope.node.path}'`;
    const identity = cluster.identity;
    const apiRule = apiServerEgress(cluster.server);
    if (apiRule) egress.set(JSON.stringify(apiRule), apiRule);
    if (identity === undefined) continue;
    const first = chosen.get(identity.cloud);
    if (first !== undefined && first.identity!.choice !== identity.choice) {
      problems.push(`${where}: credentials.${identity.property}: Argo CD's application controller and argocd-server act as one ${identity.cloud} `
        + `identity, ${first.identity!.choice} (set by '${first.scope.node.path}'), not ${identity.choice}: use the same for every cluster`);
      continue;
    }
    if (identity.platform !== undefined && platform !== undefined && platform.identity!.platform !== identity.platform) {
      problems.push(`${where}: credentials: ${identity.platform} workload identity needs Argo CD to run on ${identity.platform}, but `
        + `'${platform.scope.node.path}' needs it on ${platform.identity!.platform}: reach one of them with Azure Workload ID or a service account token`);
      continue;
    }
    chosen.set(identity.cloud, cluster);
    if (identity.platform !== undefined) platform ??= cluster;
    Object.assign(annotations, identity.serviceAccountAnnotations);
    Object.assign(labels, identity.podLabels);
    for (const rule of identity.egress) egress.set(JSON.stringify(rule), rule);
  }
  return { serviceAccountAnnotations: annotations, podLabels: labels, egress: [...egress.values()], problems };
}

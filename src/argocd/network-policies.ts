import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { LABEL_NAME, standardLabels } from '../core/labels';
import { reasonProblem, recordAcceptedRisk } from '../private/accepted-risks';
import { broadCidrsProblem, untrustedEgressBlock } from '../private/cidr';
import { deferredChecks, invalid } from '../private/errors';
import { DEFAULT_DNS_POD_LABELS, dnsEgressRule, kubernetesServiceAddressProblem, namespaceSelectorFor, networkPolicy, tcpPorts } from '../private/kube';
import { registerLibraryConstruct } from '../private/stamp';
import { publicEgress } from '../private/upstream/network';
import { cidrProblem, labelKeyProblem, labelValueProblem, portProblem, quoted, requireDns1123Label } from '../private/validate';
import type { Acknowledgement } from '../secrets/acknowledgement';

/** The Argo CD components, named by their upstream pod label `app.kubernetes.io/name`. */
export enum ArgoCdComponent {
  /** The API server and UI. */
  SERVER = 'argocd-server',
  /** The repository server, which renders manifests from Git, Helm and OCI sources. */
  REPO_SERVER = 'argocd-repo-server',
  /** The application controller, which syncs applications to clusters. */
  APPLICATION_CONTROLLER = 'argocd-application-controller',
  /** The Redis cache. */
  REDIS = 'argocd-redis',
  /** The bundled Dex identity broker. */
  DEX_SERVER = 'argocd-dex-server',
  /** The notifications controller. */
  NOTIFICATIONS_CONTROLLER = 'argocd-notifications-controller',
  /** The ApplicationSet controller. */
  APPLICATIONSET_CONTROLLER = 'argocd-applicationset-controller',
}

/**
 * Destinations of components that render untrusted content (the repo-server runs Helm, Kustomize
 * and plugins on repository content; ApplicationSet SCM generators and notification templates
 * call URLs others write): their CIDRs never include loopback, link-local, metadata or, when
 * wider, private ranges.
 */
const UNTRUSTED_DESTINATIONS = ['repositoryHosts', 'scmProviderHosts', 'notificationTargets'];

/** Addresses outside the cluster's pod network, reached over TCP. */
export interface NetworkDestination {
  /** CIDR blocks, IPv4 or IPv6, with a prefix length, e.g. `140.82.112.0/20`. */
  readonly cidrs: string[];
  /** TCP ports, 1-65535. */
  readonly ports: number[];
}

/** Everything {@link ArgoCdNetworkPolicies} needs except the namespace. */
export interface ArgoCdNetworkPoliciesOptions {
  /**
   * The Kubernetes API server's endpoint addresses and port. Network policies apply after the
   * `kubernetes.default` Service is translated to its endpoints, so give the endpoint IPs and
   * port (`kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes`),
   * often port 6443, not the Service's 443.
   */
  readonly kubernetesApi: NetworkDestination;
  /**
   * The namespace of the ingress controller that forwards traffic to argocd-server.
   * @default 'ingress-nginx'
   */
  readonly ingressControllerNamespace?: string;
  /**
   * The namespace of the monitoring system allowed to scrape the components' metrics ports.
   * @default - no metrics port is reachable
   */
  readonly monitoringNamespace?: string;
  /**
   * The namespace of the cluster DNS pods.
   * @default 'kube-system'
   */
  readonly dnsNamespace?: string;
  /**
   * The labels of the cluster DNS pods.
   * @default { 'k8s-app': 'kube-dns' } (CoreDNS and kube-dns on most distributions)
   */
  readonly dnsPodLabels?: { [key: string]: string };
  /**
   * Git, Helm and OCI hosts the repo-server fetches from (and anything its plugins reach, such
   * as Vault for the vault plugin). The repo-server renders untrusted content: a block inside
   * loopback, link-local (169.254.169.254) or a cloud metadata address is refused, and a wider
   * block leaves those and the private ranges it covers out (`except`), as
   * `allowAnyRepositoryHost` does. The same holds for `scmProviderHosts` and `notificationTargets`.
   * @default - none
   */
  readonly repositoryHosts?: NetworkDestination[];
  /**
   * Lets the repo-server reach any public address on TCP 443, for users who cannot list their
   * repository hosts. Private (RFC 1918), carrier-grade NAT, loopback and link-local addresses
   * (the cloud metadata service) stay closed, IPv4 and IPv6. The reason is recorded on the
   * repo-server's NetworkPolicy.
   * @default - the repo-server reaches only `repositoryHosts`
   */
  readonly allowAnyRepositoryHost?: Acknowledgement;
  /**
   * SCM provider APIs the ApplicationSet controller's SCM provider and pull request generators
   * call (e.g. api.github.com).
   * @default - none
   */
  readonly scmProviderHosts?: NetworkDestination[];
  /**
   * Identity providers reached by argocd-server (OIDC issuer) and Dex (its connectors: GitHub,
   * LDAP, SAML, OIDC).
   * @default - none
   */
  readonly identityProviders?: NetworkDestination[];
  /**
   * Webhook and chat services the notifications controller sends to.
   * @default - none
   */
  readonly notificationTargets?: NetworkDestination[];
  /**
   * API servers of remote clusters Argo CD deploys to, reached by the application controller
   * and argocd-server. In SecureArgoCD, the servers of ArgoCdDestinationClusters given by
   * address (and the endpoints of their cloud identities) are opened without this: list the
   * addresses of servers given by host name.
   * @default - only the local cluster (and, in SecureArgoCD, the destination clusters given by address)
   */
  readonly managedClusters?: NetworkDestination[];
  /**
   * Opens the ApplicationSet controller's webhook port (7000) to the ingress controller.
   * @default false
   */
  readonly applicationSetWebhook?: boolean;
  /**
   * Components that get no policy from this construct (the namespace-wide default deny still
   * applies to them: write your own policy for each component you exclude).
   * @default - every component gets a policy
   */
  readonly excludeComponents?: ArgoCdComponent[];
}

/** Props for {@link ArgoCdNetworkPolicies}. */
export interface ArgoCdNetworkPoliciesProps extends ArgoCdNetworkPoliciesOptions {
  /** The namespace Argo CD runs in. */
  readonly namespace: string;
  /**
   * Whether the ingress controller may reach argocd-server. SecureArgoCD turns it off when
   * argocd-server is exposed through a Gateway, whose proxies its exposure admits instead.
   * @default true
   */
  readonly ingressControllerReachesServer?: boolean;
}

const COMPONENT_ORDER: ArgoCdComponent[] = [
  ArgoCdComponent.SERVER,
  ArgoCdComponent.REPO_SERVER,
  ArgoCdComponent.APPLICATION_CONTROLLER,
  ArgoCdComponent.REDIS,
  ArgoCdComponent.DEX_SERVER,
  ArgoCdComponent.NOTIFICATIONS_CONTROLLER,
  ArgoCdComponent.APPLICATIONSET_CONTROLLER,
];

/** Metrics ports, from upstream install.yaml v3.5.1 (Redis has none in the non-HA install). */
const METRICS_PORT: { [component: string]: number } = {
  [ArgoCdComponent.SERVER]: 8083,
  [ArgoCdComponent.REPO_SERVER]: 8084,
  [ArgoCdComponent.APPLICATION_CONTROLLER]: 8082,
  [ArgoCdComponent.DEX_SERVER]: 5558,
  [ArgoCdComponent.NOTIFICATIONS_CONTROLLER]: 9001,
  [ArgoCdComponent.APPLICATIONSET_CONTROLLER]: 8080,
};

const SERVER_PORT = 8080;
const REPO_SERVER_PORT = 8081;
const REDIS_PORT = 6379;
const DEX_HTTP_PORT = 5556;
const DEX_GRPC_PORT = 5557;
const APPLICATIONSET_WEBHOOK_PORT = 7000;

/** Every component that calls the repo-server (notifications renders `repo.*` template functions through it). */
const REPO_SERVER_CLIENTS = [
  ArgoCdComponent.SERVER,
  ArgoCdComponent.APPLICATION_CONTROLLER,
  ArgoCdComponent.NOTIFICATIONS_CONTROLLER,
  ArgoCdComponent.APPLICATIONSET_CONTROLLER,
];
const REDIS_CLIENTS = [ArgoCdComponent.SERVER, ArgoCdComponent.REPO_SERVER, ArgoCdComponent.APPLICATION_CONTROLLER];
/** Redis needs the API for its `secret-init` init container, which creates the Redis password Secret. */
const API_CLIENTS = [
  ArgoCdComponent.SERVER,
  ArgoCdComponent.APPLICATION_CONTROLLER,
  ArgoCdComponent.REDIS,
  ArgoCdComponent.DEX_SERVER,
  ArgoCdComponent.NOTIFICATIONS_CONTROLLER,
  ArgoCdComponent.APPLICATIONSET_CONTROLLER,
];


/**
 * NetworkPolicies for every Argo CD component, ingress and egress: a namespace-wide default
 * deny, then one policy per component that allows exactly the paths Argo CD uses.
 *
 * The policies carry the upstream names (`argocd-server-network-policy`, ...) so that they
 * replace the ingress-only policies of upstream `install.yaml` (policies add up: upstream's
 * `argocd-server-network-policy` admits all traffic and would otherwise stay in force).
 */
export class ArgoCdNetworkPolicies extends Construct {
  /** The namespace the policies apply to. */
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: ArgoCdNetworkPoliciesProps) {
    super(scope, id);
    registerLibraryConstruct(this, 'argocd');
    this.namespace = requireDns1123Label(this, 'namespace', props.namespace);
    const ingressNamespace = requireDns1123Label(this, 'ingressControllerNamespace', props.ingressControllerNamespace ?? 'ingress-nginx');
    const monitoringNamespace = props.monitoringNamespace === undefined
      ? undefined : requireDns1123Label(this, 'monitoringNamespace', props.monitoringNamespace);
    const dnsNamespace = requireDns1123Label(this, 'dnsNamespace', props.dnsNamespace ?? 'kube-system');
    const dnsPodLabels = this.checkLabels('dnsPodLabels', props.dnsPodLabels ?? { ...DEFAULT_DNS_POD_LABELS });

    if (props.kubernetesApi === undefined) {
      invalid(this, 'kubernetesApi', 'is required: give the API server endpoint CIDRs and port (it cannot be selected by labels)');
    }
    const api = this.checkDestinations('kubernetesApi', [props.kubernetesApi]);
    const repositoryHosts = this.checkDestinations('repositoryHosts', props.repositoryHosts ?? []);
    const scmProviderHosts = this.checkDestinations('scmProviderHosts', props.scmProviderHosts ?? []);
    const identityProviders = this.checkDestinations('identityProviders', props.identityProviders ?? []);
    const notificationTargets = this.checkDestinations('notificationTargets', props.notificationTargets ?? []);
    const managedClusters = this.checkDestinations('managedClusters', props.managedClusters ?? []);

    const excluded = new Set(props.excludeComponents ?? []);
    for (const component of excluded) {
      if (!COMPONENT_ORDER.includes(component)) {
        invalid(this, 'excludeComponents', `${quoted(component)} is not an Argo CD component: use ArgoCdComponent values`);
      }
    }

    const fromIngressController: k8s.NetworkPolicyPeer = namespacePeer(ingressNamespace);
    const dns = dnsEgressRule(dnsNamespace, dnsPodLabels);

    const ingress = (component: ArgoCdComponent): k8s.NetworkPolicyIngressRule[] => {
      const rules: k8s.NetworkPolicyIngressRule[] = [];
      switch (component) {
        case ArgoCdComponent.SERVER:
          if (props.ingressControllerReachesServer ?? true) rules.push({ from: [fromIngressController], ports: tcpPorts([SERVER_PORT]) });
          break;
        case ArgoCdComponent.REPO_SERVER:
          rules.push({ from: REPO_SERVER_CLIENTS.map(podPeer), ports: tcpPorts([REPO_SERVER_PORT]) });
          break;
        case ArgoCdComponent.REDIS:
          rules.push({ from: REDIS_CLIENTS.map(podPeer), ports: tcpPorts([REDIS_PORT]) });
          break;
        case ArgoCdComponent.DEX_SERVER:
          rules.push({ from: [podPeer(ArgoCdComponent.SERVER)], ports: tcpPorts([DEX_HTTP_PORT, DEX_GRPC_PORT]) });
          break;
        case ArgoCdComponent.APPLICATIONSET_CONTROLLER:
          if (props.applicationSetWebhook) {
            rules.push({ from: [fromIngressController], ports: tcpPorts([APPLICATIONSET_WEBHOOK_PORT]) });
          }
          break;
        default:
          break;
      }
      const metricsPort = METRICS_PORT[component];
      if (monitoringNamespace !== undefined && metricsPort !== undefined) {
        rules.push({ from: [namespacePeer(monitoringNamespace)], ports: tcpPorts([metricsPort]) });
      }
      return rules;
    };

    const egress = (component: ArgoCdComponent): k8s.NetworkPolicyEgressRule[] => {
      const rules: k8s.NetworkPolicyEgressRule[] = [];
      if (component !== ArgoCdComponent.REDIS) rules.push(dns);
      if (API_CLIENTS.includes(component)) rules.push(...api);
      if (REPO_SERVER_CLIENTS.includes(component)) {
        rules.push({ to: [podPeer(ArgoCdComponent.REPO_SERVER)], ports: tcpPorts([REPO_SERVER_PORT]) });
      }
      if (REDIS_CLIENTS.includes(component)) {
        rules.push({ to: [podPeer(ArgoCdComponent.REDIS)], ports: tcpPorts([REDIS_PORT]) });
      }
      switch (component) {
        case ArgoCdComponent.SERVER:
          rules.push({ to: [podPeer(ArgoCdComponent.DEX_SERVER)], ports: tcpPorts([DEX_HTTP_PORT, DEX_GRPC_PORT]) });
          rules.push(...identityProviders, ...managedClusters);
          break;
        case ArgoCdComponent.REPO_SERVER:
          rules.push(...repositoryHosts);
          // Public addresses only: never the cluster's, private networks or the metadata service.
          if (props.allowAnyRepositoryHost !== undefined) rules.push(publicEgress([443]));
          break;
        case ArgoCdComponent.APPLICATION_CONTROLLER:
          rules.push(...managedClusters);
          break;
        case ArgoCdComponent.DEX_SERVER:
          rules.push(...identityProviders);
          break;
        case ArgoCdComponent.NOTIFICATIONS_CONTROLLER:
          rules.push(...notificationTargets);
          break;
        case ArgoCdComponent.APPLICATIONSET_CONTROLLER:
          rules.push(...scmProviderHosts);
          break;
        default:
          break;
      }
      return rules;
    };

    networkPolicy(this, 'default-deny', {
      name: 'argocd-default-deny',
      namespace: this.namespace,
      labels: standardLabels({ name: 'argocd-default-deny', partOf: 'argocd' }),
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });

    const anyHost = props.allowAnyRepositoryHost;
    const anyHostReason = anyHost !== undefined
      && deferredChecks(this).check('allowAnyRepositoryHost.reason', reasonProblem(anyHost?.reason, 'why the repo-server may reach any public host'))
      ? anyHost.reason : undefined;
    for (const component of COMPONENT_ORDER) {
      if (excluded.has(component)) continue;
      const ingressRules = ingress(component);
      const egressRules = egress(component);
      const policy = networkPolicy(this, component, {
        name: `${component}-network-policy`,
        namespace: this.namespace,
        labels: standardLabels({ name: component, partOf: 'argocd' }),
        spec: {
          podSelector: { matchLabels: { [LABEL_NAME]: component } },
          policyTypes: ['Ingress', 'Egress'],
          ingress: ingressRules.length > 0 ? ingressRules : undefined,
          egress: egressRules.length > 0 ? egressRules : undefined,
        },
      });
      if (component === ArgoCdComponent.REPO_SERVER && anyHostReason !== undefined) recordAcceptedRisk(policy, 'allowAnyRepositoryHost', anyHostReason);
    }
  }

  private checkDestinations(property: string, destinations: NetworkDestination[]): k8s.NetworkPolicyEgressRule[] {
    // One component's blocks add up: together they must not admit (nearly) every address.
    const all = destinations.flatMap((d) => d.cidrs ?? []);
    if (!all.some((cidr) => /\/0*0$/.test(cidr))) deferredChecks(this).check(property, broadCidrsProblem(all));
    return destinations.map((destination, i) => {
      const where = property === 'kubernetesApi' ? property : `${property}[${i}]`;
      if (!destination.cidrs || destination.cidrs.length === 0) {
        invalid(this, `${where}.cidrs`, 'is empty: list at least one CIDR block');
      }
      if (!destination.ports || destination.ports.length === 0) {
        invalid(this, `${where}.ports`, 'is empty: list at least one TCP port');
      }
      const checks = deferredChecks(this);
      destination.cidrs.forEach((cidr, j) => checks.check(`${where}.cidrs[${j}]`, cidrProblem(cidr) ?? (Number(cidr.slice(cidr.indexOf('/') + 1)) === 0
        // A /0 here would open a component to every host.
        ? `${quoted(cidr)} matches every address: list the hosts' own CIDR blocks (for the repo-server, 'allowAnyRepositoryHost' with a reason is the explicit opt-in to any host on 443)`
        : undefined)));
      destination.ports.forEach((port, j) => checks.check(`${where}.ports[${j}]`, portProblem(port)));
      if (property === 'kubernetesApi') destination.cidrs.forEach((cidr, j) => checks.check(`${where}.cidrs[${j}]`, kubernetesServiceAddressProblem(cidr, destination.ports)));
      const untrusted = UNTRUSTED_DESTINATIONS.includes(property);
      const blocks = destination.cidrs.map((cidr) => (untrusted ? untrustedEgressBlock(cidr) : { cidr }));
      blocks.forEach((block, j) => checks.check(`${where}.cidrs[${j}]`, block.problem));
      return { to: blocks.map(({ cidr, except }) => ({ ipBlock: { cidr, except } })), ports: tcpPorts(destination.ports) };
    });
  }

  private checkLabels(property: string, labels: { [key: string]: string }): { [key: string]: string } {
    const keys = Object.keys(labels).sort();
    if (keys.length === 0) invalid(this, property, 'is empty: give at least one label, or every pod would match');
    const out: { [key: string]: string } = {};
    for (const key of keys) {
      deferredChecks(this).check(`${property}[${quoted(key)}]`, labelKeyProblem(key) ?? labelValueProblem(labels[key]));
      out[key] = labels[key];
    }
    return out;
  }
}

function podPeer(component: ArgoCdComponent): k8s.NetworkPolicyPeer {
  return { podSelector: { matchLabels: { [LABEL_NAME]: component } } };
}

function namespacePeer(namespace: string): k8s.NetworkPolicyPeer {
  return { namespaceSelector: namespaceSelectorFor(namespace) };
}

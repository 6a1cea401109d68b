// The one way the library exposes a server (argocd-server, argo-server): an ingress-nginx Ingress
// or Gateway API routes, TLS to the backend verified against the install's internal CA, and a
// NetworkPolicy that admits exactly the Gateway's proxies.
import { isIP } from 'net';
import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { DeferredChecks } from './errors';
import { namespaceSelectorFor, networkPolicy, tcpPorts } from './kube';
import { dns1123LabelProblem, dns1123SubdomainProblem, isDns1123Subdomain, labelKeyProblem, labelValueProblem, quoted } from './validate';
import { GatewayDataPlane, GatewayReference } from '../core/gateway';
import { BackendTlsPolicy, HttpRoute, HttpRouteSpecRulesMatchesPathType, TlsRoute } from '../imports/gateway-gateway.networking.k8s.io';

/** The label GEP-1762 asks in-cluster Gateway implementations to put on the proxies they run. */
export const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';

/**
 * Why `host` cannot be a route's or Ingress's host, or undefined. Gateway API and Ingress both
 * take a DNS name, optionally `*.` wildcarded, never an IP address or a port.
 */
export function hostProblem(host: string, allowWildcard: boolean): string | undefined {
  if (!host) return 'is required: without a host every name would be served; give the DNS name users reach the server at';
  if (host.includes('://')) return `${quoted(host)} has a scheme: give the bare DNS name, e.g. 'argocd.example.com'`;
  if (host.includes('/')) return `${quoted(host)} has a path: the server is served at '/'; give the bare DNS name`;
  if (isIP(host) !== 0 || host.includes(':')) return `${quoted(host)} is an IP address or has a port: give a DNS name without a port`;
  const wildcard = host.startsWith('*.');
  if (wildcard && !allowWildcard) return `${quoted(host)} is a wildcard: give one DNS name, or set allowWildcardHost: { reason: '...' }`;
  if (!isDns1123Subdomain(wildcard ? host.slice(2) : host)) return `${quoted(host)} is not a DNS name: use lowercase letters, digits, '-' and '.'`;
  return undefined;
}

/** A checked {@link GatewayReference} with its data plane resolved. */
export interface ResolvedGateway {
  readonly name: string;
  readonly namespace: string;
  readonly sectionName?: string;
  readonly dataPlane: GatewayDataPlane;
}

/** Checks a Gateway reference (each problem deferred under `property`) and resolves its data plane. */
export function resolveGateway(checks: DeferredChecks, property: string, gateway: GatewayReference): ResolvedGateway {
  checks.check(`${property}.name`, dns1123SubdomainProblem(gateway.name));
  checks.check(`${property}.namespace`, dns1123LabelProblem(gateway.namespace));
  if (gateway.sectionName !== undefined) checks.check(`${property}.sectionName`, dns1123SubdomainProblem(gateway.sectionName));
  let dataPlane = gateway.dataPlane;
  if (dataPlane === undefined) {
    const problem = labelValueProblem(gateway.name);
    checks.check(`${property}.dataPlane`, problem && `is needed: the Gateway's name cannot be the value of label '${GATEWAY_NAME_LABEL}' (${problem}); give the namespace and labels of its proxy pods`);
    dataPlane = { namespace: gateway.namespace, podLabels: { [GATEWAY_NAME_LABEL]: gateway.name } };
  } else {
    checks.check(`${property}.dataPlane.namespace`, dns1123LabelProblem(dataPlane.namespace));
    const labels = Object.entries(dataPlane.podLabels ?? {});
    if (labels.length === 0) {
      checks.check(`${property}.dataPlane.podLabels`, 'is empty: it would admit every pod of the namespace; give the labels of the proxy pods');
    }
    for (const [key, value] of labels) {
      checks.check(`${property}.dataPlane.podLabels`, labelKeyProblem(key));
      checks.check(`${property}.dataPlane.podLabels[${quoted(key)}]`, labelValueProblem(value));
    }
  }
  return { name: gateway.name, namespace: gateway.namespace, sectionName: gateway.sectionName, dataPlane };
}

/** What a route to a server's Service needs. */
export interface RouteOptions {
  /** The route's name. */
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  /** The host (checked with {@link hostProblem}). */
  readonly host: string;
  readonly gateway: ResolvedGateway;
  /** The Service in `namespace` and its port number. */
  readonly service: string;
  readonly port: number;
}

function parentRefs(gateway: ResolvedGateway) {
  return [{
    group: 'gateway.networking.k8s.io',
    kind: 'Gateway',
    name: gateway.name,
    namespace: gateway.namespace,
    ...(gateway.sectionName === undefined ? {} : { sectionName: gateway.sectionName }),
  }];
}

/** An HTTPRoute: the Gateway terminates TLS for the host and forwards every path to the Service. */
export function httpsRoute(scope: Construct, id: string, options: RouteOptions): ApiObject {
  return new HttpRoute(scope, id, {
    metadata: { name: options.name, namespace: options.namespace, labels: options.labels },
    spec: {
      parentRefs: parentRefs(options.gateway),
      hostnames: [options.host],
      rules: [{
        matches: [{ path: { type: HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value: '/' } }],
        backendRefs: [{ group: '', kind: 'Service', name: options.service, port: options.port }],
      }],
    },
  });
}

/** A TLSRoute: the Gateway passes the TLS stream for the host (by SNI) to the Service untouched. */
export function tlsPassthroughRoute(scope: Construct, id: string, options: RouteOptions): ApiObject {
  return new TlsRoute(scope, id, {
    metadata: { name: options.name, namespace: options.namespace, labels: options.labels },
    spec: {
      parentRefs: parentRefs(options.gateway),
      hostnames: [options.host],
      rules: [{ backendRefs: [{ group: '', kind: 'Service', name: options.service, port: options.port }] }],
    },
  });
}

/** What the Gateway or ingress controller verifies the backend's certificate against. */
export interface BackendVerification {
  /**
   * A Secret in the backend's namespace whose `ca.crt` is the internal CA: the server's own
   * cert-manager Secret (never the CA's Secret, which holds the CA's private key).
   */
  readonly caSecret: string;
  /** The name the backend's certificate is checked for, and sent as SNI: `<service>.<namespace>.svc`. */
  readonly serverName: string;
}

/** Options for {@link backendTlsPolicy}. */
export interface BackendTlsPolicyOptions {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  /** The Service and the name of the port the routes use. */
  readonly service: string;
  readonly portName: string;
  readonly verification: BackendVerification;
}

/**
 * A BackendTLSPolicy: the Gateway speaks TLS to the Service's port and accepts only a
 * certificate for `serverName` signed by the CA in `caSecret`. Gateway API's core support is a
 * ConfigMap reference; a Secret reference is implementation-specific (an implementation without
 * it refuses the policy, and then the connection fails rather than going unverified).
 */
export function backendTlsPolicy(scope: Construct, id: string, options: BackendTlsPolicyOptions): ApiObject {
  return new BackendTlsPolicy(scope, id, {
    metadata: { name: options.name, namespace: options.namespace, labels: options.labels },
    spec: {
      targetRefs: [{ group: '', kind: 'Service', name: options.service, sectionName: options.portName }],
      validation: {
        caCertificateRefs: [{ group: '', kind: 'Secret', name: options.verification.caSecret }],
        hostname: options.verification.serverName,
      },
    },
  });
}

/** Options for {@link gatewayIngressPolicy}. */
export interface GatewayIngressPolicyOptions {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  /** The server's pods. */
  readonly podLabels: Record<string, string>;
  /** The server's container port. */
  readonly port: number;
  readonly dataPlane: GatewayDataPlane;
}

/**
 * Admits the Gateway's proxy pods (namespace and labels together) to the server's port, and
 * nothing else. Policies add up: this widens the namespace's default deny by exactly that path.
 */
export function gatewayIngressPolicy(scope: Construct, id: string, options: GatewayIngressPolicyOptions): ApiObject {
  return networkPolicy(scope, id, {
    name: options.name,
    namespace: options.namespace,
    labels: options.labels,
    spec: {
      podSelector: { matchLabels: options.podLabels },
      policyTypes: ['Ingress'],
      ingress: [{ from: [gatewayPeer(options.dataPlane)], ports: tcpPorts([options.port]) }],
    },
  });
}

/** The Gateway's proxy pods: their namespace and labels together. */
function gatewayPeer(dataPlane: GatewayDataPlane): k8s.NetworkPolicyPeer {
  return { namespaceSelector: namespaceSelectorFor(dataPlane.namespace), podSelector: { matchLabels: { ...dataPlane.podLabels } } };
}

/** Options for {@link acmeSolverPolicy}. */
export interface AcmeSolverPolicyOptions {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  /** What forwards the challenges: the ingress controller (every pod of its namespace), or a Gateway's proxies. */
  readonly from: { readonly ingressControllerNamespace: string } | { readonly gateway: GatewayDataPlane };
}

/**
 * With an ACME issuer, cert-manager answers HTTP-01 challenges from solver pods (port 8089) in
 * the certificate's namespace, reached through the ingress controller or the Gateway; this admits
 * exactly that path, which the namespace's default deny would block (the certificate would never
 * be issued).
 */
export function acmeSolverPolicy(scope: Construct, id: string, options: AcmeSolverPolicyOptions): ApiObject {
  const from = 'gateway' in options.from ? gatewayPeer(options.from.gateway)
    : { namespaceSelector: namespaceSelectorFor(options.from.ingressControllerNamespace) };
  return networkPolicy(scope, id, {
    name: options.name,
    namespace: options.namespace,
    labels: options.labels,
    spec: {
      podSelector: { matchLabels: { 'acme.cert-manager.io/http01-solver': 'true' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [from], ports: tcpPorts([8089]) }],
    },
  });
}

/** Options for {@link nginxIngress}. */
export interface NginxIngressOptions {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly host: string;
  readonly ingressClassName: string;
  /** The Secret with the public certificate for `host`. */
  readonly tlsSecret: string;
  readonly service: string;
  readonly servicePort: k8s.ServiceBackendPort;
  /** Re-encrypt, verified against the internal CA; or pass the TLS stream through to the server. */
  readonly backend: BackendVerification | 'passthrough';
  /** More annotations (e.g. cert-manager's issuer). */
  readonly annotations?: Record<string, string>;
}

/**
 * An ingress-nginx Ingress that speaks HTTPS to the server: either the TLS stream passed through
 * (`--enable-ssl-passthrough`), or TLS terminated with the public certificate and a new TLS
 * connection that verifies the server's certificate (`proxy-ssl-*`; ingress-nginx reads `ca.crt`
 * of the Secret, which must be in the Ingress's namespace, and checks the name at depth 1, which
 * a leaf signed directly by the internal CA meets).
 */
export function nginxIngress(scope: Construct, id: string, options: NginxIngressOptions): ApiObject {
  const annotations: Record<string, string> = { 'nginx.ingress.kubernetes.io/backend-protocol': 'HTTPS', ...options.annotations };
  if (options.backend === 'passthrough') {
    annotations['nginx.ingress.kubernetes.io/ssl-passthrough'] = 'true';
  } else {
    Object.assign(annotations, {
      'nginx.ingress.kubernetes.io/proxy-ssl-verify': 'on',
      'nginx.ingress.kubernetes.io/proxy-ssl-secret': `${options.namespace}/${options.backend.caSecret}`,
      'nginx.ingress.kubernetes.io/proxy-ssl-name': options.backend.serverName,
      'nginx.ingress.kubernetes.io/proxy-ssl-server-name': 'on',
    });
  }
  return new k8s.KubeIngress(scope, id, {
    metadata: { name: options.name, namespace: options.namespace, labels: options.labels, annotations },
    spec: {
      ingressClassName: options.ingressClassName,
      tls: [{ hosts: [options.host], secretName: options.tlsSecret }],
      rules: [{
        host: options.host,
        http: {
          paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: options.service, port: options.servicePort } } }],
        },
      }],
    },
  });
}

// The Gateway API parent that exposure routes attach to (Argo CD and Argo Workflows alike).

/**
 * The pods of a Gateway's data plane: the proxies that forward traffic to the backends. The
 * backend's NetworkPolicy admits exactly these pods.
 */
export interface GatewayDataPlane {
  /** The namespace the proxy pods run in. */
  readonly namespace: string;
  /** Labels that select the proxy pods (at least one). */
  readonly podLabels: { [key: string]: string };
}

/**
 * A Gateway (`gateway.networking.k8s.io/v1`) that routes attach to. The Gateway belongs to the
 * platform's network owners; its listener must admit routes from the backend's namespace
 * (`allowedRoutes`).
 */
export interface GatewayReference {
  /** The Gateway's name. */
  readonly name: string;
  /** The Gateway's namespace. */
  readonly namespace: string;
  /**
   * The listener the route attaches to (`parentRefs[].sectionName`).
   * @default - every listener of the Gateway whose protocol and hostname match
   */
  readonly sectionName?: string;
  /**
   * The proxy pods that forward the traffic. Istio and most in-cluster implementations label
   * them `gateway.networking.k8s.io/gateway-name: <name>` and run them in the Gateway's
   * namespace; Envoy Gateway runs them in its own namespace (`envoy-gateway-system`) labelled
   * `gateway.envoyproxy.io/owning-gateway-name: <name>`.
   * @default - pods labelled `gateway.networking.k8s.io/gateway-name: <name>` in the Gateway's namespace
   */
  readonly dataPlane?: GatewayDataPlane;
}

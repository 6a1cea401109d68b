import { ArgoWorkflowsCrdSchemas } from './crds';
import { ArgoWorkflowsRelease } from './release';
import { ContainerResources } from '../../core/container-resources';
import { GatewayReference } from '../../core/gateway';
import { SizingPreset } from '../../core/sizing-preset';
import type { Acknowledgement } from '../../secrets/acknowledgement';

/** argo-server behind an ingress-nginx Ingress, with TLS at the ingress and to argo-server. */
export interface ArgoServerIngressOptions {
  /** The public host name, e.g. `argo-workflows.example.com`. */
  readonly host: string;
  /**
   * The Secret (in the install namespace) with the public certificate. With `clusterIssuer`,
   * cert-manager creates it.
   * @default 'argo-server-ingress-tls'
   */
  readonly tlsSecretName?: string;
  /**
   * The cert-manager ClusterIssuer that issues the public certificate (the
   * `cert-manager.io/cluster-issuer` annotation).
   * @default - the Secret is provided by you
   */
  readonly clusterIssuer?: string;
  /**
   * The IngressClass.
   * @default 'nginx'
   */
  readonly ingressClassName?: string;
}

/**
 * argo-server behind a Gateway (Gateway API) that terminates TLS: an HTTPRoute for the host, and a
 * BackendTLSPolicy with which the Gateway verifies argo-server's certificate (from the internal
 * CA) for `argo-server.<namespace>.svc`. The `argo` CLI connects with `--argo-http1`.
 */
export interface ArgoServerGatewayOptions {
  /** The public host name, e.g. `argo-workflows.example.com`; the Gateway's listener serves its certificate. */
  readonly host: string;
  /** The Gateway the HTTPRoute attaches to. */
  readonly gateway: GatewayReference;
  /**
   * Accepts a wildcard host such as `*.workflows.example.com`, for the reason given. The reason
   * is recorded on the HTTPRoute.
   * @default - a wildcard host is refused
   */
  readonly allowWildcardHost?: Acknowledgement;
}

/** How SecureArgoWorkflows installs the workflow-controller and argo-server themselves. */
export interface ArgoWorkflowsInstallOptions {
  /**
   * The release: version and images, with the digests you supply.
   * @default ArgoWorkflowsRelease.V4_1_2 (images pinned by tag)
   */
  readonly release?: ArgoWorkflowsRelease;
  /**
   * Requests and limits of every container.
   * @default SizingPreset.SMALL
   */
  readonly size?: SizingPreset;
  /**
   * Requests and limits for single containers, by container name (`workflow-controller`,
   * `argo-server`), replacing the preset's.
   * @default - the preset's
   */
  readonly resources?: { [container: string]: ContainerResources };
  /**
   * Two workflow-controller replicas (one leads through a Lease, the other takes over within
   * seconds) and two argo-server replicas, spread across nodes, with PodDisruptionBudgets that
   * keep one of each running during drains.
   * @default false
   */
  readonly highAvailability?: boolean;
  /**
   * argo-server's certificate from a private CA that cert-manager runs in the install
   * namespace (`--tls-certificate-secret-name`), so that the ingress or Gateway can verify it. Without
   * it argo-server makes up a self-signed certificate at every start, which no client can verify.
   * Needs cert-manager. argo-server reads the certificate at startup: restart it after cert-manager
   * renews it (every 60 days; the certificate is valid for 90).
   * @default true
   */
  readonly internalTls?: boolean;
  /**
   * Expose argo-server through an ingress-nginx Ingress.
   * @default - not exposed (reach it with `kubectl port-forward`)
   */
  readonly ingress?: ArgoServerIngressOptions;
  /**
   * Expose argo-server through a Gateway (Gateway API); the install's NetworkPolicies then admit
   * the Gateway's proxy pods to argo-server. Choose this or `ingress`.
   * @default - not exposed
   */
  readonly gateway?: ArgoServerGatewayOptions;
  /**
   * The schemas of the CustomResourceDefinitions, which go into a chart of their own next to the
   * install's chart (`<chart id>-crds`), applied first and server-side.
   * @default ArgoWorkflowsCrdSchemas.FULL
   */
  readonly crdSchemas?: ArgoWorkflowsCrdSchemas;
}

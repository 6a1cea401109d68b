import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { brand, hasBrand } from './private/brands';
import { SERVER_TLS_SECRET } from './private/names';
import { GatewayReference } from '../core/gateway';
import { LABEL_NAME, standardLabels } from '../core/labels';
import { Certificate, CertificateSpecPrivateKeyAlgorithm, CertificateSpecPrivateKeyRotationPolicy } from '../imports/certmanager-cert-manager.io';
import { reasonProblem, recordAcceptedRisk } from '../private/accepted-risks';
import { bindFactoryProblems, deferredChecks, invalid, recordFactoryProblem } from '../private/errors';
import {
  acmeSolverPolicy, backendTlsPolicy, BackendVerification, gatewayIngressPolicy, hostProblem, httpsRoute, nginxIngress, ResolvedGateway,
  resolveGateway, tlsPassthroughRoute,
} from '../private/exposure';
import { registerLibraryConstruct } from '../private/stamp';
import { dns1123SubdomainProblem, quoted, requireDns1123Label, requireDns1123Subdomain } from '../private/validate';
import type { Acknowledgement } from '../secrets/acknowledgement';

/** The public certificate's Secret when the ingress re-encrypts (argocd-server-tls is then the internal one). */
const INGRESS_TLS_SECRET = 'argocd-server-ingress-tls';
const SERVER = 'argocd-server';
/** argocd-server's container port: HTTPS and gRPC on one port. */
const SERVER_PORT = 8080;
/** The Service port that forwards to it (upstream's Service also has `http` on 80, to the same port). */
const SERVICE_HTTPS_PORT = 443;

/** Options for a certificate issued by cert-manager. */
export interface CertManagerCertificateOptions {
  /**
   * The `kubernetes.io/tls` Secret cert-manager writes the certificate to.
   * @default 'argocd-server-tls' (the Secret argocd-server serves from); 'argocd-server-ingress-tls'
   * when the ingress re-encrypts (argocd-server then serves a certificate from the internal CA)
   */
  readonly secretName?: string;
}

/** Where the TLS certificate for argocd-server's Ingress comes from. */
export class ArgoCdServerTls {
  /**
   * A cert-manager `Certificate` for the host, issued by a namespaced `Issuer` in the Argo CD
   * namespace.
   */
  public static fromIssuer(issuerName: string, options: CertManagerCertificateOptions = {}): ArgoCdServerTls {
    return new ArgoCdServerTls(options.secretName, issuerName, 'Issuer');
  }

  /** A cert-manager `Certificate` for the host, issued by a `ClusterIssuer`. */
  public static fromClusterIssuer(issuerName: string, options: CertManagerCertificateOptions = {}): ArgoCdServerTls {
    return new ArgoCdServerTls(options.secretName, issuerName, 'ClusterIssuer');
  }

  /**
   * A `kubernetes.io/tls` Secret managed outside this app, in the Argo CD namespace.
   * @param secretName the Secret's name
   */
  public static fromExistingSecret(secretName: string): ArgoCdServerTls {
    return new ArgoCdServerTls(secretName);
  }

  /** True when `x` is an `ArgoCdServerTls` (also from another copy of this library). */
  public static isArgoCdServerTls(x: unknown): x is ArgoCdServerTls {
    return hasBrand(x, 'ArgoCdServerTls');
  }

  /**
   * The `kubernetes.io/tls` Secret holding the certificate, when given (otherwise the exposure
   * chooses: `argocd-server-tls`, or `argocd-server-ingress-tls` when the ingress re-encrypts).
   */
  public readonly secretName?: string;

  private constructor(
    secretName: string | undefined,
    /** The cert-manager issuer's name, when cert-manager issues the certificate. */
    public readonly issuerName?: string,
    /** `Issuer` or `ClusterIssuer`, when cert-manager issues the certificate. */
    public readonly issuerKind?: string,
  ) {
    brand(this, 'ArgoCdServerTls');
    this.secretName = secretName;
    // Reported with the exposure's path, under `tls`, when the exposure binds this object.
    for (const [property, name] of [['secretName', secretName], ['issuerName', issuerName]]) {
      const problem = name === undefined ? undefined : dns1123SubdomainProblem(name);
      if (problem) recordFactoryProblem(this, property!, problem);
    }
  }
}


/** How the ingress controller carries TLS to argocd-server. */
export enum ArgoCdServerTlsMode {
  /**
   * The ingress controller forwards the TLS stream untouched; argocd-server terminates TLS
   * with the certificate in Secret `argocd-server-tls`. gRPC (the `argocd` CLI) works without
   * `--grpc-web`. ingress-nginx must run with `--enable-ssl-passthrough`.
   */
  SSL_PASSTHROUGH = 'ssl-passthrough',
  /**
   * The ingress controller terminates TLS with the public certificate and opens a new TLS
   * connection to argocd-server, verifying its certificate (`argocd-server-tls`, issued by the
   * install's internal CA) for `argocd-server.<namespace>.svc`. The CLI needs `--grpc-web`.
   */
  REENCRYPT = 'reencrypt',
}

/** Argo CD behind an ingress-nginx Ingress. */
export interface ArgoCdIngressOptions {
  /** The DNS name users reach Argo CD at, e.g. `argocd.example.com` (no scheme, port or path). */
  readonly host: string;
  /** Where the public certificate comes from. */
  readonly tls: ArgoCdServerTls;
  /**
   * How TLS reaches argocd-server.
   * @default ArgoCdServerTlsMode.SSL_PASSTHROUGH
   */
  readonly mode?: ArgoCdServerTlsMode;
  /**
   * The IngressClass. The annotations this construct sets are ingress-nginx's.
   * @default 'nginx'
   */
  readonly ingressClassName?: string;
  /**
   * Accepts a wildcard host such as `*.argocd.example.com`, for the reason given. The reason is
   * recorded on the Ingress or route (as `exposure.allowWildcardHost`).
   * @default - a wildcard host is refused
   */
  readonly allowWildcardHost?: Acknowledgement;
}

/** Argo CD behind a Gateway that terminates TLS (an HTTPRoute). */
export interface ArgoCdGatewayRouteOptions {
  /**
   * The DNS name users reach Argo CD at, e.g. `argocd.example.com`. The Gateway's listener
   * serves the public certificate for it.
   */
  readonly host: string;
  /** The Gateway the route attaches to. */
  readonly gateway: GatewayReference;
  /**
   * Accepts a wildcard host such as `*.argocd.example.com`, for the reason given. The reason is
   * recorded on the Ingress or route (as `exposure.allowWildcardHost`).
   * @default - a wildcard host is refused
   */
  readonly allowWildcardHost?: Acknowledgement;
}

/** Argo CD behind a Gateway that passes TLS through (a TLSRoute). */
export interface ArgoCdGatewayPassthroughOptions {
  /** The DNS name users reach Argo CD at; the Gateway routes the TLS stream by this SNI name. */
  readonly host: string;
  /** The Gateway the route attaches to: its listener must have `protocol: TLS` and `tls.mode: Passthrough`. */
  readonly gateway: GatewayReference;
  /** Where argocd-server's public certificate comes from (Secret `argocd-server-tls`). */
  readonly tls: ArgoCdServerTls;
  /**
   * Accepts a wildcard host such as `*.argocd.example.com`, for the reason given. The reason is
   * recorded on the Ingress or route (as `exposure.allowWildcardHost`).
   * @default - a wildcard host is refused
   */
  readonly allowWildcardHost?: Acknowledgement;
}

/** The kinds of {@link ArgoCdExposure}. */
enum ExposureKind { INGRESS = 'ingress', GATEWAY_ROUTE = 'gateway-route', GATEWAY_PASSTHROUGH = 'gateway-passthrough' }

/**
 * How users reach argocd-server: an ingress-nginx Ingress or the Gateway API. Every variant has
 * a host and TLS all the way to argocd-server, and a TLS hop that is re-encrypted is verified.
 */
export class ArgoCdExposure {
  /**
   * An ingress-nginx Ingress: SSL passthrough (argocd-server serves the public certificate, the
   * CLI speaks gRPC), or re-encryption verified against the install's internal CA.
   */
  public static ingressNginx(options: ArgoCdIngressOptions): ArgoCdExposure {
    return new ArgoCdExposure(ExposureKind.INGRESS, options.host, options.allowWildcardHost, options.tls, undefined, options.mode,
      options.ingressClassName);
  }

  /**
   * An HTTPRoute on a Gateway that terminates TLS, and a BackendTLSPolicy: the Gateway speaks TLS
   * to argocd-server and verifies its certificate (from the install's internal CA) for
   * `argocd-server.<namespace>.svc`. The UI and API work as usual; the CLI needs `--grpc-web`.
   */
  public static gatewayRoute(options: ArgoCdGatewayRouteOptions): ArgoCdExposure {
    return new ArgoCdExposure(ExposureKind.GATEWAY_ROUTE, options.host, options.allowWildcardHost, undefined, options.gateway);
  }

  /**
   * A TLSRoute on a Gateway listener in TLS passthrough mode: argocd-server terminates TLS with the
   * public certificate in `argocd-server-tls`, so the UI, the API and the CLI's native gRPC share
   * one host. Use it when the CLI must work without `--grpc-web`.
   */
  public static gatewayPassthrough(options: ArgoCdGatewayPassthroughOptions): ArgoCdExposure {
    return new ArgoCdExposure(ExposureKind.GATEWAY_PASSTHROUGH, options.host, options.allowWildcardHost, options.tls, options.gateway);
  }

  /** True when `x` is an `ArgoCdExposure` (also from another copy of this library). */
  public static isArgoCdExposure(x: unknown): x is ArgoCdExposure {
    return hasBrand(x, 'ArgoCdExposure');
  }

  private constructor(
    /** @internal */ public readonly _kind: ExposureKind,
    /** The host users reach Argo CD at, as given. */
    public readonly host: string,
    /** @internal */ public readonly _allowWildcardHost: Acknowledgement | undefined,
    /** @internal */ public readonly _tls?: ArgoCdServerTls,
    /** @internal */ public readonly _gateway?: GatewayReference,
    /** @internal */ public readonly _mode?: ArgoCdServerTlsMode,
    /** @internal */ public readonly _ingressClassName?: string,
  ) {
    brand(this, 'ArgoCdExposure');
  }
}

/** Props for {@link ArgoCdServerExposure}. */
export interface ArgoCdServerExposureProps {
  /** The namespace Argo CD runs in. */
  readonly namespace: string;
  /** How argocd-server is exposed. */
  readonly exposure: ArgoCdExposure;
  /**
   * With the Gateway API, a NetworkPolicy that admits the Gateway's proxy pods to argocd-server's
   * port (and, with a cert-manager issuer, to cert-manager's HTTP-01 solver), beside the
   * namespace's default deny. SecureArgoCD turns it off with `disableNetworkPolicies`.
   * @default true
   */
  readonly networkPolicies?: boolean;
}

/**
 * argocd-server exposed with a host and TLS: an ingress-nginx Ingress, or Gateway API routes,
 * with the public certificate from cert-manager or an existing Secret, HTTPS all the way to the
 * server, and the backend's certificate verified wherever TLS is re-encrypted.
 */
export class ArgoCdServerExposure extends Construct {
  /** The host users reach Argo CD at. */
  public readonly host: string;
  /** The Ingress, with `ArgoCdExposure.ingressNginx()`. */
  public readonly ingress?: ApiObject;
  /** The HTTPRoute or TLSRoute, with the Gateway API. */
  public readonly route?: ApiObject;
  /** The BackendTLSPolicy, with `ArgoCdExposure.gatewayRoute()`. */
  public readonly backendTlsPolicy?: ApiObject;
  /** The cert-manager Certificate, when cert-manager issues the public certificate. */
  public readonly certificate?: ApiObject;
  /**
   * True when the hop to argocd-server is re-encrypted and verified: argocd-server must then serve
   * a certificate from the install's internal CA in `argocd-server-tls` (SecureArgoCD's install
   * issues it).
   */
  public readonly verifiesServerCertificate: boolean;

  constructor(scope: Construct, id: string, props: ArgoCdServerExposureProps) {
    super(scope, id);
    registerLibraryConstruct(this, 'argocd');
    const namespace = requireDns1123Label(this, 'namespace', props.namespace);
    const exposure = props.exposure;
    if (!ArgoCdExposure.isArgoCdExposure(exposure)) {
      invalid(this, 'exposure', 'is not an ArgoCdExposure: use ArgoCdExposure.ingressNginx(), .gatewayRoute() or .gatewayPassthrough()');
    }
    const problem = hostProblem(exposure.host, exposure._allowWildcardHost !== undefined);
    if (problem) invalid(this, 'host', problem);
    // A reason given is checked whatever the host; it is recorded only where a wildcard host uses it.
    const wildcardAck = exposure._allowWildcardHost;
    const wildcardReason = wildcardAck !== undefined
      && deferredChecks(this).check('exposure.allowWildcardHost.reason', reasonProblem(wildcardAck?.reason, 'why every name under the domain reaches argocd-server'))
      && exposure.host.startsWith('*.') ? wildcardAck.reason : undefined;
    this.host = exposure.host;
    const labels = standardLabels({ name: SERVER, partOf: 'argocd', component: 'server' });
    const verification: BackendVerification = { caSecret: SERVER_TLS_SECRET, serverName: `${SERVER}.${namespace}.svc` };
    const route = { name: SERVER, namespace, labels, host: this.host, service: SERVER, port: SERVICE_HTTPS_PORT };

    if (exposure._kind === ExposureKind.INGRESS) {
      const mode = exposure._mode ?? ArgoCdServerTlsMode.SSL_PASSTHROUGH;
      if (!Object.values(ArgoCdServerTlsMode).includes(mode)) {
        invalid(this, 'mode', `${JSON.stringify(mode)} is not a mode: use ArgoCdServerTlsMode.SSL_PASSTHROUGH or REENCRYPT`);
      }
      const tls = this.requireTls(exposure._tls);
      const reencrypt = mode === ArgoCdServerTlsMode.REENCRYPT;
      const secretName = tls.secretName ?? (reencrypt ? INGRESS_TLS_SECRET : SERVER_TLS_SECRET);
      if (reencrypt && secretName === SERVER_TLS_SECRET) {
        invalid(this, 'tls', `secret '${SERVER_TLS_SECRET}' holds argocd-server's internal certificate when the ingress re-encrypts: give the public certificate another Secret, e.g. '${INGRESS_TLS_SECRET}'`);
      }
      if (!reencrypt) this.requireServedByArgoCdServer(secretName);
      const ingressClassName = requireDns1123Subdomain(this, 'ingressClassName', exposure._ingressClassName ?? 'nginx');
      this.certificate = this.publicCertificate(tls, secretName, namespace, labels);
      this.ingress = nginxIngress(this, 'ingress', {
        ...route, ingressClassName, tlsSecret: secretName, servicePort: { name: 'https' }, backend: reencrypt ? verification : 'passthrough',
      });
      this.verifiesServerCertificate = reencrypt;
      if (wildcardReason !== undefined) recordAcceptedRisk(this.ingress, 'exposure.allowWildcardHost', wildcardReason);
      return;
    }

    const gateway = resolveGateway(deferredChecks(this), 'gateway', exposure._gateway!);
    if (exposure._kind === ExposureKind.GATEWAY_ROUTE) {
      this.route = httpsRoute(this, 'route', { ...route, gateway });
      this.backendTlsPolicy = backendTlsPolicy(this, 'backend-tls', { name: SERVER, namespace, labels, service: SERVER, portName: 'https', verification });
      this.verifiesServerCertificate = true;
    } else {
      const tls = this.requireTls(exposure._tls);
      const secretName = tls.secretName ?? SERVER_TLS_SECRET;
      this.requireServedByArgoCdServer(secretName);
      this.certificate = this.publicCertificate(tls, secretName, namespace, labels);
      this.route = tlsPassthroughRoute(this, 'route', { ...route, gateway });
      this.verifiesServerCertificate = false;
    }
    if (wildcardReason !== undefined) recordAcceptedRisk(this.route, 'exposure.allowWildcardHost', wildcardReason);
    if (props.networkPolicies ?? true) this.gatewayPolicies(namespace, gateway);
  }

  private requireTls(tls: ArgoCdServerTls | undefined): ArgoCdServerTls {
    if (!ArgoCdServerTls.isArgoCdServerTls(tls)) {
      invalid(this, 'tls', 'is required: use ArgoCdServerTls.fromClusterIssuer(), .fromIssuer() or .fromExistingSecret()');
    }
    bindFactoryProblems(this, 'tls', tls);
    return tls;
  }

  private requireServedByArgoCdServer(secretName: string): void {
    if (secretName !== SERVER_TLS_SECRET) {
      invalid(this, 'tls', `secret ${quoted(secretName)} is never served in TLS passthrough: argocd-server terminates TLS itself and reads only Secret '${SERVER_TLS_SECRET}'; use that name, or re-encrypt (ArgoCdServerTlsMode.REENCRYPT, ArgoCdExposure.gatewayRoute())`);
    }
  }

  private publicCertificate(tls: ArgoCdServerTls, secretName: string, namespace: string, labels: Record<string, string>): ApiObject | undefined {
    if (tls.issuerName === undefined) return undefined;
    return new Certificate(this, 'certificate', {
      metadata: { name: secretName, namespace, labels },
      spec: {
        secretName,
        dnsNames: [this.host],
        issuerRef: { group: 'cert-manager.io', kind: tls.issuerKind, name: tls.issuerName },
        privateKey: {
          algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA,
          size: 256,
          rotationPolicy: CertificateSpecPrivateKeyRotationPolicy.ALWAYS,
        },
      },
    });
  }

  /**
   * The Gateway's proxies may reach argocd-server's port; with an ACME issuer also cert-manager's
   * HTTP-01 solver pods (port 8089), which the default deny would block.
   */
  private gatewayPolicies(namespace: string, gateway: ResolvedGateway): void {
    gatewayIngressPolicy(this, 'gateway-network-policy', {
      name: 'argocd-server-from-gateway',
      namespace,
      labels: standardLabels({ name: 'argocd-server-from-gateway', partOf: 'argocd' }),
      podLabels: { [LABEL_NAME]: SERVER },
      port: SERVER_PORT,
      dataPlane: gateway.dataPlane,
    });
    if (this.certificate) {
      acmeSolverPolicy(this, 'acme-solver-network-policy', {
        name: 'argocd-acme-http01-solver-from-gateway',
        namespace,
        labels: standardLabels({ name: 'argocd-acme-http01-solver-from-gateway', partOf: 'argocd' }),
        from: { gateway: gateway.dataPlane },
      });
    }
  }
}

import { isIP } from 'net';
import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { brand, hasBrand } from './private/brands';
import { standardLabels } from '../core/labels';
import { Certificate, CertificateSpecPrivateKeyAlgorithm, CertificateSpecPrivateKeyRotationPolicy } from '../imports/certmanager-cert-manager.io';
import { invalid } from '../private/errors';
import { registerLibraryConstruct } from '../private/stamp';
import { isDns1123Subdomain, requireDns1123Label, requireDns1123Subdomain } from '../private/validate';

/** The Secret argocd-server reads its own serving certificate from. */
const SERVER_TLS_SECRET = 'argocd-server-tls';

/** Options for a certificate issued by cert-manager. */
export interface CertManagerCertificateOptions {
  /**
   * The `kubernetes.io/tls` Secret cert-manager writes the certificate to.
   * @default 'argocd-server-tls' (the Secret argocd-server serves from)
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
    return new ArgoCdServerTls(options.secretName ?? SERVER_TLS_SECRET, issuerName, 'Issuer');
  }

  /** A cert-manager `Certificate` for the host, issued by a `ClusterIssuer`. */
  public static fromClusterIssuer(issuerName: string, options: CertManagerCertificateOptions = {}): ArgoCdServerTls {
    return new ArgoCdServerTls(options.secretName ?? SERVER_TLS_SECRET, issuerName, 'ClusterIssuer');
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

  private constructor(
    /** The `kubernetes.io/tls` Secret holding the certificate. */
    public readonly secretName: string,
    /** The cert-manager issuer's name, when cert-manager issues the certificate. */
    public readonly issuerName?: string,
    /** `Issuer` or `ClusterIssuer`, when cert-manager issues the certificate. */
    public readonly issuerKind?: string,
  ) {
    brand(this, 'ArgoCdServerTls');
    requireDns1123Subdomain('ArgoCdServerTls', 'secretName', secretName);
    if (issuerName !== undefined) requireDns1123Subdomain('ArgoCdServerTls', 'issuerName', issuerName);
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
   * The ingress controller terminates TLS with the certificate and opens a new TLS connection
   * to argocd-server. The CLI needs `--grpc-web`.
   */
  REENCRYPT = 'reencrypt',
}

/** Everything {@link ArgoCdServerExposure} needs except the namespace. */
export interface ArgoCdServerExposureOptions {
  /** The DNS name users reach Argo CD at, e.g. `argocd.example.com` (no scheme, port or path). */
  readonly host: string;
  /** Where the certificate comes from. */
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
   * Accepts a wildcard host such as `*.argocd.example.com`.
   * @default false
   */
  readonly allowWildcardHost?: boolean;
}

/** Props for {@link ArgoCdServerExposure}. */
export interface ArgoCdServerExposureProps extends ArgoCdServerExposureOptions {
  /** The namespace Argo CD runs in. */
  readonly namespace: string;
}

/**
 * An Ingress for argocd-server that always has a host and TLS, with its certificate from
 * cert-manager or an existing Secret, and HTTPS all the way to the server.
 */
export class ArgoCdServerExposure extends Construct {
  /** The host the Ingress serves. */
  public readonly host: string;
  /** The Ingress. */
  public readonly ingress: ApiObject;
  /** The cert-manager Certificate, when cert-manager issues the certificate. */
  public readonly certificate?: ApiObject;

  constructor(scope: Construct, id: string, props: ArgoCdServerExposureProps) {
    super(scope, id);
    registerLibraryConstruct(this, 'argocd');
    const namespace = requireDns1123Label(this, 'namespace', props.namespace);
    this.host = this.checkHost(props.host, props.allowWildcardHost ?? false);
    if (!ArgoCdServerTls.isArgoCdServerTls(props.tls)) {
      invalid(this, 'tls', 'is required: an Ingress without TLS cannot be produced; use ArgoCdServerTls.fromClusterIssuer(), .fromIssuer() or .fromExistingSecret()');
    }
    const mode = props.mode ?? ArgoCdServerTlsMode.SSL_PASSTHROUGH;
    if (!Object.values(ArgoCdServerTlsMode).includes(mode)) {
      invalid(this, 'mode', `'${mode}' is not a mode: use ArgoCdServerTlsMode.SSL_PASSTHROUGH or REENCRYPT`);
    }
    if (mode === ArgoCdServerTlsMode.SSL_PASSTHROUGH && props.tls.secretName !== SERVER_TLS_SECRET) {
      invalid(this, 'tls', `secret '${props.tls.secretName}' is never served in SSL passthrough: argocd-server terminates TLS itself and reads only Secret '${SERVER_TLS_SECRET}'; use that name or ArgoCdServerTlsMode.REENCRYPT`);
    }
    const ingressClassName = requireDns1123Subdomain(this, 'ingressClassName', props.ingressClassName ?? 'nginx');
    const labels = standardLabels({ name: 'argocd-server', partOf: 'argocd', component: 'server' });

    if (props.tls.issuerName !== undefined) {
      this.certificate = new Certificate(this, 'certificate', {
        metadata: { name: props.tls.secretName, namespace, labels },
        spec: {
          secretName: props.tls.secretName,
          dnsNames: [this.host],
          issuerRef: { group: 'cert-manager.io', kind: props.tls.issuerKind, name: props.tls.issuerName },
          privateKey: {
            algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA,
            size: 256,
            rotationPolicy: CertificateSpecPrivateKeyRotationPolicy.ALWAYS,
          },
        },
      });
    }

    // Both modes speak HTTPS to the backend; passthrough additionally hands the TLS stream over.
    const annotations: { [key: string]: string } = { 'nginx.ingress.kubernetes.io/backend-protocol': 'HTTPS' };
    if (mode === ArgoCdServerTlsMode.SSL_PASSTHROUGH) annotations['nginx.ingress.kubernetes.io/ssl-passthrough'] = 'true';

    this.ingress = new k8s.KubeIngress(this, 'ingress', {
      metadata: { name: 'argocd-server', namespace, labels, annotations },
      spec: {
        ingressClassName,
        tls: [{ hosts: [this.host], secretName: props.tls.secretName }],
        rules: [{
          host: this.host,
          http: {
            paths: [{
              path: '/',
              pathType: 'Prefix',
              backend: { service: { name: 'argocd-server', port: { name: 'https' } } },
            }],
          },
        }],
      },
    });
  }

  private checkHost(host: string, allowWildcard: boolean): string {
    if (!host) {
      invalid(this, 'host', 'is required: an Ingress without a host would serve every name; give the DNS name users reach Argo CD at');
    }
    if (host.includes('://')) {
      invalid(this, 'host', `'${host}' has a scheme: give the bare DNS name, e.g. 'argocd.example.com'`);
    }
    if (host.includes('/')) {
      invalid(this, 'host', `'${host}' has a path: Argo CD is served at '/'; give the bare DNS name`);
    }
    if (isIP(host) !== 0 || host.includes(':')) {
      invalid(this, 'host', `'${host}' is an IP address or has a port: give a DNS name without a port`);
    }
    const wildcard = host.startsWith('*.');
    if (wildcard && !allowWildcard) {
      invalid(this, 'host', `'${host}' is a wildcard: give one DNS name, or set allowWildcardHost: true`);
    }
    if (!isDns1123Subdomain(wildcard ? host.slice(2) : host)) {
      invalid(this, 'host', `'${host}' is not a DNS name: use lowercase letters, digits, '-' and '.'`);
    }
    return host;
  }
}

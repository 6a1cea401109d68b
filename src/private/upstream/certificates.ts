// cert-manager objects for the internal TLS between a product's components: one private CA per
// install namespace, and a certificate per component signed by it.
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { applySyncWave, SyncWave } from '../../core/sync-wave';
import { Certificate, CertificateSpecPrivateKeyAlgorithm, CertificateSpecPrivateKeyRotationPolicy } from '../../imports/certmanager-cert-manager.io';

/** Options for {@link internalCa}. */
export interface InternalCaOptions {
  /** The CA Issuer's name; the CA's Secret and the bootstrap issuer derive from it. */
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
}

/**
 * A namespaced private CA: a self-signed Issuer that only signs the CA certificate, the CA
 * certificate (its Secret `<name>` holds `ca.crt`), and the CA Issuer that signs the components'
 * certificates. Nothing outside the namespace can use it. Returns the CA Issuer's name.
 */
export function internalCa(scope: Construct, options: InternalCaOptions): string {
  const { name, namespace, labels } = options;
  const bootstrap = `${name}-selfsigned`;
  issuer(scope, 'CaBootstrapIssuer', { name: bootstrap, namespace, labels }, { selfSigned: {} });
  const ca = new Certificate(scope, 'CaCertificate', {
    metadata: { name, namespace, labels },
    spec: {
      isCa: true,
      commonName: `${name}.${namespace}`,
      secretName: name,
      // A CA that outlives the leaf certificates; cert-manager renews it a third before expiry.
      duration: '87600h',
      issuerRef: { group: 'cert-manager.io', kind: 'Issuer', name: bootstrap },
      privateKey: { algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA, size: 256, rotationPolicy: CertificateSpecPrivateKeyRotationPolicy.ALWAYS },
    },
  });
  applySyncWave(ca, SyncWave.STORAGE_AND_SECRETS);
  issuer(scope, 'CaIssuer', { name, namespace, labels }, { ca: { secretName: name } });
  return name;
}

/** Options for {@link internalCertificate}. */
export interface InternalCertificateOptions {
  /** The Certificate's and its Secret's name. */
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  /** The CA Issuer (from {@link internalCa}). */
  readonly issuer: string;
  /** Service names: each becomes `name`, `name.namespace` and `name.namespace.svc`. */
  readonly services: string[];
  /** Labels for the Secret cert-manager writes (e.g. the ones a component selects on). */
  readonly secretLabels?: Record<string, string>;
}

/**
 * A server certificate for in-cluster Services, signed by the internal CA, with a new key on
 * every renewal. The Secret holds `tls.crt`, `tls.key` and `ca.crt` (the CA, which clients
 * verify against, so that renewals never break a client that pinned the old leaf).
 */
export function internalCertificate(scope: Construct, id: string, options: InternalCertificateOptions): ApiObject {
  const { name, namespace, labels } = options;
  const dnsNames = options.services.flatMap((s) => [s, `${s}.${namespace}`, `${s}.${namespace}.svc`]);
  const certificate = new Certificate(scope, id, {
    metadata: { name, namespace, labels },
    spec: {
      secretName: name,
      commonName: options.services[0],
      dnsNames,
      duration: '2160h',
      renewBefore: '720h',
      issuerRef: { group: 'cert-manager.io', kind: 'Issuer', name: options.issuer },
      privateKey: { algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA, size: 256, rotationPolicy: CertificateSpecPrivateKeyRotationPolicy.ALWAYS },
      ...(options.secretLabels ? { secretTemplate: { labels: options.secretLabels } } : {}),
    },
  });
  applySyncWave(certificate, SyncWave.STORAGE_AND_SECRETS);
  return certificate;
}

type Meta = { name: string; namespace: string; labels: Record<string, string> };

function issuer(scope: Construct, id: string, meta: Meta, spec: Record<string, unknown>): ApiObject {
  const obj = new ApiObject(scope, id, { apiVersion: 'cert-manager.io/v1', kind: 'Issuer', metadata: meta, spec } as any);
  applySyncWave(obj, SyncWave.STORAGE_AND_SECRETS);
  return obj;
}

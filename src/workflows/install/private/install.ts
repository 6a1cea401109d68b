// The Argo Workflows installation itself, built from the vendored upstream manifests: each
// upstream object is emitted hardened, or left out with the reason (docs/workflows-install.md).
import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { WORKFLOWS_SIZING } from './sizing-table';
import { UPSTREAM_MANIFESTS_JSON } from './upstream-manifests';
import { SizingPreset } from '../../../core/sizing-preset';
import { applySyncWave, SyncWave } from '../../../core/sync-wave';
import { reasonProblem, recordAcceptedRisk } from '../../../private/accepted-risks';
import { deferredChecks } from '../../../private/errors';
import { acmeSolverPolicy, backendTlsPolicy, BackendVerification, gatewayIngressPolicy, hostProblem, httpsRoute, nginxIngress, resolveGateway } from '../../../private/exposure';
import { boundRole } from '../../../private/kube';
import { internalCa, internalCertificate } from '../../../private/upstream/certificates';
import { disruptionBudget } from '../../../private/upstream/disruption';
import { crdChartFor } from '../../../private/upstream/embedded';
import { hardenPodSpec, topologySpread } from '../../../private/upstream/harden';
import { UpstreamDisposition, UpstreamManifests, UpstreamObject } from '../../../private/upstream/manifests';
import { sizedResources } from '../../../private/upstream/sizing';
import { requireDns1123Subdomain } from '../../../private/validate';
import { SecretKeyRef } from '../../../secrets';
import { SERVER_POD_LABELS } from '../../private/constants';
import { ArgoWorkflowsCrds, ArgoWorkflowsCrdSchemas } from '../crds';
import { ArgoWorkflowsInstallOptions } from '../install-options';
import { ArgoWorkflowsImage, ArgoWorkflowsRelease } from '../release';

/** The upstream names the rest of the library refers to. */
export const CONTROLLER_DEPLOYMENT = 'workflow-controller';
export const SERVER_DEPLOYMENT = 'argo-server';
export const SERVER_SERVICE = 'argo-server';
const SERVER_PORT = 2746;
/** The internal CA's Issuer and Secret, and argo-server's certificate Secret. */
const CA_NAME = 'argo-workflows-ca';
export const SERVER_TLS_SECRET = 'argo-server-tls';
/** Where the archive database's CA bundle is mounted. */
const DATABASE_CA_VOLUME = 'database-ca';
const DATABASE_CA_DIR = '/etc/argo-workflows/database-ca';
const DATABASE_CA_FILE = 'ca.crt';

/** Why upstream objects are left out; the documentation table repeats these. */
const OMITTED: [kind: string, name: string, reason: string][] = [
  ['Role', 'argo-role', "replaced by Role argo-workflow-controller: leases and ConfigMaps in the install namespace, Secrets only by name (upstream's namespace install also gives pods, pods/exec and workflows here, where no workflow runs)"],
  ['RoleBinding', 'argo-binding', 'replaced by RoleBinding argo-workflow-controller'],
  ['Role', 'argo-server-role', 'replaced by Role argo-server in the install namespace (ConfigMaps read, named Secrets) and a Role per workflow namespace; upstream also gives Secrets get/create, pods/exec and pods delete'],
  ['RoleBinding', 'argo-server-binding', 'replaced by RoleBinding argo-server'],
  ['ClusterRole', 'argo-aggregate-to-admin', "would add Argo Workflows rights to every namespace's admin ClusterRole; people get Roles per workflow namespace (HardenedWorkflowNamespace)"],
  ['ClusterRole', 'argo-aggregate-to-edit', "would add Argo Workflows rights to every namespace's edit ClusterRole; people get Roles per workflow namespace (HardenedWorkflowNamespace)"],
  ['ClusterRole', 'argo-aggregate-to-view', "would add Argo Workflows rights to every namespace's view ClusterRole; people get Roles per workflow namespace (HardenedWorkflowNamespace)"],
  ['ClusterRole', 'argo-cluster-role', 'pods and pods/exec create, workflows write in every namespace: replaced by a Role per workflow namespace and, cluster-scoped, a ClusterRole that only lists and watches'],
  ['ClusterRoleBinding', 'argo-binding', 'binds argo-cluster-role, which is left out'],
  ['ClusterRole', 'argo-server-cluster-role', 'Secrets get and create in every namespace: replaced by Roles with named Secrets and, cluster-scoped, a ClusterRole that only lists and watches'],
  ['ClusterRoleBinding', 'argo-server-binding', 'binds argo-server-cluster-role, which is left out'],
];
/** Upstream objects whose name SecureArgoWorkflows emits with its own content. */
const MERGED: [kind: string, name: string, reason: string][] = [
  ['ConfigMap', 'workflow-controller-configmap', 'SecureArgoWorkflows emits it with the hardened configuration (upstream ships it empty)'],
];

/** Properties of {@link ArgoWorkflowsInstall}: the options plus what SecureArgoWorkflows decides. */
export interface ArgoWorkflowsInstallProps extends ArgoWorkflowsInstallOptions {
  /** The install namespace. */
  readonly namespace: string;
  /** Namespace-scoped (upstream's namespace install) or cluster-scoped (install.yaml). */
  readonly namespaced: boolean;
  /** The controller's arguments, known only when the app is complete. */
  readonly controllerArgs: () => string[];
  /** argo-server's arguments (`server` first), known only when the app is complete. */
  readonly serverArgs: () => string[];
  /** The standard labels for a component. */
  readonly labels: (component: string) => Record<string, string>;
  /**
   * The namespace of the ingress controller, when the install namespace has NetworkPolicies (a
   * default deny), so that ACME HTTP-01 challenges for the Ingress's certificate can be answered.
   */
  readonly ingressControllerNamespace?: string;
  /** Whether the install namespace has NetworkPolicies (then the Gateway's proxies are admitted to argo-server). */
  readonly networkPolicies: boolean;
  /** The archive database's CA bundle, mounted into both Deployments. */
  readonly databaseCa?: SecretKeyRef;
}

/**
 * The workflow-controller and argo-server of the pinned release, with their service accounts,
 * Service, PriorityClass, PodDisruptionBudgets, argo-server's certificate and Ingress, and the
 * CRDs in a chart of their own. RBAC and the controller ConfigMap come from SecureArgoWorkflows.
 */
export class ArgoWorkflowsInstall extends Construct {
  /** The release installed. */
  public readonly release: ArgoWorkflowsRelease;
  /** Replicas of each Deployment. */
  public readonly replicas: number;
  /** The Secret with argo-server's certificate, when internal TLS is on. */
  public readonly serverTlsSecret: string | undefined;
  /** The CRDs (in their own chart). */
  public readonly crds: ArgoWorkflowsCrds;
  private readonly upstream: UpstreamManifests;

  public constructor(scope: Construct, id: string, props: ArgoWorkflowsInstallProps) {
    super(scope, id);
    const checks = deferredChecks(this);
    this.release = props.release ?? ArgoWorkflowsRelease.V4_1_2;
    for (const p of this.release._digestProblems()) checks.check(`install.release.${p.property}`, p.problem);
    this.replicas = props.highAvailability ? 2 : 1;
    this.upstream = UpstreamManifests.load(UPSTREAM_MANIFESTS_JSON, props.namespaced ? 'namespaced' : 'cluster');
    const size = props.size ?? SizingPreset.SMALL;
    for (const container of Object.keys(props.resources ?? {})) {
      if (![CONTROLLER_DEPLOYMENT, SERVER_DEPLOYMENT].includes(container)) {
        checks.check(`install.resources.${container}`, `is not a container of the install: use '${CONTROLLER_DEPLOYMENT}' or '${SERVER_DEPLOYMENT}'`);
      }
    }

    for (const [kind, name, reason] of OMITTED) if (this.upstream.has(kind, name)) this.upstream.omit(kind, name, reason);
    for (const [kind, name, reason] of MERGED) this.upstream.merge(kind, name, reason);

    for (const name of ['argo', 'argo-server']) {
      const sa = this.upstream.emit('ServiceAccount', name);
      // the pods mount their token explicitly; anything else using these accounts gets none
      this.emit(sa, props, name === 'argo' ? 'workflow-controller' : 'argo-server', SyncWave.SERVICE_ACCOUNTS_AND_RBAC,
        { automountServiceAccountToken: false });
    }

    this.serverTlsSecret = (props.internalTls ?? true) ? SERVER_TLS_SECRET : undefined;
    if (this.serverTlsSecret) this.serverCertificate(props);

    const service = this.upstream.emit('Service', SERVER_SERVICE);
    service.spec.ports = service.spec.ports.map((p: Record<string, unknown>) => ({ ...p, protocol: 'TCP', appProtocol: 'https' }));
    this.emit(service, props, 'argo-server', SyncWave.WORKLOADS);

    // keeps the controller scheduled when the cluster is full; cluster-scoped, like upstream's
    this.emit(this.upstream.emit('PriorityClass', 'workflow-controller'), props, 'workflow-controller', SyncWave.SERVICE_ACCOUNTS_AND_RBAC);

    this.workload(CONTROLLER_DEPLOYMENT, props, size, (container) => ({
      ...container,
      args: Lazy.any({ produce: () => [...props.controllerArgs(), `--executor-image=${this.release.imageReference(ArgoWorkflowsImage.ARGO_EXEC)}`] }),
    }));
    this.workload(SERVER_DEPLOYMENT, props, size, (container) => ({
      ...container,
      args: Lazy.any({
        produce: () => [...props.serverArgs(), ...this.serverTlsSecret ? [`--tls-certificate-secret-name=${this.serverTlsSecret}`] : []],
      }),
    }));

    if (props.ingress) this.ingress(props);
    if (props.gateway) this.gatewayRoute(props);
    const unaccounted = this.upstream.unaccounted();
    if (unaccounted.length > 0) throw new Error(`upstream objects not accounted for: ${unaccounted.join(', ')}`);

    this.crds = this.crdChart(props.crdSchemas ?? ArgoWorkflowsCrdSchemas.FULL);
  }

  /** What became of every upstream object, in upstream order. */
  public dispositions(): UpstreamDisposition[] {
    return this.upstream.dispositions();
  }

  private emit(obj: UpstreamObject, props: ArgoWorkflowsInstallProps, component: string, wave: SyncWave,
    extra: Record<string, unknown> = {}): ApiObject {
    const namespaced = obj.kind !== 'PriorityClass';
    const apiObject = new ApiObject(this, `${obj.kind}-${obj.metadata.name}`, {
      ...obj,
      ...extra,
      metadata: {
        ...obj.metadata,
        ...(namespaced ? { namespace: props.namespace } : {}),
        labels: { ...obj.metadata.labels, ...props.labels(component) },
      },
    } as any);
    applySyncWave(apiObject, wave);
    return apiObject;
  }

  private workload(name: string, props: ArgoWorkflowsInstallProps, size: SizingPreset, main: (c: Record<string, any>) => Record<string, any>): void {
    const obj = this.upstream.emit('Deployment', name);
    const spec = obj.spec.template.spec;
    spec.containers = spec.containers.map((c: Record<string, any>) => (c.name === name ? withDatabaseCa(main(c), props.databaseCa) : c));
    if (props.databaseCa) {
      spec.volumes = [...spec.volumes ?? [], {
        name: DATABASE_CA_VOLUME,
        secret: { secretName: props.databaseCa.secretName, items: [{ key: props.databaseCa.key, path: DATABASE_CA_FILE }] },
      }];
    }
    const hardened = hardenPodSpec(spec, {
      resources: (container) => sizedResources(this, `install.resources.${container}`, WORKFLOWS_SIZING, size, container, props.resources?.[container]),
      image: (reference) => {
        const image = this.release._imageFor(reference);
        if (!image) throw new Error(`upstream image '${reference}' is not an image of the release`);
        return this.release.imageReference(image);
      },
      // both call the API server
      automountServiceAccountToken: true,
    });
    const selector: Record<string, string> = obj.spec.selector.matchLabels;
    const deployment: UpstreamObject = {
      ...obj,
      spec: {
        ...obj.spec,
        replicas: this.replicas,
        template: {
          ...obj.spec.template,
          spec: { ...hardened, ...(this.replicas > 1 ? { topologySpreadConstraints: topologySpread(selector) } : {}) },
        },
      },
    };
    this.emit(deployment, props, name, SyncWave.WORKLOADS);
    disruptionBudget(this, `Pdb-${name}`, {
      name, namespace: props.namespace, labels: props.labels(name), selector, replicas: this.replicas,
    });
  }

  /** argo-server's certificate from the internal CA, and the right to read it (by name). */
  private serverCertificate(props: ArgoWorkflowsInstallProps): void {
    const labels = props.labels('argo-server');
    const issuer = internalCa(this, { name: CA_NAME, namespace: props.namespace, labels });
    internalCertificate(this, 'ServerCertificate', {
      name: SERVER_TLS_SECRET, namespace: props.namespace, labels, issuer, services: [SERVER_SERVICE],
    });
    boundRole(this, {
      roleId: 'ServerTlsRole',
      bindingId: 'ServerTlsRoleBinding',
      name: 'argo-server-tls',
      namespace: props.namespace,
      labels,
      rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: [SERVER_TLS_SECRET] }],
      subjects: [{ kind: 'ServiceAccount', name: 'argo-server', namespace: props.namespace }],
    });
  }

  /** How the ingress or Gateway verifies argo-server: `ca.crt` of its own certificate Secret (the internal CA). */
  private verification(props: ArgoWorkflowsInstallProps, property: string): BackendVerification | undefined {
    if (!this.serverTlsSecret) {
      deferredChecks(this).check(property, 'needs internalTls: without it argo-server has a self-signed certificate that cannot be verified, so anyone on the path to the pod could read and change traffic');
      return undefined;
    }
    return { caSecret: this.serverTlsSecret, serverName: `${SERVER_SERVICE}.${props.namespace}.svc` };
  }

  /**
   * An ingress-nginx Ingress: TLS at the ingress with the public certificate, and TLS to
   * argo-server verified against the internal CA.
   */
  private ingress(props: ArgoWorkflowsInstallProps): void {
    const options = props.ingress!;
    const checks = deferredChecks(this);
    if (props.gateway) checks.check('install.gateway', 'is set together with install.ingress: choose one');
    checks.check('install.ingress.host', hostProblem(options.host, false));
    const tlsSecret = requireDns1123Subdomain(this, 'install.ingress.tlsSecretName', options.tlsSecretName ?? 'argo-server-ingress-tls');
    const ingressClassName = requireDns1123Subdomain(this, 'install.ingress.ingressClassName', options.ingressClassName ?? 'nginx');
    const annotations: Record<string, string> = {};
    if (options.clusterIssuer) {
      annotations['cert-manager.io/cluster-issuer'] = requireDns1123Subdomain(this, 'install.ingress.clusterIssuer', options.clusterIssuer);
      if (props.ingressControllerNamespace) {
        acmeSolverPolicy(this, 'AcmeSolverPolicy', {
          name: 'acme-http01-solver',
          namespace: props.namespace,
          labels: props.labels('network-policy'),
          from: { ingressControllerNamespace: props.ingressControllerNamespace },
        });
      }
    }
    const verification = this.verification(props, 'install.ingress');
    if (!verification) return;
    const ingress = nginxIngress(this, 'Ingress', {
      name: SERVER_SERVICE,
      namespace: props.namespace,
      labels: props.labels('argo-server'),
      host: options.host,
      ingressClassName,
      tlsSecret,
      service: SERVER_SERVICE,
      servicePort: { number: SERVER_PORT },
      backend: verification,
      annotations,
    });
    applySyncWave(ingress, SyncWave.WORKLOADS);
  }

  /**
   * An HTTPRoute on the Gateway, which terminates TLS, and a BackendTLSPolicy with which it verifies
   * argo-server against the internal CA; with NetworkPolicies, the Gateway's proxies may reach argo-server.
   */
  private gatewayRoute(props: ArgoWorkflowsInstallProps): void {
    const options = props.gateway!;
    const checks = deferredChecks(this);
    checks.check('install.gateway.host', hostProblem(options.host, options.allowWildcardHost !== undefined));
    // A reason given is checked whatever the host; it is recorded only where a wildcard host uses it.
    const wildcardAck = options.allowWildcardHost;
    const wildcardReason = wildcardAck !== undefined
      && checks.check('install.gateway.allowWildcardHost.reason', reasonProblem(wildcardAck?.reason, 'why every name under the domain reaches argo-server'))
      && options.host?.startsWith('*.') ? wildcardAck.reason : undefined;
    const gateway = resolveGateway(checks, 'install.gateway.gateway', options.gateway);
    const verification = this.verification(props, 'install.gateway');
    if (!verification) return;
    const labels = props.labels('argo-server');
    const common = { name: SERVER_SERVICE, namespace: props.namespace, labels };
    const route = httpsRoute(this, 'HttpRoute', { ...common, host: options.host, gateway, service: SERVER_SERVICE, port: SERVER_PORT });
    applySyncWave(route, SyncWave.WORKLOADS);
    if (wildcardReason !== undefined) recordAcceptedRisk(route, 'install.gateway.allowWildcardHost', wildcardReason);
    applySyncWave(backendTlsPolicy(this, 'BackendTlsPolicy', { ...common, service: SERVER_SERVICE, portName: 'web', verification }), SyncWave.WORKLOADS);
    if (props.networkPolicies) {
      gatewayIngressPolicy(this, 'GatewayNetworkPolicy', {
        name: 'argo-server-from-gateway',
        namespace: props.namespace,
        labels: props.labels('network-policy'),
        podLabels: SERVER_POD_LABELS,
        port: SERVER_PORT,
        dataPlane: gateway.dataPlane,
      });
    }
  }

  /**
   * The CRDs, in a chart `<chart id>-crds` next to the install's, which depends on it (so it is
   * applied first); shared with an Argo CD install in the same chart.
   */
  private crdChart(schemas: ArgoWorkflowsCrdSchemas): ArgoWorkflowsCrds {
    const crdChart = crdChartFor(this);
    const crds = crdChart.node.tryFindChild('ArgoWorkflowsCrds');
    return crds instanceof ArgoWorkflowsCrds ? crds : new ArgoWorkflowsCrds(crdChart, 'ArgoWorkflowsCrds', { schemas });
  }
}

/**
 * Both Deployments talk to the archive database. Argo's PostgreSQL connection string has no
 * `sslrootcert`; lib/pq (v1.12.3) reads the CA path from `PGSSLROOTCERT` instead.
 */
function withDatabaseCa(container: Record<string, any>, ca: SecretKeyRef | undefined): Record<string, any> {
  if (!ca) return container;
  return {
    ...container,
    env: [...container.env ?? [], { name: 'PGSSLROOTCERT', value: `${DATABASE_CA_DIR}/${DATABASE_CA_FILE}` }],
    volumeMounts: [...container.volumeMounts ?? [], { name: DATABASE_CA_VOLUME, mountPath: DATABASE_CA_DIR, readOnly: true }],
  };
}

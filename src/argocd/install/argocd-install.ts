import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { ArgoCdInstallOptions } from './argocd-install-options';
import { ArgoCdCrds } from './crds';
import { ArgoCdComponent, ArgoCdNetworkPoliciesOptions } from '../network-policies';
import { withCertificateWatch, WatchedCertificate } from './private/certificate-watch';
import { CONTROLLER_VERBS, deriveAccess, IN_CLUSTER, grantsWithVerbs as namespacedRules, SERVER_VERBS, serverExtras } from './private/derived-access';
import { ARGOCD_SIZING } from './private/sizing-table';
import { UPSTREAM_MANIFESTS_JSON } from './private/upstream-manifests';
import { ArgoCdImage, ArgoCdRelease } from './release';
import { LABEL_MANAGED_BY, LABEL_NAME, LABEL_PART_OF, MANAGED_BY, standardLabels } from '../../core/labels';
import { SizingPreset } from '../../core/sizing-preset';
import { applySyncWave, SyncWave, syncWaveForKind } from '../../core/sync-wave';
import { reasonProblem, recordAcceptedRisk } from '../../private/accepted-risks';
import { broadCidrsProblem } from '../../private/cidr';
import { deferredChecks, invalid } from '../../private/errors';
import { acmeSolverPolicy } from '../../private/exposure';
import { boundRole, dnsEgressRule, grantRules, networkPolicy, tcpPorts } from '../../private/kube';
import { registerDerivation, registerLibraryConstruct } from '../../private/stamp';
import { internalCa, internalCertificate } from '../../private/upstream/certificates';
import { disruptionBudget } from '../../private/upstream/disruption';
import { crdChartFor } from '../../private/upstream/embedded';
import { hardenPodSpec } from '../../private/upstream/harden';
import { objectKey, UpstreamDisposition, UpstreamManifests, UpstreamObject } from '../../private/upstream/manifests';
import { sizedResources } from '../../private/upstream/sizing';
import { requireCidr, requireDns1123Label, requirePort } from '../../private/validate';
import { SealedOrExternalSecret } from '../../secrets/sealed-or-external-secret';
import { SecretSource } from '../../secrets/secret-source';
import { dialedClustersOf, DIALING_COMPONENTS, dialingNeeds } from '../private/cluster-dialing';
import { SERVER_TLS_SECRET } from '../private/names';
import { isSelfManagementObject } from '../private/self-management-resources';

const CONTROLLER = 'argocd-application-controller';
const SERVER = 'argocd-server';
const DEX = 'argocd-dex-server';
const REPO_SERVER = 'argocd-repo-server';
const REDIS_SECRET = 'argocd-redis';
const DEX_TLS_SECRET = 'argocd-dex-server-tls';
const INTERNAL_CA = 'argocd-internal-ca';
const HAPROXY = 'argocd-redis-ha-haproxy';
const REDIS_HA = 'argocd-redis-ha';

/** Pods that call the Kubernetes API and so mount a service account token. */
const API_CLIENTS = new Set([CONTROLLER, SERVER, DEX, 'argocd-applicationset-controller', 'argocd-notifications-controller']);

/** Props for {@link ArgoCdInstall}: the options plus what SecureArgoCD writes itself. */
export interface ArgoCdInstallProps extends ArgoCdInstallOptions {
  readonly namespace: string;
  /** Whether Dex is configured; without it the Dex objects are left out. */
  readonly dex: boolean;
  /**
   * SecureArgoCD's `dexServerStrictTls`: with Dex and internal TLS, argocd-server pins Dex's
   * certificate unless this is false.
   */
  readonly dexServerStrictTls?: boolean;
  /** Whether SecureArgoCD writes argocd-notifications-cm (audit notifications). */
  readonly notificationsConfigured: boolean;
  /** Whether SecureArgoCD writes argocd-gpg-keys-cm (its gpgKeys). */
  readonly gpgKeysConfigured?: boolean;
  /** SecureArgoCD's NetworkPolicies options, or undefined when NetworkPolicies are disabled. */
  readonly networkPolicies?: ArgoCdNetworkPoliciesOptions;
  /** Whether cert-manager issues argocd-server's certificate (then possibly by ACME HTTP-01). */
  readonly serverCertificateFromIssuer: boolean;
  /**
   * Whether argocd-server serves a certificate from the internal CA in `argocd-server-tls`, which
   * the exposure verifies when it re-encrypts.
   */
  readonly serverCertificateFromInternalCa?: boolean;
  /**
   * Whether Argo CD syncs its own installation: the controller then watches every namespace of
   * the install's chart and cluster-scoped objects.
   */
  readonly selfManaged?: boolean;
}

/**
 * The Argo CD install, from the upstream namespace install of the pinned release, hardened:
 * every upstream object is emitted (restricted pods with requests and limits, pinned images,
 * tokens only for API clients, namespaced), merged into the object SecureArgoCD writes under its
 * name, or left out for a recorded reason; plus what upstream lacks: RBAC derived from the
 * AppProjects, the in-cluster cluster Secret, PodDisruptionBudgets and internal TLS.
 *
 * Created by SecureArgoCD.
 */
export class ArgoCdInstall extends Construct {
  /** Argo CD's namespace. */
  public readonly namespace: string;
  /** The release installed. */
  public readonly release: ArgoCdRelease;
  /** Whether the HA install is used. */
  public readonly highAvailability: boolean;
  /** Whether cert-manager issues the repo-server's and Dex's certificates. */
  public readonly internalTls: boolean;
  /**
   * Whether argocd-server verifies Dex's certificate and pins it (`server.dex.server.strict.tls`):
   * with Dex and internal TLS unless turned off. Dex and argocd-server then restart by themselves
   * when the certificate is renewed.
   */
  public readonly dexStrictTls: boolean;
  /** Whether the application controller is cluster-wide (explicit opt-in). */
  public readonly clusterWide: boolean;
  /** The CRDs, in their own chart. */
  public readonly crds: ArgoCdCrds;
  /** The reason for `clusterWide`, when it passed its check: recorded on the cluster-wide grants. */
  private readonly clusterWideReason?: string;
  private readonly upstream: UpstreamManifests;
  private readonly props: ArgoCdInstallProps;
  private readonly emitted = new Map<string, ApiObject>();

  constructor(scope: Construct, id: string, props: ArgoCdInstallProps) {
    super(scope, id);
    registerLibraryConstruct(this, 'argocd');
    this.props = props;
    this.namespace = requireDns1123Label(this, 'namespace', props.namespace);
    this.release = props.release ?? ArgoCdRelease.V3_5_1;
    if (!(this.release instanceof ArgoCdRelease)) invalid(this, 'install.release', 'is not an ArgoCdRelease: use ArgoCdRelease.V3_5_1.withDigests({ ...digests })');
    for (const { property, problem } of this.release._digestProblems()) invalid(this, `install.release.${property}`, problem);
    const size = props.size ?? SizingPreset.SMALL;
    if (!Object.values(SizingPreset).includes(size)) invalid(this, 'install.size', `'${size}' is not a preset: use SizingPreset`);
    this.highAvailability = props.highAvailability ?? false;
    this.internalTls = props.internalTls ?? true;
    this.dexStrictTls = props.dex && this.internalTls && props.dexServerStrictTls !== false;
    this.clusterWide = props.clusterWide !== undefined;
    if (this.clusterWide && deferredChecks(this).check('install.clusterWide.reason',
      reasonProblem(props.clusterWide!.reason, 'why the controller needs every namespace'))) {
      this.clusterWideReason = props.clusterWide!.reason;
    }
    (props.managedNamespaces ?? []).forEach((ns, i) => requireDns1123Label(this, `install.managedNamespaces[${i}]`, ns));
    this.upstream = UpstreamManifests.load(UPSTREAM_MANIFESTS_JSON, this.highAvailability ? 'ha' : 'standard');
    const containers = new Set(this.upstream.keys().flatMap((key) => {
      const [kind, name] = key.split('/');
      const spec = kind === 'Deployment' || kind === 'StatefulSet' ? this.upstream.get(kind, name).spec.template.spec : undefined;
      return spec ? [...spec.containers, ...(spec.initContainers ?? [])].map((c: { name: string }) => c.name) : [];
    }));
    for (const name of Object.keys(props.resources ?? {})) {
      if (!containers.has(name)) invalid(this, `install.resources.${name}`, `is not a container of the install: use one of ${[...containers].sort().join(', ')}`);
    }

    this.crds = this.crdChart();
    this.accountForDecisions();
    const generatedPassword = props.redisPassword === undefined;
    if (!generatedPassword) this.redisPasswordSecret(props.redisPassword!);

    for (const kind of ['ServiceAccount', 'Role', 'RoleBinding', 'ConfigMap', 'Secret', 'Service']) {
      for (const obj of this.upstream.pending(kind)) this.emit(this.adjust(obj, generatedPassword));
    }
    for (const kind of ['Deployment', 'StatefulSet']) {
      for (const obj of this.upstream.pending(kind)) this.emitWorkload(obj, size, generatedPassword);
    }
    for (const obj of this.upstream.pending('NetworkPolicy')) this.emitRedisHaPolicy(obj, generatedPassword);
    if (this.highAvailability && props.networkPolicies) this.redisHaClientsPolicy();
    if (props.networkPolicies) this.dnsAndSolverPolicies(props.networkPolicies);
    if (this.internalTls) {
      this.certificates();
    } else if (props.serverCertificateFromInternalCa) {
      invalid(this, 'install.internalTls', 'is off, but the exposure re-encrypts to argocd-server and verifies its certificate, which the internal CA issues: keep internalTls on, or use TLS passthrough');
    }

    // Projects and Applications may be added anywhere in the app after this construct: the
    // access they need is derived when the app is validated, right before synthesis.
    registerDerivation(this, () => this.derive());
  }

  /** argocd-cmd-params-cm entries the install needs (merged into SecureArgoCD's ConfigMap). */
  public cmdParams(): Record<string, string> {
    if (!this.highAvailability) return {};
    return { 'redis.server': `${HAPROXY}:6379` };
  }

  /**
   * argocd-cmd-params-cm entries that depend on the rest of the app, read at synth (so an
   * ApplicationSet added after SecureArgoCD counts): progressive syncs when an ApplicationSet in
   * Argo CD's namespace rolls out with RollingSync. Without the flag the ApplicationSet
   * controller ignores the strategy and updates every Application at once.
   */
  public appDependentCmdParams(): Record<string, string> {
    const rollingSync = this.appObjects().some((o) => o.kind === 'ApplicationSet' && o.apiGroup === 'argoproj.io'
      && (o.metadata.namespace ?? this.namespace) === this.namespace && o.toJson().spec?.strategy?.type === 'RollingSync');
    return rollingSync ? { 'applicationsetcontroller.enable.progressive.syncs': 'true' } : {};
  }

  /** Adds containers and volumes to the repo-server pod (a config management plugin sidecar). */
  public addRepoServerSidecar(sidecar: { containers: unknown[]; volumes: unknown[] }): void {
    const deployment = this.node.findChild('Deployment-argocd-repo-server') as ApiObject;
    for (const container of sidecar.containers) deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/-', container));
    for (const volume of sidecar.volumes) deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/volumes/-', volume));
  }

  /** What became of every upstream object, in upstream order (for the documentation table). */
  public dispositions(): UpstreamDisposition[] {
    return this.upstream.dispositions();
  }

  /** Upstream objects nobody accounted for (empty unless a version bump added some). */
  public unaccounted(): string[] {
    return this.upstream.unaccounted();
  }

  /**
   * The CRDs, in a chart `<chart id>-crds` next to the install's, which depends on it (so it is
   * applied first); shared by the installs of one chart.
   */
  private crdChart(): ArgoCdCrds {
    const crdChart = crdChartFor(this);
    const crds = crdChart.node.tryFindChild('Crds');
    return crds instanceof ArgoCdCrds ? crds : new ArgoCdCrds(crdChart, 'Crds');
  }

  private accountForDecisions(): void {
    const { upstream, props } = this;
    const merged: [string, string, string][] = [
      ['ConfigMap', 'argocd-cm', 'SecureArgoCD writes it (login, SSO, resource settings), keeping upstream\'s resource exclusions and ignored updates'],
      ['ConfigMap', 'argocd-rbac-cm', 'SecureArgoCD writes it (roles, group mappings, default role)'],
      ['ConfigMap', 'argocd-cmd-params-cm', 'SecureArgoCD writes it (TLS and component flags; with HA also upstream\'s redis.server)'],
    ];
    if (props.gpgKeysConfigured) merged.push(['ConfigMap', 'argocd-gpg-keys-cm', 'SecureArgoCD writes it (the GnuPG public keys of gpgKeys)']);
    if (props.notificationsConfigured) merged.push(['ConfigMap', 'argocd-notifications-cm', 'ArgoCdAuditNotifications writes it (audit triggers and templates)']);
    if (props.networkPolicies) {
      const excluded = new Set(props.networkPolicies.excludeComponents ?? []);
      for (const component of Object.values(ArgoCdComponent).filter((c) => !excluded.has(c))) {
        merged.push(['NetworkPolicy', `${component}-network-policy`, 'ArgoCdNetworkPolicies writes it with ingress and egress rules (upstream: ingress only), beside a default deny']);
      }
    }
    for (const [kind, name, reason] of merged) if (upstream.has(kind, name)) upstream.merge(kind, name, reason);
    if (!props.dex) {
      const reason = 'Dex is not configured (no OidcSso.dex()): argocd-server never calls it';
      for (const kind of ['ServiceAccount', 'Role', 'RoleBinding', 'Service', 'Deployment', 'NetworkPolicy']) {
        const name = kind === 'NetworkPolicy' ? `${DEX}-network-policy` : DEX;
        if (upstream.has(kind, name) && !upstream.dispositions().some((d) => d.kind === kind && d.name === name)) upstream.omit(kind, name, reason);
      }
    }
    if (props.redisPassword !== undefined && upstream.has('Role', REDIS_SECRET)) {
      const reason = 'the Redis password comes from install.redisPassword: no init container creates it, so Redis needs no API access';
      upstream.omit('Role', REDIS_SECRET, reason);
      upstream.omit('RoleBinding', REDIS_SECRET, reason);
    }
    for (const obj of upstream.pending('NetworkPolicy')) {
      const haPolicy = obj.metadata.name.startsWith(REDIS_HA);
      if (!props.networkPolicies) {
        upstream.omit('NetworkPolicy', obj.metadata.name, 'NetworkPolicies are disabled (disableNetworkPolicies)');
      } else if (!haPolicy) {
        upstream.omit('NetworkPolicy', obj.metadata.name, 'the component is in networkPolicies.excludeComponents: the namespace default deny applies until you add its policy');
      }
    }
  }

  /** Namespace, our labels, and namespaced service account subjects on a plain upstream object. */
  private adjust(obj: UpstreamObject, generatedPassword: boolean): UpstreamObject {
    const labels = { ...obj.metadata.labels, [LABEL_MANAGED_BY]: MANAGED_BY };
    const out: any = { ...obj, metadata: { ...obj.metadata, namespace: this.namespace, labels } };
    if (obj.kind === 'RoleBinding') {
      out.subjects = obj.subjects.map((s: any) => (s.kind === 'ServiceAccount' ? { ...s, namespace: this.namespace } : s));
    }
    if (obj.kind === 'Role' && obj.metadata.name === HAPROXY && !generatedPassword) {
      // Upstream grants Secret create for secret-init only, which does not run with a supplied password.
      out.rules = obj.rules.filter((r: any) => !(r.resources ?? []).includes('secrets'));
    }
    return out;
  }

  private emit(obj: UpstreamObject): ApiObject {
    const apiObject = new ApiObject(this, `${obj.kind}-${obj.metadata.name}`, obj as any);
    this.emitted.set(objectKey(obj.kind, obj.metadata.name), apiObject);
    applySyncWave(apiObject, syncWaveForKind(obj.kind));
    this.upstream.emit(obj.kind, obj.metadata.name);
    return apiObject;
  }

  private emitWorkload(obj: UpstreamObject, size: SizingPreset, generatedPassword: boolean): void {
    const name = obj.metadata.name;
    const template = obj.spec.template;
    let spec = template.spec;
    const watched = this.watchedCertificate(name, spec);
    if (watched) spec = withCertificateWatch(spec, watched);
    if (!generatedPassword && spec.initContainers) {
      const initContainers = spec.initContainers.filter((c: any) => c.name !== 'secret-init');
      spec = { ...spec, initContainers: initContainers.length > 0 ? initContainers : undefined };
      if (!spec.initContainers) delete spec.initContainers;
    }
    const callsApi = API_CLIENTS.has(name) || (generatedPassword && (name === REDIS_SECRET || name === HAPROXY));
    const hardened = hardenPodSpec(spec, {
      resources: (container) => sizedResources(this, `install.resources.${container}`, ARGOCD_SIZING, size, container, this.props.resources?.[container]),
      image: (ref) => {
        const image = this.release._imageFor(ref);
        if (image === undefined) throw new Error(`upstream image '${ref}' of ${name} is not an image of release ${this.release.version}`);
        return this.release.imageReference(image);
      },
      automountServiceAccountToken: callsApi,
    });
    // kubectl logs/exec pick the component itself, not a plugin sidecar added later or the certificate watcher.
    const defaultContainer = name === REPO_SERVER ? REPO_SERVER : watched?.container;
    const metadata = defaultContainer
      ? { ...template.metadata, annotations: { ...template.metadata?.annotations, 'kubectl.kubernetes.io/default-container': defaultContainer } }
      : template.metadata;
    this.emit(this.adjust({ ...obj, spec: { ...obj.spec, template: { ...template, metadata, spec: hardened } } }, generatedPassword));
    disruptionBudget(this, `Pdb-${name}`, {
      name,
      namespace: this.namespace,
      labels: standardLabels({ name, partOf: 'argocd' }),
      selector: obj.spec.selector.matchLabels,
      replicas: obj.spec.replicas ?? 1,
    });
  }

  /**
   * With strict Dex TLS, the process that loads Dex's certificate at startup in each of the two
   * pods (argocd-dex rundex, which hands it to Dex, and argocd-server, which pins it) is restarted
   * when cert-manager renews it, by a watcher running the Argo CD image, which both pods already
   * use (Dex's for copyutil).
   */
  private watchedCertificate(name: string, spec: Record<string, any>): WatchedCertificate | undefined {
    if (!this.dexStrictTls || (name !== SERVER && name !== DEX)) return undefined;
    const images = [...spec.containers, ...(spec.initContainers ?? [])].map((c: { image: string }) => c.image);
    const image = images.find((ref) => this.release._imageFor(ref) === ArgoCdImage.ARGOCD);
    if (image === undefined) throw new Error(`${name} runs no Argo CD image of release ${this.release.version}`);
    const volume = spec.volumes.find((v: any) => v.secret?.secretName === DEX_TLS_SECRET);
    if (volume === undefined) throw new Error(`${name} mounts no volume of Secret ${DEX_TLS_SECRET}`);
    return { container: name === DEX ? 'dex' : SERVER, volume: volume.name, file: 'tls.crt', image };
  }

  private redisPasswordSecret(source: SecretSource): void {
    if (!SecretSource.isSecretSource(source)) invalid(this, 'install.redisPassword', 'is not a SecretSource: use SecretSource.sealed() or SecretSource.external()');
    const secret = new SealedOrExternalSecret(this, 'RedisPassword', {
      namespace: this.namespace,
      name: REDIS_SECRET,
      source,
      labels: { [LABEL_PART_OF]: 'argocd' },
    });
    if (!secret.keys.includes('auth')) {
      invalid(this, 'install.redisPassword', "lacks the key 'auth', which Redis and every client read: provide it (a dataFrom key must be declared in expectedKeys)");
    }
  }

  /** Upstream's HA Redis policies admit traffic only; these also restrict egress. */
  private emitRedisHaPolicy(obj: UpstreamObject, generatedPassword: boolean): void {
    const network = this.props.networkPolicies!;
    const peer = (name: string) => ({ podSelector: { matchLabels: { [LABEL_NAME]: name } } });
    const redisPorts = tcpPorts([6379, 26379]);
    const dns = dnsEgressRule(network.dnsNamespace ?? 'kube-system', network.dnsPodLabels);
    const api: k8s.NetworkPolicyEgressRule = {
      to: network.kubernetesApi.cidrs.map((cidr) => ({ ipBlock: { cidr } })),
      ports: tcpPorts(network.kubernetesApi.ports),
    };
    const isProxy = obj.spec.podSelector.matchLabels[LABEL_NAME] === HAPROXY;
    const spec = isProxy
      ? {
        podSelector: obj.spec.podSelector,
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [CONTROLLER, SERVER, REPO_SERVER].map(peer), ports: tcpPorts([6379]) }],
        egress: [dns, { to: [peer(REDIS_HA)], ports: redisPorts }, ...(generatedPassword ? [api] : [])],
      }
      : {
        podSelector: obj.spec.podSelector,
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [peer(HAPROXY), peer(REDIS_HA)], ports: redisPorts }],
        egress: [dns, { to: [peer(REDIS_HA)], ports: redisPorts }],
      };
    this.emit(this.adjust({ ...obj, spec: k8s.toJson_NetworkPolicySpec(spec as k8s.NetworkPolicySpec) }, generatedPassword));
  }

  /** With HA, Redis clients talk to HAProxy, which the component policies do not name. */
  private redisHaClientsPolicy(): void {
    const policy = new k8s.KubeNetworkPolicy(this, 'RedisHaClients', {
      metadata: { name: 'argocd-redis-ha-clients', namespace: this.namespace, labels: standardLabels({ name: 'argocd-redis-ha-clients', partOf: 'argocd' }) },
      spec: {
        podSelector: { matchExpressions: [{ key: LABEL_NAME, operator: 'In', values: [CONTROLLER, REPO_SERVER, SERVER] }] },
        policyTypes: ['Egress'],
        egress: [{ to: [{ podSelector: { matchLabels: { [LABEL_NAME]: HAPROXY } } }], ports: tcpPorts([6379]) }],
      },
    });
    applySyncWave(policy, SyncWave.SERVICE_ACCOUNTS_AND_RBAC);
  }

  /**
   * Policies add up, so these widen the component policies: DNS on a node-local cache or other
   * ports, and the ingress controller reaching cert-manager's HTTP-01 solver pods, which the
   * namespace's default deny would block (an ACME certificate would never be issued).
   */
  private dnsAndSolverPolicies(network: ArgoCdNetworkPoliciesOptions): void {
    const nodeLocal = (this.props.nodeLocalDnsCidrs ?? []).map((cidr, i) => requireCidr(this, `install.nodeLocalDnsCidrs[${i}]`, cidr));
    // DNS to (nearly) every address would let every Argo CD pod reach any host on the DNS ports.
    const broad = broadCidrsProblem(nodeLocal);
    if (broad) invalid(this, 'install.nodeLocalDnsCidrs', `${broad} (the node-local DNS cache's address, e.g. 169.254.20.10/32)`);
    const ports = (this.props.dnsPorts ?? [53]).map((port, i) => requirePort(this, `install.dnsPorts[${i}]`, port));
    if (this.props.dnsPorts?.length === 0) invalid(this, 'install.dnsPorts', 'is empty: give the DNS ports, e.g. [53]');
    if (nodeLocal.length > 0 || this.props.dnsPorts !== undefined) {
      const dnsPorts = [...ports.map((port) => ({ protocol: 'UDP', port: k8s.IntOrString.fromNumber(port) })), ...tcpPorts(ports)];
      networkPolicy(this, 'DnsEgress', {
        name: 'argocd-dns-egress',
        namespace: this.namespace,
        labels: standardLabels({ name: 'argocd-dns-egress', partOf: 'argocd' }),
        spec: {
          // Redis resolves nothing, so it stays without DNS.
          podSelector: { matchExpressions: [{ key: LABEL_NAME, operator: 'NotIn', values: [REDIS_SECRET, REDIS_HA, HAPROXY] }] },
          policyTypes: ['Egress'],
          egress: [{
            to: [
              { ...dnsEgressRule(network.dnsNamespace ?? 'kube-system', network.dnsPodLabels).to![0] },
              ...nodeLocal.map((cidr) => ({ ipBlock: { cidr } })),
            ],
            ports: dnsPorts,
          }],
        },
      });
    }
    if (this.props.serverCertificateFromIssuer) {
      acmeSolverPolicy(this, 'AcmeSolver', {
        name: 'argocd-acme-http01-solver',
        namespace: this.namespace,
        labels: standardLabels({ name: 'argocd-acme-http01-solver', partOf: 'argocd' }),
        from: { ingressControllerNamespace: network.ingressControllerNamespace ?? 'ingress-nginx' },
      });
    }
  }

  private certificates(): void {
    const labels = standardLabels({ name: INTERNAL_CA, partOf: 'argocd' });
    const issuer = internalCa(this, { name: INTERNAL_CA, namespace: this.namespace, labels });
    internalCertificate(this, 'RepoServerCertificate', {
      name: 'argocd-repo-server-tls',
      namespace: this.namespace,
      issuer,
      services: [REPO_SERVER],
      labels: standardLabels({ name: 'argocd-repo-server-tls', partOf: 'argocd' }),
    });
    if (this.props.serverCertificateFromInternalCa) {
      internalCertificate(this, 'ServerCertificate', {
        name: SERVER_TLS_SECRET,
        namespace: this.namespace,
        issuer,
        services: [SERVER],
        labels: standardLabels({ name: SERVER_TLS_SECRET, partOf: 'argocd' }),
      });
    }
    if (this.props.dex) {
      internalCertificate(this, 'DexCertificate', {
        name: DEX_TLS_SECRET,
        namespace: this.namespace,
        issuer,
        services: [DEX],
        labels: standardLabels({ name: DEX_TLS_SECRET, partOf: 'argocd' }),
      });
    }
  }

  private derive(): string[] {
    this.yieldToObjectsWrittenElsewhere();
    const access = deriveAccess(this.appObjects().filter((c) => !isSelfManagementObject(c)), this.namespace, this.props.managedNamespaces ?? []);
    const derived = access.problems.map((p) => `${this.constructor.name} '${this.node.path}': install: ${p}`);
    derived.push(...this.equipDialingPods());
    const subject = (name: string): k8s.Subject => ({ kind: 'ServiceAccount', name, namespace: this.namespace });

    if (this.clusterWide) {
      const all = [...access.namespaces.values()].flat();
      const roles = [
        this.clusterRole('ControllerClusterRole', `${CONTROLLER}-managed-resources`, CONTROLLER,
          grantRules([...namespacedRules(all, CONTROLLER_VERBS), ...namespacedRules(access.clusterResources, CONTROLLER_VERBS)])),
        this.clusterRole('ServerClusterRole', `${SERVER}-managed-resources`, SERVER,
          grantRules([...namespacedRules(all, SERVER_VERBS), ...namespacedRules(access.clusterResources, SERVER_VERBS), ...serverExtras(all)])),
      ];
      // The cluster-wide grants carry the reason they were accepted for.
      const reason = this.clusterWideReason;
      if (reason !== undefined) roles.forEach((role) => recordAcceptedRisk(role, 'install.clusterWide', reason));
      return derived;
    }

    for (const [namespace, grants] of access.namespaces) {
      for (const [component, verbs, extras] of [[CONTROLLER, CONTROLLER_VERBS, []], [SERVER, SERVER_VERBS, serverExtras(grants)]] as const) {
        boundRole(this, {
          roleId: `Role-${component}-${namespace}`,
          bindingId: `RoleBinding-${component}-${namespace}`,
          name: component,
          namespace,
          labels: standardLabels({ name: component, partOf: 'argocd' }),
          rules: grantRules([...namespacedRules(grants, [...verbs]), ...extras]),
          subjects: [subject(component)],
        });
      }
    }
    if (access.clusterResources.length > 0) {
      this.clusterRole('ControllerClusterRole', `${CONTROLLER}-cluster-resources`, CONTROLLER, grantRules(namespacedRules(access.clusterResources, CONTROLLER_VERBS)));
      this.clusterRole('ServerClusterRole', `${SERVER}-cluster-resources`, SERVER, grantRules(namespacedRules(access.clusterResources, SERVER_VERBS)));
    }
    // The controller then watches only these namespaces; with none, only its own.
    const managed = [...access.namespaces.keys(), ...(this.props.selfManaged ? this.selfManagedNamespaces() : [])];
    const namespaces = managed.length > 0 ? [...new Set(managed)].sort() : [this.namespace];
    const secret = new k8s.KubeSecret(this, 'InClusterSecret', {
      metadata: {
        name: 'argocd-cluster-in-cluster',
        namespace: this.namespace,
        labels: { ...standardLabels({ name: 'argocd-cluster-in-cluster', partOf: 'argocd' }), 'argocd.argoproj.io/secret-type': 'cluster' },
      },
      // No credential: for this server the controller uses its own service account.
      stringData: {
        name: IN_CLUSTER.name,
        server: IN_CLUSTER.server,
        namespaces: namespaces.join(','),
        clusterResources: String(access.clusterResources.length > 0 || (this.props.selfManaged ?? false)),
        config: JSON.stringify({ tlsClientConfig: { insecure: false } }),
      },
    });
    applySyncWave(secret, SyncWave.STORAGE_AND_SECRETS);
    return derived;
  }

  /**
   * The application controller and argocd-server dial the destination clusters registered in this
   * namespace: their service accounts and pods get the clusters' cloud identity, and a policy
   * (policies add up) opens their egress to the identity endpoints and to API servers declared by
   * address, except for components in `networkPolicies.excludeComponents`. Nothing when no
   * destination cluster is registered.
   */
  private equipDialingPods(): string[] {
    const needs = dialingNeeds(dialedClustersOf(this, this.namespace));
    for (const component of DIALING_COMPONENTS) {
      const account = this.emitted.get(objectKey('ServiceAccount', component));
      for (const [key, value] of Object.entries(needs.serviceAccountAnnotations)) account?.metadata.addAnnotation(key, value);
      const workload = this.emitted.get(objectKey(component === CONTROLLER ? 'StatefulSet' : 'Deployment', component));
      for (const [key, value] of Object.entries(needs.podLabels)) {
        workload?.addJsonPatch(JsonPatch.add(`/spec/template/metadata/labels/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, value));
      }
    }
    // A component in excludeComponents gets no policy from us, this one included: its own policy decides.
    const excluded = new Set<string>(this.props.networkPolicies?.excludeComponents ?? []);
    const governed = DIALING_COMPONENTS.filter((c) => !excluded.has(c));
    if (this.props.networkPolicies && needs.egress.length > 0 && governed.length > 0) {
      networkPolicy(this, 'DestinationClustersEgress', {
        name: 'argocd-destination-clusters-egress',
        namespace: this.namespace,
        labels: standardLabels({ name: 'argocd-destination-clusters-egress', partOf: 'argocd' }),
        spec: {
          podSelector: { matchExpressions: [{ key: LABEL_NAME, operator: 'In', values: governed }] },
          policyTypes: ['Egress'],
          egress: needs.egress,
        },
      });
    }
    return needs.problems;
  }

  /** Argo CD's namespace and every namespace an object of the install's chart lives in: the controller syncs them. */
  private selfManagedNamespaces(): string[] {
    const chart = Chart.of(this);
    const namespaces = chart.node.findAll()
      .filter((c): c is ApiObject => ApiObject.isApiObject(c) && Chart.of(c) === chart)
      .flatMap((o) => (o.metadata.namespace === undefined ? [] : [o.metadata.namespace]));
    return [this.namespace, ...namespaces];
  }

  /** The app's objects outside any install (one Argo CD per namespace and app: SecureArgoCD claims it). */
  private appObjects(): ApiObject[] {
    const inInstall = (c: IConstruct) => c.node.scopes.some((s) => s instanceof ArgoCdInstall);
    return this.node.root.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c) && !inInstall(c));
  }

  /**
   * One object per name: an upstream object another construct of the app writes (e.g. Secret
   * `argocd-notifications-secret` from an ExternalSecret) is left to that construct.
   */
  private yieldToObjectsWrittenElsewhere(): void {
    const elsewhere = new Map<string, string>();
    for (const c of this.appObjects()) {
      if (c.metadata.namespace !== this.namespace) continue;
      const name = c.metadata.name!;
      const json = c.kind === 'ExternalSecret' ? c.toJson() : undefined;
      const key = c.kind === 'SealedSecret' || c.kind === 'ExternalSecret'
        ? objectKey('Secret', json?.spec?.target?.name ?? name)
        : objectKey(c.kind, name);
      elsewhere.set(key, `${c.kind} '${c.node.path}'`);
    }
    for (const [key, apiObject] of this.emitted) {
      const writer = elsewhere.get(key);
      if (writer === undefined) continue;
      const [kind, name] = key.split('/');
      this.node.tryRemoveChild(apiObject.node.id);
      this.upstream.yieldTo(kind, name, `written elsewhere in the app, by ${writer}`);
    }
  }

  private clusterRole(id: string, name: string, component: string, rules: k8s.PolicyRule[]): ApiObject {
    const labels = standardLabels({ name, partOf: 'argocd' });
    const role = new k8s.KubeClusterRole(this, id, { metadata: { name, labels }, rules });
    const binding = new k8s.KubeClusterRoleBinding(this, `${id}Binding`, {
      metadata: { name, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [{ kind: 'ServiceAccount', name: component, namespace: this.namespace }],
    });
    applySyncWave(role, SyncWave.SERVICE_ACCOUNTS_AND_RBAC);
    applySyncWave(binding, SyncWave.SERVICE_ACCOUNTS_AND_RBAC);
    return role;
  }
}

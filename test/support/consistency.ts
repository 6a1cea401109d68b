// Walks a synthesized platform and lists every way it is inconsistent: a reference an object makes
// (volumes, env, envFrom, service accounts, role bindings, Service selectors and ports, Ingress and
// Gateway API route backends) that resolves to no object of the output and is not declared as
// provided by someone else; a ClusterRole with wildcards or Secret access; a pod short of the
// restricted profile or without limits; a `:latest` image. Shared by the Argo CD and Argo
// Workflows consistency tests, so both are held to the same checks.
import { restrictedViolations } from './pod-security';
import { Manifest } from './synth';
import { podsOf } from '../../src/policy/private/kube';

type Obj = { [key: string]: any };

/** What the output relies on without writing it. */
export interface ConsistencyOptions {
  /**
   * Objects created outside the output, by key (`Kind/namespace/name`; `pods-of/<ns>/<service>` for
   * the pods of a Service), with who creates them: at run time by a component, or by the user.
   * A Secret listed here may have any key.
   */
  readonly providedElsewhere?: Record<string, string>;
  /** Names of objects whose pods call the API server and so may mount a service account token. */
  readonly apiClients?: string[];
}

/** One pod template of the output: a workload's, or an Argo workflow spec's. */
export interface PodTemplate {
  readonly owner: Manifest;
  readonly namespace: string;
  readonly spec: Obj;
  readonly containers: Obj[];
  readonly labels: Record<string, string>;
}

export const objectKey = (kind: string, namespace: string | undefined, name: string) => `${kind}/${namespace ?? ''}/${name}`;
export const describeManifest = (m: Manifest) => `${m.kind} ${m.metadata.namespace ?? ''}/${m.metadata.name}`;

/** The consistency walker over one platform's objects. */
export class PlatformConsistency {
  public readonly objects: Map<string, Manifest>;
  public readonly pods: PodTemplate[];
  private readonly secrets = new Map<string, Set<string> | undefined>();
  private readonly provided: Record<string, string>;

  constructor(public readonly all: Manifest[], private readonly options: ConsistencyOptions = {}) {
    this.provided = options.providedElsewhere ?? {};
    this.objects = new Map(all.map((m) => [objectKey(m.kind, m.metadata.namespace, m.metadata.name!), m]));
    for (const m of all) {
      const ns = m.metadata.namespace!;
      if (m.kind === 'Secret') {
        const tokenKeys = ['token', 'ca.crt', 'namespace'];
        this.addSecret(ns, m.metadata.name!, m.type === 'kubernetes.io/service-account-token' ? tokenKeys : Object.keys({ ...m.data, ...m.stringData }));
      } else if (m.kind === 'SealedSecret') {
        const sealedKeys = [...Object.keys(m.spec.encryptedData ?? {}), ...Object.keys(m.spec.template?.data ?? {})];
        this.addSecret(ns, m.spec.template?.metadata?.name ?? m.metadata.name, sealedKeys);
      } else if (m.kind === 'ExternalSecret') {
        const templated = m.spec.target?.template?.data ? Object.keys(m.spec.target.template.data) : [];
        const keys = m.spec.dataFrom ? undefined : [...(m.spec.data ?? []).map((d: Obj) => d.secretKey), ...templated];
        this.addSecret(ns, m.spec.target?.name ?? m.metadata.name, keys);
      } else if (m.kind === 'Certificate') {
        this.addSecret(ns, m.spec.secretName, ['tls.crt', 'tls.key', 'ca.crt']);
      }
    }
    for (const id of Object.keys(this.provided).filter((k) => k.startsWith('Secret/'))) {
      const [, ns, name] = id.split('/');
      this.addSecret(ns, name, undefined);
    }
    this.pods = all.flatMap((m) => {
      const found = podsOf(m);
      if (found.pods.length === 0) return [];
      const containers = found.containers.map((c) => c.container);
      return [{ owner: m, namespace: m.metadata.namespace!, spec: found.pods[0].spec, containers, labels: found.labels }];
    });
  }

  /** True when the object is in the output or declared as provided elsewhere. */
  public has(kind: string, namespace: string | undefined, name: string): boolean {
    const id = objectKey(kind, namespace, name);
    return this.objects.has(id) || id in this.provided;
  }

  /** Why `namespace/name` (and its key) is not a Secret the pods can rely on, or undefined. */
  public secretProblem(namespace: string, name: string, secretKey?: string): string | undefined {
    const id = `${namespace}/${name}`;
    if (!this.secrets.has(id)) return `Secret ${id} is not in the output`;
    const keys = this.secrets.get(id);
    if (secretKey !== undefined && keys !== undefined && !keys.has(secretKey)) return `Secret ${id} has no key '${secretKey}' (has ${[...keys].join(', ')})`;
    return undefined;
  }

  /** Volumes, env and envFrom of every pod. */
  public podReferenceProblems(): string[] {
    const problems: string[] = [];
    const configMapProblem = (namespace: string, name: string, cmKey?: string) => {
      if (this.provided[objectKey('ConfigMap', namespace, name)]) return undefined;
      const target = this.objects.get(objectKey('ConfigMap', namespace, name));
      if (!target) return `ConfigMap ${namespace}/${name} is not in the output`;
      return cmKey !== undefined && target.data?.[cmKey] === undefined ? `ConfigMap ${namespace}/${name} has no key ${cmKey}` : undefined;
    };
    for (const { owner, namespace, spec, containers } of this.pods) {
      const where = describeManifest(owner);
      const volumes: Obj[] = spec.volumes ?? [];
      for (const v of volumes) {
        const sources: Obj[] = [v, ...(v.projected?.sources ?? [])];
        for (const s of sources) {
          if (s.secret && !s.secret.optional) {
            const name = s.secret.secretName ?? s.secret.name;
            const p = this.secretProblem(namespace, name)
              ?? (s.secret.items ?? []).map((i: Obj) => this.secretProblem(namespace, name, i.key)).find(Boolean);
            if (p) problems.push(`${where} volume ${v.name}: ${p}`);
          }
          if (s.configMap && !s.configMap.optional) {
            const p = configMapProblem(namespace, s.configMap.name)
              ?? (s.configMap.items ?? []).map((i: Obj) => configMapProblem(namespace, s.configMap.name, i.key)).find(Boolean);
            if (p) problems.push(`${where} volume ${v.name}: ${p}`);
          }
        }
        if (v.persistentVolumeClaim && !this.has('PersistentVolumeClaim', namespace, v.persistentVolumeClaim.claimName)) {
          problems.push(`${where} volume ${v.name}: PersistentVolumeClaim ${v.persistentVolumeClaim.claimName} is not in the output`);
        }
      }
      const names = new Set(volumes.map((v) => v.name));
      for (const c of containers) {
        for (const m of c.volumeMounts ?? []) if (!names.has(m.name)) problems.push(`${where} ${c.name}: mounts unknown volume ${m.name}`);
        for (const e of c.env ?? []) {
          const s = e.valueFrom?.secretKeyRef;
          const secret = s && !s.optional ? this.secretProblem(namespace, s.name, s.key) : undefined;
          if (secret) problems.push(`${where} ${c.name} env ${e.name}: ${secret}`);
          const cm = e.valueFrom?.configMapKeyRef;
          const map = cm && !cm.optional ? configMapProblem(namespace, cm.name, cm.key) : undefined;
          if (map) problems.push(`${where} ${c.name} env ${e.name}: ${map}`);
        }
        for (const from of c.envFrom ?? []) {
          const p = from.secretRef && !from.secretRef.optional ? this.secretProblem(namespace, from.secretRef.name)
            : from.configMapRef && !from.configMapRef.optional ? configMapProblem(namespace, from.configMapRef.name) : undefined;
          if (p) problems.push(`${where} ${c.name} envFrom: ${p}`);
        }
      }
    }
    return problems;
  }

  /** The service account of every pod, and every binding's role and ServiceAccount subjects. */
  public accountProblems(): string[] {
    const problems: string[] = [];
    for (const { owner, namespace, spec } of this.pods) {
      const sa = spec.serviceAccountName ?? 'default';
      if (sa !== 'default' && !this.has('ServiceAccount', namespace, sa)) problems.push(`${describeManifest(owner)}: ServiceAccount ${sa} is not in the output`);
    }
    for (const b of this.all.filter((m) => m.kind === 'RoleBinding' || m.kind === 'ClusterRoleBinding')) {
      const roleNs = b.roleRef.kind === 'Role' ? b.metadata.namespace : undefined;
      if (!this.has(b.roleRef.kind, roleNs, b.roleRef.name)) problems.push(`${describeManifest(b)}: ${b.roleRef.kind} ${b.roleRef.name} is not in the output`);
      for (const s of b.subjects ?? []) {
        if (s.kind === 'ServiceAccount' && !this.has('ServiceAccount', s.namespace, s.name)) {
          problems.push(`${describeManifest(b)}: subject ServiceAccount ${s.namespace}/${s.name} is not in the output`);
        }
      }
    }
    return problems;
  }

  /** Every Service selects pods with the named target ports; every Ingress and route backend is a Service with that port. */
  public serviceProblems(): string[] {
    const problems: string[] = [];
    for (const svc of this.all.filter((m) => m.kind === 'Service' && m.spec.selector)) {
      const selected = this.pods.filter((p) => p.namespace === svc.metadata.namespace
        && Object.entries(svc.spec.selector as Record<string, string>).every(([k, v]) => p.labels[k] === v));
      if (selected.length === 0) {
        if (!this.provided[`pods-of/${svc.metadata.namespace}/${svc.metadata.name}`]) problems.push(`${describeManifest(svc)}: selects no pod`);
        continue;
      }
      const ports = selected.flatMap((p) => p.containers.flatMap((c: Obj) => c.ports ?? []));
      for (const port of svc.spec.ports) {
        // A numbered target needs no declared container port; a named one does.
        const target = port.targetPort ?? port.port;
        if (typeof target === 'string' && !ports.some((p: Obj) => p.name === target)) problems.push(`${describeManifest(svc)} port ${port.name ?? port.port}: no pod port ${target}`);
      }
    }
    const backend = (from: Manifest, namespace: string, name: string, port: { name?: string; number?: number }) => {
      const svc = this.objects.get(objectKey('Service', namespace, name));
      if (!svc) {problems.push(`${describeManifest(from)}: Service ${namespace}/${name} is not in the output`);} else if (!svc.spec.ports.some((sp: Obj) => (port.name !== undefined && sp.name === port.name) || sp.port === port.number)) {
        problems.push(`${describeManifest(from)}: Service ${name} has no port ${port.name ?? port.number}`);
      }
    };
    for (const ing of this.all.filter((m) => m.kind === 'Ingress')) {
      const ns = ing.metadata.namespace!;
      for (const rule of ing.spec.rules ?? []) {
        for (const p of rule.http?.paths ?? []) backend(ing, ns, p.backend.service.name, p.backend.service.port);
      }
      const annotations: Record<string, string> = ing.metadata.annotations ?? {};
      // cert-manager's ingress-shim writes the TLS Secret of an Ingress annotated with an issuer.
      const shim = annotations['cert-manager.io/cluster-issuer'] ?? annotations['cert-manager.io/issuer'];
      for (const tls of ing.spec.tls ?? []) {
        const p = shim ? undefined : this.secretProblem(ns, tls.secretName, 'tls.crt');
        if (p) problems.push(`${describeManifest(ing)} tls: ${p}`);
      }
      // ingress-nginx verifies the backend against `ca.crt` of this `namespace/name` Secret.
      const proxyCa = annotations['nginx.ingress.kubernetes.io/proxy-ssl-secret'];
      if (proxyCa) {
        const [caNs, caName] = proxyCa.includes('/') ? proxyCa.split('/') : [ns, proxyCa];
        const p = this.secretProblem(caNs, caName, 'ca.crt');
        if (p) problems.push(`${describeManifest(ing)} proxy-ssl-secret: ${p}`);
      }
    }
    for (const route of this.all.filter((m) => ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute'].includes(m.kind))) {
      for (const rule of route.spec.rules ?? []) {
        for (const ref of rule.backendRefs ?? []) {
          if ((ref.kind ?? 'Service') === 'Service') backend(route, ref.namespace ?? route.metadata.namespace, ref.name, { number: ref.port });
        }
      }
    }
    return problems;
  }

  /**
   * Every proxy that re-encrypts verifies the backend, against a CA that resolves, for a name some
   * certificate in the output carries: ingress-nginx's `proxy-ssl-*` annotations and BackendTLSPolicies
   * (their target Service and port, and `ca.crt` of each CA reference).
   */
  public backendTlsProblems(): string[] {
    const problems: string[] = [];
    const certified = (from: Manifest, namespace: string, name: string | undefined) => {
      const covered = this.all.some((m) => m.kind === 'Certificate' && m.metadata.namespace === namespace && (m.spec.dnsNames ?? []).includes(name));
      if (!covered) problems.push(`${describeManifest(from)}: no certificate in ${namespace} is for the verified name ${name}`);
    };
    for (const ing of this.all.filter((m) => m.kind === 'Ingress')) {
      const a: Record<string, string> = ing.metadata.annotations ?? {};
      if (a['nginx.ingress.kubernetes.io/backend-protocol'] !== 'HTTPS' || a['nginx.ingress.kubernetes.io/ssl-passthrough'] === 'true') continue;
      if (a['nginx.ingress.kubernetes.io/proxy-ssl-verify'] !== 'on' || !a['nginx.ingress.kubernetes.io/proxy-ssl-secret']) {
        problems.push(`${describeManifest(ing)}: re-encrypts without verifying the backend`);
        continue;
      }
      // ingress-nginx refuses a Secret of another namespace unless told otherwise
      const [caNs] = a['nginx.ingress.kubernetes.io/proxy-ssl-secret'].split('/');
      if (caNs !== ing.metadata.namespace) problems.push(`${describeManifest(ing)}: proxy-ssl-secret is in another namespace`);
      certified(ing, ing.metadata.namespace!, a['nginx.ingress.kubernetes.io/proxy-ssl-name']);
    }
    for (const policy of this.all.filter((m) => m.kind === 'BackendTLSPolicy')) {
      const ns = policy.metadata.namespace!;
      for (const t of policy.spec.targetRefs ?? []) {
        const svc = this.objects.get(objectKey('Service', ns, t.name));
        if (!svc) problems.push(`${describeManifest(policy)}: Service ${ns}/${t.name} is not in the output`);
        else if (t.sectionName !== undefined && !svc.spec.ports.some((p: Obj) => p.name === t.sectionName)) problems.push(`${describeManifest(policy)}: Service ${t.name} has no port ${t.sectionName}`);
      }
      for (const ref of policy.spec.validation?.caCertificateRefs ?? []) {
        const p = ref.kind === 'Secret' ? this.secretProblem(ns, ref.name, 'ca.crt')
          : this.objects.get(objectKey(ref.kind, ns, ref.name))?.data?.['ca.crt'] === undefined ? `${ref.kind} ${ns}/${ref.name} with ca.crt is not in the output` : undefined;
        if (p) problems.push(`${describeManifest(policy)} caCertificateRefs: ${p}`);
      }
      certified(policy, ns, policy.spec.validation?.hostname);
    }
    return problems;
  }

  /** ClusterRoles with a wildcard, or with any access to Secrets (which a ClusterRoleBinding would make cluster-wide). */
  public clusterRoleProblems(): string[] {
    const problems: string[] = [];
    for (const cr of this.all.filter((m) => m.kind === 'ClusterRole')) {
      for (const rule of cr.rules ?? []) {
        const wild = [...rule.apiGroups ?? [], ...rule.resources ?? [], ...rule.verbs, ...rule.nonResourceURLs ?? []].filter((x: string) => x.includes('*'));
        if (wild.length > 0) problems.push(`${describeManifest(cr)}: wildcard ${wild.join(', ')}`);
        if ((rule.resources ?? []).includes('secrets')) problems.push(`${describeManifest(cr)}: grants ${rule.verbs.join(',')} on secrets`);
      }
    }
    return problems;
  }

  /** Every pod short of the restricted profile, without requests and limits, or without a pinned image. */
  public podSecurityProblems(): string[] {
    return restrictedViolations(this.all, { apiClients: this.options.apiClients });
  }

  /** Every `<image>:latest` anywhere in the output, embedded configuration included. */
  public latestImageProblems(): string[] {
    return this.all.flatMap((m) => [...JSON.stringify(m).matchAll(/[\w./-]+:latest\b/g)].map(([image]) => `${describeManifest(m)}: ${image}`));
  }

  private addSecret(namespace: string, name: string, keys: string[] | undefined): void {
    const id = `${namespace}/${name}`;
    const known = this.secrets.get(id);
    this.secrets.set(id, keys === undefined || (this.secrets.has(id) && known === undefined) ? undefined : new Set([...(known ?? []), ...keys]));
  }
}

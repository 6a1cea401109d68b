// Checks every pod this library can emit against the Pod Security Standards "restricted"
// profile (Kubernetes 1.28) plus the project's own rules: read-only root filesystem, CPU and
// memory requests and limits, images pinned by digest, and no service account token unless the
// pod talks to the API server. Argo Workflows templates are checked as the pods they become.
import { describeObject } from './validate';

/** Options for the restricted-pod checks. */
export interface RestrictedOptions {
  /** Names of objects whose pods talk to the API server and so may mount a service account token. */
  readonly apiClients?: string[];
}

const DIGEST_PINNED = /@sha256:[a-f0-9]{64}$/;
const ALLOWED_VOLUME_TYPES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);
const ALLOWED_SECCOMP = new Set(['RuntimeDefault', 'Localhost']);
const ALLOWED_SELINUX_TYPES = new Set(['container_t', 'container_init_t', 'container_kvm_t']);
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports',
]);
const WORKFLOW_KINDS = new Set(['Workflow', 'CronWorkflow', 'WorkflowTemplate', 'ClusterWorkflowTemplate']);

type Obj = { [key: string]: any };

/** A container to check, with the pod-level security context that applies to it. */
interface ContainerAt {
  readonly container: Obj;
  readonly path: string;
  readonly podSecurityContext: Obj;
  /** Ephemeral (debug) containers cannot have resources. */
  readonly ephemeral?: boolean;
}

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function list(v: unknown): Obj[] {
  return Array.isArray(v) ? v.filter(isObj) : [];
}

/** Argo merges templateDefaults into each template; objects merge, everything else replaces. */
function merge(base: unknown, over: unknown): any {
  if (!isObj(base)) return over ?? base;
  if (!isObj(over)) return over ?? base;
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = merge(base[k], v);
  return out;
}

function checkContainer({ container, path, podSecurityContext: pod, ephemeral }: ContainerAt, report: (path: string, problem: string) => void): void {
  const sc: Obj = isObj(container.securityContext) ? container.securityContext : {};
  const scPath = `${path}.securityContext`;
  if ((sc.runAsNonRoot ?? pod.runAsNonRoot) !== true) {
    report(`${scPath}.runAsNonRoot`, 'must be true (here or in the pod securityContext)');
  }
  if (sc.allowPrivilegeEscalation !== false) report(`${scPath}.allowPrivilegeEscalation`, 'must be false');
  if (sc.privileged === true) report(`${scPath}.privileged`, 'must not be true');
  if (sc.readOnlyRootFilesystem !== true) report(`${scPath}.readOnlyRootFilesystem`, 'must be true (mount an emptyDir for scratch space)');
  const drop: unknown[] = Array.isArray(sc.capabilities?.drop) ? sc.capabilities.drop : [];
  if (!drop.includes('ALL')) report(`${scPath}.capabilities.drop`, "must include 'ALL'");
  const added: unknown[] = Array.isArray(sc.capabilities?.add) ? sc.capabilities.add : [];
  for (const cap of added.filter((c) => c !== 'NET_BIND_SERVICE')) {
    report(`${scPath}.capabilities.add`, `may only add NET_BIND_SERVICE, not ${JSON.stringify(cap)}`);
  }
  // An explicit bad value at either level is reported by checkCommonContext.
  if (sc.seccompProfile?.type === undefined && pod.seccompProfile?.type === undefined) {
    report(`${scPath}.seccompProfile.type`, 'must be RuntimeDefault or Localhost (here or in the pod securityContext)');
  }
  checkCommonContext(sc, scPath, report);
  if (sc.procMount !== undefined && sc.procMount !== 'Default') report(`${scPath}.procMount`, 'must be Default');

  const image = container.image;
  if (typeof image !== 'string' || !DIGEST_PINNED.test(image)) {
    report(`${path}.image`, `${JSON.stringify(image)} is not pinned by digest (@sha256:<64 hex>)`);
  }
  list(container.ports).forEach((port, i) => {
    if (port.hostPort) report(`${path}.ports[${i}].hostPort`, 'host ports are not allowed');
  });
  if (!ephemeral) {
    for (const section of ['requests', 'limits']) {
      for (const resource of ['cpu', 'memory']) {
        if (container.resources?.[section]?.[resource] === undefined) {
          report(`${path}.resources.${section}.${resource}`, 'must be set');
        }
      }
    }
  }
}

/** Rules that apply to pod and container security contexts alike. */
function checkCommonContext(sc: Obj, scPath: string, report: (path: string, problem: string) => void): void {
  if (sc.runAsUser === 0) report(`${scPath}.runAsUser`, 'must not be 0 (root)');
  if (sc.seccompProfile?.type !== undefined && !ALLOWED_SECCOMP.has(sc.seccompProfile.type)) {
    report(`${scPath}.seccompProfile.type`, `must be RuntimeDefault or Localhost, got ${JSON.stringify(sc.seccompProfile.type)}`);
  }
  const selinux = sc.seLinuxOptions;
  if (isObj(selinux)) {
    if (selinux.type !== undefined && selinux.type !== '' && !ALLOWED_SELINUX_TYPES.has(selinux.type)) {
      report(`${scPath}.seLinuxOptions.type`, `must be one of ${[...ALLOWED_SELINUX_TYPES].join(', ')}`);
    }
    if (selinux.user || selinux.role) report(`${scPath}.seLinuxOptions`, 'user and role must not be set');
  }
  if (sc.windowsOptions?.hostProcess === true) report(`${scPath}.windowsOptions.hostProcess`, 'must not be true');
}

/** Pod-level rules, shared by Kubernetes pod specs and Argo Workflows specs and templates. */
function checkPodLevel(spec: Obj, path: string, report: (path: string, problem: string) => void): void {
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) {
    if (spec[field] === true) report(`${path}.${field}`, 'must not be true');
  }
  const sc = spec.securityContext;
  if (isObj(sc)) {
    checkCommonContext(sc, `${path}.securityContext`, report);
    list(sc.sysctls).forEach((sysctl, i) => {
      if (!SAFE_SYSCTLS.has(sysctl.name)) report(`${path}.securityContext.sysctls[${i}].name`, `${JSON.stringify(sysctl.name)} is not a safe sysctl`);
    });
  }
  list(spec.volumes).forEach((volume, i) => {
    for (const type of Object.keys(volume).filter((k) => k !== 'name')) {
      if (!ALLOWED_VOLUME_TYPES.has(type)) {
        report(`${path}.volumes[${i}].${type}`, `${type} volumes are not allowed (allowed: ${[...ALLOWED_VOLUME_TYPES].join(', ')})`);
      }
    }
  });
}

function checkKubernetesPod(spec: Obj, path: string, mayMountToken: boolean, report: (path: string, problem: string) => void): void {
  checkPodLevel(spec, path, report);
  if (spec.automountServiceAccountToken !== false && !mayMountToken) {
    report(`${path}.automountServiceAccountToken`, 'must be false (or list the object in apiClients if its pods talk to the API server)');
  }
  const pod: Obj = isObj(spec.securityContext) ? spec.securityContext : {};
  for (const field of ['initContainers', 'containers', 'ephemeralContainers']) {
    list(spec[field]).forEach((container, i) => checkContainer({
      container, path: `${path}.${field}[${i}]`, podSecurityContext: pod, ephemeral: field === 'ephemeralContainers',
    }, report));
  }
}

/** Finds `podSpecPatch` at any depth: it is applied last and can undo any hardening. */
function findPodSpecPatches(value: unknown, path: string, report: (path: string, problem: string) => void): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => findPodSpecPatches(v, `${path}[${i}]`, report));
  } else if (isObj(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'podSpecPatch') report(`${path}.${k}`, 'podSpecPatch is not allowed: it can undo the pod hardening');
      else findPodSpecPatches(v, `${path}.${k}`, report);
    }
  }
}

function checkWorkflowSpec(spec: Obj, path: string, mayMountToken: boolean, report: (path: string, problem: string) => void): void {
  findPodSpecPatches(spec, path, report);
  const templates = list(spec.templates);
  // A spec that only references a WorkflowTemplate defines no pods of its own.
  if (templates.length === 0) return;
  checkPodLevel(spec, path, report);
  const tokenOff = spec.automountServiceAccountToken === false && typeof spec.executor?.serviceAccountName === 'string';
  if (!tokenOff && !mayMountToken) {
    report(`${path}.automountServiceAccountToken`, 'must be false, with executor.serviceAccountName set (or list the object in apiClients)');
  }
  const defaults: Obj = isObj(spec.templateDefaults) ? spec.templateDefaults : {};
  const workflowContext: Obj = isObj(spec.securityContext) ? spec.securityContext : {};
  templates.forEach((t, i) => {
    const tPath = `${path}.templates[${i}]`;
    const template: Obj = merge(defaults, t);
    if (template.automountServiceAccountToken === true && !mayMountToken) {
      report(`${tPath}.automountServiceAccountToken`, 'must not be true (or list the object in apiClients)');
    }
    checkPodLevel({ volumes: t.volumes, securityContext: t.securityContext }, tPath, report);
    // A template-level securityContext replaces the workflow-level one.
    const pod: Obj = isObj(template.securityContext) ? template.securityContext : workflowContext;
    const containers: ContainerAt[] = [];
    for (const field of ['container', 'script']) {
      if (isObj(template[field])) containers.push({ container: template[field], path: `${tPath}.${field}`, podSecurityContext: pod });
    }
    list(template.containerSet?.containers).forEach((c, j) => containers.push({ container: c, path: `${tPath}.containerSet.containers[${j}]`, podSecurityContext: pod }));
    for (const field of ['initContainers', 'sidecars']) {
      list(template[field]).forEach((c, j) => containers.push({ container: c, path: `${tPath}.${field}[${j}]`, podSecurityContext: pod }));
    }
    containers.forEach((c) => checkContainer(c, report));
  });
}

/** The pod specs (or Argo workflow specs) of an object, with their paths. */
function podSpecsOf(m: Obj): { spec: Obj; path: string; workflow: boolean }[] {
  const at = (path: string): { spec: Obj; path: string; workflow: boolean }[] => {
    const spec = path.split('.').reduce<any>((v, k) => (isObj(v) ? v[k] : undefined), m);
    return isObj(spec) ? [{ spec, path, workflow: WORKFLOW_KINDS.has(m.kind) }] : [];
  };
  switch (m.kind) {
    case 'Pod': return at('spec');
    case 'Deployment': case 'StatefulSet': case 'DaemonSet': case 'ReplicaSet': case 'Job': return at('spec.template.spec');
    case 'CronJob': return at('spec.jobTemplate.spec.template.spec');
    case 'Workflow': case 'WorkflowTemplate': case 'ClusterWorkflowTemplate': return at('spec');
    case 'CronWorkflow': return at('spec.workflowSpec');
    default: return [];
  }
}

/** Every way the given objects' pods fall short of the restricted profile and our rules, one line each. */
export function restrictedViolations(manifests: object[], options: RestrictedOptions = {}): string[] {
  const apiClients = new Set(options.apiClients ?? []);
  const problems: string[] = [];
  for (const m of manifests as Obj[]) {
    if (!isObj(m)) continue;
    const report = (path: string, problem: string) => problems.push(`${describeObject(m)}: ${path}: ${problem}`);
    const mayMountToken = apiClients.has(m.metadata?.name);
    for (const { spec, path, workflow } of podSpecsOf(m)) {
      if (workflow) checkWorkflowSpec(spec, path, mayMountToken, report);
      else checkKubernetesPod(spec, path, mayMountToken, report);
    }
  }
  return problems;
}

/** Throws one error listing every restricted-profile violation, if there are any. */
export function expectRestricted(manifests: object[], options: RestrictedOptions = {}): void {
  const problems = restrictedViolations(manifests, options);
  if (problems.length > 0) {
    throw new Error(`${problems.length} pod security violation(s):\n  ${problems.join('\n  ')}`);
  }
}

/** Secrets with literal values in the output: secret material must never be synthesized. */
/** Argo CD's in-cluster cluster Secret: the controller uses its own service account, no credential. */
function isCredentialFreeClusterSecret(m: Obj): boolean {
  if (m.metadata?.labels?.['argocd.argoproj.io/secret-type'] !== 'cluster' || m.data !== undefined) return false;
  const { name, server, namespaces, clusterResources, config, ...rest } = m.stringData ?? {};
  return Object.keys(rest).length === 0 && server === 'https://kubernetes.default.svc'
    && JSON.stringify(JSON.parse(config ?? '{}')) === JSON.stringify({ tlsClientConfig: { insecure: false } });
}

export function literalSecretViolations(manifests: object[]): string[] {
  const problems: string[] = [];
  for (const m of manifests as Obj[]) {
    if (!isObj(m) || m.kind !== 'Secret' || m.apiVersion !== 'v1') continue;
    if (isCredentialFreeClusterSecret(m)) continue;
    for (const field of ['data', 'stringData']) {
      if (isObj(m[field]) && Object.keys(m[field]).length > 0) {
        problems.push(`${describeObject(m)}: ${field}: literal secret values (${Object.keys(m[field]).sort().join(', ')}): use SealedOrExternalSecret or SecretKeyRef.fromExistingSecret`);
      }
    }
  }
  return problems;
}

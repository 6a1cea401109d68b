// Pod Security Standards "restricted" (Kubernetes 1.28) plus the library's own pod rules:
// read-only root filesystem, requests and limits, no service account token unless needed.
// Argo Workflows templates are checked as the pods they become.
import { isObj, list, Obj, podsOf } from '../private/kube';
import { rule, RuleDefinition, Violation, violation } from '../private/rule';

const PACK = 'pod-security';

const ALLOWED_VOLUME_TYPES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);
const ALLOWED_SECCOMP = new Set(['RuntimeDefault', 'Localhost']);
const ALLOWED_SELINUX_TYPES = new Set(['container_t', 'container_init_t', 'container_kvm_t']);
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports',
]);

function securityContext(c: Obj): Obj {
  return isObj(c.securityContext) ? c.securityContext : {};
}

/** The pod-level and container-level security contexts of an object, with their paths. */
function contexts(m: Obj): { sc: Obj; path: string }[] {
  const { pods, containers } = podsOf(m);
  return [
    ...pods.filter((p) => isObj(p.spec.securityContext)).map((p) => ({ sc: p.spec.securityContext as Obj, path: `${p.path}.securityContext` })),
    ...containers.map((c) => ({ sc: securityContext(c.container), path: `${c.path}.securityContext` })),
  ];
}

function eachContainer(m: Obj, check: (c: Obj, path: string, pod: Obj, ephemeral: boolean) => Violation[]): Violation[] {
  return podsOf(m).containers.flatMap((c) => check(c.container, c.path, c.podSecurityContext, c.ephemeral));
}

export const POD_HOST_NAMESPACES = rule(PACK, {
  id: 'POD-HOST-NAMESPACES',
  title: 'Pods do not share the node\'s network, process or IPC namespaces',
  why: 'A pod in the host namespaces sees and reaches everything on the node: other pods\' traffic, processes and shared memory.',
  fix: 'Remove hostNetwork, hostPID and hostIPC (or set them to false).',
  check: (m) => podsOf(m).pods.flatMap((p) => ['hostNetwork', 'hostPID', 'hostIPC']
    .filter((f) => p.spec[f] === true).map((f) => violation(`${p.path}.${f}`, 'must not be true'))),
});

export const POD_PRIVILEGED = rule(PACK, {
  id: 'POD-PRIVILEGED',
  title: 'Containers are not privileged',
  why: 'A privileged container has every capability and every device of the node: it is root on the node.',
  fix: 'Remove securityContext.privileged (or set it to false); grant only the capability the process needs, if any.',
  check: (m) => eachContainer(m, (c, path) => (securityContext(c).privileged === true ? [violation(`${path}.securityContext.privileged`, 'must not be true')] : [])),
});

export const POD_PRIVILEGE_ESCALATION = rule(PACK, {
  id: 'POD-PRIVILEGE-ESCALATION',
  title: 'Containers cannot gain privileges',
  why: 'Without allowPrivilegeEscalation: false, a setuid binary in the image can make the process root.',
  fix: 'Set securityContext.allowPrivilegeEscalation: false on every container.',
  check: (m) => eachContainer(m, (c, path) => (securityContext(c).allowPrivilegeEscalation !== false ? [violation(`${path}.securityContext.allowPrivilegeEscalation`, 'must be false')] : [])),
});

export const POD_RUN_AS_NON_ROOT = rule(PACK, {
  id: 'POD-RUN-AS-NON-ROOT',
  title: 'Containers run as a non-root user',
  why: 'Root in a container is one kernel bug away from root on the node, and owns every file the image ships.',
  fix: 'Set runAsNonRoot: true (pod or container securityContext) and a non-zero runAsUser.',
  check: (m) => [
    ...eachContainer(m, (c, path, pod) => ((securityContext(c).runAsNonRoot ?? pod.runAsNonRoot) !== true
      ? [violation(`${path}.securityContext.runAsNonRoot`, 'must be true (here or in the pod securityContext)')] : [])),
    ...contexts(m).filter(({ sc }) => sc.runAsUser === 0).map(({ path }) => violation(`${path}.runAsUser`, 'must not be 0 (root)')),
  ],
});

export const POD_CAPABILITIES = rule(PACK, {
  id: 'POD-CAPABILITIES',
  title: 'Containers drop all capabilities and add at most NET_BIND_SERVICE',
  why: 'Linux capabilities such as NET_ADMIN or SYS_ADMIN give parts of root; the default set is larger than most processes need.',
  fix: "Set securityContext.capabilities.drop: ['ALL'] and add nothing but NET_BIND_SERVICE.",
  check: (m) => eachContainer(m, (c, path) => {
    const caps = securityContext(c).capabilities;
    const out: Violation[] = [];
    const drop: unknown[] = Array.isArray(caps?.drop) ? caps.drop : [];
    if (!drop.includes('ALL')) out.push(violation(`${path}.securityContext.capabilities.drop`, "must include 'ALL'"));
    const added: unknown[] = Array.isArray(caps?.add) ? caps.add : [];
    for (const cap of added.filter((x) => x !== 'NET_BIND_SERVICE')) {
      out.push(violation(`${path}.securityContext.capabilities.add`, `may only add NET_BIND_SERVICE, not ${JSON.stringify(cap)}`));
    }
    return out;
  }),
});

export const POD_SECCOMP = rule(PACK, {
  id: 'POD-SECCOMP',
  title: 'Containers run with the RuntimeDefault (or a Localhost) seccomp profile',
  why: 'Seccomp filters the system calls a process may make; unconfined containers reach the whole kernel surface.',
  fix: 'Set securityContext.seccompProfile.type: RuntimeDefault in the pod (or each container).',
  check: (m) => [
    ...contexts(m).filter(({ sc }) => sc.seccompProfile?.type !== undefined && !ALLOWED_SECCOMP.has(sc.seccompProfile.type))
      .map(({ sc, path }) => violation(`${path}.seccompProfile.type`, `must be RuntimeDefault or Localhost, got ${JSON.stringify(sc.seccompProfile.type)}`)),
    ...eachContainer(m, (c, path, pod) => (securityContext(c).seccompProfile?.type === undefined && pod.seccompProfile?.type === undefined
      ? [violation(`${path}.securityContext.seccompProfile.type`, 'must be RuntimeDefault or Localhost (here or in the pod securityContext)')] : [])),
  ],
});

export const POD_SELINUX = rule(PACK, {
  id: 'POD-SELINUX',
  title: 'SELinux options keep the container types',
  why: 'A custom SELinux user, role or type can lift the confinement SELinux gives containers.',
  fix: 'Remove seLinuxOptions.user and role; use type container_t, container_init_t or container_kvm_t, or none.',
  check: (m) => contexts(m).flatMap(({ sc, path }) => {
    const selinux = sc.seLinuxOptions;
    if (!isObj(selinux)) return [];
    const out: Violation[] = [];
    if (selinux.type !== undefined && selinux.type !== '' && !ALLOWED_SELINUX_TYPES.has(selinux.type)) {
      out.push(violation(`${path}.seLinuxOptions.type`, `must be one of ${[...ALLOWED_SELINUX_TYPES].join(', ')}`));
    }
    if (selinux.user || selinux.role) out.push(violation(`${path}.seLinuxOptions`, 'user and role must not be set'));
    return out;
  }),
});

const APPARMOR_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

export const POD_APPARMOR = rule(PACK, {
  id: 'POD-APPARMOR',
  title: 'AppArmor is not turned off',
  why: 'An unconfined AppArmor profile removes the confinement the runtime\'s default profile gives the container.',
  fix: `Remove the ${APPARMOR_PREFIX}<container> annotation or set it to runtime/default or localhost/<profile>.`,
  check: (m) => {
    const { path, values } = podsOf(m).annotations;
    return Object.keys(values).sort().filter((k) => k.startsWith(APPARMOR_PREFIX))
      .filter((k) => values[k] !== 'runtime/default' && !values[k].startsWith('localhost/'))
      .map((k) => violation(`${path}["${k}"]`, `${JSON.stringify(values[k])} is not runtime/default or localhost/<profile>`));
  },
});

export const POD_HOST_PROCESS = rule(PACK, {
  id: 'POD-HOST-PROCESS',
  title: 'No Windows host-process containers',
  why: 'A host-process container runs directly on the Windows node with the node\'s privileges.',
  fix: 'Remove windowsOptions.hostProcess.',
  check: (m) => contexts(m).filter(({ sc }) => sc.windowsOptions?.hostProcess === true)
    .map(({ path }) => violation(`${path}.windowsOptions.hostProcess`, 'must not be true')),
});

export const POD_PROC_MOUNT = rule(PACK, {
  id: 'POD-PROC-MOUNT',
  title: 'The default /proc mask is kept',
  why: 'procMount: Unmasked exposes kernel interfaces under /proc that the runtime hides by default.',
  fix: 'Remove securityContext.procMount (or set it to Default).',
  check: (m) => eachContainer(m, (c, path) => {
    const procMount = securityContext(c).procMount;
    return procMount !== undefined && procMount !== 'Default' ? [violation(`${path}.securityContext.procMount`, 'must be Default')] : [];
  }),
});

export const POD_SYSCTLS = rule(PACK, {
  id: 'POD-SYSCTLS',
  title: 'Only namespaced, safe sysctls are set',
  why: 'Unsafe sysctls change kernel settings for the whole node.',
  fix: `Keep to ${[...SAFE_SYSCTLS].join(', ')}.`,
  check: (m) => podsOf(m).pods.flatMap((p) => list(p.spec.securityContext?.sysctls)
    .map((sysctl, i) => ({ sysctl, i }))
    .filter(({ sysctl }) => !SAFE_SYSCTLS.has(sysctl.name))
    .map(({ sysctl, i }) => violation(`${p.path}.securityContext.sysctls[${i}].name`, `${JSON.stringify(sysctl.name)} is not a safe sysctl`))),
});

export const POD_VOLUME_TYPES = rule(PACK, {
  id: 'POD-VOLUME-TYPES',
  title: 'Pods use only the volume types of the restricted profile',
  why: 'hostPath and other node-level volumes give a pod the node\'s files (the container runtime socket, kubelet credentials).',
  fix: `Use ${[...ALLOWED_VOLUME_TYPES].join(', ')} volumes only.`,
  check: (m) => podsOf(m).pods.flatMap((p) => list(p.spec.volumes).flatMap((volume, i) => Object.keys(volume)
    .filter((k) => k !== 'name' && !ALLOWED_VOLUME_TYPES.has(k))
    .map((type) => violation(`${p.path}.volumes[${i}].${type}`, `${type} volumes are not allowed (allowed: ${[...ALLOWED_VOLUME_TYPES].join(', ')})`)))),
});

export const POD_HOST_PORTS = rule(PACK, {
  id: 'POD-HOST-PORTS',
  title: 'Containers do not bind host ports',
  why: 'A host port bypasses Services and NetworkPolicies and ties the pod to one node\'s address.',
  fix: 'Remove ports[].hostPort; expose the pod through a Service.',
  check: (m) => eachContainer(m, (c, path) => list(c.ports).map((port, i) => ({ port, i }))
    .filter(({ port }) => port.hostPort).map(({ i }) => violation(`${path}.ports[${i}].hostPort`, 'host ports are not allowed'))),
});

export const POD_READ_ONLY_ROOT_FS = rule(PACK, {
  id: 'POD-READ-ONLY-ROOT-FS',
  title: 'Containers have a read-only root filesystem',
  why: 'A writable root filesystem lets an intruder replace binaries and keep tools in the container.',
  fix: 'Set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where the process writes.',
  check: (m) => eachContainer(m, (c, path) => (securityContext(c).readOnlyRootFilesystem !== true
    ? [violation(`${path}.securityContext.readOnlyRootFilesystem`, 'must be true (mount an emptyDir for scratch space)')] : [])),
});

export const POD_RESOURCES = rule(PACK, {
  id: 'POD-RESOURCES',
  title: 'Containers set CPU and memory requests and limits',
  why: 'Without requests the scheduler overcommits nodes; without limits one pod can starve every other pod on its node.',
  fix: 'Set resources.requests and resources.limits for cpu and memory.',
  check: (m) => eachContainer(m, (c, path, _pod, ephemeral) => (ephemeral ? [] : ['requests', 'limits'].flatMap((section) => ['cpu', 'memory']
    .filter((r) => c.resources?.[section]?.[r] === undefined)
    .map((r) => violation(`${path}.resources.${section}.${r}`, 'must be set'))))),
});

/**
 * Upstream components that call the API server, by their pod label and image: Argo CD's (all but
 * the repo-server; Redis while its argocd init container writes the password Secret) and Argo
 * Workflows' controller and server.
 */
const UPSTREAM_API_CLIENTS: { readonly label: string; readonly names: string[]; readonly image: RegExp }[] = [
  {
    label: 'app.kubernetes.io/name',
    names: ['argocd-server', 'argocd-application-controller', 'argocd-applicationset-controller', 'argocd-notifications-controller', 'argocd-redis'],
    image: /\/argoproj\/argocd[:@]/,
  },
  { label: 'app.kubernetes.io/name', names: ['argocd-dex-server'], image: /\/dexidp\/dex[:@]/ },
  { label: 'app.kubernetes.io/name', names: ['argocd-redis-ha-haproxy'], image: /haproxy[:@]/ },
  { label: 'app', names: ['workflow-controller'], image: /\/argoproj\/workflow-controller[:@]/ },
  { label: 'app', names: ['argo-server'], image: /\/argoproj\/argocli[:@]/ },
];

function isUpstreamApiClient(m: Obj): boolean {
  const { labels, containers } = podsOf(m);
  return UPSTREAM_API_CLIENTS.some((c) => c.names.includes(labels[c.label])
    && containers.some((x) => typeof x.container.image === 'string' && c.image.test(x.container.image)));
}

export const POD_SERVICE_ACCOUNT_TOKEN = rule(PACK, {
  id: 'POD-SERVICE-ACCOUNT-TOKEN',
  title: 'Pods do not mount a service account token unless they call the API server',
  why: 'A mounted token is a credential for the API server that anyone who gets into the container can use. '
    + 'Argo CD\'s and Argo Workflows\' own API clients (recognised by their upstream labels and images) may mount one.',
  fix: 'Set automountServiceAccountToken: false (Argo workflows: also executor.serviceAccountName); '
    + 'if the pod calls the API server, suppress this rule on the object with that reason.',
  check: (m) => (isUpstreamApiClient(m) ? [] : podsOf(m).tokens).filter((t) => !t.off).map((t) => violation(t.path, t.workflow
    ? t.path.endsWith('].automountServiceAccountToken') ? 'must not be true' : 'must be false, with executor.serviceAccountName set'
    : 'must be false')),
});

export const POD_SECURITY_RULES: RuleDefinition[] = [
  POD_HOST_NAMESPACES, POD_PRIVILEGE_ESCALATION, POD_PRIVILEGED, POD_RUN_AS_NON_ROOT, POD_CAPABILITIES, POD_SECCOMP,
  POD_SELINUX, POD_APPARMOR, POD_HOST_PROCESS, POD_PROC_MOUNT, POD_SYSCTLS, POD_VOLUME_TYPES, POD_HOST_PORTS,
  POD_READ_ONLY_ROOT_FS, POD_RESOURCES, POD_SERVICE_ACCOUNT_TOKEN,
];

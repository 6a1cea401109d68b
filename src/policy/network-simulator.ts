import { App } from 'cdk8s';
import { invalid } from '../private/errors';
import { quoted } from '../private/validate';
import { isObj, list, nameOf, namespaceOf, Obj, podsOf, selectorMatches, stringMap, WORKFLOW_KINDS, WORKLOAD_KINDS } from './private/kube';
import { policyTypesOf } from './private/network-policy';
import { cidrContains, parseCidr, parseIp } from '../private/cidr';
import { manifestsOfApp } from './private/synth';

// Kubernetes NetworkPolicy semantics (networking.k8s.io/v1, as of 1.28), answered from the
// synthesized objects alone:
// - A pod is isolated for ingress (egress) only when some policy of its namespace selects it and
//   has Ingress (Egress) among its policyTypes. Unset policyTypes mean Ingress, plus Egress when
//   the policy has at least one egress rule.
// - Traffic passes when the source's egress allows it and the destination's ingress allows it;
//   policies are additive (any rule of any selecting policy allows).
// - In a rule, absent or empty `from`/`to` match every peer and absent or empty `ports` every
//   port; `ingress: []` (or none) allows nothing.
// - A peer with podSelector and namespaceSelector selects those pods in those namespaces; a
//   peer with only a podSelector selects pods in the policy's namespace; only a
//   namespaceSelector, every pod of those namespaces.
// - ipBlock matches addresses. Pods match an ipBlock only when their address is given (the
//   specification leaves pod addresses to the network plugin).
// - A named port matches the destination pod's container port of that name and protocol.

/** A layer-4 protocol of NetworkPolicy ports. */
export enum NetworkProtocol {
  /** TCP, the default. */
  TCP = 'TCP',
  /** UDP. */
  UDP = 'UDP',
  /** SCTP. */
  SCTP = 'SCTP',
}

/** A port a container declares, for named ports in policies. */
export interface NetworkContainerPort {
  /**
   * The port's name, as policies can refer to it.
   * @default - unnamed
   */
  readonly name?: string;
  /** The port number. */
  readonly port: number;
  /**
   * The protocol.
   * @default NetworkProtocol.TCP
   */
  readonly protocol?: NetworkProtocol;
}

/** A pod given by its labels, for {@link NetworkEndpoint.pod}. */
export interface NetworkPodProps {
  /** The pod's namespace. */
  readonly namespace: string;
  /**
   * The pod's labels.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /**
   * Labels of the pod's namespace, added to those of the Namespace object in the manifests
   * (`kubernetes.io/metadata.name` is always set).
   * @default - the Namespace object's labels
   */
  readonly namespaceLabels?: { [key: string]: string };
  /**
   * The ports the pod's containers declare (for named ports).
   * @default - none
   */
  readonly ports?: NetworkContainerPort[];
  /**
   * The pod's address. Only a pod with an address can match ipBlock peers.
   * @default - unknown: ipBlock peers never match the pod
   */
  readonly ip?: string;
  /**
   * How explanations name the pod.
   * @default - `<namespace>/<labels>`
   */
  readonly description?: string;
}

interface PodData {
  readonly namespace: string;
  readonly labels: { [key: string]: string };
  readonly namespaceLabels: { [key: string]: string };
  readonly ports: NetworkContainerPort[];
  readonly ip?: string;
}

/** One end of a connection: a pod or an address outside the pod network. */
export class NetworkEndpoint {
  /** A pod, by its labels and namespace. */
  public static pod(props: NetworkPodProps): NetworkEndpoint {
    if (props.ip !== undefined && !parseIp(props.ip)) {
      invalid('NetworkEndpoint.pod', 'ip', `${quoted(props.ip)} is not an IPv4 or IPv6 address: give the pod's address, or none`);
    }
    const labels = props.labels ?? {};
    const description = props.description ?? `${props.namespace}/${Object.keys(labels).length === 0 ? '(any pod)' : Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',')}`;
    return new NetworkEndpoint(description, {
      namespace: props.namespace,
      labels,
      namespaceLabels: props.namespaceLabels ?? {},
      ports: props.ports ?? [],
      ip: props.ip,
    }, undefined);
  }

  /**
   * An address: a host outside the cluster (or any address that is not a pod's).
   * @param ip an IPv4 or IPv6 address, e.g. `140.82.112.3`
   */
  public static address(ip: string): NetworkEndpoint {
    if (!parseIp(ip)) invalid('NetworkEndpoint.address', 'ip', `${quoted(ip)} is not an IPv4 or IPv6 address: give one address, e.g. 203.0.113.5`);
    return new NetworkEndpoint(ip, undefined, ip);
  }

  /** How explanations name this endpoint. */
  public readonly description: string;

  /** @internal */
  public readonly _pod?: PodData;
  /** @internal */
  public readonly _address?: string;

  private constructor(description: string, pod: PodData | undefined, address: string | undefined) {
    this.description = description;
    this._pod = pod;
    this._address = address;
  }

  /** True for a pod, false for an address. */
  public get isPod(): boolean {
    return this._pod !== undefined;
  }
}

/** The answer for one direction: the source's egress or the destination's ingress. */
export interface NetworkDirectionDecision {
  /** True when this side lets the traffic pass. */
  readonly allowed: boolean;
  /** True when some policy selects the pod for this direction (false for addresses). */
  readonly isolated: boolean;
  /** The policies (`namespace/name`) that select the pod for this direction. */
  readonly selectingPolicies: string[];
  /** The rules that allow the traffic: `namespace/name ingress[i]` or `namespace/name egress[i]`. */
  readonly allowingRules: string[];
  /** Why, in one sentence. */
  readonly reason: string;
}

/** Whether a connection passes, and why. */
export interface NetworkDecision {
  /** True when both the source's egress and the destination's ingress allow it. */
  readonly allowed: boolean;
  /** The source side. */
  readonly egress: NetworkDirectionDecision;
  /** The destination side. */
  readonly ingress: NetworkDirectionDecision;
  /** Both sides, in two sentences. */
  readonly explanation: string;
}

interface Query {
  readonly port: number;
  readonly protocol: NetworkProtocol;
}

/**
 * Answers whether one pod can reach another pod, or an address, on a port, from the
 * NetworkPolicies, Namespaces and workloads of synthesized manifests, with Kubernetes
 * semantics (see docs/network-simulator.md). Every answer explains which policy decided it.
 */
export class NetworkPolicySimulator {
  /** From synthesized manifests (e.g. `Testing.synth(chart)` of every chart). */
  public static fromManifests(manifests: any[]): NetworkPolicySimulator {
    return new NetworkPolicySimulator(manifests.filter(isObj));
  }

  /** From every chart of an app. */
  public static fromApp(app: App): NetworkPolicySimulator {
    return new NetworkPolicySimulator(manifestsOfApp(app).map((m) => m.manifest));
  }

  private readonly policies: Obj[];
  private readonly objects: Obj[];
  private readonly namespaceLabels = new Map<string, { [key: string]: string }>();

  private constructor(objects: Obj[]) {
    this.objects = objects;
    this.policies = objects
      .filter((m) => m.kind === 'NetworkPolicy' && m.apiVersion === 'networking.k8s.io/v1')
      .sort((a, b) => policyName(a).localeCompare(policyName(b)));
    for (const ns of objects.filter((m) => m.kind === 'Namespace' && m.apiVersion === 'v1')) {
      this.namespaceLabels.set(nameOf(ns), stringMap(ns.metadata?.labels));
    }
  }

  /**
   * The pods of a workload in the manifests: Pod, Deployment, StatefulSet, DaemonSet,
   * ReplicaSet, Job, CronJob, or an Argo Workflow, CronWorkflow or WorkflowTemplate (whose pods
   * carry `workflows.argoproj.io/workflow`).
   * @param namespace the workload's namespace
   * @param name the workload's name
   * @param kind the kind, when two workloads share the name
   */
  public workload(namespace: string, name: string, kind?: string): NetworkEndpoint {
    const found = this.objects.filter((m) => WORKLOAD_KINDS.has(m.kind) && namespaceOf(m) === namespace && nameOf(m) === name
      && (kind === undefined || m.kind === kind));
    if (found.length !== 1) {
      const what = `${kind ?? 'workload'} ${namespace}/${name}`;
      invalid('NetworkPolicySimulator.workload', found.length === 0 ? 'name' : 'kind', found.length === 0
        ? `no ${what} in the manifests: check the name and namespace`
        : `${found.length} workloads are named ${namespace}/${name} (${found.map((m) => m.kind).join(', ')}): pass the kind`);
    }
    const m = found[0];
    const pods = podsOf(m);
    const labels = WORKFLOW_KINDS.has(m.kind)
      // Argo labels each pod with its workflow's name; the value differs per run.
      ? { ...pods.labels, 'workflows.argoproj.io/workflow': name, 'workflows.argoproj.io/completed': 'false' }
      : pods.labels;
    const ports = pods.containers.flatMap((c) => list(c.container.ports)
      .filter((p) => typeof p.containerPort === 'number')
      .map((p) => ({ name: typeof p.name === 'string' ? p.name : undefined, port: p.containerPort as number, protocol: (p.protocol ?? 'TCP') as NetworkProtocol })));
    return NetworkEndpoint.pod({ namespace, labels, ports, description: `${m.kind} ${namespace}/${name}` });
  }

  /** True when `source` can open a connection to `destination` on `port`. */
  public canReach(source: NetworkEndpoint, destination: NetworkEndpoint, port: number, protocol?: NetworkProtocol): boolean {
    return this.check(source, destination, port, protocol).allowed;
  }

  /**
   * Whether `source` can open a connection to `destination` on `port` and `protocol`, with
   * the policies that decided each side.
   * @param source where the connection starts
   * @param destination where it goes
   * @param port the destination port
   * @param protocol the protocol (default TCP)
   */
  public check(source: NetworkEndpoint, destination: NetworkEndpoint, port: number, protocol?: NetworkProtocol): NetworkDecision {
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      invalid('NetworkPolicySimulator.check', 'port', `${quoted(port)} is not a port number: use an integer from 1 to 65535`);
    }
    const query: Query = { port, protocol: protocol ?? NetworkProtocol.TCP };
    const egress = this.side('egress', source, destination, query);
    const ingress = this.side('ingress', destination, source, query);
    const allowed = egress.allowed && ingress.allowed;
    return {
      allowed,
      egress,
      ingress,
      explanation: `${allowed ? 'Allowed' : 'Denied'}: ${source.description} -> ${destination.description} on ${port}/${query.protocol}. `
        + `Egress: ${egress.reason} Ingress: ${ingress.reason}`,
    };
  }

  /** One side: `self` is the pod whose policies apply, `peer` the other end. */
  private side(direction: 'ingress' | 'egress', self: NetworkEndpoint, peer: NetworkEndpoint, query: Query): NetworkDirectionDecision {
    const pod = self._pod;
    if (!pod) {
      return { allowed: true, isolated: false, selectingPolicies: [], allowingRules: [], reason: `${self.description} is not a pod: no ${direction} policy applies.` };
    }
    const selecting = this.policies.filter((np) => namespaceOf(np) === pod.namespace
      && policyTypesOf(np)[direction]
      && selectorMatches(np.spec?.podSelector, pod.labels));
    const names = selecting.map(policyName);
    if (selecting.length === 0) {
      return { allowed: true, isolated: false, selectingPolicies: [], allowingRules: [], reason: `no NetworkPolicy selects ${self.description} for ${direction === 'ingress' ? 'Ingress' : 'Egress'}: not isolated.` };
    }
    // Named ports are looked up on the destination pod.
    const destination = direction === 'ingress' ? self : peer;
    const allowing: string[] = [];
    for (const np of selecting) {
      list(np.spec?.[direction]).forEach((r, i) => {
        const peers = list(r[direction === 'ingress' ? 'from' : 'to']);
        const ports = list(r.ports);
        const peerOk = peers.length === 0 || peers.some((p) => this.peerMatches(p, namespaceOf(np), peer));
        const portOk = ports.length === 0 || ports.some((p) => portMatches(p, query, destination));
        if (peerOk && portOk) allowing.push(`${policyName(np)} ${direction}[${i}]`);
      });
    }
    const isolatedBy = `isolated by ${names.join(', ')}`;
    return allowing.length > 0
      ? { allowed: true, isolated: true, selectingPolicies: names, allowingRules: allowing, reason: `${isolatedBy}; allowed by ${allowing.join(', ')}.` }
      : { allowed: false, isolated: true, selectingPolicies: names, allowingRules: [], reason: `${isolatedBy}; no ${direction} rule allows ${peer.description} on ${query.port}/${query.protocol}.` };
  }

  private peerMatches(peer: Obj, policyNamespace: string, endpoint: NetworkEndpoint): boolean {
    if (isObj(peer.ipBlock)) {
      const ip = endpoint._address ?? endpoint._pod?.ip;
      if (ip === undefined) return false;
      const address = parseIp(ip)!;
      const cidr = typeof peer.ipBlock.cidr === 'string' ? parseCidr(peer.ipBlock.cidr) : undefined;
      if (!cidr || !cidrContains(cidr, address)) return false;
      return !(Array.isArray(peer.ipBlock.except) ? peer.ipBlock.except : [])
        .some((e: unknown) => {
          const except = typeof e === 'string' ? parseCidr(e) : undefined;
          return except !== undefined && cidrContains(except, address);
        });
    }
    const pod = endpoint._pod;
    const hasPods = isObj(peer.podSelector);
    const hasNamespaces = isObj(peer.namespaceSelector);
    if (!pod || (!hasPods && !hasNamespaces)) return false;
    const namespaceOk = hasNamespaces
      ? selectorMatches(peer.namespaceSelector, this.labelsOfNamespace(pod))
      : pod.namespace === policyNamespace;
    return namespaceOk && (!hasPods || selectorMatches(peer.podSelector, pod.labels));
  }

  private labelsOfNamespace(pod: PodData): { [key: string]: string } {
    return { ...this.namespaceLabels.get(pod.namespace), ...pod.namespaceLabels, 'kubernetes.io/metadata.name': pod.namespace };
  }
}

function policyName(np: Obj): string {
  return `${namespaceOf(np)}/${nameOf(np)}`;
}

function portMatches(p: Obj, query: Query, destination: NetworkEndpoint): boolean {
  if ((p.protocol ?? 'TCP') !== query.protocol) return false;
  if (p.port === undefined || p.port === null) return true;
  if (typeof p.port === 'number') {
    return typeof p.endPort === 'number' ? query.port >= p.port && query.port <= p.endPort : query.port === p.port;
  }
  // A named port: the destination pod must declare it, with this number and protocol.
  const ports = destination._pod?.ports ?? [];
  return ports.some((cp) => cp.name === p.port && cp.port === query.port && (cp.protocol ?? NetworkProtocol.TCP) === query.protocol);
}

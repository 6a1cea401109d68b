import { k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { ArgoWorkflowsComponent } from './enums';
import { untrustedEgressBlock } from '../private/cidr';
import { bindFactoryProblems, recordFactoryProblem } from '../private/errors';
import { namespaceSelectorFor, tcpPorts } from '../private/kube';
import { cidrProblem, dns1123LabelProblem, portProblem } from '../private/validate';
import type { Acknowledgement } from '../secrets/acknowledgement';

/**
 * A destination pods may open connections to: workflow pods (`HardenedWorkflowNamespace`), or the
 * workflow-controller and argo-server (`SecureArgoWorkflows.networkPolicies`).
 */
export class WorkflowEgress {
  /**
   * Pods of another namespace, selected by `kubernetes.io/metadata.name`.
   * @param namespace the namespace name
   * @param ports TCP ports; empty means every port
   */
  public static toNamespace(namespace: string, ports: number[] = []): WorkflowEgress {
    const egress = new WorkflowEgress(namespace, { namespaceSelector: namespaceSelectorFor(namespace) }, ports);
    const problem = dns1123LabelProblem(namespace);
    if (problem) recordFactoryProblem(egress, 'namespace', problem);
    return egress;
  }

  /**
   * An IP range (IPv4 or IPv6 CIDR), on the given TCP ports. Workflow pods run user code: a
   * range inside loopback, link-local (169.254.169.254) or a cloud metadata address is refused,
   * and a wider range leaves those and the private ranges it covers out (`except`).
   * @param cidr e.g. `10.20.0.0/16`
   * @param ports at least one TCP port
   */
  public static toCidr(cidr: string, ports: number[]): WorkflowEgress {
    // Workflow pods run user code: never loopback, link-local or metadata addresses, nor private ranges a wider block covers.
    const problem = cidrProblem(cidr);
    const block = problem === undefined ? untrustedEgressBlock(cidr) : { cidr, problem };
    const egress = new WorkflowEgress(cidr, { ipBlock: { cidr, except: block.except } }, ports);
    if (block.problem) recordFactoryProblem(egress, 'cidr', block.problem);
    if (ports.length === 0) recordFactoryProblem(egress, 'ports', `no ports for ${cidr}: list the TCP ports needed there`);
    return egress;
  }

  private constructor(
    /** The namespace or CIDR, for messages. */
    public readonly description: string,
    private readonly peer: k8s.NetworkPolicyPeer,
    /** The TCP ports; empty means every port. */
    public readonly ports: number[],
  ) {
    for (const port of ports) {
      const problem = portProblem(port);
      if (problem) recordFactoryProblem(this, 'ports', problem);
    }
  }

  /**
   * Reports this destination's problems as problems of `scope`'s `property`.
   * @internal
   */
  public _bind(scope: IConstruct, property: string): void {
    bindFactoryProblems(scope, property, this);
  }

  /** @internal */
  public _rule(): k8s.NetworkPolicyEgressRule {
    const ports = [...new Set(this.ports)].sort((a, b) => a - b);
    return {
      to: [this.peer],
      ...(ports.length > 0 ? { ports: tcpPorts(ports) } : {}),
    };
  }
}

/** NetworkPolicies of the install namespace (see {@link SecureArgoWorkflowsProps.networkPolicies}). */
export interface WorkflowsNetworkPolicyOptions {
  /**
   * The Kubernetes API server's endpoint addresses (`kubectl get endpoints kubernetes`): policies
   * see traffic after the `kubernetes` Service is translated. Both components need it.
   */
  readonly kubernetesApiCidr: string;
  /** The API server's endpoint port: usually 6443 (kubeadm), 443 on several managed services. */
  readonly kubernetesApiPort: number;
  /**
   * The cluster DNS namespace (pods labelled `k8s-app: kube-dns` there).
   * @default 'kube-system'
   */
  readonly dnsNamespace?: string;
  /**
   * The namespace of the ingress controller that forwards browser and API traffic to argo-server
   * (port 2746), matched by `kubernetes.io/metadata.name`.
   * @default 'ingress-nginx'
   */
  readonly ingressControllerNamespace?: string;
  /**
   * Where the archive database is, for the controller and argo-server. Required with
   * `persistence` (its ports must include the database port); refused without it.
   * @default - none
   */
  readonly databaseEgress?: WorkflowEgress[];
  /**
   * Where the OIDC issuer is, for argo-server (discovery, keys, token exchange). Required with
   * `sso` (its ports must include the issuer URL's port); refused without it.
   * @default - none
   */
  readonly identityProviderEgress?: WorkflowEgress[];
  /**
   * Where artifacts are stored, for argo-server, which reads them when the UI or API shows an
   * artifact.
   * @default - none: argo-server cannot show artifacts
   */
  readonly artifactRepositoryEgress?: WorkflowEgress[];
  /**
   * Leave out the policy that denies all ingress and egress of every pod in the install namespace
   * that no other policy admits, for the reason given (e.g. other workloads share the namespace
   * and you write their policies). The reason is recorded on the install Namespace (on
   * `workflow-controller-configmap` with `createNamespace: false`).
   * @default - the namespace denies what no policy admits
   */
  readonly disableDefaultDeny?: Acknowledgement;
  /**
   * Components that get no policy of their own (with the default deny they then reach nothing:
   * write a policy for each component you exclude).
   * @default - both components get a policy
   */
  readonly excludeComponents?: ArgoWorkflowsComponent[];
}


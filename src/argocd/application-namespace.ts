import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { IN_CLUSTER_SERVER, KUBERNETES_SYSTEM_NAMESPACES } from './private/names';
import { ProjectDestination } from './project-options';
import { ContainerResources } from '../core/container-resources';
import { standardLabels } from '../core/labels';
import { reasonProblem, recordAcceptedRisk } from '../private/accepted-risks';
import { ConfigurationError, deferredChecks, invalid } from '../private/errors';
import { installNamespacesOf } from '../private/install-namespaces';
import { dnsEgressRule, networkPolicy, restrictedNamespace } from '../private/kube';
import { resourceRequirements } from '../private/pod-security';
import { registerLibraryConstruct } from '../private/stamp';
import { dns1123LabelProblem, integerProblem, labelKeyProblem, labelValueProblem, quoted, requireDns1123Label } from '../private/validate';
import type { Acknowledgement } from '../secrets/acknowledgement';

/** The Pod Security Standard an application namespace enforces. */
export enum ApplicationPodSecurity {
  /** Enforce `restricted` (and audit and warn on it). */
  RESTRICTED = 'restricted',
  /**
   * For workloads that cannot run restricted (e.g. they need root): enforce `baseline`, still
   * audit and warn on `restricted`. Needs `baselineReason`.
   */
  BASELINE = 'baseline',
}

/** The namespace's ResourceQuota: totals over every pod of the namespace. */
export interface ApplicationNamespaceQuota {
  /**
   * The totals of all pods' requests and limits (`requests.cpu`, `limits.cpu`,
   * `requests.memory`, `limits.memory`). With a quota on them, every container must set
   * requests and limits: give `defaultContainerResources` for those that do not.
   */
  readonly total: ContainerResources;
  /**
   * The number of pods.
   * @default - not limited
   */
  readonly pods?: number;
  /**
   * The number of PersistentVolumeClaims.
   * @default - not limited
   */
  readonly persistentVolumeClaims?: number;
}

/** Props for {@link ApplicationNamespace}. */
export interface ApplicationNamespaceProps {
  /** The namespace name (a DNS-1123 label). */
  readonly name: string;
  /**
   * The Pod Security Standard enforced.
   * @default ApplicationPodSecurity.RESTRICTED
   */
  readonly podSecurity?: ApplicationPodSecurity;
  /**
   * Why the workloads here cannot run restricted; required with `ApplicationPodSecurity.BASELINE`
   * and recorded in the Namespace's `policy.cdk8s-secure-argo.io/accepted-risks` annotation.
   * @default - none
   */
  readonly baselineReason?: string;
  /**
   * A ResourceQuota.
   * @default - no ResourceQuota
   */
  readonly quota?: ApplicationNamespaceQuota;
  /**
   * A LimitRange: the requests and limits of containers that set none.
   * @default - no LimitRange
   */
  readonly defaultContainerResources?: ContainerResources;
  /**
   * Leave out the NetworkPolicies `default-deny` (all ingress and egress of every pod here denied)
   * and `allow-dns` (the cluster DNS reachable), for the reason given: pods here are then
   * reachable from, and reach, anything the cluster's network allows. The reason is recorded on
   * the Namespace.
   * @default - `default-deny` and `allow-dns` are written; the applications bring the
   * NetworkPolicies for the flows they need
   */
  readonly disableDefaultDeny?: Acknowledgement;
  /**
   * The cluster DNS namespace (pods labelled `k8s-app: kube-dns` there), which `allow-dns`
   * lets pods reach.
   * @default 'kube-system'
   */
  readonly dnsNamespace?: string;
  /**
   * More labels for the Namespace (e.g. for NetworkPolicy namespace selectors). Pod Security
   * labels cannot be set here.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
}

/**
 * A namespace for the workloads Argo CD deploys: Pod Security Admission enforcing `restricted`,
 * optionally a ResourceQuota and LimitRange, and a default-deny NetworkPolicy. Use
 * `projectDestination` in a project's destinations and the name as an Application's
 * destination namespace.
 *
 * It carries no `argocd.argoproj.io/managed-by` label: Argo CD itself does not read it, and the
 * Argo CD Operator reads it as "give that Argo CD instance admin rights in this namespace".
 * For a namespace-scoped `SecureArgoCD`, list the namespace in `install.managedNamespaces`.
 */
export class ApplicationNamespace extends Construct {
  /** The namespace name. */
  public readonly namespaceName: string;
  /** The Namespace. */
  public readonly apiObject: ApiObject;

  public constructor(scope: Construct, id: string, props: ApplicationNamespaceProps) {
    super(scope, id);
    registerLibraryConstruct(this);
    this.namespaceName = requireDns1123Label(this, 'name', props.name);
    const checks = deferredChecks(this);
    if ([...KUBERNETES_SYSTEM_NAMESPACES, 'default'].includes(this.namespaceName)) {
      checks.check('name', `${quoted(this.namespaceName)} is a namespace Kubernetes itself uses: restricted Pod Security and default-deny there would `
        + 'stop cluster components (e.g. DNS) and let Applications run beside them: give the applications a namespace of their own');
    }
    // At synth, when every install of the app is known.
    this.node.addValidation({
      validate: () => ([...installNamespacesOf(this, 'Argo CD'), ...installNamespacesOf(this, 'Argo Workflows')].includes(this.namespaceName)
        ? [new ConfigurationError(this, 'name', `${quoted(this.namespaceName)} is where Argo CD or Argo Workflows is installed in this app: `
          + "Applications deployed there could replace the install's pods and read its Secrets; give the applications a namespace of their own").message]
        : []),
    });
    const podSecurity = props.podSecurity ?? ApplicationPodSecurity.RESTRICTED;
    if (!Object.values(ApplicationPodSecurity).includes(podSecurity)) {
      invalid(this, 'podSecurity', `${quoted(podSecurity)} is not a level: use ApplicationPodSecurity.RESTRICTED or BASELINE`);
    }
    let baselineReasonOk = false;
    if (podSecurity === ApplicationPodSecurity.BASELINE) {
      baselineReasonOk = checks.check('baselineReason', props.baselineReason === undefined
        ? 'is required with ApplicationPodSecurity.BASELINE: say why these workloads cannot run restricted (or enforce RESTRICTED)'
        : reasonProblem(props.baselineReason, 'why these workloads cannot run restricted'));
    } else if (props.baselineReason !== undefined) {
      checks.check('baselineReason', 'is set, but podSecurity is RESTRICTED: remove it');
    }
    const extra = props.labels ?? {};
    for (const [key, value] of Object.entries(extra)) {
      checks.check(`labels[${quoted(key)}]`, labelKeyProblem(key) ?? labelValueProblem(value)
        ?? (key.startsWith('pod-security.kubernetes.io/') ? 'is a Pod Security label: use podSecurity' : undefined));
    }
    const labels = standardLabels({ name: this.namespaceName, component: 'application-namespace' });
    this.apiObject = restrictedNamespace(this, 'Resource', this.namespaceName, { ...extra, ...labels },
      podSecurity === ApplicationPodSecurity.RESTRICTED ? {} : { 'pod-security.kubernetes.io/enforce': podSecurity });
    if (baselineReasonOk) recordAcceptedRisk(this.apiObject, 'baselineReason', props.baselineReason!);

    if (props.quota) this.quota(props.quota, labels);
    if (props.defaultContainerResources) {
      const r = resourceRequirements(this, 'defaultContainerResources', props.defaultContainerResources);
      new k8s.KubeLimitRange(this, 'LimitRange', {
        metadata: { name: 'defaults', namespace: this.namespaceName, labels },
        spec: { limits: [{ type: 'Container', defaultRequest: r.requests, default: r.limits }] },
      });
    }
    const open = props.disableDefaultDeny;
    if (open !== undefined && checks.check('disableDefaultDeny.reason', reasonProblem(open?.reason, 'why pods here need no default deny'))) {
      recordAcceptedRisk(this.apiObject, 'disableDefaultDeny', open.reason);
    }
    if (open === undefined) {
      const dnsNamespace = props.dnsNamespace ?? 'kube-system';
      checks.check('dnsNamespace', dns1123LabelProblem(dnsNamespace));
      // Two policies, so that `default-deny` reads as exactly that (as in the installs' namespaces).
      networkPolicy(this, 'DefaultDeny', {
        name: 'default-deny',
        namespace: this.namespaceName,
        labels,
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
      });
      networkPolicy(this, 'AllowDns', {
        name: 'allow-dns',
        namespace: this.namespaceName,
        labels,
        spec: { podSelector: {}, policyTypes: ['Egress'], egress: [dnsEgressRule(dnsNamespace)] },
      });
    } else if (props.dnsNamespace !== undefined) {
      checks.check('dnsNamespace', 'is set, but disableDefaultDeny leaves allow-dns out: remove it');
    }
  }

  /** This namespace on the in-cluster server, for a project's `destinations`. */
  public get projectDestination(): ProjectDestination {
    return { server: IN_CLUSTER_SERVER, namespace: this.namespaceName };
  }

  private quota(quota: ApplicationNamespaceQuota, labels: Record<string, string>): void {
    const r = resourceRequirements(this, 'quota.total', quota.total);
    const hard: Record<string, k8s.Quantity> = {
      'limits.cpu': r.limits!.cpu!,
      'limits.memory': r.limits!.memory!,
      'requests.cpu': r.requests!.cpu!,
      'requests.memory': r.requests!.memory!,
    };
    const checks = deferredChecks(this);
    for (const [property, key] of [['pods', 'pods'], ['persistentVolumeClaims', 'persistentvolumeclaims']] as const) {
      const value = quota[property];
      if (value === undefined) continue;
      if (checks.check(`quota.${property}`, integerProblem(value, 0))) {
        hard[key] = k8s.Quantity.fromNumber(value);
      }
    }
    new k8s.KubeResourceQuota(this, 'ResourceQuota', {
      metadata: { name: 'quota', namespace: this.namespaceName, labels },
      spec: { hard },
    });
  }
}

// The install namespace's network: the metrics Service and the NetworkPolicies of the controller and argo-server.
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { CONTROLLER_POD_LABELS, METRICS_PORT, SERVER_POD_LABELS, SERVER_PORT, workflowsLabels } from './constants';
import { deferredChecks, invalid } from '../../private/errors';
import { dnsEgressRule, kubernetesServiceAddressProblem, namespaceSelectorFor, networkPolicy, tcpPorts } from '../../private/kube';
import { cidrProblem, dns1123LabelProblem, portProblem } from '../../private/validate';
import { WorkflowEgress, WorkflowsNetworkPolicyOptions } from '../egress';
import { ArgoWorkflowsComponent } from '../enums';
import { SecureArgoWorkflowsProps } from '../secure-argo-workflows-props';

/** A destination a configured feature needs (see `checkedEgress`). */
interface EgressRequirement {
  /** The property that turns the feature on. */
  readonly feature: string;
  /** The port the destination listens on; undefined when the feature is off. */
  readonly port: number | undefined;
  /** Who connects, for messages. */
  readonly client: string;
  /** What is reached, for messages. */
  readonly target: string;
}

/** Upstream ships no metrics Service since 3.4; metrics are served over HTTPS on 9090. */
export function metricsService(scope: Construct, namespace: string, monitoringNamespace: string): void {
  const labels = workflowsLabels('workflow-controller-metrics');
  new k8s.KubeService(scope, 'MetricsService', {
    metadata: { name: 'workflow-controller-metrics', namespace, labels },
    spec: {
      selector: CONTROLLER_POD_LABELS,
      ports: [{ name: 'metrics', port: METRICS_PORT, targetPort: k8s.IntOrString.fromNumber(METRICS_PORT), protocol: 'TCP', appProtocol: 'https' }],
    },
  });
  networkPolicy(scope, 'MetricsNetworkPolicy', {
    name: 'workflow-controller-metrics',
    namespace,
    labels,
    spec: {
      podSelector: { matchLabels: CONTROLLER_POD_LABELS },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: namespaceSelectorFor(monitoringNamespace) }], ports: tcpPorts([METRICS_PORT]) }],
    },
  });
}

/**
 * Default deny, then per component only what it needs: both reach DNS, the API server and the
 * archive database; argo-server also takes traffic from the ingress controller and reaches the
 * OIDC issuer and the artifact store. The controller's ingress is the metrics policy.
 */
export function installNetworkPolicies(scope: Construct, namespace: string, options: WorkflowsNetworkPolicyOptions,
  props: SecureArgoWorkflowsProps): void {
  const checks = deferredChecks(scope);
  checks.check('networkPolicies.kubernetesApiCidr', cidrProblem(options.kubernetesApiCidr)
    ?? kubernetesServiceAddressProblem(options.kubernetesApiCidr, [options.kubernetesApiPort]));
  const apiPort = options.kubernetesApiPort;
  checks.check('networkPolicies.kubernetesApiPort', portProblem(apiPort));
  const dnsNamespace = options.dnsNamespace ?? 'kube-system';
  checks.check('networkPolicies.dnsNamespace', dns1123LabelProblem(dnsNamespace));
  const ingressNamespace = options.ingressControllerNamespace ?? 'ingress-nginx';
  checks.check('networkPolicies.ingressControllerNamespace', dns1123LabelProblem(ingressNamespace));
  const database = checkedEgress(scope, 'databaseEgress', options.databaseEgress, {
    feature: 'persistence', port: props.persistence?.database?.port, client: 'the controller and argo-server', target: 'the archive database',
  });
  const issuer = props.sso?.provider.issuer;
  const identityProvider = checkedEgress(scope, 'identityProviderEgress', options.identityProviderEgress, {
    feature: 'sso', port: issuer === undefined ? undefined : urlPort(issuer), client: 'argo-server', target: `the OIDC issuer ${issuer}`,
  });
  const artifactRepository = checkedEgress(scope, 'artifactRepositoryEgress', options.artifactRepositoryEgress);
  const excluded = new Set(options.excludeComponents ?? []);
  for (const component of excluded) {
    if (!Object.values(ArgoWorkflowsComponent).includes(component)) {
      invalid(scope, 'networkPolicies.excludeComponents', `'${component}' is not a component: use ArgoWorkflowsComponent values`);
    }
  }

  const policy = (id: string, name: string, spec: k8s.NetworkPolicySpec) =>
    networkPolicy(scope, id, { name, namespace, labels: workflowsLabels('network-policy'), spec });
  const common = [dnsEgressRule(dnsNamespace), WorkflowEgress.toCidr(options.kubernetesApiCidr, [apiPort])._rule(), ...database];
  if (options.disableDefaultDeny === undefined) {
    policy('DefaultDenyNetworkPolicy', 'default-deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  }
  if (!excluded.has(ArgoWorkflowsComponent.WORKFLOW_CONTROLLER)) {
    policy('ControllerNetworkPolicy', 'workflow-controller-egress', {
      podSelector: { matchLabels: CONTROLLER_POD_LABELS },
      policyTypes: ['Egress'],
      egress: common,
    });
  }
  if (!excluded.has(ArgoWorkflowsComponent.ARGO_SERVER)) {
    policy('ServerNetworkPolicy', 'argo-server', {
      podSelector: { matchLabels: SERVER_POD_LABELS },
      policyTypes: ['Ingress', 'Egress'],
      // Exposed through a Gateway, argo-server admits only its proxies (the install's own policy).
      ingress: props.install?.gateway && !props.install.ingress ? []
        : [{ from: [{ namespaceSelector: namespaceSelectorFor(ingressNamespace) }], ports: tcpPorts([SERVER_PORT]) }],
      egress: [...common, ...identityProvider, ...artifactRepository],
    });
  }
}

/**
 * Egress destinations; with a requirement, needed exactly when its feature is configured (port
 * set), and each destination that lists ports must include that port.
 */
function checkedEgress(scope: Construct, property: string, egress: WorkflowEgress[] | undefined,
  requirement?: EgressRequirement): k8s.NetworkPolicyEgressRule[] {
  const where = `networkPolicies.${property}`;
  const list = egress ?? [];
  list.forEach((e, i) => e._bind(scope, `${where}[${i}]`));
  if (requirement?.port === undefined) {
    if (requirement && list.length > 0) invalid(scope, where, `is set but ${requirement.feature} is not configured: remove it`);
    return list.map((e) => e._rule());
  }
  const { feature, port, client, target } = requirement;
  if (list.length === 0) {
    invalid(scope, where, `${feature} is configured, so ${client} must reach ${target}: give ${property}: [WorkflowEgress.toNamespace('<namespace>', [${port}])] for an in-cluster service, or [WorkflowEgress.toCidr('<cidr>', [${port}])]`);
  }
  list.forEach((e, i) => {
    if (e.ports.length > 0 && !e.ports.includes(port)) {
      invalid(scope, `${where}[${i}]`, `ports ${e.ports.join(', ')} of ${e.description} do not include port ${port} of ${target}: add it`);
    }
  });
  return list.map((e) => e._rule());
}

/** The TCP port a URL connects to. */
function urlPort(url: string): number {
  const parsed = new URL(url);
  return parsed.port ? Number(parsed.port) : parsed.protocol === 'http:' ? 80 : 443;
}

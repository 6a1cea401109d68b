import { Duration } from 'cdk8s';
import { ContainerImage } from '../core/container-image';
import { recordFactoryProblem } from '../private/errors';
import { ReadGrant } from '../private/kube';
import { apiGroupProblem, dns1123LabelProblem, INT32_MAX, quoted, rbacNameProblem, unsafeTextProblem } from '../private/validate';
import {
  ARGO_SERVER_CHECK, ARGOCD_CHECK, NETWORK_CHECK, RBAC_CHECK, SECRET_METADATA_CHECK, TLS_EXPIRY_CHECK,
} from './private/compliance-scripts';


/**
 * Read access a compliance check needs: verbs `get` and `list` (only `get` when
 * `resourceNames` is set). Checks never get write verbs.
 */
export interface ResourceRead {
  /** The API group: `''` for the core group, e.g. `apps`, `argoproj.io`. */
  readonly apiGroup: string;
  /** Plural resource names, e.g. `['pods', 'services']`. No `*`. */
  readonly resources: string[];
  /**
   * Grant the access only in this namespace (a Role there) instead of cluster-wide.
   * @default - cluster-wide (a ClusterRole)
   */
  readonly namespace?: string;
  /**
   * Only these objects (verb `get` only).
   * @default - every object of the resources (`get`, `list`)
   */
  readonly resourceNames?: string[];
}

/** Options for {@link ComplianceCheck.rbac}. */
export interface RbacCheckOptions {
  /**
   * ClusterRoleBindings to `cluster-admin` that are expected (not reported).
   * @default ['cluster-admin'] (the built-in binding for group system:masters)
   */
  readonly allowedClusterAdminBindings?: string[];
}

/** Options for {@link ComplianceCheck.networkPolicies}. */
export interface NetworkPolicyCheckOptions {
  /**
   * Namespaces not checked.
   * @default ['kube-node-lease', 'kube-public', 'kube-system']
   */
  readonly excludedNamespaces?: string[];
}

/** Options for {@link ComplianceCheck.argoCd}. */
export interface ArgoCdCheckOptions {
  /**
   * Argo CD's namespace.
   * @default 'argocd'
   */
  readonly namespace?: string;
}

/** Options for {@link ComplianceCheck.argoWorkflowsServer}. */
export interface ArgoServerCheckOptions {
  /**
   * The argo-server Deployment's namespace.
   * @default 'argo'
   */
  readonly namespace?: string;
  /**
   * The argo-server Deployment's name.
   * @default 'argo-server'
   */
  readonly deploymentName?: string;
}

/** Options for {@link ComplianceCheck.secretMetadata}. */
export interface SecretMetadataCheckOptions {
  /** The namespaces whose Secrets are checked (each gets a Role with `list` on secrets). */
  readonly namespaces: string[];
  /**
   * Secrets not changed for longer than this are reported (whole days).
   * @default Duration.days(90)
   */
  readonly maxAge?: Duration;
}

/** Options for {@link ComplianceCheck.tlsCertificateExpiry}. */
export interface TlsExpiryCheckOptions {
  /** The namespaces whose `kubernetes.io/tls` Secrets are checked (each gets a Role with `list` on secrets). */
  readonly namespaces: string[];
  /**
   * Certificates expiring within this time are reported as WARNING, expired ones as ERROR (whole days).
   * @default Duration.days(30)
   */
  readonly warnBefore?: Duration;
}

/** A check you write yourself, for {@link ComplianceCheck.custom}. */
export interface CustomComplianceCheckProps {
  /** The check's name (DNS-1123 label, at most 40 characters); it names the DAG task. */
  readonly name: string;
  /**
   * POSIX sh that defines a function `run_check`, which prints findings as JSON objects, one
   * per line: `{"severity": "ERROR"|"WARNING"|"INFO", "resource": "...", "message": "..."}`.
   * `fetch NAME JQ-FILTER KUBECTL-GET-ARGS...` (saves to `$work/NAME.json`) is available, and
   * `run_check` must return non-zero when a command fails. See the built-in checks. It must not
   * contain `{{` (Argo Workflows would read it as a template variable).
   */
  readonly script: string;
  /** What the check reads: its service account gets exactly this, read-only. */
  readonly reads: ResourceRead[];
  /**
   * The image the check runs in: it must contain sh, jq 1.6+ and every tool the script calls.
   * @default - the workflow's `checkImage`
   */
  readonly image?: ContainerImage;
}

const CHECK_NAME_MAX = 40;
const RESOURCE = /^[a-z][a-z0-9]*(\/[a-z]+)?$/;

/** A problem found by a factory, recorded on the check it returns (reported by the workflow that uses it). */
type Problems = [property: string, problem: string | undefined][];

/**
 * One check of a {@link ComplianceCronWorkflow}: a script, the image it runs in and the
 * read-only access it needs. Use the built-in factories or {@link ComplianceCheck.custom}.
 * Problems with a factory's options are reported when the app is synthesized, with the path of
 * the workflow and the property (e.g. `checks[2].reads[0].apiGroup`).
 */
export class ComplianceCheck {
  /** The built-in checks that need no secret read: rbac, network policies, Argo CD and argo-server. */
  public static defaults(): ComplianceCheck[] {
    return [ComplianceCheck.rbac(), ComplianceCheck.networkPolicies(), ComplianceCheck.argoCd(), ComplianceCheck.argoWorkflowsServer()];
  }

  /**
   * `rbac`: ClusterRoleBindings to cluster-admin (ERROR), RoleBindings to cluster-admin
   * (WARNING), roles with `*` in their rules (WARNING) and service accounts with bindings (INFO).
   * Reads (cluster-wide) roles, clusterroles, rolebindings and clusterrolebindings.
   */
  public static rbac(options: RbacCheckOptions = {}): ComplianceCheck {
    const allowed = options.allowedClusterAdminBindings ?? ['cluster-admin'];
    // RBAC names are path segments; '{{' would also be read by Argo as a template variable.
    const problems: Problems = allowed.map((name, i) => [`allowedClusterAdminBindings[${i}]`, rbacNameProblem(name)
      ?? (name.includes('{{') ? `${quoted(name)} contains '{{', which Argo Workflows would read as a template variable: remove it` : undefined)]);
    return new ComplianceCheck('rbac', RBAC_CHECK,
      [{ apiGroup: 'rbac.authorization.k8s.io', resources: ['clusterrolebindings', 'clusterroles', 'rolebindings', 'roles'], verbs: ['list'] }],
      { ALLOWED_CLUSTER_ADMIN_BINDINGS: JSON.stringify(allowed) }, undefined, problems);
  }

  /**
   * `network-policies`: namespaces with pods but no NetworkPolicy (ERROR) and namespaces without
   * a default-deny policy for ingress or egress (WARNING). Reads (cluster-wide) namespaces,
   * pods and networkpolicies.
   */
  public static networkPolicies(options: NetworkPolicyCheckOptions = {}): ComplianceCheck {
    const excluded = options.excludedNamespaces ?? ['kube-node-lease', 'kube-public', 'kube-system'];
    return new ComplianceCheck('network-policies', NETWORK_CHECK, [
      { apiGroup: '', resources: ['namespaces', 'pods'], verbs: ['list'] },
      { apiGroup: 'networking.k8s.io', resources: ['networkpolicies'], verbs: ['list'] },
    ], { EXCLUDED_NAMESPACES: JSON.stringify([...excluded].sort()) }, undefined,
    excluded.map((ns, i) => [`excludedNamespaces[${i}]`, dns1123LabelProblem(ns)]));
  }

  /**
   * `argocd`: anonymous access or disabled authentication (ERROR), the local admin user
   * (WARNING) and AppProjects that allow any repository, destination or cluster-scoped kind
   * (WARNING). Reads, in Argo CD's namespace only, the ConfigMaps argocd-cm and
   * argocd-cmd-params-cm (by name) and AppProjects.
   */
  public static argoCd(options: ArgoCdCheckOptions = {}): ComplianceCheck {
    const namespace = options.namespace ?? 'argocd';
    return new ComplianceCheck('argocd', ARGOCD_CHECK, [
      { apiGroup: '', resources: ['configmaps'], namespace, resourceNames: ['argocd-cm', 'argocd-cmd-params-cm'], verbs: ['get'] },
      { apiGroup: 'argoproj.io', resources: ['appprojects'], namespace, verbs: ['list'] },
    ], { ARGOCD_NAMESPACE: namespace }, undefined, [['namespace', dns1123LabelProblem(namespace)]]);
  }

  /**
   * `argo-server`: argo-server running with `--auth-mode=server` (ERROR) or `--secure=false`
   * (WARNING). Reads the argo-server Deployment (by name) in its namespace only.
   */
  public static argoWorkflowsServer(options: ArgoServerCheckOptions = {}): ComplianceCheck {
    const namespace = options.namespace ?? 'argo';
    const deployment = options.deploymentName ?? 'argo-server';
    return new ComplianceCheck('argo-server', ARGO_SERVER_CHECK,
      [{ apiGroup: 'apps', resources: ['deployments'], namespace, resourceNames: [deployment], verbs: ['get'] }],
      { ARGO_NAMESPACE: namespace, ARGO_SERVER_DEPLOYMENT: deployment }, undefined,
      [['namespace', dns1123LabelProblem(namespace)], ['deploymentName', dns1123LabelProblem(deployment)]]);
  }

  /**
   * `secret-metadata` (opt-in): Secrets not changed for `maxAge` (WARNING) and long-lived
   * service account tokens (INFO), from metadata only. Kubernetes RBAC has no metadata-only
   * permission: this check holds `list` on secrets in the given namespaces, which would allow
   * reading values. Its script asks the API server for a metadata-only Table, so no value
   * reaches the pod. Needs curl in the image.
   */
  public static secretMetadata(options: SecretMetadataCheckOptions): ComplianceCheck {
    const problems: Problems = [];
    const namespaces = checkNamespaces(options.namespaces, problems);
    const maxAgeDays = wholeDays('maxAge', options.maxAge ?? Duration.days(90), problems);
    return new ComplianceCheck('secret-metadata', SECRET_METADATA_CHECK,
      namespaces.map((namespace) => ({ apiGroup: '', resources: ['secrets'], namespace, verbs: ['list'] })),
      { MAX_AGE_DAYS: String(maxAgeDays), NAMESPACES: namespaces.join(' ') }, undefined, problems);
  }

  /**
   * `tls-expiry` (opt-in): `kubernetes.io/tls` Secrets whose certificate has expired or cannot
   * be read (ERROR) or expires within `warnBefore` (WARNING). This reads secret values (the
   * certificates, and the private keys come along in the list): `list` on secrets in the given
   * namespaces. Needs openssl and base64 in the image.
   */
  public static tlsCertificateExpiry(options: TlsExpiryCheckOptions): ComplianceCheck {
    const problems: Problems = [];
    const namespaces = checkNamespaces(options.namespaces, problems);
    const warnDays = wholeDays('warnBefore', options.warnBefore ?? Duration.days(30), problems);
    return new ComplianceCheck('tls-expiry', TLS_EXPIRY_CHECK,
      namespaces.map((namespace) => ({ apiGroup: '', resources: ['secrets'], namespace, verbs: ['list'] })),
      { NAMESPACES: namespaces.join(' '), WARN_DAYS: String(warnDays) }, undefined, problems);
  }

  /** A check you write: its script, the read access it needs and, optionally, its own image. */
  public static custom(props: CustomComplianceCheckProps): ComplianceCheck {
    const problems: Problems = [];
    if (!props.script.includes('run_check')) {
      problems.push(['script', 'must define a function run_check that prints findings as JSON lines']);
    }
    const unsafe = unsafeTextProblem(props.script);
    if (unsafe) problems.push(['script', `${unsafe}: remove it`]);
    if (props.script.includes('{{')) {
      problems.push(['script', "contains '{{', which Argo Workflows would treat as a template variable: write '{ {' or build the text at run time"]);
    }
    if (props.reads.length === 0) {
      problems.push(['reads', 'is empty: list the resources the script reads (a check that reads nothing needs no API access)']);
    }
    const grants = props.reads.map((read, i): ReadGrant => {
      const at = `reads[${i}]`;
      problems.push([`${at}.apiGroup`, apiGroupProblem(read.apiGroup)]);
      if (read.resources.length === 0) problems.push([`${at}.resources`, 'is empty']);
      read.resources.forEach((resource, j) => problems.push([`${at}.resources[${j}]`, RESOURCE.test(resource)
        ? undefined : `${quoted(resource)} is not a resource name: use the lowercase plural, e.g. 'pods' (no '*')`]));
      if (read.namespace !== undefined) problems.push([`${at}.namespace`, dns1123LabelProblem(read.namespace)]);
      if (read.apiGroup === '' && read.resources.includes('secrets') && read.namespace === undefined) {
        problems.push([at, 'reads secrets cluster-wide: give a namespace (one read per namespace); cluster-wide secret read is never granted']);
      }
      if (read.resourceNames !== undefined && read.resourceNames.length === 0) {
        problems.push([`${at}.resourceNames`, 'is empty: leave it out to read every object']);
      }
      read.resourceNames?.forEach((name, j) => problems.push([`${at}.resourceNames[${j}]`, rbacNameProblem(name)]));
      return { ...read, verbs: read.resourceNames ? ['get'] : ['get', 'list'] };
    });
    return new ComplianceCheck(props.name, props.script, grants, {}, props.image, problems);
  }

  /** The check's name. */
  public readonly name: string;
  /** @internal */
  public readonly _body: string;
  /** @internal */
  public readonly _grants: ReadGrant[];
  /** @internal */
  public readonly _env: Record<string, string>;
  /** @internal */
  public readonly _image?: ContainerImage;

  private constructor(name: string, body: string, grants: ReadGrant[], env: Record<string, string>, image?: ContainerImage, problems: Problems = []) {
    this.name = name;
    this._body = body;
    this._grants = grants;
    this._env = env;
    this._image = image;
    const nameProblem = dns1123LabelProblem(name)
      ?? (name.length > CHECK_NAME_MAX ? `${quoted(name)} is longer than ${CHECK_NAME_MAX} characters` : undefined)
      ?? (name === 'report' ? "'report' is the name of the report step: choose another" : undefined);
    for (const [property, problem] of [['name', nameProblem] as const, ...problems]) {
      if (problem !== undefined) recordFactoryProblem(this, property, problem);
    }
  }
}

function checkNamespaces(namespaces: string[], problems: Problems): string[] {
  if (namespaces.length === 0) problems.push(['namespaces', 'is empty: list the namespaces to check (this check is never cluster-wide)']);
  namespaces.forEach((ns, i) => problems.push([`namespaces[${i}]`, dns1123LabelProblem(ns)]));
  return [...new Set(namespaces)].sort();
}

/**
 * The largest number of days a check takes: the scripts compute in seconds as shell integers and
 * pass them to `openssl x509 -checkend`, which older OpenSSL reads as a 32-bit int.
 */
const MAX_DAYS = Math.floor(INT32_MAX / 86400);

/** The number of days in a duration of one or more whole days (the checks compare dates). */
function wholeDays(prop: string, duration: Duration, problems: Problems): number {
  const days = duration.toDays({ integral: false });
  if (!Number.isInteger(days) || days <= 0 || days > MAX_DAYS) {
    problems.push([prop, `${duration.toHumanString() || days} is not a positive whole number of days up to ${MAX_DAYS}: use e.g. Duration.days(30)`]);
  }
  return days;
}

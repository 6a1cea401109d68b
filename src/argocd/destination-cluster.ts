import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { IN_CLUSTER, CONTROLLER_VERBS, deriveAccess, grantsWithVerbs, serverExtras } from './install/private/derived-access';
import { aksIdentity, apiServerAddressProblem, eksIdentity, gkeIdentity, PodIdentity, registerDialedCluster } from './private/cluster-dialing';
import { literalServerPattern } from './private/project-matching';
import { registerScopedCluster } from './private/scoped-clusters';
import { isSelfManagementObject } from './private/self-management-resources';
import { ProjectDestination } from './project-options';
import { ArgoCdCluster } from './repositories';
import { standardLabels } from '../core/labels';
import { applySyncWave, SyncWave } from '../core/sync-wave';
import { bindFactoryProblems, deferredChecks, recordFactoryProblem } from '../private/errors';
import { installNamespacesOf } from '../private/install-namespaces';
import { boundRole, grantRules, serviceAccountTokenSecret, tokenSecretName } from '../private/kube';
import { needsQuotesForYaml11 } from '../private/render';
import { registerDerivation, registerLibraryConstruct } from '../private/stamp';
import { dns1123LabelProblem, dns1123SubdomainProblem, httpsUrlProblem, pemProblem, quoted, safeTextProblem } from '../private/validate';
import { SecretSource } from '../secrets';

const SECRET_TYPE_LABEL = 'argocd.argoproj.io/secret-type';
const MANAGER = 'argocd-manager';
const EXEC_API_VERSION = 'client.authentication.k8s.io/v1beta1';
const K8S_AUTH = 'argocd-k8s-auth';

/** Options for {@link ClusterCredentials.eksIam}. */
export interface EksIamCredentialsOptions {
  /** The EKS cluster's name, as `aws eks describe-cluster` knows it. */
  readonly clusterName: string;
  /**
   * The IAM role Argo CD assumes for this cluster (`arn:aws:iam::<account>:role/<name>`), assumable by
   * Argo CD's management role (IRSA or EKS Pod Identity on argocd-application-controller and argocd-server).
   */
  readonly roleArn: string;
  /**
   * Argo CD's management role through IAM roles for service accounts (IRSA): the service accounts
   * of argocd-application-controller and argocd-server are annotated `eks.amazonaws.com/role-arn`
   * with it. Its trust policy admits both service accounts through the cluster's OIDC provider,
   * and it may assume `roleArn`. Every EKS cluster of one Argo CD gives the same value.
   * @default - EKS Pod Identity: associate the management role with both service accounts
   *   (`aws eks create-pod-identity-association`); their pods may reach the Pod Identity agent
   */
  readonly irsaRoleArn?: string;
  /** The cluster's CA certificate, PEM (public: `aws eks describe-cluster --query cluster.certificateAuthority.data | base64 -d`). */
  readonly caCertificate: string;
  /**
   * The Kubernetes user name the cluster's access entry gives the role: the remote Roles are bound to it.
   * Create the access entry with this user name and no access policy, so that these Roles are all it may do.
   * @default 'argocd-manager'
   */
  readonly username?: string;
}

/** Options for {@link ClusterCredentials.gkeWorkloadIdentity}. */
export interface GkeWorkloadIdentityCredentialsOptions {
  /**
   * The Google service account Argo CD's pods act as (Workload Identity on argocd-application-controller and
   * argocd-server), e.g. `argocd@my-project.iam.gserviceaccount.com`. GKE names it by this e-mail in RBAC,
   * so the remote Roles are bound to it.
   */
  readonly serviceAccountEmail: string;
  /** The cluster's CA certificate, PEM (public: `gcloud container clusters describe --format 'value(masterAuth.clusterCaCertificate)' | base64 -d`). */
  readonly caCertificate: string;
}

/** Options for {@link ClusterCredentials.aksWorkloadIdentity}. */
export interface AksWorkloadIdentityCredentialsOptions {
  /** The client ID of the managed identity (or app registration) federated with Argo CD's service accounts. */
  readonly clientId: string;
  /** The Microsoft Entra tenant ID. */
  readonly tenantId: string;
  /** The identity's object (principal) ID: AKS names it by this ID in RBAC, so the remote Roles are bound to it. */
  readonly objectId: string;
  /** The cluster's CA certificate, PEM (public). */
  readonly caCertificate: string;
}

interface CredentialsData {
  /** The cluster Secret's `config` JSON when it holds no credential. */
  readonly config?: object;
  readonly source?: SecretSource;
  readonly subject: k8s.Subject;
  /** How Argo CD's pods that dial the cluster get the cloud identity. */
  readonly identity?: PodIdentity;
}

/**
 * How Argo CD authenticates to a destination cluster. Prefer the cloud identities (no
 * long-lived credential exists anywhere); a service account token is for other clusters.
 */
export class ClusterCredentials {
  /**
   * A token of the `argocd-manager` service account the remote chart creates. After the remote
   * chart is applied, read the token and the cluster's CA from Secret
   * `argocd-manager.service-account-token` (namespace `kube-system`) of that cluster, put
   * `{"bearerToken":"<token>","tlsClientConfig":{"insecure":false,"caData":"<base64 CA>"}}` into
   * your secret store (or seal it), and give that here as the `config` key. The token does not
   * expire: rotate it by deleting that Secret on the remote cluster (Kubernetes issues a new
   * one) and updating the stored value.
   * @param source the secret source of the `config` key (a SealedSecret or an ExternalSecret)
   */
  public static serviceAccountToken(source: SecretSource): ClusterCredentials {
    return new ClusterCredentials('serviceAccountToken', { source, subject: { kind: 'ServiceAccount', name: MANAGER, namespace: 'kube-system' } });
  }

  /**
   * EKS through IAM (`awsAuthConfig`): Argo CD's `argocd-k8s-auth aws` assumes `roleArn` with the
   * management role of argocd-application-controller and argocd-server (EKS Pod Identity, or IRSA
   * with `irsaRoleArn`) and gets a short-lived token. No credential is stored. The install lets
   * those two pods reach the Pod Identity agent (without `irsaRoleArn`) and AWS STS (public 443).
   */
  public static eksIam(options: EksIamCredentialsOptions): ClusterCredentials {
    const username = options.username ?? MANAGER;
    const c = new ClusterCredentials('eksIam', {
      config: { awsAuthConfig: { clusterName: options.clusterName, roleARN: options.roleArn }, tlsClientConfig: tlsConfig(options.caCertificate) },
      subject: { kind: 'User', name: username, apiGroup: 'rbac.authorization.k8s.io' },
      identity: eksIdentity(options.irsaRoleArn),
    });
    if (!/^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/.test(options.clusterName)) {
      recordFactoryProblem(c, 'clusterName', `${quoted(options.clusterName)} is not an EKS cluster name: 1-100 letters, digits, '-' or '_', starting with a letter or digit`);
    }
    for (const [property, arn] of [['roleArn', options.roleArn], ['irsaRoleArn', options.irsaRoleArn]]) {
      if (arn !== undefined && !/^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/.test(arn)) {
        recordFactoryProblem(c, property!, `${quoted(arn)} is not an IAM role ARN: use arn:aws:iam::<12-digit account>:role/<name>`);
      }
    }
    const userProblem = safeTextProblem(username, { maxLength: 253 }) ?? (username.startsWith('system:')
      ? `${quoted(username)} is in the system: namespace Kubernetes reserves: choose a user name of your own, e.g. argocd-manager` : yaml11Problem(username));
    if (userProblem) recordFactoryProblem(c, 'username', userProblem);
    caProblems(c, options.caCertificate);
    return c;
  }

  /**
   * GKE through Workload Identity (`argocd-k8s-auth gcp`): argocd-application-controller and
   * argocd-server act as the Google service account (their service accounts are annotated
   * `iam.gke.io/gcp-service-account`) and get its tokens from the GKE metadata server, which only
   * those two pods may reach. No credential is stored.
   */
  public static gkeWorkloadIdentity(options: GkeWorkloadIdentityCredentialsOptions): ClusterCredentials {
    const c = new ClusterCredentials('gkeWorkloadIdentity', {
      config: { execProviderConfig: { command: K8S_AUTH, args: ['gcp'], apiVersion: EXEC_API_VERSION }, tlsClientConfig: tlsConfig(options.caCertificate) },
      subject: { kind: 'User', name: options.serviceAccountEmail, apiGroup: 'rbac.authorization.k8s.io' },
      identity: gkeIdentity(options.serviceAccountEmail),
    });
    if (!/^[a-z][a-z0-9-]{4,28}[a-z0-9]@[a-z][a-z0-9-]{4,28}[a-z0-9]\.iam\.gserviceaccount\.com$/.test(options.serviceAccountEmail)) {
      recordFactoryProblem(c, 'serviceAccountEmail', `${quoted(options.serviceAccountEmail)} is not a Google service account: use <name>@<project>.iam.gserviceaccount.com`);
    }
    caProblems(c, options.caCertificate);
    return c;
  }

  /**
   * AKS through Microsoft Entra Workload ID (`argocd-k8s-auth azure`, login method
   * `workloadidentity`): the pods of argocd-application-controller and argocd-server are labelled
   * for the Workload ID webhook, their service accounts annotated with the client and tenant ID,
   * and they may reach the Entra ID login endpoint (public 443). No credential is stored.
   */
  public static aksWorkloadIdentity(options: AksWorkloadIdentityCredentialsOptions): ClusterCredentials {
    const c = new ClusterCredentials('aksWorkloadIdentity', {
      config: {
        execProviderConfig: {
          command: K8S_AUTH,
          args: ['azure'],
          apiVersion: EXEC_API_VERSION,
          env: { AAD_LOGIN_METHOD: 'workloadidentity', AZURE_CLIENT_ID: options.clientId, AZURE_TENANT_ID: options.tenantId },
        },
        tlsClientConfig: tlsConfig(options.caCertificate),
      },
      subject: { kind: 'User', name: options.objectId, apiGroup: 'rbac.authorization.k8s.io' },
      identity: aksIdentity(options.clientId, options.tenantId),
    });
    for (const [property, value] of [['clientId', options.clientId], ['tenantId', options.tenantId], ['objectId', options.objectId]]) {
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value)) {
        recordFactoryProblem(c, property, `${quoted(value)} is not a GUID: use the ID from the identity's overview (lower case, 8-4-4-4-12 hex digits)`);
      }
    }
    caProblems(c, options.caCertificate);
    return c;
  }

  /** The factory used, e.g. `eksIam`. */
  public readonly kind: string;
  /** @internal */
  public readonly _data: CredentialsData;

  private constructor(kind: string, data: CredentialsData) {
    this.kind = kind;
    this._data = data;
  }
}

/** The output's YAML is read by go-yaml (YAML 1.1), which takes some plain words for numbers or booleans. */
function yaml11Problem(value: string): string | undefined {
  return needsQuotesForYaml11(value) ? `${quoted(value)} reads as a number, boolean or null in YAML 1.1 (kubectl's reader): choose another name` : undefined;
}

function tlsConfig(caCertificate: string): object {
  // caData is []byte in Argo CD's ClusterConfig, so base64 of the PEM text in JSON.
  return { insecure: false, caData: Buffer.from(`${caCertificate.trim()}\n`).toString('base64') };
}

function caProblems(c: ClusterCredentials, pem: string): void {
  const problem = pemProblem(pem, { type: 'CERTIFICATE' });
  if (problem) recordFactoryProblem(c, 'caCertificate', problem);
}

/**
 * The destination cluster's side of an {@link ArgoCdDestinationCluster}: the `argocd-manager`
 * account (for token credentials) and the Roles derived from the projects, which the
 * destination cluster construct adds at synth. Create it through ArgoCdDestinationCluster.
 */
export class ArgoCdManagerAccess extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    registerLibraryConstruct(this, 'argocd');
  }
}

/** Props for {@link ArgoCdDestinationCluster}. */
export interface ArgoCdDestinationClusterProps {
  /**
   * The chart for the destination cluster's own objects (the `argocd-manager` account and its
   * Roles): commit its output to what that cluster applies, not to Argo CD's cluster.
   */
  readonly remoteChart: Chart;
  /**
   * The cluster's API server URL, e.g. `https://prod.k8s.example.com:6443`. Project destinations
   * name it by this URL; an IPv6 address (`https://[fd00::1]:6443`) needs its brackets escaped
   * there, as Argo CD's glob reads them (`https://\[fd00::1\]:6443`, in TypeScript
   * `'https://\\[fd00::1\\]:6443'`): `destination()` writes it so.
   */
  readonly server: string;
  /** The cluster's name in Argo CD (Applications and project destinations may use it instead of the URL). */
  readonly clusterName: string;
  /** How Argo CD authenticates to the cluster. */
  readonly credentials: ClusterCredentials;
  /**
   * Argo CD's namespace, where the cluster Secret goes. When the app has a SecureArgoCD, it is
   * the namespace of one (Argo CD reads cluster Secrets only in its own), whose install then gets
   * the cluster's identity and egress.
   * @default 'argocd'
   */
  readonly namespace?: string;
  /**
   * Namespaces of the cluster that projects reach through destination patterns (e.g. `team-*`):
   * a pattern is matched against these and the literal destinations, never turned into a
   * cluster-wide grant.
   * @default - only literal destinations and Applications' namespaces
   */
  readonly managedNamespaces?: string[];
  /**
   * The project the cluster belongs to (the cluster Secret's `project`). Every other AppProject of
   * the app (in Argo CD's namespace) whose destinations match the cluster, by `server` or by name,
   * globs such as `*` included, is refused at synth: Argo CD itself lets any project whose
   * destinations match deploy to it, and holds only a project that sets
   * `permitOnlyProjectScopedClusters` to its own scoped clusters. Projects made outside this app,
   * and Argo CD's built-in `default` project unless `LockedDownDefaultProject` replaces it, are not
   * kept out.
   * @default - no project: a cluster every project whose destinations match it may use
   */
  readonly project?: string;
  /**
   * The cluster Secret's name.
   * @default - `cluster-<clusterName>`
   */
  readonly secretName?: string;
}

/**
 * Registers a remote cluster with Argo CD and writes both sides of it. In `remoteChart`, for the
 * cluster itself: Roles in exactly the namespaces the app's AppProjects (and Applications) deploy
 * to there, for exactly the kinds those projects allow (the same derivation as the in-cluster
 * install), a ClusterRole only for cluster-scoped kinds a project whitelists, named one by one,
 * bound to the `argocd-manager` service account (with a token Secret) or to the cloud identity.
 * In its own scope, for Argo CD: the cluster Secret, listing those namespaces, whose `config`
 * comes from a sealed or external source, or names a cloud identity and holds no credential.
 * The SecureArgoCD of the same namespace gives its application controller and argocd-server
 * (the components that dial the cluster) the cloud identity and the egress it needs, and opens
 * `server` to them when it names an address.
 */
export class ArgoCdDestinationCluster extends Construct {
  /** The API server URL, for project destinations and Applications. */
  public readonly server: string;
  /** The cluster's name in Argo CD. */
  public readonly clusterName: string;
  /** The cluster Secret's name. */
  public readonly secretName: string;

  private readonly props: ArgoCdDestinationClusterProps;
  private readonly argoCdNamespace: string;
  /** The destination cluster's side, in `remoteChart`. */
  public readonly remote: ArgoCdManagerAccess;
  private readonly clusterObject: ApiObject;
  private readonly dataPath: string;

  constructor(scope: Construct, id: string, props: ArgoCdDestinationClusterProps) {
    super(scope, id);
    registerLibraryConstruct(this, 'argocd');
    this.props = props;
    this.server = props.server;
    this.clusterName = props.clusterName;
    this.argoCdNamespace = props.namespace ?? 'argocd';
    this.secretName = props.secretName ?? `cluster-${props.clusterName}`;
    const checks = deferredChecks(this);
    checks.check('server', httpsUrlProblem(props.server) ?? (props.server.endsWith('/')
      ? `${quoted(props.server)} ends with '/': Argo CD trims it, and project destinations would no longer match; remove it` : undefined)
      ?? (props.server === IN_CLUSTER.server ? `${quoted(props.server)} is the cluster Argo CD runs in: SecureArgoCD manages it; register remote clusters here` : undefined)
      ?? apiServerAddressProblem(props.server));
    const nameOk = checks.check('clusterName', dns1123SubdomainProblem(props.clusterName) ?? (props.clusterName === IN_CLUSTER.name
      ? `'${IN_CLUSTER.name}' is the cluster Argo CD runs in: choose another name` : yaml11Problem(props.clusterName)));
    // The Secret's name is also its app.kubernetes.io/name label.
    if (props.secretName !== undefined || nameOk) {
      checks.check(props.secretName === undefined ? 'clusterName' : 'secretName', dns1123SubdomainProblem(this.secretName) ?? (this.secretName.length > 63
        ? `the cluster Secret's name ${quoted(this.secretName)} is longer than 63 characters: choose a shorter clusterName or set secretName` : undefined));
    }
    (props.managedNamespaces ?? []).forEach((ns, i) => checks.check(`managedNamespaces[${i}]`, dns1123LabelProblem(ns)));
    if (props.project !== undefined) checks.check('project', dns1123SubdomainProblem(props.project));
    bindFactoryProblems(this, 'credentials', props.credentials);
    if (Chart.of(this) === props.remoteChart) {
      checks.check('remoteChart', 'is the chart of Argo CD\'s own objects: the manager account and its Roles belong to the destination cluster; '
        + 'give that cluster a chart of its own');
    }

    const data = props.credentials._data;
    const labels = { ...standardLabels({ name: this.secretName, partOf: 'argocd' }), [SECRET_TYPE_LABEL]: 'cluster' };
    const project: { [key: string]: string } = props.project === undefined ? {} : { project: props.project };
    if (data.source) {
      const cluster = new ArgoCdCluster(this, 'Cluster', {
        namespace: this.argoCdNamespace,
        secretName: this.secretName,
        server: props.server,
        clusterName: props.clusterName,
        project: props.project,
        source: data.source,
      });
      this.clusterObject = cluster.secret.node.findAll().find(ApiObject.isApiObject)!;
      this.dataPath = this.clusterObject.kind === 'ExternalSecret' ? '/spec/target/template/data' : '/spec/template/data';
    } else {
      // A cloud identity: the config says which role or identity to use and holds no credential.
      this.clusterObject = new k8s.KubeSecret(this, 'Cluster', {
        metadata: { name: this.secretName, namespace: this.argoCdNamespace, labels },
        stringData: { name: props.clusterName, server: props.server, ...project, config: JSON.stringify(data.config) },
      });
      applySyncWave(this.clusterObject, SyncWave.STORAGE_AND_SECRETS);
      this.dataPath = '/stringData';
    }

    this.remote = new ArgoCdManagerAccess(props.remoteChart, `${id}-${props.clusterName}`);
    if (data.subject.kind === 'ServiceAccount') {
      const saLabels = standardLabels({ name: MANAGER, partOf: 'argocd' });
      const sa = new k8s.KubeServiceAccount(this.remote, 'ServiceAccount', {
        metadata: { name: MANAGER, namespace: 'kube-system', labels: saLabels },
        // Argo CD uses the token from outside the cluster; no pod runs as this account.
        automountServiceAccountToken: false,
      });
      applySyncWave(sa, SyncWave.SERVICE_ACCOUNTS_AND_RBAC);
      serviceAccountTokenSecret(this.remote, 'Token', MANAGER, 'kube-system', saLabels);
    }
    // The install of Argo CD's namespace gives its dialing pods the identity and the egress.
    registerDialedCluster({ scope: this, namespace: this.argoCdNamespace, server: props.server, identity: data.identity });
    // The other projects of that namespace must not match it.
    if (props.project !== undefined) {
      registerScopedCluster({ scope: this, namespace: this.argoCdNamespace, server: props.server, name: props.clusterName, project: props.project });
    }
    registerDerivation(this, () => this.derive());
  }

  /**
   * A project destination for a namespace of this cluster (by server URL, as a pattern that
   * matches exactly it: the brackets of an IPv6 address are escaped, as Argo CD's glob needs).
   */
  public destination(namespace: string): ProjectDestination {
    return { server: literalServerPattern(this.server), namespace };
  }

  /** The name of the token Secret on the destination cluster (service account tokens only). */
  public get tokenSecretName(): string | undefined {
    return this.props.credentials._data.source ? tokenSecretName(MANAGER) : undefined;
  }

  private derive(): string[] {
    const objects = this.node.root.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c) && !isSelfManagementObject(c));
    const access = deriveAccess(objects, this.argoCdNamespace, this.props.managedNamespaces ?? [], { server: this.server, name: this.clusterName });
    const where = `${this.constructor.name} '${this.node.path}'`;
    const derived = access.problems.map((p) => `${where}: remoteChart: ${p}`);
    const installed = installNamespacesOf(this, 'Argo CD');
    if (installed.length > 0 && !installed.includes(this.argoCdNamespace)) {
      // Argo CD would never see the Secret, and no install would get the cluster's identity and egress.
      derived.push(`${where}: namespace: ${quoted(this.argoCdNamespace)} has no SecureArgoCD of this app, and Argo CD reads cluster Secrets `
        + `only in its own namespace: set namespace to ${installed.map((ns) => quoted(ns)).join(' or ')}`);
    }
    if (access.namespaces.size === 0) {
      // An empty namespace list would make Argo CD manage the whole cluster.
      derived.push(`${where}: server: no AppProject deploys to ${quoted(this.server)} (or '${this.clusterName}'): add a destination `
        + 'with a namespace of this cluster to a project, or remove the cluster');
      return derived;
    }
    const subject = this.props.credentials._data.subject;
    const labels = standardLabels({ name: MANAGER, partOf: 'argocd' });
    // One identity serves both the application controller and argocd-server.
    for (const [namespace, grants] of access.namespaces) {
      boundRole(this.remote, {
        roleId: `Role-${namespace}`,
        bindingId: `RoleBinding-${namespace}`,
        name: MANAGER,
        namespace,
        labels,
        rules: grantRules([...grantsWithVerbs(grants, CONTROLLER_VERBS), ...serverExtras(grants)]),
        subjects: [subject],
      });
    }
    if (access.clusterResources.length > 0) {
      const role = new k8s.KubeClusterRole(this.remote, 'ClusterRole', {
        metadata: { name: `${MANAGER}-cluster-resources`, labels },
        rules: grantRules(grantsWithVerbs(access.clusterResources, CONTROLLER_VERBS)),
      });
      const binding = new k8s.KubeClusterRoleBinding(this.remote, 'ClusterRoleBinding', {
        metadata: { name: `${MANAGER}-cluster-resources`, labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role.name },
        subjects: [subject],
      });
      applySyncWave(role, SyncWave.SERVICE_ACCOUNTS_AND_RBAC);
      applySyncWave(binding, SyncWave.SERVICE_ACCOUNTS_AND_RBAC);
    }
    this.clusterObject.addJsonPatch(
      JsonPatch.add(`${this.dataPath}/namespaces`, [...access.namespaces.keys()].join(',')),
      JsonPatch.add(`${this.dataPath}/clusterResources`, String(access.clusterResources.length > 0)),
    );
    return derived;
  }
}

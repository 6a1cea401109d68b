import * as fs from 'fs';
import * as path from 'path';
import { invalid } from '../private/errors';
import { toYaml } from '../private/render';
import { quoted, requireDns1123Label, safeTextProblem } from '../private/validate';

/** How much of a request the API server records (`audit.k8s.io/v1` `Level`). */
export enum AuditLevel {
  /** Nothing. */
  NONE = 'None',
  /** Who, what, when: user, verb, resource, namespace, response code; no bodies. */
  METADATA = 'Metadata',
  /** Metadata and the request body. */
  REQUEST = 'Request',
  /** Metadata, the request body and the response body. */
  REQUEST_RESPONSE = 'RequestResponse',
}

/** A stage of request handling (`audit.k8s.io/v1` `Stage`). */
export enum AuditStage {
  /** As soon as the request is received, before it is handled. */
  REQUEST_RECEIVED = 'RequestReceived',
  /** Once response headers are sent (long-running requests such as watch). */
  RESPONSE_STARTED = 'ResponseStarted',
  /** When the response is complete. */
  RESPONSE_COMPLETE = 'ResponseComplete',
  /** When a panic occurred. */
  PANIC = 'Panic',
}

/** Resources of one API group in an audit rule (`audit.k8s.io/v1` `GroupResources`). */
export interface AuditResources {
  /** The API group: `''` for the core group. */
  readonly group: string;
  /**
   * Resources, e.g. `pods`, `pods/log`, `*` (all) or `*\/status` (a subresource of all).
   * @default - every resource of the group
   */
  readonly resources?: string[];
  /**
   * Object names (needs `resources`).
   * @default - every object
   */
  readonly resourceNames?: string[];
}

/** One audit rule (`audit.k8s.io/v1` `PolicyRule`); every field given must match. */
export interface AuditRule {
  /** The level to record matching requests at. */
  readonly level: AuditLevel;
  /**
   * User names, e.g. `system:kube-proxy`.
   * @default - any user
   */
  readonly users?: string[];
  /**
   * Groups, e.g. `system:nodes`; a request matches if its user is in any of them.
   * @default - any group
   */
  readonly userGroups?: string[];
  /**
   * Verbs, e.g. `get`, `list`, `watch`, `create`, `update`, `patch`, `delete`.
   * @default - any verb
   */
  readonly verbs?: string[];
  /**
   * Resources; cannot be combined with `nonResourceURLs`.
   * @default - any resource
   */
  readonly resources?: AuditResources[];
  /**
   * Namespaces (`''` matches cluster-scoped resources); cannot be combined with `nonResourceURLs`.
   * @default - any namespace
   */
  readonly namespaces?: string[];
  /**
   * Non-resource paths, e.g. `/healthz*` (a `*` only at the end, as a prefix match).
   * @default - not restricted to non-resource requests
   */
  readonly nonResourceURLs?: string[];
  /**
   * Stages not recorded for matching requests (in addition to the policy's).
   * @default - the policy's
   */
  readonly omitStages?: AuditStage[];
  /**
   * Whether to drop managedFields from recorded bodies.
   * @default - the policy's (true)
   */
  readonly omitManagedFields?: boolean;
}

/** Properties of an {@link AuditPolicy}. */
export interface AuditPolicyProps {
  /**
   * Argo CD's namespace (its application controller's own status writes are recorded at Metadata).
   * @default 'argocd'
   */
  readonly argoCdNamespace?: string;
  /**
   * Argo Workflows' namespace (its controller's own status writes are recorded at Metadata).
   * @default 'argo'
   */
  readonly argoWorkflowsNamespace?: string;
  /**
   * Your rules. They are evaluated after the noise and credential rules and before the Argo,
   * RBAC and catch-all rules (the first matching rule wins).
   * @default - none
   */
  readonly additionalRules?: AuditRule[];
}

const WRITE_VERBS = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const VERB = /^([a-z]+|\*)$/;
const GROUP = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)?$/;
const RESOURCE = /^([a-z][a-z0-9]*|\*)(\/([a-z]+|\*))?$/;
const NON_RESOURCE_URL = /^\/[^*\s]*\*?$/;

/**
 * The Kubernetes API server's audit policy (`audit.k8s.io/v1` `Policy`), for
 * `kube-apiserver --audit-policy-file`. It is a file on the control plane, not an object to
 * apply, so it is not part of any chart: write it with {@link AuditPolicy.writeTo}.
 *
 * Rules, in order (the API server uses the first rule that matches):
 * 1. None: system noise (kube-proxy watching endpoints and services, nodes reading nodes,
 *    health and version endpoints, node and leader-election lease renewals).
 * 2. Metadata: Secrets, ConfigMaps, service account tokens and TokenReviews, whoever asks:
 *    their bodies hold credentials, so they are never recorded.
 * 3. Your `additionalRules`.
 * 4. Metadata: Argo's own high-volume writes (Argo CD's application controller and the
 *    workflow controller updating status, executors writing task results).
 * 5. RequestResponse: every other write to `argoproj.io` resources.
 * 6. RequestResponse: writes to RBAC.
 * 7. Metadata: everything else.
 * `RequestReceived` is omitted everywhere (each request is recorded once it completes) and so
 * are managedFields.
 */
export class AuditPolicy {
  private readonly argoCdNamespace: string;
  private readonly argoWorkflowsNamespace: string;
  private readonly additionalRules: AuditRule[] = [];

  public constructor(props: AuditPolicyProps = {}) {
    this.argoCdNamespace = requireDns1123Label('AuditPolicy', 'argoCdNamespace', props.argoCdNamespace ?? 'argocd');
    this.argoWorkflowsNamespace = requireDns1123Label('AuditPolicy', 'argoWorkflowsNamespace', props.argoWorkflowsNamespace ?? 'argo');
    (props.additionalRules ?? []).forEach((rule) => this.addRule(rule));
  }

  /** Adds a rule after the previous additional rules (see the class docs for where they go). */
  public addRule(rule: AuditRule): void {
    validateRule(rule, `additionalRules[${this.additionalRules.length}]`);
    this.additionalRules.push(rule);
  }

  /** Every rule of the policy, in evaluation order. */
  public get rules(): AuditRule[] {
    const sa = (namespace: string, name: string) => `system:serviceaccount:${namespace}:${name}`;
    return [
      {
        level: AuditLevel.NONE,
        // kube-up clusters use the user system:kube-proxy, kubeadm clusters its service account.
        users: ['system:kube-proxy', 'system:serviceaccount:kube-system:kube-proxy'],
        verbs: ['watch'],
        resources: [
          { group: '', resources: ['endpoints', 'services', 'services/status'] },
          { group: 'discovery.k8s.io', resources: ['endpointslices'] },
        ],
      },
      { level: AuditLevel.NONE, userGroups: ['system:nodes'], verbs: ['get'], resources: [{ group: '', resources: ['nodes', 'nodes/status'] }] },
      // Heartbeats: every kubelet renews its node lease every 10 seconds, and the control plane
      // components renew their leader-election leases every few seconds. Only these users, verbs
      // and namespaces: any other lease write is still recorded.
      {
        level: AuditLevel.NONE,
        userGroups: ['system:nodes'],
        verbs: ['get', 'update'],
        resources: [{ group: 'coordination.k8s.io', resources: ['leases'] }],
        namespaces: ['kube-node-lease'],
      },
      {
        level: AuditLevel.NONE,
        users: ['system:kube-controller-manager', 'system:kube-scheduler'],
        verbs: ['get', 'update'],
        resources: [{ group: 'coordination.k8s.io', resources: ['leases'] }],
        namespaces: ['kube-system'],
      },
      { level: AuditLevel.NONE, verbs: ['get'], nonResourceURLs: ['/healthz*', '/livez*', '/readyz*', '/version'] },
      {
        level: AuditLevel.METADATA,
        resources: [
          { group: '', resources: ['configmaps', 'secrets', 'serviceaccounts/token'] },
          { group: 'authentication.k8s.io', resources: ['tokenreviews'] },
        ],
      },
      ...this.additionalRules,
      {
        level: AuditLevel.METADATA,
        users: [sa(this.argoCdNamespace, 'argocd-application-controller'), sa(this.argoWorkflowsNamespace, 'argo')],
        verbs: ['patch', 'update'],
        resources: [{ group: 'argoproj.io' }],
      },
      {
        level: AuditLevel.METADATA,
        resources: [{ group: 'argoproj.io', resources: ['workflowartifactgctasks', 'workflowtaskresults', 'workflowtasksets'] }],
      },
      { level: AuditLevel.REQUEST_RESPONSE, verbs: WRITE_VERBS, resources: [{ group: 'argoproj.io' }] },
      { level: AuditLevel.REQUEST_RESPONSE, verbs: WRITE_VERBS, resources: [{ group: 'rbac.authorization.k8s.io' }] },
      { level: AuditLevel.METADATA },
    ];
  }

  /** The policy as a plain `audit.k8s.io/v1` `Policy` object. */
  public toJson(): any {
    return {
      apiVersion: 'audit.k8s.io/v1',
      kind: 'Policy',
      omitStages: [AuditStage.REQUEST_RECEIVED],
      omitManagedFields: true,
      rules: this.rules.map(ruleJson),
    };
  }

  /** The policy as YAML, with a header that explains how rules are evaluated. */
  public toYaml(): string {
    const header = [
      '# Kubernetes API server audit policy (kube-apiserver --audit-policy-file), generated by',
      '# cdk8s-secure-argo. The first rule that matches a request decides its level.',
    ].join('\n');
    // kube-apiserver reads the file as YAML 1.1: a namespace or user named `on` or `no` is quoted.
    // A JSON copy, so that shared arrays are written out rather than as YAML aliases.
    return `${header}\n\n${toYaml(JSON.parse(JSON.stringify(this.toJson())))}`;
  }

  /**
   * Writes the policy to `<directory>/<fileName>` (creating the directory) and returns the path.
   * @param directory e.g. your app's `outdir`
   * @param fileName the file's name
   */
  public writeTo(directory: string, fileName: string = 'audit-policy.yaml'): string {
    if (fileName.includes('/') || fileName.includes('\\') || fileName.startsWith('.')) {
      invalid('AuditPolicy', 'fileName', `'${fileName}' must be a plain file name, e.g. 'audit-policy.yaml'`);
    }
    fs.mkdirSync(directory, { recursive: true });
    const file = path.join(directory, fileName);
    fs.writeFileSync(file, this.toYaml());
    return file;
  }
}

/** The rule with only the fields that are set, in the API's field order. */
function ruleJson(rule: AuditRule): object {
  const out: Record<string, unknown> = { level: rule.level };
  if (rule.users) out.users = rule.users;
  if (rule.userGroups) out.userGroups = rule.userGroups;
  if (rule.verbs) out.verbs = rule.verbs;
  if (rule.resources) {
    out.resources = rule.resources.map((r) => ({
      group: r.group,
      ...(r.resources ? { resources: r.resources } : {}),
      ...(r.resourceNames ? { resourceNames: r.resourceNames } : {}),
    }));
  }
  if (rule.namespaces) out.namespaces = rule.namespaces;
  if (rule.nonResourceURLs) out.nonResourceURLs = rule.nonResourceURLs;
  if (rule.omitStages) out.omitStages = rule.omitStages;
  if (rule.omitManagedFields !== undefined) out.omitManagedFields = rule.omitManagedFields;
  return out;
}

function validateRule(rule: AuditRule, where: string): void {
  const fail = (field: string, problem: string): never => invalid('AuditPolicy', `${where}.${field}`, problem);
  if (!Object.values(AuditLevel).includes(rule.level)) fail('level', `${quoted(rule.level)} is not an audit level: use AuditLevel`);
  for (const field of ['users', 'userGroups', 'verbs', 'namespaces', 'nonResourceURLs', 'resources', 'omitStages'] as const) {
    const list = rule[field];
    if (list !== undefined && list.length === 0) fail(field, 'is empty: leave it out to match anything');
  }
  for (const field of ['users', 'userGroups'] as const) {
    for (const name of rule[field] ?? []) {
      const problem = safeTextProblem(name, { maxLength: 256 }) ?? (/\s/.test(name) ? `${quoted(name)} contains whitespace: remove it` : undefined);
      if (problem) fail(field, `${field === 'users' ? 'user' : 'group'} name ${problem}`);
    }
  }
  for (const verb of rule.verbs ?? []) {
    if (!VERB.test(verb)) fail('verbs', `${quoted(verb)} is not a verb: use lowercase, e.g. 'get' or 'create'`);
  }
  if (rule.nonResourceURLs && (rule.resources || rule.namespaces)) {
    fail('nonResourceURLs', 'cannot be combined with resources or namespaces: a request is either for a resource or not');
  }
  for (const url of rule.nonResourceURLs ?? []) {
    if (!NON_RESOURCE_URL.test(url)) fail('nonResourceURLs', `${quoted(url)} must start with '/' and may end with '*' (a prefix match): give e.g. '/healthz*'`);
  }
  for (const ns of rule.namespaces ?? []) {
    if (ns !== '') requireDns1123Label('AuditPolicy', `${where}.namespaces`, ns);
  }
  (rule.resources ?? []).forEach((r, i) => {
    if (!GROUP.test(r.group)) fail(`resources[${i}].group`, `${quoted(r.group)} is not an API group: use '' for the core group`);
    for (const resource of r.resources ?? []) {
      if (!RESOURCE.test(resource)) fail(`resources[${i}].resources`, `${quoted(resource)} is not a resource: use e.g. 'pods', 'pods/log', '*' or '*/status'`);
    }
    if (r.resourceNames && !r.resources) fail(`resources[${i}].resourceNames`, 'needs resources: name the resources the names belong to');
    const logsBodies = rule.level === AuditLevel.REQUEST || rule.level === AuditLevel.REQUEST_RESPONSE;
    const credentials = (r.resources ?? []).filter((res) => ['configmaps', 'secrets'].includes(res.split('/')[0]));
    if (logsBodies && r.group === '' && credentials.length > 0) {
      fail(`resources[${i}].resources`, `${credentials.join(', ')} would be recorded with bodies, which hold credentials: they are always recorded at Metadata (that rule comes first)`);
    }
  });
}

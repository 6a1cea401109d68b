// Reading synthesized objects as plain JSON: the pod specs and containers of every workload kind
// (Argo Workflows templates as the pods they become), label selectors and small accessors.

/** A synthesized object or any part of it. */
export type Obj = { [key: string]: any };

export function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The objects of an array field; anything else is empty. */
export function list(v: unknown): Obj[] {
  return Array.isArray(v) ? v.filter(isObj) : [];
}

/** The strings of an array field; anything else is empty. */
export function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** A string-to-string map (labels, annotations, ConfigMap data); anything else is empty. */
export function stringMap(v: unknown): { [key: string]: string } {
  if (!isObj(v)) return {};
  const out: { [key: string]: string } = {};
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}

/** The value at a dotted path, or undefined. */
export function at(obj: unknown, dotted: string): any {
  return dotted.split('.').reduce<any>((v, k) => (isObj(v) ? v[k] : undefined), obj);
}

/** The namespace an object lives in (objects without one are applied to `default`). */
export function namespaceOf(m: Obj): string {
  const ns = m.metadata?.namespace;
  return typeof ns === 'string' && ns !== '' ? ns : 'default';
}

export function nameOf(m: Obj): string {
  const name = m.metadata?.name ?? m.metadata?.generateName;
  return typeof name === 'string' ? name : '<no name>';
}

/** Argo merges templateDefaults into each template; objects merge, everything else replaces. */
function merge(base: unknown, over: unknown): any {
  if (!isObj(base)) return over ?? base;
  if (!isObj(over)) return over ?? base;
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = merge(base[k], v);
  return out;
}

export const WORKFLOW_KINDS = new Set(['Workflow', 'CronWorkflow', 'WorkflowTemplate', 'ClusterWorkflowTemplate']);
export const WORKLOAD_KINDS = new Set(['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', ...WORKFLOW_KINDS]);

/** Where a pod spec (or an Argo workflow spec) sits in an object. */
export function podSpecPath(kind: unknown): string | undefined {
  switch (kind) {
    case 'Pod': case 'Workflow': case 'WorkflowTemplate': case 'ClusterWorkflowTemplate': return 'spec';
    case 'Deployment': case 'StatefulSet': case 'DaemonSet': case 'ReplicaSet': case 'Job': return 'spec.template.spec';
    case 'CronJob': return 'spec.jobTemplate.spec.template.spec';
    case 'CronWorkflow': return 'spec.workflowSpec';
    default: return undefined;
  }
}

/** A container with the pod-level security context that applies to it. */
export interface ContainerSite {
  readonly container: Obj;
  readonly path: string;
  readonly podSecurityContext: Obj;
  /** Ephemeral (debug) containers cannot have resources. */
  readonly ephemeral: boolean;
}

/** Pod-level fields (host namespaces, volumes, security context) at a path. */
export interface PodSite {
  readonly spec: Obj;
  readonly path: string;
}

/** The service account token setting of a pod spec or workflow spec. */
export interface TokenSite {
  readonly path: string;
  /** True when the token is not mounted. */
  readonly off: boolean;
  readonly workflow: boolean;
}

/** Everything the pod rules look at in one object. */
export interface Pods {
  readonly pods: PodSite[];
  readonly containers: ContainerSite[];
  readonly tokens: TokenSite[];
  /** The pod template labels (workflow pods: their podMetadata labels). */
  readonly labels: { [key: string]: string };
  /** The pod template annotations, with their path. */
  readonly annotations: { readonly path: string; readonly values: { [key: string]: string } };
}

const EMPTY: Pods = { pods: [], containers: [], tokens: [], labels: {}, annotations: { path: '', values: {} } };
const cache = new WeakMap<object, Pods>();

/** The pods an object defines, read once per object. */
export function podsOf(m: Obj): Pods {
  let pods = cache.get(m);
  if (!pods) {
    pods = readPods(m);
    cache.set(m, pods);
  }
  return pods;
}

function readPods(m: Obj): Pods {
  const specPath = podSpecPath(m.kind);
  if (specPath === undefined) return EMPTY;
  const spec = at(m, specPath);
  if (!isObj(spec)) return EMPTY;
  if (WORKFLOW_KINDS.has(m.kind)) return workflowPods(spec, specPath);
  const podContext: Obj = isObj(spec.securityContext) ? spec.securityContext : {};
  const containers: ContainerSite[] = [];
  for (const field of ['initContainers', 'containers', 'ephemeralContainers']) {
    list(spec[field]).forEach((container, i) => containers.push({
      container, path: `${specPath}.${field}[${i}]`, podSecurityContext: podContext, ephemeral: field === 'ephemeralContainers',
    }));
  }
  const metadataPath = m.kind === 'Pod' ? 'metadata' : `${specPath.replace(/\.spec$/, '')}.metadata`;
  const labels = stringMap(at(m, `${metadataPath}.labels`));
  return {
    annotations: { path: `${metadataPath}.annotations`, values: stringMap(at(m, `${metadataPath}.annotations`)) },
    pods: [{ spec, path: specPath }],
    containers,
    tokens: [{ path: `${specPath}.automountServiceAccountToken`, off: spec.automountServiceAccountToken === false, workflow: false }],
    labels,
  };
}

function workflowPods(spec: Obj, path: string): Pods {
  const templates = list(spec.templates);
  const labels = stringMap(spec.podMetadata?.labels);
  const annotations = { path: `${path}.podMetadata.annotations`, values: stringMap(spec.podMetadata?.annotations) };
  // A spec that only references a WorkflowTemplate defines no pods of its own.
  if (templates.length === 0) return { ...EMPTY, labels, annotations };
  const pods: PodSite[] = [{ spec, path }];
  const containers: ContainerSite[] = [];
  const tokenOff = spec.automountServiceAccountToken === false && typeof spec.executor?.serviceAccountName === 'string';
  const tokens: TokenSite[] = [{ path: `${path}.automountServiceAccountToken`, off: tokenOff, workflow: true }];
  const defaults: Obj = isObj(spec.templateDefaults) ? spec.templateDefaults : {};
  const workflowContext: Obj = isObj(spec.securityContext) ? spec.securityContext : {};
  templates.forEach((t, i) => {
    const tPath = `${path}.templates[${i}]`;
    const template: Obj = merge(defaults, t);
    if (template.automountServiceAccountToken === true) tokens.push({ path: `${tPath}.automountServiceAccountToken`, off: false, workflow: true });
    pods.push({ spec: { volumes: t.volumes, securityContext: t.securityContext }, path: tPath });
    // A template-level securityContext replaces the workflow-level one.
    const pod: Obj = isObj(template.securityContext) ? template.securityContext : workflowContext;
    const add = (container: Obj, cPath: string) => containers.push({ container, path: cPath, podSecurityContext: pod, ephemeral: false });
    for (const field of ['container', 'script']) {
      if (isObj(template[field])) add(template[field], `${tPath}.${field}`);
    }
    list(template.containerSet?.containers).forEach((c, j) => add(c, `${tPath}.containerSet.containers[${j}]`));
    for (const field of ['initContainers', 'sidecars']) {
      list(template[field]).forEach((c, j) => add(c, `${tPath}.${field}[${j}]`));
    }
  });
  return { pods, containers, tokens, labels, annotations };
}

/** A label selector (matchLabels and matchExpressions); absent or `{}` matches everything. */
export function selectorMatches(selector: unknown, labels: { [key: string]: string }): boolean {
  if (!isObj(selector)) return true;
  for (const [k, v] of Object.entries(stringMap(selector.matchLabels))) {
    if (labels[k] !== v) return false;
  }
  for (const e of list(selector.matchExpressions)) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const values = strings(e.values);
    switch (e.operator) {
      case 'In': if (!has || !values.includes(labels[e.key])) return false; break;
      case 'NotIn': if (has && values.includes(labels[e.key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      // The API server refuses any other operator; an object that has one matches nothing.
      default: return false;
    }
  }
  return true;
}

/** A selector as text, for explanations: `{}` for everything. */
export function selectorText(selector: unknown): string {
  if (!isObj(selector)) return '{}';
  const parts = Object.entries(stringMap(selector.matchLabels)).map(([k, v]) => `${k}=${v}`);
  for (const e of list(selector.matchExpressions)) {
    const values = strings(e.values);
    parts.push(e.operator === 'Exists' ? e.key : e.operator === 'DoesNotExist' ? `!${e.key}` : `${e.key} ${e.operator === 'In' ? 'in' : 'notin'} (${values.join(',')})`);
  }
  return parts.length === 0 ? '{}' : parts.join(',');
}

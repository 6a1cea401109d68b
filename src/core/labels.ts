// The standard app.kubernetes.io/* labels every object of the library carries (internal: the
// package index does not export them; src/private/stamp.ts adds the missing ones at synth).

/** The label that names the application a resource belongs to. */
export const LABEL_NAME = 'app.kubernetes.io/name';
/** The label that names the larger application a resource is part of. */
export const LABEL_PART_OF = 'app.kubernetes.io/part-of';
/** The label that names the component within the architecture. */
export const LABEL_COMPONENT = 'app.kubernetes.io/component';
/** The label that names the tool that manages a resource. */
export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';
/** The value of `app.kubernetes.io/managed-by` on everything this library emits. */
export const MANAGED_BY = 'cdk8s-secure-argo';

/** Options for the standard `app.kubernetes.io/*` labels. */
export interface StandardLabelsOptions {
  /** `app.kubernetes.io/name`. */
  readonly name: string;
  /**
   * `app.kubernetes.io/part-of`.
   * @default - not set
   */
  readonly partOf?: string;
  /**
   * `app.kubernetes.io/component`.
   * @default - not set
   */
  readonly component?: string;
}

/**
 * The standard `app.kubernetes.io/*` labels, in a stable key order, with
 * `app.kubernetes.io/managed-by: cdk8s-secure-argo`.
 */
export function standardLabels(options: StandardLabelsOptions): Record<string, string> {
  const labels: Record<string, string> = { [LABEL_NAME]: options.name };
  if (options.partOf) labels[LABEL_PART_OF] = options.partOf;
  if (options.component) labels[LABEL_COMPONENT] = options.component;
  labels[LABEL_MANAGED_BY] = MANAGED_BY;
  return labels;
}

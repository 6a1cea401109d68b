/**
 * Fields Argo CD leaves out of the diff of an Application's resources
 * (`spec.ignoreDifferences`), e.g. `spec.replicas` of a Deployment an autoscaler scales. With
 * the sync option `respectIgnoreDifferences` a sync also leaves them as they are in the cluster.
 */
export interface IgnoreDifference {
  /**
   * The API group (`''` for the core group, `*` for any).
   * @default '' (the core group)
   */
  readonly group?: string;
  /** The kind, e.g. `Deployment` (`*` for any). */
  readonly kind: string;
  /**
   * Only the resource with this name.
   * @default - every resource of the kind
   */
  readonly name?: string;
  /**
   * Only resources in this namespace.
   * @default - every namespace
   */
  readonly namespace?: string;
  /**
   * JSON pointers (RFC 6901) of the fields to ignore, e.g. `/spec/replicas`; `~1` stands for
   * `/` and `~0` for `~` inside a key (`/metadata/annotations/example.com~1owner`).
   * @default - none
   */
  readonly jsonPointers?: string[];
  /**
   * jq path expressions of the fields to ignore, e.g.
   * `.spec.template.spec.containers[] | select(.name == "sidecar")`.
   * @default - none
   */
  readonly jqPathExpressions?: string[];
  /**
   * Ignore every field these field managers (server-side apply) own, e.g. `kube-controller-manager`.
   * @default - none
   */
  readonly managedFieldsManagers?: string[];
}

import { IConstruct } from 'constructs';

/**
 * An Argo CD AppProject that Applications name: one declared in this app
 * (`ProjectWithRoles`, `LockedDownDefaultProject`) or one that lives elsewhere
 * (`ProjectWithRoles.fromProjectName`).
 */
export interface IAppProject extends IConstruct {
  /** The AppProject name. */
  readonly projectName: string;
  /** The namespace of the AppProject (Argo CD's namespace). */
  readonly namespace: string;
  /**
   * False for a project that lives elsewhere: its rules are unknown here, so Applications are
   * not checked against it and the `is...Permitted` methods answer true.
   */
  readonly rulesKnown: boolean;

  /** True when Applications of this project may use the repository `repoUrl`. */
  isSourcePermitted(repoUrl: string): boolean;

  /**
   * True when Applications of this project may deploy to the namespace on the server or the
   * named cluster.
   * @param namespace the destination namespace
   * @param server the destination server URL
   * @param name the destination cluster name
   */
  isDestinationPermitted(namespace: string, server?: string, name?: string): boolean;

  /** True when Applications of this project may manage the cluster-scoped resource. */
  isClusterResourcePermitted(group: string, kind: string, name: string): boolean;

  /** True when Applications of this project may live in `namespace`. */
  isSourceNamespacePermitted(namespace: string): boolean;
}

/** How ESO creates the target Secret. */
export enum ExternalSecretCreationPolicy {
  /** ESO creates the Secret and owns it (deleted with the ExternalSecret). */
  OWNER = 'Owner',
  /** ESO creates the Secret but does not own it. */
  ORPHAN = 'Orphan',
  /** ESO merges into a Secret that must exist already. */
  MERGE = 'Merge',
  /** ESO does not create or update a Secret. */
  NONE = 'None',
}

/** What ESO does with the target Secret when the provider secret is deleted. */
export enum ExternalSecretDeletionPolicy {
  /** Delete the Secret (needs `ExternalSecretCreationPolicy.OWNER`). */
  DELETE = 'Delete',
  /** Remove the provider's keys from the Secret. */
  MERGE = 'Merge',
  /** Keep the Secret as it is. */
  RETAIN = 'Retain',
}

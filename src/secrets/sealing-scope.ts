/**
 * Which names a sealed value may be unsealed under. The scope is part of the encryption (the
 * OAEP label), so a value sealed for one scope cannot be unsealed under another.
 */
export enum SealingScope {
  /** Only under this exact namespace and name (the default, and the safest). */
  STRICT = 'strict',
  /** Under any name in this namespace. */
  NAMESPACE_WIDE = 'namespace-wide',
  /**
   * Under any name in any namespace: whoever can create a SealedSecret anywhere can obtain the
   * plaintext. Needs `allowClusterWide` with a reason.
   */
  CLUSTER_WIDE = 'cluster-wide',
}

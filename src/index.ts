// The public API, flat: each folder's index exports its constructs and types; no private/
// folder is ever exported.
export * from './core';
export * from './secrets';
export * from './sso';
export * from './argocd';
export * from './workflows';
export * from './operations';
export * from './policy';

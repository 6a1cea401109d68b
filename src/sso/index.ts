export * from './oidc-sso';
export * from './dex-connector';

export * from './oidc-sso';
export * from './dex-connector';
export * from './dex-github-team-name-field';

export * from './oidc-sso';

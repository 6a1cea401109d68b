export * from './common';
export * from './secret-ref';
export * from './pod-security';
export * from './secret-stores';
export * from './secrets';

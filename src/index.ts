export * from './common';
export * from './secret-ref';
export * from './pod-security';

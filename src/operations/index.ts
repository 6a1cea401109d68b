export * from './compliance-check';
export * from './compliance';
export * from './secret-rotation';
export * from './audit-policy';

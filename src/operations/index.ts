export * from './compliance';
export * from './secret-rotation';
export * from './audit-policy';

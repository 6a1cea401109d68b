export * from './secret-key-ref';
export * from './secret-stores';
export * from './sealed-or-external-secret';

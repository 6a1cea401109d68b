export * from './labels';
export * from './sync-wave';
export * from './container-image';

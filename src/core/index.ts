export * from './labels';
export * from './sync-wave';
export * from './container-image';
export * from './sizing-preset';

export * from './crds';
export * from './install-options';
export * from './release';

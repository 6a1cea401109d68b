export * from './crds';

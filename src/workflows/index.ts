export * from './secure-argo-workflows';
export * from './hardened-workflow-namespace';
export * from './hardened-workflow-template';
export * from './install';

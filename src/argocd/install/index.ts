export * from './release';
export * from './argocd-install-options';
export * from './crds';

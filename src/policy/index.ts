export * from './policy-rule';
export * from './policy-finding';
export * from './policy-pack';
export * from './policy-check';
export * from './policy-suppressions';
export * from './network-simulator';
export * from './posture-report';
export * from './validation-plugin';

import { RuleDefinition } from './rule';
import { ARGOCD_RULES } from '../rules/argocd';
import { IMAGE_RULES } from '../rules/images';
import { NETWORK_RULES } from '../rules/network';
import { POD_SECURITY_RULES } from '../rules/pod-security';
import { RBAC_RULES } from '../rules/rbac';
import { SCHEMA_RULES } from '../rules/schema';
import { SECRET_RULES } from '../rules/secrets';
import { WF_RULES } from '../rules/workflows';

/** Every pack's rules, in pack order. */
export const PACKS: { readonly name: string; readonly rules: RuleDefinition[] }[] = [
  { name: 'pod-security', rules: POD_SECURITY_RULES },
  { name: 'images', rules: IMAGE_RULES },
  { name: 'rbac', rules: RBAC_RULES },
  { name: 'secrets', rules: SECRET_RULES },
  { name: 'network', rules: NETWORK_RULES },
  { name: 'argocd', rules: ARGOCD_RULES },
  { name: 'argo-workflows', rules: WF_RULES },
  { name: 'schema', rules: SCHEMA_RULES },
];

/** Every rule, by id. */
export const RULES: ReadonlyMap<string, RuleDefinition> = new Map(PACKS.flatMap((p) => p.rules).map((r) => [r.id, r]));

// SSO RBAC: the service accounts argo-server maps users to, and the group names quoted into their rules.
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { RBAC_RULE_ANNOTATION, RBAC_RULE_PRECEDENCE_ANNOTATION, workflowsLabels } from './constants';
import { applySyncWave, SyncWave } from '../../core/sync-wave';
import { invalid } from '../../private/errors';
import { serviceAccountTokenSecret, tokenSecretName } from '../../private/kube';
import { groupNameProblem } from '../../private/validate';
import { WorkflowsAccessRole } from '../enums';
import { WorkflowsSsoAccount } from '../sso';

/**
 * An rbac-rule expression (`'a' in groups || 'b' in groups`): expr string literals in single
 * quotes, from group names checked by groupNameProblem (no quotes or backslashes), so the
 * literal holds the name exactly, spaces and non-ASCII letters included.
 */
export function rbacRule(groups: string[]): string {
  for (const group of groups) {
    if (groupNameProblem(group)) throw new Error(`unsafe group name '${group}'`);
  }
  return groups.map((g) => `'${g}' in groups`).join(' || ');
}

/** Checks an IdP or Kubernetes group name that goes into an rbac-rule or a RoleBinding. */
export function requireGroupName(scope: Construct, property: string, group: string): string {
  const problem = groupNameProblem(group);
  if (problem) invalid(scope, property, `group name ${problem}`);
  return group;
}

/**
 * Creates the SSO RBAC service accounts of `roles` and their token Secrets in `namespace`.
 * @returns the token Secret names
 */
export function createSsoAccounts(scope: Construct, accounts: WorkflowsSsoAccount[], namespace: string,
  roles: WorkflowsAccessRole[]): string[] {
  const labels = workflowsLabels('sso-rbac');
  return accounts.filter((account) => roles.includes(account.role)).map((account) => {
    const sa = new k8s.KubeServiceAccount(scope, `Sso${account.role}`, {
      metadata: {
        name: account.serviceAccountName,
        namespace,
        labels,
        annotations: {
          [RBAC_RULE_ANNOTATION]: rbacRule(account.groups),
          [RBAC_RULE_PRECEDENCE_ANNOTATION]: String(account.precedence),
        },
      },
      // argo-server reads the token from the Secret below; nothing mounts it.
      automountServiceAccountToken: false,
    });
    applySyncWave(sa, SyncWave.SERVICE_ACCOUNTS_AND_RBAC);
    serviceAccountTokenSecret(scope, `Sso${account.role}Token`, account.serviceAccountName, namespace, labels);
    return tokenSecretName(account.serviceAccountName);
  });
}

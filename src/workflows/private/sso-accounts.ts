// SSO RBAC: the service accounts argo-server maps users to, and the group names quoted into their rules.
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { RBAC_RULE_ANNOTATION, RBAC_RULE_PRECEDENCE_ANNOTATION, workflowsLabels } from './constants';
import { applySyncWave, SyncWave } from '../../core/sync-wave';
import { invalid } from '../../private/errors';
import { serviceAccountTokenSecret, tokenSecretName } from '../../private/kube';
import { WorkflowsAccessRole } from '../enums';
import { WorkflowsSsoAccount } from '../sso';

/**
 * IdP group names that can be quoted safely into an rbac-rule expression (no quotes, backslashes
 * or spaces); a leading `/` allows Keycloak's full group paths.
 */
const GROUP_NAME = /^[A-Za-z0-9/][A-Za-z0-9._:@/-]{0,127}$/;

/**
 * An rbac-rule expression (`'a' in groups || 'b' in groups`) from group names that were checked
 * against a strict character set, so the quotes cannot be broken out of.
 */
export function rbacRule(groups: string[]): string {
  for (const group of groups) {
    if (!GROUP_NAME.test(group)) throw new Error(`unsafe group name '${group}'`);
  }
  return groups.map((g) => `'${g}' in groups`).join(' || ');
}

/** Checks an IdP or Kubernetes group name that goes into an rbac-rule or a RoleBinding. */
export function requireGroupName(scope: Construct, property: string, group: string): string {
  if (!GROUP_NAME.test(group)) {
    invalid(scope, property, `group name '${group}' is not safe to use in an rbac-rule or RoleBinding: use 1-128 letters, digits and '. _ : @ / -', starting with a letter, digit or '/'`);
  }
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

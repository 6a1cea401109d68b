// Argo CD configuration (v3.5): argocd-cm, argocd-cmd-params-cm and argocd-rbac-cm as Argo CD
// reads them. argocd-cm switches are on only when exactly "true" (admin.enabled goes through
// strconv.ParseBool and stays on when unparsable); argocd-cmd-params-cm values become flags
// through environment variables, parsed with strconv.ParseBool.
import { PolicyLevel } from '../policy-rule';
import { Obj, stringMap } from '../private/kube';
import { rule, RuleDefinition, Violation, violation } from '../private/rule';

const PACK = 'argocd';
const GO_TRUE = new Set(['1', 't', 'T', 'true', 'TRUE', 'True']);
const GO_FALSE = new Set(['0', 'f', 'F', 'false', 'FALSE', 'False']);
/** How argocd-cm reads its feature switches (`exec.enabled`, `users.anonymous.enabled`, ...). */
const EXACTLY_TRUE = new Set(['true']);

/** The data of a ConfigMap with this name, or undefined for any other object. */
function configMap(m: Obj, name: string): { [key: string]: string } | undefined {
  return m.kind === 'ConfigMap' && m.apiVersion === 'v1' && m.metadata?.name === name ? stringMap(m.data) : undefined;
}

function whenTrue(m: Obj, name: string, keys: string[], message: string): Violation[] {
  const data = configMap(m, name);
  const isTrue = name === 'argocd-cm' ? EXACTLY_TRUE : GO_TRUE;
  return data ? keys.filter((k) => isTrue.has(data[k])).map((k) => violation(`data["${k}"]`, message)) : [];
}

export const ARGOCD_ADMIN_ENABLED = rule(PACK, {
  id: 'ARGOCD-ADMIN-ENABLED',
  level: PolicyLevel.WARNING,
  title: 'The local admin account is disabled',
  why: 'admin is a password login with every permission, outside SSO, MFA and group membership; it defaults to enabled.',
  fix: "Set admin.enabled: 'false' in argocd-cm once SSO works (SecureArgoCD does this by default).",
  check: (m) => {
    const data = configMap(m, 'argocd-cm');
    return data && !GO_FALSE.has(data['admin.enabled'] ?? 'true')
      ? [violation('data["admin.enabled"]', 'the local admin account is enabled')] : [];
  },
});

export const ARGOCD_ANONYMOUS = rule(PACK, {
  id: 'ARGOCD-ANONYMOUS',
  title: 'No anonymous access to Argo CD',
  why: 'With users.anonymous.enabled, anyone who reaches the server gets the policy.default role without signing in.',
  fix: 'Remove users.anonymous.enabled from argocd-cm.',
  check: (m) => whenTrue(m, 'argocd-cm', ['users.anonymous.enabled'], 'anonymous users are enabled'),
});

export const ARGOCD_EXEC = rule(PACK, {
  id: 'ARGOCD-EXEC',
  level: PolicyLevel.WARNING,
  title: 'The web terminal is off',
  why: 'exec.enabled gives a shell in application pods to whoever holds exec create, through the Argo CD server.',
  fix: 'Remove exec.enabled from argocd-cm, or grant exec create to a break-glass group only.',
  check: (m) => whenTrue(m, 'argocd-cm', ['exec.enabled'], 'the web terminal is enabled'),
});

export const ARGOCD_OIDC_INSECURE = rule(PACK, {
  id: 'ARGOCD-OIDC-INSECURE',
  title: 'Argo CD verifies the identity provider\'s certificate',
  why: 'Without verification, anyone on the path can impersonate the identity provider and sign in as anyone.',
  fix: 'Remove oidc.tls.insecure.skip.verify; give the provider\'s CA as rootCA in oidc.config instead.',
  check: (m) => whenTrue(m, 'argocd-cm', ['oidc.tls.insecure.skip.verify'], 'certificate verification is off'),
});

export const ARGOCD_DISABLE_AUTH = rule(PACK, {
  id: 'ARGOCD-DISABLE-AUTH',
  title: 'The Argo CD server requires authentication',
  why: 'server.disable.auth makes every request an admin request.',
  fix: 'Remove server.disable.auth from argocd-cmd-params-cm.',
  check: (m) => whenTrue(m, 'argocd-cmd-params-cm', ['server.disable.auth'], 'authentication is disabled'),
});

export const ARGOCD_INSECURE_SERVER = rule(PACK, {
  id: 'ARGOCD-INSECURE-SERVER',
  level: PolicyLevel.WARNING,
  title: 'The Argo CD server serves TLS itself',
  why: 'With server.insecure, session tokens travel in clear text between the ingress and the server.',
  fix: 'Remove server.insecure and give the server a certificate (argocd-server-tls), or re-encrypt at the ingress.',
  check: (m) => whenTrue(m, 'argocd-cmd-params-cm', ['server.insecure'], 'the server serves plain HTTP'),
});

export const ARGOCD_PLAINTEXT = rule(PACK, {
  id: 'ARGOCD-PLAINTEXT',
  level: PolicyLevel.WARNING,
  title: 'Argo CD components talk TLS to each other',
  why: 'The repo-server returns rendered manifests (with any secret values in them) and Dex returns tokens; in plain text any pod on the path reads them.',
  fix: 'Remove the *.plaintext and *.disable.tls settings from argocd-cmd-params-cm.',
  check: (m) => {
    const data = configMap(m, 'argocd-cmd-params-cm');
    if (!data) return [];
    return Object.keys(data).sort().filter((k) => (k.endsWith('.plaintext') || k.endsWith('.disable.tls')) && GO_TRUE.has(data[k]))
      .map((k) => violation(`data["${k}"]`, 'TLS is off'));
  },
});

export const ARGOCD_DEFAULT_ADMIN = rule(PACK, {
  id: 'ARGOCD-DEFAULT-ADMIN',
  title: 'policy.default is not role:admin',
  why: 'The default role applies to everyone who signs in (and to anonymous users): role:admin makes every account an administrator.',
  fix: 'Remove policy.default and map groups to roles with g lines.',
  check: (m) => {
    const data = configMap(m, 'argocd-rbac-cm');
    return data && data['policy.default'] === 'role:admin' ? [violation('data["policy.default"]', 'everyone is admin')] : [];
  },
});

export const ARGOCD_DEFAULT_ROLE = rule(PACK, {
  id: 'ARGOCD-DEFAULT-ROLE',
  level: PolicyLevel.WARNING,
  title: 'No policy.default role',
  why: 'The default role is granted to every account the identity provider knows, whatever its groups; '
    + 'role:readonly still shows every application\'s manifests and settings.',
  fix: 'Remove policy.default; grant read access to the groups that need it.',
  check: (m) => {
    const data = configMap(m, 'argocd-rbac-cm');
    const role = data?.['policy.default'];
    return role !== undefined && role !== '' && role !== 'role:admin' ? [violation('data["policy.default"]', `everyone who signs in gets ${role}`)] : [];
  },
});

export const ARGOCD_RULES: RuleDefinition[] = [
  ARGOCD_ADMIN_ENABLED, ARGOCD_ANONYMOUS, ARGOCD_EXEC, ARGOCD_OIDC_INSECURE, ARGOCD_DISABLE_AUTH, ARGOCD_INSECURE_SERVER,
  ARGOCD_PLAINTEXT, ARGOCD_DEFAULT_ADMIN, ARGOCD_DEFAULT_ROLE,
];

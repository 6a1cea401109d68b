// Secret material never reaches the manifests: it comes sealed, from an external store or from
// a Secret that already exists.
import { PolicyLevel } from '../policy-rule';
import { isObj, list, Obj, podsOf, stringMap } from '../private/kube';
import { rule, RuleDefinition, violation } from '../private/rule';

const PACK = 'secrets';
/** Names that hold credentials: the last word of an env var or ConfigMap key. */
const CREDENTIAL_NAME = /(^|[._-])(password|passwd|token|api[_-]?key|private[_-]?key|client[_-]?secret|access[_-]?key)$/i;

/** Settings of `argocd-k8s-auth azure` that name an identity, never a credential. */
const AZURE_IDENTITY_ENV = new Set(['AAD_LOGIN_METHOD', 'AZURE_CLIENT_ID', 'AZURE_TENANT_ID', 'AAD_ENVIRONMENT_NAME', 'AAD_SERVER_APPLICATION_ID',
  'AZURE_AUTHORITY_HOST', 'AZURE_FEDERATED_TOKEN_FILE']);

function onlyKeys(value: unknown, allowed: string[]): value is Obj {
  return isObj(value) && Object.keys(value).every((k) => allowed.includes(k));
}

/** A cluster `config` that holds no credential: TLS checked, and at most a cloud identity to use (EKS IAM, GKE or AKS workload identity). */
function isCredentialFreeClusterConfig(config: unknown): boolean {
  if (!onlyKeys(config, ['tlsClientConfig', 'awsAuthConfig', 'execProviderConfig'])) return false;
  const tls = config.tlsClientConfig;
  if (!onlyKeys(tls, ['insecure', 'caData', 'serverName']) || tls.insecure !== false) return false;
  if (config.awsAuthConfig !== undefined && !onlyKeys(config.awsAuthConfig, ['clusterName', 'roleARN'])) return false;
  const exec = config.execProviderConfig;
  if (exec === undefined) return true;
  if (!onlyKeys(exec, ['command', 'args', 'apiVersion', 'env']) || exec.command !== 'argocd-k8s-auth') return false;
  const args = JSON.stringify(exec.args);
  if (args === '["gcp"]') return exec.env === undefined;
  return args === '["azure"]' && onlyKeys(exec.env, [...AZURE_IDENTITY_ENV]) && ['workloadidentity', 'msi'].includes(exec.env.AAD_LOGIN_METHOD);
}

/**
 * A cluster Secret that holds no credential: the in-cluster one (the controller uses its own
 * service account), or one whose config names a cloud identity; only where the cluster is,
 * which namespaces, and that its certificate is checked.
 */
function isCredentialFreeClusterSecret(m: Obj): boolean {
  if (stringMap(m.metadata?.labels)['argocd.argoproj.io/secret-type'] !== 'cluster' || m.data !== undefined || !isObj(m.stringData)) return false;
  const { name, server, namespaces, clusterResources, project, config, ...rest } = m.stringData;
  if (Object.keys(rest).length > 0 || typeof server !== 'string') return false;
  try {
    const parsed = JSON.parse(config ?? '{}');
    return server === 'https://kubernetes.default.svc'
      ? JSON.stringify(parsed) === JSON.stringify({ tlsClientConfig: { insecure: false } })
      : isCredentialFreeClusterConfig(parsed);
  } catch {
    return false;
  }
}

export const SEC_LITERAL_DATA = rule(PACK, {
  id: 'SEC-LITERAL-DATA',
  title: 'Secrets carry no literal values',
  why: 'A value in a Secret manifest is plaintext (base64 is an encoding) in Git, in every clone and in CI logs.',
  fix: 'Use SealedOrExternalSecret (a SealedSecret or an ExternalSecret) or SecretKeyRef.fromExistingSecret.',
  check: (m) => (m.kind === 'Secret' && m.apiVersion === 'v1' && !isCredentialFreeClusterSecret(m) ? ['data', 'stringData']
    .filter((f) => isObj(m[f]) && Object.keys(m[f]).length > 0)
    .map((f) => violation(f, `literal secret values (${Object.keys(m[f]).sort().join(', ')}): use SealedOrExternalSecret or SecretKeyRef.fromExistingSecret`)) : []),
});

export const SEC_ENV_LITERAL = rule(PACK, {
  id: 'SEC-ENV-LITERAL',
  title: 'Credentials in environment variables come from Secrets',
  why: 'A literal value of an environment variable named like a credential is a credential in the manifest.',
  fix: 'Use env[].valueFrom.secretKeyRef (or envFrom a Secret) instead of value.',
  check: (m) => podsOf(m).containers.flatMap((c) => list(c.container.env).map((e, i) => ({ e, i }))
    .filter(({ e }) => typeof e.name === 'string' && CREDENTIAL_NAME.test(e.name) && typeof e.value === 'string' && e.value !== '')
    .map(({ e, i }) => violation(`${c.path}.env[${i}].value`, `${e.name} has a literal value`))),
});

export const SEC_CONFIGMAP_CREDENTIAL = rule(PACK, {
  id: 'SEC-CONFIGMAP-CREDENTIAL',
  level: PolicyLevel.WARNING,
  title: 'ConfigMaps hold no credentials',
  why: 'ConfigMaps are readable by anyone with view rights and are not encrypted at rest.',
  fix: 'Move the value into a Secret; Argo CD settings can reference one with $<secret>:<key>.',
  check: (m) => (m.kind === 'ConfigMap' ? Object.entries(stringMap(m.data))
    .filter(([k, v]) => CREDENTIAL_NAME.test(k) && v !== '' && !v.startsWith('$'))
    .map(([k]) => violation(`data["${k}"]`, `${k} looks like a credential with a literal value`)) : []),
});

export const SEC_SEALED_CLUSTER_WIDE = rule(PACK, {
  id: 'SEC-SEALED-CLUSTER-WIDE',
  level: PolicyLevel.WARNING,
  title: 'SealedSecrets are bound to their namespace and name',
  why: 'A cluster-wide SealedSecret can be copied into any namespace under any name and the controller will unseal it there.',
  fix: 'Seal with the default strict scope (namespace and name); drop the sealedsecrets.bitnami.com/cluster-wide annotation.',
  check: (m) => (m.kind === 'SealedSecret' && stringMap(m.metadata?.annotations)['sealedsecrets.bitnami.com/cluster-wide'] === 'true'
    ? [violation('metadata.annotations', 'sealed cluster-wide')] : []),
});

export const SECRET_RULES: RuleDefinition[] = [SEC_LITERAL_DATA, SEC_ENV_LITERAL, SEC_CONFIGMAP_CREDENTIAL, SEC_SEALED_CLUSTER_WIDE];

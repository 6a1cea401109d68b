// Hostile input through the SecureArgoCD install props no other hostile suite drives: accounts,
// healthChecks and resourceExclusions (argocd-cm), the audit notifications
// (argocd-notifications-cm), the vault plugin (plugin.yaml and the repo-server sidecar) and the
// exposure beyond its host (Ingress class, TLS Secret and issuer names, Gateway parentRefs and
// data plane). Each value is refused (construct path, property, fix) or lands meaning exactly what
// was asked, as go-yaml reads the objects and the embedded YAML, Argo CD's settings loader reads
// argocd-cm keys, the notifications engine builds its webhook request, Go's net/url reads URLs and
// Kubernetes and Gateway API validate names.
import { Chart, Size, Yaml } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import {
  expectUsefulRefusal, freshChart, goReadsHttpsUrlAsWritten, HostileField, hostileNumber, hostileText, hostileUrl, k8sNames,
  readAsGoYaml, refusedOrGoYamlDocs, RUNS, secureArgoCdOutput, synthProblems, YAML11_WORDS,
} from './readers';
import {
  AccountCapability, ArgoCdAuditNotifications, ArgoCdAuditNotificationsProps, ArgoCdExposure, ArgoCdServerExposure, ArgoCdServerTls,
  ArgoCdServerTlsMode, ArgoCdVaultPlugin, ArgoCdVaultPluginProps, AuditTrigger, ContainerImage, GatewayReference, SecretKeyRef,
  SecureArgoCDProps, VaultPluginSource,
} from '../../src';

/** Fewer runs per field than the single-prop suites: this file drives some thirty props. */
const FIELD_RUNS = { ...RUNS, numRuns: 15 };
const CONFIG_MAP_KEY = (k: string) => k.length <= 253 && /^[-._a-zA-Z0-9]+$/.test(k);
const hostileName = fc.oneof(hostileText, fc.constantFrom('ci', 'ci-bot', 'ci_bot', 'a.b', 'admin', 'A', 'a'.repeat(240), '-x', ...YAML11_WORDS));

// ---------------------------------------------------------------------------------------------
// SecureArgoCD: argocd-cm

/** argocd-cm's data as go-yaml reads it. */
interface ArgoCdCm {
  readonly cm: Record<string, string>;
}

function secureArgoCd(props: Partial<SecureArgoCDProps>): { problems: string[]; out?: ArgoCdCm } {
  const { problems, docs } = secureArgoCdOutput(props, ['ConfigMap']);
  return { problems, out: docs && { cm: docs.find((d) => d.metadata.name === 'argocd-cm').data } };
}

/** Argo CD's parseAccounts (util/settings/accounts.go): `accounts.<name>[.<suffix>]`, capabilities split on ','. */
function argoAccounts(cm: Record<string, string>): Record<string, { capabilities: string[]; enabled: boolean }> {
  const accounts: Record<string, { capabilities: string[]; enabled: boolean }> = {};
  for (const [key, value] of Object.entries(cm)) {
    if (!key.startsWith('accounts.')) continue;
    const parts = key.split('.');
    if (parts.length !== 2 && parts.length !== 3) continue;
    const account = accounts[parts[1]] ??= { capabilities: [], enabled: true };
    if (parts.length === 2) account.capabilities.push(...value.split(',').map((c) => c.trim()).filter((c) => c === 'login' || c === 'apiKey'));
    else if (parts[2] === 'enabled') account.enabled = value === 'true';
  }
  return accounts;
}

/**
 * Argo CD's resource overrides from split keys (util/settings/settings.go): the key
 * `resource.customizations.health.<group>_<kind>` (or `<kind>` for the core group) gives the
 * override `<group>/<kind>` (or `<kind>`); a key with more than one `_` is refused.
 */
function argoHealthChecks(cm: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(cm)) {
    const prefix = 'resource.customizations.health.';
    if (!key.startsWith(prefix)) continue;
    const parts = key.slice(prefix.length).split('_');
    if (parts.length === 2) out[`${parts[0]}/${parts[1]}`] = value;
    else if (parts.length === 1 && parts[0] !== '') out[parts[0]] = value;
  }
  return out;
}

/** The last entry of `resource.exclusions` (the user's; upstream's come first), as go-yaml reads the embedded YAML. */
const lastExclusion = (o: ArgoCdCm) => {
  const list = readAsGoYaml(o.cm['resource.exclusions']) as any[];
  return list[list.length - 1];
};

const SCRIPT = 'hs = {}\nhs.status = "Healthy"\nreturn hs\n';

type CdField = HostileField<ArgoCdCm, any> & { readonly props: (v: any) => Partial<SecureArgoCDProps>; readonly values?: fc.Arbitrary<any> };
const CD_FIELDS: CdField[] = [
  {
    property: 'accounts[0].name',
    owner: 'CD',
    kind: 'text',
    values: hostileName,
    build: () => undefined,
    props: (v) => ({ accounts: [{ name: v, capabilities: [AccountCapability.API_KEY] }] }),
    read: (o) => argoAccounts(o.cm),
    meaning: (v) => ({ [v]: { capabilities: ['apiKey'], enabled: true } }),
    // Argo CD keeps the account's password and tokens in argocd-secret keys `accounts.<name>.passwordMtime` etc.
    valid: (v) => CONFIG_MAP_KEY(`accounts.${v}.passwordMtime`),
  },
  {
    property: 'accounts[0].capabilities',
    owner: 'CD',
    kind: 'text',
    values: fc.oneof(hostileText, fc.constantFrom('apiKey', 'login', 'apikey', ' login', 'login,apiKey')),
    build: () => undefined,
    props: (v) => ({ accounts: [{ name: 'ci', capabilities: [v] }] }),
    read: (o) => argoAccounts(o.cm),
    meaning: (v) => ({ ci: { capabilities: [v], enabled: true } }),
  },
  {
    property: 'healthChecks[0].group',
    owner: 'CD',
    kind: 'text',
    values: fc.oneof(hostileText, fc.constantFrom('cert-manager.io', '', 'a_b', '*', 'a'.repeat(230), 'Apps')),
    build: () => undefined,
    props: (v) => ({ healthChecks: [{ group: v, kind: 'Certificate', script: SCRIPT }] }),
    read: (o) => argoHealthChecks(o.cm),
    meaning: (v) => ({ [v === '' ? 'Certificate' : `${v}/Certificate`]: SCRIPT }),
    valid: (v) => CONFIG_MAP_KEY(`resource.customizations.health.${v}_Certificate`),
  },
  {
    property: 'healthChecks[0].kind',
    owner: 'CD',
    kind: 'text',
    values: fc.oneof(hostileText, fc.constantFrom('Certificate', 'a_b', '*', 'K'.repeat(230), 'my.kind')),
    build: () => undefined,
    props: (v) => ({ healthChecks: [{ group: 'example.com', kind: v, script: SCRIPT }] }),
    read: (o) => argoHealthChecks(o.cm),
    meaning: (v) => ({ [`example.com/${v}`]: SCRIPT }),
    valid: (v) => CONFIG_MAP_KEY(`resource.customizations.health.example.com_${v}`),
  },
  {
    property: 'healthChecks[0].script',
    owner: 'CD',
    kind: 'text',
    values: hostileText.map((v) => `hs = { status = "Healthy", message = "${v}" }\nreturn hs`),
    build: () => undefined,
    props: (v) => ({ healthChecks: [{ group: 'example.com', kind: 'Thing', script: v }] }),
    read: (o) => argoHealthChecks(o.cm),
    // The script is written as given, ending with a line feed.
    meaning: (v) => ({ 'example.com/Thing': `${v}\n` }),
  },
  {
    property: 'resourceExclusions[0].apiGroups[0]',
    owner: 'CD',
    kind: 'text',
    values: fc.oneof(hostileText, fc.constantFrom('*', 'velero.io', '*.example.com', '', 'a'.repeat(300), '{velero,ark}.io', '[a-z]*', '[!a]*',
      '*.Example.com', 'a!b', '*,x', '\\*', '{a', '[a-z0-9]', '*}', 'on', '0x1F')),
    build: () => undefined,
    props: (v) => ({ resourceExclusions: [{ apiGroups: [v], kinds: ['Backup'] }] }),
    read: lastExclusion,
    meaning: (v) => ({ apiGroups: [v], kinds: ['Backup'] }),
    // Argo CD matches the group as a gobwas glob: what is accepted reads only DNS characters and glob syntax.
    valid: (v) => /^[-a-z0-9.*?[\]{},!\\]*$/.test(v) && v.length <= 253,
  },
  {
    property: 'resourceExclusions[0].kinds[0]',
    owner: 'CD',
    kind: 'text',
    values: fc.oneof(hostileText, fc.constantFrom('*', 'Backup', 'Back*', '')),
    build: () => undefined,
    props: (v) => ({ resourceExclusions: [{ apiGroups: ['velero.io'], kinds: [v] }] }),
    read: lastExclusion,
    meaning: (v) => ({ apiGroups: ['velero.io'], kinds: [v] }),
    // Argo CD compares kinds literally, except for '*' (util/settings/filtered_resource.go).
    valid: (v) => v === '*' || !v.includes('*'),
  },
  {
    property: 'resourceExclusions[0].clusters[0]',
    owner: 'CD',
    kind: 'text',
    values: fc.oneof(hostileText, hostileUrl, fc.constantFrom('https://kubernetes.default.svc', 'https://*.example.com', '*', '')),
    build: () => undefined,
    props: (v) => ({ resourceExclusions: [{ apiGroups: ['velero.io'], kinds: ['Backup'], clusters: [v] }] }),
    read: lastExclusion,
    meaning: (v) => ({ apiGroups: ['velero.io'], kinds: ['Backup'], clusters: [v] }),
  },
];

describe.each(CD_FIELDS.map((f) => [f.property, f] as const))('SecureArgoCD %s: hostile values are refused or land exactly', (_name, field) => {
  test('property', () => {
    fc.assert(fc.property(field.values ?? hostileText, (v) => {
      const { problems, out } = secureArgoCd(field.props(v));
      if (problems.length > 0) {
        const output = problems.find((p) => p.includes(' output '))?.match(/: (output \w+ '[^']*' .*?): /)?.[1];
        expectUsefulRefusal(problems, `argocd/${field.owner}`, field.property, output);
        return;
      }
      if (field.valid) expect([v, field.valid(v)]).toEqual([v, true]);
      expect(field.read!(out!)).toEqual(field.meaning ? field.meaning(v) : v);
    }), FIELD_RUNS);
  });
});

describe('SecureArgoCD: known hostile values, each refused with the property and a fix', () => {
  test.each([
    ['accounts[0].name', { accounts: [{ name: 'a'.repeat(231), capabilities: [AccountCapability.API_KEY] }] }],
    ['accounts[0].name', { accounts: [{ name: 'ci\u2028bot', capabilities: [AccountCapability.API_KEY] }] }],
    ['accounts[0].capabilities', { accounts: [{ name: 'ci', capabilities: ['apiKey\u0085' as AccountCapability] }] }],
    ['healthChecks[0].kind', { healthChecks: [{ group: 'example.com', kind: 'K'.repeat(230), script: SCRIPT }] }],
    ['healthChecks[0].script', { healthChecks: [{ group: 'example.com', kind: 'Thing', script: 'hs = {}' }] }],
    // Argo CD reads an exclusion without clusters, or with an empty list, as every cluster.
    ['resourceExclusions[0].clusters', { resourceExclusions: [{ apiGroups: ['velero.io'], kinds: ['Backup'], clusters: [] }] }],
    // A kind glob other than '*' is compared literally: it would exclude nothing.
    ['resourceExclusions[0].kinds[0]', { resourceExclusions: [{ apiGroups: ['velero.io'], kinds: ['Back*'] }] }],
  ] as [string, Partial<SecureArgoCDProps>][])('%s: %j', (property, props) => {
    expectUsefulRefusal(secureArgoCd(props).problems, 'argocd/CD', property);
  });
});

// ---------------------------------------------------------------------------------------------
// Standalone constructs: notifications, vault plugin, exposure

interface Output {
  readonly docs: any[];
  /** The vault plugin's sidecar (added to the repo-server by SecureArgoCD), as go-yaml reads it. */
  readonly sidecar?: any;
}
type Field = HostileField<Output, any> & { readonly values?: fc.Arbitrary<any> };

const NOTIFICATIONS: ArgoCdAuditNotificationsProps = { namespace: 'argocd', webhookUrl: 'https://audit.example.com' };
const notifications = (c: Chart, extra: Partial<ArgoCdAuditNotificationsProps>) => new ArgoCdAuditNotifications(c, 'Owner', { ...NOTIFICATIONS, ...extra });
const notificationsCm = (o: Output) => o.docs.find((d) => d.kind === 'ConfigMap').data;
const embedded = (o: Output, key: string) => readAsGoYaml(notificationsCm(o)[key]) as any;
/** The request URL the notifications engine builds (pkg/services/webhook.go): service URL, '/', template path. */
const requestUrl = (o: Output, service = 'audit') => {
  const url: string = embedded(o, `service.webhook.${service}`).url;
  const path: string = embedded(o, 'template.audit-log').webhook[service].path;
  return `${url.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
};
/** Go's url.Parse path of an https URL that reads as written. */
const goPath = (url: string) => /^https:\/\/[^/?#]*([^?#]*)/.exec(url)![1];

const IMAGE = ContainerImage.fromDigest('ghcr.io/example/avp', 'sha256:485170fd8a452b91169b8c91352eddb3671d94266b85b70e385b2710d60013fc');
const VAULT: ArgoCdVaultPluginProps = { namespace: 'argocd', image: IMAGE, vaultAddress: 'https://vault.example.com:8200', vaultRole: 'argocd' };
let lastPlugin: ArgoCdVaultPlugin | undefined;
const vault = (c: Chart, extra: Partial<ArgoCdVaultPluginProps>) => {
  lastPlugin = undefined;
  lastPlugin = new ArgoCdVaultPlugin(c, 'Owner', { ...VAULT, ...extra });
};
const sidecarEnv = (o: Output, name: string) => o.sidecar.containers[0].env.find((e: any) => e.name === name)?.value;
const SEGMENTS = (v: string) => v.split('/').every((s) => s !== '' && s !== '.' && s !== '..');

const GATEWAY: GatewayReference = { name: 'public', namespace: 'gateways' };
const exposure = (c: Chart, e: ArgoCdExposure) => new ArgoCdServerExposure(c, 'Owner', { namespace: 'argocd', exposure: e });
const ingress = (c: Chart, extra: object) => exposure(c, ArgoCdExposure.ingressNginx({
  host: 'argocd.example.com', tls: ArgoCdServerTls.fromClusterIssuer('letsencrypt'), ...extra,
}));
const route = (c: Chart, gateway: object) => exposure(c, ArgoCdExposure.gatewayRoute({ host: 'argocd.example.com', gateway: { ...GATEWAY, ...gateway } }));
const find = (o: Output, kind: string) => o.docs.find((d) => d.kind === kind);
const policyFrom = (o: Output) => o.docs.find((d) => d.kind === 'NetworkPolicy').spec.ingress[0].from[0];
/** Gateway API's SectionName (apis/v1/shared_types.go). */
const SECTION_NAME = (v: string) => v.length <= 253 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(v);

const FIELDS: Field[] = [
  // ArgoCdAuditNotifications
  { property: 'namespace', owner: 'Owner', kind: 'text', build: (c, v) => notifications(c, { namespace: v }), read: (o) => find(o, 'ConfigMap').metadata.namespace, valid: k8sNames.dnsLabel },
  {
    property: 'webhookUrl',
    owner: 'Owner',
    kind: 'url',
    values: fc.oneof(hostileUrl, fc.constantFrom('https://audit.example.com/hook?token=1', 'https://audit.example.com/$token', 'https://audit.example.com/in/')),
    build: (c, v) => notifications(c, { webhookUrl: v }),
    read: (o) => requestUrl(o),
    meaning: (v) => `${v.replace(/\/+$/, '')}/audit`,
    // The request goes to the URL as written, and to the path asked for (not into a query).
    valid: (v) => goReadsHttpsUrlAsWritten(v) && goPath(`${v.replace(/\/+$/, '')}/audit`).endsWith('/audit'),
  },
  {
    property: 'path',
    owner: 'Owner',
    kind: 'text',
    values: fc.oneof(hostileText.map((v) => `/${v}`), fc.constantFrom('/audit', '/v1/events', '//x', '/..', '/a/./b', '/{{.app}}', 'audit', '/a%2Fb', '/~user')),
    build: (c, v) => notifications(c, { path: v }),
    read: (o) => requestUrl(o),
    meaning: (v) => `https://audit.example.com/${v.replace(/^\/+/, '')}`,
    // The path is a Go template (no actions in it) and reaches the collector as written.
    valid: (v) => !v.includes('{{') && goReadsHttpsUrlAsWritten(`https://audit.example.com${v}`),
  },
  {
    property: 'serviceName',
    owner: 'Owner',
    kind: 'text',
    values: hostileName,
    build: (c, v) => notifications(c, { serviceName: v }),
    read: (o) => {
      const service = Object.keys(notificationsCm(o)).find((k) => k.startsWith('service.webhook.'))!.slice('service.webhook.'.length);
      return [service, Object.keys(embedded(o, 'template.audit-log').webhook), embedded(o, 'subscriptions')[0].recipients];
    },
    meaning: (v) => [v, [v], [v]],
    // Applications opt in with the annotation notifications.argoproj.io/subscribe.<trigger>.<service>.
    valid: (v) => CONFIG_MAP_KEY(`service.webhook.${v}`) && !v.includes('.') && `subscribe.on-health-degraded.${v}`.length <= 63,
  },
  {
    property: 'triggers',
    owner: 'Owner',
    kind: 'text',
    values: fc.oneof(hostileText, fc.constantFrom(...Object.values(AuditTrigger), 'on-deployed')),
    build: (c, v) => notifications(c, { triggers: [v] }),
    read: (o) => [Object.keys(notificationsCm(o)).filter((k) => k.startsWith('trigger.')), embedded(o, 'subscriptions')[0].triggers],
    meaning: (v) => [[`trigger.${v}`], [v]],
  },
  {
    property: 'bearerToken',
    owner: 'Owner',
    kind: 'text',
    values: fc.oneof(hostileText, fc.constantFrom('audit-token', 'audit.token', 'audit_token', 'a b')),
    build: (c, v) => notifications(c, { bearerToken: SecretKeyRef.fromExistingSecret('argocd-notifications-secret', v) }),
    // The engine replaces `$<key>` (`[$][\w-]+`) in service config strings with the Secret's value.
    read: (o) => {
      const header = embedded(o, 'service.webhook.audit').headers.find((h: any) => h.name === 'Authorization').value as string;
      return header.replace(/[$][\w-]+/g, (ref) => `<${ref.slice(1)}>`);
    },
    meaning: (v) => `Bearer <${v}>`,
  },
  {
    property: 'argoCdUrl',
    owner: 'Owner',
    kind: 'url',
    build: (c, v) => notifications(c, { argoCdUrl: v }),
    read: (o) => embedded(o, 'context').argocdUrl,
    valid: goReadsHttpsUrlAsWritten,
  },

  // ArgoCdVaultPlugin
  { property: 'namespace', owner: 'Owner', kind: 'text', build: (c, v) => vault(c, { namespace: v }), read: (o) => find(o, 'ConfigMap').metadata.namespace, valid: k8sNames.dnsLabel },
  {
    property: 'vaultAddress',
    owner: 'Owner',
    kind: 'url',
    values: fc.oneof(hostileUrl, fc.constantFrom('https://vault.example.com:8200', 'https://Vault.Example.com', 'https://vault.example.com/', 'https://vault.example.com:08200')),
    build: (c, v) => vault(c, { vaultAddress: v }),
    read: (o) => sidecarEnv(o, 'VAULT_ADDR'),
    meaning: (v) => v.replace(/\/$/, ''),
    valid: (v) => goReadsHttpsUrlAsWritten(v) && ['', '/'].includes(goPath(v)),
  },
  { property: 'vaultRole', owner: 'Owner', kind: 'text', values: hostileName, build: (c, v) => vault(c, { vaultRole: v }), read: (o) => sidecarEnv(o, 'AVP_K8S_ROLE') },
  {
    property: 'vaultAuthMountPath',
    owner: 'Owner',
    kind: 'text',
    values: fc.oneof(hostileText, fc.constantFrom('auth/kubernetes', 'auth/k8s-prod', 'auth/../sys', 'auth/./x', '/auth/kubernetes', 'auth//x')),
    build: (c, v) => vault(c, { vaultAuthMountPath: v }),
    read: (o) => sidecarEnv(o, 'AVP_K8S_MOUNT_PATH'),
    valid: SEGMENTS,
  },
  {
    property: 'tokenAudience',
    owner: 'Owner',
    kind: 'text',
    values: fc.oneof(hostileText, fc.constantFrom('vault', 'https://vault.example.com', 'api://vault')),
    build: (c, v) => vault(c, { tokenAudience: v }),
    read: (o) => o.sidecar.volumes.find((v: any) => v.projected).projected.sources[0].serviceAccountToken.audience,
  },
  {
    property: 'source',
    owner: 'Owner',
    kind: 'text',
    values: fc.oneof(hostileText, fc.constantFrom(...Object.values(VaultPluginSource))),
    build: (c, v) => vault(c, { source: v }),
    read: (o) => (readAsGoYaml(find(o, 'ConfigMap').data['plugin.yaml']) as any).metadata.name,
    meaning: (v) => (v === 'directory' ? 'argocd-vault-plugin' : `argocd-vault-plugin-${v}`),
  },
  {
    property: 'resources.cpuLimit',
    owner: 'Owner',
    kind: 'number',
    build: (c, v) => vault(c, {
      resources: { cpuRequest: Cpu.millis(1), cpuLimit: Cpu.millis(v), memoryRequest: Size.mebibytes(64), memoryLimit: Size.mebibytes(64) },
    }),
    read: (o) => o.sidecar.containers[0].resources.limits.cpu,
    meaning: (v) => `${v}m`,
  },

  // ArgoCdServerExposure, beyond the host
  {
    property: 'namespace',
    owner: 'Owner',
    kind: 'text',
    build: (c, v) => new ArgoCdServerExposure(c, 'Owner', { namespace: v, exposure: ArgoCdExposure.gatewayRoute({ host: 'argocd.example.com', gateway: GATEWAY }) }),
    read: (o) => find(o, 'HTTPRoute').metadata.namespace,
    valid: k8sNames.dnsLabel,
  },
  { property: 'ingressClassName', owner: 'Owner', kind: 'text', build: (c, v) => ingress(c, { ingressClassName: v }), read: (o) => find(o, 'Ingress').spec.ingressClassName, valid: k8sNames.dnsSubdomain },
  {
    property: 'mode',
    owner: 'Owner',
    kind: 'text',
    values: fc.oneof(hostileText, fc.constantFrom(...Object.values(ArgoCdServerTlsMode))),
    build: (c, v) => ingress(c, { mode: v }),
    read: (o) => Object.keys(find(o, 'Ingress').metadata.annotations).some((k) => k.endsWith('/ssl-passthrough')),
    meaning: (v) => v === ArgoCdServerTlsMode.SSL_PASSTHROUGH,
  },
  {
    property: 'tls.secretName',
    owner: 'Owner',
    kind: 'text',
    build: (c, v) => ingress(c, { mode: ArgoCdServerTlsMode.REENCRYPT, tls: ArgoCdServerTls.fromExistingSecret(v) }),
    read: (o) => find(o, 'Ingress').spec.tls[0].secretName,
    valid: k8sNames.dnsSubdomain,
  },
  {
    property: 'tls.secretName',
    owner: 'Owner',
    kind: 'text',
    build: (c, v) => ingress(c, { mode: ArgoCdServerTlsMode.REENCRYPT, tls: ArgoCdServerTls.fromIssuer('internal', { secretName: v }) }),
    read: (o) => [find(o, 'Ingress').spec.tls[0].secretName, find(o, 'Certificate').spec.secretName],
    meaning: (v) => [v, v],
    valid: k8sNames.dnsSubdomain,
  },
  {
    property: 'tls.issuerName',
    owner: 'Owner',
    kind: 'text',
    build: (c, v) => ingress(c, { tls: ArgoCdServerTls.fromClusterIssuer(v) }),
    read: (o) => find(o, 'Certificate').spec.issuerRef.name,
    valid: k8sNames.dnsSubdomain,
  },
  {
    property: 'gateway.name',
    owner: 'Owner',
    kind: 'text',
    build: (c, v) => route(c, { name: v }),
    read: (o) => [find(o, 'HTTPRoute').spec.parentRefs[0].name, policyFrom(o).podSelector.matchLabels['gateway.networking.k8s.io/gateway-name']],
    meaning: (v) => [v, v],
    valid: (v) => k8sNames.dnsSubdomain(v) && v.length <= 63,
  },
  {
    property: 'gateway.namespace',
    owner: 'Owner',
    kind: 'text',
    build: (c, v) => route(c, { namespace: v }),
    read: (o) => [find(o, 'HTTPRoute').spec.parentRefs[0].namespace, policyFrom(o).namespaceSelector.matchLabels['kubernetes.io/metadata.name']],
    meaning: (v) => [v, v],
    valid: k8sNames.dnsLabel,
  },
  {
    property: 'gateway.sectionName',
    owner: 'Owner',
    kind: 'text',
    build: (c, v) => exposure(c, ArgoCdExposure.gatewayPassthrough({
      host: 'argocd.example.com', gateway: { ...GATEWAY, sectionName: v }, tls: ArgoCdServerTls.fromExistingSecret('argocd-server-tls'),
    })),
    read: (o) => find(o, 'TLSRoute').spec.parentRefs[0].sectionName,
    valid: SECTION_NAME,
  },
  {
    property: 'gateway.dataPlane.namespace',
    owner: 'Owner',
    kind: 'text',
    build: (c, v) => route(c, { dataPlane: { namespace: v, podLabels: { app: 'envoy' } } }),
    read: (o) => policyFrom(o).namespaceSelector.matchLabels['kubernetes.io/metadata.name'],
    valid: k8sNames.dnsLabel,
  },
  {
    property: 'gateway.dataPlane.podLabels',
    owner: 'Owner',
    kind: 'text',
    build: (c, v) => route(c, { dataPlane: { namespace: 'envoy-gateway-system', podLabels: { 'gateway.envoyproxy.io/owning-gateway-name': v } } }),
    read: (o) => policyFrom(o).podSelector.matchLabels['gateway.envoyproxy.io/owning-gateway-name'],
    valid: (v) => v === '' || (v.length <= 63 && /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(v)),
  },
  {
    property: 'gateway.dataPlane.podLabels',
    owner: 'Owner',
    kind: 'text',
    build: (c, v) => route(c, { dataPlane: { namespace: 'envoy-gateway-system', podLabels: { [v]: 'public' } } }),
    read: (o) => Object.keys(policyFrom(o).podSelector.matchLabels),
    meaning: (v) => [v],
  },
];

function refusedOrExact(field: Field, value: any): void {
  const docs = refusedOrGoYamlDocs(field, value, /amounts cannot be negative|must be an integer|cannot be converted/);
  if (docs === undefined) return;
  const sidecar = lastPlugin && readAsGoYaml(Yaml.stringify(lastPlugin._repoServerSidecar()));
  if (lastPlugin && sidecar === undefined) throw new Error(`go-yaml refuses the sidecar written for ${JSON.stringify(value)}`);
  lastPlugin = undefined;
  expect([value, field.read!({ docs, sidecar })]).toEqual([value, field.meaning ? field.meaning(value) : value]);
}

describe.each(FIELDS.map((f, i) => [`${f.property} (${i})`, f] as const))('%s: hostile values are refused or land exactly', (_name, field) => {
  test('property', () => {
    const values: fc.Arbitrary<any> = field.values ?? (field.kind === 'number' ? hostileNumber : field.kind === 'url' ? hostileUrl : hostileText);
    fc.assert(fc.property(values, (v) => refusedOrExact(field, v)), FIELD_RUNS);
  });
});

describe('known hostile values, each refused with the property and a fix', () => {
  const at = (property: string, index = 0) => FIELDS.filter((f) => f.property === property)[index];
  test.each([
    // The engine appends the path after the query: the request would go to /hook?token=1/audit.
    ['webhookUrl', 'https://audit.example.com/hook?token=1', 0],
    ['webhookUrl', 'https://audit.example.com/\u2028$x', 0],
    ['path', '/audit/../admin', 0],
    ['path', '/./audit', 0],
    // The subscription annotation's name part (subscribe.<trigger>.<service>) has at most 63 characters.
    ['serviceName', 'a'.repeat(35), 0],
    ['serviceName', 'audit\u0085', 0],
    ['triggers', 'on-sync\u2028', 0],
    ['bearerToken', 'audit.token', 0],
    // Written as given: an address that Go's net/url reads differently is refused, not normalized.
    ['vaultAddress', 'https://vault.example.com:08200', 0],
    ['vaultAddress', ' https://vault.example.com', 0],
    ['vaultAddress', 'https://vault.example.com/v1', 0],
    ['vaultAuthMountPath', 'auth/../sys', 0],
    ['vaultAuthMountPath', 'auth/./kubernetes', 0],
    ['vaultRole', 'argocd\u2028', 0],
    // Factory problems are reported with the exposure's path, under tls.
    ['tls.secretName', 'Argocd-TLS', 0],
    ['tls.issuerName', 'letsencrypt\u2028', 0],
    // Label keys that go-yaml reads as numbers.
    ['gateway.dataPlane.podLabels', '0o17', 1],
  ] as [string, string, number][])('%s = %j', (property, value, index) => {
    const field = at(property, index);
    const chart = freshChart();
    const problems = synthProblems(chart.node.scope as any, () => field.build(chart, value));
    expectUsefulRefusal(problems, `test/${field.owner}`, field.property);
  });
});

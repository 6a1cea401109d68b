// Valid inputs that must be accepted and land meaning what was asked, read the way their
// readers read them (go-yaml, Go's encoding/csv in Argo CD's policy loader, expr in argo-server).
import * as YAML from 'yaml';
import {
  AccountCapability, ApplicationSource, ArgoCdExposure, ArgoCdRbac, ArgoCdRole, ArgoCdServerExposure, ArgoCdServerTls,
  ArgoCdServerTlsMode, ArgoServerAuthMode, ContainerImage, CronSchedule, HardenedWorkflowNamespace, OidcSso, ProjectWithRoles,
  SecretKeyRef, SecureApplication, SecureArgoCD, SecureArgoWorkflows, SyncWindowKind, WorkflowEgress, WorkflowsAccessRole,
} from '../../src';
import { IN_CLUSTER_SERVER } from '../../src/argocd/private/names';
import { factoryProblemsOf } from '../../src/private/errors';
import { findObject, Manifest, synth, testChart } from '../support/synth';
import { expectValid } from '../support/validate';

const FRIENDLY_GROUPS = ['Platform Admins', 'my-org:Team Alpha', '\u00e9quipe-ops'];
const LDAP_DN = 'cn=admins,ou=groups,dc=example,dc=org';

/** The literals of an rbac-rule (`'a' in groups || 'b' in groups`), read as expr reads single-quoted strings. */
function ruleGroups(rule: string): string[] {
  const terms = rule.split(' || ');
  return terms.map((t) => {
    const m = /^'([^'\\]*)' in groups$/.exec(t);
    if (!m) throw new Error(`not a group term: ${t}`);
    return m[1];
  });
}

describe('Argo Workflows SSO groups with spaces and non-ASCII letters', () => {
  function workflows(groups: string[]): Manifest[] {
    const chart = testChart();
    const install = new SecureArgoWorkflows(chart, 'Workflows', {
      authModes: [ArgoServerAuthMode.SSO, ArgoServerAuthMode.CLIENT],
      sso: {
        provider: OidcSso.oidc({
          issuer: 'https://idp.example.com', clientId: 'argo-workflows', clientSecret: SecretKeyRef.fromExistingSecret('argo-workflows-sso', 'client-secret'),
        }),
        clientIdRef: SecretKeyRef.fromExistingSecret('argo-workflows-sso', 'client-id'),
        serverUrl: 'https://workflows.example.com/',
        roles: [{ role: WorkflowsAccessRole.ADMIN, groups }],
      },
      networkPolicies: { kubernetesApiCidr: '10.96.0.1/32', kubernetesApiPort: 6443, identityProviderEgress: [WorkflowEgress.toCidr('203.0.113.0/24', [443])] },
    });
    new HardenedWorkflowNamespace(chart, 'Ns', { workflows: install, name: 'ci', kubernetesApiCidr: '10.96.0.1/32', kubernetesApiPort: 6443 });
    return synth(chart);
  }

  test('accepted; the rbac-rule literals and the RoleBinding subjects hold each name exactly', () => {
    const manifests = workflows(FRIENDLY_GROUPS);
    expectValid(manifests);
    const sa = findObject(manifests, 'ServiceAccount', 'argo-sso-admin');
    // Through go-yaml and back: the annotation is the expression argo-server evaluates.
    const rule = YAML.parse(YAML.stringify(sa.metadata!.annotations))['workflows.argoproj.io/rbac-rule'];
    expect(ruleGroups(rule).sort()).toEqual([...FRIENDLY_GROUPS].sort());
    const subjects = manifests.filter((m) => m.kind === 'RoleBinding' && m.metadata?.namespace === 'ci')
      .flatMap((b: any) => (b.subjects ?? []).filter((s: any) => s.kind === 'Group').map((s: any) => s.name));
    expect(subjects).toEqual(expect.arrayContaining(FRIENDLY_GROUPS));
  });

  test.each([["O'Brien"], ['a\\b'], ['a"b'], [' padded'], ['line\u2028break']])('%j, which would break the quoting, is still refused', (group) => {
    expect(() => workflows([group])).toThrow(/sso\.roles\[0\]\.groups/);
  });
});

describe('LDAP DN groups in Argo CD RBAC', () => {
  function argocd(group: string) {
    const chart = testChart();
    const cd = new SecureArgoCD(chart, 'argocd', {
      url: 'https://argocd.example.com',
      sso: OidcSso.oidc({ issuer: 'https://idp.example.com', clientId: 'argocd', clientSecret: SecretKeyRef.fromExistingSecret('argocd-secret', 'oidc.clientSecret') }),
      networkPolicies: { kubernetesApi: { cidrs: ['10.0.0.1/32'], ports: [6443] } },
      rbac: { groupMappings: [{ group, role: ArgoCdRole.admin() }] },
    });
    return { cd, manifests: synth(chart) };
  }

  test('a DN with commas is one quoted CSV field, read back identically by the simulator', () => {
    const { cd, manifests } = argocd(LDAP_DN);
    expectValid(manifests);
    const csv = cd.rbacConfigData()['policy.csv'];
    expect(csv.split('\n')).toContain(`g, "${LDAP_DN}", role:admin`);
    const rbac = ArgoCdRbac.fromManifests(manifests);
    expect(rbac.can('alice', 'applications', 'delete', 'any/app', [LDAP_DN])).toBe(true);
    // Not split into 'cn=admins' and friends.
    expect(rbac.can('alice', 'applications', 'delete', 'any/app', ['cn=admins'])).toBe(false);
    expect(rbac.can('alice', 'applications', 'get', 'any/app', ['ou=groups'])).toBe(false);
  });

  test.each([['Platform Admins'], ['my-org:Team Alpha'], ['\u00e9quipe-ops']])('%j is written as is and matches', (group) => {
    const { cd, manifests } = argocd(group);
    expect(cd.rbacConfigData()['policy.csv'].split('\n')).toContain(`g, ${group}, role:admin`);
    expect(ArgoCdRbac.fromManifests(manifests).can('alice', 'applications', 'sync', 'p/app', [group])).toBe(true);
  });

  test.each([['a"b'], ['cn=x\ng, evil, role:admin'], ['cn=x\u2028y'], ['role:admin']])('%j is still refused', (group) => {
    expect(() => argocd(group)).toThrow(/rbac\.groupMappings\[0\]\.group/);
  });
});

describe('Argo CD sources: revisions, paths, Bitbucket URLs with a user, Go durations', () => {
  const BITBUCKET = 'https://user@bitbucket.org/team/repo.git';
  function application(repoUrl: string, revision: string, path: string) {
    const chart = testChart();
    const project = new ProjectWithRoles(chart, 'Project', {
      name: 'team-a',
      sourceRepos: ['https://github.com/myorg/*', BITBUCKET],
      destinations: [{ server: IN_CLUSTER_SERVER, namespace: 'team-a' }],
      syncWindows: [{ kind: SyncWindowKind.DENY, schedule: CronSchedule.expression('0 22 * * *'), duration: '.5h', applications: ['*'] }],
    });
    new SecureApplication(chart, 'App', { name: 'web', project, destination: { namespace: 'team-a' }, source: ApplicationSource.git({ repoUrl, revision, path }) });
    const manifests = synth(chart);
    expectValid(manifests);
    return { app: findObject(manifests, 'Application', 'web'), project: findObject(manifests, 'AppProject', 'team-a') };
  }

  test.each([
    ['https://github.com/myorg/app.git', 'v1.0.0+build.1', 'deploy'],
    ['https://github.com/myorg/app.git', 'user@feature', 'deploy'],
    ['https://github.com/myorg/app.git', 'main', 'my app/overlays/prod'],
    ['https://github.com/myorg/app.git', 'main', 'c++/base'],
    [BITBUCKET, 'main', 'deploy'],
  ])('%s @ %s, path %j: accepted and written as given', (repoUrl, revision, path) => {
    const { app, project } = application(repoUrl, revision, path);
    expect(app.spec.source).toEqual(expect.objectContaining({ repoURL: repoUrl, targetRevision: revision, path }));
    expect(project.spec.sourceRepos).toContain(BITBUCKET);
    // A Go duration without a leading zero (time.ParseDuration reads '.5h' as 30m).
    expect(project.spec.syncWindows[0].duration).toBe('.5h');
  });

  test('a password in the URL is still refused', () => {
    expect(() => application('https://user:secret@bitbucket.org/team/repo.git', 'main', 'deploy')).toThrow(/repoUrl/);
  });
});

describe('ContainerImage with an upper-case registry host', () => {
  const DIGEST = 'sha256:f924e49625fbc942583fc701a28058f183d610e07a035081a273798522147671';
  test('accepted as written, as Docker and containerd parse it (host names are case-insensitive)', () => {
    const image = ContainerImage.fromReference(`Registry.Example.com/app:1.0@${DIGEST}`);
    expect(factoryProblemsOf(image)).toEqual([]);
    expect(image.repository).toBe('Registry.Example.com/app');
    expect(factoryProblemsOf(ContainerImage.fromDigest('Registry.Example.com:5000/team/app', DIGEST))).toEqual([]);
  });

  test('upper case in the path is still refused (Docker refuses it)', () => {
    expect(factoryProblemsOf(ContainerImage.fromDigest('registry.example.com/Team/app', DIGEST))).toEqual([
      expect.objectContaining({ property: 'repository' }),
    ]);
  });
});

describe('SecureArgoCD install props: accounts, health checks, exclusions, notifications, vault plugin, exposure TLS', () => {
  test('accepted and written as given', () => {
    const chart = testChart();
    const cd = new SecureArgoCD(chart, 'argocd', {
      disableNetworkPolicies: { reason: 'policies managed elsewhere' },
      accounts: [{ name: 'ci-bot', capabilities: [AccountCapability.API_KEY] }, { name: 'release_bot', capabilities: [AccountCapability.LOGIN] }],
      healthChecks: [{ group: '', kind: 'ConfigMap', script: 'hs = {}\nhs.status = "Healthy"\nreturn hs' }],
      resourceExclusions: [
        { apiGroups: ['*'], kinds: ['*'], clusters: ['https://*.staging.example.com'], allowMatchEverything: { reason: 'staging runs its own Argo CD' } },
        { apiGroups: ['velero.io'], kinds: ['Backup'] },
        { apiGroups: ['{velero,ark}.io', '*.backup.example.com'], kinds: ['Restore'] },
      ],
      auditNotifications: { webhookUrl: 'https://audit.example.com/in/', path: '/v1/events', serviceName: 'a'.repeat(34) },
      vaultPlugin: {
        image: ContainerImage.fromDigest('ghcr.io/example/avp', 'sha256:485170fd8a452b91169b8c91352eddb3671d94266b85b70e385b2710d60013fc'),
        vaultAddress: 'https://Vault.Example.com:8200/',
        vaultRole: 'argocd',
        vaultAuthMountPath: 'auth/k8s-prod.eu',
      },
    });
    const manifests = synth(chart);
    expectValid(manifests);
    const cm = cd.argoCdConfigData();
    expect(cm['accounts.ci-bot']).toBe('apiKey');
    expect(cm['accounts.release_bot']).toBe('login');
    expect(cm['resource.customizations.health.ConfigMap']).toMatch(/^hs = \{\}/);
    expect(YAML.parse(cm['resource.exclusions']).slice(-3)).toEqual([
      { apiGroups: ['*'], kinds: ['*'], clusters: ['https://*.staging.example.com'] }, { apiGroups: ['velero.io'], kinds: ['Backup'] },
      { apiGroups: ['{velero,ark}.io', '*.backup.example.com'], kinds: ['Restore'] },
    ]);
    const notifications = cd.auditNotifications!.data;
    expect(YAML.parse(notifications[`service.webhook.${'a'.repeat(34)}`]).url).toBe('https://audit.example.com/in/');
    // The Vault address is written as given (host names are case-insensitive), without the trailing '/'.
    const env = cd.vaultPlugin!._repoServerSidecar().containers.flatMap((c: any) => c.env);
    expect(env).toEqual(expect.arrayContaining([{ name: 'VAULT_ADDR', value: 'https://Vault.Example.com:8200' }, { name: 'AVP_K8S_MOUNT_PATH', value: 'auth/k8s-prod.eu' }]));
  });

  test('the exposure\'s public certificate in a Secret of its own name', () => {
    const chart = testChart();
    new ArgoCdServerExposure(chart, 'Exposure', {
      namespace: 'argocd',
      exposure: ArgoCdExposure.ingressNginx({
        host: 'argocd.example.com', mode: ArgoCdServerTlsMode.REENCRYPT, tls: ArgoCdServerTls.fromIssuer('internal-ca', { secretName: 'argocd-public-tls' }),
      }),
    });
    const manifests = synth(chart);
    expectValid(manifests);
    expect(findObject(manifests, 'Ingress').spec.tls[0].secretName).toBe('argocd-public-tls');
    expect(findObject(manifests, 'Certificate').spec.issuerRef.name).toBe('internal-ca');
  });
});

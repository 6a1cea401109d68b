import {
  CronSchedule,
  ArgoCdAction, ArgoCdResource, ArgoCdVersion, GpgVerificationMode, LockedDownDefaultProject, PolicyEffect, ProjectWithRoles,
  ProductionProjectProps, ProjectWithRolesProps, ResourceKind, SyncWindowKind,
} from '../../src';
import { IN_CLUSTER_SERVER } from '../../src/argocd/private/names';
import { factoryProblemsOf } from '../../src/private/errors';
import { argoGlobMatch } from '../../src/private/glob';
import { findObject, synth, testChart } from '../support/synth';
import { expectValid } from '../support/validate';

const REPO = 'https://github.com/myorg/gitops-config.git';
/** A project that may deploy anywhere: Argo CD's and the system namespaces need their own opt-ins. */
const ANY_DESTINATION = {
  allowAnyDestination: { reason: 'test cluster' },
  allowArgoCdNamespaceDestination: { reason: 'test: any destination' },
  allowSystemNamespaceDestination: { reason: 'test: any destination' },
};

function project(props: Partial<ProjectWithRolesProps> = {}) {
  const chart = testChart();
  const p = new ProjectWithRoles(chart, 'Project', {
    name: 'team-a',
    sourceRepos: [REPO],
    destinations: [{ server: IN_CLUSTER_SERVER, namespace: 'team-a' }],
    ...props,
  });
  // Format problems are reported at synth, with every other problem of the app.
  synth(chart);
  return { chart, p };
}

/** Builds the production preset; the returned function synthesizes it (problems are reported at synth). */
function production(props: ProductionProjectProps): () => void {
  const chart = testChart();
  ProjectWithRoles.production(chart, 'Prod', props);
  return () => synth(chart);
}

/** Upstream `findMatchingGitPolicies`: a '!' entry that matches excludes the policy, the URL as spelled, no separators. */
function matchingIntegrityPolicies(policies: { repos: { url: string }[] }[], repoUrl: string) {
  return policies.filter((policy) => {
    let include = false;
    for (const { url } of policy.repos) {
      if (url.startsWith('!') && argoGlobMatch(url.slice(1), repoUrl)) return false;
      if (!url.startsWith('!') && argoGlobMatch(url, repoUrl)) include = true;
    }
    return include;
  });
}

function spec(props: Partial<ProjectWithRolesProps> = {}) {
  const { chart } = project(props);
  const manifests = synth(chart);
  expectValid(manifests);
  return findObject(manifests, 'AppProject', 'team-a').spec;
}

describe('ProjectWithRoles', () => {
  test('minimal project: closed cluster scope, finalizer, labels, sync wave', () => {
    const { chart } = project();
    const manifests = synth(chart);
    expectValid(manifests);
    const obj = findObject(manifests, 'AppProject', 'team-a');
    expect(obj.metadata.namespace).toBe('argocd');
    expect(obj.metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
    expect(obj.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '1' }); // before the Applications (3)
    expect(obj.spec).toEqual({
      sourceRepos: [REPO],
      destinations: [{ server: IN_CLUSTER_SERVER, namespace: 'team-a' }],
      clusterResourceWhitelist: [],
      // The unset namespaced whitelist admits every kind but the escalation paths.
      namespaceResourceBlacklist: [
        { group: 'rbac.authorization.k8s.io', kind: 'Role' },
        { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' },
        { group: 'argoproj.io', kind: 'Application' },
        { group: 'argoproj.io', kind: 'ApplicationSet' },
        { group: 'argoproj.io', kind: 'AppProject' },
      ],
    });
  });

  test('list semantics are kept: unset namespaced whitelist stays unset, empty stays empty', () => {
    expect(spec().namespaceResourceWhitelist).toBeUndefined();
    expect(spec({ namespaceResourceWhitelist: [] }).namespaceResourceWhitelist).toEqual([]);
  });

  test('resource lists are typed group/kind; cluster lists carry name globs', () => {
    const s = spec({
      clusterResourceWhitelist: [ResourceKind.NAMESPACE.named('team-a-*')],
      allowClusterControlResources: { reason: 'Applications create their namespaces' },
      clusterResourceBlacklist: [ResourceKind.NAMESPACE.named('kube-*')],
      namespaceResourceWhitelist: [ResourceKind.allKindsIn('apps'), ResourceKind.of('', 'Service')],
      namespaceResourceBlacklist: [ResourceKind.NETWORK_POLICY],
    });
    expect(s.clusterResourceWhitelist).toEqual([{ group: '', kind: 'Namespace', name: 'team-a-*' }]);
    expect(s.clusterResourceBlacklist).toEqual([{ group: '', kind: 'Namespace', name: 'kube-*' }]);
    expect(s.namespaceResourceWhitelist).toEqual([{ group: 'apps', kind: '*' }, { group: '', kind: 'Service' }]);
    expect(s.namespaceResourceBlacklist).toEqual([{ group: 'networking.k8s.io', kind: 'NetworkPolicy' }]);
  });

  test('a name on a namespaced list is rejected with the supported alternatives', () => {
    expect(() => project({ namespaceResourceBlacklist: [ResourceKind.SECRET.named('*-production-*')] }))
      .toThrow(/namespaceResourceBlacklist\[0\].*group and kind only.*admission policy/);
  });

  test('sourceRepos: URLs and globs are accepted', () => {
    const s = spec({ sourceRepos: ['https://github.com/myorg/*', 'git@github.com:myorg/infra.git', 'oci://ghcr.io/myorg/charts'] });
    expect(s.sourceRepos).toHaveLength(3);
  });

  test("a negated source repository is '*' in disguise: Argo CD counts it as a match for every URL it does not name", () => {
    const repos = ['https://github.com/myorg/*', '!https://github.com/myorg/secret-repo.git'];
    expect(() => project({ sourceRepos: repos })).toThrow(/sourceRepos\[1\].*permits every repository it does not name.*allowAnySourceRepo/);
    const { p } = project({ sourceRepos: repos, allowAnySourceRepo: { reason: 'test repositories' } });
    expect(p.isSourcePermitted('https://github.com/myorg/secret-repo.git')).toBe(false);
    // upstream IsSourcePermitted: the '!' entry does not name this URL, so it counts as a match
    expect(p.isSourcePermitted('https://github.com/unrelated/app.git')).toBe(true);
  });

  test.each([
    ['github.com/myorg/repo', /sourceRepos\[0\].*not a repository URL/],
    ['http://github.com/myorg/repo.git', /sourceRepos\[0\].*unencrypted/],
    ['https://github.com/my org/repo', /sourceRepos\[0\].*spaces/],
    ['https://github.com/myorg/[repo', /sourceRepos\[0\].*not a valid glob/],
  ])('a malformed repository URL is rejected: %s', (url, message) => {
    expect(() => project({ sourceRepos: [url] })).toThrow(message);
  });

  test("'*' sources need an explicit opt-in", () => {
    expect(() => project({ sourceRepos: ['*'] })).toThrow(/sourceRepos\[0\].*allowAnySourceRepo/);
    expect(spec({ sourceRepos: ['*'], allowAnySourceRepo: { reason: 'test repositories' } }).sourceRepos).toEqual(['*']);
  });

  test('patterns that match every repository or cluster count as wildcards', () => {
    expect(() => project({ sourceRepos: ['https://**'] })).toThrow(/sourceRepos\[0\].*matches repositories on hosts nobody listed/);
    expect(() => project({ sourceRepos: ['**'] })).toThrow(/sourceRepos\[0\]/);
    expect(() => project({ destinations: [{ server: 'https://*', namespace: '*' }] })).toThrow(/destinations\[0\].*allowAnyDestination/);
    // every owner on a public forge, over any protocol form
    for (const repo of ['https://github.com/**', 'https://github.com/*/*', 'git@github.com:*/*', 'git@*:*/*', 'ssh://git@*/**', 'https://gitlab.com/**', 'oci://ghcr.io/**']) {
      expect(() => project({ sourceRepos: [repo] })).toThrow(/matches (repositories on hosts nobody listed|every owner or group).*allowAnySourceRepo/);
      expect(() => project({ sourceRepos: [repo], allowAnySourceRepo: { reason: 'test repositories' } })).not.toThrow();
    }
    for (const repo of ['https://github.com/myorg/**', 'git@github.com:myorg/*', 'oci://ghcr.io/myorg/charts/*']) {
      expect(() => project({ sourceRepos: [repo] })).not.toThrow();
    }
  });

  test('"any repository" is judged by what the pattern matches: any host, or nearly any owner', () => {
    const broad = [
      // every Helm repository and one-segment repo on any host
      'https://*/*', 'oci://*/*', 'https://*', 'https://*/charts',
      // a host anyone can register
      'https://*/my-org/*', 'https://*.com/my-org/*', 'https://git*.com/my-org/*', 'git@*.com:my-org/*',
      // nearly every owner: classes and braces get no pass from fixed probes
      'https://github.com/[!z]*/*', 'https://github.com/{*}/*', 'https://gitlab.com/?*/*',
    ];
    for (const repo of broad) {
      expect(() => project({ sourceRepos: [repo] })).toThrow(/sourceRepos\[0\].*allowAnySourceRepo/);
      expect(() => project({ sourceRepos: [repo], allowAnySourceRepo: { reason: 'test repositories' } })).not.toThrow();
    }
    for (const repo of ['https://*.example.com/my-org/*', 'https://github.com/team-[ab]/*', 'https://charts.example.com', 'https://git.example.com:8443/platform/*']) {
      expect(() => project({ sourceRepos: [repo] })).not.toThrow();
    }
  });

  test('a list of only negations is rejected without opt-in (it permits every other repository)', () => {
    expect(() => project({ sourceRepos: ['!https://github.com/evil/*'] })).toThrow(/sourceRepos\[0\].*permits every repository it does not name/);
    const { p } = project({ sourceRepos: ['!https://github.com/evil/*'], allowAnySourceRepo: { reason: 'test repositories' } });
    expect(p.isSourcePermitted('https://github.com/evil/x')).toBe(false);
    expect(p.isSourcePermitted('https://gitlab.com/any/x')).toBe(true);
  });

  test("'*'/'*' destinations and '*'/'*' cluster resources need an explicit opt-in", () => {
    expect(() => project({ destinations: [{ server: '*', namespace: '*' }] })).toThrow(/destinations\[0\].*allowAnyDestination/);
    expect(() => project({ destinations: [{ name: '*', namespace: '*' }] })).toThrow(/allowAnyDestination/);
    expect(() => project({ clusterResourceWhitelist: [ResourceKind.of('*', '*')] })).toThrow(/clusterResourceWhitelist\[0\].*allowAllClusterResources/);
    const s = spec({
      sourceRepos: ['*'],
      allowAnySourceRepo: { reason: 'test repositories' },
      destinations: [{ server: '*', namespace: '*' }],
      ...ANY_DESTINATION,
      clusterResourceWhitelist: [ResourceKind.of('*', '*')],
      allowAllClusterResources: { reason: 'platform project' },
    });
    expect(s.destinations).toEqual([{ server: '*', namespace: '*' }]);
  });

  test('destinations need a cluster and an https server', () => {
    expect(() => project({ destinations: [{ namespace: 'a' }] })).toThrow(/destinations\[0\].*server.*name/);
    expect(() => project({ destinations: [{ server: 'http://10.0.0.1', namespace: 'a' }] })).toThrow(/destinations\[0\].server/);
  });

  test('sourceNamespaces, orphanedResources, permitOnlyProjectScopedClusters, destinationServiceAccounts', () => {
    const s = spec({
      sourceNamespaces: ['team-a-apps'],
      orphanedResources: { ignore: [ResourceKind.CONFIG_MAP.named('kube-root-ca.crt')] },
      permitOnlyProjectScopedClusters: true,
      destinationServiceAccounts: [{ server: IN_CLUSTER_SERVER, namespace: 'team-a', serviceAccount: 'team-a-deployer' }],
    });
    expect(s.sourceNamespaces).toEqual(['team-a-apps']);
    expect(s.orphanedResources).toEqual({ warn: true, ignore: [{ group: '', kind: 'ConfigMap', name: 'kube-root-ca.crt' }] });
    expect(s.permitOnlyProjectScopedClusters).toBe(true);
    expect(s.destinationServiceAccounts).toEqual([{ server: IN_CLUSTER_SERVER, namespace: 'team-a', defaultServiceAccount: 'team-a-deployer' }]);
    expect(() => project({ sourceNamespaces: ['*'] })).toThrow(/sourceNamespaces/);
    expect(() => project({ destinationServiceAccounts: [{ server: IN_CLUSTER_SERVER, serviceAccount: 'Bad Name' }] }))
      .toThrow(/destinationServiceAccounts\[0\].serviceAccount/);
  });

  test('description is one line of at most 255 characters', () => {
    expect(() => project({ description: 'x'.repeat(256) })).toThrow(/description/);
    // go-yaml reads U+2028 as a line break: it could inject keys into the AppProject.
    expect(() => project({ description: 'ok\u2028  clusterResourceWhitelist: x' })).toThrow(/description: .*\\u2028/);
    expect(() => project({ description: 'two\nlines' })).toThrow(/description/);
  });

  describe('source verification', () => {
    test('v3.5: one sourceIntegrity policy with head gpg (the default) for every repository', () => {
      const s = spec({ gitSignatureVerification: { keyIds: ['1234567890ABCDEF'] } });
      expect(s.sourceIntegrity).toEqual({
        git: { policies: [{ repos: [{ url: '*' }], gpg: { mode: 'head', keys: ['1234567890ABCDEF'] } }] },
      });
      expect(s.signatureKeys).toBeUndefined();
    });

    test('every spelling of a source repository that the project admits is verified', () => {
      // Argo CD admits a source by its normalized URL (lower case, no '.git') but finds the
      // integrity policy by the URL as the Application spells it; no policy means no verification.
      const { chart, p } = project({ gitSignatureVerification: { keyIds: ['1234567890ABCDEF'] } });
      const policies = findObject(synth(chart), 'AppProject', 'team-a').spec.sourceIntegrity.git.policies;
      for (const spelling of [REPO, 'https://github.com/myorg/gitops-config', 'https://GitHub.com/MyOrg/gitops-config.git']) {
        expect(p.isSourcePermitted(spelling)).toBe(true);
        expect(matchingIntegrityPolicies(policies, spelling)).toHaveLength(1);
      }
    });

    test('explicit repos and head mode; a listed URL also gets its other .git spelling', () => {
      const s = spec({
        gitSignatureVerification: {
          keyIds: ['1234567890ABCDEF'],
          mode: GpgVerificationMode.HEAD,
          repos: ['https://github.com/myorg/*', 'https://github.com/other/app', '!https://github.com/myorg/unsigned.git'],
        },
      });
      expect(s.sourceIntegrity.git.policies[0].repos).toEqual([
        { url: 'https://github.com/myorg/*' }, { url: 'https://github.com/other/app' }, { url: 'https://github.com/other/app.git' },
        { url: '!https://github.com/myorg/unsigned.git' },
      ]);
      expect(s.sourceIntegrity.git.policies[0].gpg.mode).toBe('head');
    });

    test('older targets get signatureKeys', () => {
      const s = spec({ targetArgoCdVersion: ArgoCdVersion.of('3.4.0'), gitSignatureVerification: { keyIds: ['1234567890ABCDEF'] } });
      expect(s.signatureKeys).toEqual([{ keyID: '1234567890ABCDEF' }]);
      expect(s.sourceIntegrity).toBeUndefined();
      expect(() => project({ targetArgoCdVersion: ArgoCdVersion.of('3.4.0'), gitSignatureVerification: { keyIds: ['1234567890ABCDEF'], mode: GpgVerificationMode.STRICT } }))
        .toThrow(/gitSignatureVerification.*signatureKeys/);
    });

    test('bad key IDs and versions are rejected', () => {
      expect(() => project({ gitSignatureVerification: { keyIds: ['not-a-key'] } })).toThrow(/keyIds\[0\]/);
      expect(() => project({ gitSignatureVerification: { keyIds: [] } })).toThrow(/keyIds/);
      expect(() => project({ targetArgoCdVersion: 'latest' as any })).toThrow(/targetArgoCdVersion: is not an ArgoCdVersion/);
    });

    test('ArgoCdVersion parses releases and refuses anything else', () => {
      expect(ArgoCdVersion.V3_5_1.toString()).toBe('3.5.1');
      expect(ArgoCdVersion.of('3.4').toString()).toBe('3.4.0');
      expect(ArgoCdVersion.of('v2.14.3').isAtLeast(2, 14)).toBe(true);
      expect(ArgoCdVersion.of('3.4.9').isAtLeast(3, 5)).toBe(false);
      expect(ArgoCdVersion.isArgoCdVersion(ArgoCdVersion.V3_5_1)).toBe(true);
      expect(ArgoCdVersion.isArgoCdVersion({ major: 3, minor: 5, patch: 1 })).toBe(false);
      for (const bad of ['latest', '3', '1.8.0', '3.5.1-rc1', ' 3.5.1', '3.5.1\n', '']) {
        expect(() => ArgoCdVersion.of(bad)).toThrow(/ArgoCdVersion: version: .* is not an Argo CD release: write 'major.minor.patch'/);
      }
    });
  });

  describe('roles', () => {
    const get = { resource: ArgoCdResource.APPLICATIONS, action: ArgoCdAction.GET, object: 'team-a/*' };

    test('policies are written with the project subject; groups and JWT tokens', () => {
      const { chart, p } = project({
        roles: [{
          name: 'ci',
          description: 'CI sync',
          policies: [
            get,
            { resource: ArgoCdResource.APPLICATIONS, action: ArgoCdAction.SYNC, object: 'team-a/team-a-apps/web' },
            { resource: ArgoCdResource.APPLICATIONS, action: ArgoCdAction.DELETE, object: 'team-a/*', effect: PolicyEffect.DENY },
          ],
          groups: ['ci-bots'],
          jwtTokens: [{ issuedAt: 1535390316, expiresAt: 1535476716, id: 'token-1' }],
        }],
      });
      const manifests = synth(chart);
      expectValid(manifests);
      expect(findObject(manifests, 'AppProject').spec.roles).toEqual([{
        name: 'ci',
        description: 'CI sync',
        policies: [
          'p, proj:team-a:ci, applications, get, team-a/*, allow',
          'p, proj:team-a:ci, applications, sync, team-a/team-a-apps/web, allow',
          'p, proj:team-a:ci, applications, delete, team-a/*, deny',
        ],
        groups: ['ci-bots'],
        jwtTokens: [{ iat: 1535390316, exp: 1535476716, id: 'token-1' }],
      }]);
      expect(p.rbacPolicy()).toBe([
        'p, proj:team-a:ci, projects, get, team-a, allow',
        'p, proj:team-a:ci, applications, get, team-a/*, allow',
        'p, proj:team-a:ci, applications, sync, team-a/team-a-apps/web, allow',
        'p, proj:team-a:ci, applications, delete, team-a/*, deny',
        'g, ci-bots, proj:team-a:ci',
      ].join('\n'));
    });

    test('roles added after construction are synthesized', () => {
      const { chart, p } = project();
      p.addRole({ name: 'viewer', policies: [get] });
      expect(findObject(synth(chart), 'AppProject').spec.roles[0].name).toBe('viewer');
    });

    test.each([
      ['production/*', /objects\b|object.*outside project 'team-a' \(it names 'production'\)/],
      ['*/*', /outside project 'team-a'/],
      ['team-a', /object/],
      ['team-a/', /is not 'team-a\/<app>' or 'team-a\/<namespace>\/<app>'/],
      ['team-a/ns/app/extra', /is not 'team-a\/<app>' or 'team-a\/<namespace>\/<app>'/],
      ['team-ab/*', /outside project/],
    ])('a policy outside the project cannot be expressed: %s', (object, message) => {
      expect(() => project({ roles: [{ name: 'r', policies: [{ ...get, object }] }] })).toThrow(message);
    });

    test('only project resources and actions', () => {
      expect(() => project({ roles: [{ name: 'r', policies: [{ resource: ArgoCdResource.PROJECTS, action: ArgoCdAction.GET, object: 'team-a/x' }] }] }))
        .toThrow(/policies\[0\].resource.*not allowed in a project role/);
      expect(() => project({ roles: [{ name: 'r', policies: [{ resource: ArgoCdResource.EXTENSIONS, action: ArgoCdAction.INVOKE, object: 'team-a/x' }] }] }))
        .toThrow(/not allowed in a project role/);
      expect(() => project({ roles: [{ name: 'r', policies: [{ resource: ArgoCdResource.APPLICATIONS, action: ArgoCdAction.INVOKE, object: 'team-a/x' }] }] }))
        .toThrow(/policies\[0\].action/);
      expect(() => project({ roles: [{ name: 'r', policies: [{ resource: ArgoCdResource.LOGS, action: ArgoCdAction.SYNC, object: 'team-a/x' }] }] }))
        .toThrow(/logs.*only the action 'get'/);
      expect(() => project({ roles: [{ name: 'r', policies: [{ resource: ArgoCdResource.EXEC, action: ArgoCdAction.GET, object: 'team-a/x' }] }] }))
        .toThrow(/exec.*only the action 'create'/);
      // resource actions and sub-resource updates are fine
      expect(() => project({
        roles: [{
          name: 'r',
          policies: [
            { resource: ArgoCdResource.APPLICATIONS, action: ArgoCdAction.action('apps', 'Deployment', 'restart'), object: 'team-a/*' },
            { resource: ArgoCdResource.APPLICATIONS, action: ArgoCdAction.updateResources('apps', 'Deployment'), object: 'team-a/*' },
            { resource: ArgoCdResource.EXEC, action: ArgoCdAction.CREATE, object: 'team-a/*' },
          ],
        }],
      })).not.toThrow();
    });

    test('role names, duplicates, groups, tokens', () => {
      expect(() => project({ roles: [{ name: 'bad name', policies: [get] }] })).toThrow(/roles\[0\].name/);
      expect(() => project({ roles: [{ name: 'r', policies: [get] }, { name: 'r', policies: [get] }] })).toThrow(/roles\[1\].name.*already exists/);
      expect(() => project({ roles: [{ name: 'r', policies: [] }] })).toThrow(/roles\[0\].policies/);
      // A group with commas (an LDAP DN) is one quoted CSV field, as Argo CD's ValidateProject requires.
      expect(project({ roles: [{ name: 'r', policies: [get], groups: ['cn=a,dc=b'] }] }).p.rbacPolicy()).toContain('g, "cn=a,dc=b", proj:team-a:r');
      expect(() => project({ roles: [{ name: 'r', policies: [get], groups: ['a"b'] }] })).toThrow(/roles\[0\].groups\[0\]/);
      expect(() => project({ roles: [{ name: 'r', policies: [get], groups: ['x\ng, evil, role:admin'] }] })).toThrow(/groups\[0\]/);
      expect(() => project({ roles: [{ name: 'r', policies: [get], groups: ['role:admin'] }] })).toThrow(/groups\[0\].*role/);
      expect(() => project({ roles: [{ name: 'r', policies: [get], jwtTokens: [{ issuedAt: 10, expiresAt: 5 }] }] })).toThrow(/jwtTokens\[0\].expiresAt/);
      expect(() => project({ roles: [{ name: 'r', policies: [get], jwtTokens: [{ issuedAt: 1.5 }] }] })).toThrow(/jwtTokens\[0\].issuedAt/);
    });
  });

  describe('sync windows', () => {
    const base = { kind: SyncWindowKind.ALLOW, schedule: CronSchedule.expression('0 9 * * 1-5'), duration: '9h', applications: ['*'] };

    test('valid windows are written with an explicit time zone', () => {
      const s = spec({
        syncWindows: [
          { ...base, manualSync: true, timeZone: 'Europe/Berlin' },
          { kind: SyncWindowKind.DENY, schedule: CronSchedule.expression('*/15 22-23,0-5 1,15 JAN-MAR,dec SUN'), duration: '1h30m', namespaces: ['team-a'], clusters: ['in-cluster'], andOperator: true, syncOverrun: true, description: 'night' },
        ],
      });
      expect(s.syncWindows).toEqual([
        { kind: 'allow', schedule: '0 9 * * 1-5', duration: '9h', applications: ['*'], manualSync: true, timeZone: 'Europe/Berlin' },
        { kind: 'deny', schedule: '*/15 22-23,0-5 1,15 JAN-MAR,dec SUN', duration: '1h30m', namespaces: ['team-a'], clusters: ['in-cluster'], timeZone: 'UTC', andOperator: true, syncOverrun: true, description: 'night' },
      ]);
    });

    test.each([
      ['0 9 * *', /5 fields|has 4 fields/],
      ['60 9 * * *', /minute field is outside 0-59/],
      ['0 24 * * *', /hour field/],
      ['0 9 0 * *', /day of month field/],
      ['0 9 * 13 *', /month field/],
      ['0 9 * * 7', /day of week field/],
      ['0 9 * * MON-FOO', /day of week field/],
      ['0 9-5 * * *', /hour field/],
      ['*/0 * * * *', /step/],
      // Argo CD v3.5.1 parses windows with cron.NewParser(Minute|Hour|Dom|Month|Dow): no Descriptor
      ['@daily', /is a descriptor, which Argo CD's sync windows do not read/],
      ['@every 1h', /is a descriptor, which Argo CD's sync windows do not read/],
      ['99 99 * * *', /minute/],
      ['a b c d e', /minute/],
      ['0 9 32 * *', /day of month field/],
      ['0 9 * * MON/0', /step/],
      ['TZ=Europe/Berlin 0 9 * * *', /TZ=/],
    ])('an invalid cron schedule is rejected: %s', (schedule, message) => {
      expect(() => project({ syncWindows: [{ ...base, schedule: CronSchedule.expression(schedule) }] })).toThrow(/syncWindows\[0\].schedule/);
      expect(() => project({ syncWindows: [{ ...base, schedule: CronSchedule.expression(schedule) }] })).toThrow(message);
    });

    test('a schedule that opens several times a day and runs into the next day is warned about', () => {
      const warnings = (schedule: string, duration: string) => {
        const { p } = project({ syncWindows: [{ ...base, schedule: CronSchedule.expression(schedule), duration }] });
        return p.node.metadata.filter((m) => m.type === 'warning').map((m) => String(m.data));
      };
      const [w] = warnings('0 9-18 * * 1-5', '9h');
      expect(w).toMatch(/syncWindows\[0\]: .*opened at 18:00 stays open until 03:00 the next day/);
      expect(warnings('0 9 * * 1-5', '9h')).toEqual([]);
      // one nightly opening across midnight is intended
      expect(warnings('0 22 * * *', '8h')).toEqual([]);
      expect(warnings('*/30 8-12 * * *', '1h')).toEqual([]);
      expect(warnings('30 */6 * * *', '6h')).toHaveLength(1);
    });

    test('an invalid time zone is rejected', () => {
      expect(() => project({ syncWindows: [{ ...base, timeZone: 'Mars/Olympus' }] })).toThrow(/syncWindows\[0\].timeZone.*IANA/);
      expect(() => project({ syncWindows: [{ ...base, timeZone: 'Etc/UTC' }] })).not.toThrow();
    });

    test.each([
      ['Europe/Berlin', true], ['Asia/Kolkata', true], ['Asia/Calcutta', true], ['Etc/GMT+5', true], ['US/Eastern', true],
      // Go's time.LoadLocation reads case-sensitive tzdata file names; 'Local' is the controller's own zone
      ['europe/berlin', false], ['Europe/BERLIN', false], ['utc', false], ['Local', false], ['', false],
    ])('time zone %j accepted: %s', (timeZone, ok) => {
      const build = () => project({ syncWindows: [{ ...base, timeZone }] });
      if (ok) expect(build).not.toThrow();
      else expect(build).toThrow(/syncWindows\[0\].timeZone.*IANA/);
    });

    test("robfig/cron reads '?' as '*' in every field", () => {
      expect(() => project({ syncWindows: [{ ...base, schedule: CronSchedule.expression('0 9 ? * ?') }] })).not.toThrow();
      expect(() => project({ syncWindows: [{ ...base, schedule: CronSchedule.expression('? 9 * * *') }] })).not.toThrow();
    });

    test('invalid durations and empty windows are rejected', () => {
      expect(() => project({ syncWindows: [{ ...base, duration: '9 hours' }] })).toThrow(/syncWindows\[0\].duration/);
      expect(() => project({ syncWindows: [{ ...base, duration: '0h' }] })).toThrow(/duration/);
      expect(() => project({ syncWindows: [{ ...base, duration: '1d' }] })).toThrow(/duration/); // Go has no days
      // Go's time.ParseDuration takes the micro sign and the Greek mu
      expect(() => project({ syncWindows: [{ ...base, duration: '90000000\u00b5s' }] })).not.toThrow();
      expect(() => project({ syncWindows: [{ ...base, duration: '90000000\u03bcs' }] })).not.toThrow();
      expect(() => project({ syncWindows: [{ ...base, applications: [] }] })).toThrow(/syncWindows\[0\].*applies to nothing/);
    });
  });

  describe("'*' in disguise", () => {
    test.each([
      [{ name: '*', namespace: '**' }],
      [{ server: '*', namespace: '?*' }],
      [{ server: 'https://**', namespace: '*?' }],
      [{ name: '*', namespace: '!kube-system' }], // a negation matches every other namespace
      [{ name: '!prod', namespace: '[!x]*' }], // and every other cluster
    ])('destination %j needs allowAnyDestination', (destination) => {
      expect(() => project({ destinations: [destination] })).toThrow(/destinations\[0\].*allowAnyDestination/);
      expect(() => project({ destinations: [destination], ...ANY_DESTINATION })).not.toThrow();
    });

    test.each([
      ['**', /sourceNamespaces\[0\].*every namespace/],
      ['?*', /sourceNamespaces\[0\].*every namespace/],
      ['*', /sourceNamespaces\[0\].*every namespace/],
      ['/team-.*/', /sourceNamespaces\[0\].*regular expression/],
      ['!kube-system', /sourceNamespaces\[0\].*no '!'/],
    ])('sourceNamespaces %s is rejected', (ns, message) => {
      expect(() => project({ sourceNamespaces: [ns] })).toThrow(message);
    });

    test.each([
      [ResourceKind.of('**', '*')],
      [ResourceKind.of('*', '?*')],
      [ResourceKind.of('[^x]*', '*').named('**')],
    ])('cluster whitelist %s needs allowAllClusterResources', (kind) => {
      expect(() => project({ clusterResourceWhitelist: [kind] })).toThrow(/clusterResourceWhitelist\[0\].*allowAllClusterResources/);
      expect(() => project({ clusterResourceWhitelist: [kind], allowAllClusterResources: { reason: 'platform project' } })).not.toThrow();
    });

    test('the production preset refuses disguised wildcards too', () => {
      const props = { sourceRepos: [REPO], gitSignatureVerification: { keyIds: ['1234567890ABCDEF'] } };
      expect(production({ ...props, destinations: [{ server: IN_CLUSTER_SERVER, namespace: '**' }] }))
        .toThrow(/ProjectWithRoles 'test\/Prod': destinations\[0\].*every namespace or cluster/);
      expect(production({ ...props, destinations: [{ server: 'https://?*', namespace: 'prod' }] }))
        .toThrow(/destinations\[0\].*every namespace or cluster/);
    });
  });

  test('group and kind match as Go filepath.Match patterns, as upstream isResourceInList', () => {
    const { p } = project({
      clusterResourceWhitelist: [ResourceKind.of('rbac.authorization.k8s.io', 'Cluster[A-Z]*'), ResourceKind.of('[a-z0-9]*.example.com', '*')],
      clusterResourceBlacklist: [ResourceKind.of('rbac.authorization.k8s.io', 'ClusterRoleBinding')],
      allowRbacResources: { reason: 'test: matching only' },
    });
    expect(p.isClusterResourcePermitted('rbac.authorization.k8s.io', 'ClusterRole', 'view')).toBe(true);
    expect(p.isClusterResourcePermitted('rbac.authorization.k8s.io', 'ClusterRoleBinding', 'x')).toBe(false);
    expect(p.isClusterResourcePermitted('9a.example.com', 'Anything', 'x')).toBe(true); // several ranges in one class
    expect(p.isClusterResourcePermitted('', 'Namespace', 'x')).toBe(false);
    expect(factoryProblemsOf(ResourceKind.of('', 'Role['))).toEqual([{ property: 'kind', problem: expect.stringMatching(/not a valid pattern/) }]);
    expect(factoryProblemsOf(ResourceKind.of('[a-]', 'Role'))).toEqual([{ property: 'group', problem: expect.stringMatching(/not a valid pattern/) }]);
    // the project that lists it reports it at synth, with its path and the property
    expect(() => project({ clusterResourceWhitelist: [ResourceKind.of('', 'Role[')] })).toThrow(/ProjectWithRoles 'test\/Project': clusterResourceWhitelist\[0\]\.kind: 'Role\[' is not a valid pattern/);
  });

  // Upstream TestAppProject_IsNegatedDestinationPermitted (pkg/apis/application/v1alpha1).
  describe('negated destinations as upstream', () => {
    const K = IN_CLUSTER_SERVER;
    test.each([
      [[{ server: `!${K}`, namespace: 'default' }], 'default', K, undefined, false],
      [[{ server: K, namespace: '!default' }], 'kube-system', K, undefined, true],
      [[{ server: '!https://my-cluster', namespace: 'default' }], 'default', K, undefined, true],
      [[{ server: K, namespace: '!test-*' }], 'test-foo', K, undefined, false],
      [[{ name: '!test2', namespace: '*' }], 'test', undefined, 'test', true],
      [[{ server: '*', namespace: 'kube-system' }, { server: '*', namespace: '!kube-system' }], 'kube-system', K, undefined, false],
      [[{ server: '*', namespace: '*' }, { server: `!${K}`, namespace: 'kube-system' }], 'kube-system', K, undefined, false],
      // an unmatched '!' server entry vetoes only where its own namespace matches (upstream's types_test has these three)
      [[{ server: '*', namespace: '*' }, { server: `!${K}`, namespace: 'kube-system' }, { server: '*', namespace: '!kube-system' }], 'default', K, undefined, true],
      [[{ server: '*', namespace: '*' }, { server: `!${K}`, namespace: 'kube-system' }, { server: '*', namespace: '!kube-system' }], 'kube-system', K, undefined, false],
      [[{ server: '*', namespace: '*' }, { server: `!${K}`, namespace: 'kube-system' }, { server: '*', namespace: '!kube-system' }], 'kube-system',
        'https://test-dev-cluster', undefined, false],
      [[{ name: 'test', namespace: '*' }, { name: '!test', namespace: '*' }], 'test', undefined, 'test', false],
    ])('%j: %s on %s/%s permitted: %s', (destinations, ns, server, name, expected) => {
      const { p } = project({ destinations, ...ANY_DESTINATION });
      expect(p.isDestinationPermitted(ns, server, name)).toBe(expected);
    });
  });

  describe('Argo CD matching', () => {
    const { p } = project({
      sourceRepos: ['https://github.com/myorg/*', 'git@github.com:myorg/infra.git'],
      destinations: [
        { server: IN_CLUSTER_SERVER, namespace: 'team-a-*' },
        { name: 'prod-eu', namespace: 'team-a' },
        { server: IN_CLUSTER_SERVER, namespace: '!team-a-system' },
      ],
      // as Argo CD reads it, the lone negation also permits 'argocd'
      allowArgoCdNamespaceDestination: { reason: 'test: negated destinations as upstream' },
      allowSystemNamespaceDestination: { reason: 'test: negated destinations as upstream' },
    });

    test.each([
      ['https://github.com/myorg/app.git', true],
      ['https://github.com/MyOrg/App', true], // normalized: case and .git do not matter
      ['https://github.com/myorg/nested/app.git', false], // '*' does not cross '/' in repo URLs
      ['https://github.com/other/app.git', false],
      ['git@github.com:myorg/infra.git', true],
      ['ssh://git@github.com/myorg/infra.git', true], // the ssh:// form of the same repository
    ])('source %s permitted: %s', (url, expected) => {
      expect(p.isSourcePermitted(url)).toBe(expected);
    });

    test.each([
      ['team-a-web', IN_CLUSTER_SERVER, undefined, true],
      ['team-a', undefined, 'prod-eu', true],
      // A negated entry matches every other namespace (as upstream): '!x' alone is permissive.
      ['team-a', IN_CLUSTER_SERVER, undefined, true],
      ['kube-system', IN_CLUSTER_SERVER, undefined, true],
      ['team-a-system', IN_CLUSTER_SERVER, undefined, false], // the negated namespace wins over 'team-a-*'
      ['team-a', 'https://other.example.com', undefined, false],
      ['team-b', undefined, 'prod-eu', false],
    ])('destination %s on %s/%s permitted: %s', (ns, server, name, expected) => {
      expect(p.isDestinationPermitted(ns, server, name)).toBe(expected);
    });
  });
});

describe('presets', () => {
  test('production follows the usual recommendations, hardened', () => {
    const chart = testChart();
    ProjectWithRoles.production(chart, 'Prod', {
      sourceRepos: ['https://github.com/myorg/gitops-config.git', 'https://github.com/myorg/helm-charts.git'],
      gitSignatureVerification: { keyIds: ['1234567890ABCDEF'] },
      timeZone: 'Europe/Berlin',
    });
    const manifests = synth(chart);
    expectValid(manifests);
    const s = findObject(manifests, 'AppProject', 'production').spec;
    expect(s.destinations).toEqual([
      { server: IN_CLUSTER_SERVER, namespace: 'production' },
      { server: IN_CLUSTER_SERVER, namespace: 'production-*' },
    ]);
    expect(s.clusterResourceWhitelist).toEqual([]);
    expect(s.namespaceResourceBlacklist).toEqual([
      { group: '', kind: 'ResourceQuota' }, { group: '', kind: 'LimitRange' }, { group: 'networking.k8s.io', kind: 'NetworkPolicy' },
    ]);
    expect(s.namespaceResourceWhitelist.length).toBeGreaterThan(0);
    expect(s.syncWindows.map((w: any) => [w.kind, w.schedule, w.duration, w.manualSync, w.timeZone])).toEqual([
      // manualSync would let manual syncs (production's only kind) run outside the window
      ['allow', '0 9 * * MON-FRI', '9h', false, 'Europe/Berlin'],
      ['deny', '0 0 * * SUN', '24h', undefined, 'Europe/Berlin'],
    ]);
    expect(s.sourceIntegrity.git.policies[0].gpg).toEqual({ mode: 'head', keys: ['1234567890ABCDEF'] });
    expect(s.roles.map((r: any) => [r.name, r.groups])).toEqual([['prod-developer', ['prod-dev-team']], ['prod-admin', ['prod-admin-team']]]);
    expect(s.roles[1].policies.some((p: string) => p.includes('exec'))).toBe(false);
  });

  test('production lists exact repositories and narrow destinations', () => {
    const gpg = { keyIds: ['1234567890ABCDEF'] };
    expect(production({ sourceRepos: ['https://github.com/myorg/*'], gitSignatureVerification: gpg })).toThrow(/sourceRepos\[0\].*exact/);
    expect(production({ sourceRepos: [REPO], gitSignatureVerification: gpg, destinations: [{ server: IN_CLUSTER_SERVER, namespace: '*' }] }))
      .toThrow(/destinations\[0\]/);
  });

  test('production requires signature verification', () => {
    expect(production({ sourceRepos: [REPO] })).toThrow(/gitSignatureVerification.*required/);
  });

  test('development: listed repos, its own namespaces, a developer role', () => {
    const chart = testChart();
    ProjectWithRoles.development(chart, 'Dev', { sourceRepos: ['https://github.com/myorg/*'] });
    const manifests = synth(chart);
    expectValid(manifests);
    const s = findObject(manifests, 'AppProject', 'development').spec;
    expect(s.sourceRepos).toEqual(['https://github.com/myorg/*']);
    expect(s.destinations.map((d: any) => d.namespace)).toEqual(['development', 'development-*']);
    expect(s.roles[0].policies).toContain('p, proj:development:developer, applications, *, development/*, allow');
    expect(s.syncWindows).toBeUndefined();
  });

  test('locked-down default project permits nothing', () => {
    const chart = testChart();
    new LockedDownDefaultProject(chart, 'Default');
    const manifests = synth(chart);
    expectValid(manifests);
    expect(findObject(manifests, 'AppProject', 'default').spec).toEqual({
      description: 'Locked down: use a dedicated project',
      sourceRepos: [],
      destinations: [],
      clusterResourceWhitelist: [],
      namespaceResourceWhitelist: [],
      clusterResourceBlacklist: [{ group: '*', kind: '*' }],
      namespaceResourceBlacklist: [{ group: '*', kind: '*' }],
    });
  });
});

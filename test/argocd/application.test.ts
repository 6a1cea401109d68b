import { App, Chart, Duration } from 'cdk8s';
import { ApplicationSource, LockedDownDefaultProject, ProjectWithRoles, PrunePropagationPolicy, ResourceKind, SecureApplication, SecureApplicationProps, SyncPolicy } from '../../src';
import { IN_CLUSTER_SERVER } from '../../src/argocd/private/names';
import { SyncWave } from '../../src/core/sync-wave';
import { expectSynthErrors, synthErrors } from '../support/errors';
import { findObject, synth, testChart } from '../support/synth';
import { expectValid } from '../support/validate';

const GIT = ApplicationSource.git({ repoUrl: 'https://github.com/myorg/gitops-config.git', revision: 'v1.2.3', path: 'apps/web' });

function setup(): { chart: Chart; project: ProjectWithRoles } {
  const chart = testChart();
  const project = new ProjectWithRoles(chart, 'Project', {
    name: 'team-a',
    sourceRepos: ['https://github.com/myorg/*', 'oci://ghcr.io/myorg/charts', 'https://charts.example.com'],
    sourceNamespaces: ['team-a-apps'],
    destinations: [
      { server: IN_CLUSTER_SERVER, namespace: 'team-a' },
      { server: IN_CLUSTER_SERVER, namespace: 'team-a-*' },
      { name: 'prod-eu', namespace: 'team-a' },
    ],
  });
  return { chart, project };
}

function app(props: Partial<SecureApplicationProps> = {}) {
  const { chart, project } = setup();
  new SecureApplication(chart, 'App', { name: 'web', project, source: GIT, destination: { namespace: 'team-a' }, ...props });
  const manifests = synth(chart);
  expectValid(manifests);
  return findObject(manifests, 'Application', 'web');
}

describe('SecureApplication', () => {
  test('defaults: manual sync, retry with backoff, resources finalizer, sync wave', () => {
    const a = app();
    expect(a.metadata.namespace).toBe('argocd');
    expect(a.metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
    expect(a.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('4');
    expect(a.spec).toEqual({
      project: 'team-a',
      source: { repoURL: 'https://github.com/myorg/gitops-config.git', targetRevision: 'v1.2.3', path: 'apps/web' },
      destination: { server: IN_CLUSTER_SERVER, namespace: 'team-a' },
      syncPolicy: { retry: { limit: 5, backoff: { duration: '5s', factor: 2, maxDuration: '3m' } } },
    });
  });

  test('development preset: automated with prune and self-heal, sync options', () => {
    const a = app({
      syncPolicy: SyncPolicy.development(),
      syncOptions: { createNamespace: false, validate: true, pruneLast: true, respectIgnoreDifferences: true, serverSideApply: true },
      ignoreDifferences: [{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] }],
      retry: { limit: 3, backoffDuration: Duration.seconds(10), backoffFactor: 3, backoffMaxDuration: Duration.minutes(5) },
      syncWave: SyncWave.NAMESPACES_AND_CRDS,
      cascadeDelete: false,
    });
    expect(a.spec.syncPolicy).toEqual({
      automated: { prune: true, selfHeal: true },
      syncOptions: ['CreateNamespace=false', 'Validate=true', 'PruneLast=true', 'RespectIgnoreDifferences=true', 'ServerSideApply=true'],
      retry: { limit: 3, backoff: { duration: '10s', factor: 3, maxDuration: '5m' } },
    });
    expect(a.metadata.finalizers).toBeUndefined();
    expect(a.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('0');
    expect(SyncPolicy.production().isAutomated).toBe(false);
  });

  test("production project: 'HEAD' with automated sync refused unless a reason is given", () => {
    const chart = testChart();
    const production = ProjectWithRoles.production(chart, 'Prod', { sourceRepos: ['https://github.com/myorg/gitops-config.git'], gitSignatureVerification: { keyIds: ['1234567890ABCDEF'] } });
    const source = ApplicationSource.git({ repoUrl: 'https://github.com/myorg/gitops-config.git', revision: 'HEAD', path: 'apps/web' });
    const base = { project: production, source, destination: { namespace: 'production' } };
    new SecureApplication(chart, 'Auto', { ...base, name: 'auto', syncPolicy: SyncPolicy.automated() });
    new SecureApplication(chart, 'Manual', { ...base, name: 'manual', syncPolicy: SyncPolicy.production() });
    new SecureApplication(chart, 'Reason', { ...base, name: 'reason', syncPolicy: SyncPolicy.automated(), floatingRevisionReason: 'preview environment' });
    expectSynthErrors(chart.node.root as App, [/test\/Auto.*source\.revision: 'HEAD' with automated sync in production project 'production'/]);
  });

  test.each(['main', 'release/1.2.3', 'stable', 'v1.2', 'v1', 'latest', 'a'.repeat(39)])(
    'production project: the branch or non-version tag %j with automated sync needs a reason', (revision) => {
      const chart = testChart();
      const production = ProjectWithRoles.production(chart, 'Prod', { sourceRepos: ['https://github.com/myorg/gitops-config.git'], gitSignatureVerification: { keyIds: ['1234567890ABCDEF'] } });
      const source = ApplicationSource.git({ repoUrl: 'https://github.com/myorg/gitops-config.git', revision, path: 'apps/web' });
      new SecureApplication(chart, 'Auto', { project: production, source, destination: { namespace: 'production' }, name: 'auto', syncPolicy: SyncPolicy.automated() });
      expectSynthErrors(chart.node.root as App, [/test\/Auto.*source\.revision: '.*' with automated sync .*pin a commit SHA or a version tag/]);
    });

  test.each(['a1'.repeat(20), 'B2'.repeat(32), 'v1.4.2', '1.4.2', '2.0.0-rc.1', 'v1.2.3+build.5', 'api-2.3.0', 'web-v1.4.2'])(
    'production project: the commit SHA or version tag %j syncs automatically without a reason', (revision) => {
      const chart = testChart();
      const production = ProjectWithRoles.production(chart, 'Prod', { sourceRepos: ['https://github.com/myorg/gitops-config.git'], gitSignatureVerification: { keyIds: ['1234567890ABCDEF'] } });
      const source = ApplicationSource.git({ repoUrl: 'https://github.com/myorg/gitops-config.git', revision, path: 'apps/web' });
      new SecureApplication(chart, 'Auto', { project: production, source, destination: { namespace: 'production' }, name: 'auto', syncPolicy: SyncPolicy.automated() });
      expect(synthErrors(chart.node.root as App)).toEqual([]);
    });

  test('production project: a ref source on a branch with automated sync needs a reason; a chart version does not', () => {
    const chart = testChart();
    const production = ProjectWithRoles.production(chart, 'Prod', {
      sourceRepos: ['https://github.com/myorg/gitops-config.git', 'https://charts.example.com'], gitSignatureVerification: { keyIds: ['1234567890ABCDEF'] },
    });
    new SecureApplication(chart, 'Auto', {
      project: production,
      destination: { namespace: 'production' },
      name: 'auto',
      syncPolicy: SyncPolicy.automated(),
      sources: [
        ApplicationSource.helm({ repoUrl: 'https://charts.example.com', chart: 'web', version: '1.2.3', valueFiles: ['$values/web.yaml'] }),
        ApplicationSource.ref('values', { repoUrl: 'https://github.com/myorg/gitops-config.git', revision: 'main' }),
      ],
    });
    expect(synthErrors(chart.node.root as App).filter((e) => e.includes('.revision'))).toEqual([expect.stringMatching(/test\/Auto.*sources\[1\]\.revision: 'main' with automated sync/)]);
  });

  describe('sources Argo CD does not verify, in a project that verifies commit signatures', () => {
    const GITOPS = 'https://github.com/myorg/gitops-config.git';
    const CHARTS = 'https://charts.example.com';
    function errorsFor(props: Partial<SecureApplicationProps>, verify = true): { errors: string[]; chart: Chart } {
      const chart = testChart();
      const project = new ProjectWithRoles(chart, 'Proj', {
        name: 'signed',
        sourceRepos: [GITOPS, CHARTS, 'https://github.com/myorg/values.git', 'oci://registry.example.com/charts/web'],
        destinations: [{ server: IN_CLUSTER_SERVER, namespace: 'signed' }],
        gitSignatureVerification: verify ? { keyIds: ['1234567890ABCDEF'] } : undefined,
      });
      new SecureApplication(chart, 'App', { name: 'app', project, destination: { namespace: 'signed' }, ...props } as SecureApplicationProps);
      return { errors: synthErrors(chart.node.root as App), chart };
    }
    const chartSource = ApplicationSource.helm({ repoUrl: CHARTS, chart: 'web', version: '1.2.3' });

    test('a Helm chart source is refused without unverifiedSourcesReason; the reason is recorded', () => {
      expect(errorsFor({ source: chartSource }).errors)
        .toEqual([expect.stringMatching(/test\/App.*source: 'https:\/\/charts\.example\.com' is a Helm chart source, and project 'signed' verifies .*helmFromGit.*unverifiedSourcesReason/)]);
      const { errors, chart } = errorsFor({ source: chartSource, unverifiedSourcesReason: 'vendor chart, digest reviewed' });
      expect(errors).toEqual([]);
      expect(findObject(synth(chart), 'Application', 'app').metadata.annotations['policy.cdk8s-secure-argo.io/accepted-risks'])
        .toBe('unverifiedSourcesReason: vendor chart, digest reviewed');
      expect(errorsFor({ source: chartSource, unverifiedSourcesReason: 'a\u2028b' }).errors)
        .toEqual([expect.stringMatching(/unverifiedSourcesReason: .*say in one line why these sources may be deployed without signature verification/)]);
    });

    test('an OCI source is refused; without verification neither is', () => {
      const oci = ApplicationSource.git({ repoUrl: 'oci://registry.example.com/charts/web', revision: '1.2.3', path: '.' });
      expect(errorsFor({ source: oci }).errors).toEqual([expect.stringMatching(/source: 'oci:.*' is an OCI source/)]);
      expect(errorsFor({ source: oci }, false).errors).toEqual([]);
      expect(errorsFor({ source: chartSource }, false).errors).toEqual([]);
    });

    test('a ref source of another repository is refused; of the reading source\'s own repository it is verified with it', () => {
      const helmFromGit = ApplicationSource.helmFromGit({ repoUrl: GITOPS, revision: 'v1.0.0', path: 'charts/web', valueFiles: ['$values/web.yaml'] });
      const other = ApplicationSource.ref('values', { repoUrl: 'https://github.com/myorg/values.git', revision: 'v1.0.0' });
      expect(errorsFor({ sources: [helmFromGit, other] }).errors)
        .toEqual([expect.stringMatching(/sources\[1\]: ref source 'values' from 'https:\/\/github\.com\/myorg\/values\.git' is read by sources\[0\] from another repository/)]);
      const same = ApplicationSource.ref('values', { repoUrl: 'https://github.com/myorg/gitops-config', revision: 'v1.0.0' });
      expect(errorsFor({ sources: [helmFromGit, same] }).errors).toEqual([]);
      expect(errorsFor({ sources: [helmFromGit, other], unverifiedSourcesReason: 'values repo has branch protection' }).errors).toEqual([]);
    });
  });

  test.each(['\n', '\u2028', '\u0085'])('floatingRevisionReason with %j is refused; a reason is recorded as an accepted risk', (ch) => {
    const chart = testChart();
    const production = ProjectWithRoles.production(chart, 'Prod', { sourceRepos: ['https://github.com/myorg/gitops-config.git'], gitSignatureVerification: { keyIds: ['1234567890ABCDEF'] } });
    const source = ApplicationSource.git({ repoUrl: 'https://github.com/myorg/gitops-config.git', revision: 'HEAD', path: 'apps/web' });
    const base = { project: production, source, destination: { namespace: 'production' }, syncPolicy: SyncPolicy.automated() };
    new SecureApplication(chart, 'Bad', { ...base, name: 'bad', floatingRevisionReason: `preview${ch}policy.default: role:admin` });
    expectSynthErrors(chart.node.root as App, [/test\/Bad.*floatingRevisionReason: .*say in one line why production may follow a moving revision/]);

    const ok = testChart();
    const okProject = ProjectWithRoles.production(ok, 'Prod', { sourceRepos: ['https://github.com/myorg/gitops-config.git'], gitSignatureVerification: { keyIds: ['1234567890ABCDEF'] } });
    new SecureApplication(ok, 'Ok', { ...base, project: okProject, name: 'ok', floatingRevisionReason: 'preview environment' });
    const application = findObject(synth(ok), 'Application', 'ok');
    expect(application.metadata.annotations['policy.cdk8s-secure-argo.io/accepted-risks']).toBe('floatingRevisionReason: preview environment');
  });

  test('every sync option Argo CD v3.5 reads; any integer sync wave', () => {
    const a = app({
      syncOptions: {
        replace: true,
        applyOutOfSyncOnly: true,
        prunePropagationPolicy: PrunePropagationPolicy.ORPHAN,
        failOnSharedResource: true,
        skipDryRunOnMissingResource: true,
      },
      syncWave: -5,
    });
    expect(a.spec.syncPolicy.syncOptions).toEqual([
      'Replace=true', 'ApplyOutOfSyncOnly=true', 'PrunePropagationPolicy=orphan', 'FailOnSharedResource=true', 'SkipDryRunOnMissingResource=true',
    ]);
    expect(a.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-5');
    expect(app({ syncWave: 12 }).metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('12');
    expect(() => app({ syncWave: 1.5 })).toThrow(/syncWave: 1\.5 is not a whole number/);
  });

  test('Helm, Kustomize and plugin sources', () => {
    expect(app({ source: ApplicationSource.helm({ repoUrl: 'https://charts.example.com', chart: 'web', version: '1.4.2', values: { replicas: 2, image: { tag: '1.0' } } }) }).spec.source).toEqual({
      repoURL: 'https://charts.example.com',
      chart: 'web',
      targetRevision: '1.4.2',
      helm: { values: 'image:\n  tag: "1.0"\nreplicas: 2\n' },
    });
    expect(app({ source: ApplicationSource.kustomize({ repoUrl: 'https://github.com/myorg/k.git', revision: 'main', path: 'overlays/dev', namePrefix: 'dev-', images: ['ghcr.io/myorg/web:1.0@sha256:3f1e9c0d2b7a4e6f8c5d1a0b9e2f7c4d6a8b1e3f5c7d9a0b2e4f6c8d0a1b3e5f'] }) }).spec.source.kustomize)
      .toEqual({ namePrefix: 'dev-', images: ['ghcr.io/myorg/web:1.0@sha256:3f1e9c0d2b7a4e6f8c5d1a0b9e2f7c4d6a8b1e3f5c7d9a0b2e4f6c8d0a1b3e5f'] });
    expect(app({ source: ApplicationSource.plugin({ repoUrl: 'https://github.com/myorg/p.git', revision: 'main', path: '.', name: 'cue', env: { B: '2', A: '1' } }) }).spec.source.plugin)
      .toEqual({ name: 'cue', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] });
  });

  test('a destination by cluster name and an Application in a source namespace', () => {
    const a = app({ namespace: 'team-a-apps', destination: { name: 'prod-eu', namespace: 'team-a' } });
    expect(a.metadata.namespace).toBe('team-a-apps');
    expect(a.spec.destination).toEqual({ name: 'prod-eu', namespace: 'team-a' });
    // the local cluster is known as in-cluster too
    expect(app({ destination: { name: 'in-cluster', namespace: 'team-a-web' } }).spec.destination.name).toBe('in-cluster');
  });

  test.each([
    ['https://github.com/other/repo.git', /source.repoUrl.*does not permit/],
    ['https://github.com/myorg/group/nested.git', /source.repoUrl.*does not permit/],
    ['github.com/myorg/repo', /source.repoUrl.*not a repository URL/],
    ['https://github.com/myorg/*', /source.repoUrl.*pattern/],
  ])('a repository the project does not permit is rejected: %s', (repoUrl, message) => {
    expect(() => app({ source: ApplicationSource.git({ repoUrl, revision: 'main', path: '.' }) })).toThrow(message);
  });

  test("with allowAnySourceRepo, a '!' entry next to '*' denies that repository", () => {
    const setupOpen = () => {
      const chart = testChart();
      const project = new ProjectWithRoles(chart, 'Project', {
        name: 'open',
        sourceRepos: ['*', '!https://github.com/myorg/forbidden.git'],
        allowAnySourceRepo: { reason: 'test repositories' },
        destinations: [{ server: IN_CLUSTER_SERVER, namespace: 'open' }],
      });
      return { chart, project };
    };
    const source = (repoUrl: string) => ApplicationSource.git({ repoUrl, revision: 'main', path: '.' });
    const bad = setupOpen();
    new SecureApplication(bad.chart, 'Bad', { name: 'bad', project: bad.project, source: source('https://github.com/myorg/forbidden.git'), destination: { namespace: 'open' } });
    expect(() => synth(bad.chart)).toThrow(/source.repoUrl.*does not permit/);
    const good = setupOpen();
    new SecureApplication(good.chart, 'Good', { name: 'good', project: good.project, source: source('https://github.com/other/app.git'), destination: { namespace: 'open' } });
    expectValid(synth(good.chart));
  });

  test.each([
    [{ namespace: 'kube-system' }, /destination.*does not permit namespace 'kube-system'/],
    [{ server: 'https://other.example.com', namespace: 'team-a' }, /destination.*does not permit/],
    [{ name: 'prod-us', namespace: 'team-a' }, /destination.*cluster 'prod-us'/],
    [{ name: 'prod-eu', namespace: 'team-a-web' }, /destination.*does not permit/],
    [{ namespace: 'Team_A' }, /destination.namespace/],
    [{ server: 'http://10.0.0.1', namespace: 'team-a' }, /destination.server/],
    [{ server: IN_CLUSTER_SERVER, name: 'in-cluster', namespace: 'team-a' }, /server or name/],
  ])('a destination the project does not permit is rejected: %j', (destination, message) => {
    expect(() => app({ destination })).toThrow(message);
  });

  test('CreateNamespace needs the Namespace in the project cluster whitelist', () => {
    expect(() => app({ syncOptions: { createNamespace: true } })).toThrow(/syncOptions.createNamespace.*Namespace 'team-a'/);
    const make = (ns: string) => {
      const chart = testChart();
      const project = new ProjectWithRoles(chart, 'P', {
        name: 'p',
        sourceRepos: ['https://github.com/myorg/*'],
        destinations: [{ server: IN_CLUSTER_SERVER, namespace: 'p-*' }],
        clusterResourceWhitelist: [ResourceKind.NAMESPACE.named('p-*')],
        allowClusterControlResources: { reason: 'Applications create their namespaces' },
        clusterResourceBlacklist: [ResourceKind.NAMESPACE.named('p-system')],
      });
      new SecureApplication(chart, ns, { name: ns, project, source: GIT, destination: { namespace: ns }, syncOptions: { createNamespace: true } });
      return () => synth(chart);
    };
    expect(make('p-web')).not.toThrow();
    expect(make('p-system')).toThrow(/createNamespace/);
  });

  test('project checks run at synth, not at construction', () => {
    const { chart, project } = setup();
    expect(() => new SecureApplication(chart, 'App', { name: 'web', project, source: GIT, destination: { namespace: 'kube-system' } })).not.toThrow();
    expect(() => synth(chart)).toThrow(/destination: project 'team-a' does not permit namespace 'kube-system'/);
  });

  test('every project problem of every Application is reported in one synth', () => {
    const { chart, project } = setup();
    new SecureApplication(chart, 'A', { name: 'a', project, source: GIT, destination: { namespace: 'kube-system' } });
    new SecureApplication(chart, 'B', {
      name: 'b',
      project,
      namespace: 'elsewhere',
      destination: { namespace: 'team-a' },
      source: ApplicationSource.git({ repoUrl: 'https://github.com/other/app.git', revision: 'main', path: '.' }),
    });
    let message = '';
    try {
      synth(chart);
    } catch (e) {
      message = String(e);
    }
    expect(message).toMatch(/\[test\/A\] SecureApplication 'test\/A': destination: project 'team-a' does not permit namespace 'kube-system'/);
    expect(message).toMatch(/\[test\/B\] SecureApplication 'test\/B': namespace: project 'team-a' does not allow Applications in namespace 'elsewhere'/);
    expect(message).toMatch(/\[test\/B\] SecureApplication 'test\/B': source.repoUrl: project 'team-a' does not permit 'https:\/\/github.com\/other\/app.git'/);
  });

  test('a project that lives elsewhere is named, not checked', () => {
    const chart = testChart();
    const project = ProjectWithRoles.fromProjectName(chart, 'Shared', 'shared-apps');
    expect(project.projectName).toBe('shared-apps');
    expect(project.namespace).toBe('argocd');
    new SecureApplication(chart, 'App', {
      name: 'web',
      project,
      source: GIT,
      destination: { server: 'https://prod.example.com', namespace: 'anything' },
      syncOptions: { createNamespace: true },
    });
    const manifests = synth(chart);
    expectValid(manifests);
    const a = findObject(manifests, 'Application', 'web');
    expect(a.spec.project).toBe('shared-apps');
    expect(a.metadata.namespace).toBe('argocd');
    expect(() => ProjectWithRoles.fromProjectName(testChart(), 'Bad', 'Not A Name')).toThrow(/name: 'Not A Name' is not a DNS-1123 subdomain/);
  });

  test('the locked-down default project permits nothing', () => {
    const chart = testChart();
    const project = new LockedDownDefaultProject(chart, 'Default');
    new SecureApplication(chart, 'App', { name: 'web', project, source: GIT, destination: { namespace: 'team-a' } });
    expect(() => synth(chart)).toThrow(/source.repoUrl: project 'default' does not permit[\s\S]*destination: project 'default' does not permit/);
  });

  test('the project must be an AppProject construct', () => {
    expect(() => new SecureApplication(testChart(), 'App', { name: 'web', project: { projectName: 'x' } as any, source: GIT, destination: { namespace: 'x' } }))
      .toThrow(/project: is not an AppProject/);
  });

  test('invalid namespace, revision, path, chart version, retry', () => {
    expect(() => app({ namespace: 'elsewhere' })).toThrow(/namespace.*sourceNamespaces/);
    expect(() => app({ source: ApplicationSource.git({ repoUrl: 'https://github.com/myorg/a.git', revision: 'main; rm -rf', path: '.' }) })).toThrow(/source.revision/);
    expect(() => app({ source: ApplicationSource.git({ repoUrl: 'https://github.com/myorg/a.git', revision: 'main', path: '../other' }) })).toThrow(/source.path/);
    expect(() => app({ source: ApplicationSource.helm({ repoUrl: 'https://charts.example.com', chart: 'web', version: '^1.0' }) })).toThrow(/source.version.*exact/);
    expect(() => app({ retry: { limit: -1 } })).toThrow(/retry.limit/);
    expect(() => app({ retry: { limit: 1, backoffDuration: Duration.millis(1500) } })).toThrow(/retry.backoffDuration/);
    expect(() => app({ retry: { limit: 1, backoffDuration: Duration.minutes(5), backoffMaxDuration: Duration.minutes(1) } })).toThrow(/retry.backoffMaxDuration/);
    expect(() => app({ source: ApplicationSource.plugin({ repoUrl: 'https://github.com/myorg/p.git', revision: 'main', path: '.', env: { 'BAD-NAME': 'x' } }) })).toThrow(/source\.env: 'BAD-NAME' is not an environment variable name/);
  });
});

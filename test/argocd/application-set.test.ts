import { App, Chart } from 'cdk8s';
import { ApplicationSetGenerator, ApplicationSource, ProjectWithRoles, SecureApplicationSet, SecureApplicationSetProps, SyncPolicy } from '../../src';
import { IN_CLUSTER_SERVER } from '../../src/argocd/private/names';
import { expectSynthErrors } from '../support/errors';
import { findObject, synth, testChart } from '../support/synth';
import { expectValid } from '../support/validate';

const REPO = 'https://github.com/myorg/gitops-config.git';
const CHARTS = 'https://github.com/myorg/charts.git';
const DIRS = ApplicationSetGenerator.gitDirectories({ repoUrl: REPO, revision: 'v1.0.0', include: ['apps/*'] });

function props(overrides: Partial<SecureApplicationSetProps>, teamProject: ProjectWithRoles): SecureApplicationSetProps {
  return {
    name: 'apps',
    project: teamProject,
    generator: DIRS,
    applicationName: '{{.path.basename}}',
    source: ApplicationSource.git({ repoUrl: REPO, revision: 'v1.0.0', path: '{{.path.path}}' }),
    destination: { namespace: '{{.path.basename}}' },
    ...overrides,
  };
}

function project(chart: Chart): ProjectWithRoles {
  return new ProjectWithRoles(chart, 'Project', {
    name: 'team-a',
    sourceRepos: ['https://github.com/myorg/*', 'https://charts.example.com'],
    destinations: [{ server: IN_CLUSTER_SERVER, namespace: '*' }],
    // the generators choose namespaces at run time, Argo CD's among them
    allowArgoCdNamespaceDestination: { reason: 'test: generated namespaces' },
    allowSystemNamespaceDestination: { reason: 'test: generated namespaces' },
  });
}

function appSet(overrides: Partial<SecureApplicationSetProps> = {}) {
  const chart = testChart();
  new SecureApplicationSet(chart, 'Set', props(overrides, project(chart)));
  const manifests = synth(chart);
  expectValid(manifests);
  return findObject(manifests, 'ApplicationSet', 'apps');
}

function errors(overrides: Partial<SecureApplicationSetProps>, expected: RegExp[]) {
  const chart = testChart();
  new SecureApplicationSet(chart, 'Set', props(overrides, project(chart)));
  expectSynthErrors(chart.node.root as App, expected);
}

describe('SecureApplicationSet', () => {
  test('defaults: fixed project, Go templates with missingkey=error, resources kept on deletion, manual sync', () => {
    const s = appSet();
    expect(s.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('4');
    expect(s.spec.goTemplate).toBe(true);
    expect(s.spec.goTemplateOptions).toEqual(['missingkey=error']);
    expect(s.spec.syncPolicy).toEqual({ preserveResourcesOnDeletion: true });
    expect(s.spec.strategy).toBeUndefined();
    expect(s.spec.generators).toEqual([{ git: { repoURL: REPO, revision: 'v1.0.0', directories: [{ path: 'apps/*' }] } }]);
    expect(s.spec.template.metadata.finalizers).toBeUndefined();
    expect(s.spec.template.spec).toMatchObject({
      project: 'team-a',
      source: { repoURL: REPO, targetRevision: 'v1.0.0', path: '{{.path.path}}' },
      destination: { server: IN_CLUSTER_SERVER, namespace: '{{.path.basename}}' },
    });
    expect(s.spec.template.spec.syncPolicy.automated).toBeUndefined();
  });

  test('generators: list, clusters, Git files, matrix', () => {
    const s = appSet({
      generator: ApplicationSetGenerator.matrix(
        ApplicationSetGenerator.clusters({ matchLabels: { env: 'prod' } }),
        ApplicationSetGenerator.list({ elements: [{ team: 'a' }] }),
      ),
      applicationName: '{{.nameNormalized}}-{{.team}}',
      source: ApplicationSource.git({ repoUrl: REPO, revision: 'v1.0.0', path: 'teams/{{.team}}' }),
      destination: { server: '{{.server}}', namespace: 'team-{{.team}}' },
      syncPolicy: SyncPolicy.automated(),
    });
    expect(s.spec.generators).toEqual([{
      matrix: {
        generators: [
          { clusters: { selector: { matchLabels: { env: 'prod' } } } },
          { list: { elements: [{ team: 'a' }] } },
        ],
      },
    }]);
    const files = appSet({ generator: ApplicationSetGenerator.gitFiles({ repoUrl: REPO, revision: 'main', paths: ['clusters/*/config.json'] }), applicationName: '{{.cluster.name}}' });
    expect(files.spec.generators[0].git.files).toEqual([{ path: 'clusters/*/config.json' }]);
  });

  test('progressive sync: RollingSync steps on a label the Applications carry', () => {
    const s = appSet({
      labels: { ring: '{{.path.basename}}' },
      progressiveSync: [{ labelKey: 'ring', values: ['canary'] }, { labelKey: 'ring', values: ['main'], maxUpdate: 2 }],
    });
    expect(s.spec.strategy).toEqual({
      type: 'RollingSync',
      rollingSync: {
        steps: [
          { matchExpressions: [{ key: 'ring', operator: 'In', values: ['canary'] }] },
          { matchExpressions: [{ key: 'ring', operator: 'In', values: ['main'] }], maxUpdate: 2 },
        ],
      },
    });
    expect(s.spec.template.metadata.labels.ring).toBe('{{.path.basename}}');
  });

  test('preserveResourcesOnDeletion: false puts the resources finalizer on the Applications', () => {
    const s = appSet({ preserveResourcesOnDeletion: false });
    expect(s.spec.syncPolicy).toEqual({ preserveResourcesOnDeletion: false });
    expect(s.spec.template.metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
  });

  test('one synth lists every problem: templated repo and revision, unknown parameters, a fixed name, bad steps', () => {
    errors({
      applicationName: 'fixed',
      source: ApplicationSource.git({ repoUrl: '{{.repo}}', revision: '{{.rev}}', path: '../{{.path.path}}' }),
      destination: { namespace: '{{.namespace}}' },
      labels: { ring: 'a' },
      progressiveSync: [{ labelKey: 'tier', values: [] }],
    }, [
      /applicationName: is not templated/,
      /source\.repoUrl: .*is a template: give a fixed value/,
      /source\.revision: .*is a template/,
      /source\.path: .*not a relative path/,
      /destination\.namespace: .*names the parameter '\.namespace', which the generator does not produce \(\.path, \.values\)/,
      /progressiveSync\[0\]\.labelKey: 'tier' is not one of the Applications' labels/,
      /progressiveSync\[0\]\.values: is empty/,
    ]);
  });

  test('generator problems carry the generator property; a nested matrix is refused', () => {
    const inner = ApplicationSetGenerator.matrix(ApplicationSetGenerator.list({ elements: [{ a: '1' }] }), ApplicationSetGenerator.clusters());
    errors({ generator: ApplicationSetGenerator.matrix(inner, DIRS), applicationName: '{{.a}}' }, [/generator\.matrix: nests a matrix/]);
    errors({
      generator: ApplicationSetGenerator.gitDirectories({ repoUrl: 'http://insecure.example.com/x.git', revision: 'a..b', include: ['/abs'] }),
    }, [/generator\.repoUrl: .*(https|project)/, /generator\.revision: .*not a Git revision/, /generator\.include: .*not a relative path/]);
  });

  test('the project must permit the repositories and the namespace', () => {
    errors({
      source: ApplicationSource.git({ repoUrl: 'https://gitlab.com/other/repo.git', revision: 'v1', path: '{{.path.path}}' }),
      namespace: 'elsewhere',
    }, [/source\.repoUrl: project 'team-a' does not permit 'https:\/\/gitlab\.com\/other\/repo\.git'/, /namespace: project 'team-a' does not allow Applications in namespace 'elsewhere'/]);
  });

  test('sources: a Helm chart from Git with templated valueFiles from a ref source, strictly valid', () => {
    const s = appSet({
      source: undefined,
      sources: [
        ApplicationSource.helmFromGit({ repoUrl: CHARTS, revision: 'v1.4.0', path: 'charts/{{.path.basename}}', valueFiles: ['$values/envs/{{.path.basename}}.yaml'] }),
        ApplicationSource.ref('values', { repoUrl: REPO, revision: 'v1.0.0' }),
      ],
    });
    expect(s.spec.template.spec.source).toBeUndefined();
    expect(s.spec.template.spec.sources).toEqual([
      { repoURL: CHARTS, targetRevision: 'v1.4.0', path: 'charts/{{.path.basename}}', helm: { valueFiles: ['$values/envs/{{.path.basename}}.yaml'] } },
      { repoURL: REPO, targetRevision: 'v1.0.0', ref: 'values' },
    ]);
    const helm = appSet({ source: ApplicationSource.helm({ repoUrl: 'https://charts.example.com', chart: 'web', version: '1.2.3', releaseName: 'web' }) });
    expect(helm.spec.template.spec.source).toEqual({ repoURL: 'https://charts.example.com', chart: 'web', targetRevision: '1.2.3', helm: { releaseName: 'web' } });
  });

  test('sources: only path and valueFiles may use parameters; the source checks of SecureApplication apply', () => {
    errors({
      source: undefined,
      sources: [
        ApplicationSource.helmFromGit({
          repoUrl: CHARTS,
          revision: 'v1.4.0',
          path: 'charts/{{.team}}',
          releaseName: '{{.path.basename}}',
          values: { image: { tag: '{{.path.basename}}' } },
          parameters: [{ name: 'replicas', value: '{{.path.basename}}' }, { name: 'image.tag', value: 'v1\\\\,hostNetwork=true' }],
          valueFiles: ['$values/{{.path.path}}/values.yaml', '$missing/values.yaml', '/etc/{{.path.basename}}.yaml'],
        }),
        ApplicationSource.kustomize({ repoUrl: REPO, revision: 'v1.0.0', path: 'base', images: ['app={{.path.basename}}'] }),
        ApplicationSource.ref('values', { repoUrl: REPO, revision: 'v1.0.0' }),
        ApplicationSource.ref('unused', { repoUrl: 'https://gitlab.com/other/values.git', revision: 'v1' }),
      ],
    }, [
      /sources\[0\]\.path: 'charts\/\{\{\.team\}\}' names the parameter '\.team', which the generator does not produce/,
      /sources\[0\]\.releaseName: .*is a template: give a fixed value/,
      /sources\[0\]\.values\.image\.tag: .*is a template: give a fixed value/,
      /sources\[0\]\.parameters\[0\]\.value: .*is a template: give a fixed value/,
      /sources\[0\]\.parameters\[1\]\.value: .*contains '\\', which Helm reads as an escape/,
      /sources\[0\]\.valueFiles\[1\]: reads '\$missing\/', but no ref source of this Application is named 'missing'/,
      /sources\[0\]\.valueFiles\[2\]: .*not a values file path/,
      /sources\[1\]\.images\[0\]: .*is a template: give a fixed value/,
      /sources\[3\]\.ref: 'unused' is read by no valueFiles entry/,
      /sources\[3\]\.repoUrl: project 'team-a' does not permit 'https:\/\/gitlab\.com\/other\/values\.git'/,
    ]);
    const chart = testChart();
    const teamProject = project(chart);
    expect(() => new SecureApplicationSet(chart, 'Set', props({ sources: [ApplicationSource.ref('values', { repoUrl: REPO, revision: 'v1.0.0' })] }, teamProject)))
      .toThrow(/sources: is set together with source/);
    expect(() => new SecureApplicationSet(chart, 'Set2', props({ source: undefined }, teamProject))).toThrow(/source: is required/);
  });

  test('brand check', () => {
    const chart = testChart();
    const s = new SecureApplicationSet(chart, 'Set', props({}, project(chart)));
    expect(SecureApplicationSet.isSecureApplicationSet(s)).toBe(true);
    expect(SecureApplicationSet.isSecureApplicationSet(chart)).toBe(false);
  });

  test("production project: 'HEAD' with automated sync refused unless a reason is given, which is recorded", () => {
    const chart = testChart();
    const production = ProjectWithRoles.production(chart, 'Prod', { sourceRepos: [REPO], gitSignatureVerification: { keyIds: ['1234567890ABCDEF'] } });
    const base = { ...props({}, production), source: ApplicationSource.git({ repoUrl: REPO, revision: 'HEAD', path: '{{.path.path}}' }), destination: { namespace: 'production' } };
    new SecureApplicationSet(chart, 'Auto', { ...base, name: 'auto', syncPolicy: SyncPolicy.automated() });
    new SecureApplicationSet(chart, 'Manual', { ...base, name: 'manual', syncPolicy: SyncPolicy.production() });
    new SecureApplicationSet(chart, 'Reason', { ...base, name: 'reason', syncPolicy: SyncPolicy.automated(), floatingRevisionReason: 'preview fleet' });
    expectSynthErrors(chart.node.root as App, [/test\/Auto.*source\.revision: 'HEAD' with automated sync in production project 'production'/]);
  });

  test('production project: a branch with automated sync needs a reason; a version tag does not', () => {
    const chart = testChart();
    const production = ProjectWithRoles.production(chart, 'Prod', { sourceRepos: [REPO], gitSignatureVerification: { keyIds: ['1234567890ABCDEF'] } });
    const base = { ...props({}, production), destination: { namespace: 'production' }, syncPolicy: SyncPolicy.automated() };
    new SecureApplicationSet(chart, 'Branch', { ...base, name: 'branch', source: ApplicationSource.git({ repoUrl: REPO, revision: 'main', path: '{{.path.path}}' }) });
    new SecureApplicationSet(chart, 'Tag', { ...base, name: 'tag', source: ApplicationSource.git({ repoUrl: REPO, revision: 'v2.0.0', path: '{{.path.path}}' }) });
    expectSynthErrors(chart.node.root as App, [/test\/Branch.*source\.revision: 'main' with automated sync in production project 'production'/]);
  });

  test('a Helm chart source in a project that verifies commit signatures needs unverifiedSourcesReason', () => {
    const chart = testChart();
    const production = ProjectWithRoles.production(chart, 'Prod', { sourceRepos: [REPO, 'https://charts.example.com'], gitSignatureVerification: { keyIds: ['1234567890ABCDEF'] } });
    const base = { ...props({}, production), destination: { namespace: 'production' }, source: ApplicationSource.helm({ repoUrl: 'https://charts.example.com', chart: 'web', version: '1.2.3' }) };
    new SecureApplicationSet(chart, 'Chart', { ...base, name: 'chart' });
    new SecureApplicationSet(chart, 'Reason', { ...base, name: 'reason', unverifiedSourcesReason: 'vendor chart' });
    expectSynthErrors(chart.node.root as App, [/test\/Chart.*source: 'https:\/\/charts\.example\.com' is a Helm chart source, and project 'production' verifies/]);
  });
});

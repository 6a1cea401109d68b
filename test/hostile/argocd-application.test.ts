// Hostile input through every string and list prop of SecureApplication and its sources: each
// value is refused (construct path, property, fix) or reaches the Application meaning exactly
// what was asked, as go-yaml (YAML 1.1) reads the manifest and the embedded Helm values, and as
// git reads the revision (never as an option).
import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { expectUsefulRefusal, hostileText, hostileUrl, readAsGoYaml, readGoYamlDocs, RUNS, synthProblems } from './readers';
import { ApplicationSource, IgnoreDifference, ProjectWithRoles, SecureApplication } from '../../src';

const IN_CLUSTER = 'https://kubernetes.default.svc';
const REPO = 'https://github.com/my-org/app.git';
const CHARTS = 'https://charts.example.com';

const hostileName = fc.oneof(hostileText, fc.constantFrom('web', 'web-*', 'a/b', '-x', 'A', 'a'.repeat(300), '$values', '..', '.'));
/** Revisions: git ref names, option-like and malformed ones. */
const hostileRevision = fc.oneof(hostileText, fc.constantFrom(
  'main', 'v1.0.0', 'v1.0.0+build.1', 'user@feature', 'release/1.x', '-x', '--upload-pack=touch /tmp/pwned', '-', 'a..b', 'a//b', '/main', 'main/',
  '.hidden', 'a/.b', 'main.lock', 'a.', '@', 'HEAD', '0123456789abcdef0123456789abcdef01234567', 'a@{1}', 'a~1', 'a^', 'a:b',
));
const hostileRepo = fc.oneof(hostileUrl, hostileText, fc.constantFrom(REPO, 'https://github.com/my-org/*', 'git@github.com:my-org/app.git', '-https://x', 'https://github.com/my-org/app.git\n'));
const hostilePath = fc.oneof(hostileText, fc.constantFrom('apps/web', 'my app/base', 'c++/base', '../secrets', '/etc', 'apps/../..', '.', 'a\\b', '-x'));

interface AppProps {
  readonly source?: ApplicationSource;
  readonly sources?: ApplicationSource[];
  readonly ignoreDifferences?: IgnoreDifference[];
  readonly name?: string;
  readonly destinationNamespace?: string;
}

interface Field {
  readonly property: string;
  readonly values: fc.Arbitrary<string>;
  /** The Application's props for the value (project and destination are added). */
  readonly source: (v: string) => AppProps;
  /** Where the value lands in the Application (as go-yaml reads it). */
  readonly read: (app: any) => unknown;
  /** What the value's reader additionally requires of an accepted value. */
  readonly valid?: (v: string) => boolean;
  /** The output field the value lands in, as the output floor names it. */
  readonly output?: string;
}

const git = (extra: object = {}) => ApplicationSource.git({ repoUrl: REPO, revision: 'v1.0.0', path: 'apps/web', ...extra });
const helm = (extra: object = {}) => ApplicationSource.helm({ repoUrl: CHARTS, chart: 'web', version: '1.2.3', ...extra });
const src = (a: any) => a.spec.source;
const NOT_AN_OPTION = (v: string) => !v.startsWith('-');
const DIGEST = 'sha256:3f1e9c0d2b7a4e6f8c5d1a0b9e2f7c4d6a8b1e3f5c7d9a0b2e4f6c8d0a1b3e5f';

const FIELDS: Field[] = [
  { property: 'name', values: hostileName, source: (v) => ({ name: v, source: git() }), read: (a) => a.metadata.name, valid: (v) => /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(v) },
  { property: 'source.repoUrl', values: hostileRepo, source: (v) => ({ source: git({ repoUrl: v }) }), read: (a) => src(a).repoURL, valid: NOT_AN_OPTION },
  { property: 'source.revision', values: hostileRevision, source: (v) => ({ source: git({ revision: v }) }), read: (a) => src(a).targetRevision, valid: (v) => gitRefOrSha(v) },
  { property: 'source.path', values: hostilePath, source: (v) => ({ source: git({ path: v }) }), read: (a) => src(a).path, valid: (v) => !v.startsWith('/') && !v.split('/').includes('..') },
  { property: 'source.chart', values: hostileName, source: (v) => ({ source: helm({ chart: v }) }), read: (a) => src(a).chart, valid: NOT_AN_OPTION },
  { property: 'source.version', values: fc.oneof(hostileText, fc.constantFrom('1.2.3', 'v1.2.3', '^1.2', '*', '-1.2.3', '1.2.3+meta', '1.2.3-rc.1')), source: (v) => ({ source: helm({ version: v }) }), read: (a) => src(a).targetRevision, valid: NOT_AN_OPTION },
  { property: 'source.releaseName', values: hostileName, source: (v) => ({ source: helm({ releaseName: v }) }), read: (a) => src(a).helm.releaseName },
  { property: 'source.valueFiles[0]', values: hostilePath, source: (v) => ({ source: helm({ valueFiles: [v] }) }), read: (a) => src(a).helm.valueFiles[0] },
  { property: 'source.parameters[0].name', values: hostileName, source: (v) => ({ source: helm({ parameters: [{ name: v, value: 'x' }] }) }), read: (a) => src(a).helm.parameters[0].name },
  { property: 'source.parameters[0].value', values: hostileText, source: (v) => ({ source: helm({ parameters: [{ name: 'image.tag', value: v }] }) }), read: (a) => src(a).helm.parameters[0].value, output: 'spec.source.helm.parameters[0].value' },
  { property: 'source.values', values: hostileText, source: (v) => ({ source: helm({ values: { image: { tag: v } } }) }), read: (a) => (readAsGoYaml(src(a).helm.values) as any)?.image?.tag },
  { property: 'source.values', values: hostileText, source: (v) => ({ source: helm({ values: { [v]: 'x' } }) }), read: (a) => Object.keys(readAsGoYaml(src(a).helm.values) as any)[0] },
  { property: 'source.namePrefix', values: hostileName, source: (v) => ({ source: ApplicationSource.kustomize({ repoUrl: REPO, revision: 'v1.0.0', path: 'apps/web', namePrefix: v }) }), read: (a) => src(a).kustomize.namePrefix },
  {
    property: 'source.images[0]',
    values: fc.oneof(hostileText, fc.constantFrom(`nginx@${DIGEST}`, 'nginx:1.27', `nginx=ghcr.io/x/nginx@${DIGEST}`, 'nginx', `nginx@sha256:${'0'.repeat(64)}`, `nginx@sha256:${'a'.repeat(64)}`)),
    source: (v) => ({ source: ApplicationSource.kustomize({ repoUrl: REPO, revision: 'v1.0.0', path: 'apps/web', images: [v] }) }),
    read: (a) => src(a).kustomize.images[0],
    // Kustomize image overrides must stay pinned.
    valid: (v) => /@sha256:[0-9a-f]{64}$/.test(v),
  },
  { property: 'source.name', values: hostileName, source: (v) => ({ source: ApplicationSource.plugin({ repoUrl: REPO, revision: 'v1.0.0', path: 'apps/web', name: v }) }), read: (a) => src(a).plugin.name },
  { property: 'source.env', values: hostileText, source: (v) => ({ source: ApplicationSource.plugin({ repoUrl: REPO, revision: 'v1.0.0', path: 'apps/web', env: { MODE: v } }) }), read: (a) => src(a).plugin.env[0].value, output: 'spec.source.plugin.env[0].value' },
  { property: 'source.env', values: hostileName, source: (v) => ({ source: ApplicationSource.plugin({ repoUrl: REPO, revision: 'v1.0.0', path: 'apps/web', env: { [v]: 'x' } }) }), read: (a) => src(a).plugin.env[0].name },
  {
    property: 'sources[0].ref',
    values: hostileName,
    source: (v) => ({ sources: [ApplicationSource.ref(v, { repoUrl: REPO, revision: 'v1.0.0' }), helm({ valueFiles: [`$${v}/values.yaml`] })] }),
    read: (a) => a.spec.sources[0].ref,
  },
  {
    property: 'sources[0].revision',
    values: hostileRevision,
    source: (v) => ({ sources: [ApplicationSource.ref('values', { repoUrl: REPO, revision: v }), helm({ valueFiles: ['$values/values.yaml'] })] }),
    read: (a) => a.spec.sources[0].targetRevision,
    valid: (v) => gitRefOrSha(v),
  },
  { property: 'ignoreDifferences[0].kind', values: hostileName, source: (v) => ({ source: git(), ignoreDifferences: [{ kind: v, jsonPointers: ['/spec/replicas'] }] }), read: (a) => a.spec.ignoreDifferences[0].kind },
  { property: 'ignoreDifferences[0].group', values: hostileName, source: (v) => ({ source: git(), ignoreDifferences: [{ group: v, kind: 'Deployment', jsonPointers: ['/spec/replicas'] }] }), read: (a) => a.spec.ignoreDifferences[0].group },
  { property: 'ignoreDifferences[0].name', values: hostileName, source: (v) => ({ source: git(), ignoreDifferences: [{ kind: 'Deployment', name: v, jsonPointers: ['/spec/replicas'] }] }), read: (a) => a.spec.ignoreDifferences[0].name },
  { property: 'ignoreDifferences[0].jsonPointers[0]', values: fc.oneof(hostileText, fc.constantFrom('/spec/replicas', '/a~1b', '/a~2', 'spec', '')), source: (v) => ({ source: git(), ignoreDifferences: [{ kind: 'Deployment', jsonPointers: [v] }] }), read: (a) => a.spec.ignoreDifferences[0].jsonPointers[0], valid: (v) => /^(\/([^~]|~[01])*)*$/.test(v) },
  { property: 'ignoreDifferences[0].jqPathExpressions[0]', values: hostileText, source: (v) => ({ source: git(), ignoreDifferences: [{ kind: 'Deployment', jqPathExpressions: [v] }] }), read: (a) => a.spec.ignoreDifferences[0].jqPathExpressions[0], output: 'spec.ignoreDifferences[0].jqPathExpressions[0]' },
  { property: 'ignoreDifferences[0].managedFieldsManagers[0]', values: hostileText, source: (v) => ({ source: git(), ignoreDifferences: [{ kind: 'Deployment', managedFieldsManagers: [v] }] }), read: (a) => a.spec.ignoreDifferences[0].managedFieldsManagers[0], output: 'spec.ignoreDifferences[0].managedFieldsManagers[0]' },
  { property: 'destination.namespace', values: hostileName, source: (v) => ({ source: git(), destinationNamespace: v }), read: (a) => a.spec.destination.namespace, valid: (v) => /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(v) },
];

/** A git ref name git's porcelain creates (never option-like), or a commit SHA. */
function gitRefOrSha(v: string): boolean {
  return !v.startsWith('-') && !v.includes('..') && !/[\s~^:?*[\\\u0000-\u001f\u007f]|@\{|\/\/|^\/|\/$|\.$|\.lock(\/|$)|(^|\/)\./.test(v) && v !== '@';
}

function build(field: Field, value: string): { problems: string[]; app?: any } {
  const app = Testing.app();
  const chart = new Chart(app, 'argocd');
  const props = field.source(value);
  const problems = synthProblems(app, () => {
    const project = new ProjectWithRoles(chart, 'Project', {
      name: 'team-a',
      sourceRepos: ['https://github.com/my-org/*', 'git@github.com:my-org/*', CHARTS],
      destinations: [{ server: IN_CLUSTER, namespace: '*' }],
      allowAnyDestination: { reason: 'test cluster' },
      // Destinations are not under test.
      allowArgoCdNamespaceDestination: { reason: 'test: any destination' },
      allowSystemNamespaceDestination: { reason: 'test: any destination' },
    });
    new SecureApplication(chart, 'App', {
      name: props.name ?? 'web',
      project,
      source: props.source,
      sources: props.sources,
      ignoreDifferences: props.ignoreDifferences,
      destination: { namespace: props.destinationNamespace ?? 'team-a' },
    });
  });
  if (problems.length > 0) return { problems };
  return { problems, app: readGoYamlDocs(app.synthYaml()).find((d) => d.kind === 'Application') };
}

describe.each(FIELDS.map((f, i) => [`${f.property} #${i}`, f] as const))('%s', (_name, field) => {
  test('refused with a fix, or read back exactly', () => {
    fc.assert(fc.property(field.values, (value) => {
      const { problems, app } = build(field, value);
      if (problems.length > 0) {
        expectUsefulRefusal(problems, 'argocd/App', field.property, field.output && `output Application 'web' ${field.output}`);
        return;
      }
      expect(app).toBeDefined();
      expect(field.read(app)).toEqual(value);
      if (field.valid) expect([value, field.valid(value)]).toEqual([value, true]);
    }), RUNS);
  });
});

describe('Git revisions git would read as an option are refused', () => {
  test.each(['-x', '--upload-pack=touch /tmp/pwned', '-', '--orphan'])('%j', (revision) => {
    for (const field of FIELDS.filter((f) => f.property.endsWith('revision'))) {
      expectUsefulRefusal(build(field, revision).problems, 'argocd/App', field.property);
    }
  });
});

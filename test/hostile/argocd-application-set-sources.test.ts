// Hostile input through the source props of SecureApplicationSet beyond repoUrl, revision and
// path: Helm (chart, version, releaseName, valueFiles, values, parameters), Kustomize (namePrefix,
// images), plugin (name, env) and multi-source refs. The ApplicationSet controller renders every
// string of the template as a Go template, so each value is refused (construct path, property,
// fix) or, rendered with the generator's parameters and read by go-yaml, means exactly what was
// asked: a fixed field renders as written, a `{{` in user text never becomes an action.
import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { expectUsefulRefusal, goTemplateRender, hostileText, readAsGoYaml, readGoYamlDocs, RUNS, synthProblems } from './readers';
import { ApplicationSetGenerator, ApplicationSource, ProjectWithRoles, SecureApplicationSet, SecureApplicationSetProps } from '../../src';

const IN_CLUSTER = 'https://kubernetes.default.svc';
const REPO = 'https://github.com/my-org/apps.git';
const CHARTS = 'https://charts.example.com';
const DIGEST = 'sha256:3f1e9c0d2b7a4e6f8c5d1a0b9e2f7c4d6a8b1e3f5c7d9a0b2e4f6c8d0a1b3e5f';
/** What the Git directory generator gives one Application. */
const PARAMS = { path: { path: 'apps/web', basename: 'web' } };
/** Template syntax in every shape: actions, half actions, comments, trim markers, braces that are no action. */
const TEMPLATE_PIECES = ['{{.path.basename}}', '{{ .path.basename }}', '{{-.path.basename-}}', '{{.nope}}', '{{', '}}', '{{/* c */}}', '{ {', '${{x}}', '{{`x`}}', '{{"x"}}'];
const hostile = (...extra: string[]) => fc.oneof(
  hostileText,
  fc.tuple(fc.constantFrom('', 'web', 'a-'), fc.constantFrom(...TEMPLATE_PIECES), fc.constantFrom('', '-web', '.yaml')).map(([a, b, c]) => `${a}${b}${c}`),
  fc.constantFrom(...extra),
);

interface Field {
  readonly property: string;
  readonly values: fc.Arbitrary<string>;
  readonly props: (v: string) => Partial<SecureApplicationSetProps>;
  /** The rendered Application's source field, and what the value must render to there. */
  readonly read: (source: any) => unknown;
  readonly expected?: (v: string) => unknown;
  /** Only `path` and `valueFiles` may carry the generator's parameters. */
  readonly templated?: boolean;
  /** What an accepted value must also satisfy. */
  readonly valid?: (v: string) => boolean;
  /** The output field the value lands in, as the output floor names it. */
  readonly output?: string;
}

const helm = (extra: object) => ({ source: ApplicationSource.helm({ repoUrl: CHARTS, chart: 'web', version: '1.2.3', ...extra }) });
const helmFromGit = (extra: object) => ({ source: ApplicationSource.helmFromGit({ repoUrl: REPO, revision: 'v1.0.0', path: '{{.path.path}}', ...extra }) });
const kustomize = (extra: object) => ({ source: ApplicationSource.kustomize({ repoUrl: REPO, revision: 'v1.0.0', path: '{{.path.path}}', ...extra }) });
const plugin = (extra: object) => ({ source: ApplicationSource.plugin({ repoUrl: REPO, revision: 'v1.0.0', path: '{{.path.path}}', ...extra }) });
const withRef = (ref: string, repoUrl: string, revision: string) => ({
  sources: [ApplicationSource.ref(ref, { repoUrl, revision }), ApplicationSource.helmFromGit({ repoUrl: REPO, revision: 'v1.0.0', path: '{{.path.path}}', valueFiles: [`$${ref}/values.yaml`] })],
});
const values = (src: any) => readAsGoYaml(src.helm.values) as any;

const FIELDS: Field[] = [
  { property: 'source.chart', values: hostile('web', 'Web', 'my_chart.v2'), props: (v) => helm({ chart: v }), read: (s) => s.chart },
  { property: 'source.version', values: hostile('1.2.3', 'v1.2.3', '1.2.3-rc.1', '^1.2', '*'), props: (v) => helm({ version: v }), read: (s) => s.targetRevision },
  { property: 'source.releaseName', values: hostile('web', 'Web', 'a'.repeat(64)), props: (v) => helm({ releaseName: v }), read: (s) => s.helm.releaseName },
  {
    property: 'source.valueFiles[0]',
    values: hostile('values-prod.yaml', 'envs/{{.path.basename}}.yaml', '../shared/values.yaml', '/etc/passwd', 'https://x.example.com/v.yaml'),
    props: (v) => helmFromGit({ valueFiles: [v] }),
    read: (s) => s.helm.valueFiles[0],
    templated: true,
  },
  { property: 'source.values', values: hostile('no', 'on', '0o17'), props: (v) => helm({ values: { image: { tag: v } } }), read: (s) => values(s)?.image?.tag },
  { property: 'source.values', values: hostile('no', 'tag'), props: (v) => helm({ values: { [v]: 'x' } }), read: (s) => Object.keys(values(s) ?? {})[0] },
  {
    property: 'source.parameters[0].name',
    values: hostile('image.tag', 'a\\.b', 'list[0]'),
    props: (v) => helm({ parameters: [{ name: v, value: 'x' }] }),
    read: (s) => s.helm.parameters[0].name,
  },
  {
    property: 'source.parameters[0].value',
    values: hostile('1.2.3', '{a,b}', 'true'),
    props: (v) => helm({ parameters: [{ name: 'image.tag', value: v }] }),
    read: (s) => s.helm.parameters[0].value,
    output: 'spec.template.spec.source.helm.parameters[0].value',
  },
  { property: 'source.namePrefix', values: hostile('team-a-', 'Team-'), props: (v) => kustomize({ namePrefix: v }), read: (s) => s.kustomize.namePrefix },
  { property: 'source.images[0]', values: hostile(`web=ghcr.io/my-org/web@${DIGEST}`, 'nginx:1.27', `{{.path.basename}}@${DIGEST}`), props: (v) => kustomize({ images: [v] }), read: (s) => s.kustomize.images[0] },
  { property: 'source.name', values: hostile('cmp-helmfile', 'a b'), props: (v) => plugin({ name: v }), read: (s) => s.plugin.name },
  { property: 'source.env', values: hostile('prod', 'on'), props: (v) => plugin({ env: { MODE: v } }), read: (s) => s.plugin.env[0].value, output: 'spec.template.spec.source.plugin.env[0].value' },
  { property: 'source.env', values: hostile('MODE', '1X', 'a-b'), props: (v) => plugin({ env: { [v]: 'x' } }), read: (s) => s.plugin.env[0].name },
  { property: 'sources[0].ref', values: hostile('values', 'a b', '$x'), props: (v) => withRef(v, REPO, 'v1.0.0'), read: (s) => s.ref },
  {
    property: 'sources[0].repoUrl',
    values: hostile(REPO, 'https://github.com/my-org/config.git', 'https://github.com/my-org/*'),
    props: (v) => withRef('values', v, 'v2.0.0'),
    read: (s) => s.repoURL,
  },
  { property: 'sources[0].revision', values: hostile('v1.0.0', 'main', '-x'), props: (v) => withRef('values', 'https://github.com/my-org/config.git', v), read: (s) => s.targetRevision, valid: (v) => !v.startsWith('-') },
];

function build(props: Partial<SecureApplicationSetProps>): { problems: string[]; set?: any } {
  const app = Testing.app();
  const chart = new Chart(app, 'argocd');
  const problems = synthProblems(app, () => {
    const project = new ProjectWithRoles(chart, 'Project', {
      name: 'team-a',
      sourceRepos: ['https://github.com/my-org/*', CHARTS],
      destinations: [{ server: IN_CLUSTER, namespace: 'team-a' }],
    });
    new SecureApplicationSet(chart, 'Set', {
      name: 'apps',
      project,
      generator: ApplicationSetGenerator.gitDirectories({ repoUrl: REPO, revision: 'v1.0.0', include: ['apps/*'] }),
      applicationName: '{{.path.basename}}',
      destination: { namespace: 'team-a' },
      ...props,
    });
  });
  if (problems.length > 0) return { problems };
  return { problems, set: readGoYamlDocs(app.synthYaml()).find((d) => d.kind === 'ApplicationSet') };
}

/** Every string of the template, rendered as the controller renders it for one directory (keys are not rendered). */
function render(value: unknown): unknown {
  if (typeof value === 'string') return goTemplateRender(value, PARAMS);
  if (Array.isArray(value)) return value.map(render);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, render(v)]));
  return value;
}

describe.each(FIELDS.map((f, i) => [`${f.property} #${i}`, f] as const))('%s', (_name, field) => {
  test('refused with a fix, or rendered and read back exactly', () => {
    fc.assert(fc.property(field.values, (value) => {
      const { problems, set } = build(field.props(value));
      if (problems.length > 0) {
        expectUsefulRefusal(problems, 'argocd/Set', field.property, field.output && `output ApplicationSet 'apps' ${field.output}`);
        return;
      }
      expect(set).toBeDefined();
      const spec = render(set.spec.template.spec) as any;
      const source = spec.source ?? spec.sources[0];
      const landed = field.read(source);
      // A fixed field renders as written; a templated one as its actions fill in for this directory.
      const expected = field.templated ? goTemplateRender(value, PARAMS) : value;
      if (expected !== 'unsupported') expect([value, landed]).toEqual([value, expected]);
      expect([value, landed]).not.toEqual([value, undefined]);
      if (field.valid) expect([value, field.valid(value)]).toEqual([value, true]);
    }), { ...RUNS, numRuns: 10 }); // an ApplicationSet with its project synthesizes slower than the other objects
  });
});

describe('Go templates in source fields', () => {
  test.each([
    ['a Helm value', helm({ values: { motd: 'hello {{ .path.basename }}' } }), 'source.values.motd'],
    ['a Helm values key', helm({ values: { '{{.path.basename}}': 'x' } }), 'source.values'],
    ['a Helm parameter value', helm({ parameters: [{ name: 'motd', value: 'a{{"b"}}' }] }), 'source.parameters[0].value'],
    ['a plugin env value', plugin({ env: { MODE: '{{.path.basename}}' } }), 'source.env.MODE'],
    ['a Kustomize image', kustomize({ images: [`{{.path.basename}}@${DIGEST}`] }), 'source.images[0]'],
  ])('a literal `{{` in %s, which the controller would render as an action, is refused', (_name, props, property) => {
    expectUsefulRefusal(build(props).problems, 'argocd/Set', property);
  });

  test.each([
    ['path', '{{"/etc"}}', (v: string) => ({ source: ApplicationSource.git({ repoUrl: REPO, revision: 'v1.0.0', path: v }) })],
    ['path', 'apps/{{"../.."}}/etc', (v: string) => ({ source: ApplicationSource.git({ repoUrl: REPO, revision: 'v1.0.0', path: v }) })],
    ['path', '{{ printf "/x" }}', (v: string) => ({ source: ApplicationSource.git({ repoUrl: REPO, revision: 'v1.0.0', path: v }) })],
    ['path', '{{.path.basename | printf "../%s"}}', (v: string) => ({ source: ApplicationSource.git({ repoUrl: REPO, revision: 'v1.0.0', path: v }) })],
    ['valueFiles[0]', '{{"/etc"}}/passwd', (v: string) => helmFromGit({ valueFiles: [v] })],
    ['valueFiles[0]', 'envs/{{"../.."}}/v.yaml', (v: string) => helmFromGit({ valueFiles: [v] })],
    ['valueFiles[0]', '{{ printf "/x" }}.yaml', (v: string) => helmFromGit({ valueFiles: [v] })],
  ])('in %s, an action that computes text (%s) gets past no relative-path check: refused', (property, value, props) => {
    expectUsefulRefusal(build(props(value)).problems, 'argocd/Set', `source.${property}`);
  });

  test('a values file may use the generator\'s parameters and renders per directory', () => {
    const { problems, set } = build(helmFromGit({ valueFiles: ['envs/{{.path.basename}}.yaml'] }));
    expect(problems).toEqual([]);
    expect((render(set.spec.template.spec) as any).source.helm.valueFiles).toEqual(['envs/web.yaml']);
  });
});

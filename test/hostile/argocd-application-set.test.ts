// Hostile input through SecureApplicationSet and its generators: each value is refused
// (construct path, property, fix) or reaches the ApplicationSet meaning exactly what was asked,
// as go-yaml (YAML 1.1) reads it; fixed fields never carry a template a generator's input fills.
import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { expectUsefulRefusal, goReadsHttpsUrlAsWritten, hostileText, hostileUrl, readGoYamlDocs, RUNS, synthProblems } from './readers';
import { ApplicationSetGenerator, ApplicationSource, ProjectWithRoles, SecureApplicationSet, SecureApplicationSetProps } from '../../src';

const IN_CLUSTER = 'https://kubernetes.default.svc';
const REPO = 'https://github.com/my-org/apps.git';
const DIRS = (extra: object = {}) => ApplicationSetGenerator.gitDirectories({ repoUrl: REPO, revision: 'v1.0.0', include: ['apps/*'], ...extra });
const hostileName = fc.oneof(hostileText, fc.constantFrom('web', 'a-b', '{{.path.basename}}', '{{ .path.basename }}', '{{index .metadata.labels "x"}}', '{{.nope}}', '{{', '}}', '-x', 'A'));
const hostileTemplate = fc.oneof(hostileName, fc.constantFrom('{{.path.basename}}-web', '{{.path.path}}', 'apps/{{.path.basename}}', '{{.path.basename | upper}}', '{{range .x}}{{end}}', '{{/* c */}}'));
const hostileRevision = fc.oneof(hostileText, fc.constantFrom('main', 'v1.0.0', '-x', '--upload-pack=x', 'a..b', '{{.path.basename}}'));

interface Field {
  readonly property: string;
  readonly values: fc.Arbitrary<string>;
  readonly props: (v: string) => Partial<SecureApplicationSetProps>;
  readonly read: (set: any) => unknown;
  /** The output field the value lands in, as the output floor names it. */
  readonly output?: string;
  /** What an accepted value must also satisfy. */
  readonly valid?: (v: string) => boolean;
}

const gen = (s: any) => s.spec.generators[0];
const NO_TEMPLATE = (v: string) => !v.includes('{{');
const FIELDS: Field[] = [
  { property: 'name', values: hostileName, props: (v) => ({ name: v }), read: (s) => s.metadata.name, valid: NO_TEMPLATE },
  { property: 'applicationName', values: hostileTemplate, props: (v) => ({ applicationName: v }), read: (s) => s.spec.template.metadata.name },
  { property: 'destination.namespace', values: hostileTemplate, props: (v) => ({ destination: { namespace: v } }), read: (s) => s.spec.template.spec.destination.namespace },
  {
    // A fixed server is read by Argo CD as an https URL, like SecureApplication's.
    property: 'destination.server',
    values: fc.oneof(hostileUrl, hostileText, fc.constantFrom(IN_CLUSTER, '{{.server}}', '{{.path.basename}}', 'http://10.0.0.1:6443', 'file:///etc/passwd', 'https://a b')),
    props: (v) => ({ destination: { server: v, namespace: 'team-a' } }),
    read: (s) => s.spec.template.spec.destination.server,
    valid: (v) => v.includes('{{') || goReadsHttpsUrlAsWritten(v),
  },
  { property: 'destination.name', values: hostileTemplate, props: (v) => ({ destination: { name: v, namespace: 'team-a' } }), read: (s) => s.spec.template.spec.destination.name },
  { property: 'labels', values: hostileTemplate, props: (v) => ({ labels: { team: v } }), read: (s) => s.spec.template.metadata.labels.team },
  { property: 'labels', values: hostileName, props: (v) => ({ labels: { [v]: 'a' } }), read: (s) => Object.keys(s.spec.template.metadata.labels).find((k) => !k.startsWith('app.kubernetes.io/') && s.spec.template.metadata.labels[k] === 'a') },
  { property: 'source.repoUrl', values: fc.oneof(hostileText, fc.constantFrom(REPO, '{{.url}}', 'https://github.com/my-org/{{.path.basename}}')), props: (v) => ({ source: ApplicationSource.git({ repoUrl: v, revision: 'v1.0.0', path: '{{.path.path}}' }) }), read: (s) => s.spec.template.spec.source.repoURL, valid: NO_TEMPLATE },
  { property: 'source.revision', values: hostileRevision, props: (v) => ({ source: ApplicationSource.git({ repoUrl: REPO, revision: v, path: '{{.path.path}}' }) }), read: (s) => s.spec.template.spec.source.targetRevision, valid: (v) => NO_TEMPLATE(v) && !v.startsWith('-') },
  { property: 'source.path', values: hostileTemplate, props: (v) => ({ source: ApplicationSource.git({ repoUrl: REPO, revision: 'v1.0.0', path: v }) }), read: (s) => s.spec.template.spec.source.path },
  { property: 'generator.revision', values: hostileRevision, props: (v) => ({ generator: DIRS({ revision: v }) }), read: (s) => gen(s).git.revision, valid: (v) => NO_TEMPLATE(v) && !v.startsWith('-') },
  { property: 'generator.repoUrl', values: fc.oneof(hostileText, fc.constantFrom(REPO, 'https://github.com/my-org/*')), props: (v) => ({ generator: DIRS({ repoUrl: v }) }), read: (s) => gen(s).git.repoURL, valid: NO_TEMPLATE },
  { property: 'generator.include', values: hostileTemplate, props: (v) => ({ generator: DIRS({ include: [v] }) }), read: (s) => gen(s).git.directories[0].path },
  {
    property: 'generator.paths',
    values: hostileTemplate,
    props: (v) => ({ generator: ApplicationSetGenerator.gitFiles({ repoUrl: REPO, revision: 'v1.0.0', paths: [v] }), applicationName: '{{.name}}', source: ApplicationSource.git({ repoUrl: REPO, revision: 'v1.0.0', path: 'apps' }) }),
    read: (s) => gen(s).git.files[0].path,
  },
  {
    property: 'generator.elements',
    values: hostileText,
    props: (v) => ({ generator: ApplicationSetGenerator.list({ elements: [{ cluster: v }] }), applicationName: 'web-{{.cluster}}', source: ApplicationSource.git({ repoUrl: REPO, revision: 'v1.0.0', path: 'apps' }) }),
    read: (s) => gen(s).list.elements[0].cluster,
    output: 'spec.generators[0].list.elements[0].cluster',
  },
  {
    property: 'generator.elements',
    values: hostileName,
    props: (v) => ({ generator: ApplicationSetGenerator.list({ elements: [{ [v]: 'eu' }] }), applicationName: 'web-{{.values}}', source: ApplicationSource.git({ repoUrl: REPO, revision: 'v1.0.0', path: 'apps' }) }),
    read: (s) => Object.keys(gen(s).list.elements[0])[0],
  },
  {
    property: 'generator.matchLabels',
    values: hostileName,
    props: (v) => ({ generator: ApplicationSetGenerator.clusters({ matchLabels: { env: v } }), applicationName: '{{.name}}-web', source: ApplicationSource.git({ repoUrl: REPO, revision: 'v1.0.0', path: 'apps' }) }),
    read: (s) => gen(s).clusters.selector.matchLabels.env,
  },
];

function build(props: Partial<SecureApplicationSetProps>): { problems: string[]; set?: any } {
  const app = Testing.app();
  const chart = new Chart(app, 'argocd');
  const problems = synthProblems(app, () => {
    const project = new ProjectWithRoles(chart, 'Project', {
      name: 'team-a',
      sourceRepos: ['https://github.com/my-org/*'],
      destinations: [{ server: IN_CLUSTER, namespace: '*' }, { name: '*', namespace: '*' }],
      allowAnyDestination: { reason: 'test cluster' },
      // Destinations are not under test.
      allowArgoCdNamespaceDestination: { reason: 'test: any destination' },
      allowSystemNamespaceDestination: { reason: 'test: any destination' },
    });
    new SecureApplicationSet(chart, 'Set', {
      name: 'apps',
      project,
      generator: DIRS(),
      applicationName: '{{.path.basename}}',
      source: ApplicationSource.git({ repoUrl: REPO, revision: 'v1.0.0', path: '{{.path.path}}' }),
      destination: { namespace: 'team-a' },
      ...props,
    });
  });
  if (problems.length > 0) return { problems };
  return { problems, set: readGoYamlDocs(app.synthYaml()).find((d) => d.kind === 'ApplicationSet') };
}

describe.each(FIELDS.map((f, i) => [`${f.property} #${i}`, f] as const))('%s', (_name, field) => {
  test('refused with a fix, or read back exactly', () => {
    fc.assert(fc.property(field.values, (value) => {
      const { problems, set } = build(field.props(value));
      if (problems.length > 0) {
        expectUsefulRefusal(problems, 'argocd/Set', field.property, field.output && `output ApplicationSet 'apps' ${field.output}`);
        return;
      }
      expect(set).toBeDefined();
      expect(field.read(set)).toEqual(value);
      if (field.valid) expect([value, field.valid(value)]).toEqual([value, true]);
    }), { ...RUNS, numRuns: 15 }); // an ApplicationSet with its project synthesizes slower than the other objects
  });
});

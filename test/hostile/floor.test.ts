// The output floor: a Unicode line break (or another character go-yaml misreads) fed into fields
// that look unchecked is either refused with the construct path, or reaches the output in a
// form go-yaml reads back as exactly the value that was given.
import { Testing, Yaml } from 'cdk8s';
import { Construct } from 'constructs';
import { readAsGoYaml, synthProblems } from './readers';
import {
  ApplicationSetGenerator, ApplicationSource, ProjectWithRoles, SecureApplication, SecureApplicationSet,
} from '../../src';
import { IN_CLUSTER_SERVER } from '../../src/argocd/private/names';
import { testChart } from '../support/synth';

const REPO = 'https://github.com/myorg/gitops-config.git';
const project = (scope: Construct) => new ProjectWithRoles(scope, 'Project', {
  name: 'team-a',
  sourceRepos: ['https://github.com/myorg/*'],
  destinations: [{ server: IN_CLUSTER_SERVER, namespace: 'team-a' }, { server: IN_CLUSTER_SERVER, namespace: 'team-a-*' }],
});
const application = (scope: Construct, source: ApplicationSource) =>
  new SecureApplication(scope, 'App', { name: 'web', project: project(scope), source, destination: { namespace: 'team-a' } });

/** Builders that put `v` into a field no dedicated check may cover; each names the construct that owns the field. */
const FIELDS: [string, string, (scope: Construct, v: string) => void][] = [
  ['helm values (nested)', 'test/App', (s, v) => application(s, ApplicationSource.helm({ repoUrl: 'https://charts.example.com', chart: 'web', version: '1.0.0', values: { image: { tag: v } } }))],
  ['helm values (key)', 'test/App', (s, v) => application(s, ApplicationSource.helm({ repoUrl: 'https://charts.example.com', chart: 'web', version: '1.0.0', values: { [`a${v}b`]: 1 } }))],
  ['kustomize namePrefix', 'test/App', (s, v) => application(s, ApplicationSource.kustomize({ repoUrl: REPO, revision: 'v1.0.0', path: 'apps/web', namePrefix: `p${v}-` }))],
  ['plugin env', 'test/App', (s, v) => application(s, ApplicationSource.plugin({ repoUrl: REPO, revision: 'v1.0.0', path: 'apps/web', name: 'avp', env: { MODE: `x${v}y` } }))],
  ['git path', 'test/App', (s, v) => application(s, ApplicationSource.git({ repoUrl: REPO, revision: 'v1.0.0', path: `apps/${v}web` }))],
  ['list generator element', 'test/Set', (s, v) => new SecureApplicationSet(s, 'Set', {
    name: 'apps',
    project: project(s),
    applicationName: '{{.cluster}}',
    generator: ApplicationSetGenerator.list({ elements: [{ cluster: `eu${v}  policy.default: role:admin` }] }),
    source: ApplicationSource.git({ repoUrl: REPO, revision: 'v1.0.0', path: 'apps/web' }),
    destination: { namespace: 'team-a' },
  })],
  ['appset labels', 'test/Set', (s, v) => new SecureApplicationSet(s, 'Set', {
    name: 'apps',
    project: project(s),
    applicationName: '{{.path.basename}}',
    labels: { team: `a${v}` },
    generator: ApplicationSetGenerator.gitDirectories({ repoUrl: REPO, revision: 'v1.0.0', include: ['apps/*'] }),
    source: ApplicationSource.git({ repoUrl: REPO, revision: 'v1.0.0', path: '{{.path.path}}' }),
    destination: { namespace: 'team-a' },
  })],
];

describe.each(['\u2028', '\u2029', '\u0085', '\u007f', '\u009b'])('%j', (ch) => {
  test.each(FIELDS)('%s: refused with the construct path, or read back unchanged', (_name, path, build) => {
    const chart = testChart();
    const problems = synthProblems(chart.node.root as any, () => build(chart, ch));
    if (problems.length > 0) {
      expect(problems.some((p) => p.includes(`'${path}'`))).toBe(true);
      for (const p of problems) expect(p).not.toMatch(/[\u0000-\u0008\u007f-\u009f\u2028\u2029]/);
      return;
    }
    // Accepted: go-yaml must read every object exactly as cdk8s meant it.
    for (const obj of Testing.synth(chart)) {
      expect(readAsGoYaml(Yaml.stringify(obj))).toEqual(obj);
    }
  });
});

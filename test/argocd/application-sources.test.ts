import { App, Chart } from 'cdk8s';
import { ApplicationSource, IgnoreDifference, ProjectWithRoles, SecureApplication, SecureApplicationProps } from '../../src';
import { IN_CLUSTER_SERVER } from '../../src/argocd/private/names';
import { expectSynthErrors } from '../support/errors';
import { findObject, synth, testChart } from '../support/synth';
import { expectValid } from '../support/validate';

const CHARTS = 'https://github.com/myorg/helm-charts.git';
const VALUES = 'https://github.com/myorg/gitops-config.git';

function setup(): { chart: Chart; project: ProjectWithRoles } {
  const chart = testChart();
  const project = new ProjectWithRoles(chart, 'Project', {
    name: 'team-a',
    sourceRepos: ['https://github.com/myorg/*', 'https://charts.example.com'],
    destinations: [{ server: IN_CLUSTER_SERVER, namespace: 'team-a' }],
  });
  return { chart, project };
}

function app(props: Partial<SecureApplicationProps>) {
  const { chart, project } = setup();
  new SecureApplication(chart, 'App', { name: 'web', project, destination: { namespace: 'team-a' }, ...props });
  const manifests = synth(chart);
  expectValid(manifests);
  return findObject(manifests, 'Application', 'web');
}

function errors(props: Partial<SecureApplicationProps>, patterns: RegExp[]): string[] {
  const { chart, project } = setup();
  new SecureApplication(chart, 'App', { name: 'web', project, destination: { namespace: 'team-a' }, ...props });
  return expectSynthErrors(App.of(chart) as App, patterns);
}

const REF = ApplicationSource.ref('values', { repoUrl: VALUES, revision: 'v2.0.0' });

describe('multi-source Applications', () => {
  test('a Helm chart from Git with values files from a ref source', () => {
    const a = app({
      sources: [
        ApplicationSource.helmFromGit({
          repoUrl: CHARTS,
          revision: 'web-1.4.2',
          path: 'charts/web',
          valueFiles: ['values.yaml', '$values/envs/prod/web.yaml'],
          parameters: [{ name: 'image.tag', value: '1.4.2', forceString: true }],
          values: { replicaCount: 3, auth: { existingSecret: 'web-auth' } },
          releaseName: 'web',
        }),
        REF,
      ],
    });
    expect(a.spec.source).toBeUndefined();
    expect(a.spec.sources).toEqual([
      {
        repoURL: CHARTS,
        targetRevision: 'web-1.4.2',
        path: 'charts/web',
        helm: {
          releaseName: 'web',
          valueFiles: ['values.yaml', '$values/envs/prod/web.yaml'],
          parameters: [{ name: 'image.tag', value: '1.4.2', forceString: true }],
          values: 'auth:\n  existingSecret: web-auth\nreplicaCount: 3\n',
        },
      },
      { repoURL: VALUES, targetRevision: 'v2.0.0', ref: 'values' },
    ]);
  });

  test('a chart from a chart repository with values from Git', () => {
    const a = app({
      sources: [ApplicationSource.helm({ repoUrl: 'https://charts.example.com', chart: 'web', version: '1.4.2', valueFiles: ['$values/web.yaml'] }), REF],
    });
    expect(a.spec.sources[0].helm).toEqual({ valueFiles: ['$values/web.yaml'] });
  });

  test('every source repository is checked against the project', () => {
    errors({
      sources: [
        ApplicationSource.helm({ repoUrl: 'https://charts.example.com', chart: 'web', version: '1.4.2', valueFiles: ['$values/web.yaml'] }),
        ApplicationSource.ref('values', { repoUrl: 'https://github.com/other/values.git', revision: 'main' }),
      ],
    }, [/sources\[1\]\.repoUrl: project 'team-a' does not permit 'https:\/\/github.com\/other\/values.git'/]);
  });

  test('a $ref values file needs a ref source of that name', () => {
    errors({
      sources: [ApplicationSource.helmFromGit({ repoUrl: CHARTS, revision: 'v1', path: 'charts/web', valueFiles: ['$vals/prod.yaml'] }), REF],
    }, [
      /sources\[0\]\.valueFiles\[0\]: reads '\$vals\/', but no ref source of this Application is named 'vals' \(declared: 'values'\): add ApplicationSource.ref\('vals'/,
      /sources\[1\]\.ref: 'values' is read by no valueFiles entry/,
    ]);
    errors({
      source: ApplicationSource.helmFromGit({ repoUrl: CHARTS, revision: 'v1', path: 'charts/web', valueFiles: ['$values/prod.yaml'] }),
    }, [/source\.valueFiles\[0\]: reads '\$values\/', but no ref source .*: add ApplicationSource.ref\('values', \{ repoUrl, revision \}\) to sources/]);
  });

  test('ref names, duplicates, ref-only and one-revision-per-repository rules', () => {
    errors({ sources: [ApplicationSource.helmFromGit({ repoUrl: CHARTS, revision: 'v1', path: 'c', valueFiles: ['$v.x/a.yaml'] }), ApplicationSource.ref('v.x', { repoUrl: VALUES, revision: 'v1' })] },
      [/sources\[0\]\.valueFiles\[0\]: '\$v.x\/a.yaml' names the reference 'v.x'/, /sources\[1\]\.ref: 'v.x' is not a reference name/]);
    errors({ sources: [ApplicationSource.helmFromGit({ repoUrl: CHARTS, revision: 'v1', path: 'c', valueFiles: ['$values/a.yaml'] }), REF, REF] },
      [/sources\[2\]\.ref: 'values' is declared twice/]);
    errors({ sources: [REF] }, [/sources: has only ref sources/, /sources\[0\]\.ref: 'values' is read by no valueFiles entry/]);
    errors({ source: REF }, [/source: is a ref source, which deploys nothing/, /source: has only ref sources/]);
    errors({
      sources: [
        ApplicationSource.helmFromGit({ repoUrl: CHARTS, revision: 'v1', path: 'c', valueFiles: ['$values/a.yaml'] }),
        ApplicationSource.ref('values', { repoUrl: 'https://github.com/myorg/helm-charts', revision: 'v2' }),
      ],
    }, [/sources\[0\]\.valueFiles\[0\]: reads '\$values\/' at revision 'v2' of a repository this source also reads at 'v1'/]);
    expect(() => app({ source: ApplicationSource.git({ repoUrl: CHARTS, revision: 'v1', path: 'c' }), sources: [REF] })).toThrow(/sources: is set together with source/);
    expect(() => app({})).toThrow(/source: is required/);
  });

  test('values files: relative paths or $ref paths, no URLs, no absolute paths, no escaping a ref repository', () => {
    const helm = (valueFiles: string[]) => ({ sources: [ApplicationSource.helmFromGit({ repoUrl: CHARTS, revision: 'v1', path: 'c', valueFiles }), REF] });
    expect(app(helm(['../shared/values.yaml', '$values/a.yaml'])).spec.sources[0].helm.valueFiles).toEqual(['../shared/values.yaml', '$values/a.yaml']);
    errors(helm(['https://example.com/values.yaml', '$values/a.yaml']), [/valueFiles\[0\]: 'https:\/\/example.com\/values.yaml' is a URL/]);
    errors(helm(['/etc/passwd', '$values/a.yaml']), [/valueFiles\[0\]: '\/etc\/passwd' is not a values file path/]);
    errors(helm(['$values/../../x.yaml']), [/valueFiles\[0\]: '\$values\/..\/..\/x.yaml': after '\$values\/' give a path inside that repository/]);
  });

  test('no plaintext secrets in Helm values, parameters or plugin env', () => {
    const helm = ApplicationSource.helm({
      repoUrl: 'https://charts.example.com',
      chart: 'web',
      version: '1.0.0',
      values: { auth: { adminPassword: 'hunter2', existingSecret: 'web', secretName: 'web', enabled: true }, tokens: [{ apiToken: 'abc' }], token: '' },
      parameters: [{ name: 'db.password', value: 's3cr3t' }, { name: 'image.tag', value: 'x\ny' }],
    });
    errors({ source: helm }, [
      /source\.values\.auth\.adminPassword: 'adminPassword' looks like a secret, and its value would be stored in plain text/,
      /source\.values\.tokens\[0\]\.apiToken: 'apiToken' looks like a secret/,
      /source\.parameters\[0\]\.value: 'db.password' looks like a secret/,
      /source\.parameters\[1\]\.value: .*control character|source\.parameters\[1\]\.value: .*line/,
    ]);
    errors({ source: ApplicationSource.plugin({ repoUrl: CHARTS, revision: 'v1', path: '.', env: { API_TOKEN: 'abc' } }) }, [/source\.env\.API_TOKEN: 'API_TOKEN' looks like a secret/]);
  });

  test('a Helm parameter value cannot set other values (Argo CD escapes only commas no backslash precedes)', () => {
    const helm = (...values: string[]) => ApplicationSource.helm({
      repoUrl: 'https://charts.example.com',
      chart: 'web',
      version: '1.0.0',
      parameters: values.map((value) => ({ name: 'image.tag', value })),
    });
    // Argo CD writes --set image.tag=v1\\,securityContext.privileged=true: Helm reads 'v1\' and a second assignment.
    errors({ source: helm('v1\\\\,securityContext.privileged=true', 'C:\\x', '{a},hostNetwork=true,b={}', '{a,b', '{{a}}') }, [
      /source\.parameters\[0\]\.value: 'v1\\\\,securityContext.privileged=true' contains '\\', which Helm reads as an escape/,
      /source\.parameters\[1\]\.value: .* contains '\\'/,
      /source\.parameters\[2\]\.value: '\{a\},hostNetwork=true,b=\{\}' starts with '\{', Helm's list syntax: give one list/,
      /source\.parameters\[3\]\.value: '\{a,b' starts with '\{'/,
      /source\.parameters\[4\]\.value: '\{\{a\}\}' starts with '\{'/,
    ]);
    // Commas alone are escaped by Argo CD; one list is Helm's list syntax.
    expect(app({ source: helm('a,b=c', '{a,b}', '{}', 'x}') }).spec.source.helm.parameters.map((p: any) => p.value)).toEqual(['a,b=c', '{a,b}', '{}', 'x}']);
  });
});

describe('ignoreDifferences', () => {
  const source = ApplicationSource.git({ repoUrl: CHARTS, revision: 'v1', path: 'apps/web' });

  test('rendered as given; RespectIgnoreDifferences with them', () => {
    const ignore: IgnoreDifference[] = [
      { group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas', '/metadata/annotations/example.com~1owner'] },
      { kind: 'Secret', name: 'web-db', namespace: 'team-a', jqPathExpressions: ['.data["password"]'], managedFieldsManagers: ['secret-rotator'] },
      { group: '*', kind: '*', jqPathExpressions: ['.spec.template.spec.containers[] | select(.name == "istio-proxy")'] },
    ];
    const a = app({ source, ignoreDifferences: ignore, syncOptions: { respectIgnoreDifferences: true } });
    expect(a.spec.ignoreDifferences).toEqual([
      { group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas', '/metadata/annotations/example.com~1owner'] },
      { kind: 'Secret', name: 'web-db', namespace: 'team-a', jqPathExpressions: ['.data["password"]'], managedFieldsManagers: ['secret-rotator'] },
      { group: '*', kind: '*', jqPathExpressions: ['.spec.template.spec.containers[] | select(.name == "istio-proxy")'] },
    ]);
    expect(a.spec.syncPolicy.syncOptions).toEqual(['RespectIgnoreDifferences=true']);
  });

  test('RespectIgnoreDifferences alone is refused', () => {
    errors({ source, syncOptions: { respectIgnoreDifferences: true } }, [/syncOptions.respectIgnoreDifferences: does nothing without ignoreDifferences/]);
  });

  test('JSON pointers, jq expressions, kinds and managers are checked', () => {
    errors({
      source,
      ignoreDifferences: [
        { kind: 'Deploy ment', jsonPointers: ['spec/replicas', '/a~2b', ''] },
        { group: 'Apps!', kind: 'Deployment', jqPathExpressions: ['spec', '.a)', '.a[', '.a["x]', '.a\u2028'] },
        { kind: 'Secret' },
        { kind: 'Secret', managedFieldsManagers: ['a\nb'] },
      ],
    }, [
      /ignoreDifferences\[0\]\.kind: 'Deploy ment' is not a kind/,
      /ignoreDifferences\[0\]\.jsonPointers\[[012]\]: ('spec\/replicas'|'\/a~2b') is not a JSON pointer \(RFC 6901\)|'' is empty/,
      /ignoreDifferences\[1\]\.group: 'Apps!' is not an API group/,
      /ignoreDifferences\[1\]\.jqPathExpressions\[0\]: 'spec' is not a jq path expression/,
      /ignoreDifferences\[1\]\.jqPathExpressions\[1\]: '.a\)' has an unbalanced '\)'/,
      /ignoreDifferences\[1\]\.jqPathExpressions\[2\]: '.a\[' has an unclosed '\['/,
      /ignoreDifferences\[1\]\.jqPathExpressions\[3\]: .* has an unclosed string/,
      /ignoreDifferences\[1\]\.jqPathExpressions\[4\]: /,
      /ignoreDifferences\[2\]: ignores nothing/,
      /ignoreDifferences\[3\]\.managedFieldsManagers\[0\]: /,
    ]);
  });
});

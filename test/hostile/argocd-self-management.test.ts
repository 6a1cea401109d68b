// Hostile input through ArgoCdSelfManagement.fromGit (SecureArgoCD selfManagement): repoUrl,
// revision, path and reason. Each value is refused (construct path, property, fix) or lands in the
// `argocd-platform` Application and AppProject meaning exactly what was asked, as go-yaml reads
// them and git reads the revision (never as an option). Validated without a synth: the install's
// own chart, a LockedDownDefaultProject in Argo CD's namespace in another.
import { ApiObject, Chart, Testing, Yaml } from 'cdk8s';
import * as fc from 'fast-check';
import { expectUsefulRefusal, hostileText, hostileUrl, readAsGoYaml, RUNS } from './readers';
import { ArgoCdSelfManagement, LockedDownDefaultProject, SecureArgoCD, SelfManagementGitOptions } from '../../src';
import { ACCEPTED_RISKS_ANNOTATION, parseAcceptedRisks } from '../../src/private/accepted-risks';

const REPO = 'https://github.com/my-org/gitops.git';
const OPTIONS: SelfManagementGitOptions = { repoUrl: REPO, revision: 'v1.0.0', path: 'dist/platform', reason: 'the platform team reviews dist/platform' };
const NOT_AN_OPTION = (v: string) => !v.startsWith('-');

/** The Application and AppProject `argocd-platform`, as go-yaml reads them, or the problems. */
function selfManaged(options: Partial<SelfManagementGitOptions>): { problems: string[]; application?: any; project?: any } {
  const app = Testing.app();
  const chart = new Chart(app, 'argocd');
  try {
    new SecureArgoCD(chart, 'CD', {
      disableNetworkPolicies: { reason: 'NetworkPolicies are not under test' },
      allowNoInteractiveLogin: { reason: 'API tokens only' },
      selfManagement: ArgoCdSelfManagement.fromGit({ ...OPTIONS, ...options }),
    });
  } catch (e) {
    return { problems: [(e as Error).message] };
  }
  new LockedDownDefaultProject(new Chart(app, 'projects'), 'DefaultProject', 'argocd');
  const problems = app.node.findAll().flatMap((c) => c.node.validate());
  if (problems.length > 0) return { problems };
  const read = (kind: string) => {
    const object = chart.node.findAll().find((c): c is ApiObject => ApiObject.isApiObject(c) && c.kind === kind && c.name === 'argocd-platform')!;
    return readAsGoYaml(Yaml.stringify(object.toJson())) as any;
  };
  return { problems, application: read('Application'), project: read('AppProject') };
}

interface Field {
  readonly property: keyof SelfManagementGitOptions;
  readonly values: fc.Arbitrary<string>;
  /** Where the value lands, read from the Application and the AppProject. */
  readonly read: (application: any, project: any) => unknown[];
  /** What the value's reader additionally requires of an accepted value. */
  readonly valid?: (v: string) => boolean;
}

const risk = (o: any) => parseAcceptedRisks(o.metadata.annotations?.[ACCEPTED_RISKS_ANNOTATION]).find(([optIn]) => optIn === 'selfManagement')?.[1];

const FIELDS: Field[] = [
  {
    property: 'repoUrl',
    values: fc.oneof(hostileUrl, hostileText, fc.constantFrom(REPO, 'https://github.com/my-org/*', 'git@github.com:my-org/gitops.git', '-https://x', `${REPO}\n`, '{{.url}}')),
    read: (a, p) => [a.spec.source.repoURL, p.spec.sourceRepos[0]],
    valid: NOT_AN_OPTION,
  },
  {
    property: 'revision',
    values: fc.oneof(hostileText, fc.constantFrom('main', 'v1.0.0', 'release/1.x', '-x', '--upload-pack=touch /tmp/pwned', 'a..b', 'main.lock', 'a@{1}', 'a~1', 'HEAD')),
    read: (a) => [a.spec.source.targetRevision],
    valid: NOT_AN_OPTION,
  },
  {
    property: 'path',
    values: fc.oneof(hostileText, fc.constantFrom('dist/platform', 'dist', '../secrets', '/etc', 'dist/../..', '.', 'a\\b', '-x', 'dist/*')),
    read: (a) => [a.spec.source.path],
    valid: (v) => !v.startsWith('/') && !v.split('/').includes('..'),
  },
  {
    property: 'reason',
    values: fc.oneof(hostileText, fc.constantFrom('platform team reviews: every change', 'a'.repeat(2000), ' ', 'line one\nline two')),
    // Recorded on both objects, read back the way the annotation is parsed.
    read: (a, p) => [risk(a), risk(p)],
  },
];

describe.each(FIELDS.map((f) => [f.property, f] as const))('selfManagement.%s', (_name, field) => {
  test('refused with a fix, or lands exactly as asked', () => {
    let accepted = 0;
    fc.assert(fc.property(field.values, (value) => {
      const { problems, application, project } = selfManaged({ [field.property]: value });
      if (problems.length > 0) {
        expectUsefulRefusal(problems, 'argocd/CD', `selfManagement.${field.property}`);
        return;
      }
      const landed = field.read(application, project);
      expect([value, landed]).toEqual([value, landed.map(() => value)]);
      if (field.valid) expect([value, field.valid(value)]).toEqual([value, true]);
      accepted++;
    }), { ...RUNS, numRuns: 12 });
    // The runs reached the output, not only the refusals.
    expect(accepted).toBeGreaterThan(0);
  });
});

test('ordinary options are accepted and land as written', () => {
  const { problems, application, project } = selfManaged({});
  expect(problems).toEqual([]);
  const source = application.spec.source;
  expect([source.repoURL, source.targetRevision, source.path, risk(application), risk(project), project.spec.sourceRepos])
    .toEqual([REPO, 'v1.0.0', 'dist/platform', OPTIONS.reason, OPTIONS.reason, [REPO]]);
});

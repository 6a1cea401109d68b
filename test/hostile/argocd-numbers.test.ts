// Hostile numbers through every number prop of the Argo CD constructs: each is refused naming
// construct, property and fix, or lands as the same integer go-yaml reads back (never 1e+21,
// NaN, a fraction or a negative count).
import { Chart, Duration, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { expectUsefulRefusal, readGoYamlDocs, RUNS, synthProblems } from './readers';
import {
  ApplicationNamespace, ApplicationSetGenerator, ApplicationSource, ArgoCdAction, ArgoCdResource, ProjectWithRoles, SecureApplication,
  SecureApplicationSet,
} from '../../src';

const IN_CLUSTER = 'https://kubernetes.default.svc';
const REPO = 'https://github.com/my-org/app.git';
/** Numbers JavaScript allows and Go's integers, Kubernetes and Argo CD do not all read alike. */
const hostileNumber = fc.oneof(
  fc.constantFrom(0, 1, -1, 1.5, -0, NaN, Infinity, -Infinity, 1e21, 2 ** 53, 2 ** 31, 2 ** 31 - 1, 2 ** 63, 1e-7, 5),
  fc.integer({ min: -10, max: 100 }),
  fc.double({ noNaN: false }),
);

const project = (chart: Chart, extra: object = {}) => new ProjectWithRoles(chart, 'Project', {
  name: 'team-a', sourceRepos: ['https://github.com/my-org/*'], destinations: [{ server: IN_CLUSTER, namespace: 'team-a' }], ...extra,
});

interface Field {
  readonly property: string;
  readonly owner: string;
  readonly build: (chart: Chart, n: number) => void;
  readonly read: (docs: any[]) => unknown;
  /** The accepted range, inclusive. */
  readonly min: number;
  readonly max: number;
}

const find = (docs: any[], kind: string) => docs.find((d) => d.kind === kind);
const role = (token: object) => ({ roles: [{ name: 'ci', policies: [{ resource: ArgoCdResource.APPLICATIONS, action: ArgoCdAction.GET, object: 'team-a/*' }], jwtTokens: [token] }] });
const TOTAL = { cpuRequest: Cpu.millis(500), cpuLimit: Cpu.units(2), memoryRequest: Size.mebibytes(512), memoryLimit: Size.gibibytes(2) };
const quota = (extra: object) => ({ quota: { total: TOTAL, ...extra } });
const MAX_INT64 = 2 ** 63 - 1;

const FIELDS: Field[] = [
  { property: 'roles[0].jwtTokens[0].issuedAt', owner: 'Project', build: (c, n) => project(c, role({ issuedAt: n })), read: (d) => find(d, 'AppProject').spec.roles[0].jwtTokens[0].iat, min: 0, max: Number.MAX_SAFE_INTEGER },
  { property: 'roles[0].jwtTokens[0].expiresAt', owner: 'Project', build: (c, n) => project(c, role({ issuedAt: 0, expiresAt: n })), read: (d) => find(d, 'AppProject').spec.roles[0].jwtTokens[0].exp, min: 1, max: Number.MAX_SAFE_INTEGER },
  { property: 'quota.pods', owner: 'Owner', build: (c, n) => new ApplicationNamespace(c, 'Owner', { name: 'team-a', ...quota({ pods: n }) }), read: (d) => find(d, 'ResourceQuota').spec.hard.pods, min: 0, max: MAX_INT64 },
  {
    property: 'quota.persistentVolumeClaims',
    owner: 'Owner',
    build: (c, n) => new ApplicationNamespace(c, 'Owner', { name: 'team-a', ...quota({ persistentVolumeClaims: n }) }),
    read: (d) => find(d, 'ResourceQuota').spec.hard.persistentvolumeclaims,
    min: 0,
    max: MAX_INT64,
  },
  {
    property: 'retry.limit',
    owner: 'App',
    build: (c, n) => new SecureApplication(c, 'App', { name: 'web', project: project(c), source: ApplicationSource.git({ repoUrl: REPO, revision: 'v1.0.0', path: 'apps' }), destination: { namespace: 'team-a' }, retry: { limit: n } }),
    read: (d) => find(d, 'Application').spec.syncPolicy.retry.limit,
    min: 0,
    max: MAX_INT64,
  },
  {
    property: 'retry.backoffFactor',
    owner: 'App',
    build: (c, n) => new SecureApplication(c, 'App', {
      name: 'web',
      project: project(c),
      source: ApplicationSource.git({ repoUrl: REPO, revision: 'v1.0.0', path: 'apps' }),
      destination: { namespace: 'team-a' },
      retry: { limit: 3, backoffFactor: n, backoffDuration: Duration.seconds(5) },
    }),
    read: (d) => find(d, 'Application').spec.syncPolicy.retry.backoff.factor,
    min: 1,
    max: MAX_INT64,
  },
  {
    property: 'syncWave',
    owner: 'App',
    build: (c, n) => new SecureApplication(c, 'App', { name: 'web', project: project(c), source: ApplicationSource.git({ repoUrl: REPO, revision: 'v1.0.0', path: 'apps' }), destination: { namespace: 'team-a' }, syncWave: n }),
    read: (d) => Number(find(d, 'Application').metadata.annotations['argocd.argoproj.io/sync-wave']),
    // gitops-engine reads the annotation with strconv.Atoi into a 64-bit int.
    min: Number.MIN_SAFE_INTEGER,
    max: Number.MAX_SAFE_INTEGER,
  },
  {
    property: 'progressiveSync[0].maxUpdate',
    owner: 'Set',
    build: (c, n) => new SecureApplicationSet(c, 'Set', {
      name: 'apps',
      project: project(c),
      generator: ApplicationSetGenerator.list({ elements: [{ env: 'dev' }] }),
      applicationName: 'web-{{.env}}',
      source: ApplicationSource.git({ repoUrl: REPO, revision: 'v1.0.0', path: 'apps' }),
      destination: { namespace: 'team-a' },
      labels: { env: '{{.env}}' },
      progressiveSync: [{ labelKey: 'env', values: ['dev'], maxUpdate: n }],
    }),
    read: (d) => find(d, 'ApplicationSet').spec.strategy.rollingSync.steps[0].maxUpdate,
    min: 1,
    max: 2 ** 31 - 1,
  },
];

describe.each(FIELDS)('$property', (field) => {
  test('refused with a fix, or the same integer read back', () => {
    fc.assert(fc.property(hostileNumber, (n) => {
      const app = Testing.app();
      const chart = new Chart(app, 'argocd');
      const problems = synthProblems(app, () => field.build(chart, n));
      if (problems.length > 0) {
        expectUsefulRefusal(problems, `argocd/${field.owner}`, field.property);
        return;
      }
      const landed = field.read(readGoYamlDocs(app.synthYaml()));
      expect([n, Number.isSafeInteger(n) || field.property === 'retry.backoffFactor', n >= field.min && n <= field.max]).toEqual([n, true, true]);
      // A quantity is written as a string ('5'); a count as a YAML integer.
      const read = typeof landed === 'string' ? Number(landed) : landed;
      expect([n, read === n]).toEqual([n, true]);
    }), RUNS);
  });
});

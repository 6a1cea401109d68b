import { App, Chart } from 'cdk8s';
import * as fc from 'fast-check';
import { ApplicationSetGenerator, ApplicationSource, ProjectDestination, ProjectWithRoles, SecureApplicationSet, SecureApplicationSetProps } from '../../src';
import { templateTexts } from '../../src/argocd/private/go-template';
import { IN_CLUSTER_SERVER } from '../../src/argocd/private/names';
import { isDestinationPermitted, isDestinationTemplatePermitted } from '../../src/argocd/private/project-matching';
import { expectSynthErrors, synthErrors } from '../support/errors';
import { testChart } from '../support/synth';

const REPO = 'https://github.com/myorg/gitops-config.git';
const LIST = ApplicationSetGenerator.list({ elements: [{ team: 'a', cluster: 'eu', name: 'prod-eu' }] });
const DESTINATIONS: ProjectDestination[] = [
  { server: IN_CLUSTER_SERVER, namespace: 'team-[a-z]*' },
  { name: 'prod-*', namespace: 'apps' },
  { server: 'https://*.dev.example.com', namespace: 'dev' },
];

function build(destination: SecureApplicationSetProps['destination'], destinations: ProjectDestination[] = DESTINATIONS,
  overrides: Partial<SecureApplicationSetProps> = {}): App {
  const chart: Chart = testChart();
  const project = new ProjectWithRoles(chart, 'Project', {
    name: 'team-a',
    sourceRepos: ['https://github.com/myorg/*'],
    destinations,
    // a '!' namespace entry reaches every namespace it does not name
    ...(destinations.some((d) => d.namespace.startsWith('!')) ? {
      allowArgoCdNamespaceDestination: { reason: 'test: deny entries' },
      allowSystemNamespaceDestination: { reason: 'test: deny entries' },
    } : {}),
  });
  new SecureApplicationSet(chart, 'Set', {
    name: 'apps',
    project,
    generator: LIST,
    applicationName: 'web-{{.team}}',
    source: ApplicationSource.git({ repoUrl: REPO, revision: 'v1.0.0', path: 'apps/{{.team}}' }),
    destination,
    ...overrides,
  });
  return chart.node.root as App;
}

const accepted = (destination: SecureApplicationSetProps['destination'], destinations?: ProjectDestination[]) =>
  expect(synthErrors(build(destination, destinations))).toEqual([]);
const refused = (destination: SecureApplicationSetProps['destination'], message: RegExp, destinations?: ProjectDestination[]) =>
  expectSynthErrors(build(destination, destinations), [message]);
const NONE = /destination: project 'team-a' permits no value of namespace .* whatever the parameters are, so Argo CD would refuse every generated Application: add a destination/;

describe('SecureApplicationSet destination against the project', () => {
  test('a fixed namespace on the in-cluster default: permitted, or refused like SecureApplication', () => {
    accepted({ namespace: 'team-web' });
    refused({ namespace: 'payments' },
      /SecureApplicationSet 'test\/Set': destination: project 'team-a' does not permit namespace 'payments' on 'https:\/\/kubernetes\.default\.svc': add it to the project's destinations/);
  });

  test('a fixed server: permitted by a server glob, refused outside it', () => {
    accepted({ server: 'https://eu.dev.example.com', namespace: 'dev' });
    refused({ server: 'https://eu.prod.example.com', namespace: 'dev' }, /does not permit namespace 'dev' on 'https:\/\/eu\.prod\.example\.com'/);
    refused({ server: 'https://eu.dev.example.com', namespace: 'apps' }, /does not permit namespace 'apps' on 'https:\/\/eu\.dev\.example\.com'/);
  });

  test("a fixed cluster name: permitted by a name glob, refused outside it; 'in-cluster' is the local cluster", () => {
    accepted({ name: 'prod-eu', namespace: 'apps' });
    accepted({ name: 'in-cluster', namespace: 'team-web' });
    refused({ name: 'staging', namespace: 'apps' }, /does not permit namespace 'apps' on cluster 'staging'/);
  });

  test('a partly templated namespace: refused only when no value of it is permitted', () => {
    accepted({ namespace: 'team-{{.team}}' });
    accepted({ namespace: '{{.team}}' });
    accepted({ namespace: '{{.team}}-web' }); // e.g. team-a-web
    refused({ namespace: 'ops-{{.team}}' }, NONE);
    // 'team-[a-z]*' needs a letter right after 'team-': a digit first never matches.
    refused({ namespace: 'team-0{{.team}}' }, NONE);
  });

  test('a partly templated server or cluster name', () => {
    accepted({ server: 'https://{{.cluster}}.example.com', namespace: 'dev' }); // eu.dev.example.com
    refused({ server: 'https://{{.cluster}}.example.org', namespace: 'dev' }, NONE);
    accepted({ name: 'prod-{{.cluster}}', namespace: 'apps' });
    accepted({ name: '{{.name}}', namespace: 'apps' });
    refused({ name: 'staging-{{.cluster}}', namespace: 'apps' }, NONE);
    // '{{.name}}' may name the local cluster ('in-cluster'), whose destination permits team-*.
    accepted({ name: '{{.name}}', namespace: 'team-{{.team}}' });
    refused({ name: 'x-{{.name}}', namespace: 'team-{{.team}}' }, NONE);
    accepted({ server: '{{.cluster}}', namespace: 'team-web' });
  });

  test('trim markers are read as Go reads them', () => {
    expect(templateTexts('team- {{- .team -}} \n-x')).toEqual(['team-', '-x']);
    expect(templateTexts('a {{-3}} b')).toEqual(['a ', ' b']);
    // 'team-' then a letter: permitted; without the trim it would start 'team- '.
    accepted({ namespace: 'team- {{- .team}}' });
  });

  test("'!' entries veto as upstream: a template whose every value is denied is refused", () => {
    const denying: ProjectDestination[] = [...DESTINATIONS, { server: IN_CLUSTER_SERVER, namespace: '!team-secret*' }];
    refused({ namespace: 'team-secret-x' }, /does not permit namespace 'team-secret-x'/, denying);
    refused({ namespace: 'team-secret-{{.team}}' }, NONE, denying);
    accepted({ namespace: 'team-{{.team}}' }, denying);
    accepted({ namespace: 'team-web' }, denying);
  });

  test('a project whose rules are unknown here is not checked', () => {
    const chart = testChart();
    new SecureApplicationSet(chart, 'Set', {
      name: 'apps',
      project: ProjectWithRoles.fromProjectName(chart, 'Project', 'elsewhere'),
      generator: LIST,
      applicationName: 'web-{{.team}}',
      source: ApplicationSource.git({ repoUrl: REPO, revision: 'v1.0.0', path: 'apps/{{.team}}' }),
      destination: { namespace: 'ops-{{.team}}' },
    });
    expect(synthErrors(chart.node.root as App)).toEqual([]);
  });

  test('one synth reports every problem: destination, repository, unknown parameter', () => {
    expectSynthErrors(build({ server: 'https://{{.cluster}}.example.org', namespace: 'dev' }, DESTINATIONS, {
      source: ApplicationSource.git({ repoUrl: 'https://gitlab.com/other/repo.git', revision: 'v1.0.0', path: 'apps/{{.nope}}' }),
    }), [NONE, /source\.repoUrl: project 'team-a' does not permit/, /source\.path: .*'\.nope'/]);
  });

  test('a malformed template is reported once, not read as a destination', () => {
    expectSynthErrors(build({ namespace: 'ops-{{.team' }), [/destination\.namespace: 'ops-\{\{\.team' has an unbalanced/]);
  });
});

describe('isDestinationTemplatePermitted against every filling (small alphabets)', () => {
  // Patterns of at most three characters and fillings of up to three, so that short fillings
  // reach every answer: a template is refused exactly when no filling is permitted.
  const char = fc.constantFrom('a', 'b');
  const glob = fc.array(fc.oneof(char, fc.constantFrom('*', '?', '[!a]', '{a,b}')), { minLength: 1, maxLength: 3 }).map((p) => p.join(''));
  const negatable = fc.tuple(fc.boolean(), glob).map(([neg, p]) => (neg ? `!${p}` : p));
  const entry = fc.record({
    namespace: negatable,
    server: fc.option(negatable, { nil: undefined }),
    name: fc.option(negatable, { nil: undefined }),
  });
  const template = fc.array(fc.array(char, { maxLength: 2 }).map((t) => t.join('')), { minLength: 1, maxLength: 2 });
  const fillings = (() => {
    const out = [''];
    for (let n = 0; n < 3; n++) for (const f of [...out]) for (const c of ['a', 'b', 'z']) out.push(f + c);
    return [...new Set(out)];
  })();
  const values = (parts: string[]) => (parts.length === 1 ? [parts[0]] : fillings.map((f) => parts[0] + f + parts[1]));

  test('a templated namespace on a fixed server, or a fixed namespace on a templated cluster name', () => {
    const seen = { permitted: 0, refused: 0 };
    fc.assert(fc.property(fc.array(entry, { minLength: 1, maxLength: 3 }), template, template, fc.boolean(), (destinations, ns, cluster, byName) => {
      const verdict = isDestinationTemplatePermitted(destinations, ns, byName ? undefined : cluster, byName ? cluster : undefined);
      seen[verdict ? 'permitted' : 'refused']++;
      // An empty server or name never matches upstream; the template check may read it as any value.
      const some = values(ns).some((n) => values(cluster).some((c) => c !== '' && (byName
        ? isDestinationPermitted(destinations, n, undefined, c) : isDestinationPermitted(destinations, n, c))));
      if (!verdict) expect(some).toBe(false);
      if (verdict && !values(cluster).includes('')) expect(some).toBe(true);
    }), { numRuns: 300 });
    expect(seen.permitted).toBeGreaterThan(30);
    expect(seen.refused).toBeGreaterThan(30);
  });
});

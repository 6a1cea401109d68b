import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import * as YAML from 'yaml';
import { exampleTest } from '../support/examples';
import { findObject, synthApp } from '../support/synth';

// The compliance checks and the rotation steps call the API server, so their pods mount a token.
exampleTest('operations', { apiClients: ['compliance-check', 'secret-rotation'] });

describe('example operations, beyond the charts', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'operations-'));
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));
  const app = new App({ outdir });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('../../examples/operations').build(app);

  test('writes the audit policy to its own file in the output directory', () => {
    const policy = YAML.parse(fs.readFileSync(path.join(outdir, 'apiserver', 'audit-policy.yaml'), 'utf8'));
    expect(policy).toMatchObject({ apiVersion: 'audit.k8s.io/v1', kind: 'Policy', omitStages: ['RequestReceived'] });
    // The additional rule comes right after the built-in Metadata rule for Secrets and ConfigMaps.
    const credentials = policy.rules.findIndex((r: any) => r.level === 'Metadata' && r.resources?.[0]?.resources?.includes('secrets'));
    expect(policy.rules[credentials + 1]).toEqual({ level: 'Request', verbs: ['create', 'patch', 'update'], resources: [{ group: 'apps', resources: ['deployments'] }], namespaces: ['team-a'] });
  });

  test('the custom check works against recorded clusters', () => {
    const workflowTemplate = findObject(synthApp(app)['operations-compliance'], 'WorkflowTemplate');
    const template = workflowTemplate.spec.templates.find((t: any) => t.name === 'check-ingress-tls');
    const env = Object.fromEntries(template.script.env.map((e: any) => [e.name, e.value]));
    const run = (fixtures: string) => {
      const findings = path.join(outdir, `findings-${fixtures}.json`);
      const r = spawnSync('sh', ['-c', template.script.source], {
        encoding: 'utf8',
        env: {
          PATH: `${path.join(__dirname, '..', 'fixtures', 'kubectl', 'bin')}:${process.env.PATH}`,
          ...env,
          KUBECTL_FIXTURES: path.join(__dirname, '..', 'fixtures', 'kubectl', fixtures),
          FINDINGS_FILE: findings,
        },
      });
      expect(r.status).toBe(0);
      return JSON.parse(fs.readFileSync(findings, 'utf8'));
    };
    expect(run('empty')).toEqual([]);
    expect(run('noisy')).toEqual([{ check: 'ingress-tls', severity: 'WARNING', resource: 'ingress/team-b/legacy', message: 'serves plain HTTP: add tls' }]);
  });
});

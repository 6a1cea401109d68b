// End to end: `cdk8s synth` of a small app with the policy plugin in cdk8s.yaml, as a user
// would run it. The app and the plugin load this repository's sources through ts-node.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s');

/** Loads src/ the way the published package's lib/ would be loaded. */
const REGISTER = `require(${JSON.stringify(path.join(ROOT, 'node_modules', 'ts-node'))}).register({
  transpileOnly: true, project: ${JSON.stringify(path.join(ROOT, 'examples', 'tsconfig.json'))},
});`;

function app(suppress: boolean): string {
  return `${REGISTER}
const { App, Chart, ApiObject } = require(${JSON.stringify(path.join(ROOT, 'node_modules', 'cdk8s'))});
const lib = require(${JSON.stringify(path.join(ROOT, 'src'))});
const app = new App();
const chart = new Chart(app, 'platform');
new lib.LockedDownDefaultProject(chart, 'Default');
const user = new Chart(app, 'user', { namespace: 'shop' });
const agent = new ApiObject(user, 'Agent', {
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'agent' },
  spec: {
    selector: { matchLabels: { app: 'agent' } },
    template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'agent', image: 'registry.example.com/agent:1.0', securityContext: { privileged: true } }] } },
  },
});
${suppress ? `for (const rule of ['POD-PRIVILEGED', 'POD-PRIVILEGE-ESCALATION', 'POD-RUN-AS-NON-ROOT', 'POD-CAPABILITIES', 'POD-SECCOMP', 'POD-READ-ONLY-ROOT-FS',
  'POD-RESOURCES', 'POD-SERVICE-ACCOUNT-TOKEN', 'NET-DEFAULT-DENY']) {
  lib.PolicySuppressions.add(agent, rule, 'node agent: needs the host, reviewed in SEC-123');
}` : ''}
app.synth();
`;
}

function synth(suppress: boolean): { status: number | null; output: string; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-plugin-'));
  const plugin = path.join(dir, 'plugin');
  fs.mkdirSync(plugin);
  fs.writeFileSync(path.join(plugin, 'index.js'), `${REGISTER}\nmodule.exports = require(${JSON.stringify(path.join(ROOT, 'src'))});\n`);
  fs.writeFileSync(path.join(dir, 'main.js'), app(suppress));
  fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), YAML.stringify({
    app: `${process.execPath} main.js`,
    validations: [{
      package: './plugin',
      version: '0.0.0',
      class: 'PolicyValidationPlugin',
      properties: { postureReport: 'posture.md' },
    }],
  }));
  const result = spawnSync(process.execPath, [CLI, 'synth', '--no-check-upgrade'], {
    cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}`, dir };
}

describe('PolicyValidationPlugin in cdk8s synth', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  test('fails on a raw privileged Deployment beside a library construct, naming object, construct, rule and fix', () => {
    const run = synth(false);
    dirs.push(run.dir);
    expect(run.status).not.toBe(0);
    expect(run.output).toContain('Validation failed');
    expect(run.output).toContain('POD-PRIVILEGED [error] pod-security');
    expect(run.output).toContain('Construct Path: user/Agent');
    expect(run.output).toContain('Resource Name: agent');
    expect(run.output).toContain('> Deployment shop/agent: spec.template.spec.containers[0].securityContext.privileged: must not be true');
    expect(run.output).toContain('How to fix: Remove securityContext.privileged');
    // The library's own objects pass.
    expect(run.output).not.toContain('Resource Name: default');
  }, 180_000);

  test('suppressions with reasons let it through and show in the output and the manifests', () => {
    const run = synth(true);
    dirs.push(run.dir);
    expect(run.output).toContain('Validations ended succesfully');
    expect(run.status).toBe(0);
    expect(run.output).toContain('policy: POD-PRIVILEGED suppressed on Deployment shop/agent (spec.template.spec.containers[0].securityContext.privileged): node agent: needs the host, reviewed in SEC-123');
    // The warning (a tag without a digest) is reported but does not fail the synth.
    expect(run.output).toContain('IMG-DIGEST [warning] images');
    const manifest = YAML.parseAllDocuments(fs.readFileSync(path.join(run.dir, 'dist', 'user.k8s.yaml'), 'utf8')).map((d) => d.toJSON());
    expect(manifest[0].metadata.annotations['policy.cdk8s-secure-argo.io/suppressions']).toContain('POD-PRIVILEGED: node agent: needs the host, reviewed in SEC-123');
    const report = fs.readFileSync(path.join(run.dir, 'posture.md'), 'utf8');
    expect(report).toContain('| POD-PRIVILEGED | Deployment shop/agent | spec.template.spec.containers[0].securityContext.privileged | node agent: needs the host, reviewed in SEC-123 |');
  }, 180_000);
});

// The packed library installs into a fresh cdk8s app and synthesizes there, as a user would do
// it: the app comes from the typescript-app template of the cdk8s CLI this project pins (the
// same dependency ranges), `npm install` runs against a local registry that serves only what
// this project's `npm ci` installed (offline), the library goes in with a plain
// `npm install <tarball>`, and `cdk8s synth` runs the README's main.ts.
//
// Needs the compiled library (lib/ and .jsii): the build runs the tests after compiling; on
// its own, run `npx projen compile` first.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { LocalRegistry } from './local-registry';
import { codeBlocks } from '../support/docs';
import { Manifest } from '../support/synth';
import { expectValid } from '../support/validate';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'node_modules', 'cdk8s-cli');
const TEMPLATE = path.join(CLI, 'templates', 'typescript-app');

// The template's devDependencies that `cdk8s synth` needs. cdk8s-cli itself runs from this
// project (the version whose template this is); jest and its types only serve the app's own
// tests. ts-node's peer dependency brings @types/node.
const SYNTH_DEV_DEPENDENCIES = ['typescript', 'ts-node'];

/** The template's package.json with the versions `cdk8s init` would fill in. */
function templatePackageJson(name: string): any {
  const cli = JSON.parse(fs.readFileSync(path.join(CLI, 'package.json'), 'utf8'));
  const versionOf = (pkg: string) => JSON.parse(fs.readFileSync(require.resolve(`${pkg}/package.json`, { paths: [CLI] }), 'utf8')).version;
  const text = fs.readFileSync(path.join(TEMPLATE, 'package.json'), 'utf8');
  const plus = text.match(/"(cdk8s-plus-\d+)":\s*"\^\{\{ cdk8s_plus_version \}\}"/)?.[1];
  if (!plus) throw new Error('the template no longer names a cdk8s-plus package: update this test');
  const values: Record<string, string> = {
    $base: name,
    cdk8s_core_version: versionOf('cdk8s'),
    cdk8s_plus_version: versionOf(plus),
    constructs_version: cli.dependencies.constructs.replace('^', ''),
    cdk8s_cli_spec: `^${cli.version}`,
  };
  const rendered = JSON.parse(text.replace(/\{\{ *([$\w]+) *\}\}/g, (_, key) => {
    if (!(key in values)) throw new Error(`unknown template value ${key}`);
    return values[key];
  }));
  rendered.devDependencies = Object.fromEntries(Object.entries(rendered.devDependencies)
    .filter(([dep]) => SYNTH_DEV_DEPENDENCIES.includes(dep)));
  return rendered;
}

interface RunResult { readonly code: number; readonly output: string }

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => output += d);
    child.stderr.on('data', (d) => output += d);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

async function ok(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  const result = await run(command, args, cwd, env);
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.code}:\n${result.output}`);
  return result.output;
}

describe('install into a fresh cdk8s app', () => {
  let work: string;
  let registry: LocalRegistry;

  beforeAll(async () => {
    const mtimes = (dir: string): number[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? mtimes(path.join(dir, e.name)) : [fs.statSync(path.join(dir, e.name)).mtimeMs]);
    const newestSource = Math.max(...mtimes(path.join(ROOT, 'src')));
    const assembly = path.join(ROOT, '.jsii');
    if (!fs.existsSync(assembly) || fs.statSync(assembly).mtimeMs < newestSource) {
      throw new Error('lib/ is missing or older than src/: run `npx projen compile` first');
    }
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-secure-argo-install-'));
    registry = await LocalRegistry.start(ROOT);
  });

  afterAll(async () => {
    await registry?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  test('npm install <tarball> and cdk8s synth of the README main.ts', async () => {
    // npm reads only this registry and a fresh cache: no user config, no network.
    const userrc = path.join(work, 'user.npmrc');
    const globalrc = path.join(work, 'global.npmrc');
    fs.writeFileSync(userrc, '');
    fs.writeFileSync(globalrc, '');
    const env: NodeJS.ProcessEnv = {
      ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key))),
      npm_config_registry: registry.url,
      npm_config_cache: path.join(work, 'npm-cache'),
      npm_config_userconfig: userrc,
      npm_config_globalconfig: globalrc,
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
    };

    const packed = JSON.parse(await ok('npm', ['pack', '--json', '--pack-destination', work], ROOT, env));
    const tarball = path.join(work, packed[0].filename);

    // The app, as `cdk8s init typescript-app` lays it out.
    const appDir = path.join(work, 'my-app');
    fs.mkdirSync(appDir);
    const pkg = templatePackageJson('my-app');
    fs.writeFileSync(path.join(appDir, 'package.json'), JSON.stringify(pkg, undefined, 2));
    for (const file of ['cdk8s.yaml', 'tsconfig.json']) fs.copyFileSync(path.join(TEMPLATE, file), path.join(appDir, file));
    const main = codeBlocks(path.join(ROOT, 'README.md')).find((b) => b.code.startsWith('// main.ts\n'));
    if (!main) throw new Error('README.md has no ```ts block starting with `// main.ts`');
    fs.writeFileSync(path.join(appDir, 'main.ts'), main.code);
    // The README has users export their release signing key to keys/release-signing.asc.
    fs.mkdirSync(path.join(appDir, 'keys'));
    fs.copyFileSync(path.join(ROOT, 'examples', 'keys', 'release-signing.asc'), path.join(appDir, 'keys', 'release-signing.asc'));
    await ok('npm', ['install'], appDir, env);

    // What the README tells users to run. Peers come from the app or are added by npm.
    await ok('npm', ['install', tarball], appDir, env);
    await ok('npm', ['ls', '--all'], appDir, env);
    const installed = JSON.parse(fs.readFileSync(path.join(appDir, 'package.json'), 'utf8'));
    expect(Object.keys(installed.dependencies).sort()).toEqual(['cdk8s', 'cdk8s-plus-33', 'cdk8s-secure-argo', 'constructs']);
    expect(registry.requestedPackages).toContain('cdk8s-plus-28'); // the peer npm added by itself

    // `cdk8s synth` runs `npx ts-node main.ts`, which type-checks main.ts and the library's
    // declarations with the template's tsconfig (no skipLibCheck).
    await ok(process.execPath, [path.join(CLI, 'bin', 'cdk8s'), 'synth', '--no-check-upgrade'], appDir, env);

    const outputs = fs.readdirSync(path.join(appDir, 'dist')).filter((f) => f.endsWith('.k8s.yaml'));
    expect(outputs.length).toBeGreaterThan(0);
    const manifests: Manifest[] = outputs.flatMap((f) => YAML.parseAllDocuments(fs.readFileSync(path.join(appDir, 'dist', f), 'utf8'))
      .map((d) => d.toJS()).filter((m) => m));
    expectValid(manifests);
    const kinds = new Set(manifests.map((m) => m.kind));
    for (const kind of ['ConfigMap', 'NetworkPolicy', 'AppProject', 'Application']) expect(kinds).toContain(kind);
  }, 240_000);
});

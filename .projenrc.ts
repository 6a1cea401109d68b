import { cdk8s, javascript, JsonFile } from 'projen';


const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-secure-argo',
  description: 'Hardened, typed cdk8s constructs for Argo CD and Argo Workflows',
  author: 'cdk8s-secure-argo maintainers',
  authorAddress: 'https://github.com/cdk8s-secure-argo',
  authorOrganization: true,
  repositoryUrl: 'https://github.com/cdk8s-secure-argo/cdk8s-secure-argo.git',
  homepage: 'https://github.com/cdk8s-secure-argo/cdk8s-secure-argo#readme',
  bugsUrl: 'https://github.com/cdk8s-secure-argo/cdk8s-secure-argo/issues',
  keywords: ['cdk8s', 'argo-cd', 'argo-workflows', 'gitops', 'kubernetes', 'security', 'sealed-secrets', 'external-secrets'],
  // 0.x: the API may still change between minor versions.
  stability: 'experimental',
  // jsii and the current cdk8s toolchain run on Node 20 or newer; older releases are end of life.
  minNodeVersion: '20.0.0',
  defaultReleaseBranch: 'main',
  projenrcTs: true,
  packageManager: javascript.NodePackageManager.NPM,
  jsiiVersion: '~5.9.0',
  // Peer ranges start at the versions the test suite runs against (projen pins those as dev
  // dependencies); test/install/ checks that the packed library installs into an app made from
  // the current cdk8s CLI template, which asks for newer releases of both.
  cdk8sVersion: '2.70.106',
  cdk8sVersionPinning: false,
  constructsVersion: '10.5.1',
  constructsVersionPinning: false,
  github: false,
  release: false,
  package: false,
  // dist/ holds what `npx projen synth:examples` writes (cdk8s's convention for manifests); the
  // packed library goes to artifacts/ so neither overwrites the other.
  artifactsDirectory: 'artifacts',
  depsUpgrade: false,
  // cdk8s-plus-28 supplies the typed Kubernetes 1.28 objects (its `k8s` module) the constructs
  // emit. It is a jsii module, so jsii wants it as a peer; none of its types is in our public API,
  // and npm 7+ installs a missing peer by itself, so `npm install cdk8s-secure-argo` is enough.
  peerDeps: ['cdk8s-plus-28@^2.5.6'],
  // yaml serializes the config embedded in ConfigMaps; it is not a jsii module, so it is bundled.
  bundledDeps: ['yaml@^2.8.0'],
  devDeps: [
    // casbin with Argo CD's own model file is the oracle the RBAC simulator is tested against.
    'casbin@^5.38.0',
    // test/install/ builds a fresh app from this version's typescript-app template.
    'cdk8s-cli@2.207.60',
    'ts-node@^10.9.2',
    'typescript@~5.9.3',
    '@types/node@^20',
    // Property-based tests drive the public API with hostile input.
    'fast-check@^4',
  ],
  gitignore: ['/dist/', '/artifacts/', '/benchmarks/out/', '*.cpuprofile'],
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'examples', 'benchmarks'],
    // Generated bindings are not ours to lint.
    ignorePatterns: ['src/imports/**', '*.d.ts', 'node_modules/', 'lib/'],
  },
  jestOptions: {
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    coverageText: false,
    jestConfig: {
      collectCoverage: false,
      testMatch: ['<rootDir>/test/**/*.test.ts'],
    },
  },
  tsconfigDev: {
    include: ['../examples/**/*.ts', '../benchmarks/**/*.ts'],
    compilerOptions: {},
  },
});

// The source tree layers one way: policy -> argocd | workflows | operations -> sso -> secrets ->
// core/private; argocd and workflows never import each other, and a folder's private/ is its own.
const LAYERS: Record<string, string[]> = {
  core: ['secrets', 'sso', 'argocd', 'workflows', 'operations', 'policy'],
  private: ['secrets', 'sso', 'argocd', 'workflows', 'operations', 'policy'],
  secrets: ['sso', 'argocd', 'workflows', 'operations', 'policy'],
  sso: ['argocd', 'workflows', 'operations', 'policy'],
  argocd: ['workflows', 'operations', 'policy'],
  workflows: ['argocd', 'operations', 'policy'],
  operations: ['policy'],
  policy: [],
};
const zones = Object.entries(LAYERS).flatMap(([folder, above]) => [
  ...above.map((upper) => ({
    target: `./src/${folder}`,
    from: `./src/${upper}`,
    message: `src/${folder} must not depend on src/${upper}: dependencies run policy -> argocd | workflows | operations -> sso -> secrets -> core/private`,
  })),
  ...Object.keys(LAYERS).filter((other) => other !== folder && other !== 'private').map((other) => ({
    target: `./src/${other}`,
    from: `./src/${folder}/private`,
    message: `src/${folder}/private is internal to src/${folder}`,
  })),
]);
project.eslint?.addRules({
  'import/no-cycle': ['error'],
  'import/no-restricted-paths': ['error', { zones }],
});

// The policy pack's strict schema check reads the vendored Kubernetes and CRD schemas at run
// time, so they ship in the package.
project.npmignore?.include('/schemas/');

// npm ci rejects the lock file unless unrs-resolver (pulled in by jest) is pinned.
project.package.addField('overrides', { 'unrs-resolver': '1.11.1' });

// Ship only what an app needs: the compiled library, its jsii assembly and the changelog (npm
// adds package.json, README.md, LICENSE and the bundled dependencies). A whitelist, so new
// folders (docs, benchmarks, examples, raw CRDs) never reach the package by accident.
project.package.addField('files', ['lib/**/*.js', 'lib/**/*.d.ts', '.jsii', 'CHANGELOG.md']);
// jsii-pacmak appends its outdir to .npmignore unless this exact line is there.
project.npmignore?.exclude('artifacts');

// ts-jest only transpiles; type-check tests, examples and scripts as part of the test task.
project.testTask.prependExec('tsc --noEmit -p test/tsconfig.json');

// Regenerate the typed bindings in src/imports/ from the pinned CRDs in imports/, offline.
const importTask = project.addTask('import', {
  description: 'Generate src/imports/ from the pinned CRD sources in imports/ (offline)',
});
importTask.exec('node scripts/import-crds.js');

// examples/ and benchmarks/ are programs, not library code: each folder gets a tsconfig so
// ts-node and eslint's project service find one (type-checking happens in test/tsconfig.json).
for (const dir of ['examples', 'benchmarks']) {
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: {
      extends: '../tsconfig.json',
      compilerOptions: { noEmit: true, rootDir: '..', module: 'commonjs', moduleResolution: 'node' },
      include: ['**/*.ts'],
    },
  });
}

// The main job: synthesize every example into dist/, one YAML file per chart.
project.addTask('synth:examples', {
  description: 'Synthesize every example in examples/ into dist/',
  exec: 'ts-node --transpile-only -P examples/tsconfig.json examples/synth.ts',
});

// The build must never change a tracked file (stale API.md, snapshots or bindings): note the
// work tree before compiling, compare after the tests (eslint --fix runs last in the test task).
project.preCompileTask.prependExec('node scripts/tree-state.js record');
project.testTask.exec('node scripts/tree-state.js check');

// Issue 7's benchmark: our constructs against the same objects as raw ApiObjects.
project.addTask('bench', {
  description: 'Benchmark synth at 0.1x, 1x and 10x against a raw ApiObject baseline',
  exec: 'ts-node --transpile-only -P benchmarks/tsconfig.json benchmarks/run.ts',
  receiveArgs: true,
});

project.synth();

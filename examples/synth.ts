// The main job: synthesizes every example in this folder into dist/<example>/, one YAML file per chart.
// Each example module exports `build(app)`, which adds its charts to the app, or `variants`: alternatives
// (e.g. two installs of Argo CD in one namespace, for two clusters), each an app of its own in
// dist/<example>-<variant>/. Each example gets an app of its own too: they are alternative platforms
// (several configure the same Argo CD namespace and projects), and the library refuses two objects that
// would overwrite each other in one app.
import * as fs from 'fs';
import * as path from 'path';
import { App, YamlOutputType } from 'cdk8s';

/** What an example module exports: `build` (one app), or `variants` (one app each). */
interface ExampleModule {
  readonly build?: (app: App) => void;
  readonly variants?: Record<string, (app: App) => void>;
}

/** The apps of the example `examples/<name>.ts`, each with its name: `<name>`, or `<name>-<variant>`. */
export function exampleApps(name: string): [appName: string, build: (app: App) => void][] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const example: ExampleModule = require(path.join(__dirname, name));
  if (example.variants !== undefined) return Object.entries(example.variants).map(([variant, build]) => [`${name}-${variant}`, build]);
  if (example.build === undefined) throw new Error(`examples/${name}.ts exports neither build(app) nor variants`);
  return [[name, example.build]];
}

/** The example names: every module of this folder but this one. */
export function exampleNames(): string[] {
  return fs.readdirSync(__dirname).filter((f) => f.endsWith('.ts') && f !== 'synth.ts').map((f) => path.basename(f, '.ts')).sort();
}

/** Synthesizes every example's apps into `<outdir>/<app>/`; returns the chart count per app. */
export function synthesizeExamples(outdir: string): Record<string, number> {
  fs.rmSync(outdir, { recursive: true, force: true });
  const charts: Record<string, number> = {};
  for (const [name, build] of exampleNames().flatMap(exampleApps)) {
    const app = new App({ outdir: path.join(outdir, name), yamlOutputType: YamlOutputType.FILE_PER_CHART });
    build(app);
    app.synth();
    charts[name] = app.charts.length;
  }
  return charts;
}

if (require.main === module) {
  const outdir = path.join(__dirname, '..', 'dist');
  const charts = synthesizeExamples(outdir);
  const total = Object.values(charts).reduce((a, b) => a + b, 0);
  console.log(`synthesized ${total} charts of ${Object.keys(charts).length} apps into ${path.relative(process.cwd(), outdir)}/<app>/`);
}

// The main job: synthesizes every example in this folder into dist/<example>/, one YAML file per chart.
// Each example module exports `build(app)`, which adds its charts to the app. Each example gets an app
// of its own: they are alternative platforms (several configure the same Argo CD namespace and
// projects), and the library refuses two objects that would overwrite each other in one app.
import * as fs from 'fs';
import * as path from 'path';
import { App, YamlOutputType } from 'cdk8s';

/** Synthesizes every example into `<outdir>/<example>/`; returns the chart count per example. */
export function synthesizeExamples(outdir: string): Record<string, number> {
  fs.rmSync(outdir, { recursive: true, force: true });
  const charts: Record<string, number> = {};
  for (const file of fs.readdirSync(__dirname).filter((f) => f.endsWith('.ts') && f !== 'synth.ts').sort()) {
    const name = path.basename(file, '.ts');
    const app = new App({ outdir: path.join(outdir, name), yamlOutputType: YamlOutputType.FILE_PER_CHART });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(path.join(__dirname, file)).build(app);
    app.synth();
    charts[name] = app.charts.length;
  }
  return charts;
}

if (require.main === module) {
  const outdir = path.join(__dirname, '..', 'dist');
  const charts = synthesizeExamples(outdir);
  const total = Object.values(charts).reduce((a, b) => a + b, 0);
  console.log(`synthesized ${total} charts of ${Object.keys(charts).length} examples into ${path.relative(process.cwd(), outdir)}/<example>/`);
}

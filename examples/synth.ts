// The main job: synthesizes every example in this folder into dist/, one YAML file per chart.
// Each example module exports `build(app)`, which adds its charts to the app.
import * as fs from 'fs';
import * as path from 'path';
import { App, YamlOutputType } from 'cdk8s';

const outdir = path.join(__dirname, '..', 'dist');
fs.rmSync(outdir, { recursive: true, force: true });

const app = new App({ outdir, yamlOutputType: YamlOutputType.FILE_PER_CHART });
for (const file of fs.readdirSync(__dirname).filter((f) => f.endsWith('.ts') && f !== 'synth.ts').sort()) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const example = require(path.join(__dirname, file));
  example.build(app, outdir);
}
app.synth();
console.log(`synthesized ${app.charts.length} charts into ${path.relative(process.cwd(), outdir)}/`);

// Smoke run of the synth benchmark (benchmarks/): the smallest platform that still holds every
// construct, built with the library and as raw ApiObjects. No timing here: `bench` measures.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import { buildBaseline } from '../benchmarks/baseline';
import { buildPlatform, platformCounts, synthCharts } from '../benchmarks/platform';
import { expectValid } from './support/validate';

const SCALE = 0.01;

function objectCount(app: App): number {
  return app.node.findAll().filter((c) => c instanceof ApiObject).length;
}

describe('synth benchmark, smoke run', () => {
  const library = new App();
  const counts = buildPlatform(library, SCALE);
  const libraryYaml = library.synthYaml();
  const charts = synthCharts(library);
  const manifests = charts.flatMap((c) => c.objects);

  const baseline = new App();
  const baselineObjects = buildBaseline(baseline, charts);
  const baselineYaml = baseline.synthYaml();

  test('the smallest scale builds at least one of each construct', () => {
    expect(counts).toMatchObject({ projects: 5, applications: 20, workflowNamespaces: 1, tenantCharts: 1 });
    const kinds = (kind: string) => manifests.filter((m) => m.kind === kind).length;
    expect(kinds('AppProject')).toBe(5);
    expect(kinds('Application')).toBe(20);
    expect(manifests.some((m) => m.kind === 'ConfigMap' && m.metadata.name === 'argocd-cm')).toBe(true);
    expect(manifests.some((m) => m.kind === 'Namespace' && m.metadata.name === 'wf-0000')).toBe(true);
  });

  test('scales round and never drop a construct', () => {
    expect(platformCounts(1)).toMatchObject({ projects: 500, applications: 2000, workflowNamespaces: 100, tenantCharts: 5 });
    expect(platformCounts(0.1)).toMatchObject({ projects: 50, applications: 200, workflowNamespaces: 10, tenantCharts: 1 });
    expect(platformCounts(0.001)).toMatchObject({ projects: 1, applications: 2, workflowNamespaces: 1, tenantCharts: 1 });
  });

  test('the baseline holds the same objects in the same charts', () => {
    expect(baselineObjects).toBe(manifests.length);
    expect(objectCount(baseline)).toBe(objectCount(library));
    expect(baseline.charts.map((c) => c.node.id)).toEqual(library.charts.map((c) => c.node.id));
  });

  test('the baseline synthesizes identical YAML', () => {
    expect(baselineYaml).toBe(libraryYaml);
  });

  test('the baseline has the same chart dependencies, so cdk8s synth writes the same files', () => {
    const dependencies = (app: App) => app.charts
      .map((c) => [c.node.id, c.node.dependencies.filter((d) => d instanceof Chart).map((d) => d.node.id)]);
    expect(dependencies(baseline)).toEqual(dependencies(library));
    const files = (build: (app: App) => void) => {
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-files-'));
      try {
        const app = new App({ outdir });
        build(app);
        app.synth();
        return Object.fromEntries(fs.readdirSync(outdir).sort().map((f) => [f, fs.readFileSync(path.join(outdir, f), 'utf-8')]));
      } finally {
        fs.rmSync(outdir, { recursive: true, force: true });
      }
    };
    const libraryFiles = files((app) => buildPlatform(app, SCALE));
    expect(Object.keys(libraryFiles)[0]).toMatch(/^0000-platform-crds\.k8s\.yaml$/);
    expect(files((app) => buildBaseline(app, charts))).toEqual(libraryFiles);
  });

  test('the reference platform is valid', () => {
    expectValid(manifests);
  });
});

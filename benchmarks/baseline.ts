// The floor the benchmark measures against: already synthesized objects emitted as plain cdk8s
// `ApiObject`s. Imports only cdk8s, so a baseline run does not load the library.
import { ApiObject, App, Chart } from 'cdk8s';

/** The JSON documents of one chart, in synth order, and the charts it depends on. */
export interface ChartManifests {
  readonly chartId: string;
  readonly objects: any[];
  /**
   * The ids of the charts this chart depends on. They decide the order and the names of the files
   * `cdk8s synth` writes (`0000-platform-crds.k8s.yaml` before `0001-platform.k8s.yaml`), so raw
   * ApiObjects that produce the same files declare the same dependencies.
   */
  readonly dependsOn: string[];
}

/**
 * Adds `charts` to `app` as raw `ApiObject`s in the same chart layout, with the same chart
 * dependencies; returns the object count.
 */
export function buildBaseline(app: App, charts: ChartManifests[]): number {
  let count = 0;
  const byId = new Map<string, Chart>();
  for (const { chartId, objects } of charts) {
    const chart = new Chart(app, chartId);
    byId.set(chartId, chart);
    objects.forEach((json, i) => {
      new ApiObject(chart, `o${i}`, json);
      count++;
    });
  }
  for (const { chartId, dependsOn } of charts) {
    for (const id of dependsOn) byId.get(chartId)!.addDependency(byId.get(id)!);
  }
  return count;
}

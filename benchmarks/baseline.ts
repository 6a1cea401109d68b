// The floor the benchmark measures against: already synthesized objects emitted as plain cdk8s
// `ApiObject`s. Imports only cdk8s, so a baseline run does not load the library.
import { ApiObject, App, Chart } from 'cdk8s';

/** The JSON documents of one chart, in synth order. */
export interface ChartManifests {
  readonly chartId: string;
  readonly objects: any[];
}

/** Adds `charts` to `app` as raw `ApiObject`s in the same chart layout; returns the object count. */
export function buildBaseline(app: App, charts: ChartManifests[]): number {
  let count = 0;
  for (const { chartId, objects } of charts) {
    const chart = new Chart(app, chartId);
    objects.forEach((json, i) => {
      new ApiObject(chart, `o${i}`, json);
      count++;
    });
  }
  return count;
}

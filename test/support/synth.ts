import { App, Chart, Testing } from 'cdk8s';

/** A synthesized Kubernetes object as plain JSON. */
export type Manifest = { apiVersion: string; kind: string; metadata: { name?: string; namespace?: string; [key: string]: any }; [key: string]: any };

/** A fresh chart in a fresh app, for construct tests. */
export function testChart(id = 'test'): Chart {
  return new Chart(Testing.app(), id);
}

/** Synthesizes one chart (validation hooks run) into plain objects. */
export function synth(chart: Chart): Manifest[] {
  return Testing.synth(chart) as Manifest[];
}

/** Synthesizes every chart of an app, keyed by chart id, in a stable order. */
export function synthApp(app: App): Record<string, Manifest[]> {
  const out: Record<string, Manifest[]> = {};
  for (const chart of [...app.charts].sort((a, b) => a.node.id.localeCompare(b.node.id))) {
    out[chart.node.id] = synth(chart);
  }
  return out;
}

/** The one object of the given kind and name; fails the test when there is not exactly one. */
export function findObject(manifests: Manifest[], kind: string, name?: string): Manifest {
  const found = manifests.filter((m) => m.kind === kind && (name === undefined || m.metadata.name === name));
  if (found.length !== 1) {
    throw new Error(`expected one ${kind}${name ? ` '${name}'` : ''}, found ${found.length}: ${manifests.map((m) => `${m.kind}/${m.metadata.name}`).join(', ')}`);
  }
  return found[0];
}

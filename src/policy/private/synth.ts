import { ApiObject, App } from 'cdk8s';
import { Obj } from './kube';

/** A synthesized object and the construct that wrote it. */
export interface SynthesizedObject {
  readonly manifest: Obj;
  readonly constructPath?: string;
}

function key(kind: unknown, namespace: unknown, name: unknown): string {
  return `${kind}|${namespace ?? ''}|${name}`;
}

/**
 * Every object of every chart (charts in id order, objects in chart order), with construct
 * paths. Synthesizing a chart resolves its objects as `cdk8s synth` does; the paths come from
 * the ApiObjects, matched by kind, namespace and name.
 */
export function manifestsOfApp(app: App): SynthesizedObject[] {
  const paths = new Map<string, string>();
  for (const c of app.node.findAll()) {
    if (ApiObject.isApiObject(c)) paths.set(key(c.kind, c.metadata.namespace, c.name), c.node.path);
  }
  const charts = [...app.charts].sort((a, b) => a.node.id.localeCompare(b.node.id));
  return charts.flatMap((chart) => (chart.toJson() as Obj[]).map((manifest) => ({
    manifest,
    constructPath: paths.get(key(manifest.kind, manifest.metadata?.namespace, manifest.metadata?.name)),
  })));
}

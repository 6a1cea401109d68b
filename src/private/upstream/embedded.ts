// Large upstream data (CRD schemas) ships inside the compiled library as gzip-compressed JSON in
// base64 chunks, written by scripts/vendor-crds.js from the vendored files in imports/: the
// package holds only lib/, and compressed, the Argo Workflows CRDs take 0.9 MB instead of
// 11.4 MiB of YAML. They are decoded only when synthesized, once per process.
import { gunzipSync } from 'zlib';
import { ApiObject, App, Chart, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { markVendoredBody } from '../stamp';

/** A vendored CustomResourceDefinition, as scripts/vendor-crds.js writes it. */
export interface EmbeddedCrd {
  /** e.g. `workflows.argoproj.io` */
  readonly name: string;
  /** e.g. `Workflow` */
  readonly kind: string;
  /** sha256 of the vendored full CRD file. */
  readonly fullSha256: string;
  /** The full CRD, compressed. */
  readonly full: readonly string[];
  /** sha256 of the vendored minimal CRD file, when upstream has a minimal variant. */
  readonly minimalSha256?: string;
  /** The minimal CRD, compressed, when upstream has one. */
  readonly minimal?: readonly string[];
}

const decoded = new Map<readonly string[], { [key: string]: any }>();

/**
 * The CRD object (full, or minimal where upstream has a minimal variant). Callers must not
 * modify it: it is shared.
 */
export function embeddedCrd(crd: EmbeddedCrd, minimal: boolean): { readonly [key: string]: any } {
  const chunks = minimal && crd.minimal ? crd.minimal : crd.full;
  let value = decoded.get(chunks);
  if (!value) {
    value = JSON.parse(gunzipSync(Buffer.from(chunks.join(''), 'base64')).toString('utf8')) as { [key: string]: any };
    decoded.set(chunks, value);
  }
  return value;
}

/** The sync option Argo CD applies CRDs with: large ones exceed client-side apply's last-applied annotation. */
const SERVER_SIDE_APPLY = { 'argocd.argoproj.io/sync-options': 'ServerSideApply=true' };

/**
 * Emits vendored CRDs under `scope` (whose construct registers with stamp.ts, which puts them
 * in sync wave 0), applied server-side, with the given labels. The spec is inflated at synth:
 * megabytes of schema are only worth building when they are written.
 */
export function emitEmbeddedCrds(scope: Construct, crds: readonly EmbeddedCrd[], labels: Record<string, string>, minimal = false): ApiObject[] {
  return crds.map((crd) => {
    const obj = new ApiObject(scope, crd.kind, {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: crd.name, labels, annotations: SERVER_SIDE_APPLY },
      spec: Lazy.any({ produce: () => embeddedCrd(crd, minimal).spec }),
    });
    markVendoredBody(obj);
    return obj;
  });
}

/**
 * The chart `<chart id>-crds` beside `scope`'s chart, created on first use and shared by every
 * install of that chart; `scope`'s chart depends on it, so cdk8s writes it first.
 */
export function crdChartFor(scope: Construct): Chart {
  const chart = Chart.of(scope);
  const id = `${chart.node.id}-crds`;
  const existing = App.of(scope).node.tryFindChild(id);
  const crdChart = existing instanceof Chart ? existing : new Chart(App.of(scope), id);
  chart.addDependency(crdChart);
  return crdChart;
}

// Requests and limits for upstream components: a preset table per product, overrides per component.
import { k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { ContainerResources } from '../../core/container-resources';
import { resourceRequirements } from '../pod-security';

/** CPU and memory for one container of one preset, requests and limits, as quantity strings. */
export interface SizingRow {
  readonly cpuRequest: string;
  readonly cpuLimit: string;
  readonly memoryRequest: string;
  readonly memoryLimit: string;
}

/** Per preset (e.g. `small`), per container key (e.g. `argocd-server`), the resources. */
export type SizingTable = { readonly [preset: string]: { readonly [container: string]: SizingRow } };

/**
 * The requirements of one container: the user's override when there is one, else the preset's
 * row for it, else the preset's `default` row (init containers and helpers). Plain JSON, for upstream objects.
 * The override is checked at synth on `scope` under `property`.
 */
export function sizedResources(
  scope: IConstruct, property: string, table: SizingTable, preset: string, container: string, override?: ContainerResources,
): Record<string, any> {
  if (override) return k8s.toJson_ResourceRequirements(resourceRequirements(scope, property, override))!;
  const rows = table[preset];
  if (!rows) throw new Error(`no sizing preset '${preset}'`);
  const row = rows[container] ?? rows.default;
  if (!row) throw new Error(`sizing preset '${preset}' has no row for '${container}' and no default`);
  return k8s.toJson_ResourceRequirements({
    requests: { cpu: k8s.Quantity.fromString(row.cpuRequest), memory: k8s.Quantity.fromString(row.memoryRequest) },
    limits: { cpu: k8s.Quantity.fromString(row.cpuLimit), memory: k8s.Quantity.fromString(row.memoryLimit) },
  })!;
}

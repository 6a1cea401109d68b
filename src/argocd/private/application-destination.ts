// Whether an Application's destination, or every destination an ApplicationSet's template can
// produce, is one its project permits.
import { hasAction, templateTexts } from './go-template';
import { IN_CLUSTER_SERVER } from './names';
import { isDestinationTemplatePermitted, projectDestinations } from './project-matching';
import { quoted } from '../../private/validate';
import type { IAppProject } from '../app-project';

/** A destination as an Application or an ApplicationSet's template gives it. */
export interface DestinationFields {
  readonly namespace: string;
  readonly server?: string;
  readonly name?: string;
}

/** The server and name the project's destinations are matched with: Argo CD knows the local cluster under both. */
export function resolvedCluster(dest: DestinationFields): { server?: string; name?: string } {
  const server = dest.server ?? (dest.name === undefined || dest.name === 'in-cluster' ? IN_CLUSTER_SERVER : undefined);
  const name = dest.name ?? (server === IN_CLUSTER_SERVER ? 'in-cluster' : undefined);
  return { server, name };
}

/**
 * `destination: <problem>` when the project does not permit the destination. `template`: the
 * fields are those of an ApplicationSet's template; one with an action (`{{...}}`) is refused only
 * when the project permits none of the values it can produce (each action may produce any text, so
 * what could be permitted is never refused; Argo CD checks each generated Application).
 */
export function destinationProblem(project: IAppProject, dest: DestinationFields, template: boolean = false): string | undefined {
  const where = `namespace ${quoted(dest.namespace)} on ${dest.name ? `cluster ${quoted(dest.name)}` : quoted(resolvedCluster(dest).server)}`;
  const fields = [dest.namespace, dest.server, dest.name].filter((v): v is string => v !== undefined);
  // A malformed template (reported on its own) is not read.
  if (template && fields.some((v) => templateTexts(v).some((t) => t.includes('{{') || t.includes('}}')))) return undefined;
  if (!template || !fields.some(hasAction)) {
    const { server, name } = resolvedCluster(dest);
    return project.isDestinationPermitted(dest.namespace, server, name) ? undefined
      : `destination: project '${project.projectName}' does not permit ${where}: add it to the project's destinations`;
  }
  const destinations = projectDestinations(project);
  if (destinations === undefined) return undefined;
  const namespace = hasAction(dest.namespace) ? templateTexts(dest.namespace) : [dest.namespace];
  const check = (server?: string[], name?: string[]) => isDestinationTemplatePermitted(destinations, namespace, server, name);
  const cluster = dest.name ?? dest.server;
  let permitted: boolean;
  if (cluster !== undefined && hasAction(cluster)) {
    const texts = templateTexts(cluster);
    const byName = dest.name !== undefined;
    // A template that can name the local cluster reaches it under both of its names.
    permitted = (byName ? check(undefined, texts) : check(texts)) || (canProduce(texts, byName ? 'in-cluster' : IN_CLUSTER_SERVER)
      && check([IN_CLUSTER_SERVER], ['in-cluster']));
  } else {
    const { server, name } = resolvedCluster(dest);
    permitted = check(server === undefined ? undefined : [server], name === undefined ? undefined : [name]);
  }
  return permitted ? undefined
    : `destination: project '${project.projectName}' permits no value of ${where} whatever the parameters are, so Argo CD would refuse every `
    + 'generated Application: add a destination that matches to the project\'s destinations, or change the template';
}

/** True when the template (its fixed texts, any text between them) can produce `value`. */
function canProduce(texts: string[], value: string): boolean {
  return new RegExp(`^${texts.map((t) => t.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&')).join('[\\s\\S]*')}$`, 'u').test(value);
}

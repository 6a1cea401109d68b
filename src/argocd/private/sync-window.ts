// Sync windows: the checks Argo CD's own parsers apply (robfig/cron, Go durations, time zones)
// and the AppProject rendering.
import { IConstruct } from 'constructs';
import * as l1 from '../../imports/argocd-argoproj.io';
import { cronProblem } from '../../private/cron';
import { goDurationProblem } from '../../private/duration';
import { deferredChecks, invalid } from '../../private/errors';
import { ianaTimeZoneProblem, quoted } from '../../private/validate';
import { SyncWindowKind, SyncWindowOptions } from '../project-options';

/**
 * Checks a sync window. Format problems (schedule, duration, time zone, globs) are reported at
 * synth with every other problem of the app; `globProblem` checks each application, namespace
 * and cluster glob.
 */
export function checkSyncWindow(
  scope: IConstruct, where: string, window: SyncWindowOptions, globProblem: (value: string) => string | undefined,
): void {
  if (window.kind !== SyncWindowKind.ALLOW && window.kind !== SyncWindowKind.DENY) {
    invalid(scope, `${where}.kind`, `${quoted(window.kind)} is not a window kind: use SyncWindowKind.ALLOW or SyncWindowKind.DENY`);
  }
  const lists = { applications: window.applications, namespaces: window.namespaces, clusters: window.clusters };
  if (Object.values(lists).every((l) => !l || l.length === 0)) {
    invalid(scope, where, 'applies to nothing: set applications, namespaces or clusters (e.g. applications: [\'*\'])');
  }
  const checks = deferredChecks(scope);
  // Argo CD parses windows with robfig/cron's five fields only: no '@daily'-style descriptors.
  checks.check(`${where}.schedule`, typeof window.schedule === 'string' && window.schedule.trim().startsWith('@')
    ? `${quoted(window.schedule)} is a descriptor, which Argo CD's sync windows do not read: write five fields, e.g. '0 0 * * *' for @daily`
    : cronProblem(window.schedule));
  checks.check(`${where}.duration`, goDurationProblem(window.duration));
  if (window.timeZone !== undefined) checks.check(`${where}.timeZone`, ianaTimeZoneProblem(window.timeZone));
  for (const [key, list] of Object.entries(lists)) (list ?? []).forEach((g, i) => checks.check(`${where}.${key}[${i}]`, globProblem(g)));
}

/** The window as `spec.syncWindows[]` of the AppProject. */
export function renderSyncWindow(w: SyncWindowOptions): l1.AppProjectSpecSyncWindows {
  return {
    kind: w.kind,
    schedule: w.schedule,
    duration: w.duration,
    applications: w.applications,
    namespaces: w.namespaces,
    clusters: w.clusters,
    manualSync: w.manualSync,
    timeZone: w.timeZone ?? 'UTC',
    andOperator: w.andOperator,
    syncOverrun: w.syncOverrun,
    description: w.description,
  };
}

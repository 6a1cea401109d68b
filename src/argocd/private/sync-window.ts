// Sync windows: the checks Argo CD's own parsers apply (robfig/cron, Go durations, time zones)
// and the AppProject rendering.
import { IConstruct } from 'constructs';
import * as l1 from '../../imports/argocd-argoproj.io';
import { invalid } from '../../private/errors';
import { isIanaTimeZone } from '../../private/validate';
import { SyncWindowKind, SyncWindowOptions } from '../project-options';

const GO_DURATION = /^(\d+(\.\d+)?(ns|us|\u00b5s|\u03bcs|ms|s|m|h))+$/;

/** Checks a sync window; `requireGlob` checks each application, namespace and cluster glob. */
export function checkSyncWindow(
  scope: IConstruct, where: string, window: SyncWindowOptions, requireGlob: (property: string, value: string) => void,
): void {
  if (window.kind !== SyncWindowKind.ALLOW && window.kind !== SyncWindowKind.DENY) {
    invalid(scope, `${where}.kind`, `'${window.kind}' is not a window kind: use SyncWindowKind.ALLOW or SyncWindowKind.DENY`);
  }
  const cron = cronProblem(window.schedule);
  if (cron) invalid(scope, `${where}.schedule`, `'${window.schedule}' is not a valid cron schedule: ${cron}`);
  if (!GO_DURATION.test(window.duration ?? '') || !/[1-9]/.test(window.duration)) {
    invalid(scope, `${where}.duration`, `'${window.duration}' is not a positive duration: use e.g. '1h', '30m' or '1h30m'`);
  }
  if (window.timeZone !== undefined && !isIanaTimeZone(window.timeZone)) {
    invalid(scope, `${where}.timeZone`, `'${window.timeZone}' is not an IANA time zone: use e.g. 'UTC' or 'Europe/Berlin'`);
  }
  const lists = { applications: window.applications, namespaces: window.namespaces, clusters: window.clusters };
  if (Object.values(lists).every((l) => !l || l.length === 0)) {
    invalid(scope, where, 'applies to nothing: set applications, namespaces or clusters (e.g. applications: [\'*\'])');
  }
  for (const [key, list] of Object.entries(lists)) (list ?? []).forEach((g, i) => requireGlob(`${where}.${key}[${i}]`, g));
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

const CRON_FIELDS: { name: string; min: number; max: number; names?: string[] }[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'day of week', min: 0, max: 6, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

/** What is wrong with a 5-field cron expression (the parser Argo CD's sync windows use), or undefined. */
function cronProblem(schedule: string): string | undefined {
  if (typeof schedule !== 'string') return 'it is not a string';
  const fields = schedule.trim().split(/\s+/);
  if (fields.length !== 5) return `it has ${fields.length} fields: use 5 (minute hour day-of-month month day-of-week)`;
  for (let f = 0; f < 5; f++) {
    const spec = CRON_FIELDS[f];
    const value = (token: string): number | undefined => {
      const upper = token.toUpperCase();
      if (spec.names && spec.names.includes(upper)) return spec.names.indexOf(upper) + spec.min;
      return /^\d+$/.test(token) ? Number(token) : undefined;
    };
    for (const item of fields[f].split(',')) {
      const [range, step, extra] = item.split('/');
      if (extra !== undefined || (step !== undefined && !/^[1-9]\d*$/.test(step))) return `'${item}' in the ${spec.name} field has an invalid step`;
      // robfig/cron reads '?' as '*' in every field.
      if (range === '*' || range === '?') continue;
      const [from, to, more] = range.split('-');
      const lo = value(from);
      const hi = to === undefined ? lo : value(to);
      if (more !== undefined || lo === undefined || hi === undefined) return `'${item}' in the ${spec.name} field is not a value, range or list`;
      if (lo < spec.min || hi > spec.max || lo > hi) return `'${item}' in the ${spec.name} field is outside ${spec.min}-${spec.max}`;
    }
  }
  return undefined;
}

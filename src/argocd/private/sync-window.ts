// Sync windows: the checks Argo CD's own parsers apply (robfig/cron, Go durations, time zones)
// and the AppProject rendering.
import { IConstruct } from 'constructs';
import { bindCronSchedule, isValidCronSchedule } from '../../core/cron-schedule';
import * as l1 from '../../imports/argocd-argoproj.io';
import { goDurationProblem, parseGoDuration } from '../../private/duration';
import { deferredChecks } from '../../private/errors';
import { ianaTimeZoneProblem, quoted, safeTextProblem } from '../../private/validate';
import { SyncWindowKind, SyncWindowOptions } from '../project-options';
import { bracketedHostProblem } from './project-matching';

/**
 * Checks a sync window. Format problems (schedule, duration, time zone, globs) are reported at
 * synth with every other problem of the app; `globProblem` checks each application, namespace
 * and cluster glob.
 */
export function checkSyncWindow(
  scope: IConstruct, where: string, window: SyncWindowOptions, globProblem: (value: string) => string | undefined,
): void {
  const checks = deferredChecks(scope);
  if (window.kind !== SyncWindowKind.ALLOW && window.kind !== SyncWindowKind.DENY) {
    checks.check(`${where}.kind`, `${quoted(window.kind)} is not a window kind: use SyncWindowKind.ALLOW or SyncWindowKind.DENY`);
  }
  const lists = { applications: window.applications, namespaces: window.namespaces, clusters: window.clusters };
  if (Object.values(lists).every((l) => !l || l.length === 0)) {
    checks.check(where, 'applies to nothing: set applications, namespaces or clusters (e.g. applications: [\'*\'])');
  }
  const schedule = bindCronSchedule(scope, `${where}.schedule`, window.schedule);
  // Argo CD parses windows with robfig/cron's five fields only: no '@daily'-style descriptors.
  const scheduleOk = isValidCronSchedule(window.schedule) && checks.check(`${where}.schedule`, schedule.trim().startsWith('@')
    ? `${quoted(schedule)} is a descriptor, which Argo CD's sync windows do not read: write five fields, e.g. CronSchedule.daily(0) for @daily`
    : undefined);
  const durationOk = checks.check(`${where}.duration`, goDurationProblem(window.duration));
  if (durationOk && scheduleOk) {
    const overrun = overnightOverrun(schedule, parseGoDuration(window.duration));
    if (overrun) scope.node.addMetadata('warning', `${where}: ${overrun}`);
  }
  if (window.timeZone !== undefined) checks.check(`${where}.timeZone`, ianaTimeZoneProblem(window.timeZone));
  if (window.description !== undefined) checks.check(`${where}.description`, safeTextProblem(window.description, { maxLength: 255 }));
  for (const [key, list] of Object.entries(lists)) {
    (list ?? []).forEach((g, i) => checks.check(`${where}.${key}[${i}]`, globProblem(g) ?? (key === 'clusters' ? bracketedHostProblem(g) : undefined)));
  }
}

/** The window as `spec.syncWindows[]` of the AppProject. */
export function renderSyncWindow(w: SyncWindowOptions): l1.AppProjectSpecSyncWindows {
  return {
    kind: w.kind,
    schedule: w.schedule.expressionString,
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

const DAY_MINUTES = 24 * 60;

/**
 * A schedule that opens several times a day (`0 9-18 * * 1-5`) starts a full window at each of
 * those times, so its last opening plus the duration can run into the next day (18:00 + 9h stays
 * open until 03:00): the hours are when the window opens, not its span. Returns the warning, or
 * undefined. A single daily opening that crosses midnight (a night freeze) is intended.
 */
function overnightOverrun(schedule: string, durationMs: number): string | undefined {
  const [minuteField, hourField] = schedule.trim().split(/\s+/);
  const minutes = expandField(minuteField, 0, 59);
  const hours = expandField(hourField, 0, 23);
  if (minutes.length * hours.length < 2) return undefined;
  const last = Math.max(...hours) * 60 + Math.max(...minutes);
  const end = last + durationMs / 60_000;
  if (end <= DAY_MINUTES) return undefined;
  const clock = (m: number) => `${String(Math.floor(m / 60) % 24).padStart(2, '0')}:${String(Math.floor(m % 60)).padStart(2, '0')}`;
  return `the schedule ${quoted(schedule)} opens the window several times a day, each for the whole duration: the one opened at ${clock(last)} stays open until ${clock(end)} the next day. Open it once (e.g. '0 9 * * 1-5' with 9h for 09:00-18:00)`;
}

/** The values of a cron field that already passed the cron check (numbers, `*`, `?`, lists, ranges, steps). */
function expandField(field: string, min: number, max: number): number[] {
  const values = new Set<number>();
  for (const item of field.split(',')) {
    const [range, stepText] = item.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    let from = min;
    let to = max;
    if (range !== '*' && range !== '?') {
      const [a, b] = range.split('-');
      from = Number(a);
      to = b !== undefined ? Number(b) : stepText !== undefined ? max : from;
    }
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return [...values];
}

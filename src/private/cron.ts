// Cron schedules as Argo CD (sync windows) and Argo Workflows (CronWorkflows) read them: both
// use robfig/cron v3's standard parser: five fields (minute hour day-of-month month
// day-of-week), each a list of `*`, `?`, values, ranges `a-b` and steps `/n`; month and weekday
// names (JAN-DEC, SUN-SAT, any case); or a descriptor (`@daily`, `@every 1h30m`). No Quartz
// extensions (`L`, `W`, `#`), no seconds field. A `CRON_TZ=`/`TZ=` prefix is refused: the
// constructs set the time zone through their `timeZone` property.
import { goDurationProblem } from './duration';
import { quoted } from './validate';

interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const FIELDS: readonly CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'day of week', min: 0, max: 6, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

const DESCRIPTORS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];

/** What is wrong with a cron schedule, or undefined. */
export function cronProblem(schedule: string): string | undefined {
  const fix = "use five fields (minute hour day-of-month month day-of-week), e.g. '0 6 * * *', or a descriptor such as '@daily'";
  if (typeof schedule !== 'string' || schedule.trim() === '') return `${quoted(schedule)} is not a cron schedule: ${fix}`;
  if (/[^\x20-\x7e]/.test(schedule)) return `${quoted(schedule)} contains control or non-ASCII characters: ${fix}`;
  const spec = schedule.trim();
  if (/^(CRON_)?TZ=/.test(spec)) return `${quoted(schedule)} sets its own time zone: remove the prefix and set the time zone with 'timeZone'`;
  if (spec.startsWith('@')) {
    // robfig matches a descriptor as the whole text: ' @daily' or '@every 1h ' fails to parse
    if (spec !== schedule) return `${quoted(schedule)} has spaces around a descriptor, which the parser refuses: remove them`;
    if (DESCRIPTORS.includes(spec)) return undefined;
    if (spec.startsWith('@every ')) {
      const problem = goDurationProblem(spec.slice('@every '.length));
      return problem === undefined ? undefined : `${quoted(schedule)}: the interval ${problem}`;
    }
    return `${quoted(schedule)} is not a known descriptor: use ${DESCRIPTORS.join(', ')} or '@every <duration>'`;
  }
  const fields = spec.split(/\s+/);
  if (fields.length !== 5) return `${quoted(schedule)} has ${fields.length} fields: ${fix}`;
  for (let f = 0; f < 5; f++) {
    const problem = fieldProblem(fields[f], FIELDS[f]);
    if (problem) return `${quoted(schedule)}: ${problem}`;
  }
  return undefined;
}

function fieldProblem(text: string, field: CronField): string | undefined {
  for (const item of text.split(',')) {
    const [range, step, extra] = item.split('/');
    if (extra !== undefined || (step !== undefined && !/^[1-9][0-9]*$/.test(step))) {
      return `'${item}' in the ${field.name} field has an invalid step: write e.g. '*/15'`;
    }
    // robfig/cron reads '?' as '*' in every field.
    if (range === '*' || range === '?') continue;
    const [from, to, more] = range.split('-');
    const lo = fieldValue(from, field);
    const hi = to === undefined ? lo : fieldValue(to, field);
    if (more !== undefined || lo === undefined || hi === undefined) {
      return `'${item}' in the ${field.name} field is not a value, range or list${field.names ? ` (names: ${field.names[0]}-${field.names[field.names.length - 1]})` : ''}: write e.g. '1-5' or '1,3'`;
    }
    if (lo < field.min || hi > field.max) return `'${item}' in the ${field.name} field is outside ${field.min}-${field.max}: use a value from ${field.min} to ${field.max}`;
    if (lo > hi) return `'${item}' in the ${field.name} field starts after it ends: write the smaller value first`;
  }
  return undefined;
}

function fieldValue(token: string, field: CronField): number | undefined {
  const upper = token.toUpperCase();
  if (field.names && field.names.includes(upper)) return field.names.indexOf(upper) + field.min;
  return /^[0-9]{1,4}$/.test(token) ? Number(token) : undefined;
}

import { IConstruct } from 'constructs';
import { cronProblem } from '../private/cron';
import { bindFactoryProblems, factoryProblemsOf, invalid, recordFactoryProblem } from '../private/errors';
import { integerProblem, quoted } from '../private/validate';

const CRON_SCHEDULE_SYMBOL = Symbol.for('cdk8s-secure-argo.CronSchedule');

/** A day of the week, as cron writes it. */
export enum DayOfWeek {
  /** Sunday. */
  SUNDAY = 'SUN',
  /** Monday. */
  MONDAY = 'MON',
  /** Tuesday. */
  TUESDAY = 'TUE',
  /** Wednesday. */
  WEDNESDAY = 'WED',
  /** Thursday. */
  THURSDAY = 'THU',
  /** Friday. */
  FRIDAY = 'FRI',
  /** Saturday. */
  SATURDAY = 'SAT',
}

/**
 * When something runs or opens: a cron schedule as Argo CD (sync windows) and Argo Workflows
 * (CronWorkflows) read it (robfig/cron: five fields, no seconds, no Quartz `L`/`W`/`#`). The
 * time zone is set next to the schedule (`timeZone`), never inside it. The factories never
 * throw: a problem is reported at synth with the path of the construct that uses the schedule.
 */
export class CronSchedule {
  /**
   * A cron expression: five fields (minute hour day-of-month month day-of-week) with `*`,
   * lists, ranges, steps and names (`MON-FRI`, `JAN`), e.g. `'0 3 * * 1-5'`; or a descriptor
   * such as `'@daily'` or `'@every 1h'` (CronWorkflows only: sync windows need five fields).
   * @param expression the cron expression
   */
  public static expression(expression: string): CronSchedule {
    const schedule = new CronSchedule(expression);
    const problem = cronProblem(expression);
    if (problem) recordFactoryProblem(schedule, 'expression', problem);
    return schedule;
  }

  /**
   * Every day at `hour:minute` (`'<minute> <hour> * * *'`).
   * @param hour 0-23
   * @param minute 0-59
   * @default minute 0
   */
  public static daily(hour: number, minute: number = 0): CronSchedule {
    return CronSchedule.at(`${minute} ${hour} * * *`, hour, minute);
  }

  /**
   * Monday to Friday at `hour:minute` (`'<minute> <hour> * * MON-FRI'`).
   * @param hour 0-23
   * @param minute 0-59
   * @default minute 0
   */
  public static weekdays(hour: number, minute: number = 0): CronSchedule {
    return CronSchedule.at(`${minute} ${hour} * * MON-FRI`, hour, minute);
  }

  /**
   * Once a week, on `day` at `hour:minute` (`'<minute> <hour> * * <day>'`).
   * @param day the day of the week
   * @param hour 0-23
   * @param minute 0-59
   * @default minute 0
   */
  public static weekly(day: DayOfWeek, hour: number, minute: number = 0): CronSchedule {
    const schedule = CronSchedule.at(`${minute} ${hour} * * ${day}`, hour, minute);
    if (!Object.values(DayOfWeek).includes(day)) recordFactoryProblem(schedule, 'day', `${quoted(String(day))} is not a DayOfWeek: use e.g. DayOfWeek.SUNDAY`);
    return schedule;
  }

  /**
   * Once a month, on `dayOfMonth` at `hour:minute` (`'<minute> <hour> <dayOfMonth> * *'`).
   * Days 29-31 are skipped in shorter months, so only 1-28 are accepted.
   * @param dayOfMonth 1-28
   * @param hour 0-23
   * @param minute 0-59
   * @default minute 0
   */
  public static monthly(dayOfMonth: number, hour: number, minute: number = 0): CronSchedule {
    const schedule = CronSchedule.at(`${minute} ${hour} ${dayOfMonth} * *`, hour, minute);
    rangeCheck(schedule, 'dayOfMonth', dayOfMonth, 1, 28);
    return schedule;
  }

  /**
   * Whether `x` is a CronSchedule, also one made by another copy of this library.
   * @param x any value
   */
  public static isCronSchedule(x: unknown): x is CronSchedule {
    return typeof x === 'object' && x !== null && CRON_SCHEDULE_SYMBOL in x;
  }

  private static at(expression: string, hour: number, minute: number): CronSchedule {
    const schedule = new CronSchedule(expression);
    rangeCheck(schedule, 'hour', hour, 0, 23);
    rangeCheck(schedule, 'minute', minute, 0, 59);
    return schedule;
  }

  private constructor(
    /** The expression as written to the output, e.g. `'0 3 * * 1-5'`. */
    public readonly expressionString: string,
  ) {
    Object.defineProperty(this, CRON_SCHEDULE_SYMBOL, { value: true });
  }
}

function rangeCheck(schedule: CronSchedule, property: string, value: number, min: number, max: number): void {
  const problem = integerProblem(value, min, max);
  if (problem) recordFactoryProblem(schedule, property, problem);
}

/**
 * The expression of a schedule a construct received as `property`: its factory problems are
 * reported at synth under the construct's path. A value that is not a CronSchedule (a plain
 * string from JavaScript) stops here with the fix.
 */
export function bindCronSchedule(scope: IConstruct, property: string, schedule: CronSchedule): string {
  if (!CronSchedule.isCronSchedule(schedule)) {
    invalid(scope, property, `is not a CronSchedule: write CronSchedule.expression(${quoted(schedule)}) or a factory such as CronSchedule.daily(6)`);
  }
  bindFactoryProblems(scope, property, schedule);
  return schedule.expressionString;
}

/** True when the schedule's factory found no problem. */
export function isValidCronSchedule(schedule: CronSchedule): boolean {
  return factoryProblemsOf(schedule).length === 0;
}

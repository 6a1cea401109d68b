import { Chart, Testing } from 'cdk8s';
import { CronSchedule, DayOfWeek, ProjectWithRoles, SyncWindowKind } from '../../src';
import { IN_CLUSTER_SERVER } from '../../src/argocd/private/names';
import { factoryProblemsOf } from '../../src/private/errors';
import { expectSynthErrors } from '../support/errors';

describe('CronSchedule', () => {
  test.each<[string, CronSchedule, string]>([
    ['expression', CronSchedule.expression('0 3 * * 1-5'), '0 3 * * 1-5'],
    ['descriptor', CronSchedule.expression('@every 1h30m'), '@every 1h30m'],
    ['daily', CronSchedule.daily(6), '0 6 * * *'],
    ['daily with minute', CronSchedule.daily(23, 45), '45 23 * * *'],
    ['weekdays', CronSchedule.weekdays(9), '0 9 * * MON-FRI'],
    ['weekly', CronSchedule.weekly(DayOfWeek.SUNDAY, 0), '0 0 * * SUN'],
    ['monthly', CronSchedule.monthly(1, 3), '0 3 1 * *'],
  ])('%s writes %s', (_, schedule, expected) => {
    expect(schedule.expressionString).toBe(expected);
    expect(factoryProblemsOf(schedule)).toEqual([]);
    expect(CronSchedule.isCronSchedule(schedule)).toBe(true);
  });

  test.each<[string, () => CronSchedule, string, RegExp]>([
    ['out of range', () => CronSchedule.expression('99 99 * * *'), 'expression', /'99' in the minute field is outside 0-59/],
    ['Quartz', () => CronSchedule.expression('0 6 L * *'), 'expression', /day of month field/],
    ['own time zone', () => CronSchedule.expression('CRON_TZ=UTC 0 6 * * *'), 'expression', /set the time zone with 'timeZone'/],
    // a Unicode line break would end the YAML line for go-yaml: refused, and echoed escaped
    ['line separator', () => CronSchedule.expression('0 6 * * *\u2028x'), 'expression', /'0 6 \* \* \*\\u2028x' contains control or non-ASCII/],
    ['six fields', () => CronSchedule.expression('0 0 6 * * *'), 'expression', /has 6 fields/],
    ['hour', () => CronSchedule.daily(24), 'hour', /24 is not a whole number from 0 to 23: give one in that range/],
    ['fractional minute', () => CronSchedule.weekdays(9, 0.5), 'minute', /0\.5 is not a whole number from 0 to 59: give one in that range/],
    ['day of month', () => CronSchedule.monthly(31, 3), 'dayOfMonth', /from 1 to 28/],
    ['day of week', () => CronSchedule.weekly('MONDAY' as DayOfWeek, 3), 'day', /'MONDAY' is not a DayOfWeek/],
  ])('records, never throws: %s', (_, make, property, message) => {
    const problems = factoryProblemsOf(make());
    expect(problems.map((p) => p.property)).toEqual([property]);
    expect(problems[0].problem).toMatch(message);
  });

  test('a construct reports its schedules problems at synth with its path and the property', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'platform');
    const window = { kind: SyncWindowKind.DENY, duration: '1h', applications: ['*'] };
    new ProjectWithRoles(chart, 'Team', {
      name: 'team-a',
      sourceRepos: ['https://github.com/myorg/*'],
      destinations: [{ server: IN_CLUSTER_SERVER, namespace: 'team-a' }],
      syncWindows: [
        { ...window, schedule: CronSchedule.daily(25) },
        { ...window, schedule: CronSchedule.expression('@daily') },
        { ...window, schedule: CronSchedule.expression('0 22 * * MON-FRI') },
      ],
    });
    expectSynthErrors(app, [
      /^\[platform\/Team\] ProjectWithRoles 'platform\/Team': syncWindows\[0\]\.schedule\.hour: 25 is not a whole number from 0 to 23: give one in that range$/,
      /^\[platform\/Team\] ProjectWithRoles 'platform\/Team': syncWindows\[1\]\.schedule: '@daily' is a descriptor, .* CronSchedule\.daily\(0\)/,
    ]);
  });

  test('a plain string (JavaScript callers) is refused with the fix', () => {
    const chart = new Chart(Testing.app(), 'platform');
    expect(() => new ProjectWithRoles(chart, 'Team', {
      name: 'team-a',
      sourceRepos: ['https://github.com/myorg/*'],
      destinations: [{ server: IN_CLUSTER_SERVER, namespace: 'team-a' }],
      syncWindows: [{ kind: SyncWindowKind.DENY, schedule: '0 22 * * *' as any, duration: '1h', applications: ['*'] }],
    })).toThrow(/syncWindows\[0\]\.schedule: is not a CronSchedule: write CronSchedule\.expression\('0 22 \* \* \*'\)/);
  });
});

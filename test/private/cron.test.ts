import { cronProblem } from '../../src/private/cron';

describe('cronProblem (robfig/cron standard parser)', () => {
  test.each([
    '0 6 * * *', '*/15 * * * *', '0 0 1 * *', '0 22 * * 1-5', '0 9-17/2 * * MON-FRI', '0 0 1 JAN,jul *', '30 3 ? * sun',
    '0 0 L-less * *'.replace('L-less', '15'), '5/10 * * * *', '0,30 0-23 1-31 1-12 0-6', '  0 6 * * *  ',
    '@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly', '@every 1h30m', '@every .5h',
  ])('accepts %j', (schedule) => {
    expect(cronProblem(schedule)).toBeUndefined();
  });

  test.each([
    ['99 99 * * *', /outside 0-59/],
    ['0 0 0 * *', /day of month field is outside 1-31/],
    ['a b c d e', /not a value/],
    ['0 0 * * 7', /outside 0-6/],
    ['0 0 * 13 *', /outside 1-12/],
    ['0 0 * * MON-SUN', /starts after it ends/],
    ['0 6 * *', /has 4 fields/],
    ['0 0 6 * * *', /has 6 fields/],
    ['*/0 * * * *', /invalid step/],
    ['*/x * * * *', /invalid step/],
    ['1/2/3 * * * *', /invalid step/],
    ['0 0 L * *', /not a value/],
    ['0 0 * * 1#2', /not a value/],
    ['1-2-3 * * * *', /not a value/],
    ['@reboot', /not a known descriptor/],
    ['@Daily', /not a known descriptor/],
    ['@every 1d', /interval/],
    ['@every', /not a known descriptor/],
    ['CRON_TZ=UTC 0 6 * * *', /timeZone/],
    ['TZ=UTC 0 6 * * *', /timeZone/],
    ['', /not a cron schedule/],
    ['0 6 * * *\u2028', /control or non-ASCII/],
    ['-1 * * * *', /not a value/],
    ['+5 * * * *', /not a value/],
  ])('refuses %j', (schedule, message) => {
    expect(cronProblem(schedule)).toMatch(message);
  });

  test('never echoes raw control characters', () => {
    expect(cronProblem('0\t6 * * *\n')).toContain("'0\\t6 * * *\\n'");
    const problem = cronProblem('0 6\u0085 * * *')!;
    expect(problem).toContain('\\u0085');
    expect(problem).not.toMatch(/[\u0000-\u001f\u0085]/);
  });

  test('random field values are judged by their bounds (property)', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 500; i++) {
      const minute = Math.floor(random() * 80);
      const hour = Math.floor(random() * 30);
      const problem = cronProblem(`${minute} ${hour} * * *`);
      expect(problem === undefined).toBe(minute <= 59 && hour <= 23);
    }
  });
});

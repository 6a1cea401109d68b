import { Duration } from 'cdk8s';
import { compactDuration, goDuration, goDurationProblem, parseGoDuration } from '../../src/private/duration';

describe('Go durations', () => {
  test.each([
    ['90m', 90 * 60_000], ['1h30m', 90 * 60_000], ['.5h', 30 * 60_000], ['5.h', 5 * 3600_000], ['1.5s', 1500],
    ['100ms', 100], ['2h45m30s', (2 * 3600 + 45 * 60 + 30) * 1000], ['1500us', 1.5], ['1000\u00b5s', 1], ['1000\u03bcs', 1],
  ])('%s is %d ms', (text, ms) => {
    expect(goDurationProblem(text)).toBeUndefined();
    expect(parseGoDuration(text)).toBeCloseTo(ms);
  });

  test.each(['', '0', '0s', '1', 'h', '.h', '1d', '-1h', '+1h', '1h ', ' 1h', '1H', '1h30', '9999999h', 'abc', '1..5h'])('%j is refused', (text) => {
    expect(goDurationProblem(text)).toBeDefined();
    expect(() => parseGoDuration(text)).toThrow(/duration|zero/);
  });

  test('overflow beyond int64 nanoseconds is refused, the maximum is accepted', () => {
    expect(goDurationProblem('2562047h')).toBeUndefined();
    expect(goDurationProblem('2562048h')).toMatch(/maximum/);
  });

  test('problems quote control characters safely', () => {
    expect(goDurationProblem('1h\n2m')).toContain("'1h\\n2m'");
  });
});

describe('encoders (output unchanged)', () => {
  test('goDuration writes the External Secrets form', () => {
    expect(goDuration(Duration.hours(1))).toBe('1h0m0s');
    expect(goDuration(Duration.minutes(90))).toBe('1h30m0s');
    expect(goDuration(Duration.seconds(330))).toBe('5m30s');
    expect(goDuration(Duration.seconds(45))).toBe('45s');
  });

  test('compactDuration writes the largest whole unit, days when allowed', () => {
    expect(compactDuration(Duration.days(7), true)).toBe('7d');
    expect(compactDuration(Duration.days(7), false)).toBe('168h');
    expect(compactDuration(Duration.minutes(90), true)).toBe('90m');
    expect(compactDuration(Duration.seconds(45), false)).toBe('45s');
  });
});

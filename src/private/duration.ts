// Durations as Go's `time.ParseDuration` reads them (Argo CD sync windows, `@every` schedules),
// and the two encodings the library writes.
import { Duration } from 'cdk8s';
import { quoted } from './validate';

/** The longest Go `time.Duration` in whole seconds (an int64 of nanoseconds: about 2562047h). */
export const MAX_GO_DURATION_SECONDS = 9223372036;

/** Nanoseconds per Go duration unit. */
const UNITS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};
/** Go's time.Duration is an int64 of nanoseconds. */
const MAX_NANOSECONDS = 2 ** 63 - 1;
const TERM = /([0-9]*)(?:\.([0-9]*))?(ns|us|\u00b5s|\u03bcs|ms|s|m|h)/y;

/** The duration in nanoseconds, or a problem. */
function parse(text: string): number | string {
  const fix = "use a positive Go duration such as '90m', '1h30m' or '.5h' (units ns, us, ms, s, m, h)";
  if (typeof text !== 'string' || text === '') return `${quoted(text)} is not a duration: ${fix}`;
  let total = 0;
  TERM.lastIndex = 0;
  let at = 0;
  while (at < text.length) {
    TERM.lastIndex = at;
    const m = TERM.exec(text);
    if (!m || (m[1] === '' && (m[2] ?? '') === '')) return `${quoted(text)} is not a duration: ${fix}`;
    const value = Number(`${m[1] || '0'}.${m[2] || '0'}`);
    total += value * UNITS[m[3]];
    at = TERM.lastIndex;
  }
  if (total > MAX_NANOSECONDS) return `${quoted(text)} is longer than Go's maximum duration (about 2562047h): use a shorter one`;
  if (total <= 0) return `${quoted(text)} is zero: ${fix}`;
  return total;
}

/** What is wrong with a positive Go duration (`90m`, `1h30m`, `.5h`), or undefined. */
export function goDurationProblem(text: string): string | undefined {
  const result = parse(text);
  return typeof result === 'string' ? result : undefined;
}

/** A positive Go duration in milliseconds; throws when {@link goDurationProblem} finds a problem. */
export function parseGoDuration(text: string): number {
  const result = parse(text);
  if (typeof result === 'string') throw new Error(result);
  return result / 1e6;
}

/**
 * What is wrong with a duration given as a whole number of seconds from `min` to `max`, or
 * undefined: fractions, NaN and Infinity are refused (the fields are integers), and so are
 * values above `max`, the largest the reader takes (an int32 field, a Go duration).
 */
export function wholeSecondsProblem(duration: Duration, min: number, max: number = MAX_GO_DURATION_SECONDS): string | undefined {
  const seconds = duration.toSeconds({ integral: false });
  if (Number.isSafeInteger(seconds) && seconds >= min && seconds <= max) return undefined;
  return `must be a ${min === 1 ? 'positive whole number of seconds' : `whole number of seconds from ${min}`} up to ${max} (got ${seconds}): `
    + 'give e.g. Duration.minutes(10)';
}

/**
 * A Go duration as External Secrets writes it (`1h0m0s`, `5m30s`, `45s`), from whole seconds.
 */
export function goDuration(duration: Duration): string {
  const total = Math.round(duration.toSeconds());
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}h${m}m${s}s` : m > 0 ? `${m}m${s}s` : `${s}s`;
}

/**
 * A duration in its largest whole unit (`8h`, `90m`, `45s`), or `<n>d` when `allowDays` (Argo
 * Workflows' TTL parser reads days).
 */
export function compactDuration(duration: Duration, allowDays: boolean): string {
  const s = duration.toSeconds();
  if (allowDays && s % 86400 === 0) return `${s / 86400}d`;
  if (s % 3600 === 0) return `${s / 3600}h`;
  if (s % 60 === 0) return `${s / 60}m`;
  return `${s}s`;
}

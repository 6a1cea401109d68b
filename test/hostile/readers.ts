// How the readers of our output read it, written independently of the library's own checks:
// go-yaml (YAML 1.1, Kubernetes, Argo CD, Dex), Go's encoding/pem and Go's net/url.
import * as fs from 'fs';
import { join } from 'path';
import { isDeepStrictEqual } from 'util';
import { ApiObject, App, Chart, Testing, Yaml } from 'cdk8s';
import * as fc from 'fast-check';
import * as YAML from 'yaml';
import { SecureArgoCD, SecureArgoCDProps } from '../../src';

/** Deterministic, moderate runs: the whole hostile suite stays within CI's time budget. */
export const RUNS = { seed: 1302, numRuns: 30 };

/** Values that readers take differently from JavaScript, one of each class. */
export const HOSTILE_PIECES = [
  '\u2028', '\u2029', '\u0085', '\u0000', '\u0001', '\u001b', '\u007f', '\u0080', '\u009b', '\ud800', '\udc00',
  '\ufeff', '\n', '\r', '\t', ' ', '%zz', '%', '\uff45', ': ', '- ', '#', '"', "'", '{{', '\\', 'x'.repeat(3000),
];
/** Strings a YAML 1.1 reader (or Go's number parsing) takes for booleans, numbers, nulls or dates. */
export const YAML11_WORDS = ['on', 'off', 'yes', 'no', 'y', 'n', 'Y', 'ON', 'True', '~', 'null', '0o17', '0x1F', '017', '1_000', '1:20', '.inf', '2001-12-14', '=', '<<'];
/** Valid values that must be accepted (groups with spaces or non-ASCII letters). */
export const FRIENDLY = ['Platform Admins', 'my-org:Team Alpha', '\u00e9quipe-ops', 'team-a'];

/** Free text: YAML 1.1 words, a hostile piece inside an ordinary string, random code units, friendly values. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...YAML11_WORDS),
  fc.tuple(fc.string({ maxLength: 6 }), fc.constantFrom(...HOSTILE_PIECES), fc.string({ maxLength: 6 })).map(([a, b, c]) => `${a}${b}${c}`),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom(...FRIENDLY),
);

/** URLs: scheme, host and path variants that Go's net/url reads differently from how they are written. */
export const hostileUrl: fc.Arbitrary<string> = fc.tuple(
  fc.constantFrom('https://', 'https://', 'HTTPS://', 'http://', ' https://', 'https:/'),
  fc.constantFrom('idp.example.com', 'idp.example.com', '\uff45xample.com', 'idp.example.com:99999', 'idp.example.com:0443', '10.0.0.1', '[::1]', 'user@idp.example.com', ''),
  fc.constantFrom('', '/realms/main', '/a%zz', '/a b', '/%41', '/\u2028', '\n', '?q=1', '#f', '/../x', '/a\u0085', ' '),
).map(([s, h, p]) => `${s}${h}${p}`);

const GO_INT = /^[-+]?(0b[01_]+|0o[0-7_]+|0x[0-9a-f_]+|[0-9][0-9_]*)$/i;
/** Characters go-yaml refuses in a document (C0 except tab/LF/CR, DEL, C1 except NEL, non-characters). */
const GO_YAML_REFUSED = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f\ufffe\uffff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Reads YAML text as go-yaml does: refuses documents with characters it refuses, takes
 * U+0085/U+2028/U+2029 as line breaks, reads YAML 1.1 booleans and Go integer forms.
 * Returns undefined when go-yaml would refuse the document.
 */
export function readAsGoYaml(text: string): unknown {
  if (GO_YAML_REFUSED.test(text) || LONE_SURROGATE.test(text)) return undefined;
  const doc = YAML.parseDocument(text.replace(/[\u0085\u2028\u2029]/g, '\n'), { version: '1.1' });
  if (doc.errors.length > 0) return undefined;
  YAML.visit(doc, {
    Scalar(_key, node) {
      if (node.type === 'PLAIN' && typeof node.value === 'string' && GO_INT.test(node.value)) node.value = Number(node.value.replace(/_/g, ''));
    },
  });
  return doc.toJS();
}

/**
 * Whether Go's net/url reads `url` as the https URL it is written as: printable ASCII, `%` only
 * before two hex digits, a lower-case https scheme, a host and a port from 1 to 65535 without
 * leading zeros, no dot segments, no characters url.String() would escape.
 */
export function goReadsHttpsUrlAsWritten(url: string): boolean {
  if (!/^[\x21-\x7e]+$/.test(url) || /%(?![0-9a-fA-F]{2})/.test(url)) return false;
  const m = /^https:\/\/([^/?#@]*)([^?#]*)(\?[^#]*)?(#.*)?$/.exec(url);
  if (!m) return false;
  const hp = /^([a-z0-9.-]+|\[[0-9a-f:]+\])(?::([1-9][0-9]{0,4}))?$/i.exec(m[1]);
  if (!hp || (hp[2] !== undefined && Number(hp[2]) > 65535)) return false;
  return !/[\\"<>^`{|} ]/.test(m[2]) && !/(^|\/)\.\.?(\/|$)/.test(m[2]);
}

/**
 * The blocks Go's encoding/pem finds in `text` (type and base64 body), or undefined when a
 * block is malformed: BEGIN/END lines must start a line, body lines hold base64 plus trailing
 * spaces, tabs or CR only.
 */
export function goPemBlocks(text: string): { type: string; body: string }[] | undefined {
  const blocks: { type: string; body: string }[] = [];
  const lines = text.split('\n');
  let i = 0;
  while (i < lines.length) {
    const begin = /^-----BEGIN ([A-Z0-9 ]+)-----[ \t\r]*$/.exec(lines[i]);
    i++;
    if (!begin) continue;
    let body = '';
    while (i < lines.length && !lines[i].startsWith('-----END ')) {
      const line = lines[i].replace(/[ \t\r]+$/, '');
      if (!/^[A-Za-z0-9+/=]*$/.test(line)) return undefined;
      body += line;
      i++;
    }
    if (i >= lines.length || !new RegExp(`^-----END ${begin[1]}-----[ \\t\\r]*$`).test(lines[i])) return undefined;
    blocks.push({ type: begin[1], body });
    i++;
  }
  return blocks;
}

/** A fresh app and chart. */
export function freshChart(): Chart {
  return new Chart(Testing.app(), 'test');
}

/** The problems one synth reports (`[path] message` lines), a thrown error's message, or []. */
export function synthProblems(app: App, build: () => void): string[] {
  try {
    build();
    app.synthYaml();
  } catch (e) {
    const message = (e as Error).message;
    return message.startsWith('Validation failed') ? message.split('\n').slice(1).map((l) => l.trim()).filter((l) => l) : [message];
  }
  return [];
}

/**
 * Builds `value` through `field` in a fresh chart and synthesizes it. A refusal must name the
 * construct (`test/<owner>`), the property and a fix, and gives undefined. Otherwise `field.valid`
 * must accept the value and go-yaml must read the output, whose documents are returned.
 * `thrownByCdk8s` matches what cdk8s's own factories (Cpu, Size, Duration) throw at the caller's
 * line, without a construct path.
 */
export function refusedOrGoYamlDocs<T>(
  field: { owner: string; property: string; build: (chart: Chart, value: T) => void; valid?: (value: T) => boolean },
  value: T,
  thrownByCdk8s?: RegExp,
): any[] | undefined {
  const chart = freshChart();
  let yaml = '';
  const problems = synthProblems(chart.node.scope as App, () => {
    field.build(chart, value);
    yaml = (chart.node.scope as App).synthYaml();
  });
  if (thrownByCdk8s && problems.length === 1 && thrownByCdk8s.test(problems[0])) return undefined;
  if (problems.length > 0) {
    expectUsefulRefusal(problems, `test/${field.owner}`, field.property);
    return undefined;
  }
  if (field.valid) expect([value, field.valid(value)]).toEqual([value, true]);
  const docs = goYamlDocuments(yaml);
  if (docs === undefined) throw new Error(`go-yaml refuses the output written for ${JSON.stringify(value)}:\n${yaml}`);
  return docs;
}

const FIX_VERB = /\b(give|use|remove|append|pass|write|shorten|percent-encode|add|set|list|provide|delete|move|quote|acknowledge|name|declare|put|split|export|should be|closed? by)\b|\be\.g\./i;

/**
 * Asserts that a refusal names the construct path, the property (or a part of it, or the list
 * or object that holds it) and a fix, and never echoes a raw control character. `output` names
 * the output field the property lands in (`output AppProject 'team-a' spec.description`), which
 * the output floor reports for values only the final YAML check catches.
 */
export function expectUsefulRefusal(problems: string[], path: string, property: string, output?: string): void {
  const related = (named: string) => named === output || [named, property].some((a) => {
    const b = a === named ? property : named;
    return a === b || (a.startsWith(b) && /^[.[]/.test(a.slice(b.length)));
  });
  const mine = problems.flatMap((p) => {
    const m = /^(?:\[[^\]]*\] )?\w+ '[^']*': (.*?): (.*)$/s.exec(p);
    return p.includes(path) && m && related(m[1]) ? [{ p, problem: m[2] }] : [];
  });
  if (mine.length === 0) throw new Error(`no problem names ${path} and ${property}: ${JSON.stringify(problems)}`);
  for (const { p, problem } of mine) {
    if (!FIX_VERB.test(problem)) throw new Error(`no fix in ${JSON.stringify(p)}`);
    if (/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/.test(p)) throw new Error(`raw control character echoed in ${JSON.stringify(p)}`);
  }
}

/** Each YAML document of a multi-document stream, read as go-yaml reads it (refused documents left out). */
export function readGoYamlDocs(text: string): any[] {
  return text.split(/^---$/m).map((d) => readAsGoYaml(d)).filter((d) => d);
}

const CRON_FIELDS: [min: number, max: number, names?: string[]][] = [
  [0, 59], [0, 23], [1, 31],
  [1, 12, ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC']],
  [0, 6, ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT']],
];

/**
 * Whether robfig/cron v3's standard parser (Argo CD sync windows: five fields, no descriptors)
 * reads `schedule`: fields split on spaces and tabs, each a list of `*`, `?`, a value or a
 * range, with an optional step; names in the month and weekday fields in any case.
 */
export function robfigStandardParses(schedule: string): boolean {
  const fields = schedule.split(/[ \t]+/).filter((f) => f !== '');
  if (fields.length !== 5 || /[^\x20-\x7e\t]/.test(schedule)) return false;
  return fields.every((field, i) => {
    const [min, max, names] = CRON_FIELDS[i];
    const value = (v: string) => {
      const n = names?.indexOf(v.toUpperCase()) ?? -1;
      if (n >= 0) return min + n;
      return /^[0-9]+$/.test(v) ? Number(v) : NaN;
    };
    return field.split(',').every((item) => {
      const [range, step, ...rest] = item.split('/');
      if (rest.length > 0 || (step !== undefined && !/^[0-9]+$/.test(step)) || step === '0') return false;
      if (range === '*' || range === '?') return true;
      const [a, b, ...more] = range.split('-');
      const lo = value(a);
      const hi = b === undefined ? (step !== undefined ? max : lo) : value(b);
      return more.length === 0 && Number.isInteger(lo) && Number.isInteger(hi) && lo >= min && hi <= max && lo <= hi;
    });
  });
}

/** Whether Go's time.ParseDuration reads `text` as a positive duration (no overflow). */
export function goParsesPositiveDuration(text: string): boolean {
  const part = /([0-9]+\.?[0-9]*|\.[0-9]+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)/g;
  if (!new RegExp(`^\\+?(${part.source})+$`).test(text)) return false;
  const unit: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1e3, m: 6e4, h: 3.6e6 };
  let total = 0;
  for (const m of text.matchAll(part)) total += Number(m[1]) * unit[m[2]];
  return total > 0 && total < 2562047 * 3.6e6;
}

/** Numbers that Go's integer fields, strconv and JSON decoding read differently from JavaScript. */
export const HOSTILE_NUMBERS = [
  NaN, Infinity, -Infinity, 1e21, -1, 0, -0, 0.5, 1.5, 2 ** 31, 2 ** 31 - 1, 2 ** 32, 2 ** 53, 2 ** 63, 65535, 65536, 1e-7,
];

/** Numbers: hostile constants, small and large integers, fractions. */
export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(...HOSTILE_NUMBERS),
  fc.integer({ min: -5, max: 100 }),
  fc.integer(),
  fc.double({ noNaN: false }),
);

/** The ranges of Go's integer types (int is 64-bit on the platforms Argo ships for). */
const GO_INT_RANGES = { int32: [-(2 ** 31), 2 ** 31 - 1], int64: [-(2 ** 63), 2 ** 63 - 1] } as const;

/**
 * Whether a value parsed from YAML reaches a Go integer field of `type` (encoding/json through
 * sigs.k8s.io/yaml, as Kubernetes and the Argo controllers decode): a number written as an integer
 * literal (JavaScript writes larger ones as `1e+21`, which the decoder refuses) within the range.
 */
export function goReadsInteger(value: unknown, type: keyof typeof GO_INT_RANGES): boolean {
  const [min, max] = GO_INT_RANGES[type];
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max;
}

/** Go's strconv.Atoi on a 64-bit platform: the integer, or undefined where Go returns an error. */
export function goAtoi(text: string): number | undefined {
  if (!/^[+-]?[0-9]+$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Go's time.ParseDuration: milliseconds, or undefined where Go returns an error (overflow included). */
export function goParseDuration(text: string): number | undefined {
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1e3, m: 6e4, h: 3.6e6 };
  if (text === '0') return 0;
  const m = /^[-+]?((?:[0-9]*\.?[0-9]*(?:ns|us|µs|μs|ms|s|m|h))+)$/.exec(text);
  if (!m) return undefined;
  let ms = 0;
  for (const part of m[1].matchAll(/([0-9]*\.?[0-9]*)(ns|us|µs|μs|ms|s|m|h)/g)) {
    if (part[1] === '' || part[1] === '.') return undefined;
    ms += Number(part[1]) * units[part[2]];
  }
  // time.Duration is an int64 of nanoseconds
  return ms * 1e6 > 2 ** 63 - 1 ? undefined : (text.startsWith('-') ? -ms : ms);
}

const ROBFIG_FIELDS: [min: number, max: number, names?: string[]][] = [
  [0, 59], [0, 23], [1, 31], [1, 12, ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']],
  [0, 6, ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']],
];

/**
 * robfig/cron v3's standard parser (Argo CD sync windows, Argo Workflows CronWorkflows): the
 * five fields as sets of values (descriptors as written), or undefined where it returns an error.
 * Fields are split as Go's strings.Fields splits (any Unicode space).
 */
export function robfigCron(spec: string): number[][] | string | undefined {
  if (spec.startsWith('@')) {
    if (['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'].includes(spec)) return spec;
    const every = /^@every (.*)$/.exec(spec);
    return every && goParseDuration(every[1]) !== undefined ? spec : undefined;
  }
  const fields = spec.split(/[\s\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/).filter((f) => f !== '');
  if (fields.length !== 5) return undefined;
  const out: number[][] = [];
  for (const [i, field] of fields.entries()) {
    const [min, max, names] = ROBFIG_FIELDS[i];
    const int = (s: string) => {
      const named = names?.indexOf(s.toLowerCase()) ?? -1;
      if (named >= 0) return named + (i === 3 ? 1 : 0);
      const n = goAtoi(s);
      return n === undefined || n < 0 ? undefined : n;
    };
    const values = new Set<number>();
    for (const expr of field.split(',')) {
      const [range, stepText, ...rest] = expr.split('/');
      if (rest.length > 0) return undefined;
      const bounds = range.split('-');
      let start: number | undefined;
      let end: number | undefined;
      if (bounds.length === 1 && (range === '*' || range === '?')) [start, end] = [min, max];
      else if (bounds.length === 1) [start, end] = [int(range), stepText === undefined ? int(range) : max];
      else if (bounds.length === 2) [start, end] = [int(bounds[0]), int(bounds[1])];
      else return undefined;
      const step = stepText === undefined ? 1 : int(stepText);
      if (start === undefined || end === undefined || step === undefined || step === 0 || start < min || end > max || start > end) return undefined;
      for (let v = start; v <= end; v += step) values.add(v);
    }
    out.push([...values].sort((a, b) => a - b));
  }
  return out;
}

/**
 * Go's time.LoadLocation on Linux: 'UTC', or a file of the tz database found by its exact,
 * case-sensitive name (where the machine has none, Intl's canonical names, also exact).
 */
export function goLoadsLocation(name: string): boolean {
  if (name === 'UTC') return true;
  if (name === '' || name === 'Local' || name.includes('..') || name.startsWith('/') || name.includes('\\') || /[\0]/.test(name)) return false;
  const dir = '/usr/share/zoneinfo';
  if (!fs.existsSync(dir)) return Intl.supportedValuesOf('timeZone').includes(name);
  const file = join(dir, name);
  try {
    return fs.statSync(file).isFile() && fs.readFileSync(file).subarray(0, 4).toString('latin1') === 'TZif';
  } catch {
    return false;
  }
}

const QUANTITY_SUFFIX: Record<string, number> = {
  '': 1,
  'n': 1e-9,
  'u': 1e-6,
  'm': 1e-3,
  'k': 1e3,
  'M': 1e6,
  'G': 1e9,
  'T': 1e12,
  'P': 1e15,
  'E': 1e18,
  'Ki': 2 ** 10,
  'Mi': 2 ** 20,
  'Gi': 2 ** 30,
  'Ti': 2 ** 40,
  'Pi': 2 ** 50,
  'Ei': 2 ** 60,
};

/**
 * Kubernetes' resource.ParseQuantity (after go-yaml: a number is read as its decimal text): the
 * amount, or undefined where the API server refuses it.
 */
export function k8sQuantity(value: unknown): number | undefined {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string') return undefined;
  const m = /^([+-]?)([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:([eE][+-]?[0-9]+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/.exec(text);
  if (!m) return undefined;
  return Number(`${m[1]}${m[2]}`) * (m[3] ? Number(`1${m[3]}`) : QUANTITY_SUFFIX[m[4] ?? '']);
}

/** Kubernetes name rules (apimachinery validation), written out independently of the library. */
export const k8sNames = {
  dnsLabel: (v: string) => v.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(v),
  dnsSubdomain: (v: string) => v.length <= 253 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(v),
  /** RBAC object names and resource names: path segments (not '.', '..', no '/' or '%'). */
  pathSegment: (v: string) => v !== '' && v !== '.' && v !== '..' && !/[/%]/.test(v),
};

/** Each YAML document of a multi-document stream, read as go-yaml reads it (undefined where it refuses one). */
export function goYamlDocuments(text: string): any[] | undefined {
  const docs = text.split(/^---$/m).filter((d) => d.trim() !== '').map((d) => readAsGoYaml(d));
  return docs.some((d) => d === undefined) ? undefined : docs;
}

/** One prop a hostile-input suite drives: where its problem is reported and where its value lands. */
export interface HostileField<O, T> {
  readonly property: string;
  /** The construct that reports the problem, below the chart. */
  readonly owner: string;
  readonly kind: 'text' | 'url' | 'number';
  readonly build: (chart: Chart, value: T) => void;
  /** Where the value lands, as its reader reads it (undefined: only the output's validity is checked). */
  readonly read?: (out: O) => unknown;
  /** What the value means to that reader, when not the value itself. */
  readonly meaning?: (value: T) => unknown;
  /** What the reader additionally requires of an accepted value (Kubernetes, Go, Argo rules). */
  readonly valid?: (value: T) => boolean;
}

/**
 * Whether Go's filepath.Match accepts `pattern` (no ErrBadPattern; Argo CD's resource lists):
 * `\` escapes, a class is `[` [`^`] ranges `]` with at least one range, `-` and `]` only escaped
 * inside it, and every class closed.
 */
export function goFilepathPatternValid(pattern: string): boolean {
  let i = 0;
  const classChar = () => {
    if (i >= pattern.length || pattern[i] === '-' || pattern[i] === ']') return false;
    if (pattern[i] === '\\' && ++i >= pattern.length) return false;
    i++;
    return true;
  };
  while (i < pattern.length) {
    if (pattern[i] === '\\') {
      i += 2;
      if (i > pattern.length) return false;
    } else if (pattern[i] === '[') {
      i++;
      if (pattern[i] === '^') i++;
      for (let ranges = 0; !(pattern[i] === ']' && ranges > 0); ranges++) {
        if (!classChar() || (pattern[i] === '-' && (++i, !classChar()))) return false;
      }
      i++;
    } else {
      i++;
    }
  }
  return true;
}

/**
 * Go's text/template as the ApplicationSet controller renders each string of the template
 * (goTemplate, missingkey=error), for the actions a test needs: text outside `{{...}}` is copied,
 * `{{.a.b}}` reads a parameter (trim markers `{{- ` and ` -}}` and comments honoured). Returns
 * undefined where Go fails (an unclosed action, a missing key) and 'unsupported' for actions this
 * reader does not evaluate.
 */
export function goTemplateRender(text: string, params: Record<string, unknown>): string | undefined | 'unsupported' {
  let out = '';
  let rest = text;
  for (;;) {
    const open = rest.indexOf('{{');
    if (open < 0) return out + rest;
    let before = rest.slice(0, open);
    let body = rest.slice(open + 2);
    if (/^- /.test(body)) [before, body] = [before.replace(/[ \t\r\n]+$/, ''), body.slice(2)];
    const close = body.startsWith('/*') ? body.indexOf('*/') + 2 : body.indexOf('}}');
    if (close < 2 && body.startsWith('/*')) return undefined;
    const end = body.indexOf('}}', Math.max(close, 0));
    if (close < 0 || end < 0) return undefined;
    let action = body.slice(0, end).trim();
    rest = body.slice(end + 2);
    if (/ -$/.test(body.slice(0, end))) [action, rest] = [action.replace(/-$/, '').trim(), rest.replace(/^[ \t\r\n]+/, '')];
    out += before;
    if (action.startsWith('/*') && action.endsWith('*/')) continue;
    const path = /^\.([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)$/.exec(action);
    if (!path) return 'unsupported';
    let value: unknown = params;
    for (const key of path[1].split('.')) {
      if (value === null || typeof value !== 'object' || !(key in (value as object))) return undefined;
      value = (value as Record<string, unknown>)[key];
    }
    out += String(value);
  }
}

/**
 * Builds a SecureArgoCD `argocd/CD` (cheap: no synth) with NetworkPolicies off and no login
 * required, runs the validations of its constructs, and reads its objects of `kinds` as go-yaml
 * does. Only when go-yaml would misread one of them is the app synthesized, to return the output
 * floor's refusal. A thrown problem is returned as the one problem.
 */
export function secureArgoCdOutput(props: Partial<SecureArgoCDProps>, kinds: string[]): { problems: string[]; docs?: any[] } {
  const app = Testing.app();
  const chart = new Chart(app, 'argocd');
  let cd: SecureArgoCD;
  try {
    cd = new SecureArgoCD(chart, 'CD', { disableNetworkPolicies: { reason: 'policies managed elsewhere' }, allowNoInteractiveLogin: { reason: 'API tokens only' }, ...props });
  } catch (e) {
    return { problems: [(e as Error).message] };
  }
  const problems = cd.node.findAll().flatMap((c) => c.node.validate());
  if (problems.length > 0) return { problems };
  const objects = cd.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c) && kinds.includes(c.kind)).map((o) => o.toJson());
  const docs = objects.map((o) => readAsGoYaml(Yaml.stringify(o)));
  if (docs.some((d, i) => !isDeepStrictEqual(d, objects[i]))) {
    const floor = synthProblems(app, () => undefined);
    if (floor.length > 0) return { problems: floor };
    throw new Error(`go-yaml misreads an object although the output floor accepts it: ${JSON.stringify(objects)}`);
  }
  return { problems: [], docs };
}

// How the readers of our output read it, written independently of the library's own checks:
// go-yaml (YAML 1.1, Kubernetes, Argo CD, Dex), Go's encoding/pem and Go's net/url.
import { App, Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import * as YAML from 'yaml';

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

const FIX_VERB = /\b(give|use|remove|pass|write|shorten|percent-encode|add|set|list|provide|delete|move|quote|acknowledge|name|declare|put|split|should be|closed? by)\b|\be\.g\./i;

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

// Rendering helpers: stable key order, and YAML that Go readers (go-yaml, YAML 1.1: Kubernetes,
// Argo CD, the Argo controllers) read exactly as meant.
import * as YAML from 'yaml';

/**
 * Returns a copy of `record` with its keys in sorted order, so output stays stable however the
 * caller built it.
 */
export function sortedRecord<T>(record: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const key of Object.keys(record).sort()) out[key] = record[key];
  return out;
}

/** Plain scalars a YAML 1.1 reader (or Go's number parsing in go-yaml) takes for something other than a string. */
const NOT_A_STRING_TO_YAML_11: RegExp[] = [
  // booleans (YAML 1.1 lists y/yes/n/no/true/false/on/off; any case, to be safe)
  /^(y|yes|n|no|true|false|on|off)$/i,
  // null
  /^(~|null)$/i,
  // integers: decimal, 0b, 0o, 0x, leading-zero octal, with '_' separators (Go's ParseInt base 0)
  /^[-+]?(0b[0-1_]+|0o[0-7_]+|0x[0-9a-f_]+|[0-9][0-9_]*)$/i,
  // floats, including '.5', '1.', '1e3', '.inf', '.nan'
  /^[-+]?(\.[0-9_]+|[0-9][0-9_]*(\.[0-9_]*)?)(e[-+]?[0-9]+)?$/i,
  /^[-+]?([0-9][0-9_]*)?\.[0-9_]*$/,
  /^[-+]?([0-9][0-9_]*)?(\.[0-9_]*)?e[-+]?[0-9]+$/i,
  /^[-+]?\.inf$/i,
  /^\.nan$/i,
  // sexagesimal numbers (1:20, 190:20:30.15)
  /^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$/,
  // timestamps (2001-12-14, 2001-12-14t21:59:43.10-05:00)
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt\s].*)?$/,
  // the YAML 1.1 value and merge keys
  /^(=|<<)$/,
];

/** Characters a YAML 1.1 reader takes as line breaks (U+0085, U+2028, U+2029) or refuses (DEL, C1), and the BOM. */
const MISREAD_CHAR = /[\u007f-\u009f\u2028\u2029\ufeff]/;

/** True when go-yaml would read `value`, written as a plain scalar, as something other than this string. */
export function needsQuotesForYaml11(value: string): boolean {
  return NOT_A_STRING_TO_YAML_11.some((re) => re.test(value)) || MISREAD_CHAR.test(value);
}

/**
 * Block YAML without line folding (long values stay on one line) that go-yaml reads as meant:
 * strings that YAML 1.1 would read as booleans, nulls, numbers or dates are double-quoted, and
 * characters it would take as line breaks or refuse are written as escapes inside double quotes.
 * `flow` writes collections in flow style (`[groups, email]`), for values read as one-line YAML.
 */
export function toYaml(value: unknown, flow: boolean = false): string {
  const doc = new YAML.Document(value);
  YAML.visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && needsQuotesForYaml11(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  const text = doc.toString(flow ? { lineWidth: 0, collectionStyle: 'flow', flowCollectionPadding: false } : { lineWidth: 0 });
  // Every string holding such a character was double-quoted above, where an escape is valid.
  return text.replace(new RegExp(MISREAD_CHAR.source, 'g'), (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

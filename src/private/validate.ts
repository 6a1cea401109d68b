// One implementation of each check the library makes on user input. Each check is a pure
// `xxxProblem(value, ...)` that returns what is wrong and how to fix it (or undefined), so it can
// be thrown (`requireXxx`) or deferred (`deferredChecks(scope).check(property, xxxProblem(v))`).
// Messages never echo raw control characters: values go through `quoted()`.
import { isIP } from 'net';
import { IConstruct } from 'constructs';
import { invalid } from './errors';
import { TZ_DATABASE_NAMES } from './tz-names';

/** Characters that YAML 1.1 readers, terminals or logs misread: C0/C1 controls, DEL, line separators, BOM. */
const UNSAFE_CHAR = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * A value as it may appear in an error message: in single quotes, with control characters,
 * line separators and lone surrogates escaped (`\n`, `\u2028`), cut after `max` characters.
 */
export function quoted(value: unknown, max: number = 100): string {
  let text = typeof value === 'string' ? value : value === undefined ? 'undefined' : JSON.stringify(value) ?? String(value);
  const cut = [...text].length > max;
  if (cut) text = [...text].slice(0, max).join('');
  const escaped = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff\ud800-\udfff]/g, (ch, offset: number, whole: string) => {
    const code = ch.charCodeAt(0);
    // A well-formed surrogate pair is a real character: keep it.
    if (code >= 0xd800 && code <= 0xdbff && /[\udc00-\udfff]/.test(whole[offset + 1] ?? '')) return ch;
    if (code >= 0xdc00 && code <= 0xdfff && /[\ud800-\udbff]/.test(whole[offset - 1] ?? '')) return ch;
    switch (ch) {
      case '\n': return '\\n';
      case '\r': return '\\r';
      case '\t': return '\\t';
      default: return `\\u${code.toString(16).padStart(4, '0')}`;
    }
  });
  return `'${escaped}${cut ? '…' : ''}'`;
}

/** Calls {@link invalid} when `problem` is set; returns `value` otherwise. */
function required<T>(where: IConstruct | string, property: string, value: T, problem: string | undefined): T {
  if (problem !== undefined) invalid(where, property, problem);
  return value;
}

// ---------------------------------------------------------------------------------------------
// Kubernetes names, labels, API groups and quantities

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const QUANTITY = /^[+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([KMGTPE]i|[numkMGTPE]|[eE][+-]?[0-9]+)?$/;

/** True if `value` is a DNS-1123 label (namespaces, service names): at most 63 characters. */
export function isDns1123Label(value: string): boolean {
  return typeof value === 'string' && value.length <= 63 && DNS1123_LABEL.test(value);
}

/** True if `value` is a DNS-1123 subdomain (most object names): at most 253 characters. */
export function isDns1123Subdomain(value: string): boolean {
  return typeof value === 'string' && value.length <= 253 && DNS1123_SUBDOMAIN.test(value);
}

/** What is wrong with a DNS-1123 label (namespaces, service names), or undefined. */
export function dns1123LabelProblem(value: string): string | undefined {
  return isDns1123Label(value) ? goNumberProblem(value)
    : `${quoted(value)} is not a DNS-1123 label: use at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit`;
}

/** Throws unless `value` is a DNS-1123 label; returns it. */
export function requireDns1123Label(where: IConstruct | string, property: string, value: string): string {
  return required(where, property, value, dns1123LabelProblem(value));
}

/** What is wrong with a DNS-1123 subdomain (most object names), or undefined. */
export function dns1123SubdomainProblem(value: string): string | undefined {
  return isDns1123Subdomain(value) ? goNumberProblem(value)
    : `${quoted(value)} is not a DNS-1123 subdomain: use lowercase letters, digits, '-' and '.', starting and ending with a letter or digit`;
}

/** Throws unless `value` is a DNS-1123 subdomain; returns it. */
export function requireDns1123Subdomain(where: IConstruct | string, property: string, value: string): string {
  return required(where, property, value, dns1123SubdomainProblem(value));
}

/** What is wrong with a label or annotation key (`[prefix/]name`), or undefined. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = typeof key === 'string' ? key.indexOf('/') : -1;
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const valid = typeof key === 'string'
    && (prefix === undefined || isDns1123Subdomain(prefix))
    && typeof name === 'string' && name.length <= 63 && LABEL_NAME.test(name);
  return valid ? goNumberProblem(name)
    : `${quoted(key)} is not a valid label key: use [prefix/]name, where name has at most 63 letters, digits, '-', '_' and '.' (e.g. 'k8s-app' or 'example.com/tier')`;
}

/** Throws unless `key` is a label key; returns it. */
export function requireLabelKey(where: IConstruct | string, property: string, key: string): string {
  return required(where, property, key, labelKeyProblem(key));
}

/** What is wrong with a label value (empty, or up to 63 letters, digits, `-_.`), or undefined. */
export function labelValueProblem(value: string): string | undefined {
  const valid = typeof value === 'string' && (value === '' || (value.length <= 63 && LABEL_NAME.test(value)));
  return valid ? goNumberProblem(value)
    : `${quoted(value)} is not a valid label value: use at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit`;
}

/** Throws unless `value` is a label value; returns it. */
export function requireLabelValue(where: IConstruct | string, property: string, value: string): string {
  return required(where, property, value, labelValueProblem(value));
}

const DATA_KEY = /^[-._a-zA-Z0-9]+$/;

/** True if `key` is a ConfigMap or Secret data key: at most 253 letters, digits, `-`, `_` and `.`, not `.` or `..`. */
export function isDataKey(key: string): boolean {
  return typeof key === 'string' && key.length <= 253 && DATA_KEY.test(key) && key !== '.' && key !== '..';
}

/**
 * What is wrong with a ConfigMap key, or undefined. `what` names where the key comes from, for
 * keys the library builds from user input (`accounts.<name>`).
 */
export function configMapKeyProblem(key: string, what: string = quoted(key)): string | undefined {
  return isDataKey(key) ? undefined
    : `${what} is not a ConfigMap key (at most 253 letters, digits, '-', '_' and '.'): shorten it or use only those characters`;
}

/**
 * What is wrong with a Kubernetes API group (`''` for the core group, `apps`, `argoproj.io`),
 * or undefined. `allowWildcard` also accepts `*`.
 */
export function apiGroupProblem(group: string, allowWildcard: boolean = false): string | undefined {
  const valid = typeof group === 'string' && (group === '' || isDns1123Subdomain(group) || (allowWildcard && group === '*'));
  return valid ? goNumberProblem(group)
    : `${quoted(group)} is not an API group: use '' for the core group or a DNS name such as 'apps' or 'argoproj.io'${allowWildcard ? " ('*' for every group)" : " (no '*')"}`;
}

/** Throws unless `group` is an API group; returns it. */
export function requireApiGroup(where: IConstruct | string, property: string, group: string, allowWildcard: boolean = false): string {
  return required(where, property, group, apiGroupProblem(group, allowWildcard));
}

/**
 * What is wrong with a Kubernetes resource quantity (`resource.Quantity`: `4`, `500m`, `16Gi`,
 * `1e3`), or undefined. Negative amounts are refused: every quantity here is a resource amount.
 */
export function quantityProblem(value: string): string | undefined {
  return typeof value === 'string' && QUANTITY.test(value) ? undefined
    : `${quoted(value)} is not a Kubernetes quantity: use e.g. '4', '500m', '16Gi'`;
}

/** Throws unless `value` is a quantity; returns it. */
export function requireQuantity(where: IConstruct | string, property: string, value: string): string {
  return required(where, property, value, quantityProblem(value));
}

// ---------------------------------------------------------------------------------------------
// Networks

/** What is wrong with an IPv4 or IPv6 CIDR block, or undefined. A `/0` is a valid block. */
export function cidrProblem(cidr: string): string | undefined {
  const match = typeof cidr === 'string' ? /^([0-9A-Fa-f:.]+)\/([0-9]{1,3})$/.exec(cidr) : null;
  const family = match ? isIP(match[1]) : 0;
  const bits = match ? Number(match[2]) : NaN;
  const valid = family === 4 ? bits <= 32 && !/(^|\.)0[0-9]/.test(match![1]) : family === 6 ? bits <= 128 : false;
  return valid ? undefined
    : `${quoted(cidr)} is not a CIDR block: write an IPv4 or IPv6 address with a prefix length, e.g. 10.0.0.0/8 or fd00::/8`;
}

/** Throws unless `cidr` is a CIDR block; returns it. */
export function requireCidr(where: IConstruct | string, property: string, cidr: string): string {
  return required(where, property, cidr, cidrProblem(cidr));
}

// ---------------------------------------------------------------------------------------------
// Numbers

/** The largest Go `int32`: Kubernetes and Argo fields typed int32, and user and group IDs (Kubernetes allows 0 to this). */
export const INT32_MAX = 2147483647;

/**
 * What is wrong with a whole number from `min` to `max`, or undefined. The readers are Go integer
 * fields and `strconv.Atoi`: NaN, infinities and fractions are refused, and so is anything above
 * 2^53 (JavaScript writes 1e21 as `1e+21`, which no Go integer parser reads).
 */
export function integerProblem(value: number, min: number, max: number = Number.MAX_SAFE_INTEGER): string | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max ? undefined
    : `${typeof value === 'number' ? String(value) : quoted(value)} is not a whole number from ${min} to ${max}: give one in that range`;
}

/** Throws unless `value` is a whole number from `min` to `max`; returns it. */
export function requireInteger(where: IConstruct | string, property: string, value: number, min: number,
  max: number = Number.MAX_SAFE_INTEGER): number {
  return required(where, property, value, integerProblem(value, min, max));
}

/** What is wrong with a TCP/UDP port number, or undefined. */
export function portProblem(port: number): string | undefined {
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? undefined
    : `${typeof port === 'number' ? port : quoted(port)} is not a port number: use an integer from 1 to 65535`;
}

/** Throws unless `port` is a port number; returns it. */
export function requirePort(where: IConstruct | string, property: string, port: number): number {
  return required(where, property, port, portProblem(port));
}

/** What an https URL may carry beyond scheme, host, port and path. */
export interface HttpsUrlOptions {
  /** Accept a `?query`. @default false */
  readonly allowQuery?: boolean;
  /** Accept a `#fragment`. @default false */
  readonly allowFragment?: boolean;
  /** Accept `user[:password]@` before the host. @default false */
  readonly allowUserinfo?: boolean;
}

const HOST_NAME = /^[A-Za-z0-9_]([-A-Za-z0-9_]*[A-Za-z0-9_])?(\.[A-Za-z0-9_]([-A-Za-z0-9_]*[A-Za-z0-9_])?)*\.?$/;

/**
 * What is wrong with an https URL, or undefined. The URL must read the same to Go's `net/url`
 * (Argo CD, Argo Workflows, External Secrets) as it is written: anything a parser would
 * normalize (whitespace, control or non-ASCII characters, bad `%` escapes, upper-case scheme,
 * `\`, dot segments, an empty or zero-padded port) is refused, as are credentials, a query or a
 * fragment unless allowed.
 */
export function httpsUrlProblem(url: string, options: HttpsUrlOptions = {}): string | undefined {
  const fix = 'give a plain https:// URL such as https://host.example.com/path';
  if (typeof url !== 'string' || url.length === 0) return `${quoted(url)} is not an https:// URL: ${fix}`;
  if (url.length > 2048) return `${quoted(url)} is longer than 2048 characters: ${fix}`;
  if (/[^\x21-\x7e]/.test(url)) {
    return `${quoted(url)} contains whitespace, control or non-ASCII characters, which URL parsers rewrite: percent-encode them, and write an internationalized host in its xn-- form`;
  }
  if (/%(?![0-9A-Fa-f]{2})/.test(url)) return `${quoted(url)} has a '%' that is not followed by two hex digits: write a literal '%' as %25`;
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/.exec(url);
  if (!m) return `${quoted(url)} is not an https:// URL: ${fix} (tokens and credentials must not travel in clear text)`;
  const [, scheme, authority, path, query, fragment] = m;
  if (scheme.toLowerCase() !== 'https') {
    return `${quoted(url)} does not use https: tokens and credentials must not travel in clear text: ${fix}`;
  }
  if (scheme !== 'https') return `${quoted(url)} has an upper-case scheme: write 'https://'`;
  const at = authority.lastIndexOf('@');
  if (at >= 0 && !options.allowUserinfo) {
    return `${quoted(url)} contains credentials: remove user:password@ from the URL (they belong in a Secret)`;
  }
  const hostPort = authority.slice(at + 1);
  const hp = /^(\[[0-9A-Fa-f:.]+\]|[^:\[\]]*)(?::([0-9]*))?$/.exec(hostPort);
  const host = hp ? hp[1] : '';
  const hostOk = hp !== null && (host.startsWith('[')
    ? isIP(host.slice(1, -1)) === 6
    : /^[0-9.]+$/.test(host) ? isIP(host) === 4 && !/(^|\.)0[0-9]/.test(host) : host.length <= 253 && HOST_NAME.test(host));
  if (!hostOk) return `${quoted(url)} has no valid host: ${fix}`;
  const port = hp![2];
  if (port !== undefined) {
    if (!/^[1-9][0-9]{0,4}$/.test(port) || Number(port) > 65535) {
      return `${quoted(url)} has an invalid port: use a number from 1 to 65535 without leading zeros, or leave out the ':'`;
    }
  }
  if (/[\\"<>^`{|}]/.test(path)) return `${quoted(url)} has characters in its path that parsers rewrite (\\ " < > ^ \` { | }): percent-encode them`;
  if (/(^|\/)\.\.?(\/|$)/.test(path)) return `${quoted(url)} has '.' or '..' path segments, which parsers resolve away: write the resolved path`;
  if (query !== undefined && !options.allowQuery) {
    return `${quoted(url)} has a query, which would end up before the paths appended to it or be dropped: remove it`;
  }
  if (fragment !== undefined && !options.allowFragment) return `${quoted(url)} has a fragment: remove it`;
  if ((query !== undefined && /[\\"<>^`{|}]/.test(query)) || (fragment !== undefined && /[\\"<>^`{|}#]/.test(fragment.slice(1)))) {
    return `${quoted(url)} has characters in its query or fragment that parsers rewrite: percent-encode them`;
  }
  return undefined;
}

/** Throws unless `url` is an https URL as {@link httpsUrlProblem} decides; returns it. */
export function requireHttpsUrl(where: IConstruct | string, property: string, url: string, options: HttpsUrlOptions = {}): string {
  return required(where, property, url, httpsUrlProblem(url, options));
}

// ---------------------------------------------------------------------------------------------
// Text

/** How {@link safeTextProblem} reads a text. */
export interface SafeTextOptions {
  /** Accept line feeds (and tabs): for descriptions and messages that are meant to span lines. @default false */
  readonly multiline?: boolean;
  /** The longest accepted text, in characters. @default 1024 */
  readonly maxLength?: number;
}

/**
 * What is wrong with free text that lands in YAML, policy lines, logs or the UI, or undefined:
 * it must not be empty or blank, and must not contain C0/C1 controls, DEL, U+2028, U+2029,
 * U+0085 (line breaks to YAML 1.1 readers), U+FEFF or lone surrogates. One line unless
 * `multiline`.
 */
export function safeTextProblem(value: string, options: SafeTextOptions = {}): string | undefined {
  return embeddedTextProblem(value, options) ?? goNumberProblem(value);
}

/**
 * `safeTextProblem` for free text the library writes itself, with `toYaml`, into embedded YAML
 * (`dex.config`, `oidc.config`): `toYaml` double-quotes text that YAML 1.1 would read as a number,
 * boolean or null, so `0o17` is kept as written there. Text that becomes a field of a Kubernetes
 * object needs `safeTextProblem`: cdk8s's writer puts `0o17` there unquoted, go-yaml reads a number.
 */
export function embeddedTextProblem(value: string, options: SafeTextOptions = {}): string | undefined {
  const max = options.maxLength ?? 1024;
  if (typeof value !== 'string') return `${quoted(value)} is not a text: give a non-empty text`;
  // Before the blank check: JavaScript's trim() removes U+2028/U+2029/U+FEFF, which are not blank to a YAML reader.
  const layout = options.multiline ? /\r/.exec(value) : /[\n\r\t]/.exec(value);
  const problem = unsafeTextProblem(value) ?? (layout ? `contains ${quoted(layout[0])}, a line break or tab` : undefined);
  if (problem) return `${quoted(value)} ${problem}: give ${options.multiline ? 'plain text' : 'a single line of plain text'}`;
  if (value.trim().length === 0) return `${quoted(value)} is empty: give a non-empty text`;
  if (value.length > max) return `${quoted(value)} is longer than ${max} characters: shorten it`;
  return undefined;
}

/**
 * What makes `text` unsafe anywhere in a YAML document read by go-yaml (names, labels, keys,
 * scripts alike), or undefined: line separators U+2028/U+2029/U+0085 (line breaks to YAML 1.1),
 * C0 controls other than tab, line feed and carriage return, DEL, C1 controls, U+FEFF and lone
 * surrogates (refused or changed by go-yaml). The message has no fix: callers add one.
 */
export function unsafeTextProblem(text: string): string | undefined {
  const bad = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\ufeff]/.exec(text);
  if (bad) {
    const ch = bad[0];
    const what = /[\u0085\u2028\u2029]/.test(ch) ? 'a line break for YAML readers'
      : ch === '\ufeff' ? 'an invisible byte-order mark' : 'a control character';
    return `contains ${quoted(ch)}, ${what}`;
  }
  if (LONE_SURROGATE.test(text)) return 'contains a lone surrogate (not a character; YAML readers replace or refuse it)';
  return undefined;
}

/** Throws unless `value` is safe text; returns it. */
export function requireSafeText(where: IConstruct | string, property: string, value: string, options: SafeTextOptions = {}): string {
  return required(where, property, value, safeTextProblem(value, options));
}

/**
 * What is wrong with an identity provider group name quoted into a policy (an Argo Workflows
 * rbac-rule literal, an Argo CD CSV field) or a RoleBinding subject, or undefined. Spaces,
 * non-ASCII letters and the commas of LDAP DNs are real group names and accepted; quotes and
 * backslashes (which would end or escape the quoting), line breaks, control characters and
 * surrounding whitespace (which the readers trim) are refused.
 */
export function groupNameProblem(group: string): string | undefined {
  const text = safeTextProblem(group, { maxLength: 256 });
  if (text) return text;
  if (group.trim() !== group) return `${quoted(group)} has leading or trailing whitespace, which readers trim: remove it`;
  const bad = /["'\\`]/.exec(group);
  return bad ? `${quoted(group)} contains ${quoted(bad[0])}, which would break out of the quoting: remove it` : undefined;
}

/**
 * What is wrong with an RBAC object name or resource name (a ClusterRoleBinding, a `resourceNames`
 * entry), or undefined: Kubernetes takes any path segment (not '.' or '..', no '/' or '%'); here
 * also one line of safe text without whitespace.
 */
export function rbacNameProblem(name: string): string | undefined {
  const text = safeTextProblem(name, { maxLength: 253 });
  if (text) return text;
  return name === '.' || name === '..' || /[/%\s]/.test(name)
    ? `${quoted(name)} is not an RBAC name: give the name as 'kubectl get' shows it (no '/', '%' or whitespace, not '.' or '..')` : undefined;
}

/** What a PEM text must hold. */
export interface PemOptions {
  /** The block type, e.g. `CERTIFICATE`. */
  readonly type: string;
  /** Accept several blocks (a CA bundle). @default true */
  readonly multiple?: boolean;
}

/**
 * What is wrong with a PEM text, or undefined: only blocks of the given type (never a private
 * key), each a BEGIN line, base64 lines and an END line, nothing in between (no headers).
 */
export function pemProblem(value: string, options: PemOptions): string | undefined {
  const type = options.type;
  const example = `-----BEGIN ${type}-----, base64 lines, -----END ${type}-----`;
  if (typeof value !== 'string') return `is not a PEM text: pass ${example}`;
  if (/PRIVATE KEY/.test(value)) return `contains a private key: pass only the ${type.toLowerCase()} (public)`;
  // Go's encoding/pem finds BEGIN/END only at a line start and drops only trailing spaces, tabs
  // and CR: other characters (U+2028, NBSP, controls) or indented lines lose the block silently.
  if (UNSAFE_CHAR.test(value.replace(/[\t\r\n]/g, '')) || LONE_SURROGATE.test(value)) {
    return `contains control characters, line separators or invisible marks: pass ${example}`;
  }
  const lines = value.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '').split('\n').map((l) => l.replace(/[ \t\r]+$/, ''));
  let blocks = 0;
  let i = 0;
  while (i < lines.length) {
    if (lines[i] === '') {
      i++;
      continue;
    }
    const begin = /^-----BEGIN ([A-Z0-9 ]+)-----$/.exec(lines[i]);
    if (!begin) return `is not a PEM ${type.toLowerCase()}: line ${i + 1} should be -----BEGIN ${type}-----`;
    if (begin[1] !== type) return `holds a ${begin[1]} block: pass only ${type} blocks`;
    i++;
    let body = '';
    while (i < lines.length && !lines[i].startsWith('-----')) {
      if (!/^[A-Za-z0-9+/]+={0,2}$/.test(lines[i])) return `line ${i + 1} is not base64 (or is indented, or the block has headers): pass ${example} without indentation`;
      body += lines[i];
      i++;
    }
    if (lines[i] !== `-----END ${type}-----`) return `a ${type} block is not closed by -----END ${type}-----`;
    if (body.length === 0 || body.length % 4 !== 0 || /=[^=]/.test(body)) return `a ${type} block has a truncated or malformed base64 body: pass the ${type.toLowerCase()} exactly as issued`;
    blocks++;
    i++;
  }
  if (blocks === 0) return `is not a PEM text: pass ${example}`;
  if (blocks > 1 && options.multiple === false) return `holds ${blocks} ${type} blocks: pass exactly one`;
  return undefined;
}

/** Throws unless `value` is a PEM text as {@link pemProblem} decides; returns it. */
export function requirePem(where: IConstruct | string, property: string, value: string, options: PemOptions): string {
  return required(where, property, value, pemProblem(value, options));
}

/** What is wrong when `value` is not one of `allowed`, or undefined. */
export function oneOfProblem(value: string, allowed: readonly string[]): string | undefined {
  return allowed.includes(value) ? undefined : `${quoted(value)} is not one of ${allowed.map((a) => `'${a}'`).join(', ')}: use one of them`;
}

/** Throws unless `value` is one of `allowed`; returns it. */
export function requireOneOf<T extends string>(where: IConstruct | string, property: string, value: T, allowed: readonly T[]): T {
  return required(where, property, value, oneOfProblem(value, allowed));
}

// ---------------------------------------------------------------------------------------------
// Time zones

/** The names, read once (Intl.supportedValuesOf builds a new array on every call). */
let tzNames: Set<string> | undefined;

/**
 * True for a name Go's `time.LoadLocation` (Argo CD, the workflow controller) finds in the tz
 * database: a zone or link name spelled exactly as the database does (its file names are
 * case-sensitive: 'Etc/Utc' and 'europe/berlin' fail there, although Intl accepts them). Intl's
 * canonical names cover zones newer than the vendored list.
 */
export function isIanaTimeZone(zone: string): boolean {
  tzNames ??= new Set([...TZ_DATABASE_NAMES, ...Intl.supportedValuesOf('timeZone')]);
  return typeof zone === 'string' && tzNames.has(zone);
}

/** What is wrong with an IANA time zone name, or undefined. */
export function ianaTimeZoneProblem(zone: string): string | undefined {
  return isIanaTimeZone(zone) ? undefined
    : `${quoted(zone)} is not an IANA time zone: use a tz database name such as 'UTC' or 'Europe/Berlin' (case matters)`;
}

/** Throws unless `zone` is an IANA time zone name; returns it. */
export function requireIanaTimeZone(where: IConstruct | string, property: string, zone: string): string {
  return required(where, property, zone, ianaTimeZoneProblem(zone));
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;
const DIGEST_FIX = "give the image's real digest, as 'crane digest <image>:<tag>' prints it";

/**
 * Why a well-formed sha256 hex is a made-up placeholder rather than a hash, or undefined. A real
 * digest has fewer than 5 distinct hex digits with probability below 2^-117, and a run of 16 equal
 * characters below 2^-54; placeholders such as `000…01`, `000…0abc` or `abab…` have one or the other.
 */
function placeholderHexReason(hex: string): string | undefined {
  const distinct = new Set(hex).size;
  if (distinct === 1) return 'one character repeated';
  if (distinct < 5) return `only ${distinct} distinct hex digits`;
  return /(.)\1{15}/.test(hex) ? '16 or more identical characters in a row' : undefined;
}

/**
 * What is wrong with an image digest, and the fix; undefined when it is a usable `sha256:` digest.
 * Placeholders (all-zero, one character repeated, a long run such as 60 leading zeros, or only a
 * handful of distinct digits) are refused: no image has one, so every pull would fail.
 */
export function digestProblem(digest: string): string | undefined {
  if (typeof digest !== 'string' || !DIGEST.test(digest)) {
    return `${quoted(digest, 80)} is not a digest: use 'sha256:' followed by 64 lowercase hex characters (${DIGEST_FIX})`;
  }
  if (/^sha256:0+$/.test(digest)) return `is the all-zero placeholder digest, which no image has: ${DIGEST_FIX}`;
  const reason = placeholderHexReason(digest.slice('sha256:'.length));
  return reason ? `${quoted(digest)} is a placeholder digest (${reason}), which no image has: ${DIGEST_FIX}` : undefined;
}

/**
 * Go's `0o` octal form (with Go's `_` separators): cdk8s writes it unquoted, as YAML 1.1 has no
 * such number, but kubectl's and Argo CD's go-yaml parses plain scalars with Go's
 * `strconv.ParseInt(s, 0, 64)`, which takes the prefix: the string would arrive as a number.
 */
const GO_OCTAL = /^[-+]?0[oO]_?[0-7]+(_[0-7]+)*$/;

/** True when go-yaml reads `text`, written unquoted by cdk8s, as a number. */
export function isGoYamlNumber(text: string): boolean {
  return GO_OCTAL.test(text);
}

/**
 * What is wrong with a string that lands in a manifest as it is (arguments, environment values,
 * parameters: any length, line breaks allowed), or undefined: characters go-yaml takes as line
 * breaks or refuses, and forms it reads as a number.
 */
export function manifestStringProblem(value: string): string | undefined {
  const unsafe = unsafeTextProblem(value);
  return unsafe ? `${quoted(value)} ${unsafe}: remove it` : goNumberProblem(value);
}

/** Why `value` would not reach kubectl as the string it is (read as a number), or undefined. */
export function goNumberProblem(value: string): string | undefined {
  return typeof value === 'string' && GO_OCTAL.test(value)
    ? `${quoted(value)} is read as a number by kubectl and Argo CD (YAML 1.1): give a value that is not a number`
    : undefined;
}

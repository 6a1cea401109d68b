// Strict validation of synthesized objects against the Kubernetes 1.28 definitions and the
// pinned CRD schemas vendored in schemas/ (see schemas/SOURCE.md). Unknown fields are
// errors, as they would be for `kubectl apply --validate=strict`; CRD schemas follow the
// structural-schema rules the API server uses (closed unless x-kubernetes-preserve-unknown-fields).
import * as fs from 'fs';
import * as path from 'path';

type Schema = { [key: string]: any };
type Mode = 'k8s' | 'crd';

// schemas/ ships at the package root: src/policy/private/ in the repository, lib/policy/private/
// in the package, both three levels down.
const SCHEMA_DIR = path.join(__dirname, '..', '..', '..', 'schemas');
const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
const QUANTITY_PATTERN = /^[+-]?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE][+-]?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const TYPE_ERROR = /^(.*): expected (\w+), got \w+$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Built-in kinds that are cluster-scoped (the definitions do not say); used to name objects. */
const CLUSTER_SCOPED = new Set([
  'APIService', 'CertificateSigningRequest', 'ClusterRole', 'ClusterRoleBinding', 'ComponentStatus',
  'CSIDriver', 'CSINode', 'CustomResourceDefinition', 'FlowSchema', 'IngressClass',
  'MutatingWebhookConfiguration', 'Namespace', 'Node', 'PersistentVolume',
  'PriorityClass', 'PriorityLevelConfiguration', 'RuntimeClass', 'StorageClass',
  'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'ValidatingWebhookConfiguration',
  'VolumeAttachment',
]);
/** Kinds whose names need only be path segments (RBAC allows `system:foo`). */
const PATH_SEGMENT_NAMES = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);
/** Kinds whose names must be DNS-1123 labels rather than subdomains. */
const DNS_LABEL_NAMES = new Set(['Namespace', 'Service']);

interface CrdIndexEntry {
  readonly file: string;
  readonly group: string;
  readonly kind: string;
  readonly scope: 'Namespaced' | 'Cluster';
  readonly versions: { name: string; served: boolean }[];
}

/** What an apiVersion + kind resolves to. */
interface ResolvedType {
  readonly schema: Schema;
  readonly mode: Mode;
}

// Module-level caches: a schema file is parsed at most once per test file (jest gives each test
// file a fresh module registry), and only when an object of its kind is validated.
let definitions: { [name: string]: Schema } | undefined;
let builtinTypes: Map<string, string> | undefined; // `${apiVersion} ${kind}` -> definition name
let crdIndex: CrdIndexEntry[] | undefined;
const crdRoots = new Map<string, Schema>(); // `${apiVersion} ${kind}` -> root schema
const patterns = new Map<string, RegExp>();

function readJson(file: string): any {
  return JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, file), 'utf8'));
}

function defs(): { [name: string]: Schema } {
  if (!definitions) {
    definitions = readJson('k8s-v1.28.0.json').definitions as { [name: string]: Schema };
  }
  return definitions;
}

function builtins(): Map<string, string> {
  if (!builtinTypes) {
    builtinTypes = new Map();
    for (const [name, schema] of Object.entries(defs())) {
      const gvks = schema['x-kubernetes-group-version-kind'];
      // DeleteOptions, WatchEvent and friends list every group: they are not resources.
      if (!Array.isArray(gvks) || gvks.length !== 1) continue;
      const { group, version, kind } = gvks[0];
      builtinTypes.set(`${group ? `${group}/${version}` : version} ${kind}`, name);
    }
  }
  return builtinTypes;
}

function crds(): CrdIndexEntry[] {
  if (!crdIndex) {
    crdIndex = readJson('crds/index.json') as CrdIndexEntry[];
  }
  return crdIndex;
}

function crdRoot(entry: CrdIndexEntry, version: string): Schema {
  const key = `${entry.group}/${version} ${entry.kind}`;
  let root = crdRoots.get(key);
  if (!root) {
    const crd = readJson(`crds/${entry.file}`);
    const schema = crd.versions.find((v: any) => v.name === version).schema.openAPIV3Schema as Schema;
    // CRD schemas say only `type: object` for metadata; the API server applies ObjectMeta.
    root = { ...schema, properties: { ...schema.properties, metadata: { $ref: `#/definitions/${OBJECT_META}` } } };
    crdRoots.set(key, root);
  }
  return root;
}

/** Resolves the type of an object, or explains why it is not a known, served type. */
function resolveType(apiVersion: unknown, kind: unknown): ResolvedType | { path: string; problem: string } {
  if (typeof apiVersion !== 'string' || apiVersion === '') return { path: 'apiVersion', problem: 'missing or not a string' };
  if (typeof kind !== 'string' || kind === '') return { path: 'kind', problem: 'missing or not a string' };
  const builtin = builtins().get(`${apiVersion} ${kind}`);
  if (builtin) return { schema: defs()[builtin], mode: 'k8s' };
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  const crd = crds().find((c) => c.group === group && c.kind === kind);
  const version_ = crd?.versions.find((v) => v.name === version);
  if (crd && version_) {
    if (!version_.served) {
      const served = crd.versions.filter((v) => v.served).map((v) => `${crd.group}/${v.name}`);
      return { path: 'apiVersion', problem: `apiVersion ${apiVersion} is not served for ${kind} (use ${served.join(' or ')})` };
    }
    return { schema: crdRoot(crd, version), mode: 'crd' };
  }
  const known = [
    ...[...builtins().keys()].filter((k) => k.endsWith(` ${kind}`)).map((k) => k.split(' ')[0]),
    ...crds().filter((c) => c.kind === kind).flatMap((c) => c.versions.filter((v) => v.served).map((v) => `${c.group}/${v.name}`)),
  ];
  if (known.length === 0) return { path: 'kind', problem: `unknown kind ${kind} (not a Kubernetes 1.28 kind or a vendored CRD)` };
  return { path: 'apiVersion', problem: `unknown apiVersion ${apiVersion} for kind ${kind} (known: ${known.sort().join(', ')})` };
}

function segment(key: string): string {
  return /^[A-Za-z_$][\w$-]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

function showPath(p: string): string {
  return p === '' ? '(root)' : p.startsWith('.') ? p.slice(1) : p;
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function short(v: unknown): string {
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function typeMatches(v: unknown, type: string): boolean {
  switch (type) {
    case 'object': return v !== null && typeof v === 'object' && !Array.isArray(v);
    case 'array': return Array.isArray(v);
    case 'string': return typeof v === 'string';
    case 'boolean': return typeof v === 'boolean';
    case 'integer': return Number.isInteger(v);
    case 'number': return typeof v === 'number' && Number.isFinite(v);
    default: return true;
  }
}

function regex(pattern: string): RegExp {
  let re = patterns.get(pattern);
  if (!re) {
    re = new RegExp(pattern, 'u');
    patterns.set(pattern, re);
  }
  return re;
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === 'object' && typeof b === 'object' && JSON.stringify(a) === JSON.stringify(b));
}

function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = key.slice(slash + 1);
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) return 'key prefix must be a DNS subdomain';
  if (name.length > 63 || !LABEL_NAME.test(name)) return 'key name must be at most 63 alphanumerics, -, _ or . (alphanumeric at both ends)';
  return undefined;
}

/** Label and annotation rules the API server enforces on every ObjectMeta. */
function checkMeta(meta: any, p: string, out: string[]): void {
  if (meta === null || typeof meta !== 'object') return;
  for (const field of ['labels', 'annotations']) {
    const map = meta[field];
    if (map === null || typeof map !== 'object') continue;
    for (const [key, value] of Object.entries(map)) {
      const keyProblem = labelKeyProblem(key);
      if (keyProblem) out.push(`${showPath(p + `.${field}` + segment(key))}: invalid ${field === 'labels' ? 'label' : 'annotation'} ${keyProblem}`);
      if (field === 'labels' && typeof value === 'string' && (value.length > 63 || !LABEL_VALUE.test(value))) {
        out.push(`${showPath(p + '.labels' + segment(key))}: invalid label value ${short(value)}: at most 63 alphanumerics, -, _ or . (alphanumeric at both ends)`);
      }
    }
  }
}

/**
 * Validates `value` against `schema`, appending `<path>: <problem>` lines to `out`.
 * `branch` is set inside allOf/anyOf/oneOf (and below them): those subschemas only add
 * constraints, so they never close an object.
 */
function check(value: unknown, schema: Schema, p: string, mode: Mode, out: string[], branch = false): void {
  if (schema.$ref !== undefined) {
    const name = String(schema.$ref).replace('#/definitions/', '');
    const target = defs()[name];
    if (!target) throw new Error(`schema $ref not found: ${schema.$ref}`);
    check(value, target, p, 'k8s', out, branch);
    if (name === OBJECT_META) checkMeta(value, p, out);
    if (name === QUANTITY && typeof value === 'string' && !QUANTITY_PATTERN.test(value)) {
      out.push(`${showPath(p)}: ${short(value)} is not a quantity (e.g. 100m, 128Mi)`);
    }
    return;
  }
  if (value === null) {
    if (!schema.nullable && Object.keys(schema).length > 0) out.push(`${showPath(p)}: must not be null`);
    return;
  }
  if (schema['x-kubernetes-int-or-string']) {
    if (!Number.isInteger(value) && typeof value !== 'string') {
      out.push(`${showPath(p)}: expected integer or string, got ${jsonType(value)}`);
      return;
    }
  } else if (typeof schema.type === 'string' && !typeMatches(value, schema.type)) {
    out.push(`${showPath(p)}: expected ${schema.type}, got ${jsonType(value)}`);
    return;
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e: unknown) => sameValue(e, value))) {
    out.push(`${showPath(p)}: ${short(value)} is not one of ${schema.enum.map((e: unknown) => JSON.stringify(e)).join(', ')}`);
  }

  if (typeof value === 'string') {
    checkString(value, schema, p, out);
  } else if (typeof value === 'number') {
    checkNumber(value, schema, p, out);
  } else if (Array.isArray(value)) {
    checkArray(value, schema, p, mode, out, branch);
  } else if (typeof value === 'object') {
    checkObject(value as { [key: string]: unknown }, schema, p, mode, out, branch);
  }

  if (Array.isArray(schema['x-kubernetes-validations'])) {
    for (const rule of schema['x-kubernetes-validations']) {
      if (celRule(rule.rule)?.(value) === false) {
        out.push(`${showPath(p)}: ${rule.message ?? `fails the rule ${rule.rule}`}`);
      }
    }
  }
  if (Array.isArray(schema.allOf)) {
    for (const sub of schema.allOf) check(value, sub, p, mode, out, true);
  }
  if (Array.isArray(schema.anyOf) || Array.isArray(schema.oneOf)) {
    const branches: Schema[] = schema.anyOf ?? schema.oneOf;
    const results = branches.map((sub) => {
      const errors: string[] = [];
      check(value, sub, p, mode, errors, true);
      return errors;
    });
    const matching = results.filter((r) => r.length === 0).length;
    const typeOnly = results.map((r) => (r.length === 1 ? TYPE_ERROR.exec(r[0]) : null));
    if (matching === 0 && typeOnly.every((m) => m && m[1] === showPath(p))) {
      out.push(`${showPath(p)}: expected ${typeOnly.map((m) => m![2]).join(' or ')}, got ${jsonType(value)}`);
    } else if (matching === 0) {
      out.push(`${showPath(p)}: matches none of the allowed forms (${results.map((r) => r.join('; ')).join(' | ')})`);
    } else if (schema.oneOf && matching > 1) {
      out.push(`${showPath(p)}: matches more than one of the exclusive forms (oneOf)`);
    }
  }
}

// A small subset of CEL, enough for the x-kubernetes-validations rules of the vendored CRDs
// (has(), field access, boolean and integer operators, ?:, 'in', list literals and the
// all/exists/filter/size/matches/contains methods). A rule outside the subset, or one that fails
// to evaluate (e.g. a missing field), is skipped: only definite failures are reported.

type CelNode =
  | { t: 'lit'; v: unknown }
  | { t: 'id'; name: string }
  | { t: 'sel'; obj: CelNode; field: string }
  | { t: 'has'; sel: { obj: CelNode; field: string } }
  | { t: 'not' | 'neg'; e: CelNode }
  | { t: 'bin'; op: string; a: CelNode; b: CelNode }
  | { t: 'cond'; c: CelNode; a: CelNode; b: CelNode }
  | { t: 'list'; items: CelNode[] }
  | { t: 'call'; obj: CelNode; method: string; args: CelNode[]; variable?: string };

const celRules = new Map<string, ((self: unknown) => boolean | undefined) | undefined>();
const CEL_TOKEN = /\s*(\|\||&&|==|!=|<=|>=|[!<>+\-?:()[\],.]|\d+|'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[A-Za-z_]\w*)/y;

class CelUnsupported extends Error {}

function celParse(source: string): CelNode {
  const tokens: string[] = [];
  CEL_TOKEN.lastIndex = 0;
  while (CEL_TOKEN.lastIndex < source.length) {
    if (/^\s*$/.test(source.slice(CEL_TOKEN.lastIndex))) break;
    const m = CEL_TOKEN.exec(source);
    if (!m) throw new CelUnsupported(source);
    tokens.push(m[1]);
  }
  let i = 0;
  const peek = () => tokens[i];
  const take = (expected?: string) => {
    const tok = tokens[i++];
    if (tok === undefined || (expected !== undefined && tok !== expected)) throw new CelUnsupported(source);
    return tok;
  };
  const ternary = (): CelNode => {
    const c = or();
    if (peek() !== '?') return c;
    take('?');
    const a = ternary();
    take(':');
    return { t: 'cond', c, a, b: ternary() };
  };
  const binary = (next: () => CelNode, ops: string[]) => (): CelNode => {
    let a = next();
    while (ops.includes(peek())) {
      const op = take();
      a = { t: 'bin', op, a, b: next() };
    }
    return a;
  };
  const unary = (): CelNode => {
    if (peek() === '!') { take(); return { t: 'not', e: unary() }; }
    if (peek() === '-') { take(); return { t: 'neg', e: unary() }; }
    return postfix();
  };
  const add = binary(unary, ['+', '-']);
  const rel = binary(add, ['==', '!=', '<=', '>=', '<', '>', 'in']);
  const and = binary(rel, ['&&']);
  const or = binary(and, ['||']);
  const args = (close: string): CelNode[] => {
    const out: CelNode[] = [];
    while (peek() !== close) {
      out.push(ternary());
      if (peek() === ',') take(',');
    }
    take(close);
    return out;
  };
  function postfix(): CelNode {
    let node = primary();
    while (peek() === '.') {
      take('.');
      const name = take();
      if (!/^[A-Za-z_]\w*$/.test(name)) throw new CelUnsupported(source);
      if (peek() !== '(') {
        node = { t: 'sel', obj: node, field: name };
      } else if (['all', 'exists', 'filter'].includes(name)) {
        take('(');
        const variable = take();
        take(',');
        const body = ternary();
        take(')');
        node = { t: 'call', obj: node, method: name, args: [body], variable };
      } else {
        take('(');
        node = { t: 'call', obj: node, method: name, args: args(')') };
      }
    }
    return node;
  }
  function primary(): CelNode {
    const tok = take();
    if (tok === '(') { const e = ternary(); take(')'); return e; }
    if (tok === '[') return { t: 'list', items: args(']') };
    if (/^\d+$/.test(tok)) return { t: 'lit', v: Number(tok) };
    if (/^['"]/.test(tok)) return { t: 'lit', v: JSON.parse(tok[0] === '"' ? tok : `"${tok.slice(1, -1).replace(/"/g, '\\"')}"`) };
    if (tok === 'true' || tok === 'false') return { t: 'lit', v: tok === 'true' };
    if (tok === 'has') {
      take('(');
      const sel = ternary();
      take(')');
      if (sel.t !== 'sel') throw new CelUnsupported(source);
      return { t: 'has', sel };
    }
    if (/^[A-Za-z_]\w*$/.test(tok)) return { t: 'id', name: tok };
    throw new CelUnsupported(source);
  }
  const root = ternary();
  if (i !== tokens.length) throw new CelUnsupported(source);
  return root;
}

function celEval(n: CelNode, env: { [name: string]: unknown }): any {
  const fail = (): never => { throw new CelUnsupported('evaluation'); };
  const isMap = (v: unknown): v is { [key: string]: unknown } => v !== null && typeof v === 'object' && !Array.isArray(v);
  switch (n.t) {
    case 'lit': return n.v;
    case 'id': return n.name in env ? env[n.name] : fail();
    case 'sel': {
      const obj = celEval(n.obj, env);
      return isMap(obj) && n.field in obj ? obj[n.field] : fail();
    }
    case 'has': {
      const obj = celEval(n.sel.obj, env);
      return isMap(obj) ? obj[n.sel.field] !== undefined : fail();
    }
    case 'not': { const v = celEval(n.e, env); return typeof v === 'boolean' ? !v : fail(); }
    case 'neg': { const v = celEval(n.e, env); return typeof v === 'number' ? -v : fail(); }
    case 'cond': return celEval(n.c, env) === true ? celEval(n.a, env) : celEval(n.b, env);
    case 'list': return n.items.map((item) => celEval(item, env));
    case 'bin': {
      if (n.op === '||' || n.op === '&&') {
        // CEL's || and && are commutative over errors; short-circuit left to right is enough here.
        const a = celEval(n.a, env);
        if (typeof a !== 'boolean') fail();
        if (n.op === '||' ? a : !a) return a;
        const b = celEval(n.b, env);
        return typeof b === 'boolean' ? b : fail();
      }
      const a = celEval(n.a, env);
      const b = celEval(n.b, env);
      switch (n.op) {
        case '==': return sameValue(a, b);
        case '!=': return !sameValue(a, b);
        case 'in': return Array.isArray(b) ? b.some((x) => sameValue(x, a)) : isMap(b) ? typeof a === 'string' && b[a] !== undefined : fail();
        case '+': return typeof a === typeof b && (typeof a === 'number' || typeof a === 'string') ? a + b : fail();
        case '-': return typeof a === 'number' && typeof b === 'number' ? a - b : fail();
        default:
          if (typeof a !== 'number' || typeof b !== 'number') fail();
          return n.op === '<' ? a < b : n.op === '<=' ? a <= b : n.op === '>' ? a > b : a >= b;
      }
    }
    case 'call': {
      const obj = celEval(n.obj, env);
      if (n.variable !== undefined) {
        if (!Array.isArray(obj)) fail();
        const results = obj.map((item: unknown) => celEval(n.args[0], { ...env, [n.variable!]: item }));
        if (n.method === 'filter') return obj.filter((_: unknown, k: number) => results[k] === true);
        if (results.some((r: unknown) => typeof r !== 'boolean')) fail();
        return n.method === 'all' ? results.every((r: boolean) => r) : results.some((r: boolean) => r);
      }
      const arg = n.args.map((a) => celEval(a, env));
      if (n.method === 'size' && arg.length === 0) return Array.isArray(obj) || typeof obj === 'string' ? obj.length : isMap(obj) ? Object.keys(obj).length : fail();
      if (typeof obj !== 'string' || typeof arg[0] !== 'string') fail();
      if (n.method === 'matches') return regex(arg[0]).test(obj);
      if (n.method === 'contains') return obj.includes(arg[0]);
      if (n.method === 'startsWith') return obj.startsWith(arg[0]);
      if (n.method === 'endsWith') return obj.endsWith(arg[0]);
      return fail();
    }
  }
}

/** The rule as a check of `self`: true, false, or undefined when it cannot be decided here. */
function celRule(rule: unknown): ((self: unknown) => boolean | undefined) | undefined {
  if (typeof rule !== 'string') return undefined;
  if (!celRules.has(rule)) {
    let compiled: ((self: unknown) => boolean | undefined) | undefined;
    try {
      const ast = celParse(rule);
      compiled = (self) => {
        try {
          const result = celEval(ast, { self });
          return typeof result === 'boolean' ? result : undefined;
        } catch (e) {
          if (e instanceof CelUnsupported) return undefined;
          throw e;
        }
      };
    } catch (e) {
      if (!(e instanceof CelUnsupported)) throw e;
    }
    celRules.set(rule, compiled);
  }
  return celRules.get(rule);
}

function checkString(value: string, schema: Schema, p: string, out: string[]): void {
  if (typeof schema.pattern === 'string' && !regex(schema.pattern).test(value)) {
    out.push(`${showPath(p)}: ${short(value)} does not match pattern ${schema.pattern}`);
  }
  const length = [...value].length;
  if (typeof schema.maxLength === 'number' && length > schema.maxLength) {
    out.push(`${showPath(p)}: longer than maxLength ${schema.maxLength} (${length})`);
  }
  if (typeof schema.minLength === 'number' && length < schema.minLength) {
    out.push(`${showPath(p)}: shorter than minLength ${schema.minLength} (${length})`);
  }
  if (schema.format === 'byte' && !BASE64.test(value)) out.push(`${showPath(p)}: not valid base64 (format byte)`);
  if (schema.format === 'date-time' && !DATE_TIME.test(value)) out.push(`${showPath(p)}: ${short(value)} is not an RFC 3339 date-time`);
}

function checkNumber(value: number, schema: Schema, p: string, out: string[]): void {
  if (typeof schema.minimum === 'number' && (schema.exclusiveMinimum === true ? value <= schema.minimum : value < schema.minimum)) {
    out.push(`${showPath(p)}: ${value} is below the minimum ${schema.minimum}`);
  }
  if (typeof schema.maximum === 'number' && (schema.exclusiveMaximum === true ? value >= schema.maximum : value > schema.maximum)) {
    out.push(`${showPath(p)}: ${value} is above the maximum ${schema.maximum}`);
  }
  if (typeof schema.multipleOf === 'number' && value % schema.multipleOf !== 0) {
    out.push(`${showPath(p)}: ${value} is not a multiple of ${schema.multipleOf}`);
  }
  if (schema.format === 'int32' && (value < -2147483648 || value > 2147483647)) {
    out.push(`${showPath(p)}: ${value} does not fit in int32`);
  }
}

function checkArray(value: unknown[], schema: Schema, p: string, mode: Mode, out: string[], branch: boolean): void {
  if (typeof schema.minItems === 'number' && value.length < schema.minItems) {
    out.push(`${showPath(p)}: needs at least ${schema.minItems} item(s), has ${value.length}`);
  }
  if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) {
    out.push(`${showPath(p)}: allows at most ${schema.maxItems} item(s), has ${value.length}`);
  }
  const listType = schema['x-kubernetes-list-type'];
  if (listType === 'set' || listType === 'map') {
    const keys: string[] | undefined = schema['x-kubernetes-list-map-keys'];
    const seen = new Map<string, number>();
    value.forEach((item, i) => {
      const identity = listType === 'map' && keys && item && typeof item === 'object'
        // `protocol` is the one list-map key with a default that matters (TCP).
        ? JSON.stringify(keys.map((k) => (item as any)[k] ?? (k === 'protocol' ? 'TCP' : undefined)))
        : JSON.stringify(item);
      const first = seen.get(identity);
      if (first !== undefined) {
        out.push(`${showPath(`${p}[${i}]`)}: duplicate of item [${first}]${listType === 'map' && keys ? ` (same ${keys.join(', ')})` : ''}`);
      } else {
        seen.set(identity, i);
      }
    });
  }
  if (schema.items && typeof schema.items === 'object') {
    value.forEach((item, i) => check(item, schema.items, `${p}[${i}]`, mode, out, branch));
  }
}

function checkObject(value: { [key: string]: unknown }, schema: Schema, p: string, mode: Mode, out: string[], branch: boolean): void {
  const keys = Object.keys(value);
  if (typeof schema.minProperties === 'number' && keys.length < schema.minProperties) {
    out.push(`${showPath(p)}: needs at least ${schema.minProperties} field(s)`);
  }
  if (typeof schema.maxProperties === 'number' && keys.length > schema.maxProperties) {
    out.push(`${showPath(p)}: allows at most ${schema.maxProperties} field(s), has ${keys.length}: ${keys.join(', ')}`);
  }
  if (Array.isArray(schema.required)) {
    for (const field of schema.required) {
      if (value[field] === undefined) out.push(`${showPath(p + segment(field))}: missing required field`);
    }
  }
  const properties: Schema | undefined = schema.properties;
  const additional = schema.additionalProperties;
  const open = schema['x-kubernetes-preserve-unknown-fields'] === true || additional === true
    || (branch && additional === undefined)
    || (mode === 'k8s' && properties === undefined && additional === undefined);
  for (const key of keys) {
    const child = value[key];
    if (child === undefined) continue;
    const sub = properties?.[key];
    if (sub) {
      check(child, sub, p + segment(key), mode, out, branch);
    } else if (additional && typeof additional === 'object') {
      check(child, additional, p + segment(key), mode, out, branch);
    } else if (!open) {
      out.push(`${showPath(p + segment(key))}: unknown field`);
    }
  }
}

export function isClusterScoped(kind: unknown): boolean {
  return CLUSTER_SCOPED.has(kind as string) || crds().some((c) => c.kind === kind && c.scope === 'Cluster');
}

/**
 * How problem lines name an object: `<Kind> <namespace>/<name>`, or `<Kind> <name>` for
 * cluster-scoped kinds and objects without a namespace.
 */
export function describeObject(m: any): string {
  const kind = typeof m?.kind === 'string' ? m.kind : '<no kind>';
  const name = m?.metadata?.name ?? m?.metadata?.generateName ?? '<no name>';
  const ns = m?.metadata?.namespace;
  return ns && !isClusterScoped(kind) ? `${kind} ${ns}/${name}` : `${kind} ${name}`;
}

/**
 * Object-level rules that are not in the schemas: names and namespaces. (A namespace on a
 * cluster-scoped object is not an error: cdk8s sets the chart's namespace on every object and
 * the API server, kubectl and Argo CD ignore it there.)
 */
function checkIdentity(m: any, out: string[]): void {
  const meta = m.metadata;
  if (!meta || typeof meta !== 'object') return;
  const name = meta.name;
  if (name === undefined && meta.generateName === undefined) {
    out.push('metadata.name: missing (set name or generateName)');
  } else if (typeof name === 'string') {
    if (PATH_SEGMENT_NAMES.has(m.kind)) {
      if (name === '' || name === '.' || name === '..' || /[/%]/.test(name)) out.push(`metadata.name: ${short(name)} may not be '.', '..' or contain '/' or '%'`);
    } else if (DNS_LABEL_NAMES.has(m.kind)) {
      if (name.length > 63 || !DNS_LABEL.test(name)) out.push(`metadata.name: ${short(name)} is not a DNS-1123 label (lowercase alphanumerics and '-', at most 63)`);
    } else if (name.length > 253 || !DNS_SUBDOMAIN.test(name)) {
      out.push(`metadata.name: ${short(name)} is not a DNS-1123 subdomain (lowercase alphanumerics, '-' and '.', at most 253)`);
    }
  }
  if (typeof meta.namespace === 'string' && (meta.namespace.length > 63 || !DNS_LABEL.test(meta.namespace))) {
    out.push(`metadata.namespace: ${short(meta.namespace)} is not a DNS-1123 label`);
  }
}

/** One problem in one object: where (a field path, `(root)` for the object) and what. */
export interface SchemaProblem {
  readonly path: string;
  readonly problem: string;
}

/** Every schema and naming problem of one object. */
export function schemaProblems(m: unknown): SchemaProblem[] {
  if (m === null || typeof m !== 'object' || Array.isArray(m)) {
    return [{ path: '(root)', problem: `expected an object, got ${jsonType(m)}` }];
  }
  const obj = m as any;
  const type = resolveType(obj.apiVersion, obj.kind);
  if ('problem' in type) return [{ path: type.path, problem: type.problem }];
  const out: string[] = [];
  check(obj, type.schema, '', type.mode, out);
  checkIdentity(obj, out);
  return out.map((line) => {
    const colon = line.indexOf(': ');
    return { path: line.slice(0, colon), problem: line.slice(colon + 2) };
  });
}

/**
 * Every problem in the given objects, one line each:
 * `<Kind> <namespace>/<name>: <path>: <problem>` (`<Kind> <name>` when there is no namespace).
 */
export function validateManifests(manifests: object[]): string[] {
  return manifests.flatMap((m) => schemaProblems(m).map(({ path: p, problem }) => `${describeObject(m)}: ${p}: ${problem}`));
}

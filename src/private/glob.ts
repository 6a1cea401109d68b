// Glob matching with the semantics Argo CD uses (`util/glob` over github.com/gobwas/glob):
// `*` any run of characters except separators, `**` any run including separators, `?` one
// character except separators, `[abc]` sets and `[a-z]` single ranges (`!` negates; gobwas has
// no multi-range classes such as `[a-z0-9]`), `{a,b}` alternatives and `\` escapes. The whole
// value must match. Without separators (RBAC, namespaces, cluster names) `*` also matches `/`.
// A pattern that does not compile matches nothing, as upstream.
// Internal helper: not exported from the package index.

/** Compiled globs by separators, then by pattern (`null`: the pattern does not compile). */
const cache = new Map<string, Map<string, RegExp | null>>();
/** Characters that make a pattern a glob; a pattern without them matches only itself. */
const GLOB_SYNTAX = /[\\*?[{]/;

/** True when `value` matches the glob `pattern` the way Argo CD's `glob.Match` decides. */
export function argoGlobMatch(pattern: string, value: string, separators: string = ''): boolean {
  // Most destinations and namespaces are plain names: compare them without compiling a RegExp.
  if (!GLOB_SYNTAX.test(pattern)) return pattern === value;
  const re = compileArgoGlob(pattern, separators);
  return re !== undefined && re.test(value);
}

/** The glob as an anchored regular expression, or `undefined` when gobwas would refuse it. */
export function compileArgoGlob(pattern: string, separators: string = ''): RegExp | undefined {
  let compiled = cache.get(separators);
  if (!compiled) {
    compiled = new Map();
    cache.set(separators, compiled);
  }
  let re = compiled.get(pattern);
  if (re === undefined) {
    const source = translate(pattern, separators);
    re = source === undefined ? null : new RegExp(`^(?:${source})$`, 'u');
    compiled.set(pattern, re);
  }
  return re ?? undefined;
}

/** Escapes one literal character for a `u`-mode regular expression, outside a class. */
function escapeRegex(ch: string): string {
  return /[\\^$.*+?()[\]{}|\/]/.test(ch) ? `\\${ch}` : ch;
}

/** Escapes one literal character inside a `u`-mode character class. */
function escapeClass(ch: string): string {
  return /[\\^\]\[\-]/.test(ch) ? `\\${ch}` : ch;
}

function translate(pattern: string, separators: string): string | undefined {
  const notSep = separators.length > 0 ? `[^${[...separators].map(escapeClass).join('')}]` : '[\\s\\S]';
  // Code points, not UTF-16 units: gobwas reads runes ('?' is one character, even an emoji).
  const chars = [...pattern];
  let out = '';
  let depth = 0;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (ch === '\\') {
      if (i + 1 >= chars.length) return undefined;
      out += escapeRegex(chars[++i]);
    } else if (ch === '*') {
      if (chars[i + 1] === '*') {
        while (chars[i + 1] === '*') i++;
        out += '[\\s\\S]*';
      } else {
        out += `${notSep}*`;
      }
    } else if (ch === '?') {
      out += notSep;
    } else if (ch === '[') {
      const cls = translateClass(chars, i + 1);
      if (cls === undefined) return undefined;
      out += cls.source;
      i = cls.end;
    } else if (ch === '{') {
      depth++;
      out += '(?:';
    } else if (ch === '}' && depth > 0) {
      depth--;
      out += ')';
    } else if (ch === ',' && depth > 0) {
      out += '|';
    } else {
      out += escapeRegex(ch);
    }
  }
  return depth === 0 ? out : undefined;
}

/**
 * A character class as gobwas lexes it, from just after `[`: an optional `!`, then either ONE
 * range `x-y` followed by `]`, or a set of characters up to `]` (with `\\` escapes, `-` literal).
 * So `[a-z0-9]` and `[a-]` do not compile, and `[abc-e]` is the set a, b, c, `-`, e.
 */
function translateClass(chars: string[], start: number): { source: string; end: number } | undefined {
  let i = start;
  let negate = false;
  if (chars[i] === '!') {
    negate = true;
    i++;
  }
  if (i >= chars.length) return undefined;
  const open = negate ? '[^' : '[';
  if (chars[i + 1] === '-') {
    const lo = chars[i];
    const hi = chars[i + 2];
    if (hi === undefined || chars[i + 3] !== ']' || lo.codePointAt(0)! > hi.codePointAt(0)!) return undefined;
    return { source: `${open}${escapeClass(lo)}-${escapeClass(hi)}]`, end: i + 3 };
  }
  let set = '';
  for (; i < chars.length; i++) {
    if (chars[i] === '\\') {
      if (i + 1 >= chars.length) return undefined;
      set += escapeClass(chars[++i]);
    } else if (chars[i] === ']') {
      return set === '' ? undefined : { source: `${open}${set}]`, end: i };
    } else {
      set += escapeClass(chars[i]);
    }
  }
  return undefined;
}

const pathCache = new Map<string, RegExp | null>();

/**
 * True when `value` matches `pattern` the way Go's `filepath.Match` decides on Linux: `*` and `?`
 * never cross `/`, classes take `^` for negation and several ranges (`[a-z0-9]`), `\` escapes,
 * no `{a,b}`. A malformed pattern matches nothing. Argo CD matches the group and kind of an
 * AppProject's resource lists this way (`isResourceInList`), not with gobwas.
 */
export function goPathMatch(pattern: string, value: string): boolean {
  return compileGoPath(pattern)?.test(value) ?? false;
}

/** The `filepath.Match` pattern as an anchored regular expression, or `undefined` when Go refuses it. */
export function compileGoPath(pattern: string): RegExp | undefined {
  if (!pathCache.has(pattern)) {
    const source = translatePath([...pattern]);
    pathCache.set(pattern, source === undefined ? null : new RegExp(`^(?:${source})$`, 'u'));
  }
  return pathCache.get(pattern) ?? undefined;
}

function translatePath(chars: string[]): string | undefined {
  let out = '';
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (ch === '\\') {
      if (i + 1 >= chars.length) return undefined;
      out += escapeRegex(chars[++i]);
    } else if (ch === '*') {
      out += '[^/]*';
    } else if (ch === '?') {
      out += '[^/]';
    } else if (ch === '[') {
      i++;
      const negate = chars[i] === '^';
      if (negate) i++;
      let cls = '';
      for (let ranges = 0; ; ranges++) {
        if (i >= chars.length) return undefined;
        if (chars[i] === ']' && ranges > 0) break;
        // An unescaped '-' or ']' where a character is expected is ErrBadPattern.
        const lo = classChar(chars, i);
        if (lo === undefined) return undefined;
        i = lo.next;
        if (chars[i] === '-') {
          const hi = classChar(chars, i + 1);
          if (hi === undefined || lo.ch.codePointAt(0)! > hi.ch.codePointAt(0)!) return undefined;
          cls += `${escapeClass(lo.ch)}-${escapeClass(hi.ch)}`;
          i = hi.next;
        } else {
          cls += escapeClass(lo.ch);
        }
      }
      out += negate ? `[^${cls}]` : `[${cls}]`;
    } else {
      out += escapeRegex(ch);
    }
  }
  return out;
}

function classChar(chars: string[], i: number): { ch: string; next: number } | undefined {
  if (i >= chars.length || chars[i] === '-' || chars[i] === ']') return undefined;
  if (chars[i] === '\\') return i + 1 < chars.length ? { ch: chars[i + 1], next: i + 2 } : undefined;
  return { ch: chars[i], next: i + 1 };
}

/** A small deterministic generator (Park-Miller), so the samples are the same on every run. */
function sampler(seed: number): () => number {
  let state = seed % 2147483647;
  return () => {
    state = (state * 48271) % 2147483647;
    return (state - 1) / 2147483646;
  };
}

const SAMPLE_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789-._';
const SAMPLES_PER_SHAPE = 64;
/** Names nobody chooses on purpose, of each shape Argo CD matches: one to four `/`-separated segments, and URLs. */
let samples: string[][] | undefined;

function sampleValues(): string[][] {
  if (samples) return samples;
  const random = sampler(0x5eed);
  const segment = (): string => {
    const length = 3 + Math.floor(random() * 14);
    let out = '';
    for (let i = 0; i < length; i++) out += SAMPLE_ALPHABET[Math.floor(random() * SAMPLE_ALPHABET.length)];
    return out;
  };
  const shape = (make: () => string): string[] => Array.from({ length: SAMPLES_PER_SHAPE }, make);
  samples = [
    shape(segment),
    shape(() => `${segment()}/${segment()}`),
    shape(() => `${segment()}/${segment()}/${segment()}`),
    shape(() => `${segment()}/${segment()}/${segment()}/${segment()}`),
    shape(() => `https://${segment()}.example/${segment()}/${segment()}`),
  ];
  return samples;
}

/**
 * True when the Argo CD glob `pattern` matches everything, or nearly everything, of some shape
 * of value (names, `project/app`, `project/namespace/app`, URLs): decided by what it matches,
 * not how it is spelled, so `*`, `*\/*`, `{*}/{*}`, `{a,*}/*`, `?*` and `[!x]*` are all caught.
 * A pattern that matches nine in ten random values of one shape counts. A pattern that does
 * not compile matches nothing.
 */
export function globMatchesEverything(pattern: string, separators: string = ''): boolean {
  const re = compileArgoGlob(pattern, separators);
  if (re === undefined) return false;
  return sampleValues().some((values) => values.filter((v) => re.test(v)).length >= values.length * 0.9);
}

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

/**
 * The characters the glob `pattern` matches literally, as Argo CD's matcher reads it: text
 * outside the syntax, escaped characters and the members and range ends of `[...]` classes
 * (`a*.{b,c}` gives a . b c); `undefined` when gobwas would refuse the pattern. A caller checks
 * them against what its values may contain: a literal that no value contains is a typo.
 */
export function argoGlobLiterals(pattern: string): string[] | undefined {
  return tokenize(pattern)?.flatMap((t) => t.kind === 'char' ? [t.ch] : t.kind === 'class' ? [...(t.range ?? t.set!)] : []);
}

/** One element of a glob as gobwas lexes it. */
type GlobToken =
  | { readonly kind: 'char'; readonly ch: string }
  | { readonly kind: 'star'; readonly crossesSeparators: boolean }
  | { readonly kind: 'one' }
  | { readonly kind: 'class'; readonly negate: boolean; readonly range?: [string, string]; readonly set?: string[] }
  | { readonly kind: 'open' | 'comma' | 'close' };

/** The glob's tokens, or `undefined` when gobwas would refuse it. */
function tokenize(pattern: string): GlobToken[] | undefined {
  // Code points, not UTF-16 units: gobwas reads runes ('?' is one character, even an emoji).
  const chars = [...pattern];
  const tokens: GlobToken[] = [];
  let depth = 0;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (ch === '\\') {
      if (i + 1 >= chars.length) return undefined;
      tokens.push({ kind: 'char', ch: chars[++i] });
    } else if (ch === '*') {
      const crossesSeparators = chars[i + 1] === '*';
      while (chars[i + 1] === '*') i++;
      tokens.push({ kind: 'star', crossesSeparators });
    } else if (ch === '?') {
      tokens.push({ kind: 'one' });
    } else if (ch === '[') {
      const cls = lexClass(chars, i + 1);
      if (cls === undefined) return undefined;
      tokens.push(cls.token);
      i = cls.end;
    } else if (ch === '{') {
      depth++;
      tokens.push({ kind: 'open' });
    } else if (ch === '}' && depth > 0) {
      depth--;
      tokens.push({ kind: 'close' });
    } else if (ch === ',' && depth > 0) {
      tokens.push({ kind: 'comma' });
    } else {
      tokens.push({ kind: 'char', ch });
    }
  }
  return depth === 0 ? tokens : undefined;
}

function translate(pattern: string, separators: string): string | undefined {
  const notSep = separators.length > 0 ? `[^${[...separators].map(escapeClass).join('')}]` : '[\\s\\S]';
  const tokens = tokenize(pattern);
  if (tokens === undefined) return undefined;
  return tokens.map((t) => {
    switch (t.kind) {
      case 'char': return escapeRegex(t.ch);
      case 'star': return t.crossesSeparators ? '[\\s\\S]*' : `${notSep}*`;
      case 'one': return notSep;
      case 'class': {
        const body = t.range ? `${escapeClass(t.range[0])}-${escapeClass(t.range[1])}` : t.set!.map(escapeClass).join('');
        return `${t.negate ? '[^' : '['}${body}]`;
      }
      case 'open': return '(?:';
      case 'comma': return '|';
      case 'close': return ')';
    }
  }).join('');
}

/**
 * A character class as gobwas lexes it, from just after `[`: an optional `!`, then either ONE
 * range `x-y` followed by `]`, or a set of characters up to `]` (with `\\` escapes, `-` literal).
 * So `[a-z0-9]` and `[a-]` do not compile, and `[abc-e]` is the set a, b, c, `-`, e.
 */
function lexClass(chars: string[], start: number): { token: GlobToken; end: number } | undefined {
  let i = start;
  let negate = false;
  if (chars[i] === '!') {
    negate = true;
    i++;
  }
  if (i >= chars.length) return undefined;
  if (chars[i + 1] === '-') {
    const lo = chars[i];
    const hi = chars[i + 2];
    if (hi === undefined || chars[i + 3] !== ']' || lo.codePointAt(0)! > hi.codePointAt(0)!) return undefined;
    return { token: { kind: 'class', negate, range: [lo, hi] }, end: i + 3 };
  }
  const set: string[] = [];
  for (; i < chars.length; i++) {
    if (chars[i] === '\\') {
      if (i + 1 >= chars.length) return undefined;
      set.push(chars[++i]);
    } else if (chars[i] === ']') {
      return set.length === 0 ? undefined : { token: { kind: 'class', negate, set }, end: i };
    } else {
      set.push(chars[i]);
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

/** A character test of the glob automaton: any character, or a set or range (maybe negated) of code points. */
interface CharTest {
  readonly negate: boolean;
  readonly points?: number[];
  readonly range?: [number, number];
}

const ANY_CHAR: CharTest = { negate: true, points: [] };

function passes(test: CharTest, cp: number): boolean {
  const inside = test.range ? cp >= test.range[0] && cp <= test.range[1] : test.points!.includes(cp);
  return inside !== test.negate;
}

/** A glob without separators as an automaton: states with epsilon moves and character moves. */
interface GlobAutomaton {
  readonly start: number;
  readonly accept: number;
  readonly epsilon: number[][];
  readonly moves: [CharTest, number][][];
}

function automatonOf(tokens: GlobToken[]): GlobAutomaton {
  const epsilon: number[][] = [];
  const moves: [CharTest, number][][] = [];
  const state = (): number => {
    moves.push([]);
    return epsilon.push([]) - 1;
  };
  let i = 0;
  const sequence = (): [number, number] => {
    const start = state();
    let end = start;
    while (i < tokens.length && tokens[i].kind !== 'comma' && tokens[i].kind !== 'close') {
      const t = tokens[i++];
      if (t.kind === 'open') {
        const after = state();
        for (;;) {
          const [s, e] = sequence();
          epsilon[end].push(s);
          epsilon[e].push(after);
          if (tokens[i++].kind === 'close') break;
        }
        end = after;
      } else if (t.kind === 'star') {
        moves[end].push([ANY_CHAR, end]);
      } else {
        const next = state();
        let test = ANY_CHAR;
        if (t.kind === 'char') test = { negate: false, points: [t.ch.codePointAt(0)!] };
        if (t.kind === 'class') {
          test = t.range ? { negate: t.negate, range: [t.range[0].codePointAt(0)!, t.range[1].codePointAt(0)!] }
            : { negate: t.negate, points: t.set!.map((c) => c.codePointAt(0)!) };
        }
        moves[end].push([test, next]);
        end = next;
      }
    }
    return [start, end];
  };
  const [start, accept] = sequence();
  return { start, accept, epsilon, moves };
}

function closure(automaton: GlobAutomaton, states: Iterable<number>): number[] {
  const seen = new Set(states);
  const todo = [...seen];
  while (todo.length > 0) {
    for (const next of automaton.epsilon[todo.pop()!]) {
      if (!seen.has(next)) {
        seen.add(next);
        todo.push(next);
      }
    }
  }
  return [...seen].sort((a, b) => a - b);
}

function step(automaton: GlobAutomaton, states: number[], cp: number): number[] {
  return closure(automaton, states.flatMap((s) => automaton.moves[s].filter(([test]) => passes(test, cp)).map(([, to]) => to)));
}

/**
 * Which of the globs (without separators, as Argo CD matches project destinations) match, for
 * every value a template can produce: `parts` are its fixed texts, and between two of them any
 * text at all may appear (a template action). Returns each possible answer once (an array of
 * one boolean per pattern), exactly, or `undefined` when the search would exceed `budget` states.
 * A pattern that does not compile matches nothing, as upstream.
 */
export function globOutcomes(patterns: string[], parts: string[], budget: number = 20_000): boolean[][] | undefined {
  const automata = patterns.map((p) => {
    const tokens = tokenize(p);
    return tokens === undefined ? undefined : automatonOf(tokens);
  });
  // One character of each class the tests tell apart stands for all of its class.
  const points = new Set<number>([0]);
  for (const automaton of automata) {
    for (const [test] of automaton?.moves.flat() ?? []) {
      if (test.range) [test.range[0], test.range[1] + 1].forEach((p) => points.add(p));
      for (const p of test.points ?? []) [p, p + 1].forEach((q) => points.add(q));
    }
  }
  const alphabet = [...points].filter((p) => p <= 0x10ffff);
  type Position = (number[] | undefined)[];
  const key = (position: Position) => position.map((s) => s?.join(',') ?? '-').join('|');
  const advance = (position: Position, cp: number): Position => position.map((s, k) => s && step(automata[k]!, s, cp));
  let frontier: Position[] = [automata.map((a) => a && closure(a, [a.start]))];
  let visited = 0;
  for (let k = 0; k < parts.length; k++) {
    frontier = frontier.map((position) => [...parts[k]].reduce((p, ch) => advance(p, ch.codePointAt(0)!), position));
    if (k === parts.length - 1) break;
    // Any text between two parts: every position some text reaches.
    const reached = new Map(frontier.map((p) => [key(p), p]));
    const todo = [...reached.values()];
    while (todo.length > 0) {
      const position = todo.pop()!;
      for (const cp of alphabet) {
        const next = advance(position, cp);
        const nextKey = key(next);
        if (reached.has(nextKey)) continue;
        if (++visited > budget) return undefined;
        reached.set(nextKey, next);
        todo.push(next);
      }
    }
    frontier = [...reached.values()];
  }
  const outcomes = new Map<string, boolean[]>();
  for (const position of frontier) {
    const outcome = position.map((s, k) => s !== undefined && s.includes(automata[k]!.accept));
    outcomes.set(outcome.join(','), outcome);
  }
  return [...outcomes.values()];
}

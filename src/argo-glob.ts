// Glob matching with the semantics Argo CD uses (`util/glob` over github.com/gobwas/glob):
// `*` any run of characters except separators, `**` any run including separators, `?` one
// character except separators, `[abc]`, `[a-z]`, `[!abc]` classes, `{a,b}` alternatives and `\`
// escapes. The whole value must match. Without separators (RBAC, namespaces, cluster names)
// `*` also matches `/`. A pattern that does not compile matches nothing, as upstream.
// Internal helper: not exported from the package index.

const cache = new Map<string, RegExp | null>();

/** True when `value` matches the glob `pattern` the way Argo CD's `glob.Match` decides. */
export function argoGlobMatch(pattern: string, value: string, separators: string = ''): boolean {
  const re = compileArgoGlob(pattern, separators);
  return re !== undefined && re.test(value);
}

/** The glob as an anchored regular expression, or `undefined` when gobwas would refuse it. */
export function compileArgoGlob(pattern: string, separators: string = ''): RegExp | undefined {
  const key = `${separators}\u0000${pattern}`;
  if (!cache.has(key)) {
    const source = translate(pattern, separators);
    cache.set(key, source === undefined ? null : new RegExp(`^(?:${source})$`));
  }
  return cache.get(key) ?? undefined;
}

function escapeRegex(ch: string): string {
  return ch.replace(/[\\^$.*+?()[\]{}|\/-]/g, '\\$&');
}

function translate(pattern: string, separators: string): string | undefined {
  const notSep = separators.length > 0 ? `[^${[...separators].map(escapeRegex).join('')}]` : '[\\s\\S]';
  let out = '';
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\') {
      if (i + 1 >= pattern.length) return undefined;
      out += escapeRegex(pattern[++i]);
    } else if (ch === '*') {
      if (pattern[i + 1] === '*') {
        while (pattern[i + 1] === '*') i++;
        out += '[\\s\\S]*';
      } else {
        out += `${notSep}*`;
      }
    } else if (ch === '?') {
      out += notSep;
    } else if (ch === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) return undefined;
      let body = pattern.slice(i + 1, end);
      const negate = body.startsWith('!');
      if (negate) body = body.slice(1);
      if (body.length === 0) return undefined;
      let cls = '';
      for (let j = 0; j < body.length; j++) {
        if (body[j + 1] === '-' && j + 2 < body.length) {
          if (body[j] > body[j + 2]) return undefined;
          cls += `${escapeRegex(body[j])}-${escapeRegex(body[j + 2])}`;
          j += 2;
        } else {
          cls += escapeRegex(body[j]);
        }
      }
      out += negate ? `[^${cls}]` : `[${cls}]`;
      i = end;
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

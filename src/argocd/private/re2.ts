// Go's RE2 regular expressions, as far as JavaScript can run them: Argo CD's regex match mode
// and the "matches everything" guard read patterns through this one translation.

const re2Cache = new Map<string, RegExp | null>();

/**
 * A Go (RE2) regular expression as a JavaScript one, or `undefined` where Go's `regexp` refuses
 * it (then Casbin's regexMatch panics and the evaluation fails). RE2 has no lookaround and no
 * backreferences; it writes flags as a leading `(?i)` and named groups also as `(?P<name>...)`;
 * `\A` and `\z` anchor at the text's ends. Inline flag groups inside the pattern (`(?i:...)`)
 * have no JavaScript equivalent and are refused with an error naming the pattern.
 */
export function compileRe2(pattern: string): RegExp | undefined {
  if (!re2Cache.has(pattern)) re2Cache.set(pattern, translateRe2(pattern) ?? null);
  return re2Cache.get(pattern) ?? undefined;
}

function translateRe2(pattern: string): RegExp | undefined {
  let flags = '';
  let body = pattern;
  const leading = /^\(\?([imsU]+)\)/.exec(body);
  if (leading) {
    if (leading[1].includes('U')) throw new Error(`ArgoCdRbac: cannot simulate the ungreedy flag in the regex '${pattern}'`);
    flags = [...new Set(leading[1])].join('');
    body = body.slice(leading[0].length);
  }
  let out = '';
  let inClass = false;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === '\\') {
      const next = body[i + 1];
      if (next === undefined) return undefined;
      if (!inClass && /[1-9k]/.test(next)) return undefined; // backreferences
      if (!inClass && next === 'A') out += '(?<![\\s\\S])';
      else if (!inClass && next === 'z') out += '(?![\\s\\S])';
      else out += ch + next;
      i++;
    } else if (inClass) {
      if (ch === ']') inClass = false;
      out += ch;
    } else if (ch === '[') {
      inClass = true;
      out += ch;
      if (body[i + 1] === '^') out += body[++i];
      if (body[i + 1] === ']') out += `\\${body[++i]}`; // a leading ']' is literal in RE2
    } else if (ch === '(' && body[i + 1] === '?') {
      const rest = body.slice(i + 2);
      if (/^(=|!|<=|<!)/.test(rest)) return undefined; // lookaround
      if (rest.startsWith('P<')) {
        out += '(?<';
        i += 3;
      } else if (rest.startsWith(':') || /^<[A-Za-z_]/.test(rest)) {
        out += ch;
      } else {
        throw new Error(`ArgoCdRbac: cannot simulate the inline flags in the regex '${pattern}': put the flags at the start, e.g. '(?i)^prod/.*$'`);
      }
    } else {
      out += ch;
    }
  }
  try {
    return new RegExp(out, flags);
  } catch {
    return undefined;
  }
}
